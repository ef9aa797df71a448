"""The words import reads: lane synonyms and keywords, stage and placeholder clean-up, severity and frequency words.

Every table here is documented in the README ("Import a journey you already have"); a test keeps
the two equal. Matching is on `norm` (case-insensitive, spaces collapsed) after `clean_label`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from addin.core.contract import ASSUMED_LEVEL, Lane, norm

LANE_SYNONYMS: Final[dict[Lane, tuple[str, ...]]] = {
    Lane.GOALS: (
        "goals",
        "goal",
        "customer goal",
        "customer goals",
        "goal or objective",
        "objective",
        "objectives",
        "needs",
        "customer needs",
        "jobs to be done",
    ),
    Lane.EXPECTATIONS: ("expectations", "expectation", "customer expectation", "customer expectations"),
    Lane.ACTIONS: (
        "actions",
        "action",
        "doing",
        "doing (tasks)",
        "tasks",
        "customer actions",
        "customer action",
        "activities",
        "steps",
        "what they do",
        "behaviour",
        "behavior",
    ),
    Lane.TOUCHPOINTS: (
        "touchpoints",
        "touchpoint",
        "touch points",
        "touch point",
        "customer interaction",
        "customer interactions",
        "interactions",
    ),
    Lane.CHANNELS: ("channels", "channel", "marketing channel", "marketing channels", "media"),
    Lane.THOUGHTS: (
        "thoughts",
        "thought",
        "thinking",
        "saying",
        "customer thoughts",
        "thinking and saying",
        "quotes",
        "what they think",
        "what they say",
    ),
    Lane.EMOTION: (
        "emotion",
        "emotions",
        "feeling",
        "feelings",
        "feeling (emoji)",
        "mood",
        "sentiment",
        "emotional state",
        "current experience",
        "experience",
        "satisfaction",
        "score",
        "rating",
    ),
    Lane.PAIN_POINTS: (
        "pain points",
        "pain point",
        "painpoints",
        "painpoint",
        "pains",
        "pain",
        "frustrations",
        "problems",
        "issues",
        "challenges",
        "barriers",
    ),
    Lane.OPPORTUNITIES: (
        "opportunities",
        "opportunity",
        "brand opportunities",
        "improvement opportunity",
        "improvement opportunities",
        "opportunity for future state",
        "ideas",
        "improvements",
    ),
    Lane.MOMENTS_OF_TRUTH: ("moments of truth", "moment of truth"),
    Lane.KPIS: ("kpis", "kpi", "metrics", "measures", "success metrics"),
    Lane.OWNER: ("owner", "owners", "responsible", "team"),
}
"""A header or lane label that equals one of these (after `clean_label`) is that lane of the contract."""

LANE_KEYWORDS: Final[tuple[tuple[str, Lane], ...]] = (
    ("moment of truth", Lane.MOMENTS_OF_TRUTH),
    ("pain", Lane.PAIN_POINTS),
    ("frustrat", Lane.PAIN_POINTS),
    ("opportunit", Lane.OPPORTUNITIES),
    ("improve", Lane.OPPORTUNITIES),
    ("emotion", Lane.EMOTION),
    ("feel", Lane.EMOTION),
    ("mood", Lane.EMOTION),
    ("touchpoint", Lane.TOUCHPOINTS),
    ("touch point", Lane.TOUCHPOINTS),
    ("interaction", Lane.TOUCHPOINTS),
    ("channel", Lane.CHANNELS),
    ("expect", Lane.EXPECTATIONS),
    ("goal", Lane.GOALS),
    ("objective", Lane.GOALS),
    ("think", Lane.THOUGHTS),
    ("thought", Lane.THOUGHTS),
    ("saying", Lane.THOUGHTS),
    ("doing", Lane.ACTIONS),
    ("action", Lane.ACTIONS),
    ("task", Lane.ACTIONS),
    ("kpi", Lane.KPIS),
    ("owner", Lane.OWNER),
)
"""Tried in this order when no synonym matches: a label containing the keyword is that lane."""

STAGE_HEADERS: Final = (
    "stage",
    "stages",
    "phase",
    "phases",
    "step",
    "steps",
    "journey stage",
    "journey stages",
    "journey phase",
    "journey step",
    "lane",
    "lanes",
    "stage / lane",
)
"""Headers of the column that names the stage (in a table with one row per stage or per touchpoint)."""

PAIN_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "description": (
        "pain point",
        "pain points",
        "pain",
        "painpoint",
        "issue",
        "issues",
        "problem",
        "problems",
        "description",
        "finding",
        "findings",
        "frustration",
    ),
    "severity": ("severity", "priority", "impact", "criticality"),
    "frequency": ("frequency", "how often", "occurrence", "likelihood"),
    "stage": STAGE_HEADERS,
    "touchpoint": ("touchpoint", "touchpoints", "touch point"),
    "channel": ("channel", "channels"),
    "persona": ("persona", "personas", "customer", "segment"),
    "source": ("source", "evidence", "heard in"),
    "id": ("id", "#", "no", "no.", "ref"),
}
"""Headers of a separate pain-point table, by what the column holds."""

SEVERITY_WORDS: Final[dict[str, int]] = {
    "critical": 5,
    "blocker": 5,
    "very high": 5,
    "severe": 5,
    "high": 4,
    "major": 4,
    "medium": 3,
    "moderate": 3,
    "med": 3,
    "mid": 3,
    "low": 2,
    "minor": 2,
    "very low": 1,
    "trivial": 1,
    "cosmetic": 1,
}
"""Severity 1-5 from a word (High / Medium / Low and their kin)."""

FREQUENCY_WORDS: Final[dict[str, int]] = {
    "always": 5,
    "very often": 5,
    "very high": 5,
    "every time": 5,
    "often": 4,
    "frequent": 4,
    "frequently": 4,
    "high": 4,
    "common": 4,
    "sometimes": 3,
    "medium": 3,
    "occasionally": 3,
    "moderate": 3,
    "rarely": 2,
    "rare": 2,
    "low": 2,
    "seldom": 2,
    "uncommon": 2,
    "very rarely": 1,
    "very low": 1,
    "once": 1,
}
"""Frequency 1-5 from a word."""

DEFAULT_SEVERITY: Final = ASSUMED_LEVEL
DEFAULT_FREQUENCY: Final = ASSUMED_LEVEL
"""What an imported pain point gets when its source does not say: assumed, and listed on the Import sheet."""

PLACEHOLDERS: Final = (
    "fill in",
    "fill me in",
    "tbd",
    "tbc",
    "to be defined",
    "to do",
    "todo",
    "n/a",
    "na",
    "none",
    "none captured",
    "none captured on board",
    "nothing captured",
    "-",
    "--",
    "?",
    "...",
    "…",
    "xxx",
    "placeholder",
    "insert here",
    "add here",
    "type here",
    "enter text",
)
"""Cells holding only one of these read as blank; so do "Fill in here", "Add your goal", text starting with
"Lorem ipsum" or "None captured", and text in [brackets] or <angle brackets>."""

_PLACEHOLDER_START = ("lorem ipsum", "none captured", "nothing captured")
_PLACEHOLDER_FORM = re.compile(
    r"^(?:please )?(?:fill in|fill out|add|insert|type|enter|write)(?: (?:here|later|text|details|this|your \w+))?$"
)
_BRACKETED = re.compile(r"^\s*[\[<{].*[\]>}]\s*$")
_EXAMPLE_TAIL = re.compile(r"\s*(\be\.?\s?g\.?|\bi\.?\s?e\.?|\bfor example\b|\bsuch as\b)[\s:,].*$", re.I | re.S)
_PARENS = re.compile(r"\s*\([^)]*\)\s*")
_STAGE_NUMBER = re.compile(r"^\s*(?:(?:stage|phase|step)\s*)?\d{1,2}\s*(?:[.):\-–—]\s*|\s+)(?=\S)", re.I)
_STAGE_WORD = re.compile(r"^\s*(?:stage|phase|step)\s*\d{0,2}\s*[:\-–—]\s*", re.I)
_ARROWS = re.compile(r"[\s>»›→⟶➔➜➤▶►\-=]+$")
_LEAD_ARROWS = re.compile(r"^[\s>»›→⟶➔➜➤▶►\-=]+")


NOT_PERSONAS: Final = (
    "customer",
    "customers",
    "user",
    "users",
    "client",
    "clients",
    "everyone",
    "all",
    "overall",
    "average",
    "mean",
    "total",
    "current",
    "future",
    "today",
    "expected",
    "actual",
    "emoji",
    "emojis",
    "smiley",
    "smileys",
    "face",
    "faces",
    "icon",
    "icons",
    "scale",
    "score",
    "scores",
    "number",
    "numbers",
    "text",
    "words",
    "optional",
    "curve",
    "level",
    "high",
    "low",
)
"""What the other part of an emotion lane's label ("Feeling (emoji)", "Mood - overall") may be without naming a
persona; nor is a part with a digit, a lane's name or keyword, an emotion word or a placeholder."""

