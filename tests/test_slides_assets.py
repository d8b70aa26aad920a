"""The decks' offline assets: `npm ci` runs only when slides/node_modules does not match the lock,
the copied assets are refreshed only when their stamp changes, and the check that no deck loads
anything from another machine tells a load from a link. Then the build around nbconvert: names,
audiences, hidden solutions, errors. No npm, no network: fakes stand in, and nbconvert itself
exports one small notebook to check the settings the course gives it."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tests.slides_samples import _png
from tools import slides


@pytest.fixture
def slides_dir(tmp_path: Path, monkeypatch) -> Path:
    """A slides/ folder with a package-lock.json and node_modules holding every asset."""
    folder = tmp_path / "slides"
    modules = folder / "node_modules"
    for src, _ in slides.COMMON_ASSETS + slides.REVEAL_ASSETS:
        path = modules / src
        if "." in path.name and path.name != "TeX":  # a file (MathJax.js, LICENSE.txt, ...)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"asset {src}\n")
        else:  # a folder of assets, with a source map that is not copied
            path.mkdir(parents=True, exist_ok=True)
            (path / "part.js").write_text(f"asset {src}\n")
            (path / "part.js.map").write_text("{}\n")
    (folder / "package-lock.json").write_text('{"lockfileVersion": 3}\n')
    monkeypatch.setattr(slides, "SLIDES_DIR", folder)
    monkeypatch.setattr(slides, "NODE_MODULES", modules)
    monkeypatch.setattr(slides, "NODE_STAMP", modules / ".course-assets-stamp")
    return folder


@pytest.fixture
def npm(monkeypatch) -> list[list[str]]:
    """A fake npm: every command it was run with, in order (it succeeds and does nothing)."""
    calls: list[list[str]] = []
    real_run = subprocess.run

    def run(command, *args, **kwargs):
        if command[0] == "/fake/npm":
            # In slides/, its output captured as text (shown only if it fails).
            assert kwargs == {"cwd": slides.SLIDES_DIR, "capture_output": True, "text": True}
            calls.append(list(command))
            return subprocess.CompletedProcess(command, 0, "", "")
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(slides.shutil, "which", lambda name: "/fake/npm" if name == "npm" else None)
    monkeypatch.setattr(slides.subprocess, "run", run)
    return calls


def test_npm_ci_runs_once_then_only_when_the_lock_changes(slides_dir, npm):
    assert not slides.node_modules_ready()  # never installed: no stamp
    assert slides.ensure_node_modules(quiet=True) == slides.NODE_MODULES
    assert npm == [["/fake/npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]]
    lock = slides_dir / "package-lock.json"
    assert slides.NODE_STAMP.read_text() == slides._sha256(lock) + "\n"
    assert slides.node_modules_ready()
    slides.ensure_node_modules(quiet=True)
    assert len(npm) == 1  # up to date: no second npm ci
    lock.write_text('{"lockfileVersion": 3, "packages": {}}\n')  # the lock changed
    assert not slides.node_modules_ready()
    slides.ensure_node_modules(quiet=True)
    assert len(npm) == 2 and slides.node_modules_ready()


def test_npm_ci_says_why_it_runs_unless_quiet(slides_dir, npm, capsys):
    slides.ensure_node_modules()
    assert capsys.readouterr().out == (
        "npm ci in slides/ (node_modules missing or older than package-lock.json)\n")
    slides.NODE_STAMP.unlink()
    slides.ensure_node_modules(quiet=True)
    assert capsys.readouterr().out == ""


def test_a_failing_npm_ci_stops_with_its_output_and_writes_no_stamp(slides_dir, monkeypatch):
    monkeypatch.setattr(slides.shutil, "which", lambda name: "/fake/npm")
    monkeypatch.setattr(slides.subprocess, "run", lambda command, **kwargs: (
        subprocess.CompletedProcess(command, 1, "out: ", "E404 not found")))
    with pytest.raises(slides.BuildError) as info:
        slides.ensure_node_modules(quiet=True)
    assert "`npm ci` in" in str(info.value) and "failed (exit 1)" in str(info.value)
    assert "out: E404 not found" in str(info.value)
    assert not slides.NODE_STAMP.exists()


def test_without_npm_the_error_says_how_to_install_it(slides_dir, monkeypatch):
    monkeypatch.setattr(slides.shutil, "which", lambda name: None)
    with pytest.raises(slides.BuildError) as info:
        slides.ensure_node_modules(quiet=True)
    assert str(info.value) == (
        "npm not found: the slides need reveal.js and MathJax from the npm registry. Install "
        "Node.js and npm (Debian/Ubuntu: apt-get install npm; macOS: brew install node), then "
        "run `make slides` again.")
    # Installed already: the decks build without npm.
    slides.NODE_STAMP.write_text(slides._sha256(slides_dir / "package-lock.json") + "\n")
    assert slides.ensure_node_modules(quiet=True) == slides.NODE_MODULES


def test_assets_are_copied_once_and_refreshed_when_the_stamp_changes(slides_dir, npm,
                                                                     tmp_path):
    out = tmp_path / "out" / "slides"
    assets = slides.install_assets(out, reveal=True)
    assert assets == out / "assets"
    for _, dest in slides.COMMON_ASSETS + slides.REVEAL_ASSETS:
        assert (assets / dest).exists(), dest
    assert not list(assets.rglob("*.map"))  # source maps are left out
    stamp = (assets / ".stamp").read_text().split()
    assert stamp == [slides.ASSETS_LAYOUT_VERSION, "True", slides.NODE_STAMP.read_text().strip()]

    # Up to date: nothing is copied again (a file added by hand stays).
    (assets / "mine.txt").write_text("kept\n")
    slides.install_assets(out, reveal=True)
    assert (assets / "mine.txt").exists()

    # Another stamp (here: without reveal.js, for the handouts): the folder is made anew.
    slides.install_assets(out, reveal=False)
    assert not (assets / "mine.txt").exists()
    assert not (assets / "reveal.js").exists() and (assets / "require.js").exists()
    assert (assets / ".stamp").read_text().split()[1] == "False"

    # node_modules reinstalled from another lock: the copies are refreshed too.
    (assets / "mine.txt").write_text("kept\n")
    (slides_dir / "package-lock.json").write_text('{"lockfileVersion": 3, "other": 1}\n')
    slides.install_assets(out, reveal=False)
    assert not (assets / "mine.txt").exists() and len(npm) == 2


def test_a_missing_asset_names_itself_and_the_fix(slides_dir, npm, tmp_path):
    (slides.NODE_MODULES / "requirejs" / "require.js").unlink()
    with pytest.raises(slides.BuildError, match="require.js is missing: delete "
                       "slides/node_modules and try again"):
        slides.install_assets(tmp_path / "out", reveal=False)


# Loads of a remote resource: a browser would fetch each when the page opens.
REMOTE = [
    '<script src="https://cdn.example.org/reveal.js"></script>',
    "<script type='text/javascript' src='//cdn.example.org/require.min.js'></script>",
    '<img alt="x" src=http://example.org/a.png>',
    '<iframe src="https://www.youtube.com/embed/x"></iframe>',
    '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Lato">',
    '<style>@import url("https://fonts.example.org/a.css");</style>',
    "<style>@import 'https://fonts.example.org/b.css';</style>",
    '<div style="background: url(//example.org/bg.png)"></div>',
    'import { x } from "https://esm.example.org/x.mjs";',
    'await import("https://esm.example.org/y.js")',
    'require.config({paths: {jquery: "https://code.jquery.com/jquery"}})',
    "var mathjax = 'https://cdn.example.org/MathJax.js?config=TeX';",
    '<SCRIPT SRC="HTTPS://CDN.EXAMPLE.ORG/A.JS"></SCRIPT>',
]
# Not a load: links a reader may click, local files, text that mentions a URL.
LOCAL = [
    '<a href="https://pytorch.org/docs/stable/nn.html">nn docs</a>',
    '<script src="assets/reveal.js/dist/reveal.js"></script>',
    '<link rel="stylesheet" href="assets/reveal.js/dist/reveal.css">',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    "<p>See https://pytorch.org for more.</p>",
    '<a href="https://example.org/notes.js">the script</a>',
    'require.config({paths: {jquery: "assets/jquery.min"}})',
    "<style>@import 'assets/theme.css';</style>",
]


@pytest.mark.parametrize("html", REMOTE)
def test_a_remote_load_is_found(html):
    found = slides.external_loads(f"<html><body>{html}</body></html>")
    assert len(found) == 1 and "//" in found[0]


@pytest.mark.parametrize("html", LOCAL)
def test_links_and_local_files_are_not_loads(html):
    assert slides.external_loads(f"<html><body>{html}</body></html>") == []


def test_each_load_is_shown_with_the_text_around_it():
    html = "x" * 100 + '<script src="https://cdn.example.org/a.js"></script>' + "y" * 100
    (snippet,) = slides.external_loads(html)
    start = html.index("<script")
    assert snippet == html[start - 40: html.index("//") + 2 + 60]
    assert len(slides.external_loads('<img src="//a.org/b.png"><img src="//c.org/d.png">')) == 2


# ---------------------------------------------------------------------------------------------
# Building: which notebook gets which deck, what a student deck hides, how errors are reported.
# nbconvert is replaced by a fake exporter that writes each cell's source into the page
# (tests/test_slide_metadata.py builds real decks).


def fake_export(kind, nb, resources, up=""):
    cells = "\n".join(f"<pre>{cell.source}</pre>" for cell in nb.cells)
    return f"<html><!-- {kind} {resources['metadata']['name']} -->{cells}</html>"


def write_course(root: Path) -> dict[str, Path]:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    solved = new_code_cell("x = 1\n### BEGIN SOLUTION\nsecret = 42\n### END SOLUTION",
                           metadata={"course": {"task": 1}})
    solved.outputs = [new_output("stream", name="stdout", text="secret printed\n")]
    files = {"lesson": root / "notebooks" / "01_lesson.ipynb",
             "homework": root / "notebooks" / "02_hw.ipynb",
             "solution": root / "solutions" / "02_hw.ipynb"}
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=[new_code_cell("print('lesson')")]), files["lesson"])
    tagged = new_code_cell("answer = 'tagged solution'", metadata={"tags": ["solution"]})
    for key in ("homework", "solution"):  # a student version that kept its solution by mistake
        nbformat.write(new_notebook(cells=[solved, tagged]), files[key])
    return files


@pytest.fixture
def built_course(tmp_path, monkeypatch):
    monkeypatch.setattr(slides, "_export", fake_export)
    return write_course(tmp_path / "course"), tmp_path / "out"


def test_decks_and_handouts_get_their_names_and_audiences(built_course):
    files, out = built_course
    assert slides.output_names(files["lesson"]) == ("01_lesson.slides.html", "01_lesson.html")
    assert slides.output_names(files["solution"]) == ("02_hw.instructor.slides.html",
                                                      "02_hw.instructor.html")
    assert slides.is_instructor_notebook(files["solution"])
    assert not slides.is_instructor_notebook(files["homework"])
    built = slides.build_notebook(files["lesson"], out)
    assert (built.deck, built.handout, built.audience) == (
        out / "slides" / "01_lesson.slides.html", out / "handouts" / "01_lesson.html", "student")
    assert "<!-- slides 01_lesson -->" in built.deck.read_text()
    assert "<!-- handout 01_lesson -->" in built.handout.read_text()
    deck_only = slides.build_notebook(files["solution"], out / "decks", handouts=False)
    assert deck_only.handout is None and deck_only.audience == "instructor"
    assert not (out / "decks" / "handouts").exists()


def test_a_student_deck_hides_solutions_and_an_instructor_deck_keeps_them(built_course):
    files, out = built_course
    student = slides.build_notebook(files["homework"], out).deck.read_text()
    assert "secret = 42" not in student and "tagged solution" not in student
    assert "x = 1\n# YOUR CODE HERE (task 1)\nraise NotDone(1)" in student
    instructor = slides.build_notebook(files["solution"], out).deck.read_text()
    assert "secret = 42" in instructor and "tagged solution" in instructor
    import nbformat

    hidden = slides.hide_solutions(nbformat.read(files["homework"], as_version=4))
    assert len(hidden.cells) == 1 and hidden.cells[0].outputs == []
    assert hidden.cells[0].execution_count is None
    kept = slides.hide_solutions(nbformat.read(files["lesson"], as_version=4))
    assert kept.cells[0].source == "print('lesson')"


def test_a_page_that_loads_from_the_internet_is_not_written(built_course, monkeypatch):
    files, out = built_course
    monkeypatch.setattr(slides, "_export", lambda kind, nb, resources, up="": (
        '<script src="https://cdn.example.org/x.js"></script>'))
    with pytest.raises(slides.BuildError) as info:
        slides.build_notebook(files["lesson"], out)
    assert str(info.value).startswith(
        f"{files['lesson']}: 01_lesson.slides.html would load from the internet:\n  ")
    assert not (out / "slides").exists()


def test_an_export_error_names_the_notebook(built_course, monkeypatch):
    files, out = built_course

    def broken(kind, nb, resources, up=""):
        raise KeyError("template")

    monkeypatch.setattr(slides, "_export", broken)
    with pytest.raises(slides.BuildError, match=r"01_lesson.ipynb: KeyError: 'template'"):
        slides.build_notebook(files["lesson"], out)


def test_build_all_reports_each_notebook_and_goes_on_after_a_failure(built_course, monkeypatch,
                                                                     capsys):
    files, out = built_course
    installed = []
    monkeypatch.setattr(slides, "install_assets", lambda folder, reveal: installed.append(
        (folder, reveal)))
    (files["lesson"].parent / "03_broken.ipynb").write_text("not a notebook")
    notebooks = slides.course_notebooks(files["lesson"].parent.parent)
    built, errors = slides.build_all(out, notebooks)
    assert installed == [(out / "slides", True), (out / "handouts", False)]
    assert [b.deck.name for b in built] == ["01_lesson.slides.html", "02_hw.slides.html",
                                           "02_hw.instructor.slides.html"]
    assert len(errors) == 1 and "03_broken.ipynb" in errors[0]
    captured = capsys.readouterr()
    # One line per built notebook, then one per folder for its CJK font subset.
    assert captured.out.count("\n") == 3 + 2 and "instructor" in captured.out
    assert captured.out.count("CJK font") == 2
    assert "FAILED" in captured.err and "03_broken.ipynb" in captured.err
    installed.clear()
    slides.build_all(out, [files["lesson"]], handouts=False, quiet=True)
    assert installed == [(out / "slides", True)] and capsys.readouterr().out == ""
    slides.build_all(out, [files["lesson"]], assets=False, quiet=True)
    assert len(installed) == 1


def test_main_builds_what_it_is_asked_and_never_into_the_notebooks(built_course, monkeypatch,
                                                                   capsys):
    files, out = built_course
    monkeypatch.setattr(slides, "install_assets", lambda folder, reveal: folder / "assets")
    root = files["lesson"].parent.parent
    assert slides.main(["--out", str(out), "--root", str(root)]) == 0
    assert capsys.readouterr().out.endswith(
        f"3 decks in {slides._show(out / 'slides')}/ (open one in a browser; works offline)\n")
    assert slides.main(["--out", str(out / "one"), "--no-handouts", str(files["lesson"])]) == 0
    assert not (out / "one" / "handouts").exists()
    assert (out / "one" / "slides" / "01_lesson.slides.html").exists()
    with pytest.raises(SystemExit):
        slides.main(["--out", str(slides.ROOT / "notebooks" / "decks")])
    assert "nothing is written into notebooks/" in capsys.readouterr().err
    empty = root.parent / "empty"
    empty.mkdir()
    assert slides.main(["--out", str(out), "--root", str(empty)]) == 1
    assert "no notebooks found" in capsys.readouterr().err
    (files["lesson"].parent / "03_broken.ipynb").write_text("not a notebook")
    assert slides.main(["--out", str(out), "--root", str(root)]) == 1
    assert "error: 1 of 4 notebooks failed:" in capsys.readouterr().err

    def no_npm(folder, reveal):
        raise slides.BuildError("npm not found")

    monkeypatch.setattr(slides, "install_assets", no_npm)
    assert slides.main(["--out", str(out), "--root", str(root)]) == 1
    assert capsys.readouterr().err == "error: npm not found\n"


def test_the_chinese_edition_gets_its_own_folder_and_audience(tmp_path):
    for folder in ("notebooks/zh", "solutions/zh", "notebooks", "solutions"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    for path in ("notebooks/01_a.ipynb", "notebooks/zh/01_a.ipynb", "solutions/zh/02_b.ipynb"):
        (tmp_path / path).write_text("{}")
    assert slides.output_names(tmp_path / "notebooks/zh/01_a.ipynb") == (
        "zh/01_a.slides.html", "zh/01_a.html")
    assert slides.output_names(tmp_path / "solutions/zh/02_b.ipynb") == (
        "zh/02_b.instructor.slides.html", "zh/02_b.instructor.html")
    assert slides.edition_of(tmp_path / "notebooks/01_a.ipynb") is None
    assert [str(p.relative_to(tmp_path)) for p in slides.deck_notebooks(tmp_path)] == [
        "notebooks/01_a.ipynb", "notebooks/zh/01_a.ipynb", "solutions/zh/02_b.ipynb"]


# ----------------------------------------------------------------------------------------
# nbconvert with the course's settings (_config, _export), on a notebook of three cells


def export(kind: str, folder: Path) -> str:
    """A page of three cells (and a picture), built as a page in an edition's subfolder."""
    def code(source, tag, output, count):
        return new_code_cell(source, execution_count=count, metadata={
            "slideshow": {"slide_type": "-"}, "tags": [tag]}, outputs=[
            new_output("stream", name="stdout", text=output + "\n"),
            new_output("execute_result", data={"text/plain": "42"}, execution_count=count)])

    (folder / "pixel.png").write_bytes(base64.b64decode(_png()))  # shown by a markdown cell
    nb = new_notebook(cells=[
        new_markdown_cell("# A title with $x^2$\n\n![a pixel](pixel.png)",
                          metadata={"slideshow": {"slide_type": "slide"}}),
        code("print('a cell only for the notebook')", slides.REMOVE_FROM_SLIDES_TAG,
             "OUTPUT ONLY FOR THE NOTEBOOK", 2),
        code("print('an input only for the notebook')", slides.REMOVE_INPUT_FROM_SLIDES_TAG,
             "OUTPUT FOR EVERYONE", 3),
    ])
    return slides._export(kind, nbformat.from_dict(nb), {"metadata": {"path": str(folder)}},
                          up="../")


