"""Homework 04 run by papermill: the solution with other parameters, the student version as it
is handed out (it must stop at task 1 with the "not done yet" message), and a bad parameter."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from tests.notebook_runner import summary

pytestmark = pytest.mark.notebook
ROOT = Path(__file__).resolve().parent.parent
NAME = "04_homework_lstm_gru.ipynb"


def run(folder: str, out_dir: Path, **parameters) -> nbformat.NotebookNode:
    # tests.notebook_runner.execute looks in notebooks/ first, where the student version lives.
    path = ROOT / folder / NAME
    out = out_dir / f"{folder}_{NAME}"
    pm.execute_notebook(str(path), str(out), parameters=parameters, cwd=str(path.parent),
                        kernel_name="python3", progress_bar=False, log_output=False)
    return nbformat.read(out, as_version=4)


def test_solution_with_a_small_sweep_and_30_epochs(tmp_path):
    result = summary(run("solutions", tmp_path, sweep_seeds=10, epochs=30))
    for name in ("rnn", "lstm", "gru"):
        assert result[name]["prediction"] == result[name]["target"] == "ohlol", name
        assert result[name]["converged_epoch"] is not None, name
    assert result["lstm"]["final_loss"] < 0.5 and result["gru"]["final_loss"] < 0.2
    assert result["parameters"] == {"rnn": 380, "lstm": 1292, "gru": 988}
    assert result["sweep_seeds"] == 10
    counts = result["sweep_counts"]
    for name in ("rnn", "lstm", "gru"):
        assert set(counts[name]) == {15, 30, 50} and counts[name][50] == 10, name
    assert counts["lstm"][15] < counts["gru"][15] <= counts["rnn"][15]


def test_the_student_version_stops_at_task_1_with_not_done(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run("notebooks", tmp_path)
    err = info.value
    assert err.ename == "NotDone"
    assert err.evalue.startswith("Task 1 is not done yet: replace `raise NotDone(1)`")
    assert err.source.strip() == "check_task1(LSTMModel)"  # it stops at task 1's check


def test_a_bad_parameter_stops_before_any_work(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run("solutions", tmp_path, sweep_seeds=0)
    assert info.value.ename == "ValueError"
    assert "sweep_seeds=0 is not allowed" in info.value.evalue
