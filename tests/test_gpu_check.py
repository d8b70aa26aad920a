"""The GPU check's targets (tools/bench/as_script.py) against the stored notebooks."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.notebook_runner import summary
from tools.paths import NOTEBOOKS_DIR, ROOT, course_notebooks, is_student_version

ORIGINAL_ENVIRONMENT = dict(os.environ)
from tools.bench import as_script as script  # noqa: E402 - after the environment is saved

EXECUTED = [p for p in course_notebooks() if not is_student_version(p)]


def test_every_lesson_has_targets():
    names = {p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb")}
    assert names == set(script.TARGETS), "add the new lesson's targets to TARGETS"


@pytest.mark.parametrize("path", EXECUTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_stored_outputs_reach_the_targets(path):
    stored = summary(nbformat.read(path, as_version=4))
    assert script.missed_targets(path.stem, stored) == []


def test_a_missed_target_is_named():
    stored = summary(nbformat.read(ROOT / "notebooks/05_gradients_through_time.ipynb",
                                   as_version=4))
    broken = copy.deepcopy(stored)
    broken["lstm"]["accuracy"][-1] = 0.5
    assert script.missed_targets("05_gradients_through_time", broken) == [
        "LSTM and GRU remember at every length (accuracy >= 0.95)"]
    del broken["rnn"]
    assert any("summary lacks" in m for m in script.missed_targets("05_gradients_through_time",
                                                                   broken))
    assert script.missed_targets("99_new", {}) == [
        "no targets are defined for 99_new in tools/bench/as_script.py"]


def test_gpu_check_script_runs_a_lesson_and_reports_its_targets():
    # Here there is no GPU: the same script runs on the CPU, which is what device="auto" picks.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "tools/bench/gpu_check.sh", "notebooks/01_rnncell_onehot.ipynb",
                           "notebooks/04_homework_lstm_gru.ipynb"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^ok\s+[\d.]+ s\s+01_rnncell_onehot\.ipynb\s+on cpu", done.stdout, re.M)
    assert "skipped  notebooks/04_homework_lstm_gru.ipynb (student version" in done.stdout


def test_importing_the_script_leaves_the_environment_alone():
    # Kernels started later by the same test process (nbval) inherit os.environ.
    assert os.environ.get("MPLBACKEND") == ORIGINAL_ENVIRONMENT.get("MPLBACKEND")
