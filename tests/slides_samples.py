"""Helpers for the slide tests: tools.slides, and a small sample course.

The sample course (a lesson with an equation, a figure, speaker notes and fragments, and a
homework pair with solution markers) lets the slide tests prove their checks on known content,
whatever the real notebooks hold at the time.
"""

from __future__ import annotations

import base64
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import slides
from tools.paths import ROOT

__all__ = ["ROOT", "slides"]

SAMPLE_EQUATION = r"h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})"
SAMPLE_NOTE = "Speaker note: the same two weight matrices serve every time step."
SAMPLE_SOLUTION_LINES = (
    "sample_solution_scores = torch.nn.functional.one_hot(indices, 4).float()",
    "return sample_solution_scores.argmax(dim=1)",
)


def _png(width: int = 8, height: int = 4) -> str:
    """A small grey-gradient PNG, base64-encoded, as a stand-in for a matplotlib figure."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(x * 30 for x in range(width)) for _ in range(height))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return base64.b64encode(png).decode()


def _md(source: str, slide_type: str):
    return new_markdown_cell(source, metadata={"slideshow": {"slide_type": slide_type}})


def _code(source: str, slide_type: str, outputs=(), count: int | None = None):
    cell = new_code_cell(source, metadata={"slideshow": {"slide_type": slide_type}})
    cell.outputs = list(outputs)
    cell.execution_count = count
    return cell


def _notebook(cells) -> nbformat.NotebookNode:
    return new_notebook(
        cells=cells,
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},
    )


def sample_lesson() -> nbformat.NotebookNode:
    figure = new_output(
        "display_data",
        data={"image/png": _png(), "text/plain": "<Figure size 640x320 with 1 Axes>"},
    )
    return _notebook([
        _md("# 90 Sample lesson\n\nA notebook written by the slide tests.", "slide"),
        _md(f"## The cell\n\nThe hidden state (隐藏状态):\n\n$${SAMPLE_EQUATION}$$\n\n"
            r"with an input $x_t \in \mathbb{R}^4$.", "slide"),
        _md(SAMPLE_NOTE, "notes"),
        _code("import math", "skip", count=1),
        _md("## A figure", "slide"),
        _code("plot_something();", "-", outputs=[figure], count=2),
        _md("## Shapes", "slide"),
        _md("- input `(seq_len, batch, input_size)`", "fragment"),
        _md("- hidden `(num_layers, batch, hidden_size)`", "fragment"),
        _md("## Recap\n\n1. one cell, reused\n2. $h_t$ depends on $h_{t-1}$", "slide"),
        _md("## Questions\n\nWhy `tanh`?", "slide"),
    ])


def sample_homework(student: bool, leaky: bool = False) -> nbformat.NotebookNode:
    """The homework pair: ``student=False`` is the instructor's version with its solution;
    ``leaky=True`` is a student version that wrongly still holds the solution code."""
    body = "\n".join(f"    {line}" for line in SAMPLE_SOLUTION_LINES)
    if student and not leaky:
        exercise = "def predict(indices):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
        outputs = []
    else:
        exercise = (f"def predict(indices):\n    ### BEGIN SOLUTION\n{body}\n"
                    "    ### END SOLUTION")
        outputs = [new_output("stream", name="stdout",
                              text="sample_solution_scores computed\n")]
    return _notebook([
        _md("# 91 Sample homework\n\nTrain it yourself.", "slide"),
        _md("## Exercise 1\n\nWrite `predict`: scores $s_t$, then $\\arg\\max$.", "slide"),
        _code(exercise, "-", outputs=outputs, count=1),
        _md("## Exercise 2\n\nCompare LSTM and GRU.", "slide"),
        _md("## Hints", "slide"),
        _md("## Done", "slide"),
    ])


def write_sample_course(root: Path, leaky: bool = False) -> dict[str, Path]:
    """Write the sample course under ``root`` (notebooks/ and solutions/); returns its files."""
    files = {
        "lesson": root / "notebooks" / "90_sample_lesson.ipynb",
        "homework": root / "notebooks" / "91_sample_homework.ipynb",
        "homework_solution": root / "solutions" / "91_sample_homework.ipynb",
    }
    notebooks = {
        "lesson": sample_lesson(),
        "homework": sample_homework(student=True, leaky=leaky),
        "homework_solution": sample_homework(student=False),
    }
    for key, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebooks[key], path)
    return files


class _VisibleText(HTMLParser):
    """The text of an HTML page outside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
