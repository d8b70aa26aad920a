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
