"""The suite itself: a test file cannot drop out unnoticed.

Every file that MARKERS (tests/conftest.py) names exists, every test file is named there (the
conftest refuses an unmarked one at collection), every lesson has its papermill test and every
homework its own, and the slow files that `make test` leaves to `make test-slow` exist. A test
file deleted by mistake, or a lesson added without its test, fails here.
"""

from __future__ import annotations

import re

from tests.conftest import MARKERS
from tools.paths import ROOT, course_notebooks, is_student_version

TESTS = ROOT / "tests"


def test_every_file_that_markers_names_exists():
    listed = [name for names in MARKERS.values() for name in names]
    assert len(listed) == len(set(listed)), "a file is listed twice in MARKERS"
    missing = sorted(name for name in listed if not (TESTS / name).is_file())
    assert not missing, f"MARKERS names test files that are gone: {missing}"


def test_every_test_file_is_in_markers():
    listed = {name for names in MARKERS.values() for name in names}
    files = {p.name for p in TESTS.glob("test_*.py")}
    assert files - listed == set(), "add these to MARKERS in tests/conftest.py"


def test_every_lesson_and_homework_has_its_own_test_file():
    """ARCHITECTURE.md, "Adding a lesson": tests/test_lessonNN.py runs the lesson with other
    parameters; the homework's solution has tests/test_homeworkNN.py."""
    wanted = set()
    for notebook in course_notebooks():
        number = notebook.name[:2]
        if notebook.parent.name == "solutions":
            wanted.add(f"test_homework{number}.py")
        elif not is_student_version(notebook):
            wanted.add(f"test_lesson{number}.py")
    assert len(wanted) >= 7
    missing = sorted(name for name in wanted if not (TESTS / name).is_file())
    assert not missing, f"lessons without their test file: {missing}"
    assert set(MARKERS["notebook"]) >= wanted


def test_the_slow_files_exist_and_are_the_slow_markers():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    slow = re.search(r"^SLOW_TESTS := (.*)$", makefile, re.M).group(1).split()
    assert all((ROOT / path).is_file() for path in slow), slow
    browser = {f"tests/{name}" for name in MARKERS["browser"]}
    assert browser <= set(slow), "the browser tests belong to make test-slow"
