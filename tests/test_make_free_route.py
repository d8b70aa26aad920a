"""The README's route without make (Windows, macOS) works: its commands, read from the README,
run in a copy of the course in a temporary folder: a fresh venv, the lock, the package, the lab,
then plain `pytest` on a subset, which must pick up the suite's options from pyproject.toml.

Made quick (it installed a whole venv, 90-265 s here) without changing what it proves, that the
README's commands in their order make a working course:
- the fresh venv sees this environment's packages (a .pth file names its site-packages, and it
  is made without its own pip, which that site-packages has), so `pip install -r
  requirements/lock.txt` finds every pin satisfied instead of downloading and unpacking torch.
  That the lock installs from scratch is proven by `make install` in CI's fresh clone
  (`.ci/run`) and by `make pythons`;
- the last command, plain pytest, runs a unit test module and nbval over a one-cell notebook
  that imports the copy's course_utils: that shows pytest's options (two workers, nbval) come
  from pyproject.toml; nbval of every lesson in this environment is the main suite's job.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from tools.notebooks import KERNELSPEC
from tools.paths import ROOT

README = ROOT / "README.md"
# The subset that the last command (plain pytest) runs in the copy: a unit test module and a
# one-cell notebook under nbval, with no option on the command line.
PROBE = "notebooks/00_route_probe.ipynb"
SUBSET = ["tests/test_text.py", PROBE]
NOT_COPIED = shutil.ignore_patterns(".venv", "build", ".git", "node_modules", "__pycache__",
                                    "my-notebooks",
                                    ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache")

pytestmark = [pytest.mark.notebook, pytest.mark.timeout(300)]


def route(system: str) -> list[str]:
    """The commands of the README's block marked ``<!-- make-free route: system -->``."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- make-free route: {system} -->\s*```\w*\n(.*?)```", text, re.DOTALL)
    assert found, f"README.md has no block marked 'make-free route: {system}'"
    return [line.strip() for line in found.group(1).splitlines() if line.strip()]


def share_this_environment(venv: Path) -> None:
    """Let the fresh venv import this environment's packages after its own (see the module's
    docstring): one line in a .pth file of its site-packages."""
    done = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True)
    (Path(done.stdout.strip()) / "zz_course_test_shares_its_env.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")


def write_probe(course: Path) -> None:
    """A one-cell notebook whose stored output nbval compares: where course_utils comes from."""
    cell = new_code_cell("import pathlib\n\nimport course_utils\n\n"
                         "print(pathlib.Path(course_utils.__file__).parent.parent.name)",
                         execution_count=1)
    cell.outputs = [new_output("stream", name="stdout", text=f"{course.name}\n")]
    nbformat.write(new_notebook(cells=[cell], metadata={"kernelspec": dict(KERNELSPEC)}),
                   course / PROBE)


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
    write_probe(course)
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH"} and not k.startswith("PYTEST_")}
    output = {}
    for command in commands:
        args = shlex.split(command)
        if args[0] == "python3":
            args[0] = sys.executable  # the Python running the tests stands for the student's
        if args[1:] == ["-m", "venv", ".venv"]:
            args.insert(3, "--without-pip")  # pip comes from this environment (docstring)
        if args[1:] == ["-m", "tools.lab"]:
            args.append("--sync-only")  # the student's copy, without the server (it would not
            # return); the kernel it registers is checked by tests/test_lab.py
        if args[1:] == ["-m", "pytest"]:
            args += ["-v", *SUBSET]  # -v only to name each item; nbval comes from pyproject
        result = subprocess.run(args, cwd=course, env=env, capture_output=True, text=True,
                                timeout=250)
        assert result.returncode == 0, (
            f"`{command}` failed (exit {result.returncode}):\n{result.stdout[-3000:]}"
            f"{result.stderr[-3000:]}")
        output[command] = result.stdout
        if args[1:3] == ["-m", "venv"]:
            share_this_environment(course / ".venv")
    # The lock was satisfied from this environment (nothing downloaded).
    lock = next(out for command, out in output.items() if "requirements/lock.txt" in command)
    assert "Requirement already satisfied: torch==" in lock, lock[-2000:]
    # Plain pytest took its options from pyproject.toml: two workers, nbval over the notebook,
    # whose kernel imported the copy's course_utils (the package installed by the route).
    assert "created: 2/2 workers" in result.stdout, result.stdout[-2000:]
    assert re.search(r"PASSED notebooks/00_route_probe\S*::Cell 0", result.stdout), (
        result.stdout[-2000:])
    assert re.search(r"PASSED tests/test_text.py::", result.stdout), result.stdout[-2000:]
    assert " failed" not in result.stdout.splitlines()[-1], result.stdout[-2000:]
    # tools.lab made the student's copy, and the tests left it alone.
    assert (course / "my-notebooks" / "01_rnncell_onehot.ipynb").is_file()
