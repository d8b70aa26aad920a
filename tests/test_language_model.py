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


def test_bigram_messages_and_smallest_inputs():
    with pytest.raises(ValueError) as info:
        BigramModel([0, 1], 0)
    assert str(info.value) == "vocab_size must be an int of at least 1, got 0."
    with pytest.raises(ValueError, match="vocab_size must be an int of at least 1, got 2.0"):
        BigramModel([0, 1], 2.0)
    one = BigramModel([0, 0], 1)  # the smallest model: one character, one pair
    assert one.probs.tolist() == [[1.0]] and one.mean_nll([0, 0]) == 0.0
    model = BigramModel([0, 1, 0], 2)
    with pytest.raises(ValueError) as info:
        model.mean_nll([1])
    assert str(info.value) == "indices must hold at least 2 characters, got 1."
    assert model.mean_nll([1, 0]) == pytest.approx(-math.log(2 / 3))  # 2 consecutive: allowed


def test_bigram_smoothing_is_add_one_by_default():
    model = BigramModel([0, 1, 0, 1], 3)  # pairs 0->1 twice, 1->0 once
    assert model.counts.tolist() == [[0, 2, 0], [1, 0, 0], [0, 0, 0]]
    assert model.probs[0].tolist() == pytest.approx([1 / 5, 3 / 5, 1 / 5])
    assert model.probs[2].tolist() == pytest.approx([1 / 3] * 3)  # never seen: uniform
    sharper = BigramModel([0, 1, 0, 1], 3, alpha=0.5)
    assert sharper.probs[0].tolist() == pytest.approx([0.5 / 3.5, 2.5 / 3.5, 0.5 / 3.5])
    assert model.perplexity([0, 1]) == pytest.approx(5 / 3)
