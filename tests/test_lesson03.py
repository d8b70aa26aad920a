"""Lesson 03 executed by papermill with other parameters; assertions on its summary cell."""

import pytest

from tests.notebook_runner import execute, summary

pytestmark = pytest.mark.notebook
NAME = "03_embedding_rnn.ipynb"


def test_a_longer_pair_with_a_small_sweep(tmp_path):
    result = summary(execute(NAME, tmp_path, source="hello world", target="dlrow olleh",
                             epochs=40, seed=2, sweep_seeds=10))
    assert result["prediction"] == result["target"] == "dlrow olleh"
    assert result["final_loss"] < 0.2
    # 8 characters: Embedding(8, 10) 80 + RNN 160 + 144 + Linear(8, 8) 72.
    assert result["parameters"] == 456
    sweep = result["sweep"]
    assert sweep["seeds"] == 10 and sweep["epochs"] == 40 and sweep["lecture_converged"] >= 9


def test_chinese_text(tmp_path):
    result = summary(execute(NAME, tmp_path, source="我爱北京天安门", target="门安天京北爱我",
                             seed=1, sweep_seeds=5, hidden_size=16))
    assert result["prediction"] == result["target"] == "门安天京北爱我"
    assert result["sweep"]["seeds"] == 5
