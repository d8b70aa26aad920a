"""The GPU check's targets (benchmarks/notebook_as_script.py) against the stored notebooks."""

from __future__ import annotations

import copy
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.notebook_runner import ROOT, summary


def _load(name: str):
    path = ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ORIGINAL_ENVIRONMENT = dict(os.environ)
script = _load("notebook_as_script")
EXECUTED = sorted(p for p in [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")]
                  if not nbformat.read(p, as_version=4).metadata.get("course", {})
                  .get("student_version"))


def test_every_lesson_has_targets():
    names = {p.stem for p in ROOT.glob("notebooks/*.ipynb")}
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
        "no targets are defined for 99_new in benchmarks/notebook_as_script.py"]


def test_gpu_check_script_runs_a_lesson_and_reports_its_targets():
    # Here there is no GPU: the same script runs on the CPU, which is what device="auto" picks.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "benchmarks/gpu_check.sh", "notebooks/01_rnncell_onehot.ipynb"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^ok\s+[\d.]+ s\s+01_rnncell_onehot\.ipynb\s+on cpu", done.stdout, re.M)


def test_importing_the_script_leaves_the_environment_alone():
    # Kernels started later by the same test process (nbval) inherit os.environ.
    assert os.environ.get("MPLBACKEND") == ORIGINAL_ENVIRONMENT.get("MPLBACKEND")
