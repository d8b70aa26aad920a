"""Numbers written as words in several languages: the data of lesson 07.

The words come from the ``num2words`` package ("trois cent quarante-deux",
"dreihundertzweiundvierzig"). The task is to say which language a text is written in. The
split into training and validation is **by number**: a number is in one of the two sets in
every language, so the model never sees the validation numbers in any language.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from num2words import CONVERTER_CLASSES, num2words

from course_utils.params import check_parameters

# Amharic ("am") is left out: num2words 0.5.14 raises TypeError for it on ordinary numbers.
BROKEN_LANGUAGES = frozenset({"am"})
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(sorted(set(CONVERTER_CLASSES) - BROKEN_LANGUAGES))
DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "sv", "fi")


def check_languages(languages: object) -> list[str]:
    """Return ``languages`` as a list of num2words codes; ``ValueError`` if it is not one.

    It must be a list (or tuple) of at least two different codes, each one of
    ``SUPPORTED_LANGUAGES``."""
    example = 'e.g. languages=["en", "fr", "de"]'
    if isinstance(languages, str) or not isinstance(languages, Sequence):
        raise ValueError(
            f"languages={languages!r} is not allowed: languages must be a list of num2words "
            f"language codes, {example}."
        )
    codes = list(languages)
    unknown = [c for c in codes if c not in SUPPORTED_LANGUAGES]
    if unknown:
        raise ValueError(
            f"languages: {unknown} not supported. The supported codes are: "
            f"{', '.join(SUPPORTED_LANGUAGES)}."
        )
    repeated = sorted(c for c, k in Counter(codes).items() if k > 1)
    if repeated:
        raise ValueError(f"languages: {repeated} given more than once; give each code once.")
    if len(codes) < 2:
        raise ValueError(
            f"languages={codes!r}: a classifier needs at least two languages to choose "
            f"between, {example}."
        )
    return codes


def check_max_number(max_number: object) -> int:
    """Return ``max_number`` if ``check_parameters`` allows it (an int from 20 to 99 999:
    enough numbers for a validation set); else ``ValueError``.

    The data takes time in proportion: ``num2words`` writes roughly 10,000 to 20,000 texts a
    second on one core here, so the default 999 in 10 languages (10,000 texts) takes under a
    second, 9 999 (100,000 texts) several seconds, and 99 999 (1,000,000 texts) a minute or
    more, before any training, which grows in proportion too."""
    check_parameters(max_number=max_number)
    return max_number  # type: ignore[return-value]


@dataclass(frozen=True)
class NumberWords:
    """Texts and their language's index (into ``languages``), split by number."""

    languages: tuple[str, ...]
    train: list[tuple[str, int]]
    val: list[tuple[str, int]]
    train_numbers: tuple[int, ...]
    val_numbers: tuple[int, ...]


def make_number_words(
    languages: Sequence[str], max_number: int, *, val_fraction: float = 0.2, seed: int = 0
) -> NumberWords:
    """Write 0..``max_number`` in every language; hold out ``val_fraction`` of the numbers.

    The same numbers are held out in every language (the split is by number), chosen at random
    with ``seed``. Within each set, the examples are ordered by number, then by language."""
    codes = tuple(check_languages(languages))
    check_max_number(max_number)
    assert 0 < val_fraction < 1, f"val_fraction must be between 0 and 1, got {val_fraction}"
    numbers = list(range(max_number + 1))
    random.Random(seed).shuffle(numbers)
    n_val = max(1, round(val_fraction * len(numbers)))
    val_numbers, train_numbers = sorted(numbers[:n_val]), sorted(numbers[n_val:])

    def examples(chosen: list[int]) -> list[tuple[str, int]]:
        return [(num2words(n, lang=code), label) for n in chosen
                for label, code in enumerate(codes)]

    return NumberWords(codes, examples(train_numbers), examples(val_numbers),
                       tuple(train_numbers), tuple(val_numbers))


def shared_texts(examples: Sequence[tuple[str, int]]) -> dict[str, list[int]]:
    """The texts that occur with more than one language, and those languages' indices:
    "six" is English and French, "vier" German and Dutch."""
    labels: dict[str, set[int]] = defaultdict(set)
    for text, label in examples:
        labels[text].add(label)
    return {text: sorted(found) for text, found in labels.items() if len(found) > 1}


def best_possible_accuracy(examples: Sequence[tuple[str, int]]) -> float:
    """The highest accuracy any classifier can reach on ``examples``.

    A classifier sees only the text, so for a text that occurs with several labels it can be
    right for at most the most frequent of them."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for text, label in examples:
        counts[text][label] += 1
    best = sum(c.most_common(1)[0][1] for c in counts.values())
    return best / len(examples)
