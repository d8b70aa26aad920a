"""benchmarks/bench_notebooks.py: its reference notebooks and its targets."""

from __future__ import annotations

import importlib.util

import nbformat

from tests.notebook_runner import ROOT


def _load():
    path = ROOT / "benchmarks" / "bench_notebooks.py"
    spec = importlib.util.spec_from_file_location("bench_notebooks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load()


def test_reference_notebooks_only_import_and_build_one_optimizer(tmp_path):
    plain = nbformat.read(bench.reference_notebook(tmp_path), as_version=4)
    with_optimizer = nbformat.read(
        bench.reference_notebook(tmp_path, bench.FIRST_OPTIMIZER_SOURCE, "opt"), as_version=4)
    assert [c.source for c in plain.cells] == [bench.REFERENCE_SOURCE]
    assert with_optimizer.cells[0].source.startswith(bench.REFERENCE_SOURCE)
    assert "torch.optim.Adam" in with_optimizer.cells[0].source
    assert plain.metadata.kernelspec.name == bench.KERNEL


def test_targets_follow_the_issue():
    assert bench.target_of("01_rnncell_onehot.ipynb")[1:] == (2.0, None)
    assert bench.target_of("04_homework_lstm_gru.ipynb")[1:] == (2.0, None)
    assert bench.target_of("05_gradients_through_time.ipynb")[1:] == (None, 60.0)
    assert bench.target_of("06_char_language_model.ipynb")[1:] == (None, 60.0)
