"""Build the instructor slides and the reading handouts of every course notebook, offline.

For each notebook in notebooks/ and solutions/ this writes

    <out>/slides/<name>.slides.html              reveal.js deck (student version, notebooks/)
    <out>/slides/<name>.instructor.slides.html   reveal.js deck (instructor version, solutions/)
    <out>/handouts/<name>.html                   static page for reading (notebooks/)
    <out>/handouts/<name>.instructor.html        static page for reading (solutions/)

and the same for the Chinese edition (notebooks/zh/, solutions/zh/) in ``<out>/slides/zh/`` and
``<out>/handouts/zh/``, which use the assets of the folder above them. It copies reveal.js,
require.js, jQuery and MathJax 2 into ``<out>/slides/assets`` and ``<out>/handouts/assets``, so
that each of the two folders works on its own, with no internet (copy ``build/slides`` to a USB
stick and open a deck in any browser). The assets come from
the npm registry, pinned in slides/package-lock.json; ``npm ci`` runs when slides/node_modules
is missing or does not match the lock.

Chinese text shows on a computer without a Chinese font too: after the pages are written, each
folder gets ``assets/fonts/noto-sans-cjk-sc-subset.woff``, the glyphs of Noto Sans CJK SC (from
the pinned package noto-cjk-sans-otc) for exactly the CJK characters of every page in that
folder, and the pages' CSS names it first for CJK characters (slides/templates/course_fonts.j2).
It is made anew whenever those characters change, so it never misses one.

Student versions never show solutions: a cell tagged ``solution`` is dropped, and each solution
region (``### BEGIN SOLUTION`` to ``### END SOLUTION``) becomes its stub as in the student
version, with the cell's outputs cleared, even if such code was left in a notebook of
notebooks/ by mistake.

Cell tags the decks understand: ``remove-slides`` (the cell is not in the deck, only in the
notebook and the handout), ``remove-input-slides`` (the deck shows the cell's output only).

Speaker notes live in a cell's metadata, ``metadata.course.speaker_notes`` (markdown), out of a
student's reading path in JupyterLab; each deck puts them after their cell as a cell of slide
type ``notes``, which reveal.js shows in its speaker view only (press S). Handouts leave them out.

Usage: python -m tools.slides [--out build] [--root .] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.paths import NOTEBOOK_DIRS, ROOT, SOLUTIONS_DIR, course_notebooks
from tools.student import has_solution, strip_solutions

SLIDES_DIR = ROOT / "slides"
TEMPLATES_DIR = SLIDES_DIR / "templates"
NODE_MODULES = SLIDES_DIR / "node_modules"
NODE_STAMP = NODE_MODULES / ".course-assets-stamp"

SOLUTION_TAG = "solution"
REMOVE_FROM_SLIDES_TAG = "remove-slides"
REMOVE_INPUT_FROM_SLIDES_TAG = "remove-input-slides"
SPEAKER_NOTES_KEY = "speaker_notes"  # metadata.course.speaker_notes of a cell

# A 16:9 slide; reveal.js scales it to the screen.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720

# What each output folder needs from slides/node_modules: (source, destination under assets/).
# MathJax is large (73 MB on npm); a deck needs only the TeX input, the CommonHTML output, its
# TeX web fonts and the extensions that the `TeX-AMS_CHTML-full,Safe` configuration loads.
MATHJAX_PARTS = (
    "MathJax.js",
    "config/TeX-AMS_CHTML-full.js",
    "config/Safe.js",
    "extensions",
    "jax/element",
    "jax/input/TeX",
    "jax/output/CommonHTML",
    "fonts/HTML-CSS/TeX/woff",
    "LICENSE",
)
COMMON_ASSETS = (
    ("requirejs/require.js", "require.js"),
    ("jquery/dist/jquery.min.js", "jquery.min.js"),
    ("jquery/LICENSE.txt", "LICENSES/jquery.txt"),
    *((f"mathjax/{part}", f"mathjax/{part}") for part in MATHJAX_PARTS),
)
REVEAL_ASSETS = (
    ("reveal.js/dist/reveal.js", "reveal.js/dist/reveal.js"),
    ("reveal.js/dist/reveal.css", "reveal.js/dist/reveal.css"),
    ("reveal.js/dist/theme/white.css", "reveal.js/dist/theme/white.css"),
    ("reveal.js/dist/theme/fonts/source-sans-pro", "reveal.js/dist/theme/fonts/source-sans-pro"),
    ("reveal.js/plugin/notes", "reveal.js/plugin/notes"),
    ("reveal.js/LICENSE", "reveal.js/LICENSE"),
)
ASSETS_LAYOUT_VERSION = "2"  # bump when the lists above change, so old copies are replaced

# Chinese, Japanese and Korean text: the Unicode blocks it is written in (ideographs, their
# punctuation, kana, Hangul, full-width forms). The pages draw characters of these blocks with
# a subset of Noto Sans CJK SC, made from the characters that the pages use.
CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF),
    (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF),
)
CJK_FACE = "Noto Sans CJK SC"  # the face of the package's font collection
CJK_FONT_FAMILY = "Noto Sans CJK SC Subset"  # the name the pages' CSS gives the subset
CJK_FONT_FILE = "fonts/noto-sans-cjk-sc-subset.woff"  # under assets/
CJK_FONT_PACKAGE = "noto-cjk-sans-otc"
_CJK = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in CJK_RANGES) + "]")

# Loads of remote resources in generated HTML (links a reader clicks, <a href>, are fine).
_EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\bsrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link\b[^>]*?\bhref\s*=\s*["']?(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//"""
    r"""|\bimport\s*(?:\(|[^;'"]*\bfrom)\s*["'](?:https?:)?//"""
    r"""|\brequire\.config\([^)]*https?://"""
    r"""|(?<!href=)["'](?:https?:)?//[^"'\s]+\.(?:m?js|css|woff2?|ttf|otf)(?:\?[^"'\s]*)?["']""",
    re.IGNORECASE,
)


