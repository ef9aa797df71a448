"""How names are matched: sheet names, headers, lanes, stages, personas, touchpoints, settings keys.

One rule everywhere: case does not matter, and neither do spaces around a name or doubled inside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")


def norm(text: object) -> str:
    """The matching key of a name: case-insensitive, surrounding and repeated spaces ignored ("" for None)."""
    return " ".join(str(text).split()).casefold() if text is not None else ""


def same(a: object, b: object) -> bool:
    """Whether two names match."""
    return norm(a) == norm(b)


def find(name: object, items: Mapping[str, T]) -> T | None:
    """The value whose key matches `name`, or None (the first match in the mapping's order)."""
    key = norm(name)
    return next((value for k, value in items.items() if norm(k) == key), None)


def keys(names: Iterable[object]) -> set[str]:
    """The matching keys of `names`."""
    return {norm(n) for n in names}
