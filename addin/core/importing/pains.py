"""Pain-point cells split into items: one sentence, a newline or bulleted list, or a semicolon list."""

from __future__ import annotations

import re

from addin.core.importing.vocabulary import is_placeholder

_BULLET = re.compile(r"^\s*(?:[-*•·◦‣–—▪●]|\d{1,2}[.)])\s+")
_INLINE_BULLETS = re.compile(r"\s*[•·▪●]\s*")


def split_items(text: str) -> tuple[list[str], str]:
    """The items of a cell and how it was split ("one sentence", "a list of 3 lines", "3 items split at ';'")."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    lines = [ln for ln in (line.strip() for line in text.split("\n")) if ln]
    if len(lines) > 1:
        items = [_BULLET.sub("", ln).strip() for ln in lines]
        how = f"a list of {len(items)} lines"
    elif ";" in text:
        items = [p.strip() for p in text.split(";")]
        how = f"{len([p for p in items if p])} items split at ';'"
    elif text.count("•") >= 2 or text.count("·") >= 2:
        items = [p.strip() for p in _INLINE_BULLETS.split(text)]
        how = f"{len([p for p in items if p])} bulleted items"
    else:
        items = [_BULLET.sub("", text).strip()]
        how = "one sentence"
    kept = [i.rstrip(" ;,") for i in items if i and not is_placeholder(i)]
    return kept, how
