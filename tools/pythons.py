"""Install requirements/lock.txt on every Python 3.11, 3.12 and 3.13 found here and test it.

For each interpreter: a fresh venv in build/pythons/<version>/, then what `make install` does
(`pip install -r requirements/lock.txt`, `pip install --no-deps --no-build-isolation -e .`, the
`python3` kernelspec inside the venv), then in that venv the unit tests (`pytest -m unit tests`,
as `make check` runs them) and nbval over notebooks/ and solutions/ (two workers), with the
environment of `make test`. One line per Python at the end; the exit status is non-zero if
any Python failed.

Interpreters: python3.11, python3.12 and python3.13 on PATH, those under ~/.pyenv/versions/,
the `py` launcher on Windows and /usr/bin/python3; one per minor version (the first that runs).
`--python PATH` (repeatable) picks them instead, all of them, even several of one minor version.

    python -m tools.pythons
    python -m tools.pythons --python /usr/bin/python3 --keep
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.paths import NOTEBOOK_DIRS, ROOT

PYTHONS_DIR = ROOT / "build" / "pythons"
LOCK = "requirements/lock.txt"
MINORS = ((3, 11), (3, 12), (3, 13))
# pyproject.toml and conftest.py give pytest the suite's options and environment (two workers,
# nbval, one torch thread, ...), as for `make test`; only what to run is chosen here.
PYTEST = ["-m", "pytest", "-q", "--rootdir", str(ROOT)]
UNIT_TESTS = ["-m", "unit", "tests"]  # the markers: pyproject.toml, tests/conftest.py
NBVAL = list(NOTEBOOK_DIRS)
PROBE = "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)"


@dataclass
class Interpreter:
    """A Python that ran and said which version it is."""

    path: Path  # sys.executable as it reported it (or as given, when it did not run)
    version: str  # e.g. "3.12.1"
    problem: str = ""  # why an interpreter given with --python cannot be tested

    @property
    def minor(self) -> tuple[int, int]:
        major, minor = self.version.split(".")[:2]
        return int(major), int(minor)


@dataclass
class Result:
    """What happened to one Python."""

    interpreter: Interpreter
    install_s: float = 0.0
    steps: dict[str, tuple[bool, float]] = field(default_factory=dict)  # name -> (ok, seconds)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.steps) and all(ok for ok, _ in self.steps.values())


def probe(command: str | Path) -> Interpreter | str:
    """Run `command` to learn its version; the reason it does not count, as a str, otherwise."""
    try:
        done = subprocess.run([str(command), "-c", PROBE], capture_output=True, text=True,
                              timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"does not run ({error.__class__.__name__})"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or len(lines) != 2:
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[0]
        return f"does not run ({reason})"
    version, executable = lines
    interpreter = Interpreter(Path(executable), version)
    if interpreter.minor not in MINORS:
        return f"is Python {version}, not 3.11-3.13"
    return interpreter


def candidates() -> list[str]:
    """Every place where a Python 3.11-3.13 may be, best first."""
    found: list[str] = []
    for major, minor in MINORS:
        on_path = shutil.which(f"python{major}.{minor}")
        if on_path:
            found.append(on_path)
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for versions in (pyenv / "versions", pyenv / "pyenv-win" / "versions"):
        if not versions.is_dir():
            continue
        for home in sorted(versions.iterdir(), key=version_key, reverse=True):
            for major, minor in MINORS:
                for name in (f"bin/python{major}.{minor}", "python.exe"):
                    if (home / name).is_file() and home.name.startswith(f"{major}.{minor}"):
                        found.append(str(home / name))
    launcher = shutil.which("py") if os.name == "nt" else None
    if launcher:
        for major, minor in MINORS:
            try:
                done = subprocess.run([launcher, f"-{major}.{minor}", "-c",
                                       "import sys; print(sys.executable)"],
                                      capture_output=True, text=True, timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if done.returncode == 0 and done.stdout.strip():
                found.append(done.stdout.strip())
    if Path("/usr/bin/python3").is_file():
        found.append("/usr/bin/python3")
    return list(dict.fromkeys(found))


def version_key(home: Path) -> tuple[int, ...]:
    """3.11.10 after 3.11.7: pyenv's folder names compared as numbers."""
    numbers = []
    for part in home.name.split("."):
        digits = "".join(c for c in part if c.isdigit())
        numbers.append(int(digits) if digits else -1)
    return tuple(numbers)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or os.path.samefile(a, b)
    except OSError:
        return False


