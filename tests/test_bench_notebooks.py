"""tools.bench.notebooks: its reference notebook and its targets; `make bench` runs no tests."""

from __future__ import annotations

import re

import nbformat

from tools.bench import notebooks as bench
from tools.paths import ROOT


def test_the_reference_imports_and_takes_one_optimizer_step(tmp_path):
    reference = nbformat.read(bench.reference_notebook(tmp_path), as_version=4)
    imports = nbformat.read(bench.reference_notebook(tmp_path, bench.IMPORTS_SOURCE, "imports"),
                            as_version=4)
    assert [c.source for c in imports.cells] == [bench.IMPORTS_SOURCE]
    assert [c.source for c in reference.cells] == [bench.REFERENCE_SOURCE]
    assert bench.REFERENCE_SOURCE.startswith(bench.IMPORTS_SOURCE)
    assert "torch.optim.Adam" in bench.REFERENCE_SOURCE
    assert "optimizer.step()" in bench.REFERENCE_SOURCE
    assert reference.metadata.kernelspec.name == bench.KERNEL


def test_the_reference_runs_and_imports_every_module_of_course_utils():
    import pkgutil
    import sys

    import course_utils

    exec(bench.IMPORTS_SOURCE, {})  # the reference's imports run without a kernel too
    modules = [m.name for m in pkgutil.iter_modules(course_utils.__path__, "course_utils.")
               if not m.ispkg]
    assert modules and all(name in sys.modules for name in modules)


def test_targets_follow_the_issue():
    assert bench.target_of("01_rnncell_onehot.ipynb")[1:] == (1.5, 30.0)
    assert bench.target_of("04_homework_lstm_gru.ipynb")[1:] == (1.5, 30.0)
    assert bench.target_of("05_gradients_through_time.ipynb")[1:] == (None, 30.0)
    assert bench.target_of("06_char_language_model.ipynb")[1:] == (None, 30.0)


def test_make_bench_does_not_run_the_test_suite():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"(?m)^bench:.*\n((?:\t.*\n)+)", makefile).group(1)
    assert recipe.strip() == "$(PY) -m tools.bench"
    for module in ("__main__", "notebooks", "sweeps"):
        source = (ROOT / "tools" / "bench" / f"{module}.py").read_text()
        assert "pytest" not in source and '"make"' not in source
