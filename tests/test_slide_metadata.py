"""Every notebook is ready to present, and student decks never show solutions."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.slides_samples import (
    SAMPLE_SOLUTION_LINES,
    page_text,
    write_sample_course,
)
from tools import slides as build_slides
from tools.student import BEGIN, END

SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
COURSE = build_slides.course_notebooks()


def _rel(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("notebook", COURSE, ids=_rel)
def test_every_cell_has_a_slide_type(notebook: Path):
    nb = nbformat.read(notebook, as_version=4)
    assert nb.cells, f"{_rel(notebook)} has no cells"
    wrong = []
    for index, cell in enumerate(nb.cells):
        slide_type = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if slide_type not in SLIDE_TYPES:
            first_line = (cell.source.splitlines() or [""])[0][:60]
            wrong.append(f"cell {index} ({cell.cell_type}, {first_line!r}): {slide_type!r}")
    assert not wrong, (
        f"{_rel(notebook)}: cells without a valid metadata.slideshow.slide_type "
        f"(one of {sorted(SLIDE_TYPES)}; JupyterLab: property inspector > Slide Type):\n  "
        + "\n  ".join(wrong)
    )


@pytest.mark.parametrize("notebook", COURSE, ids=_rel)
def test_first_cell_is_a_slide(notebook: Path):
    nb = nbformat.read(notebook, as_version=4)
    first = nb.cells[0].get("metadata", {}).get("slideshow", {}).get("slide_type")
    assert first == "slide", f"{_rel(notebook)}: the first cell is a {first!r}, not a 'slide'"


def lines_by_region(source: str) -> list[tuple[str, bool]]:
    """Each line of ``source`` that is not a solution marker, with whether it lies between the
    markers."""
    found, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            inside = True
        elif stripped.startswith(END):
            inside = False
        else:
            found.append((line, inside))
    return found


def solution_lines(notebook: Path) -> list[str]:
    """The non-empty lines between the solution markers (and of cells tagged `solution`)."""
    nb = nbformat.read(notebook, as_version=4)
    lines: list[str] = []
    for cell in nb.cells:
        if build_slides.SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            lines += [s.strip() for s in cell.source.splitlines() if s.strip()]
            continue
        lines += [line.strip() for line, inside in lines_by_region(cell.source)
                  if inside and line.strip()]
    return lines


def given_lines(notebook: Path) -> list[str]:
    """The lines outside the solution markers of the cells that a student gets (neither tagged
    `solution` nor `instructor-only`): read here, not with the generator under test."""
    nb = nbformat.read(notebook, as_version=4)
    lines: list[str] = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if build_slides.SOLUTION_TAG in tags or "instructor-only" in tags:
            continue
        lines += [line for line, inside in lines_by_region(cell.source) if not inside]
    return lines


def leaked_lines(student: Path, solution: Path, out: Path) -> tuple[list[str], list[str]]:
    """Build the student deck and handout of ``student``; return (the solution lines that are
    checked, those found in the deck or handout). Lines that the solution shows outside any
    solution region (given code, say) are not checked. They are read from the solution, not
    from the student version: a student version that kept the solution code must not make
    that code "given"."""
    built = build_slides.build_notebook(student, out)
    given = "\n".join(given_lines(solution))
    checked = [line for line in solution_lines(solution) if line not in given]
    found = []
    for page in (built.deck, built.handout):
        html = page.read_text(encoding="utf-8")
        text = page_text(html)
        assert BEGIN not in text, f"{page.name} shows a solution marker"
        found += [f"{page.name}: {line}" for line in checked if line in text]
    return checked, found


def _pairs() -> list[tuple[Path, Path]]:
    return [
        (nb, nb.parent.parent / "solutions" / nb.name)
        for nb in COURSE
        if nb.parent.name == "notebooks" and (nb.parent.parent / "solutions" / nb.name).exists()
    ]


@pytest.mark.parametrize("pair", _pairs(), ids=lambda p: p[0].name)
def test_course_student_decks_hide_solutions(pair: tuple[Path, Path], tmp_path: Path):
    student, solution = pair
    checked, found = leaked_lines(student, solution, tmp_path)
    assert not found, f"solution code in the student version of {student.name}:\n  " + (
        "\n  ".join(found)
    )


@pytest.mark.parametrize("leaky", [False, True], ids=["clean-student", "leaky-student"])
def test_sample_student_decks_hide_solutions(leaky: bool, tmp_path: Path):
    """A synthetic pair proves the mechanism: even a student notebook that still holds the
    solution code (``leaky``) gives a deck without it, while the instructor deck has it."""
    files = write_sample_course(tmp_path / "course", leaky=leaky)
    out = tmp_path / "out"
    checked, found = leaked_lines(files["homework"], files["homework_solution"], out)
    assert sorted(checked) == sorted(SAMPLE_SOLUTION_LINES)
    assert not found, "solution code in the sample student deck:\n  " + "\n  ".join(found)

    instructor = build_slides.build_notebook(files["homework_solution"], out)
    assert instructor.deck.name == "91_sample_homework.instructor.slides.html"
    text = page_text(instructor.deck.read_text(encoding="utf-8"))
    assert all(line in text for line in SAMPLE_SOLUTION_LINES), "instructor deck lacks solution"
    # The solution's printed output is gone from the student deck too.
    student_text = page_text((out / "slides" / "91_sample_homework.slides.html").read_text())
    assert "sample_solution_scores computed" not in student_text


def test_every_solution_notebook_gets_an_instructor_deck(tmp_path: Path):
    files = write_sample_course(tmp_path / "course")
    assert build_slides.course_notebooks(tmp_path / "course") == [
        files["lesson"], files["homework"], files["homework_solution"],
    ]
    names = [build_slides.output_names(p)[0] for p in build_slides.course_notebooks(
        tmp_path / "course")]
    assert names == [
        "90_sample_lesson.slides.html",
        "91_sample_homework.slides.html",
        "91_sample_homework.instructor.slides.html",
    ]


def blank_slides(html: str) -> list[str]:
    """What a deck shows blank: each slide (an innermost <section>) without text or picture, and
    each cell shown by its output only (tag remove-input-slides) that has no output; named by
    cell id."""
    import re

    blank = []
    for match in re.finditer(r"<section[^>]*>((?:(?!<section).)*?)</section>", html, re.DOTALL):
        content = match.group(1)
        if not page_text(content).strip() and not re.search(r"<(img|svg)\b", content):
            ids = re.findall(r'id="cell-id=([^"]+)"', content)
            blank.append(", ".join(ids) or content[:80])
    tag = build_slides.REMOVE_INPUT_FROM_SLIDES_TAG
    for match in re.finditer(r'<div class="([^"]*)" id="cell-id=([^"]+)"', html):
        classes, cell = match.group(1).split(), match.group(2)
        if f"celltag_{tag}" in classes and "jp-mod-noOutputs" in classes and cell not in blank:
            blank.append(cell)
    return blank


def _homework_student_versions() -> list[Path]:
    return [student for student, _ in _pairs()] + [
        student.parent / "zh" / student.name for student, _ in _pairs()]


@pytest.mark.parametrize("student", _homework_student_versions(), ids=_rel)
def test_no_slide_of_a_student_deck_is_blank(student: Path, tmp_path: Path):
    # The LSTM and GRU diagrams are cells that a deck shows by their output only: a student
    # version without their outputs showed a blank slide and a slide without its diagram.
    built = build_slides.build_notebook(student, tmp_path, handouts=False)
    html = built.deck.read_text(encoding="utf-8")
    assert not blank_slides(html), f"{_rel(student)}: blank in the deck: {blank_slides(html)}"


def test_a_blank_slide_is_found():
    empty = ('<div class="jp-Cell jp-CodeCell jp-mod-noOutputs celltag_remove-input-slides" '
             'id="cell-id={}">\n</div>')
    picture = ('<div class="jp-Cell" id="cell-id=cell-1">'
               '<img src="data:image/png;base64,AAAA"></div>')
    deck = (f"<section><section>{empty.format('cell-11')}</section>"
            f"<section>{empty.format('cell-08')}<p>Cell state vs. hidden state</p></section>"
            f"<section>{picture}</section></section><section><p>Recap</p></section>")
    assert blank_slides(deck) == ["cell-11", "cell-08"]
