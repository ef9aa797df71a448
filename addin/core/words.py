"""How counts, numbers and nouns are said in messages to people: "1 error", "3 warnings", "56,700", "an Impact"."""

from __future__ import annotations

import math


def counted(n: int, word: str) -> str:
    """`n` and `word`, with a plural s unless n is 1."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def number(x: float) -> str:
    """A score or value as a person reads it: thousands grouped, decimals only where they mean something.

    56700.0 -> "56,700"; 1152.4 -> "1,152"; 12.5 -> "12.5"; 12.0 -> "12"; 0.75 -> "0.75"; 3.0 -> "3".
    From 100 on no decimals, from 10 on at most one, below that at most two.
    """
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return "-"
    digits = 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2
    text = f"{x:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def article(word: str) -> str:
    """ "a" or "an" before `word`, by how it starts: "an Impact", "a Persona"."""
    return "an" if word[:1].casefold() in "aeiou" else "a"
