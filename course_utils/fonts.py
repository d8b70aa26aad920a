"""Fonts of the course's figures: any text a student types draws as text, never as boxes.

Latin text keeps matplotlib's own DejaVu fonts; Chinese, Japanese and Korean characters, which
DejaVu lacks, come from Noto Sans CJK, shipped by the pinned package ``noto-cjk-sans-otc``
(no download, no system font needed). Matplotlib falls back from one font to the next only
along an explicit list of family names, not through a generic family such as ``"monospace"``:
so the course style sets ``font.family`` to ``SANS``, and code that wants a fixed-width text
passes ``family=MONOSPACE`` (a list), never ``family="monospace"``.

Importing this module registers the fonts with matplotlib (once per process).
"""

from __future__ import annotations

import dataclasses
import unicodedata

from matplotlib import font_manager, ft2font

# Family names, the first that has a character draws it. DejaVu first: Latin text draws as it
# always has; a character that DejaVu lacks falls back to the Noto face.
SANS = ["DejaVu Sans", "Noto Sans CJK SC"]
MONOSPACE = ["DejaVu Sans Mono", "Noto Sans Mono CJK SC"]


def is_wide(char: str) -> bool:
    """Whether ``char`` takes two columns of a fixed-width text (a Chinese character, a
    full-width comma...): wider, and as tall as a capital letter or taller."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def register_cjk_fonts() -> None:
    """Make the Noto Sans CJK faces of ``noto-cjk-sans-otc`` known to matplotlib (every face of
    its font collection: SC, TC, HK, JP, KR and their Mono versions). Does nothing when they
    are known already."""
    manager = font_manager.fontManager
    if {SANS[-1], MONOSPACE[-1]} <= {entry.name for entry in manager.ttflist}:
        return
    from noto_cjk_sans_otc import FONT_PATH

    path = str(FONT_PATH)
    # The package ships the Regular weight only. Matplotlib looks up every family of the list
    # for a bold text, even a Latin one, and says "Failed to find font weight bold" when a
    # family has no bold face: offer the Regular faces for bold too (a bold Chinese character
    # then draws in Regular, as it would anyway).
    first = ft2font.FT2Font(path)
    faces = [first] + [ft2font.FT2Font(path, face_index=i) for i in range(1, first.num_faces)]
    manager.ttflist.extend(
        dataclasses.replace(font_manager.ttfFontProperty(face), weight=700) for face in faces
    )
    manager.addfont(path)  # the Regular faces; also empties matplotlib's font lookup cache


register_cjk_fonts()
