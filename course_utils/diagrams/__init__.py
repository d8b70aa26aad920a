"""Figures of the course, drawn by code (matplotlib) so that they are reproducible.

Each ``draw_*`` function returns a ``matplotlib.figure.Figure``. The drawing primitives
(boxes, arrows, labels) are in ``course_utils.diagrams.primitives``.
"""

from course_utils.diagrams.gates import draw_gru_cell, draw_lstm_cell
from course_utils.diagrams.rnn import draw_rnn_cell, draw_text_to_one_hot, draw_unrolled_rnn

__all__ = [
    "draw_gru_cell",
    "draw_lstm_cell",
    "draw_rnn_cell",
    "draw_text_to_one_hot",
    "draw_unrolled_rnn",
]
