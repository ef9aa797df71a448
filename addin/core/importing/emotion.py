"""Emotions as people write them (words, emoji, 1-5 or 1-10 scores) on the contract's -2..+2 scale.

Nothing is guessed silently: every reading says how it was made, and a sentence without a
known emotion word is not scored at all (`Reading.value` is None); the caller keeps the text
in the map and lists it on the Import sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from addin.core.contract import norm

EMOTION_WORDS: Final[dict[str, int]] = {
    # +2
    "delighted": 2,
    "excited": 2,
    "very happy": 2,
    "thrilled": 2,
    "ecstatic": 2,
    "elated": 2,
    "love": 2,
    "loving it": 2,
    "amazed": 2,
    "overjoyed": 2,
    "fantastic": 2,
    "great": 2,
    # +1
    "happy": 1,
    "pleased": 1,
    "satisfied": 1,
    "curious": 1,
    "hopeful": 1,
    "interested": 1,
    "relieved": 1,
    "confident": 1,
    "optimistic": 1,
    "glad": 1,
    "content": 1,
    "positive": 1,
    "good": 1,
    "calm": 1,
    "comfortable": 1,
    "reassured": 1,
    "eager": 1,
    "motivated": 1,
    "intrigued": 1,
    # 0
    "neutral": 0,
    "ok": 0,
    "okay": 0,
    "indifferent": 0,
    "fine": 0,
    "mixed": 0,
    "meh": 0,
    # -1
    "concerned": -1,
    "confused": -1,
    "nervous": -1,
    "anxious": -1,
    "worried": -1,
    "frustrated": -1,
    "impatient": -1,
    "disappointed": -1,
    "bored": -1,
    "skeptical": -1,
    "sceptical": -1,
    "doubtful": -1,
    "uneasy": -1,
    "annoyed": -1,
    "stressed": -1,
    "overwhelmed": -1,
    "unhappy": -1,
    "negative": -1,
    "sad": -1,
    "hesitant": -1,
    "irritated": -1,
    "unsure": -1,
    "uncertain": -1,
    "lost": -1,
    # -2
    "angry": -2,
    "furious": -2,
    "very frustrated": -2,
    "very unhappy": -2,
    "hate": -2,
    "desperate": -2,
    "upset": -2,
    "fed up": -2,
    "devastated": -2,
    "terrible": -2,
    "awful": -2,
    "miserable": -2,
    "livid": -2,
}
"""Emotion words and their value on -2..+2. "very", "really", "extremely" before a +1/-1 word make it +2/-2."""

EMOJI: Final[dict[str, int]] = {
    "🤩": 2,
    "😍": 2,
    "🥰": 2,
    "😁": 2,
    "😄": 2,
    "😃": 2,
    "❤️": 2,
    "❤": 2,
    ":D": 2,
    "😀": 1,
    "😊": 1,
    "🙂": 1,
    "😌": 1,
    "👍": 1,
    ":)": 1,
    ":-)": 1,
    "😐": 0,
    "😶": 0,
    "🤔": 0,
    "😑": 0,
    ":|": 0,
    "😕": -1,
    "🙁": -1,
    "😟": -1,
    "😞": -1,
    "😬": -1,
    "😒": -1,
    "☹️": -1,
    "☹": -1,
    "😰": -1,
    "👎": -1,
    ":(": -1,
    ":-(": -1,
    "😠": -2,
    "😡": -2,
    "🤬": -2,
    "😤": -2,
    "😢": -2,
    "😭": -2,
    "😩": -2,
    "😫": -2,
    "😱": -2,
}
"""Emoji (and text smileys) and their value on -2..+2."""

INTENSIFIERS: Final = ("very", "really", "extremely", "super", "so")
NEGATIONS: Final = ("not", "no", "never", "isn't", "isnt", "don't", "dont", "doesn't", "didn't", "wasn't", "nor")
_PARTS = re.compile(r"\s*(?:/|\||,|;|&|\+|\band\b|\bbut\b|\bthen\b|->|→|\n)\s*", re.I)
_WORD = re.compile(r"[a-z']+")
_SCALE_HINT = re.compile(r"(?:\(|\b)(0|1)\s*(?:-|–|to)\s*(5|7|10)\b|/\s*(5|10)\b|out of\s*(5|10)\b", re.I)
_FRACTION = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*/\s*(5|10)\s*$")


@dataclass(frozen=True)
class Reading:
    """An emotion on -2..+2 (None: not scored) and how it was read."""

    value: float | None
    how: str
    sure: bool = True
    """False when the user should confirm it (a sentence, mixed feelings, a guessed scale)."""


def scale_of(header: str, numbers: list[float]) -> tuple[float, float]:
    """The answer scale of a lane of scores: from its label ("Score (1-5)", "/10") or else from its values.

    Values all within -2..+2 are already on the contract's scale; otherwise 1-5, or 1-10 above 5.
    """
    m = _SCALE_HINT.search(header or "")
    if m:
        low = float(m.group(1)) if m.group(1) else 1.0
        high = float(m.group(2) or m.group(3) or m.group(4))
        return low, high
    if not numbers or (min(numbers) >= -2 and max(numbers) <= 2):
        return -2.0, 2.0
    return (1.0, 5.0) if max(numbers) <= 5 else (1.0, 10.0)


def from_score(number: float, scale: tuple[float, float]) -> float:
    """A score on `scale` moved linearly onto -2..+2 (rounded to 2 decimals)."""
    low, high = scale
    if (low, high) == (-2.0, 2.0):
        return number
    return round(-2 + 4 * (number - low) / (high - low), 2)


def read_emotion(value: Any, scale: tuple[float, float] = (-2.0, 2.0)) -> Reading:
    """One emotion cell: a number on `scale`, "4/5", a word ("Curious"), words ("Excited / Concerned": their
    mean, to confirm), emoji, or a sentence holding emotion words (to confirm). Anything else: not scored."""
    from addin.core.tables import to_number

    number = to_number(value)
    if number is not None:
        if not scale[0] <= number <= scale[1]:
            return Reading(None, f"{number:g} is outside the scale {scale[0]:g}-{scale[1]:g}", sure=False)
        e = from_score(number, scale)
        same = scale == (-2.0, 2.0)
        return Reading(e, "a number on -2..+2" if same else f"{number:g} on {scale[0]:g}-{scale[1]:g} -> {e:+g}")
    if not isinstance(value, str) or not value.strip():
        return Reading(None, "blank")
    text = value.strip()
    frac = _FRACTION.match(text)
    if frac:
        n, top = float(frac.group(1).replace(",", ".")), float(frac.group(2))
        if 0 <= n <= top:
            e = from_score(n, (1.0, top))
            return Reading(max(-2.0, e), f"{text} -> {e:+g}")
    found = _emoji(text)
    words = _words(text)
    if not found and not words:
        return Reading(None, "no emotion word, emoji or score the add-in knows", sure=False)
    values = [v for _, v in found + words]
    if any(_negated(text)):
        return Reading(None, "a negation ('not ...') the add-in does not score", sure=False)
    mean = round(sum(values) / len(values), 2)
    names = ", ".join(f"{w} ({v:+d})" for w, v in found + words)
    parts = [p for p in _PARTS.split(text) if p.strip()]
    single = len(found + words) == 1 and len(parts) == 1 and len(_WORD.findall(text.lower())) <= 3
    if single:
        return Reading(float(mean), "emoji list" if found else "word list")
    if len(_WORD.findall(text.lower())) <= 2 * len(parts) + 2:
        return Reading(float(mean), f"the mean of {names}", sure=len(set(values)) == 1)
    return Reading(float(mean), f"a sentence: read from {names}", sure=False)


def _emoji(text: str) -> list[tuple[str, int]]:
    out = []
    rest = text
    for symbol in sorted(EMOJI, key=len, reverse=True):
        while symbol in rest:
            out.append((symbol, EMOJI[symbol]))
            rest = rest.replace(symbol, " ", 1)
    return out


def _words(text: str) -> list[tuple[str, int]]:
    """Emotion words found, longest phrases first, with "very" doubling a +1/-1 word."""
    tokens = _WORD.findall(text.lower())
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(tokens):
        for size in (3, 2, 1):
            phrase = " ".join(tokens[i : i + size])
            if len(tokens[i : i + size]) == size and phrase in EMOTION_WORDS:
                value = EMOTION_WORDS[phrase]
                if size == 1 and i > 0 and tokens[i - 1] in INTENSIFIERS and abs(value) == 1:
                    phrase, value = f"{tokens[i - 1]} {phrase}", 2 * value
                out.append((phrase, value))
                i += size
                break
        else:
            i += 1
    return out


def _negated(text: str) -> list[bool]:
    tokens = _WORD.findall(text.lower())
    return [t in NEGATIONS for t in tokens]


def is_emotion_text(value: Any) -> bool:
    """True when a cell reads as an emotion (used to tell an emotion lane from prose)."""
    return read_emotion(value).value is not None


def label_scale_hint(label: str) -> bool:
    return bool(_SCALE_HINT.search(label or ""))


def without_scale(label: str) -> str:
    """A label without the scale it names: "Mood – Anna (1-5)" -> "Mood – Anna ()"."""
    return _SCALE_HINT.sub(" ", label)


__all__ = ["EMOJI", "EMOTION_WORDS", "Reading", "from_score", "norm", "read_emotion", "scale_of"]
