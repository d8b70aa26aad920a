"""environment.yml, pyproject.toml and the lock agree on packages and pins.

The lock serves Python 3.11 (every patch release), 3.12 and 3.13: what differs by Python is a
line with an environment marker, `name==version ; python_version == "3.12"`.
"""

import re
import tomllib

from packaging.markers import Marker
from packaging.specifiers import SpecifierSet

from tools.paths import ROOT

# name==version, optionally followed by `; marker` (PEP 508 environment marker).
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)(?:\s*;\s*(\S.*))?$")
# The Pythons that the lock must serve: both ends of each minor release that
# requires-python admits (the markers test python_full_version too).
PYTHONS = ["3.11.0", "3.11.4", "3.11.5", "3.11.7", "3.12.0", "3.12.1", "3.13.0"]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_lines(lines) -> list[tuple[str, str, str | None]]:
    """(canonical name, version, marker or None) for each pinned line."""
    found = []
    for line in lines:
        match = PIN.match(line.strip())
        if match:
            found.append((canonical(match.group(1)), match.group(2), match.group(3)))
    return found


def pins(lines) -> dict[str, str]:
    """name -> version of the pins without an environment marker."""
    return {name: version for name, version, marker in pinned_lines(lines) if marker is None}


def lock_lines() -> list[str]:
    return (ROOT / "requirements/lock.txt").read_text().splitlines()


def lock_entries() -> list[tuple[str, str, str | None]]:
    return pinned_lines(lock_lines())


def lock() -> dict[str, str]:
    """name -> version that the lock installs on this Python."""
    return {name: version for name, version, marker in lock_entries()
            if marker is None or Marker(marker).evaluate()}


def lock_versions(name: str) -> set[str]:
    """Every version that the lock pins for `name`, on whatever Python."""
    return {version for entry, version, _ in lock_entries() if entry == canonical(name)}


def environment_lines() -> list[str]:
    # Only the list items of environment.yml; enough for its simple, flat layout.
    lines = (ROOT / "environment.yml").read_text().splitlines()
    return [line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")]


def test_lock_pins_torch_without_a_local_build_tag():
    assert lock()["torch"] == "2.13.0"
    assert lock_versions("torch") == {"2.13.0"}


def test_pyproject_pins_match_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += extra
    declared_pins = pins(declared)
    assert declared_pins, "pyproject.toml pins nothing"
    unpinned = [d for d in declared if not PIN.match(d)]
    assert not unpinned, f"unpinned dependencies in pyproject.toml: {unpinned}"
    for name, version in declared_pins.items():
        locked = lock_versions(name)
        assert locked == {version}, f"{name}: pyproject {version}, lock {sorted(locked)}"


def test_environment_yml_installs_the_lock_with_python_311():
    items = environment_lines()
    assert "python=3.11" in items
    assert "-r requirements/lock.txt" in items and "-e ." in items
    for name, version in pins(items).items():
        locked = lock_versions(name)
        assert locked == {version}, f"{name}: environment.yml {version}, lock {sorted(locked)}"


def test_lock_is_fully_pinned():
    lines = [line.strip() for line in lock_lines()]
    loose = [line for line in lines if line and not line.startswith("#") and not PIN.match(line)]
    assert not loose, f"unpinned lines in the lock: {loose}"


def test_lock_accepts_a_pin_with_an_environment_marker():
    line = 'aiohttp==3.14.5 ; python_version == "3.12"'
    assert pinned_lines([line]) == [("aiohttp", "3.14.5", 'python_version == "3.12"')]
    assert pins([line]) == {}
    assert not PIN.match("aiohttp>=3.9 ; python_version == '3.12'")
    assert not PIN.match("aiohttp==3.14.5 ;")


def test_lock_markers_parse():
    bad = []
    for name, version, marker in lock_entries():
        if marker is None:
            continue
        try:
            Marker(marker)
        except Exception as error:  # packaging.markers.InvalidMarker and friends
            bad.append(f"{name}=={version} ; {marker}: {error}")
    assert not bad, f"environment markers that do not parse: {bad}"


def test_lock_pins_each_package_once_on_every_supported_python():
    requires = SpecifierSet(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])
    pythons = [python for python in PYTHONS if python in requires]
    assert "3.11.0" in pythons and "3.13.0" in pythons, f"requires-python is {requires}"
    everywhere = {name for name, _, marker in lock_entries() if marker is None}
    for python in pythons:
        environment = {"python_full_version": python,
                       "python_version": ".".join(python.split(".")[:2])}
        chosen = [name for name, _, marker in lock_entries()
                  if marker is not None and Marker(marker).evaluate(environment)]
        twice = sorted({name for name in chosen if chosen.count(name) > 1 or name in everywhere})
        assert not twice, f"Python {python}: the lock pins {twice} more than once"
