"""Language-model helpers: perplexity, batching into chunks, the bigram baseline, sampling."""

import math

import pytest
import torch
from torch import nn

from course_utils.language_model import (
    BigramModel,
    batchify,
    generate,
    iterate_chunks,
    next_char_probs,
    perplexity,
)
from course_utils.text import Vocabulary


def test_perplexity_is_exp_of_mean_nll():
    assert perplexity(0.0) == 1.0
    assert perplexity(math.log(27)) == pytest.approx(27)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_perplexity_rejects(bad):
    with pytest.raises(ValueError, match="mean_nll must be a finite number"):
        perplexity(bad)


def test_batchify_keeps_rows_contiguous():
    data = batchify(list(range(11)), 2)
    assert data.tolist() == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_batchify_rejects():
    with pytest.raises(ValueError, match="batch_size must be an int of at least 1, got 0"):
        batchify([1, 2, 3], 0)
    with pytest.raises(ValueError, match="fewer than 2 characters per row"):
        batchify([1, 2, 3], 2)


def test_chunks_cover_the_stream_with_targets_one_ahead():
    data = batchify(list(range(22)), 2)  # rows 0..10 and 11..21
    chunks = list(iterate_chunks(data, 4))
    assert [x.shape[1] for x, _ in chunks] == [4, 4, 2]
    xs = torch.cat([x for x, _ in chunks], dim=1)
    ys = torch.cat([y for _, y in chunks], dim=1)
    assert torch.equal(xs, data[:, :-1])
    assert torch.equal(ys, data[:, 1:])


def test_chunks_reject():
    with pytest.raises(ValueError, match="seq_len must be an int of at least 1"):
        list(iterate_chunks(torch.zeros(2, 5, dtype=torch.long), 0))
    with pytest.raises(ValueError, match=r"data must have shape \(batch, n\)"):
        list(iterate_chunks(torch.zeros(5, dtype=torch.long), 2))


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


def test_temperature_sharpens_and_flattens():
    scores = torch.tensor([2.0, 1.0, 0.0])
    base = next_char_probs(scores)
    assert torch.allclose(base, torch.softmax(scores, 0))
    cold = next_char_probs(scores, temperature=0.5)
    hot = next_char_probs(scores, temperature=2.0)
    assert cold[0] > base[0] > hot[0]
    assert torch.allclose(next_char_probs(scores, temperature=1e6), torch.full((3,), 1 / 3),
                          atol=1e-4)


def test_top_k_keeps_the_k_best():
    probs = next_char_probs(torch.tensor([0.5, 3.0, 1.0, 2.0]), top_k=2)
    assert probs[0] == 0 and probs[2] == 0
    assert probs.sum() == pytest.approx(1.0)
    assert torch.allclose(next_char_probs(torch.tensor([1.0, 2.0]), top_k=5),
                          torch.softmax(torch.tensor([1.0, 2.0]), 0))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"temperature": 0}, "temperature must be a number greater than 0, got 0"),
        ({"temperature": -1.0}, "temperature must be a number greater than 0"),
        ({"temperature": "1"}, "temperature must be a number greater than 0"),
        ({"top_k": 0}, "top_k must be an int of at least 1, got 0"),
    ],
)
def test_next_char_probs_rejects(kwargs, message):
    with pytest.raises(ValueError, match=message):
        next_char_probs(torch.zeros(3), **kwargs)


class _Echo(nn.Module):
    """A stand-in language model that always predicts one fixed next character."""

    def __init__(self, vocab_size: int, favourite: int) -> None:
        super().__init__()
        self.scores = nn.Parameter(torch.full((vocab_size,), -20.0))
        with torch.no_grad():
            self.scores[favourite] = 20.0

    def forward(self, x, state):
        count = 0 if state is None else state
        return self.scores.expand(*x.shape, -1), count + x.shape[1]


def test_generate_stops_at_the_stop_character():
    vocab = Vocabulary.from_texts("ab\n")
    model = _Echo(len(vocab), vocab.index("\n"))
    assert generate(model, vocab, "ab", generator=torch.Generator().manual_seed(0)) == ""
    model = _Echo(len(vocab), vocab.index("a"))
    assert generate(model, vocab, "b", max_chars=5) == "aaaaa"
    assert model.training  # generate restores the mode it found


def test_generate_is_seeded():
    torch.manual_seed(0)
    vocab = Vocabulary.from_texts("abc\n")
    model = _Echo(len(vocab), 0)
    with torch.no_grad():
        model.scores.zero_()
    texts = [generate(model, vocab, "a", max_chars=20, stop=None,
                      generator=torch.Generator().manual_seed(5)) for _ in range(2)]
    assert texts[0] == texts[1] and len(texts[0]) == 20


def test_generate_rejects():
    vocab = Vocabulary.from_texts("ab")
    model = _Echo(len(vocab), 0)
    with pytest.raises(ValueError, match="temperature must be a number greater than 0"):
        generate(model, vocab, "a", temperature=0.0)
    with pytest.raises(ValueError, match="max_chars must be an int of at least 1"):
        generate(model, vocab, "a", max_chars=0)