ASSET_LOADS = ('src="../assets/jquery.min.js"', 'src="../assets/require.js"',
               'src="../assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"')


def test_a_deck_loads_from_its_assets_folder_with_the_course_settings(tmp_path):
    deck = export("slides", tmp_path)
    assert slides.external_loads(deck) == []
    for load in (*ASSET_LOADS, 'href="../assets/reveal.js/dist/reveal.css"',
                 'href="../assets/reveal.js/dist/theme/white.css"'):  # white: no web fonts
        assert load in deck, load
    start = deck.index("Reveal.initialize({")
    settings = re.sub(r"\s+", " ", deck[start:deck.index("});", start)])
    for setting in ('transition: "none"', 'slideNumber: "c/t"', f"width: {slides.SLIDE_WIDTH},",
                    f"height: {slides.SLIDE_HEIGHT},"):
        assert setting in settings, settings
    assert "var scroll = true" in deck  # a slide taller than the screen scrolls
    # The tags: a cell left out of the deck, a cell shown by its output only; no prompts.
    assert "ONLY FOR THE NOTEBOOK" not in deck and "a cell only for the notebook" not in deck
    assert "OUTPUT FOR EVERYONE" in deck and "an input only for the notebook" not in deck
    assert "[3]:" not in deck
    assert 'src="data:image/png;base64,' in deck  # the picture inside the page


