"""Homework 04 run by papermill: the solution with other parameters (any valid text pair), and
the student version as it is handed out, run once (each unfinished task stops at its check with
"not done yet"). Bad parameters: tests/test_bad_parameters.py."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.notebook_runner import execute, summary
from tools.notebooks import kernel_config
from tools.paths import ROOT

NAME = "04_homework_lstm_gru.ipynb"
SOLUTION = f"solutions/{NAME}"  # the student version in notebooks/ has the same name
LONG = "the quick brown fox jumps over the lazy dog, then runs away!"  # 60 characters


def test_solution_with_a_small_sweep_and_30_epochs(tmp_path):
    result = summary(execute(SOLUTION, tmp_path, sweep_seeds=10, epochs=30))
    for name in ("rnn", "lstm", "gru"):
        assert result[name]["prediction"] == "ohlol", name  # learned, not the input
        assert result[name]["converged_epoch"] is not None, name
    assert result["lstm"]["final_loss"] < 0.5 and result["gru"]["final_loss"] < 0.2
    assert result["parameters"] == {"rnn": 380, "lstm": 1292, "gru": 988}
    counts = result["sweep_counts"]
    for name in ("rnn", "lstm", "gru"):
        # Counts of one sweep of 10 seeds read at growing budgets: they never fall, and within
        # 50 epochs every seed has converged.
        assert counts[name][15] <= counts[name][30] <= counts[name][50] == 10, name
    assert counts["lstm"][15] < counts["gru"][15] <= counts["rnn"][15]


def test_the_solution_passes_every_check_with_a_large_learning_rate(tmp_path):
    # lr=0.5 makes training chaotic: a batched sweep and the same seed trained alone part after
    # some epochs, by rounding alone. The checks compare them where rounding cannot change a run
    # (course_utils.rounding) and never fail the solution for it (they did at seed 9 of 10).
    nb = execute(SOLUTION, tmp_path, lr=0.5, sweep_seeds=10)
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    for task in range(1, 6):
        assert f"Task {task} passed." in printed, task


class TestAnyPair:
    # A class of its own: pytest-xdist's loadscope can give these runs to the other worker.
    @pytest.mark.parametrize(("source", "target"), [
        ("ab", "ba"),  # 2 distinct characters
        (LONG, LONG[::-1]),  # a long pair
        ("我爱北京天安门", "门安天京北爱我"),  # Chinese
        ("hi, 你好!", "!好你 ,ih"),  # mixed scripts
    ], ids=["two-characters", "60-characters", "chinese", "mixed-scripts"])
    def test_solution_learns_any_valid_pair(self, tmp_path, source, target):
        # Quick: few epochs and seeds; what is tested is that every check accepts the solution
        # for this pair (papermill stops at a failing check) and the models are built for it.
        result = summary(execute(SOLUTION, tmp_path, source=source, target=target, epochs=3,
                                 sweep_seeds=2))
        vocab = len(set(source + target))
        # Embedding(V, 10) + Linear(8, V) = 19 V, plus the two recurrent layers (304, 1216, 912).
        assert result["parameters"] == {"rnn": 304 + 19 * vocab, "lstm": 1216 + 19 * vocab,
                                        "gru": 912 + 19 * vocab}
        for name in ("rnn", "lstm", "gru"):
            assert len(result[name]["prediction"]) == len(target), name  # one per step
            counts = result["sweep_counts"][name]  # one sweep read at growing budgets
            assert counts[15] <= counts[30] <= counts[50], (name, counts)


@pytest.fixture(scope="module")
def student_errors() -> list[tuple[str, str, str]]:
    """The student version as handed out, run as a student who runs every cell, or nbgrader's
    autograde, which goes on after errors: (cell source, ename, evalue) of each error, in order.
    The first error is where papermill, or a student who stops at an error, stops."""
    nb = nbformat.read(ROOT / "notebooks" / NAME, as_version=4)
    NotebookClient(nb, kernel_name="python3", allow_errors=True, config=kernel_config(),
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    return [(cell.source, output.ename, output.evalue) for cell in nb.cells
            for output in cell.get("outputs", []) if output.output_type == "error"]


def test_the_student_version_stops_at_task_1_with_not_done(student_errors):
    source, ename, evalue = student_errors[0]
    assert ename == "NotDone"
    assert evalue.startswith("Task 1 is not done yet: a cell of task 1 still raises")
    assert source.strip().endswith("check_task1(LSTMModel)")  # it stops at task 1's check


def test_every_unfinished_task_stops_at_its_check_with_not_done(student_errors):
    # Each check cell says "Task N is not done yet", never NameError or another CheckFailed.
    errors = {}
    for source, ename, evalue in student_errors:
        if "import check_task" in source:
            task = int(source.split("import check_task")[1][0])
            errors[task] = (ename, evalue)
    assert set(errors) == {1, 2, 3, 4, 5}
    for task, (ename, evalue) in errors.items():
        assert ename == "NotDone", (task, ename, evalue)
        assert evalue.startswith(f"Task {task} is not done yet"), (task, evalue)


def test_a_check_tells_a_stub_from_an_error_in_a_real_kernel():
    # The checks read the last error that the notebook showed (IPython's sys.last_value): a
    # task cell whose stub was replaced by code that stopped with an error is not "still
    # raises where your code goes", in a real kernel, and running the check again says the same.
    from nbformat.v4 import new_code_cell, new_notebook

    check = "check_task5(sweeps, counts, pair, sweep_seeds=2, lr=0.05)"
    nb = new_notebook(cells=[new_code_cell(source) for source in (
        "from course_utils.homework04 import NotDone, check_task5\n"
        "from course_utils.text import make_pair\npair = make_pair('hello', 'ohlol')",
        "sweeps, counts = {}, {}\nsweeps['rnn'] = {'cell': 'rnn'}['hidden']",  # KeyError
        check, check,
        "sweeps, counts = {}, {}\nraise NotDone(5)",  # the stub, back
        check)])
    NotebookClient(nb, kernel_name="python3", allow_errors=True, config=kernel_config(),
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    errors = [output.evalue for cell in nb.cells[1:] for output in cell.outputs
              if output.output_type == "error"]
    stopped = ("Task 5 is not done yet: the task 5 cell that fills `sweeps` stopped before "
               "filling it: fix the error it shows, run it again, then run this check again (the "
               "last error in this notebook: KeyError: 'hidden').")
    assert errors == ["'hidden'", stopped, stopped, "Task 5 is not done yet: a cell of task 5 "
                      "still raises where your code goes. Replace that `raise ...` line with "
                      "your code, run the task's cells, then run this check again.",
                      errors[-1]]
    assert errors[-1] == errors[-2]
