"""The decks and handouts work offline, in a real browser.

Builds the decks into a temporary folder (the course's, and a small sample course's whose
content the checks know) with `tools.slides`, each notebook's when a test first needs it (so no
test waits for every deck: building them all takes about a minute), serves the folder on
127.0.0.1, and opens each page in headless Chromium (Debian's, through playwright) with every
request to another machine blocked and recorded. Then: no outside request, no console error,
reveal.js ready with enough slides, MathJax typeset every equation, speaker notes open, every
slide of the course fits a 1280x720 screen (measured in the browser, fragments and equations
included), and Chinese text draws with the subset of Noto Sans CJK SC that the build ships in
assets/ (the font the browser actually used, asked through the DevTools protocol), a subset that
holds every CJK character of the pages and is made anew when they change.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

from tests.external_tools import require
from tests.slides_samples import (
    ROOT,
    SAMPLE_EQUATION,
    SAMPLE_NOTE,
    write_sample_course,
)
from tools import slides as build_slides

# Chinese text of the sample lesson's second slide ("The hidden state (隐藏状态):").
SAMPLE_CJK = "隐藏状态"

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
MIN_SLIDES = 5
TIMEOUT_MS = 30_000
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$|\\\(.+?\\\)|\\\[.+?\\\]", re.DOTALL)

pytestmark = pytest.mark.timeout(300)

# Slides allowed to be taller than the screen (the deck scrolls them), with the reason: one
# place, kept short. Key: "<deck file name>: <first line of the slide's text>".
TALL_SLIDES: dict[str, str] = {}


def _has_math(notebook: Path) -> bool:
    nb = nbformat.read(notebook, as_version=4)
    return any(c.cell_type == "markdown" and _MATH.search(c.source) for c in nb.cells)


@dataclass(frozen=True)
class Page:
    notebook: Path
    kind: str  # "deck" or "handout"
    relpath: str  # under the served folder

    @property
    def id(self) -> str:
        return self.relpath


def _pages(notebooks: list[Path]) -> list[Page]:
    pages = []
    for notebook in notebooks:
        deck, handout = build_slides.output_names(notebook)
        pages.append(Page(notebook, "deck", f"slides/{deck}"))
        pages.append(Page(notebook, "handout", f"handouts/{handout}"))
    return pages


COURSE = build_slides.deck_notebooks()


def _require_tools() -> None:
    # The decks need reveal.js and MathJax from npm (unless slides/node_modules is current)
    # and the pages a browser: without them these tests skip, or fail with CI=true.
    require(["chromium"] + ([] if build_slides.node_modules_ready() else ["npm"]),
            "the slide browser tests")


class Site:
    """One folder of decks and handouts, served to the browser, that grows as the tests ask:
    ``built(page)`` builds the page's notebook (its deck and its handout) the first time, with
    ``tools.slides.build_all``, as `make slides` does.

    The assets are copied once, and the CJK font is made once, for every CJK character of the
    notebooks that can be built here (`make slides` makes it for the pages built; making it
    again after each notebook would cost 2-3 s a notebook). ``built`` checks that it holds
    every CJK character of each page it builds; `test_the_shipped_font_holds_every_cjk_
    character_of_the_pages` checks the font as `make slides` makes it."""

    def __init__(self, out: Path, sample_root: Path, sample: dict[str, Path]) -> None:
        self.out, self.sample_root, self.sample = out, sample_root, sample
        self._built: set[Path] = set()
        text = "".join(p.read_text(encoding="utf-8") for p in COURSE + list(sample.values()))
        self.cjk = set(build_slides._CJK.findall(text))
        for folder, reveal in (("slides", True), ("handouts", False)):
            build_slides.install_assets(out / folder, reveal=reveal)
            (out / folder / "cjk-characters.html").write_text(
                "".join(sorted(self.cjk)), encoding="utf-8")  # the pages to come, in one
            build_slides.write_cjk_font(out / folder)

    def built(self, page_: Page) -> Page:
        if page_.notebook not in self._built:
            built, errors = build_slides.build_all(self.out, [page_.notebook], assets=False,
                                                   quiet=True)
            assert not errors, f"tools.slides failed: {errors}"
            for page in (built[0].deck, built[0].handout):
                new = set(build_slides._CJK.findall(page.read_text(encoding="utf-8")))
                assert new <= self.cjk, f"{page.name}: CJK not in the font: {new - self.cjk}"
            self._built.add(page_.notebook)
        return page_


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    """The folder the pages are built into and served from, and the sample course."""
    _require_tools()
    sample_root = tmp_path_factory.mktemp("sample_course")
    sample = write_sample_course(sample_root)
    return Site(tmp_path_factory.mktemp("site"), sample_root, sample)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def server(site) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site.out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Recorder:
    """Every request the browser tried, and what went wrong, for the page under test."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.blocked.clear()
        self.console_errors.clear()
        self.http_errors.clear()