_SEPARATOR = re.compile(r"\s*(?:[–—:()\-]|'s\s)\s*")
_PAREN_GROUP = re.compile(r"\(([^()]*)\)?")
_PERSONA_NAME = re.compile(r"^[^\W\d_]+(?:(?:[ .'&]+|-)[^\W\d_]+){0,3}\.?$")


def persona_of_emotion_label(label: Any, extra: Mapping[str, Lane] | None = None) -> str | None:
    """The persona an emotion lane's label names: an emotion synonym (the table, or the user's) and a name,
    either order, apart by – — - : ( ) or 's ("Feeling – Anna", "Emotion (Ben)", "Anna's mood"); None otherwise.
    A parenthesis that names no one ("(emoji)", "(1-5)") is not read as the name."""
    if not isinstance(label, str) or not label.strip():
        return None
    from addin.core.importing.emotion import without_scale

    text = _EXAMPLE_TAIL.sub("", " ".join(without_scale(label.replace("’", "'")).split()))
    text = _PAREN_GROUP.sub(lambda m: " " if _describes(m.group(1)) else m.group(0), text)
    text = " ".join(text.split()).strip(" ()")
    for m in _SEPARATOR.finditer(text):
        first, second = text[: m.start()], text[m.end() :]
        for feeling, name in ((first, second), (second, first)) if "'s" not in m.group(0) else ((second, first),):
            if _is_emotion_word(feeling, extra) and (who := _name_in(name)) is not None:
                return who
    return None


