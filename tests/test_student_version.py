"""The student version of the homework is exactly what `make student` makes from the solution,
is valid Python with one stub per solution region, and is kept away from nbval."""

from __future__ import annotations

import ast
import copy
import re
import subprocess
import sys

import nbformat
import pytest

from tools.paths import ROOT
from tools.prose_numbers import MARKER
from tools.run import expected_stop
from tools.student import (
    BEGIN,
    END,
    INSTRUCTOR_ONLY,
    KEEP_OUTPUT,
    LINT_NOTE,
    TEXT_STUB,
    first_task,
    is_instructor_only,
    is_student_version,
    make_student_notebook,
    strip_solutions,
    student_path,
    student_text,
    without_instructor_cells,
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


def test_student_version_is_marked_unexecuted_and_has_no_solution_left(solution, student):
    assert student.metadata["course"]["student_version"] is True
    assert is_student_version(STUDENT) and not is_student_version(SOLUTION)
    outputs = {c.id: c.outputs for c in solution.cells if c.cell_type == "code"}
    kept = []
    for cell in student.cells:
        assert BEGIN not in cell.source and END not in cell.source
        if cell.cell_type == "code":
            assert cell.execution_count is None
            if KEEP_OUTPUT in cell.metadata.get("tags", []):  # a figure, no solution
                kept.append(cell.id)
                assert cell.outputs == outputs[cell.id] and cell.outputs
                assert all(o.get("execution_count") is None for o in cell.outputs)
            else:
                assert cell.outputs == []
    assert kept == ["cell-08", "cell-11"]  # the LSTM and GRU diagrams, shown by decks


def test_a_cell_that_keeps_its_output_keeps_it_and_nothing_else():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    result = new_output("execute_result", data={"text/plain": "42"}, execution_count=3)
    figure = new_code_cell("draw()", execution_count=3, outputs=[result],
                           metadata={"tags": [KEEP_OUTPUT]})
    other = new_code_cell("print(1)", execution_count=4,
                          outputs=[new_output("stream", name="stdout", text="1\n")])
    student = make_student_notebook(new_notebook(cells=[new_code_cell("import x"), figure,
                                                        other]))
    assert student.cells[1].outputs[0].data == {"text/plain": "42"}
    assert student.cells[1].outputs[0].execution_count is None
    assert student.cells[1].execution_count is None
    assert student.cells[2].outputs == [] and student.cells[2].execution_count is None
    assert figure.outputs[0].execution_count == 3  # the solution is left as it was
    leaky = new_code_cell(f"x = 1\n{BEGIN}\ny = 2\n{END}", outputs=[result],
                          metadata={"tags": [KEEP_OUTPUT], "course": {"task": 1}})
    with pytest.raises(ValueError, match=f"^cell 1 is tagged '{KEEP_OUTPUT}' but holds a "
                                         "solution: its outputs would show the solution's "
                                         "results.$"):
        make_student_notebook(new_notebook(cells=[new_code_cell("import x"), leaky]))


def test_every_code_cell_of_the_student_version_is_valid_python(student):
    for index, cell in enumerate(student.cells):
        if cell.cell_type == "code":
            ast.parse(cell.source, filename=f"cell {index}")  # raises SyntaxError otherwise


def test_one_stub_per_solution_region_with_its_task_number(solution, student):
    for sol, stu in zip(without_instructor_cells(solution).cells, student.cells, strict=True):
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


def test_instructor_notes_stay_in_the_solution(solution, student):
    # Cells tagged instructor-only (the speaker notes for instructors, the answer to the
    # optional hidden-size part) are in solutions/ only.
    ids = [c.id for c in solution.cells if is_instructor_only(c)]
    assert ids == ["cell-01", "cell-40-hidden-size-table", "cell-43-gate-bias",
                   "cell-43-gate-bias-table", "cell-43-gate-bias-answer"]
    assert "task 4 is the hard one" in solution.cells[1].source
    assert not set(ids) & {c.id for c in student.cells}
    text = STUDENT.read_text(encoding="utf-8")
    assert "task 4 is the hard one" not in text and INSTRUCTOR_ONLY not in text


def test_the_student_version_does_not_give_task_5s_outcome_away(solution, student):
    # The recap and every other cell a student reads before doing task 5: no ranking of the
    # models, no count of the sweep (the task 5 model answer, in solutions/ only, has them).
    recap = next(c.source for c in student.cells if c.id == "cell-41")
    assert not re.search(r"\b(RNN|LSTM|GRU|gated)\b[^.;:]*\b(most|more|less|least|faster|"
                         r"slower|reliab\w*|better|worse)\b", recap, re.IGNORECASE), recap
    text = STUDENT.read_text(encoding="utf-8")
    for outcome in ("61/100", "88/100", "100/100", "most reliably", "need more epochs"):
        assert outcome not in text, outcome
    answer = next(c.source for c in solution.cells if c.id == "cell-40")
    answer = MARKER.sub("", answer)  # as it reads: without the markers of its numbers
    assert "61/100" in answer and "88/100" in answer  # the model answer keeps them


# The nbgrader cells of the solution: cell id, grade_id, points (None: a solution cell). The
# ids must stay stable: nbgrader's gradebook and a class's earlier submissions refer to them.
NBGRADER_CELLS = [
    ("cell-19", "task1", None), ("cell-20", "check_task1", 2),
    ("cell-22", "task2", None), ("cell-23", "check_task2", 2),
    ("cell-25", "task3_train", None), ("cell-26", "task3_plot", None),
    ("cell-27", "task3_table", None), ("cell-28", "check_task3", 3),
    ("cell-31", "task4_lstm", None), ("cell-32", "task4_gru", None),
    ("cell-33", "check_task4", 3),
    ("cell-37", "task5_sweep", None), ("cell-38", "task5_plot", None),
    ("cell-39", "check_task5", 3), ("cell-40", "task5_answer", 2),
    ("cell-40-hidden-size", "task5_hidden_size", None),
]


def test_nbgrader_cells_and_their_ids_are_stable(solution):
    found = [(c.id, c.metadata.nbgrader.grade_id, c.metadata.nbgrader.get("points"))
             for c in solution.cells if "nbgrader" in c.metadata]
    assert found == NBGRADER_CELLS
    for cell in solution.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            assert BEGIN not in cell.source  # a solution region only in a solution cell
            continue
        assert meta["schema_version"] == 3 and meta["task"] is False
        if meta["grade_id"].startswith("check_task"):  # a locked check, worth points
            assert meta["grade"] and meta["locked"] and not meta["solution"]
        else:  # a solution cell, with its solution region(s)
            assert meta["solution"] and not meta["locked"] and BEGIN in cell.source
    assert sum(points or 0 for *_, points in NBGRADER_CELLS) == 15


def test_each_check_cell_imports_its_own_check(solution, student):
    # A check_task1 that a student defines in a task cell is never the one that grades.
    for nb in (solution, student):
        checks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("locked")]
        assert [c.source.splitlines()[0] for c in checks] == [
            f"from course_utils.homework04 import check_task{n}" for n in range(1, 6)]
    imports = next(c for c in solution.cells if c.cell_type == "code")
    assert "check_task" not in imports.source


