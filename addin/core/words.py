"""How counts are said in messages to people: "1 error", "3 warnings"."""

from __future__ import annotations


def counted(n: int, word: str) -> str:
    """`n` and `word`, with a plural s unless n is 1."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")
