"""Lesson 01 executed by papermill with other parameters; assertions on its summary cell."""

import math

import papermill as pm
import pytest

from tests.notebook_runner import execute, summary

pytestmark = pytest.mark.notebook
NAME = "01_rnncell_onehot.ipynb"


def test_defaults_show_the_lecture_failure_and_the_fix(tmp_path):
    result = summary(execute(NAME, tmp_path))
    assert result["prediction"] == result["target"] == "ohlol"
    assert result["converged_epoch"] is not None and result["final_loss"] < 0.1
    # With seed 0 the lecture's model is one of the seeds that never learns, stuck above
    # the loss floor that tanh imposes.
    assert result["lecture"]["prediction"] != "ohlol"
    assert result["lecture"]["converged_epoch"] is None
    assert result["lecture"]["final_loss"] > result["loss_floor_lecture"]
    # Trained on to 200 epochs, its tanh units saturate: the slope 1 - h^2 and the weight
    # gradient fade, while the gradient with respect to the scores stays large.
    saturation = result["saturation"]
    assert saturation["epochs"] == [1, 15, 200]
    assert saturation["tanh_slope"][0] > 0.5 and saturation["tanh_slope"][-1] < 0.01
    assert saturation["weight_grad"][-1] < saturation["weight_grad"][0] / 100
    assert saturation["score_grad"][-1] > max(0.5, 100 * saturation["weight_grad"][-1])


def test_a_longer_pair_with_more_epochs(tmp_path):
    result = summary(execute(NAME, tmp_path, source="hello world", target="dlrow olleh",
                             epochs=40, seed=1))
    assert result["prediction"] == result["target"] == "dlrow olleh"
    assert result["final_loss"] < 0.5
    slope = result["saturation"]["tanh_slope"]
    assert slope[-1] < slope[0] / 10  # the lecture model's tanh units saturate here too


def test_chinese_text(tmp_path):
    result = summary(execute(NAME, tmp_path, source="我爱北京天安门", target="门安天京北爱我",
                             epochs=30))
    assert result["prediction"] == "门安天京北爱我" and result["final_loss"] < 0.1
    # 7 characters: the floor of tanh scores, summed over 7 steps, is 7 log(1 + 6 e^-2).
    assert result["loss_floor_lecture"] == round(7 * math.log(1 + 6 * math.exp(-2)), 4)
    # Unlike "hello" with seed 0, the lecture's model learns this pair, just above its floor.
    lecture = result["lecture"]
    assert lecture["converged_epoch"] is not None and lecture["prediction"] == "门安天京北爱我"
    assert result["loss_floor_lecture"] < lecture["final_loss"] < 1.1 * result["loss_floor_lecture"]


def test_unequal_lengths_fail_naming_both_lengths(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        execute(NAME, tmp_path, source="hello", target="hi")
    assert info.value.ename == "ValueError"
    assert "has 5 characters" in info.value.evalue and "has 2" in info.value.evalue


def test_a_bad_parameter_stops_before_any_work(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        execute(NAME, tmp_path, epochs=0)
    assert info.value.ename == "ValueError"
    assert "epochs=0 is not allowed" in info.value.evalue