@pytest.fixture(scope="module")
def browser_context(server) -> Iterator[tuple]:
    require(["chromium"], "the slide browser tests")  # the system's browser, never playwright's
    chromium = shutil.which("chromium")
    from playwright.sync_api import sync_playwright

    recorder = Recorder()

    def route(route_, request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:", "file:")) or host == "127.0.0.1":
            route_.continue_()
        else:
            recorder.blocked.append(request.url)
            route_.abort("blockedbyclient")

    def watch(page) -> None:
        page.on("console", lambda m: m.type == "error" and recorder.console_errors.append(
            f"{m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda e: recorder.console_errors.append(f"uncaught: {e}"))
        page.on("response", lambda r: r.status >= 400 and recorder.http_errors.append(
            f"{r.status} {r.url}"))

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS,
        )
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.route("**/*", route)
        context.on("page", watch)
        try:
            yield context, recorder, server
        finally:
            context.close()
            browser.close()


def _open(browser_context, page_: Page, url: str | None = None):
    context, recorder, server = browser_context
    recorder.reset()
    page = context.new_page()
    page.goto(url or f"{server}/{page_.relpath}", wait_until="load", timeout=TIMEOUT_MS)
    return page, recorder


def _wait_for_mathjax(page) -> None:
    """Wait until MathJax has loaded and finished everything queued so far."""
    page.wait_for_function("() => window.MathJax && window.MathJax.Hub", timeout=TIMEOUT_MS)
    page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")


def _check_math(page, page_: Page) -> None:
    _wait_for_mathjax(page)
    found = page.evaluate(
        """() => ({
            rendered: document.querySelectorAll('.MathJax_CHTML, .MathJax, .MathJax_Display')
                .length,
            errors: Array.from(document.querySelectorAll('.mjx-merror, .MathJax_Error'))
                .map(e => e.textContent),
            raw: Array.from(document.querySelectorAll('.jp-RenderedMarkdown'))
                .map(e => e.textContent).filter(t => t.includes('$$')),
        })"""
    )
    assert found["rendered"] > 0, f"{page_.id}: the notebook has equations, MathJax drew none"
    assert not found["errors"], f"{page_.id}: MathJax errors: {found['errors']}"
    assert not found["raw"], f"{page_.id}: raw $$ left in the text: {found['raw'][:2]}"


def _check_clean(recorder: Recorder, page_: Page) -> None:
    assert not recorder.blocked, (
        f"{page_.id} tried to load from outside this machine: {recorder.blocked}"
    )
    assert not recorder.http_errors, f"{page_.id}: missing local files: {recorder.http_errors}"
    assert not recorder.console_errors, (
        f"{page_.id}: console errors: {recorder.console_errors}"
    )


def test_the_course_has_decks():
    assert COURSE, "no notebooks in notebooks/ or solutions/: nothing to present"


@pytest.mark.parametrize("page_", _pages(COURSE), ids=lambda p: p.id)
def test_course_page_works_offline(site, browser_context, page_: Page):
    _check_page(browser_context, site.built(page_))


SAMPLE_NAMES = [
    Path("notebooks/90_sample_lesson.ipynb"),
    Path("notebooks/91_sample_homework.ipynb"),
    Path("solutions/91_sample_homework.ipynb"),
]


@pytest.mark.parametrize("page_", _pages(SAMPLE_NAMES), ids=lambda p: f"sample-{p.id}")
def test_sample_page_works_offline(site, browser_context, page_: Page):
    notebook = site.sample_root / page_.notebook
    _check_page(browser_context, site.built(Page(notebook, page_.kind, page_.relpath)))


def _check_page(browser_context, page_: Page, url: str | None = None) -> None:
    page, recorder = _open(browser_context, page_, url)
    try:
        if page_.kind == "deck":
            page.wait_for_function(
                "() => window.Reveal && window.Reveal.isReady()", timeout=TIMEOUT_MS
            )
            total = page.evaluate("() => Reveal.getTotalSlides()")
            assert total >= MIN_SLIDES, f"{page_.id}: {total} slides, expected >= {MIN_SLIDES}"
        if _has_math(page_.notebook):
            _check_math(page, page_)
        _check_clean(recorder, page_)
    finally:
        page.close()


_SLIDE_HEIGHTS = """() => {
    // Every slide, made current in turn (reveal.js lays out only the slides near the current
    // one): its content height in the deck's own pixels (before reveal scales the deck to the
    // window), hidden fragments included, since they take their place on the slide.
    const heights = [];
    for (const slide of Reveal.getSlides()) {
        const {h, v} = Reveal.getIndices(slide);
        Reveal.slide(h, v);
        const first = (slide.innerText || "").trim().split("\\n")[0].slice(0, 60);
        heights.push({where: `${h}/${v}`, first: first, height: slide.scrollHeight});
    }
    return heights;
}"""


def slide_heights(page) -> list[dict]:
    """``[{"where": "h/v", "first": first line of text, "height": px}, ...]`` of a deck."""
    return page.evaluate(_SLIDE_HEIGHTS)


@pytest.mark.parametrize("page_", [p for p in _pages(COURSE) if p.kind == "deck"],
                         ids=lambda p: p.id)
def test_every_slide_fits_the_screen(site, browser_context, page_: Page):
    page, _ = _open(browser_context, site.built(page_))
    try:
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=TIMEOUT_MS)
        if _has_math(page_.notebook):
            _wait_for_mathjax(page)  # typeset equations are taller than their TeX source
        size = page.evaluate("() => [Reveal.getConfig().width, Reveal.getConfig().height]")
        assert [int(x) for x in size] == [build_slides.SLIDE_WIDTH, build_slides.SLIDE_HEIGHT]
        deck = Path(page_.relpath).name
        too_tall = [
            f"slide {s['where']} ({s['height']} px): {s['first']!r}"
            for s in slide_heights(page)
            if s["height"] > build_slides.SLIDE_HEIGHT
            and f"{deck}: {s['first']}" not in TALL_SLIDES
        ]
    finally:
        page.close()
    assert not too_tall, (
        f"{deck}: {len(too_tall)} slide(s) taller than the {build_slides.SLIDE_HEIGHT}-px "
        "screen. Split the cell (a new subslide), tag a code cell `remove-input-slides` (the "
        "deck shows its output only), or shorten:\n  " + "\n  ".join(too_tall)
    )


def test_every_listed_tall_slide_exists(site, browser_context):
    """A slide that was fixed or renamed leaves TALL_SLIDES: the list never hides a new one."""
    decks = {p.relpath: p for p in _pages(COURSE) if p.kind == "deck"}
    wanted = {key.split(": ", 1)[0] for key in TALL_SLIDES}
    found = set()
    for relpath, page_ in decks.items():
        deck = Path(relpath).name
        if deck not in wanted:
            continue
        page, _ = _open(browser_context, site.built(page_))
        try:
            page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=TIMEOUT_MS)
            if _has_math(page_.notebook):
                _wait_for_mathjax(page)
            found |= {f"{deck}: {s['first']}" for s in slide_heights(page)
                      if s["height"] > build_slides.SLIDE_HEIGHT}
        finally:
            page.close()
    stale = set(TALL_SLIDES) - found
    assert not stale, f"listed in TALL_SLIDES but not tall (remove them): {sorted(stale)}"


