"""The number-words corpus: spelling, strict parsing, the split and the judging of samples."""

import pytest

from course_utils.corpus import (
    MAX_NUMBER,
    is_number_words,
    judge_samples,
    make_number_corpus,
    number_to_words,
    words_to_number,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (40, "forty"),
        (42, "forty-two"),
        (100, "one hundred"),
        (105, "one hundred and five"),
        (342, "three hundred and forty-two"),
        (1000, "one thousand"),
        (1005, "one thousand and five"),
        (1200, "one thousand two hundred"),
        (12_345, "twelve thousand three hundred and forty-five"),
        (90_019, "ninety thousand and nineteen"),
        (100_000, "one hundred thousand"),
        (999_999, "nine hundred and ninety-nine thousand nine hundred and ninety-nine"),
    ],
)
def test_number_to_words(n, words):
    assert number_to_words(n) == words
    assert words_to_number(words) == n


def test_every_number_round_trips_in_a_sample():
    for n in list(range(0, 2100)) + list(range(MAX_NUMBER - 50, MAX_NUMBER + 1)):
        assert words_to_number(number_to_words(n)) == n


@pytest.mark.parametrize("n", [-1, MAX_NUMBER + 1])
def test_number_out_of_range(n):
    with pytest.raises(ValueError, match=r"n must lie in 0\.\.999_999"):
        number_to_words(n)


def test_number_must_be_int():
    with pytest.raises(TypeError, match="n must be an int"):
        number_to_words(3.0)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "three hundred forty-two",  # the "and" is missing
        "forty-two hundred",
        "twenty-ten",
        "and five",
        "one thousand thousand",
        "zero zero",
        "three  hundred",
        "seven\n",
        "fourty",
        "one-two-three",
    ],
)
def test_words_to_number_rejects(text):
    with pytest.raises(ValueError, match="not a number"):
        words_to_number(text)
    assert not is_number_words(text)


def test_is_number_words_rejects_non_text():
    assert not is_number_words(5)  # type: ignore[arg-type]


def test_corpus_split_is_disjoint_seeded_and_in_range():
    corpus = make_number_corpus(300, 50, low=10, high=2000, seed=3)
    assert len(corpus.train_numbers) == 300 and len(corpus.val_numbers) == 50
    assert not set(corpus.train_numbers) & set(corpus.val_numbers)
    assert all(10 <= n <= 2000 for n in corpus.train_numbers + corpus.val_numbers)
    assert corpus == make_number_corpus(300, 50, low=10, high=2000, seed=3)
    assert corpus != make_number_corpus(300, 50, low=10, high=2000, seed=4)
    assert corpus.train_text == "".join(f"{line}\n" for line in corpus.train_lines)
    assert corpus.val_lines[0] == number_to_words(corpus.val_numbers[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"train_size": 0}, "train_size must be an int of at least 1, got 0"),
        ({"val_size": 2.5}, "val_size must be an int of at least 1, got 2.5"),
        ({"low": 5, "high": 4}, "high must be at least low"),
        ({"train_size": 10, "val_size": 5, "low": 1, "high": 10}, "more than the 10 numbers"),
    ],
)
def test_corpus_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_number_corpus(**kwargs)


def test_judge_samples():
    samples = ["seven", "forty-two", "forty two", "one hundred and one", "xyz"]
    report = judge_samples(samples, seen={7})
    assert report == {
        "count": 5, "valid": 3, "novel": 2, "valid_fraction": 0.6, "novel_fraction": 0.4,
    }


def test_judge_samples_needs_samples():
    with pytest.raises(ValueError, match="samples is empty"):
        judge_samples([], seen=[])
