"""A test that needs a missing program skips on a student's machine and fails in CI."""

import sys
from pathlib import Path

import pytest

from tests.external_tools import in_ci, require

ABSENT = "no-such-program-for-the-course"


def test_a_missing_program_skips_with_its_name_and_how_to_install(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"slide tests need {ABSENT}, not found"):
        require([ABSENT], "the slide tests")


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_a_missing_program_fails_in_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match="CI=true: a missing program is a failure"):
        require([ABSENT], "the slide tests")


def test_programs_on_path_pass(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    require([Path(sys.executable).name], "these tests")  # no exception


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_ci_unset_or_false_is_a_student_run(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    assert not in_ci()
