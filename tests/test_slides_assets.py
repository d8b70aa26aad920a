"""The decks' offline assets: `npm ci` runs only when slides/node_modules does not match the lock,
the copied assets are refreshed only when their stamp changes, and the check that no deck loads
anything from another machine tells a load from a link. No npm, no network: npm is a fake."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

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
    with pytest.raises(slides.BuildError, match="npm not found: .* Install Node.js and npm"):
        slides.ensure_node_modules(quiet=True)
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
