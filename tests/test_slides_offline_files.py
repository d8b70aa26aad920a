"""Every file a built deck or handout refers to is there, without a browser.

`tools.slides` builds the sample course's lesson (English and, in notebooks/zh/, as the Chinese
edition's page one folder down), its homework's instructor deck and their handouts, with the
real assets from slides/node_modules; then every local reference of every page must resolve to
a file: `src` and `href`, the modules that require.js loads (reveal.js and its plugins), the
MathJax configuration files named in its URL, and the `url(...)`/`@import` of the pages' CSS
and of every stylesheet they load, followed down (the theme's web fonts, the CJK font subset).
A deck whose reveal.js plugin is missing never starts: the browser tests
(tests/test_slides_browser.py) would see it too, in a minute; this sees it in seconds. Once
slides/node_modules is installed (`make slides`, `make test-slow`), or in CI, which fetches it.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.external_tools import in_ci, require
from tests.slides_samples import write_sample_course
from tools import slides

_NOT_A_FILE = re.compile(r"^(?:#|data:|blob:|about:|mailto:|javascript:|https?:|//)", re.I)
# A quoted path into an assets folder, as require.js and the templates' scripts name them.
_ASSET_STRING = re.compile(r"""["']((?:\.\./)*assets/[^"'\s]+)["']""")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)["']?\s*\)|@import\s+["']([^"']+)["']""")


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[str] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        self.attributes += [v for k, v in attrs if k in ("src", "href") and v]
        self.styles += [v for k, v in attrs if k == "style" and v]
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.styles.append(data)
        elif self._in == "script":
            self.scripts.append(data)


def _local(reference: str, base: Path) -> Path | None:
    """The file that ``reference`` (relative to the folder ``base``) names; None if it names
    no local file (an anchor, a data: URL, another machine)."""
    if _NOT_A_FILE.match(reference.strip()):
        return None
    return (base / reference.split("?")[0].split("#")[0]).resolve()


def _css_references(css: str, base: Path) -> list[Path]:
    found = [_local(a or b, base) for a, b in _CSS_URL.findall(css)]
    return [p for p in found if p is not None]


def referenced_files(page: Path) -> dict[Path, str]:
    """Every local file that ``page`` loads, directly or through its stylesheets -> what refers
    to it (for the message)."""
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    base = page.parent
    found: dict[Path, str] = {}
    for reference in parser.attributes:
        path = _local(reference, base)
        if path is not None:
            found[path] = f"src/href {reference}"
            config = re.search(r"MathJax\.js\?config=([^&\"']+)", reference)
            for name in config.group(1).split(",") if config else ():
                found[path.parent / "config" / f"{name}.js"] = f"MathJax's config {name}"
    # require([...]) in the scripts: reveal.js and its plugins.
    for reference in (r for script in parser.scripts for r in _ASSET_STRING.findall(script)):
        path = _local(reference, base)
        if path is not None and path not in found:
            found[path if path.suffix else path.with_suffix(".js")] = f"script {reference}"
    stylesheets = [p for p in found if p.suffix == ".css"]
    for path in (p for style in parser.styles for p in _css_references(style, base)):
        found.setdefault(path, "the page's CSS")
    seen: set[Path] = set()
    while stylesheets:  # a stylesheet's url() and @import are relative to the stylesheet
        sheet = stylesheets.pop()
        if sheet in seen or not sheet.is_file():
            continue
        seen.add(sheet)
        for path in _css_references(sheet.read_text(encoding="utf-8", errors="replace"),
                                    sheet.parent):
            found.setdefault(path, f"CSS {sheet.name}")
            if path.suffix == ".css":
                stylesheets.append(path)
    return found


def missing_files(page: Path) -> list[str]:
    return [f"{why} -> {path}" for path, why in referenced_files(page).items()
            if not path.is_file()]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict:
    """The sample lesson (English and Chinese-edition folder), the homework's instructor deck
    and the handouts, built with the real assets."""
    if not slides.node_modules_ready():
        # `make test` needs nothing beyond the lock (README): without slides/node_modules this
        # test waits for `make slides` or `make test-slow` (npm), except in CI, which fetches.
        if not in_ci():
            pytest.skip("slides/node_modules is not installed (reveal.js and MathJax from "
                        "npm): `make slides` or `make test-slow` installs it")
        require(["npm"], "the deck files test")
    root = tmp_path_factory.mktemp("course")
    sample = write_sample_course(root)
    chinese = root / "notebooks" / "zh" / sample["lesson"].name
    chinese.parent.mkdir()
    shutil.copy2(sample["lesson"], chinese)
    out = tmp_path_factory.mktemp("site")
    built, errors = slides.build_all(out, [sample["lesson"], chinese,
                                           sample["homework_solution"]], quiet=True)
    assert not errors, errors
    pages = [b.deck for b in built] + [b.handout for b in built]
    return {"out": out, "pages": pages}


def test_every_local_file_of_every_page_exists(site):
    assert len(site["pages"]) == 6
    missing = {str(page.relative_to(site["out"])): missing_files(page) for page in site["pages"]}
    assert not any(missing.values()), {page: m for page, m in missing.items() if m}


def test_the_check_sees_what_a_deck_needs_to_start(site):
    """The references found hold what makes a deck run: reveal.js and its notes plugin (through
    require.js), MathJax and its configuration, the theme's web fonts (a stylesheet imported
    by a stylesheet) and the CJK subset, each from the right assets folder."""
    out = site["out"]
    for deck, assets in (("slides/90_sample_lesson.slides.html", out / "slides" / "assets"),
                         ("slides/zh/90_sample_lesson.slides.html", out / "slides" / "assets")):
        found = {p.relative_to(assets.resolve()).as_posix() for p in
                 referenced_files(out / deck) if assets.resolve() in p.parents}
        for wanted in ("reveal.js/dist/reveal.js", "reveal.js/plugin/notes/notes.js",
                       "reveal.js/dist/reveal.css", "reveal.js/dist/theme/white.css",
                       "require.js", "jquery.min.js", "mathjax/MathJax.js",
                       "mathjax/config/TeX-AMS_CHTML-full.js", "mathjax/config/Safe.js",
                       slides.CJK_FONT_FILE):
            assert wanted in found, (deck, wanted)
        assert any(p.startswith("reveal.js/dist/theme/fonts/source-sans-pro/") and
                   p.endswith(".woff") for p in found), deck


def test_a_missing_plugin_or_font_is_named(tmp_path):
    """The check itself, on a page of known references."""
    (tmp_path / "assets" / "css").mkdir(parents=True)
    (tmp_path / "assets" / "here.js").write_text("")
    (tmp_path / "assets" / "css" / "a.css").write_text(
        "@import url(fonts/gone.css);\n@font-face { src: url('font.woff?v=1') }")
    (tmp_path / "assets" / "css" / "font.woff").write_text("")
    page = tmp_path / "deck.html"
    page.write_text(
        '<link href="assets/css/a.css" rel="stylesheet"><a href="#top">top</a>'
        '<img src="data:image/png;base64,AA"><a href="https://example.org/x.js">x</a>'
        '<script>require(["assets/here.js", "assets/plugin/notes/notes.js"], f)</script>'
        '<style>.a { background: url("assets/bg.png") }</style>', encoding="utf-8")
    assert sorted(missing_files(page)) == [
        f"CSS a.css -> {tmp_path / 'assets' / 'css' / 'fonts' / 'gone.css'}",
        f"script assets/plugin/notes/notes.js -> {tmp_path / 'assets/plugin/notes/notes.js'}",
        f"the page's CSS -> {tmp_path / 'assets' / 'bg.png'}"]
