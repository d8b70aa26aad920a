"""Figures of the course, drawn by code (matplotlib) so that they are reproducible.

Each ``draw_*`` function returns a ``matplotlib.figure.Figure``. The drawing primitives
(boxes, arrows, labels) are in ``course_utils.diagrams.primitives``.
"""

from course_utils.diagrams.bptt import draw_bptt as draw_bptt  # lesson 05
from course_utils.diagrams.embedding import (
    draw_embedding_lookup,
    draw_embedding_model,
    draw_one_hot_vs_embedding,
)
from course_utils.diagrams.gates import draw_gru_cell, draw_lstm_cell
from course_utils.diagrams.layers import draw_rnn_shapes, draw_stacked_rnn
from course_utils.diagrams.rnn import draw_rnn_cell, draw_text_to_one_hot, draw_unrolled_rnn

__all__ = [
    "draw_embedding_lookup",
    "draw_embedding_model",
    "draw_gru_cell",
    "draw_lstm_cell",
    "draw_one_hot_vs_embedding",
    "draw_rnn_cell",
    "draw_rnn_shapes",
    "draw_stacked_rnn",
    "draw_text_to_one_hot",
    "draw_unrolled_rnn",
]
