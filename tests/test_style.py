"""ruff keeps the course's style, notebooks included: part of the suite, so that plain `pytest`
(the route without make) checks what `make test` checks."""

import subprocess
import sys

from tools.paths import ROOT


def test_ruff_finds_nothing_to_fix():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"ruff check . found problems:\n{result.stdout}{result.stderr}"