def test_sample_equation_and_speaker_notes(site, browser_context):
    """The sample's equation is typeset from its TeX, and S opens the speaker notes."""
    page_ = site.built(Page(site.sample["lesson"], "deck",
                            "slides/90_sample_lesson.slides.html"))
    page, recorder = _open(browser_context, page_)
    context = browser_context[0]
    try:
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=TIMEOUT_MS)
        _wait_for_mathjax(page)
        tex = page.evaluate(
            """() => Array.from(document.querySelectorAll('script[type^="math/tex"]'))
                    .map(s => s.textContent.trim())"""
        )
        assert SAMPLE_EQUATION in tex, f"equation not typeset by MathJax; found {tex}"
        # Headings keep their case (the theme's capitals would turn "hello" into "HELLO").
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).textTransform")\
            == "none"
        page.evaluate("() => Reveal.slide(1)")  # the equation slide
        # Reveal marks the new slide "present" after its transition: wait for it, do not race.
        page.wait_for_function(
            "() => document.querySelectorAll('.reveal section.present .MathJax_CHTML').length >= 2",
            timeout=TIMEOUT_MS,
        )
        with context.expect_page(timeout=TIMEOUT_MS) as popup_info:
            page.keyboard.press("s")
        notes = popup_info.value
        notes.wait_for_load_state("load", timeout=TIMEOUT_MS)
        notes.wait_for_function(
            f"() => document.body.innerText.includes({SAMPLE_NOTE!r})", timeout=TIMEOUT_MS
        )
        notes.close()
        _check_clean(recorder, page_)
    finally:
        page.close()