class BuildError(RuntimeError):
    """A deck or handout could not be built; the message names the notebook."""


@dataclass(frozen=True)
class Built:
    notebook: Path
    deck: Path
    handout: Path | None
    audience: str  # "student" or "instructor"


# ---------------------------------------------------------------------------------------------
# Assets


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def _exclusive(name: str) -> Iterator[None]:
    """A lock shared by every process on this machine (pytest-xdist workers, `make slides`)."""
    try:
        import fcntl
    except ImportError:  # Windows: no concurrent builds expected
        yield
        return
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"rnn-course-{name}-{digest}.lock"
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def node_modules_ready() -> bool:
    """True when slides/node_modules was installed from the current package-lock.json (then
    building the decks needs no npm and no network)."""
    wanted = _sha256(SLIDES_DIR / "package-lock.json")
    return NODE_STAMP.is_file() and NODE_STAMP.read_text().strip() == wanted


def ensure_node_modules(quiet: bool = False) -> Path:
    """Run ``npm ci`` in slides/ when node_modules is missing or was installed from another
    package-lock.json. Returns the node_modules folder."""
    wanted = _sha256(SLIDES_DIR / "package-lock.json")
    with _exclusive("npm"):
        if node_modules_ready():
            return NODE_MODULES
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError(
                "npm not found: the slides need reveal.js and MathJax from the npm registry. "
                "Install Node.js and npm (Debian/Ubuntu: apt-get install npm; macOS: brew "
                "install node), then run `make slides` again."
            )
        if not quiet:
            print("npm ci in slides/ (node_modules missing or older than package-lock.json)")
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=SLIDES_DIR, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise BuildError(
                f"`npm ci` in {SLIDES_DIR} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}"
            )
        NODE_STAMP.write_text(wanted + "\n")
    return NODE_MODULES


def _copy(src: Path, dest: Path) -> None:
    if not src.exists():
        raise BuildError(f"asset {src} is missing: delete slides/node_modules and try again")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.map"))
    else:
        shutil.copy2(src, dest)


def install_assets(folder: Path, reveal: bool) -> Path:
    """Copy the offline assets into ``folder/assets`` (skipped when already up to date)."""
    modules = ensure_node_modules()
    assets = folder / "assets"
    stamp = assets / ".stamp"
    wanted = f"{ASSETS_LAYOUT_VERSION} {reveal} {NODE_STAMP.read_text().strip()}"
    if stamp.is_file() and stamp.read_text().strip() == wanted:
        return assets
    if assets.exists():
        shutil.rmtree(assets)
    for src, dest in COMMON_ASSETS + (REVEAL_ASSETS if reveal else ()):
        _copy(modules / src, assets / dest)
    stamp.write_text(wanted + "\n")
    return assets


