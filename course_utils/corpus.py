"""A text corpus generated in code: whole numbers written as English words, one per line.

``342`` is written ``"three hundred and forty-two"`` (British style, with "and" before the
last part under a hundred). The spelling is strict, so a line that a language model writes can
be checked: :func:`words_to_number` accepts only the exact spelling :func:`number_to_words`
gives, and :func:`judge_samples` counts the lines that are valid and the ones that are new.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from course_utils.params import is_int

MAX_NUMBER = 999_999

ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_VALUES = {word: value for value, word in enumerate(ONES)} | {
    word: 10 * value for value, word in enumerate(TENS) if word
}


def _check_number(n: object, name: str = "n") -> int:
    if not is_int(n):
        raise TypeError(f"{name} must be an int, got {type(n).__name__} ({n!r}).")
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"{name} must lie in 0..{MAX_NUMBER:_}, got {n!r}.")
    return n


def _under_hundred(n: int) -> str:
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return TENS[tens] + (f"-{ONES[ones]}" if ones else "")


def _under_thousand(n: int, *, and_before_rest: bool) -> list[str]:
    """Words of ``1 <= n <= 999``; "and" goes before a last part under a hundred when a
    larger part precedes it (in this group or in the thousands)."""
    hundreds, rest = divmod(n, 100)
    words = [ONES[hundreds], "hundred"] if hundreds else []
    if rest:
        if hundreds or and_before_rest:
            words.append("and")
        words.append(_under_hundred(rest))
    return words


def number_to_words(n: int) -> str:
    """Write ``0 <= n <= 999_999`` in English words: ``342 -> "three hundred and forty-two"``."""
    n = _check_number(n)
    if n == 0:
        return "zero"
    thousands, rest = divmod(n, 1000)
    words = _under_thousand(thousands, and_before_rest=False) + ["thousand"] if thousands else []
    if rest:
        words += _under_thousand(rest, and_before_rest=bool(thousands))
    return " ".join(words)


def words_to_number(text: str) -> int:
    """Read back a number written by :func:`number_to_words`; anything else is a ValueError.

    Only the exact spelling counts: ``"three hundred and forty-two"`` gives 342, while
    ``"three hundred forty-two"`` or ``"forty-two hundred"`` are rejected.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__} ({text!r}).")
    total = current = 0
    for token in text.split(" "):
        if token == "and":
            continue
        if token == "hundred":
            current *= 100
        elif token == "thousand":
            total, current = total + current * 1000, 0
        else:
            parts = token.split("-")
            unknown = [p for p in parts if p not in _WORD_VALUES]
            if unknown or len(parts) > 2:
                raise ValueError(
                    f"text {text!r} is not a number in words: {token!r} is not a number word."
                )
            current += sum(_WORD_VALUES[p] for p in parts)
    number = total + current
    if number > MAX_NUMBER or number_to_words(number) != text:
        raise ValueError(
            f"text {text!r} is not a number in words as this course spells them "
            f"(e.g. {number_to_words(342)!r})."
        )
    return number


def is_number_words(text: str) -> bool:
    """True when ``text`` is exactly the spelling of a number (see :func:`words_to_number`)."""
    try:
        words_to_number(text)
    except (ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class NumberCorpus:
    """Training and validation numbers (disjoint) and their lines of words."""

    train_numbers: tuple[int, ...]
    val_numbers: tuple[int, ...]

    @property
    def train_lines(self) -> list[str]:
        return [number_to_words(n) for n in self.train_numbers]

    @property
    def val_lines(self) -> list[str]:
        return [number_to_words(n) for n in self.val_numbers]

    @property
    def train_text(self) -> str:
        """The training lines, each ending with a newline: the stream a language model reads."""
        return "".join(line + "\n" for line in self.train_lines)

    @property
    def val_text(self) -> str:
        return "".join(line + "\n" for line in self.val_lines)


def make_number_corpus(
    train_size: int = 4000, val_size: int = 500, *, low: int = 1, high: int = 99_999,
    seed: int = 0,
) -> NumberCorpus:
    """Draw ``train_size + val_size`` different numbers from ``low..high`` (seeded) and split
    them by number: no validation number is ever seen in training."""
    _check_number(low, "low")
    _check_number(high, "high")
    if high < low:
        raise ValueError(f"high must be at least low, got low={low}, high={high}.")
    for name, size in (("train_size", train_size), ("val_size", val_size)):
        if not is_int(size, low=1):
            raise ValueError(f"{name} must be an int of at least 1, got {size!r}.")
    available = high - low + 1
    if train_size + val_size > available:
        raise ValueError(
            f"train_size + val_size = {train_size + val_size} is more than the {available} "
            f"numbers in {low}..{high}; widen the range or ask for fewer."
        )
    numbers = random.Random(seed).sample(range(low, high + 1), train_size + val_size)
    return NumberCorpus(tuple(numbers[:train_size]), tuple(numbers[train_size:]))


def judge_samples(samples: Iterable[str], seen: Iterable[int]) -> dict[str, float | int]:
    """Count the samples that are valid (spell a number) and novel (valid, not in ``seen``).

    Returns ``{"count", "valid", "novel", "valid_fraction", "novel_fraction"}``; fractions are
    of all samples, rounded to 3 decimals.
    """
    samples = list(samples)
    if not samples:
        raise ValueError("samples is empty: judge at least one sample.")
    seen = set(seen)
    numbers = [words_to_number(s) for s in samples if is_number_words(s)]
    novel = sum(n not in seen for n in numbers)
    return {
        "count": len(samples),
        "valid": len(numbers),
        "novel": novel,
        "valid_fraction": round(len(numbers) / len(samples), 3),
        "novel_fraction": round(novel / len(samples), 3),
    }
