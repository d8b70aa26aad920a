"""`make run` and `make refresh`: what they report, and what they never overwrite."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tools.paths import ROOT, select_notebooks

pytestmark = pytest.mark.notebook


def make_course(tmp_path: Path, sources: dict[str, str]) -> Path:
    """A tiny course: one notebook per name, committed in a git repository of its own."""
    (tmp_path / "notebooks").mkdir()
    for name, source in sources.items():
        nb = new_notebook(cells=[new_code_cell(source)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, tmp_path / "notebooks" / name)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "course"], check=True)
    return tmp_path


def tool(name: str, root: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m tools.<name> --root <root> ...``, from the repository root as make runs it."""
    return subprocess.run([sys.executable, "-m", f"tools.{name}", "--root", str(root), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_run_reports_each_notebook_and_names_the_failing_cell(tmp_path):
    course = make_course(tmp_path, {"01_ok.ipynb": "print(1 + 1)",
                                    "02_bad.ipynb": "raise ValueError('broken on purpose')"})
    before = {p.name: p.read_bytes() for p in (course / "notebooks").iterdir()}
    result = tool("run", course, "--out", "build/executed")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok") and lines[0].endswith("notebooks/01_ok.ipynb")
    assert lines[1].startswith("FAILED") and "notebooks/02_bad.ipynb" in lines[1]
    assert "cell 0" in lines[1] and "ValueError: broken on purpose" in lines[1]
    assert "notebooks/02_bad.ipynb" in result.stderr
    assert (course / "build/executed/01_ok.ipynb").exists()
    # The course's own notebooks are read, never written.
    assert {p.name: p.read_bytes() for p in (course / "notebooks").iterdir()} == before


def test_refresh_refuses_to_overwrite_uncommitted_work(tmp_path):
    course = make_course(tmp_path, {"01_ok.ipynb": "print('fresh')"})
    path = course / "notebooks/01_ok.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "print('a student edited this')"
    nbformat.write(nb, path)
    edited = path.read_bytes()
    result = tool("refresh", course)
    assert result.returncode == 1
    assert "uncommitted changes" in result.stderr and "FORCE=1" in result.stderr
    assert path.read_bytes() == edited

    result = tool("refresh", course, "--force")
    assert result.returncode == 0, result.stderr
    refreshed = nbformat.read(path, as_version=4).cells[0]
    assert refreshed.execution_count == 1
    assert refreshed.outputs[0].text == "a student edited this\n"


def test_make_run_on_the_real_course_writes_only_into_its_output_folder(tmp_path):
    # The session guard in tests/conftest.py fails the run if notebooks/ or solutions/ change;
    # here we also check the output landed where it was asked to. The homework's student
    # version (its solution and the lessons are executed by nbval) stops at task 1 by design,
    # which `make run` must call a success.
    result = subprocess.run(
        [sys.executable, "-m", "tools.run", "--out", str(tmp_path / "out"),
         "notebooks/04_homework_lstm_gru.ipynb"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok")
    assert "stops as expected at task 1 (student version)" in result.stdout
    assert (tmp_path / "out/04_homework_lstm_gru.ipynb").exists()
    assert not (tmp_path / "out/solutions").exists()  # a path picks that notebook only


def test_notebooks_are_chosen_by_file_name_or_path_and_unknown_names_stop(tmp_path):
    course = make_course(tmp_path, {"01_a.ipynb": "1", "02_b.ipynb": "2"})
    assert [p.name for p in select_notebooks([], course)] == ["01_a.ipynb", "02_b.ipynb"]
    assert [p.name for p in select_notebooks(["notebooks/02_b.ipynb", "01_a.ipynb"], course)] \
        == ["01_a.ipynb", "02_b.ipynb"]
    unknown = r"(?s)no course notebook is called 01_a\b.*notebooks/01_a"
    with pytest.raises(SystemExit, match=unknown):
        select_notebooks(["01_a"], course)
    done = tool("refresh", course, "typo.ipynb")
    assert done.returncode == 1 and "no course notebook is called typo.ipynb" in done.stderr
    assert "refreshed" not in done.stdout
