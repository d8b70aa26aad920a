"""Lesson 05 executed by papermill with other parameters; assertions on its summary cell."""

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
    # Section 3, through time: at step 1 (same weights, same targets, the same last 5 inputs)
    # the 50-step gradient is much larger than the 5-step one, for every seed (fails without the
    # rescaling to spectral radius 2: PyTorch's W_hh, about 0.6, makes the two about equal).
    clipping = result["clipping"]
    assert clipping["seeds"] == [1, 2, 3], clipping
    norms = clipping["first_gradient_norm"]
    assert list(norms) == ["5", "10", "20", "50"], norms
    for short, long in zip(norms["5"], norms["50"], strict=True):
        assert long > 10 * short, norms
    # The control learns without clipping, the 50-step runs fail without it and learn with it,
    # for every seed (fails if the control used 50 steps, or if the clip call were removed).
    assert clipping["short_outcome"] == ["learned"] * 3, clipping
    assert all(o in ("diverged", "did not learn") for o in clipping["unclipped_outcome"]), clipping
    assert clipping["clipped_outcome"] == ["learned"] * 3, clipping
    assert clipping["rescued"] == 3, clipping
    # The verdicts are what the final losses say ("learned": below half the predict-the-mean).
    baselines = clipping["mean_baseline"]
    for part in ("short", "unclipped", "clipped"):
        for loss, baseline, verdict in zip(clipping[f"{part}_final_loss"], baselines,
                                           clipping[f"{part}_outcome"], strict=True):
            expected = ("diverged" if loss >= 1e6 else
                        "learned" if loss < 0.5 * baseline else "did not learn")
            assert verdict == expected, (part, clipping)
    # Adam: an ordinary step is lr per coordinate; the outlier's step is clearly longer than lr
    # (so "at most about lr" would be false) and within lr * (1 - beta1) / sqrt(1 - beta2);
    # clipping shortens it, and turns the next 20 steps towards the new gradients.
    adam = result["adam_outlier"]
    assert adam["bound"] == 3.162, adam
    assert adam["unclipped_ordinary_step"] == adam["clipped_ordinary_step"] == -1.0, adam
    assert 1.5 < -adam["unclipped_outlier_step"] <= adam["bound"], adam
    assert 1.0 < -adam["clipped_outlier_step"] < -adam["unclipped_outlier_step"], adam
    assert adam["unclipped_next_20_steps"] < 0 < adam["clipped_next_20_steps"], adam
    assert result["truncated_bptt_steps_reached"] == 4
    assert result["truncated_bptt_same_forward"] is True