def test_a_handout_has_every_cell_without_prompts_and_no_deck(tmp_path):
    page = export("handout", tmp_path)
    assert slides.external_loads(page) == []
    for load in ASSET_LOADS[1:]:  # the handout's template needs no jQuery
        assert load in page, load
    assert "Reveal.initialize" not in page
    for text in ("a cell only for the notebook", "OUTPUT ONLY FOR THE NOTEBOOK",
                 "an input only for the notebook", "OUTPUT FOR EVERYONE"):
        assert text in page, text
    assert "[2]:" not in page and "[3]:" not in page
    assert 'data-jp-theme-light="true"' in page
    assert 'src="data:image/png;base64,' in page


def test_a_student_deck_drops_solution_cells_and_stubs_solution_regions():
    solution_cell = new_markdown_cell("The whole answer.")
    solution_cell.metadata["tags"] = [slides.SOLUTION_TAG]
    code = new_code_cell("x = 1\n### BEGIN SOLUTION\ny = x + 1\n### END SOLUTION",
                         execution_count=4, outputs=[new_output("stream", name="stdout",
                                                                text="2\n")])
    code.metadata["course"] = {"task": 1}
    answer = new_markdown_cell("Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION")
    answer.metadata["course"] = {"task": 2}
    nb = new_notebook(cells=[new_markdown_cell("Intro."), solution_cell, code, answer,
                             new_markdown_cell("After the solutions.")])
    before = nbformat.writes(nb)
    deck = slides.hide_solutions(nb)
    assert [cell.source.split("\n")[0] for cell in deck.cells] == [
        "Intro.", "x = 1", "Why?", "After the solutions."]  # the tagged cell only is gone
    assert "y = x + 1" not in deck.cells[1].source and "NotDone(1)" in deck.cells[1].source
    assert deck.cells[1].outputs == [] and deck.cells[1].execution_count is None
    assert "Because." not in deck.cells[2].source and "YOUR ANSWER HERE" in deck.cells[2].source
    assert nbformat.writes(nb) == before  # the notebook itself is left as it was
    del code.metadata["course"]  # no task number: nbgrader's own stub
    assert slides.hide_solutions(nb).cells[1].source == (
        "x = 1\n# YOUR CODE HERE\nraise NotImplementedError()")
    code.source = "### BEGIN SOLUTION\ny = 2"  # never closed: the cell is named
    with pytest.raises(ValueError, match="^cell 2: "):
        slides.hide_solutions(nb)