def test_the_nbgrader_source_is_the_solution_without_instructor_cells(solution, tmp_path):
    subprocess.run([sys.executable, "-m", "tools.student", "--nbgrader-source", str(tmp_path)],
                   cwd=ROOT, check=True, capture_output=True)
    written = nbformat.read(tmp_path / SOLUTION.name, as_version=4)
    assert nbformat.writes(written) == nbformat.writes(without_instructor_cells(solution))
    assert len(written.cells) == len(solution.cells) - 5


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


# The two rules that the two copies of strip_solutions had: the student version's matched a
# marker line exactly, the decks' its start. nbgrader, whose markers these are, takes any line
# that contains BEGIN SOLUTION / END SOLUTION; so does the one strip_solutions now, so that a
# marker with a note after it hides its code from students as nbgrader hides it.
@pytest.mark.parametrize("begin", [
    "### BEGIN SOLUTION",  # as the homework writes it
    "    ### BEGIN SOLUTION   ",  # indented, trailing blanks (both old rules)
    "### BEGIN SOLUTION (task 2)",  # a note after it: only the decks' rule saw a marker
    "# BEGIN SOLUTION",  # nbgrader's own delimiter with another comment prefix: neither did
])
def test_strip_solutions_takes_every_marker_that_nbgrader_takes(begin):
    indent = begin[: len(begin) - len(begin.lstrip())]
    source = f"x = 1\n{begin}\n{indent}secret = 2\n{indent}### END SOLUTION (task 2)\ny = 3"
    assert strip_solutions(source, "code", 2) == (
        f"x = 1\n{indent}# YOUR CODE HERE (task 2)\n{indent}raise NotDone(2)\ny = 3")
    # Without a task (a deck of a notebook that kept its solution): nbgrader's stub.
    assert strip_solutions(source, "code") == (
        f"x = 1\n{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError()\ny = 3")