# ---------------------------------------------------------------------------------------------
# The CJK font


def cjk_unicode_range() -> str:
    """``CJK_RANGES`` as the value of a CSS ``unicode-range``."""
    return ", ".join(f"U+{a:X}-{b:X}" for a, b in CJK_RANGES)


def cjk_characters(folder: Path) -> set[str]:
    """Every CJK character of the pages (``*.html``) under ``folder``, subfolders included
    (``assets/`` left out)."""
    found: set[str] = set()
    for page in sorted(folder.rglob("*.html")):
        if "assets" not in page.relative_to(folder).parts:
            found.update(_CJK.findall(page.read_text(encoding="utf-8")))
    return found


def _cjk_face_number(path: str) -> int:
    from fontTools.ttLib import TTCollection

    names = [face["name"].getDebugName(1) for face in TTCollection(path, lazy=True).fonts]
    if CJK_FACE not in names:
        raise BuildError(f"{path} has no face {CJK_FACE!r}, only {names}")
    return names.index(CJK_FACE)


def write_cjk_font(folder: Path) -> tuple[Path, int]:
    """Write ``folder/assets/fonts/noto-sans-cjk-sc-subset.woff``: the glyphs of Noto Sans CJK SC
    for every CJK character of the pages under ``folder`` (and the font's licence into
    ``assets/LICENSES``). Kept as it is when those characters have not changed. Returns the
    font's path and how many characters it covers."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError as exc:
        raise BuildError(
            f"{CJK_FONT_PACKAGE} is not installed: `make install` (the lock pins it)"
        ) from exc
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = "".join(sorted(cjk_characters(folder)))
    font_path = folder / "assets" / CJK_FONT_FILE
    stamp = font_path.parent / ".characters"
    version = importlib.metadata.version(CJK_FONT_PACKAGE)
    wanted = f"{CJK_FONT_PACKAGE} {version} {CJK_FACE}\n{chars}\n"
    if font_path.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return font_path, len(chars)
    font = TTFont(str(FONT_PATH), fontNumber=_cjk_face_number(str(FONT_PATH)), lazy=True,
                  recalcTimestamp=False)  # the same characters give the same file
    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed: every browser reads it, no extra package
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    font_path.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff"
    font.save(str(font_path))
    stamp.write_text(wanted, encoding="utf-8")
    licence = next((f for f in importlib.metadata.files(CJK_FONT_PACKAGE) or ()
                    if f.name.upper().startswith("LICENSE")), None)
    if licence is not None:
        _copy(Path(licence.locate()), folder / "assets" / "LICENSES" / "noto-cjk.txt")
    return font_path, len(chars)


# ---------------------------------------------------------------------------------------------
# Notebooks


EDITIONS = ("zh",)  # folders of notebooks/ and solutions/ that hold a translated edition


def edition_of(notebook: Path) -> str | None:
    """``"zh"`` for a notebook of the Chinese edition (notebooks/zh/, solutions/zh/), else None:
    its deck and handout go to ``slides/zh/`` and ``handouts/zh/``."""
    return notebook.parent.name if notebook.parent.name in EDITIONS else None


def deck_notebooks(root: Path = ROOT) -> list[Path]:
    """What `make slides` builds: every course notebook, then every translated edition's."""
    translated = [p for edition in EDITIONS for folder in NOTEBOOK_DIRS
                  for p in sorted((root / folder / edition).glob("*.ipynb"))]
    return course_notebooks(root) + translated


def is_instructor_notebook(path: Path) -> bool:
    folder = path.parent.parent if edition_of(path) else path.parent
    return folder.name == SOLUTIONS_DIR.name


def hide_solutions(nb):  # nbformat.NotebookNode -> nbformat.NotebookNode
    """A copy of ``nb`` without solutions, for a student deck: cells tagged ``solution`` are
    dropped, each solution region becomes its stub (``tools.student.strip_solutions``), and such
    cells lose their outputs."""
    nb = copy.deepcopy(nb)
    kept = []
    for index, cell in enumerate(nb.cells):
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if has_solution(cell.source):
            task = cell.get("metadata", {}).get("course", {}).get("task")
            cell.source = strip_solutions(cell.source, cell.cell_type, task, f"cell {index}")
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        kept.append(cell)
    nb.cells = kept
    return nb


