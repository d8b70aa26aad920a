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
    default = make_number_corpus()  # 4 000 + 500 numbers of 1..99 999, as lesson 06 uses
    numbers = default.train_numbers + default.val_numbers
    assert len(set(numbers)) == 4500 and min(numbers) >= 1 and max(numbers) <= 99_999
    assert sum(n > 10_000 for n in numbers) > 4000  # five-digit numbers are most of them
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


def test_corpus_defaults_edges_and_messages():
    corpus = make_number_corpus()  # lesson 06's corpus: 4000 + 500 numbers of 1..99_999, seed 0
    assert (len(corpus.train_numbers), len(corpus.val_numbers)) == (4000, 500)
    assert corpus == make_number_corpus(4000, 500, low=1, high=99_999, seed=0)
    # Every number of the range can be drawn, the last included; a range of one number works.
    assert sorted(make_number_corpus(3, 2, low=5, high=9).train_numbers
                  + make_number_corpus(3, 2, low=5, high=9).val_numbers) == [5, 6, 7, 8, 9]
    assert make_number_corpus(1, 1, low=7, high=8).train_numbers in ((7,), (8,))
    with pytest.raises(ValueError) as info:
        make_number_corpus(1, 1, low=7, high=7)
    assert str(info.value) == ("train_size + val_size = 2 is more than the 1 numbers in 7..7; "
                               "widen the range or ask for fewer.")
    assert make_number_corpus(1, 1, low=0, high=1).train_numbers in ((0,), (1,))
    with pytest.raises(TypeError, match=r"^low must be an int, got float \(1.0\)"):
        make_number_corpus(low=1.0)
    with pytest.raises(ValueError, match=r"^high must lie in 0..999_999, got -1"):
        make_number_corpus(high=-1)
    with pytest.raises(ValueError, match="high must be at least low, got low=5, high=4"):
        make_number_corpus(low=5, high=4)
    assert make_number_corpus(1, 1, low=4, high=5)  # high == low + 1: fine


def test_judge_samples_fractions_keep_3_decimals():
    report = judge_samples(["one", "two", "xyz"], seen=[])
    assert report["valid_fraction"] == 0.667 and report["novel_fraction"] == 0.667
    with pytest.raises(ValueError) as info:
        judge_samples([], seen=[])
    assert str(info.value) == "samples is empty: judge at least one sample."