def test_text_that_merely_resembles_a_marker_is_kept():
    source = "### BEGIN\nSOLUTION = 1\n# begin solution"
    assert strip_solutions(source, "code", 1) == source


@pytest.mark.parametrize(("source", "message"), [
    (f"{BEGIN}\nx = 1\n", "without"),
    (f"x = 1\n{END}\n", "without"),
    (f"{BEGIN}\n{BEGIN}\n{END}\n", "inside another"),
])
def test_strip_solutions_refuses_broken_regions(source, message):
    with pytest.raises(ValueError, match=f"cell 7: .*{message}"):
        strip_solutions(source, "code", 1, "cell 7")


def test_a_solution_cell_without_a_task_number_stops_the_student_version(solution):
    broken = copy.deepcopy(solution)
    cell = next(c for c in broken.cells if c.cell_type == "code" and BEGIN in c.source)
    del cell.metadata["course"]["task"]
    with pytest.raises(ValueError, match="no metadata.course.task"):
        make_student_notebook(broken)


def test_nbval_skips_student_versions_only(pytestconfig):
    conftest = next(p for p in pytestconfig.pluginmanager.get_plugins()
                    if getattr(p, "__file__", None) == str(ROOT / "conftest.py"))
    assert conftest.pytest_ignore_collect(STUDENT, pytestconfig) is True
    assert conftest.pytest_ignore_collect(SOLUTION, pytestconfig) is None
    assert conftest.pytest_ignore_collect(ROOT / "notebooks", pytestconfig) is None


def test_make_run_accepts_a_stop_at_task_1_only():
    import papermill as pm

    def error(ename, evalue):
        return pm.PapermillExecutionError(3, 11, "check_task1(LSTMModel)", ename, evalue, [])

    not_done = "Task {} is not done yet: replace `raise NotDone({})` ..."
    assert expected_stop(STUDENT, error("NotDone", not_done.format(1, 1))) == (
        "stops as expected at task 1 (student version)")
    assert expected_stop(STUDENT, error("NotDone", not_done.format(3, 3))) is None
    assert expected_stop(STUDENT, error("NameError", "name 'LSTMModel' is not defined")) is None
    assert expected_stop(SOLUTION, error("NotDone", not_done.format(1, 1))) is None


def region_and_given_lines(nb: nbformat.NotebookNode) -> tuple[set[str], set[str]]:
    """The lines (stripped, non-empty) between the solution markers of ``nb``, and those outside
    them in the cells a student gets (not ``instructor-only``): read here with a rule of this
    test's own, not the generator's."""
    region, given = set(), set()
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = False
            elif line.strip() and (inside or not is_instructor_only(cell)):
                (region if inside else given).add(line.strip())
    return region, given


def notebook_lines(nb: nbformat.NotebookNode) -> set[str]:
    """Every line (stripped) of every cell's source and outputs."""
    texts = []
    for cell in nb.cells:
        texts.append(cell.source)
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            texts += [str(value) for value in output.get("data", {}).values()]
            texts += output.get("traceback", [])
    return {line.strip() for text in texts for line in text.splitlines()}


