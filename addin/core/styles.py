"""Style roles of the output sheets, platform-neutral: each writer translates a role to its own format.

Colours are hex RGB without '#'. The heatmap scale is colour-blind safe (a light
yellow to dark red sequential ramp from ColorBrewer's YlOrRd).
"""

from __future__ import annotations

from dataclasses import dataclass
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
EMOTION_COLORS: Final = ("D7191C", "FFFFBF", "1A9641")  # negative .. positive (RdYlGn, cb-safe 3-class)
QUADRANT_FILLS: Final = {
    "Quick win": "B8E0B8",
    "Big bet": "B3CDE3",
    "Fill-in": "EEEEEE",
    "Money pit": "F4CCCC",
}

ROLES: Final[dict[str, Style]] = {
    "banner": Style(italic=True, color="7F7F7F", size=9),
    "title": Style(bold=True, size=14, color="1F3864"),
    "subtitle": Style(bold=True, size=11, color="1F3864"),
    "header": Style(bold=True, color="FFFFFF", fill="1F3864", wrap=True, align="center", border=True),
    "rowhead": Style(bold=True, fill="D9E1F2", border=True),
    "text": Style(),
    "wrap": Style(wrap=True),
    "note": Style(italic=True, color="595959", wrap=False),
    "int": Style(number_format="0"),
    "num1": Style(number_format="0.0"),
    "num2": Style(number_format="0.00"),
    "pct": Style(number_format="0%"),
    "pct1": Style(number_format="0.0%"),
    "heat": Style(number_format="0", align="center", border=True),
    "link": Style(color="0563C1", underline=True),
    "error": Style(bold=True, color="9C0006", fill="FFC7CE"),
    "warning": Style(color="9C5700", fill="FFEB9C"),
    "ok": Style(bold=True, color="006100", fill="C6EFCE"),
    **{f"quadrant:{name}": Style(fill=fill, bold=True) for name, fill in QUADRANT_FILLS.items()},
}
