"""What import works on and produces: blocks of cells with their origin, translated parts, decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from addin.core.model import a1, quote_sheet


@dataclass(frozen=True)
class Origin:
    """Where a value came from: file name, sheet ("" for a CSV file), 1-based row and column."""

    file: str
    sheet: str
    row: int
    col: int

    def __str__(self) -> str:
        cell = a1(self.row, self.col)
        return f"{self.file} {quote_sheet(self.sheet)}!{cell}" if self.sheet else f"{self.file} {cell}"


@dataclass
class Block:
    """A rectangle of cells found on a sheet (blank rows and columns around it); `cells[0][0]` is at (top, left)."""

    file: str
    sheet: str
    top: int
    left: int
    cells: list[list[Any]]
    titles: list[tuple[Origin, str]] = field(default_factory=list)

    def origin(self, r: int, c: int) -> Origin:
        """The origin of `cells[r][c]`."""
        return Origin(self.file, self.sheet, self.top + r, self.left + c)

    def at(self, r: int, c: int) -> Any:
        row = self.cells[r] if r < len(self.cells) else []
        return row[c] if c < len(row) else None

    @property
    def width(self) -> int:
        """The number of columns (rows are padded to one width when a block is cut out)."""
        return len(self.cells[0]) if self.cells else 0

    @property
    def where(self) -> str:
        """The block's range as "file Sheet!A3:G12"."""
        first = self.origin(0, 0)
        last = a1(self.top + len(self.cells) - 1, self.left + self.width - 1)
        return f"{first}:{last}"


@dataclass
class Value:
    """One source cell's value, with its origin."""

    value: Any
    origin: Origin


@dataclass
class LaneData:
    """A lane of a translated part: its name (a contract lane, or the label as written), where the label is,
    and per stage the values found (a grid has one per stage, a touchpoint table several)."""

    name: str
    label: str
    origin: Origin
    values: list[list[Value]]
    how: str = ""
    """How the label was mapped ("synonym", "keyword 'pain'", ...); empty when kept as written."""
    persona: str | None = None
    """Whose emotion the lane is ("Feeling – Anna": Anna); None for every other lane."""


@dataclass
class Pain:
    """A pain point found in a source, before it gets its ID."""

    description: str
    stage: str | None
    origin: Origin
    touchpoint: str | None = None
    channel: str | None = None
    persona: str | None = None
    severity: int | None = None
    frequency: int | None = None
    source: str | None = None
    how: str = ""


@dataclass
class Decision:
    """One thing import decided, where from, where to, and what the user should confirm."""

    origin: str
    target: str
    decision: str
    confirm: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"from": self.origin, "to": self.target, "decision": self.decision, "confirm": self.confirm}


@dataclass
class Part:
    """A table translated by one layout: its stages, lanes and pain points, and what was decided on the way."""

    layout: str
    block: Block
    stages: list[str]
    stage_origins: list[Origin]
    lanes: list[LaneData] = field(default_factory=list)
    pains: list[Pain] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    is_grid: bool = False

    @property
    def filled(self) -> int:
        """How complete the part is: the number of filled cells in its lanes (plus its pain points)."""
        return sum(1 for lane in self.lanes for cell in lane.values for v in cell if v.value is not None) + len(
            self.pains
        )


@dataclass
class ImportedJourney:
    """The joined result: what goes into the new workbook."""

    name: str
    stages: list[str]
    lanes: dict[str, list[Any]]
    pains: list[dict[str, Any]]
    personas: list[tuple[str, str, float | None]]
    decisions: list[Decision]
    assumed: dict[str, int] = field(default_factory=dict)
    """How many pain points got an assumed Severity / Frequency ("Severity": 12)."""
