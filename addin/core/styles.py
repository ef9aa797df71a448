"""Style roles of the output sheets, platform-neutral: each writer translates a role to its own format.

Colours are hex RGB without '#'. The heatmap scale is colour-blind safe (a light
yellow to dark red sequential ramp from ColorBrewer's YlOrRd); chart series use the
Okabe-Ito palette, which stays distinguishable for the common colour-vision deficiencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None
    fill: str | None = None
    number_format: str | None = None
    wrap: bool = False
    align: str | None = None  # left, center, right
    underline: bool = False
    border: bool = False


HEATMAP_COLORS: Final = ("FFFFCC", "FD8D3C", "BD0026")  # YlOrRd: low, mid, high
HEATMAP_TEXT: Final = ("000000", "000000", "FFFFFF")  # readable text on each of the three colours
QUADRANT_FILLS: Final = {
    "Quick win": "B8E0B8",
    "Big bet": "B3CDE3",
    "Fill-in": "EEEEEE",
    "Money pit": "F4CCCC",
}
QUADRANT_MARKERS: Final = {  # stronger versions of the fills, for chart markers and bars
    "Quick win": "1A9641",
    "Big bet": "2C7BB6",
    "Fill-in": "8C8C8C",
    "Money pit": "D7191C",
}
IPA_FILLS: Final = {
    "Concentrate here": "F4CCCC",
    "Keep up the good work": "B8E0B8",
    "Low priority": "EEEEEE",
    "Possible overkill": "B3CDE3",
    "Not enough evidence": "FFFFFF",
}
SERIES_COLORS: Final = ("404040", "0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442")
"""Chart lines: dark grey for all customers, then Okabe-Ito colours, one per persona."""


class Role(StrEnum):
    """The style roles a cell of an output sheet can have; `ROLES` says how each looks."""

    BANNER = "banner"
    TITLE = "title"
    SUBTITLE = "subtitle"
    HEADER = "header"
    ROWHEAD = "rowhead"
    TEXT = "text"
    RIGHT = "right"
    WRAP = "wrap"
    NOTE = "note"
    INT = "int"
    NUM1 = "num1"
    NUM2 = "num2"
    PCT = "pct"
    PCT1 = "pct1"
    HEAT = "heat"
    LINK = "link"
    ERROR = "error"
    WARNING = "warning"
    OK = "ok"
    LEGEND_LOW = "legend:low"
    LEGEND_MID = "legend:mid"
    LEGEND_HIGH = "legend:high"
    QUICK_WIN = "quadrant:Quick win"
    BIG_BET = "quadrant:Big bet"
    FILL_IN = "quadrant:Fill-in"
    MONEY_PIT = "quadrant:Money pit"
    IPA_CONCENTRATE = "ipa:Concentrate here"
    IPA_KEEP_UP = "ipa:Keep up the good work"
    IPA_LOW_PRIORITY = "ipa:Low priority"
    IPA_OVERKILL = "ipa:Possible overkill"
    IPA_NOT_ENOUGH = "ipa:Not enough evidence"


LEGEND_ROLES: Final = (Role.LEGEND_LOW, Role.LEGEND_MID, Role.LEGEND_HIGH)
"""The heatmap legend's cells, low to high."""
WRAPPED: Final = frozenset({Role.WRAP, Role.HEADER, *LEGEND_ROLES, *(r for r in Role if r.value.startswith("ipa:"))})
"""Roles whose text wraps, so a row holding one may need to be taller."""


def quadrant_role(quadrant: str) -> Role:
    """The role of a priority quadrant's cell ("Quick win" -> Role.QUICK_WIN)."""
    return Role(f"quadrant:{quadrant}")


def ipa_role(quadrant: str) -> Role:
    """The role of an importance-performance quadrant's cell."""
    return Role(f"ipa:{quadrant}")


ROLES: Final[dict[str, Style]] = {
    "banner": Style(italic=True, color="7F7F7F", size=9),
    "title": Style(bold=True, size=14, color="1F3864"),
    "subtitle": Style(bold=True, size=11, color="1F3864"),
    "header": Style(bold=True, color="FFFFFF", fill="1F3864", wrap=True, align="center", border=True),
    "rowhead": Style(bold=True, fill="D9E1F2", border=True),
    "text": Style(),
    "right": Style(align="right"),
    "wrap": Style(wrap=True),
    "note": Style(italic=True, color="595959", wrap=False),
    "int": Style(number_format="#,##0"),
    "num1": Style(number_format="#,##0.0"),
    "num2": Style(number_format="0.00"),
    "pct": Style(number_format="0%"),
    "pct1": Style(number_format="0.0%"),
    "heat": Style(number_format='0;-0;""', align="center", border=True),  # zero = no pain point: blank
    "link": Style(color="0563C1", underline=True),
    "error": Style(bold=True, color="9C0006", fill="FFC7CE"),
    "warning": Style(color="9C5700", fill="FFEB9C"),
    "ok": Style(bold=True, color="006100", fill="C6EFCE"),
    **{
        f"legend:{level}": Style(fill=fill, color=text, bold=True, wrap=True, align="center", border=True)
        for level, fill, text in zip(("low", "mid", "high"), HEATMAP_COLORS, HEATMAP_TEXT, strict=True)
    },
    **{f"quadrant:{name}": Style(fill=fill, bold=True) for name, fill in QUADRANT_FILLS.items()},
    **{f"ipa:{name}": Style(fill=fill, bold=True, wrap=True) for name, fill in IPA_FILLS.items()},
}


def heat_color(share: float) -> str:
    """The heatmap colour at `share` (0..1) of the scale, as the three-colour scale interpolates it."""
    share = min(max(share, 0.0), 1.0)
    low, high, t = (
        (HEATMAP_COLORS[0], HEATMAP_COLORS[1], share * 2)
        if share <= 0.5
        else (
            HEATMAP_COLORS[1],
            HEATMAP_COLORS[2],
            share * 2 - 1,
        )
    )
    mix = [round(int(low[i : i + 2], 16) * (1 - t) + int(high[i : i + 2], 16) * t) for i in (0, 2, 4)]
    return "".join(f"{c:02X}" for c in mix)