def _describes(text: str) -> bool:
    """Whether a parenthesis names no one: "(emoji)", "(1-5)", "()"."""
    return norm(text) in NOT_PERSONAS or not any(ch.isalpha() for ch in text) or any(ch.isdigit() for ch in text)


def _is_emotion_word(text: str, extra: Mapping[str, Lane] | None) -> bool:
    key = norm(text).strip(" :-–—()")
    return key in LANE_SYNONYMS[Lane.EMOTION] or (extra or {}).get(key) is Lane.EMOTION


def _name_in(text: str) -> str | None:
    """`text` as a persona's name (one to four words of letters, none of the words that name no one), or None."""
    from addin.core.importing.emotion import is_emotion_text

    name = " ".join(text.split()).strip(" :-–—()")
    key = norm(name)
    if not _PERSONA_NAME.match(name) or len(name) > 40 or key in NOT_PERSONAS or is_placeholder(name):
        return None
    if key in {norm(lane.value) for lane in Lane} or any(key in words for words in LANE_SYNONYMS.values()):
        return None
    if any(word in key for word, _ in LANE_KEYWORDS) or is_emotion_text(name):
        return None
    return name


def is_placeholder(value: Any) -> bool:
    """True when a cell holds a placeholder ("Fill in", "TBD", "None captured on board", "[add text]")."""
    if not isinstance(value, str):
        return False
    key = norm(value).strip(" .:")
    if not key or key in PLACEHOLDERS or norm(value) in PLACEHOLDERS:
        return True
    return key.startswith(_PLACEHOLDER_START) or bool(_PLACEHOLDER_FORM.match(key) or _BRACKETED.match(value))


