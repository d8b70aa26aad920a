"""Lesson 07's data: numbers as words in several languages, split by number."""

import pytest
from num2words import num2words

from course_utils.languages import (
    DEFAULT_LANGUAGES,
    SUPPORTED_LANGUAGES,
    best_possible_accuracy,
    check_languages,
    check_max_number,
    make_number_words,
    shared_texts,
)
from course_utils.params import check_parameters


def test_the_split_is_by_number_and_covers_every_language():
    data = make_number_words(["en", "fr", "de"], 99, seed=3)
    assert not set(data.train_numbers) & set(data.val_numbers)
    assert sorted(data.train_numbers + data.val_numbers) == list(range(100))
    assert len(data.val_numbers) == 20  # 20% of the 100 numbers
    assert len(data.train) == 3 * 80 and len(data.val) == 3 * 20
    # Every held-out number is held out in every language, with the right label.
    assert ("quarante-deux", 1) in data.train + data.val
    forty_two = [(t, label) for t, label in data.train + data.val if t in
                 ("forty-two", "quarante-deux", "zweiundvierzig")]
    assert sorted(label for _, label in forty_two) == [0, 1, 2]
    side = [42 in data.val_numbers] * 3
    assert [pair in data.val for pair in forty_two] == side


@pytest.mark.parametrize(
    ("languages", "max_number", "seed"),
    [(DEFAULT_LANGUAGES, 199, 0),  # lesson 07's languages (its 999 numbers take 1.5 s here)
     (("en", "de"), 99, 3)],  # "eleven", "zwölf" ...: characters in validation texts only
)
def test_nothing_of_the_validation_numbers_is_in_training(languages, max_number, seed):
    """The training examples are exactly the texts of the training numbers, in every language;
    the validation examples those of the validation numbers; no (text, language) is in both."""
    data = make_number_words(languages, max_number, seed=seed)
    assert not set(data.train_numbers) & set(data.val_numbers)
    assert sorted(data.train_numbers + data.val_numbers) == list(range(max_number + 1))

    def texts(numbers):
        return [(num2words(n, lang=code), label) for n in numbers
                for label, code in enumerate(languages)]

    assert data.train == texts(data.train_numbers)
    assert data.val == texts(data.val_numbers)
    assert not set(data.train) & set(data.val)


def test_the_split_depends_on_the_seed_only():
    a = make_number_words(["en", "fr"], 199, seed=0)
    assert make_number_words(["en", "fr"], 199, seed=0) == a
    assert make_number_words(["en", "fr"], 199) == a  # seed 0 unless told otherwise
    assert a.languages == ("en", "fr")
    assert make_number_words(["en", "fr"], 199, seed=1).val_numbers != a.val_numbers


def test_the_defaults_are_supported_and_non_latin_scripts_work():
    assert set(DEFAULT_LANGUAGES) <= set(SUPPORTED_LANGUAGES)
    assert "am" not in SUPPORTED_LANGUAGES  # num2words fails on it
    data = make_number_words(["ru", "en"], 20)
    assert ("ноль", 0) in data.train + data.val


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        (["en", "xx"], r"\['xx'\] not supported.*supported codes are: ar, .*en,"),
        (["en"], "at least two languages"),
        ([], "at least two languages"),
        (["en", "en"], r"\['en'\] given more than once"),
        ("en", "must be a list"),
        (None, "must be a list"),
    ],
)
def test_bad_languages_are_refused_with_the_fix(languages, message):
    with pytest.raises(ValueError, match=message):
        check_languages(languages)
    with pytest.raises(ValueError, match=message):  # the notebook's own check
        check_parameters(languages=languages)


def test_the_messages_give_an_example_of_a_right_value():
    with pytest.raises(ValueError) as info:
        check_languages("en")
    assert str(info.value) == ("languages='en' is not allowed: languages must be a list of "
                               'num2words language codes, e.g. languages=["en", "fr", "de"].')


@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.2])
def test_the_validation_fraction_is_a_fraction(fraction):
    with pytest.raises(AssertionError, match="val_fraction must be between 0 and 1"):
        make_number_words(["en", "fr"], 20, val_fraction=fraction)


def test_at_least_one_number_is_held_out():
    data = make_number_words(["en", "fr"], 20, val_fraction=0.01)  # 0.21 numbers: rounds to 0
    assert len(data.val_numbers) == 1 and len(data.train_numbers) == 20


@pytest.mark.parametrize("bad", [19, -1, 100_000, 99.5, "999", True])
def test_bad_max_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="max_number must be an integer from 20 to 99999"):
        check_parameters(max_number=bad)


def test_the_range_ends_are_allowed():
    assert check_max_number(20) == 20 and check_max_number(99_999) == 99_999
    assert check_languages(("en", "fr")) == ["en", "fr"]


@pytest.mark.parametrize("bad", [0, -3, 2.0, "16"])
def test_bad_embedding_sizes_are_refused(bad):
    with pytest.raises(ValueError, match="embedding_size must be an integer >= 1"):
        check_parameters(embedding_size=bad)


def test_shared_texts_and_the_best_possible_accuracy():
    examples = [("six", 0), ("six", 1), ("six", 1), ("sept", 1), ("seven", 0)]
    assert shared_texts(examples) == {"six": [0, 1]}
    # "six": at best the 2 French of 3; the other two are always right.
    assert best_possible_accuracy(examples) == pytest.approx(4 / 5)
    assert best_possible_accuracy([("a", 0), ("b", 1)]) == 1.0


def test_english_and_french_share_six():
    data = make_number_words(["en", "fr"], 20)
    assert shared_texts(data.train + data.val)["six"] == [0, 1]
    assert best_possible_accuracy(data.train + data.val) == pytest.approx(41 / 42)