def test_speaker_notes_in_metadata_become_a_notes_cell_of_the_deck_only(built_course):
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    title = new_markdown_cell("# Lesson", metadata={"course": {"speaker_notes": "Say hello."}})
    title["id"] = "title"
    nb = new_notebook(cells=[title, new_markdown_cell("Body.")])
    deck = slides.with_speaker_notes(nb)
    assert [c.source for c in deck.cells] == ["# Lesson", "Say hello.", "Body."]
    note = deck.cells[1]
    assert note.cell_type == "markdown" and note.id == "title-notes"
    assert note.metadata == {"slideshow": {"slide_type": "notes"}}
    assert [c.source for c in nb.cells] == ["# Lesson", "Body."]  # the notebook as it was
    assert slides.speaker_notes(nb.cells[1]) is None
    title.metadata["course"]["speaker_notes"] = "  "  # blank notes: no cell
    assert len(slides.with_speaker_notes(nb).cells) == 2
    # Built: the deck has the notes, the handout (a student's reading) does not.
    files, out = built_course
    title.metadata["course"]["speaker_notes"] = "NOTES FOR THE INSTRUCTOR"
    nbformat.write(nb, files["lesson"])
    built = slides.build_notebook(files["lesson"], out)
    assert "NOTES FOR THE INSTRUCTOR" in built.deck.read_text(encoding="utf-8")
    assert "NOTES FOR THE INSTRUCTOR" not in built.handout.read_text(encoding="utf-8")