def test_no_line_between_the_solution_markers_reaches_the_student_version(solution, student):
    region, given = region_and_given_lines(solution)
    hidden = region - given  # lines that a student version shows on purpose are not checked
    assert len(hidden) >= 20, "the solution should hide its code between the markers"
    for nb, where in ((student, "notebooks/"), (make_student_notebook(solution), "make student")):
        leaked = sorted(hidden & notebook_lines(nb))
        assert not leaked, f"solution lines in the student version ({where}): {leaked[:5]}"



def small_course(root, *, with_solution: bool = True):
    """A course folder with one homework solution (one task, one instructor-only cell) and a
    lesson without solutions."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    (root / "solutions").mkdir(parents=True)
    (root / "notebooks").mkdir()
    cells = [new_code_cell("import math"),
             new_markdown_cell("Task 1: write f."),
             new_code_cell(f"def f(x):\n    {BEGIN}\n    return math.sqrt(x)\n    {END}",
                           metadata={"course": {"task": 1}}),
             new_markdown_cell("Notes for instructors.", metadata={"tags": [INSTRUCTOR_ONLY]})]
    if not with_solution:
        cells = cells[:2]
    nbformat.write(new_notebook(cells=cells), root / "solutions" / "09_hw.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]),
                   root / "solutions" / "08_lesson.ipynb")


def test_make_student_writes_then_reports_up_to_date(tmp_path, capsys):
    from tools import student as tool

    small_course(tmp_path)
    assert tool.main(["--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out == ("written     notebooks/09_hw.ipynb  (from solutions/09_hw.ipynb)\n")
    written = nbformat.read(tmp_path / "notebooks" / "09_hw.ipynb", as_version=4)
    assert written.cells[2].source == (
        "def f(x):\n    # YOUR CODE HERE (task 1)\n    raise NotDone(1)")
    assert len(written.cells) == 3  # the instructor-only cell is left out
    assert not (tmp_path / "notebooks" / "08_lesson.ipynb").exists()  # no solutions: no copy
    assert tool.main(["--root", str(tmp_path), "--check"]) == 0
    assert tool.main(["--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "up to date  notebooks/09_hw.ipynb\n" * 2


def test_make_student_reads_and_writes_utf8_whatever_the_locale(tmp_path, utf8_only):
    from tools import student as tool

    small_course(tmp_path)
    assert tool.main(["--root", str(tmp_path)]) == 0  # writes
    assert tool.main(["--root", str(tmp_path)]) == 0  # reads, compares


def test_make_student_check_finds_a_stale_student_version_and_writes_nothing(tmp_path, capsys):
    from tools import student as tool

    small_course(tmp_path)
    stale = tmp_path / "notebooks" / "09_hw.ipynb"
    stale.write_text("{}")
    assert tool.main(["--root", str(tmp_path), "--check"]) == 1
    assert capsys.readouterr().out == (
        "OUT OF DATE notebooks/09_hw.ipynb  (run `make student`)\n")
    assert stale.read_text() == "{}"
    assert tool.main(["--root", str(tmp_path)]) == 0  # without --check: rewritten
    assert stale.read_text() == student_text(nbformat.read(
        tmp_path / "solutions" / "09_hw.ipynb", as_version=4))
    assert stale.read_text().endswith("}\n")


def test_the_nbgrader_source_keeps_the_solution_without_instructor_cells(tmp_path, capsys):
    from tools import student as tool

    small_course(tmp_path / "course")
    out = tmp_path / "source" / "hw"
    assert tool.main(["--root", str(tmp_path / "course"), "--nbgrader-source", str(out)]) == 0
    assert capsys.readouterr().out == f"written     {out / '09_hw.ipynb'}  (for nbgrader)\n"
    assert sorted(p.name for p in out.iterdir()) == ["09_hw.ipynb"]  # not the lesson
    nb = nbformat.read(out / "09_hw.ipynb", as_version=4)
    assert len(nb.cells) == 3 and BEGIN in nb.cells[2].source  # the solution stays
    assert not (tmp_path / "course" / "notebooks" / "09_hw.ipynb").exists()


def test_helpers_of_the_generator():
    from tools.student import has_solution, has_solutions, is_marker

    assert is_marker("  ### BEGIN SOLUTION  ", BEGIN) and not is_marker("### BEGIN", BEGIN)
    assert is_marker("# END SOLUTION", END) and not is_marker("# BEGIN SOLUTION", END)
    assert has_solution(f"x = 1\n{BEGIN}\ny\n{END}") and not has_solution("x = 1")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x"),
                                         nbformat.v4.new_code_cell(f"{BEGIN}\n{END}")])
    assert has_solutions(nb) and not has_solutions(nbformat.v4.new_notebook())
    assert first_task(nb) is None
    nb.cells[0].metadata["course"] = {"task": 3}
    nb.cells[1].metadata["course"] = {"task": 2}
    assert first_task(nb) == 2


def test_make_student_checks_the_real_course_by_default(capsys):
    from tools import student as tool

    assert tool.main(["--check"]) == 0  # no --root: this course, and it is up to date
    assert capsys.readouterr().out == "up to date  notebooks/04_homework_lstm_gru.ipynb\n"


def test_make_student_help_names_its_options(capsys):
    from tools import student as tool

    with pytest.raises(SystemExit):
        tool.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert text.startswith("usage: ")
    assert "`make student`: make the student version of every homework from its solution." in text
    assert "--check write nothing; exit 1 if a student version is out of date" in text
    assert ("--nbgrader-source DIR write each solution without its instructor-only cells into "
            "DIR (an nbgrader course's source/<assignment>/) and nothing else") in text
    assert "--root" not in text


def test_the_nbgrader_source_can_be_written_again(tmp_path):
    from tools import student as tool

    small_course(tmp_path / "course")
    args = ["--root", str(tmp_path / "course"), "--nbgrader-source", str(tmp_path / "src")]
    assert tool.main(args) == 0 and tool.main(args) == 0  # the folder exists: no error


def test_a_broken_region_names_its_cell_and_execution_metadata_goes(solution):
    broken = without_instructor_cells(solution)  # cells numbered as in the student version
    index, cell = next((i, c) for i, c in enumerate(broken.cells)
                       if c.cell_type == "code" and BEGIN in c.source)
    cell.source += f"\n{BEGIN}"
    with pytest.raises(ValueError, match=f"^cell {index}: '### BEGIN SOLUTION' without "
                                         "'### END SOLUTION'.$"):
        make_student_notebook(broken)
    timed = copy.deepcopy(solution)
    next(c for c in timed.cells if c.cell_type == "code").metadata["execution"] = {"x": 1}
    assert all("execution" not in c.metadata for c in make_student_notebook(timed).cells)


def test_a_solution_without_a_task_number_says_how_to_fix_it(solution):
    broken = without_instructor_cells(solution)
    index, cell = next((i, c) for i, c in enumerate(broken.cells)
                       if c.cell_type == "code" and BEGIN in c.source)
    del cell.metadata["course"]["task"]
    with pytest.raises(ValueError) as info:
        make_student_notebook(broken)
    assert str(info.value) == (
        f"cell {index} has a solution region but no metadata.course.task (the task number "
        "that its stub raises NotDone with).")


def test_edge_notebooks_of_the_generator():
    from nbformat.v4 import new_markdown_cell, new_notebook

    only_text = new_notebook(cells=[new_markdown_cell(f"Why?\n{BEGIN}\nBecause.\n{END}")])
    only_text.metadata["widgets"] = {"state": {}}  # widget state of the executed solution
    student = make_student_notebook(only_text)  # no code cell: no imports cell to annotate
    assert student.cells[0].source == f"Why?\n{TEXT_STUB}"
    assert "widgets" not in student.metadata and "widgets" in only_text.metadata
    with pytest.raises(ValueError, match=r"^cell: '### BEGIN SOLUTION' without"):
        strip_solutions(f"{BEGIN}\nx = 1", "code", 1)  # the default name of the place


def test_make_student_help_keeps_the_layout_of_its_description(capsys):
    from tools import student as tool

    with pytest.raises(SystemExit):
        tool.main(["--help"])
    assert "\n- in a code cell, each region from ``### BEGIN SOLUTION``" in capsys.readouterr().out
