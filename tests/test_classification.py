"""Lesson 07's measures: confusion matrix and accuracy by length, and their figures."""

import numpy as np
import pytest
import torch

from course_utils.classification import (
    accuracy_by_length,
    confusion_matrix,
    group_name,
    plot_accuracy_by_length,
    plot_confusion_matrix,
)
from tests.figure_helpers import texts


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    matrix = confusion_matrix([0, 0, 1, 2, 2, 2], torch.tensor([0, 1, 1, 2, 0, 2]), 3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert matrix.sum() == 6 and np.trace(matrix) == 4


@pytest.mark.parametrize(("labels", "predictions", "message"), [
    ([0, 1], [0], "differ in length"),
    ([0, 3], [0, 1], r"labels must be class indices in 0..2"),
    ([0, 1], [-1, 1], r"predictions must be class indices in 0..2"),
])
def test_confusion_matrix_refuses_bad_input(labels, predictions, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(labels, predictions, 3)


def test_confusion_matrix_has_a_row_and_a_column_per_class_even_if_never_seen():
    # Class 2 never occurs, as label or prediction: its row and column are zeros, not missing.
    assert confusion_matrix([0, 1, 1], [0, 1, 0], 3).tolist() == [[1, 0, 0], [1, 1, 0],
                                                                  [0, 0, 0]]
    assert confusion_matrix([0, 0], [0, 0], 1).tolist() == [[2]]  # one class: allowed
    with pytest.raises(AssertionError, match="num_classes must be an integer >= 1, got 0"):
        confusion_matrix([], [], 0)


def test_accuracy_by_length_groups_and_skips_empty_groups():
    rows = accuracy_by_length([3, 6, 7, 12, 40], [True, False, True, True, False])
    assert rows == [("1-6", 1, 2), ("7-10", 1, 1), ("11-15", 1, 1), ("31+", 0, 1)]
    assert group_name((16, 20)) == "16-20" and group_name((61, 100)) == "61-100"
    assert group_name((31, 10**6)) == "31+"  # the open group
    with pytest.raises(ValueError, match="differ in length"):
        accuracy_by_length([1, 2], [True])


def test_figures_write_their_numbers():
    fig = plot_confusion_matrix(np.array([[5, 1], [0, 4]]), ["en", "fr"])
    labels = texts(fig)
    assert "1" in labels  # the one mistake is written in its cell
    assert "5" not in labels  # the diagonal is shown by its colour only
    fig = plot_accuracy_by_length([("1-6", 6, 12), ("7-10", 42, 46)])
    assert {"6/12", "42/46"} <= set(texts(fig))
