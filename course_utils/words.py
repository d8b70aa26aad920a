"""Words for what the notebooks print: a count with its noun in the right number."""

from __future__ import annotations


def quantity(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and its noun: ``quantity(1, "epoch")`` is "1 epoch", ``quantity(15, "epoch")`` is
    "15 epochs", ``quantity(2, "match", "matches")``; thousands get a comma (1,000 seeds)."""
    noun = singular if n == 1 else (plural or f"{singular}s")
    return f"{n:,} {noun}"
