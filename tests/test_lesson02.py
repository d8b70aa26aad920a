"""Lesson 02 executed by papermill with other parameters; assertions on its summary cell."""

import pytest

from tests.notebook_runner import execute, summary

pytestmark = pytest.mark.notebook
NAME = "02_nn_rnn_onehot.ipynb"


def test_another_pair_with_a_small_sweep(tmp_path):
    result = summary(execute(NAME, tmp_path, source="abcd", target="dcba", seed=3,
                             sweep_seeds=10))
    assert result["prediction"] == result["target"] == "dcba"
    assert result["converged_epoch"] is not None and result["final_loss"] < 0.2
    assert result["lecture"]["target"] == "dcba"
    sweep = result["sweep"]
    assert sweep["seeds"] == 10 and sweep["epochs"] == 15
    assert sweep["fixed_converged"] >= 9
    assert sweep["lecture_converged"] <= sweep["lecture_converged_longer"] <= 10


def test_chinese_text_and_more_epochs(tmp_path):
    result = summary(execute(NAME, tmp_path, source="我爱北京天安门", target="门安天京北爱我",
                             epochs=30, sweep_seeds=5))
    assert result["prediction"] == result["target"] == "门安天京北爱我"
    assert result["sweep"]["epochs"] == 30 and result["sweep"]["longer_epochs"] == 120
    # The tanh floor grows with the dictionary (7 characters here).
    assert result["loss_floor_lecture"] > 0.5