def choose(explicit: list[str]) -> tuple[list[Interpreter], list[str]]:
    """The interpreters to test, and a note for each candidate that was left out."""
    chosen: list[Interpreter] = []
    notes: list[str] = []
    for command in explicit or candidates():
        if explicit and os.sep not in command and "/" not in command:
            command = shutil.which(command) or command
        found = probe(command)
        if isinstance(found, str):
            if explicit:  # asked for: not testing it is a failure, not a note
                chosen.append(Interpreter(Path(command), "?", f"{command} {found}"))
            else:
                notes.append(f"{command} {found}")
            continue
        if any(same_file(found.path, other.path) for other in chosen if not other.problem):
            notes.append(f"{command}: same interpreter as one already chosen")
            continue
        if not explicit and any(found.minor == other.minor for other in chosen):
            notes.append(f"{command} ({found.version}): Python {found.minor[0]}.{found.minor[1]}"
                         " already chosen")
            continue
        chosen.append(found)
    if not explicit:
        chosen.sort(key=lambda interpreter: interpreter.minor)
    return chosen, notes


def venv_python(venv: Path) -> Path:
    """The venv's interpreter: Scripts/python.exe on Windows, bin/python elsewhere."""
    options = [venv / "Scripts" / "python.exe", venv / "bin" / "python"]
    if os.name != "nt":
        options.reverse()
    return next((option for option in options if option.is_file()), options[0])


def venv_dir(interpreter: Interpreter, taken: set[Path]) -> Path:
    venv = PYTHONS_DIR / interpreter.version
    number = 2
    while venv in taken:  # two interpreters of one version, given with --python
        venv = PYTHONS_DIR / f"{interpreter.version}-{number}"
        number += 1
    taken.add(venv)
    return venv


def run(command: list[str], env: dict[str, str]) -> tuple[bool, float]:
    """Run in the repository root; its output goes straight to ours. (ok, seconds)"""
    print("$", " ".join(command), flush=True)
    start = time.perf_counter()
    status = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL).returncode
    return status == 0, time.perf_counter() - start


def venv_env(venv: Path, python: Path) -> dict[str, str]:
    """This process's environment with the venv first on PATH, as if it were activated."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV")}
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = os.pathsep.join([str(python.parent), env.get("PATH", "")])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def test_one(interpreter: Interpreter, venv: Path, keep: bool) -> Result:
    result = Result(interpreter)
    if interpreter.problem:
        result.error = interpreter.problem
        return result
    print(f"\n== Python {interpreter.version} ({interpreter.path}) in {venv}", flush=True)
    start = time.perf_counter()
    python = venv_python(venv)
    if not (keep and python.is_file()):
        if venv.exists():
            shutil.rmtree(venv)
        venv.parent.mkdir(parents=True, exist_ok=True)
        ok, _ = run([str(interpreter.path), "-m", "venv", str(venv)], dict(os.environ))
        python = venv_python(venv)
        if not ok or not python.is_file():
            result.error = "venv failed (on Debian: apt-get install python3-venv)"
            return result
    env = venv_env(venv, python)
    installs = [
        ["-m", "pip", "install", "--quiet", "-r", LOCK],
        ["-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", "."],
        # As `make install` does: the kernel that nbclient and papermill start is this venv's.
        ["-m", "tools.notebooks", "install-kernel"],
    ]
    for arguments in installs:
        ok, _ = run([str(python), *arguments], env)
        if not ok:
            result.error = f"install failed: {' '.join(arguments[:3])}"
            break
    result.install_s = time.perf_counter() - start
    if result.error:
        return result
    result.steps["unit"] = run([str(python), *PYTEST, *UNIT_TESTS], env)
    result.steps["nbval"] = run([str(python), *PYTEST, *NBVAL], env)
    return result


def summary(result: Result) -> str:
    interpreter = result.interpreter
    line = f"Python {interpreter.version:<8} install {result.install_s:6.0f} s"
    for name, (ok, seconds) in result.steps.items():
        line += f"  {name} {seconds:6.0f} s {'passed' if ok else 'FAILED'}"
    if result.error:
        line += f"  {result.error}"
    return f"{'PASS' if result.ok else 'FAIL'}  {line}  ({interpreter.path})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", default=[], metavar="PATH",
                        help="an interpreter to test (repeatable); default: every Python "
                             "3.11-3.13 found, one per minor version")
    parser.add_argument("--keep", action="store_true",
                        help="reuse the venv in build/pythons/<version>/ if there is one")
    args = parser.parse_args(argv)

    interpreters, notes = choose(args.python)
    for note in notes:
        print(f"skipped: {note}")
    if not interpreters:
        print("error: no Python 3.11, 3.12 or 3.13 found; pass one with --python PATH")
        return 2
    print("testing:", ", ".join(f"{i.version} ({i.path})" for i in interpreters), flush=True)
    taken: set[Path] = set()
    results = [test_one(i, venv_dir(i, taken), args.keep) for i in interpreters]
    print("\n== Summary (seconds; unit: pytest -m unit tests; nbval: notebooks, "
          "solutions)")
    for result in results:
        print(summary(result))
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
