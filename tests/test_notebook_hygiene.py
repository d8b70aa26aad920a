"""Every stored notebook is clean: executed in order, no errors, no machine paths, small."""

import json
import re

import nbformat
import pytest

from tools.paths import ROOT, is_student_version

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "solutions").glob("*.ipynb"))
MACHINE_PATH = re.compile(r"(/root/|/home/\w|/work/|/tmp/|/Users/\w|[A-Z]:\\\\Users)")
MAX_BYTES = 1_500_000


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    path = request.param
    return path, nbformat.read(path, as_version=4)


def test_valid_and_uses_the_python3_kernel(notebook):
    path, nb = notebook
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_size_is_reasonable(notebook):
    path, _ = notebook
    assert path.stat().st_size < MAX_BYTES, f"{path.name} is {path.stat().st_size:,} bytes"


def test_executed_in_order_from_a_fresh_kernel(notebook):
    path, nb = notebook
    if is_student_version(path):
        pytest.skip("student versions are stored unexecuted")
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: execution counts {counts}"


def test_no_errors_warnings_or_machine_paths(notebook):
    path, nb = notebook
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        for out in cell.outputs:
            where = f"{path.name} cell {i}"
            if out.output_type == "error":
                assert "raises-exception" in tags, f"{where}: error output {out.ename}"
            if out.output_type == "stream":
                assert out.name == "stdout", f"{where}: stderr output {out.text[:200]!r}"
            text = json.dumps({k: v for k, v in out.get("data", {}).items()
                               if not k.startswith("image/")}) + out.get("text", "")
            assert not MACHINE_PATH.search(text), f"{where}: machine path in output"


def test_one_parameters_cell_right_after_the_imports(notebook):
    path, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters'"
    assert tagged[0] == 1, f"{path.name}: the parameters cell must follow the imports cell"
    assert "import" in code[0].source


def test_one_summary_cell_at_the_end(notebook):
    path, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [i for i, c in enumerate(code) if "summary" in c.metadata.get("tags", [])]
    assert tagged == [len(code) - 1], f"{path.name}: the last code cell must be tagged summary"


def test_no_instructor_text_stands_in_a_students_reading_path(notebook):
    # Speaker notes are for the deck's speaker view: in a lesson they live in a cell's metadata
    # (metadata.course.speaker_notes, tools/slides.py), not in a cell that JupyterLab shows; a
    # notes cell is allowed only in solutions/, tagged instructor-only (left out of the student
    # version). Every lesson still has its notes, for the deck.
    path, nb = notebook
    notes_cells = [i for i, c in enumerate(nb.cells)
                   if c.metadata.get("slideshow", {}).get("slide_type") == "notes"
                   and not (path.parent.name == "solutions"
                            and "instructor-only" in c.metadata.get("tags", []))]
    assert not notes_cells, f"{path.name}: notes cells a student reads: {notes_cells}"
    if path.parent.name == "notebooks" and not is_student_version(path):
        notes = [c.metadata.get("course", {}).get("speaker_notes") for c in nb.cells]
        assert any(isinstance(n, str) and n.strip() for n in notes), (
            f"{path.name}: no speaker notes (metadata.course.speaker_notes of a cell)")
