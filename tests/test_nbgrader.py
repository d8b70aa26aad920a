"""Homework 04 with nbgrader, for real: the README's grading commands in a temporary nbgrader
course folder. generate_assignment makes the release; autograde scores three submissions: the
solution, the release as handed out, and one wrong answer (a GRU cell with r and z swapped) that
also defines a fake check_task4 that passes (it must not count). nbgrader is an instructors'
extra (`make instructor`, requirements/instructor.txt): without it these tests are skipped, in
CI (CI=true) they fail. They take about a minute: `make test-slow` runs them, after `make test`
in CI (`.ci/run`).
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.external_tools import in_ci
from tools.paths import ROOT

NAME = "04_homework_lstm_gru.ipynb"
ASSIGNMENT = "hw04"
INSTRUCTOR = ROOT / "requirements" / "instructor.txt"


README = ROOT / "README.md"
MARKER = "<!-- nbgrader grading commands (tests/test_nbgrader.py runs them) -->"
FOLDER = "~/rnn-grading"  # the README's course folder; the tests use a temporary one


def readme_commands() -> list[str]:
    """The commands of the README's nbgrader block, without comments."""
    text = README.read_text(encoding="utf-8")
    assert MARKER in text, "README.md lost its nbgrader grading block"
    block = text.split(MARKER, 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.split("#")[0].strip() for line in block.splitlines()
            if line.split("#")[0].strip()]


def test_the_readme_shows_the_commands_that_these_tests_run():
    assert readme_commands() == [
        "make instructor",
        ". .venv/bin/activate",
        f"python -m tools.student --nbgrader-source {FOLDER}/source/{ASSIGNMENT}",
        f"cd {FOLDER}",
        f"nbgrader generate_assignment {ASSIGNMENT}",
        f"nbgrader autograde {ASSIGNMENT} --create",
        "nbgrader export",
    ]


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            found[re.sub(r"[-_.]+", "-", name.split(";")[0].strip().lower())] = version
    return found


def test_the_instructor_extra_is_pinned_and_changes_no_pin_of_the_lock():
    lines = [line.split("#")[0].strip() for line in INSTRUCTOR.read_text().splitlines()]
    lines = [line for line in lines if line]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", x) for x in lines)
    assert "nbgrader" in pins(INSTRUCTOR)
    assert not set(pins(INSTRUCTOR)) & set(pins(ROOT / "requirements" / "lock.txt"))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    try:
        import nbgrader  # noqa: F401
    except ImportError:
        reason = ("the nbgrader tests need nbgrader, an instructors' extra: `make instructor` "
                  "(pip install -r requirements/instructor.txt)")
        if in_ci():
            pytest.fail(f"{reason}. CI=true: a missing extra is a failure here.", pytrace=False)
        pytest.skip(reason)
    return tmp_path_factory.mktemp("nbgrader-course")


def run_readme_command(command: str, course: Path) -> None:
    """One command of the README's block, in ``course`` instead of ~/rnn-grading, with this
    Python (the venv's) as `python` and `nbgrader`, and the venv's bin folder first on PATH, as
    after `. .venv/bin/activate` (nbgrader runs `alembic` from PATH)."""
    words = command.replace(FOLDER, str(course)).split()
    if words[0] == "python":
        argv, cwd = [sys.executable, *words[1:]], ROOT
    else:
        assert words[0] == "nbgrader", command
        argv, cwd = [sys.executable, "-m", "nbgrader", *words[1:]], course
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def submit(course: Path, student: str, nb: nbformat.NotebookNode) -> None:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / NAME)


def grade_cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.fixture(scope="module")
def grades(course) -> dict[str, dict[str, str]]:
    # The README's commands: make instructor and activating the venv are done (this is the
    # venv's Python, with nbgrader); cd is `cwd`.
    commands = [c for c in readme_commands() if c.split()[0] in ("python", "nbgrader")]
    prepare, generate, grade = commands[0], commands[1], commands[2:]
    run_readme_command(prepare, course)
    source = course / "source" / ASSIGNMENT
    # Quicker: 10 seeds in task 5's sweeps (the parameters cell is no graded cell).
    nb = nbformat.read(source / NAME, as_version=4)
    parameters = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    parameters.source = re.sub(r"(?m)^sweep_seeds = \d+", "sweep_seeds = 10", parameters.source)
    nbformat.write(nb, source / NAME)

    run_readme_command(generate, course)
    release = nbformat.read(course / "release" / ASSIGNMENT / NAME, as_version=4)
    solution = nbformat.read(source / NAME, as_version=4)
    submit(course, "solution", solution)
    submit(course, "release", release)
    # A GRU cell with r and z swapped, whose task cell also defines a check_task4 that passes:
    # if the fake counted, this would score like the solution.
    swapped = nbformat.read(source / NAME, as_version=4)
    cell = grade_cell(swapped, "task4_gru")
    old = "    r = torch.sigmoid(x_r + h_r)\n    z = torch.sigmoid(x_z + h_z)\n"
    assert old in cell.source
    cell.source = cell.source.replace(old, "    z = torch.sigmoid(x_r + h_r)\n"
                                           "    r = torch.sigmoid(x_z + h_z)\n")
    cell.source += '\n\ncheck_task4 = lambda *a, **k: print("Task 4 passed.")  # noqa: E731\n'
    submit(course, "swapped", swapped)

    for command in grade:  # autograde, export
        run_readme_command(command, course)
    with open(course / "grades.csv", newline="") as f:
        return {row["student_id"]: row for row in csv.DictReader(f)}


def test_the_release_has_nbgraders_stubs_and_no_instructor_cells(course, grades):
    release = nbformat.read(course / "release" / ASSIGNMENT / NAME, as_version=4)
    text = "\n".join(c.source for c in release.cells)
    assert "### BEGIN SOLUTION" not in text and "raise NotImplementedError()" in text
    assert "for instructors only" not in text and "instructor-only" not in str(release)
    checks = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("locked")]
    assert [c.source.splitlines()[0] for c in checks if "check_task" in c.source] == [
        f"from course_utils.homework04 import check_task{n}" for n in range(1, 6)]


@pytest.mark.parametrize(("student", "score"), [
    ("solution", 13.0),  # every check passes; task 5's written answer (2 points) is graded by hand
    ("release", 0.0),  # as handed out: every check says "not done yet"
    ("swapped", 10.0),  # task 4's check fails (3 points); its own fake check_task4 does not count
])
def test_autograde_scores(grades, student, score):
    row = grades[student]
    assert float(row["max_score"]) == 15.0  # 2 + 2 + 3 + 3 + 3 checked, 2 graded by hand
    assert float(row["raw_score"]) == score, row
