"""Shared test set-up: figures drawn off-screen and closed after each test, and a session guard
that fails the run if the test suite writes into notebooks/ or solutions/."""

import hashlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen in CI; must precede any pyplot import

import matplotlib.pyplot as plt
import pytest

ROOT = Path(__file__).resolve().parent.parent
PROTECTED = ("notebooks", "solutions")


def snapshot() -> dict[str, str]:
    """Path -> content hash of every file in the folders that only `make refresh` may write."""
    return {
        str(path.relative_to(ROOT)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in PROTECTED
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file() and ".ipynb_checkpoints" not in path.parts
    }


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_KEY] = snapshot()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_KEY, None)
    if before is None or hasattr(session.config, "workerinput"):
        return  # checked once, by the controlling process
    after = snapshot()
    changed = sorted(set(before) ^ set(after) | {p for p in before if after.get(p) != before[p]})
    if changed:
        print(f"\nERROR: the tests changed files that only `make refresh` may write: {changed}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_KEY = pytest.StashKey[dict[str, str]]()
