"""environment.yml, pyproject.toml and the lock agree on packages and pins."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines) -> dict[str, str]:
    found = {}
    for line in lines:
        match = PIN.match(line.strip())
        if match:
            found[canonical(match.group(1))] = match.group(2)
    return found


def lock() -> dict[str, str]:
    return pins((ROOT / "requirements/lock.txt").read_text().splitlines())


def environment_lines() -> list[str]:
    # Only the list items of environment.yml; enough for its simple, flat layout.
    lines = (ROOT / "environment.yml").read_text().splitlines()
    return [line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")]


def test_lock_pins_torch_without_a_local_build_tag():
    assert lock()["torch"] == "2.13.0"


def test_pyproject_pins_match_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += extra
    declared_pins = pins(declared)
    assert declared_pins, "pyproject.toml pins nothing"
    unpinned = [d for d in declared if not PIN.match(d)]
    assert not unpinned, f"unpinned dependencies in pyproject.toml: {unpinned}"
    locked = lock()
    for name, version in declared_pins.items():
        assert locked.get(name) == version, f"{name}: pyproject {version}, lock {locked.get(name)}"


def test_environment_yml_installs_the_lock_with_python_311():
    items = environment_lines()
    assert "python=3.11" in items
    assert "-r requirements/lock.txt" in items and "-e ." in items
    locked = lock()
    for name, version in pins(items).items():
        assert locked.get(name) == version, (
            f"{name}: environment.yml {version}, lock {locked.get(name)}")


def test_lock_is_fully_pinned():
    lines = [line.strip() for line in (ROOT / "requirements/lock.txt").read_text().splitlines()]
    loose = [line for line in lines if line and not line.startswith("#") and not PIN.match(line)]
    assert not loose, f"unpinned lines in the lock: {loose}"