def test_decks_work_from_files(site, browser_context):
    """Opened straight from the folder (a USB stick, a double click): file:// URLs."""
    pages = [p for p in _pages(COURSE[:1]) if p.kind == "deck"]
    pages.append(Page(site.sample["lesson"], "deck", "slides/90_sample_lesson.slides.html"))
    for page_ in pages:
        _check_page(browser_context, site.built(page_), (site.out / page_.relpath).as_uri())



# ---------------------------------------------------------------------------------------------
# Chinese text: drawn with the subset of Noto Sans CJK SC that the build writes into assets/.


def _subset_characters(font: Path) -> set[str]:
    from fontTools.ttLib import TTFont

    return {chr(code) for code in TTFont(str(font)).getBestCmap()}


def _fonts_used_for(page, text: str) -> list[dict]:
    """The fonts that the browser drew the element holding ``text`` with (DevTools protocol:
    family name, whether it is a web font, how many glyphs it drew)."""
    found = page.evaluate(
        """(text) => {
            const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node = walk.nextNode(); node; node = walk.nextNode()) {
                if (node.textContent.includes(text)) {
                    node.parentElement.setAttribute('data-cjk-probe', '');
                    return true;
                }
            }
            return false;
        }""", text)
    assert found, f"no text {text!r} on the page"
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-cjk-probe]"})
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    finally:
        cdp.detach()


