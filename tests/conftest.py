"""Shared test set-up: each test marked by what it tests (MARKERS), figures drawn off-screen and
closed after each test, and a session guard that fails the run if the test suite writes into
notebooks/ or solutions/."""

import hashlib

import matplotlib

matplotlib.use("Agg")  # no screen in CI; must precede any pyplot import

import matplotlib.pyplot as plt
import pytest

from tools.paths import ROOT

PROTECTED = ("notebooks", "solutions")

# What each test file tests, as a marker registered in pyproject.toml: `make check` runs
# `-m unit`. nbval's cells of notebooks/ and solutions/ are `notebook`. A new test file goes here.
MARKERS = {
    "unit": [  # course_utils and pure Python, ruff included: milliseconds to seconds
        "test_bptt_diagram.py", "test_cells.py", "test_checks.py", "test_classification.py",
        "test_corpus.py", "test_diagrams_embedding.py", "test_diagrams_gates.py",
        "test_diagrams_layers.py", "test_diagrams_sequences.py", "test_environment_pins.py",
        "test_external_tools.py", "test_figures.py", "test_fonts.py", "test_i18n.py",
        "test_language_model.py", "test_languages.py", "test_models.py",
        "test_notebook_hygiene.py", "test_params.py", "test_plots_sweeps.py", "test_repro.py",
        "test_style.py", "test_sweeps.py", "test_text.py", "test_training.py",
        "test_slides_assets.py", "test_mutation_tool.py", "test_paths.py", "test_rounding.py",
        "test_words.py", "test_prose_numbers.py", "test_ci_as_documented.py",
        "test_suite_layout.py",
    ],
    "notebook": [  # papermill runs of the lessons and the homework
        "test_any_pair.py", "test_bad_parameters.py", "test_homework04.py", "test_lesson01.py",
        "test_lesson02.py", "test_lesson03.py", "test_lesson05.py", "test_lesson06.py",
        "test_lesson07.py", "test_zh.py",
    ],
    "tool": [  # the tools, the route without make, nbgrader, decks built by nbconvert
        "test_bench_notebooks.py", "test_gpu_check.py", "test_lab.py", "test_make_free_route.py",
        "test_nbgrader.py", "test_notebook_tools.py", "test_scripts.py",
        "test_slide_metadata.py", "test_slides_offline_files.py", "test_student_version.py",
    ],
    "browser": ["test_slides_browser.py"],  # the decks in headless chromium
}
MARKER_OF = {name: marker for marker, names in MARKERS.items() for name in names}


def pytest_collection_modifyitems(config, items) -> None:
    unmarked = set()
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker("notebook")  # nbval
        elif item.path.name in MARKER_OF:
            item.add_marker(MARKER_OF[item.path.name])
        else:
            unmarked.add(str(item.path.relative_to(ROOT)))
    if unmarked:
        raise pytest.UsageError(
            f"{sorted(unmarked)}: no marker; add the file to MARKERS in tests/conftest.py"
        )


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


@pytest.fixture
def utf8_only(monkeypatch):
    """Fail the test if the code reads or writes a file with ``Path.read_text`` or
    ``write_text`` without naming UTF-8: a Chinese Windows would use GBK, and the notebooks
    (their Chinese edition above all) are UTF-8."""
    import codecs
    from pathlib import Path

    read, write = Path.read_text, Path.write_text
    wrong: list[str] = []

    def check(path, encoding) -> None:
        if encoding is None or codecs.lookup(encoding).name != "utf-8":
            wrong.append(f"{path}: encoding={encoding!r}")

    def read_text(self, encoding=None, errors=None, **kwargs):
        check(self, encoding)
        return read(self, encoding="utf-8", errors=errors, **kwargs)

    def write_text(self, data, encoding=None, errors=None, newline=None):
        check(self, encoding)
        return write(self, data, encoding="utf-8", errors=errors, newline=newline)

    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.setattr(Path, "write_text", write_text)
    yield
    assert not wrong, wrong
