"""The student version of the homework is exactly what `make student` makes from the solution,
is valid Python with one stub per solution region, and is kept away from nbval."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from make_student_version import (  # noqa: E402
    BEGIN,
    END,
    LINT_NOTE,
    TEXT_STUB,
    first_task,
    is_student_version,
    make_student_notebook,
    strip_solutions,
    student_path,
    student_text,
)

SOLUTION = ROOT / "solutions" / "04_homework_lstm_gru.ipynb"
STUDENT = ROOT / "notebooks" / "04_homework_lstm_gru.ipynb"


@pytest.fixture(scope="module")
def solution():
    return nbformat.read(SOLUTION, as_version=4)


@pytest.fixture(scope="module")
def student():
    return nbformat.read(STUDENT, as_version=4)


def test_the_stored_student_version_is_what_the_generator_makes(solution):
    assert student_path(SOLUTION) == STUDENT
    assert STUDENT.read_text(encoding="utf-8") == student_text(solution), (
        "notebooks/04_homework_lstm_gru.ipynb is out of date: run `make student` "
        "(after `make refresh` if the solution changed)")


def test_student_version_is_marked_unexecuted_and_has_no_solution_left(student):
    assert student.metadata["course"]["student_version"] is True
    assert is_student_version(STUDENT) and not is_student_version(SOLUTION)
    for cell in student.cells:
        assert BEGIN not in cell.source and END not in cell.source
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_every_code_cell_of_the_student_version_is_valid_python(student):
    for index, cell in enumerate(student.cells):
        if cell.cell_type == "code":
            ast.parse(cell.source, filename=f"cell {index}")  # raises SyntaxError otherwise


def test_one_stub_per_solution_region_with_its_task_number(solution, student):
    for sol, stu in zip(solution.cells, student.cells, strict=True):
        regions = sol.source.count(BEGIN)
        if sol.cell_type == "markdown":
            assert stu.source.count(TEXT_STUB) == regions
            continue
        task = sol.metadata.get("course", {}).get("task")
        assert stu.source.count(f"raise NotDone({task})") == regions
        if regions:
            assert stu.metadata["nbgrader"]["solution"] is True  # nbgrader metadata kept
    tasks = [c.metadata["course"]["task"] for c in solution.cells
             if "course" in c.metadata and c.cell_type == "code"]
    assert sorted(set(tasks)) == [1, 2, 3, 4, 5] and first_task(solution) == 1


def test_only_the_imports_cell_gets_the_lint_note(student):
    code = [c for c in student.cells if c.cell_type == "code"]
    assert code[0].source.startswith(LINT_NOTE + "\n")
    assert all(LINT_NOTE not in c.source for c in code[1:])


def test_make_student_notebook_leaves_the_solution_unchanged(solution):
    before = nbformat.writes(solution)
    make_student_notebook(solution)
    assert nbformat.writes(solution) == before


def test_strip_solutions_keeps_the_indentation_and_the_code_around():
    source = ("def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n"
              "    ### END SOLUTION\n")
    assert strip_solutions(source, "code", 2) == (
        "def f(x):\n    y = 1\n    # YOUR CODE HERE (task 2)\n    raise NotDone(2)\n")
    text = "Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"
    assert strip_solutions(text, "markdown", None) == f"Why?\n\n{TEXT_STUB}"
    assert strip_solutions("x = 1", "code", None) == "x = 1"


@pytest.mark.parametrize(("source", "task", "message"), [
    (f"{BEGIN}\nx = 1\n", 1, "without"),
    (f"x = 1\n{END}\n", 1, "without"),
    (f"{BEGIN}\n{BEGIN}\n{END}\n", 1, "inside another"),
    (f"{BEGIN}\nx = 1\n{END}\n", None, "no metadata.course.task"),
])
def test_strip_solutions_refuses_broken_regions(source, task, message):
    with pytest.raises(ValueError, match=message):
        strip_solutions(source, "code", task, "cell 7")


def test_nbval_skips_student_versions_only(pytestconfig):
    conftest = next(p for p in pytestconfig.pluginmanager.get_plugins()
                    if getattr(p, "__file__", None) == str(ROOT / "conftest.py"))
    assert conftest.pytest_ignore_collect(STUDENT, pytestconfig) is True
    assert conftest.pytest_ignore_collect(SOLUTION, pytestconfig) is None
    assert conftest.pytest_ignore_collect(ROOT / "notebooks", pytestconfig) is None


def test_make_run_accepts_a_stop_at_task_1_only():
    import papermill as pm
    from run_notebooks import expected_stop

    def error(ename, evalue):
        return pm.PapermillExecutionError(3, 11, "check_task1(LSTMModel)", ename, evalue, [])

    not_done = "Task {} is not done yet: replace `raise NotDone({})` ..."
    assert expected_stop(STUDENT, error("NotDone", not_done.format(1, 1))) == (
        "stops as expected at task 1 (student version)")
    assert expected_stop(STUDENT, error("NotDone", not_done.format(3, 3))) is None
    assert expected_stop(STUDENT, error("NameError", "name 'LSTMModel' is not defined")) is None
    assert expected_stop(SOLUTION, error("NotDone", not_done.format(1, 1))) is None