def speaker_notes(cell) -> str | None:  # a notebook cell -> its notes, or None
    """The speaker notes kept in ``cell``'s metadata (``course.speaker_notes``), if any."""
    notes = cell.get("metadata", {}).get("course", {}).get(SPEAKER_NOTES_KEY)
    return notes if isinstance(notes, str) and notes.strip() else None


def with_speaker_notes(nb):  # nbformat.NotebookNode -> nbformat.NotebookNode
    """A copy of ``nb`` in which each cell with speaker notes in its metadata is followed by a
    markdown cell of slide type ``notes`` holding them (reveal.js's speaker view)."""
    from nbformat.v4 import new_markdown_cell

    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        notes = speaker_notes(cell)
        if notes is not None:
            note = new_markdown_cell(notes, metadata={"slideshow": {"slide_type": "notes"}})
            note["id"] = f"{cell.get('id', 'cell')}-notes"
            cells.append(note)
    nb.cells = cells
    return nb


def external_loads(html: str) -> list[str]:
    """Snippets of ``html`` that would load something from another machine."""
    return [html[max(m.start() - 40, 0) : m.end() + 60] for m in _EXTERNAL_LOAD.finditer(html)]


def _config(kind: str, up: str):
    """nbconvert's settings for a deck or a handout; ``up`` ("../") leads from a page in a
    subfolder (an edition's) to the folder's assets."""
    from traitlets.config import Config

    c = Config()
    c.TemplateExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    c.TemplateExporter.extra_template_paths = [str(TEMPLATES_DIR)]  # course_fonts.j2
    c.TemplateExporter.exclude_input_prompt = True  # --no-prompt
    c.TemplateExporter.exclude_output_prompt = True
    c.HTMLExporter.require_js_url = f"{up}assets/require.js"
    c.HTMLExporter.jquery_url = f"{up}assets/jquery.min.js"
    c.HTMLExporter.mathjax_url = f"{up}assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    c.HTMLExporter.embed_images = True
    c.TagRemovePreprocessor.enabled = True
    if kind == "slides":
        c.SlidesExporter.template_name = "course_reveal"
        c.SlidesExporter.reveal_url_prefix = f"{up}assets/reveal.js"
        c.SlidesExporter.reveal_theme = "white"  # no web fonts (the `simple` theme has some)
        c.SlidesExporter.reveal_transition = "none"
        c.SlidesExporter.reveal_number = "c/t"
        c.SlidesExporter.reveal_scroll = True  # a slide taller than the screen can scroll
        c.SlidesExporter.reveal_width = str(SLIDE_WIDTH)
        c.SlidesExporter.reveal_height = str(SLIDE_HEIGHT)
        c.TagRemovePreprocessor.remove_cell_tags = {REMOVE_FROM_SLIDES_TAG}
        c.TagRemovePreprocessor.remove_input_tags = {REMOVE_INPUT_FROM_SLIDES_TAG}
    else:
        c.HTMLExporter.template_name = "course_handout"
        c.HTMLExporter.theme = "light"
    return c


def _export(kind: str, nb, resources: dict, up: str) -> str:
    from nbconvert import HTMLExporter, SlidesExporter

    exporter_class = SlidesExporter if kind == "slides" else HTMLExporter
    body, _ = exporter_class(config=_config(kind, up)).from_notebook_node(nb, resources=resources)
    return body


def output_names(notebook: Path) -> tuple[str, str]:
    """(deck, handout) of ``notebook``, as paths under ``slides/`` and ``handouts/``: a
    translated edition's go to a subfolder named after it (``zh/...``)."""
    suffix = ".instructor" if is_instructor_notebook(notebook) else ""
    folder = f"{edition_of(notebook)}/" if edition_of(notebook) else ""
    return (f"{folder}{notebook.stem}{suffix}.slides.html",
            f"{folder}{notebook.stem}{suffix}.html")


