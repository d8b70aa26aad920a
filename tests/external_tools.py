"""Tests that need programs outside Python (a browser, npm): skipped on a student's machine
that lacks them, a failure in CI.

A student who runs ``make test`` (or plain ``pytest``) without Chromium or Node.js gets every
other test and a one-line reason for each skipped group. CI sets ``CI=true``: there a missing
program is an error, so that the slide tests can never be skipped silently where they matter.
"""

from __future__ import annotations

import os
import shutil

import pytest

HOW_TO_INSTALL = {
    "chromium": "Debian/Ubuntu: apt-get install chromium",
    "npm": "Node.js and npm: apt-get install npm (Debian/Ubuntu), brew install node (macOS), "
    "or the installer from nodejs.org (Windows)",
}


def in_ci() -> bool:
    """True where the environment says this is a CI run (CI=true, as CI services set it)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(programs: list[str]) -> list[str]:
    """The programs of ``programs`` that are not on PATH."""
    return [name for name in programs if shutil.which(name) is None]


def require(programs: list[str], what: str) -> None:
    """Skip the calling test (or fixture) when a program is missing; fail instead in CI."""
    absent = missing(programs)
    if not absent:
        return
    reason = f"{what} need {', '.join(absent)}, not found on PATH (" + "; ".join(
        f"{name}: {HOW_TO_INSTALL.get(name, 'install it')}" for name in absent) + ")"
    if in_ci():
        pytest.fail(f"{reason}. CI=true: a missing program is a failure here.", pytrace=False)
    pytest.skip(reason)
