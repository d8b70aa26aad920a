"""Lesson 06's yardsticks in course_utils: perplexity and the bigram baseline."""

import math

import pytest
import torch

from course_utils.language_model import BigramModel, perplexity


def test_perplexity_is_exp_of_mean_nll():
    assert perplexity(0.0) == 1.0
    assert perplexity(math.log(27)) == pytest.approx(27)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_perplexity_rejects(bad):
    with pytest.raises(ValueError, match="mean_nll must be a finite number"):
        perplexity(bad)


def test_bigram_counts_and_perplexity():
    # "abab..." : after a always b, after b always a.
    stream = [0, 1] * 50
    model = BigramModel(stream, 3, alpha=0.01)
    assert model.counts[0, 1] == 50 and model.counts[1, 0] == 49
    assert torch.allclose(model.probs.sum(dim=1), torch.ones(3, dtype=torch.float64))
    assert model.perplexity([0, 1, 0, 1]) == pytest.approx(1.0, abs=0.01)
    # Smoothing: an unseen pair is unlikely, not impossible.
    assert math.isfinite(model.perplexity([0, 0, 2]))
    uniform = BigramModel([0, 1, 2], 3, alpha=1e6)
    assert uniform.perplexity([2, 1, 0, 0]) == pytest.approx(3.0, rel=1e-4)


def test_bigram_rejects():
    with pytest.raises(ValueError, match="alpha must be greater than 0"):
        BigramModel([0, 1], 2, alpha=0)
    with pytest.raises(ValueError, match=r"indices must lie in 0\.\.1"):
        BigramModel([0, 2], 2)
    with pytest.raises(ValueError, match="at least 2 characters"):
        BigramModel([0], 2)