def clean_label(text: str) -> str:
    """A lane or column label without its example tail and parentheses: "Painpoints in each step e.g. x" ->
    "Painpoints in each step"; "Doing (tasks)" -> "Doing"."""
    text = _EXAMPLE_TAIL.sub("", str(text))
    bare = _PARENS.sub(" ", text)
    return " ".join((bare if bare.strip() else text).split()).strip(" :-–—.")


def clean_stage(text: Any) -> str:
    """A stage header without decoration and numbering: "Research >>" -> "Research", "1. Plan" -> "Plan",
    "Step 3: Buy" -> "Buy", "2. Validate / Test" -> "Validate / Test"."""
    name = " ".join(str(text).split())
    name = _ARROWS.sub("", name)
    name = _LEAD_ARROWS.sub("", name)
    stripped = _STAGE_WORD.sub("", name)
    stripped = _STAGE_NUMBER.sub("", stripped)
    return stripped.strip() or name.strip()


def lane_of(label: Any, extra: Mapping[str, Lane] | None = None) -> tuple[Lane | None, str]:
    """The contract lane a label names and how it was found ("synonym", "keyword 'pain'", "your synonyms")."""
    if not isinstance(label, str) or not label.strip():
        return None, ""
    key = norm(label)
    cleaned = norm(clean_label(label))
    for source, how in ((extra or {}, "your synonyms"),):
        for text in (key, cleaned):
            if text in source:
                return source[text], how
    for lane in Lane:
        if norm(lane.value) in (key, cleaned):
            return lane, "contract name"
    if persona_of_emotion_label(label, extra) is not None:
        return Lane.EMOTION, "a persona's emotion lane"
    for lane, words in LANE_SYNONYMS.items():
        if key in words or cleaned in words:
            return lane, "synonym"
    if cleaned.startswith("emotion:"):
        return None, ""
    for word, lane in LANE_KEYWORDS:
        if word in cleaned and len(cleaned) <= 80:
            return lane, f"keyword '{word}'"
    return None, ""


def is_stage_header(label: Any) -> bool:
    return isinstance(label, str) and norm(clean_label(label)) in STAGE_HEADERS


def column_role(label: Any) -> str | None:
    """What a pain-table column holds ("description", "severity", ...), from its header."""
    if not isinstance(label, str):
        return None
    cleaned = norm(clean_label(label))
    for role, words in PAIN_COLUMNS.items():
        if cleaned in words or norm(label) in words:
            return role
    return None


def level_of(value: Any, words: Mapping[str, int]) -> int | None:
    """A 1-5 level from a word ("High") or a whole number 1-5; None when it is neither."""
    from addin.core.tables import to_number

    if isinstance(value, str):
        key = norm(value).strip(" .!")
        if key in words:
            return words[key]
    number = to_number(value)
    if number is not None and number == int(number) and 1 <= number <= 5:
        return int(number)
    return None


def read_synonyms(rows: list[list[Any]], where: str) -> dict[str, Lane]:
    """User synonyms from a two-column table (label, lane); raises `UnusableWorkbook` naming the bad row."""
    from addin.core.errors import UnusableWorkbook

    lanes = {norm(lane.value): lane for lane in Lane}
    out: dict[str, Lane] = {}
    for r, row in enumerate(rows, start=1):
        cells = [c for c in row if isinstance(c, str) and c.strip()]
        if not cells or cells[0].lstrip().startswith("#"):
            continue
        if len(cells) < 2 or norm(cells[1]) not in lanes:
            if r == 1 and len(cells) >= 2 and norm(cells[1]) == "lane":
                continue  # a header row
            raise UnusableWorkbook(
                f"{where} line {r}: expected 'label,lane' with lane one of "
                + ", ".join(lane.value for lane in Lane)
                + f", not {row!r}.",
                path=where,
            )
        out[norm(cells[0])] = lanes[norm(cells[1])]
    return out
