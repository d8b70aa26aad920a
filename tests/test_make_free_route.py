"""The README's route without make (Windows, macOS) works: its commands, read from the README,
run in a copy of the course in a temporary folder: a fresh venv, the lock, the package, then
plain `pytest` on a subset, which must pick up the suite's options from pyproject.toml."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# The subset that the last command (plain pytest) runs in the copy: a unit test module and one
# notebook under nbval, with no option on the command line.
SUBSET = ["tests/test_text.py", "notebooks/01_rnncell_onehot.ipynb"]
NOT_COPIED = shutil.ignore_patterns(".venv", "build", ".git", "node_modules", "__pycache__",
                                    "my-notebooks",
                                    ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache")

pytestmark = [pytest.mark.notebook, pytest.mark.timeout(900)]


def route(system: str) -> list[str]:
    """The commands of the README's block marked ``<!-- make-free route: system -->``."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- make-free route: {system} -->\s*```\w*\n(.*?)```", text, re.DOTALL)
    assert found, f"README.md has no block marked 'make-free route: {system}'"
    return [line.strip() for line in found.group(1).splitlines() if line.strip()]


def test_windows_route_is_the_posix_route_with_windows_paths():
    as_posix = []
    for line in route("windows"):
        line = re.sub(r"^py -3\.1[123] ", "python3 ", line)
        as_posix.append(line.replace(".venv\\Scripts\\", ".venv/bin/").replace("\\", "/"))
    assert as_posix == route("posix")


def test_the_route_installs_and_tests_a_fresh_copy(tmp_path):
    commands = route("posix")
    assert commands[0] == "python3 -m venv .venv"
    assert commands[-1] == ".venv/bin/python -m pytest"
    assert any(c.endswith("-m tools.lab") for c in commands), "the route must open the lab"
    course = tmp_path / "course"
    shutil.copytree(ROOT, course, ignore=NOT_COPIED)
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH"} and not k.startswith("PYTEST_")}
    for command in commands:
        args = shlex.split(command)
        if args[0] == "python3":
            args[0] = sys.executable  # the Python running the tests stands for the student's
        if args[1:] == ["-m", "tools.lab"]:
            args.append("--sync-only")  # the student's copy, without the server (it would not
            # return); the kernel it registers is checked by tests/test_lab.py
        if args[1:] == ["-m", "pytest"]:
            args += ["-v", *SUBSET]  # -v only to name each item; nbval comes from pyproject
        result = subprocess.run(args, cwd=course, env=env, capture_output=True, text=True,
                                timeout=800)
        assert result.returncode == 0, (
            f"`{command}` failed (exit {result.returncode}):\n{result.stdout[-3000:]}"
            f"{result.stderr[-3000:]}")
    # Plain pytest took its options from pyproject.toml: two workers, nbval over the notebook.
    assert "created: 2/2 workers" in result.stdout, result.stdout[-2000:]
    assert re.search(r"PASSED notebooks/01_rnncell_onehot\S*::Cell \d+", result.stdout), (
        result.stdout[-2000:])
    assert " failed" not in result.stdout.splitlines()[-1], result.stdout[-2000:]
    # tools.lab made the student's copy, and the tests left it alone.
    assert (course / "my-notebooks" / "01_rnncell_onehot.ipynb").is_file()