def build_notebook(notebook: Path, out: Path, handouts: bool = True) -> Built:
    """Write the deck (and the handout) of one notebook under ``out``; assets not included."""
    import nbformat

    instructor = is_instructor_notebook(notebook)
    deck_name, handout_name = output_names(notebook)
    up = "../" if edition_of(notebook) else ""  # from slides/zh/ to slides/assets/
    try:
        nb = nbformat.read(notebook, as_version=4)
        if not instructor:
            nb = hide_solutions(nb)
        resources = {"metadata": {"name": notebook.stem, "path": str(notebook.parent)},
                     "course_fonts": {"cjk_family": CJK_FONT_FAMILY,
                                      "cjk_url": f"{up}assets/{CJK_FONT_FILE}",
                                      "cjk_unicode_range": cjk_unicode_range()}}
        pages = {out / "slides" / deck_name: _export("slides", with_speaker_notes(nb),
                                                     dict(resources), up)}
        if handouts:
            pages[out / "handouts" / handout_name] = _export("handout", nb, dict(resources), up)
    except Exception as exc:  # any failure is reported with the notebook's name
        raise BuildError(f"{notebook}: {type(exc).__name__}: {exc}") from exc
    for path, html in pages.items():
        remote = external_loads(html)
        if remote:
            raise BuildError(
                f"{notebook}: {path.name} would load from the internet:\n  "
                + "\n  ".join(remote[:5])
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return Built(
        notebook=notebook,
        deck=out / "slides" / deck_name,
        handout=out / "handouts" / handout_name if handouts else None,
        audience="instructor" if instructor else "student",
    )


def build_all(
    out: Path,
    notebooks: Sequence[Path] | None = None,
    handouts: bool = True,
    assets: bool = True,
    quiet: bool = False,
) -> tuple[list[Built], list[str]]:
    """Build every deck (and handout) under ``out``; returns what was built and the errors
    (one message per failed notebook, naming it). With ``assets`` the offline assets are
    copied as well, so ``out/slides`` (and ``out/handouts``) can be opened without internet."""
    notebooks = list(deck_notebooks() if notebooks is None else notebooks)
    if assets:
        install_assets(out / "slides", reveal=True)
        if handouts:
            install_assets(out / "handouts", reveal=False)
    built: list[Built] = []
    errors: list[str] = []
    for notebook in notebooks:
        start = time.perf_counter()
        try:
            result = build_notebook(notebook, out, handouts=handouts)
        except BuildError as exc:
            errors.append(str(exc))
            if not quiet:
                print(f"FAILED  {_show(notebook)}: {exc}", file=sys.stderr)
            continue
        built.append(result)
        if not quiet:
            extra = f" + {_show(result.handout)}" if result.handout else ""
            print(
                f"{result.audience:<10} {_show(result.deck)}{extra}"
                f"  ({time.perf_counter() - start:.1f} s)"
            )
    if assets:
        # After the pages: the font holds the CJK characters of every page in each folder.
        for folder in (out / "slides", *((out / "handouts",) if handouts else ())):
            font, count = write_cjk_font(folder)
            if not quiet:
                print(f"CJK font    {_show(font)}: {count} characters, "
                      f"{font.stat().st_size / 1024:.0f} KB")
    return built, errors


def _show(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "build",
        help="folder that receives slides/ and handouts/ (default: build)",
    )
    parser.add_argument(
        "--root", type=Path, default=None,
        help="course folder whose notebooks/ and solutions/ are built (default: this course)",
    )
    parser.add_argument("--no-handouts", action="store_true", help="build the decks only")
    parser.add_argument(
        "notebooks", nargs="*", type=Path,
        help="build only these notebooks (default: every notebook of the course)",
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    for folder in NOTEBOOK_DIRS:
        if out == ROOT / folder or (ROOT / folder) in out.parents:
            parser.error(f"--out {args.out}: nothing is written into {folder}/")
    if args.notebooks:
        notebooks = [p.resolve() for p in args.notebooks]
    else:
        notebooks = deck_notebooks(args.root.resolve()) if args.root else deck_notebooks()
    if not notebooks:
        print("error: no notebooks found in notebooks/ or solutions/", file=sys.stderr)
        return 1
    try:
        built, errors = build_all(out, notebooks, handouts=not args.no_handouts)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if errors:
        print(f"error: {len(errors)} of {len(notebooks)} notebooks failed:", file=sys.stderr)
        for message in errors:
            print(f"  {message.splitlines()[0]}", file=sys.stderr)
        return 1
    where = _show(out / "slides")
    print(f"{len(built)} decks in {where}/ (open one in a browser; works offline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
