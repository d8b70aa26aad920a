"""The GPU check's targets (benchmarks/notebook_as_script.py) against the stored notebooks."""

from __future__ import annotations

import copy
import importlib.util

import nbformat
import pytest

from tests.notebook_runner import ROOT, summary


def _load(name: str):
    path = ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
