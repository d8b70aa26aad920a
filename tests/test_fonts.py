"""course_utils.fonts: which characters take two columns of a fixed-width text (the figures
that draw text in cells size them by it), and the CJK faces are known to matplotlib."""

import pytest
from matplotlib import font_manager

from course_utils import fonts


@pytest.mark.parametrize(("char", "wide"), [
    ("中", True), ("门", True), ("，", True), ("Ａ", True),  # W, W, F (full-width), F
    ("a", False), (" ", False), ("é", False), ("ｶ", False),  # Na, Na, A, H (half-width)
])
def test_wide_characters_are_the_chinese_and_full_width_ones(char, wide):
    assert fonts.is_wide(char) is wide


def test_the_cjk_faces_are_registered_once():
    names = [entry.name for entry in font_manager.fontManager.ttflist]
    assert fonts.SANS[-1] in names and fonts.MONOSPACE[-1] in names
    before = len(font_manager.fontManager.ttflist)
    fonts.register_cjk_fonts()  # known already: nothing added
    assert len(font_manager.fontManager.ttflist) == before


def test_registering_adds_every_face_of_the_collection_regular_and_for_bold(monkeypatch):
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", [e for e in manager.ttflist if "Noto" not in e.name])
    fonts.register_cjk_fonts()  # as on a fresh machine: nothing known yet
    noto = {(e.name, e.weight) for e in manager.ttflist if "Noto" in e.name}
    for region in ("SC", "TC", "HK", "JP", "KR"):
        for family in (f"Noto Sans CJK {region}", f"Noto Sans Mono CJK {region}"):
            # Regular, and the same face offered for bold (no "Failed to find font weight").
            assert {(family, 400), (family, 700)} <= noto, family
    assert len(noto) == 20
