"""Lesson 05 executed by papermill with other parameters; assertions on its summary cell."""

import math

from tests.notebook_runner import execute, summary

NAME = "05_gradients_through_time.ipynb"


def test_another_seed_still_shows_the_rnn_forgetting(tmp_path):
    result = summary(execute(NAME, tmp_path, seed=1))
    # Short memory: every cell learns it. Longest: the plain RNN fails, the gated cells hold.
    for kind in ("rnn", "lstm", "gru"):
        assert result[kind]["accuracy"][0] >= 0.95, (kind, result[kind])
    assert result["rnn"]["accuracy"][-1] <= 0.8, result["rnn"]
    assert result["lstm"]["accuracy"][-1] >= 0.95, result["lstm"]
    assert result["gru"]["accuracy"][-1] >= 0.95, result["gru"]
    # The verdicts that nbval compares (the digits are not: they depend on the CPU).
    for kind in ("rnn", "lstm", "gru"):
        assert result[kind]["solved"] == [a >= 0.95 for a in result[kind]["accuracy"]]
    assert result["rnn"]["solved"] == [True, False, False]
    # Gradients: vanish with small recurrent weights, explode with large ones.
    assert result["log10_gradient_ratio"]["rnn_small"] < -10
    # How much it explodes depends on the initialisation (x10 with seed 1, x10^6 with seed 0).
    assert result["log10_gradient_ratio"]["rnn_large"] >= 1
    # The text: the gated cells' average factor per step is below 1 at both scales, and much
    # closer to 1 than the plain RNN's with small weights.
    factors = result["gradient_factor_per_step"]
    for key in ("lstm_small", "gru_small", "lstm_large", "gru_large"):
        assert factors["rnn_small"] < factors[key] < 1, factors
    # Very large recurrent weights (x 16): every cell explodes, the gated ones included.
    ratios = result["log10_gradient_ratio"]
    for kind in ("rnn", "lstm", "gru"):
        assert ratios[f"{kind}_very_large"] >= 3, ratios
        assert factors[f"{kind}_very_large"] > 1, factors
        assert result["gradient_verdicts"][f"{kind}_very_large"] == "exploded"
        assert result["gradient_verdicts"][f"{kind}_small"] == "vanished"
    # Section 3: the same SGD run diverges without clipping, and with clipping ends far below
    # the loss of always predicting the mean (fails if the clip call is removed).
    clipping = result["clipping"]
    assert clipping["unclipped_diverged"], clipping
    assert not clipping["clipped_diverged"], clipping
    assert clipping["clipped_final_loss"] < 0.5 * clipping["mean_baseline"], clipping
    # The right panel: the unclipped gradient grows far beyond its first value (step 1 is the
    # same in both runs), and clipping scales it down at most steps of the clipped run.
    assert clipping["unclipped_log10_max_gradient_norm"] >= 2 + round(
        math.log10(clipping["first_gradient_norm"])), clipping
    assert clipping["clipped_steps"] > clipping["clipped_run_steps"] / 2, clipping
    assert clipping["clipped_run_steps"] == 200, clipping  # the clipped run did not stop
    assert result["truncated_bptt_steps_reached"] == 4