@pytest.mark.parametrize("kind", ["deck", "handout"])
def test_chinese_text_draws_with_the_shipped_font(site, browser_context, kind):
    """With every request to another machine blocked (and on this machine no CJK font at all),
    the sample's Chinese words draw with the shipped subset, not as boxes."""
    lesson = site.sample["lesson"]
    assert SAMPLE_CJK in nbformat.read(lesson, as_version=4).cells[1].source
    relpath = ("slides/90_sample_lesson.slides.html" if kind == "deck"
               else "handouts/90_sample_lesson.html")
    page_ = site.built(Page(lesson, kind, relpath))
    page, recorder = _open(browser_context, page_)
    try:
        if kind == "deck":
            page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=TIMEOUT_MS)
            page.evaluate("() => Reveal.slide(1)")  # the slide with the Chinese words
        page.evaluate("() => document.fonts.ready.then(() => true)")
        family = build_slides.CJK_FONT_FAMILY
        states = page.evaluate(
            """(family) => Array.from(document.fonts)
                .filter(face => face.family.replace(/"/g, '') === family)
                .map(face => face.status)""", family)
        assert states == ["loaded"], f"{relpath}: the font {family!r}: {states or 'not defined'}"
        fonts = _fonts_used_for(page, SAMPLE_CJK)
        shipped = [f for f in fonts if f["isCustomFont"] and f["familyName"]
                   == build_slides.CJK_FACE]
        assert shipped and shipped[0]["glyphCount"] >= len(SAMPLE_CJK), (
            f"{relpath}: {SAMPLE_CJK!r} drawn with {fonts}, not the shipped {family}"
        )
        _check_clean(recorder, page_)
    finally:
        page.close()


def test_the_shipped_font_holds_every_cjk_character_of_the_pages(tmp_path):
    """One font per folder, made in the same run as the pages, as `make slides` makes them
    (`python -m tools.slides`): a Chinese-edition lesson and the sample lesson, in their two
    folders (slides/zh/ and slides/), share the font of slides/assets/."""
    _require_tools()
    sample = write_sample_course(tmp_path / "sample")
    chinese = next(p for p in COURSE if build_slides.edition_of(p) == "zh")
    result = subprocess.run(
        [sys.executable, "-m", "tools.slides", "--out", str(tmp_path / "out"),
         str(chinese), str(sample["lesson"])],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, (
        f"tools.slides failed (exit {result.returncode}):\n{result.stdout}{result.stderr}"
    )
    for folder in ("slides", "handouts"):
        root = tmp_path / "out" / folder
        assert (root / "zh").is_dir()
        wanted = build_slides.cjk_characters(root)
        assert SAMPLE_CJK[0] in wanted and len(wanted) > 100  # the lesson's Chinese text
        missing = wanted - _subset_characters(root / "assets" / build_slides.CJK_FONT_FILE)
        assert not missing, f"{folder}: the shipped font lacks {sorted(missing)}"


def test_the_cjk_subset_follows_the_pages_text(tmp_path):
    """Made from the pages as they are now: a new character is added, one no page uses any
    more is dropped, and unchanged pages keep the file as it is."""
    page = tmp_path / "deck.slides.html"
    font = tmp_path / "assets" / build_slides.CJK_FONT_FILE
    page.write_text("<p>one-hot (独热编码), ASCII and 1 + 1</p>", encoding="utf-8")
    build_slides.write_cjk_font(tmp_path)
    assert {"独", "热", "编", "码"} <= _subset_characters(font)
    assert "梯" not in _subset_characters(font)
    made = font.stat().st_mtime_ns
    build_slides.write_cjk_font(tmp_path)
    assert font.stat().st_mtime_ns == made  # same characters: not made again
    page.write_text("<p>gradient (梯度)</p>", encoding="utf-8")
    (tmp_path / "zh").mkdir()  # pages in a subfolder count too (decks in zh/)
    (tmp_path / "zh" / "deck.slides.html").write_text("<p>循环</p>", encoding="utf-8")
    build_slides.write_cjk_font(tmp_path)
    covered = _subset_characters(font)
    assert {"梯", "度", "循", "环"} <= covered and "独" not in covered
    assert (tmp_path / "assets" / "LICENSES" / "noto-cjk.txt").is_file()
