"""Data shapes shared by the core and every adapter: raw sheets in, findings and output sheets out.

An adapter (file, live Excel book, Google spreadsheet) reads each input sheet into a
`RawSheet` (cached values, row 0 = spreadsheet row 1) and renders the core's
`OutputSheet`s with its own means. Nothing here knows where a workbook lives.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from addin.core import names
from addin.core.contract import Severity
from addin.core.rules import Rule
from addin.core.styles import Role
from addin.core.words import counted

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from addin.core.journey import Journey
    from addin.core.results import Results, RunSummary


def _summary() -> RunSummary:
    from addin.core.results import RunSummary

    return RunSummary()


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """A1 reference of a 1-based row and column."""
    return f"{column_letter(col)}{row}"


def quote_sheet(name: str) -> str:
    """Sheet name as it appears in a formula or link: quoted when it needs to be."""
    if name.replace("_", "").isalnum() and not name[0].isdigit():
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclass
class RawSheet:
    """One input sheet as read: values only, positions kept (rows[0][0] is cell A1).

    `formulas_without_value` lists (row, col), 1-based, of formula cells that had no
    cached value (a file saved by a program that does not calculate).
    """

    name: str
    rows: list[list[Any]]
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)
    overlapping_merges: list[tuple[str, str]] = field(default_factory=list)
    """Merged ranges read as separate cells because they overlap a range merged before them, each as
    (that range, the earlier one) in A1 (`B3:C4`, `B2:D3`), in file order; the first few only."""
    overlapping_merges_total: int = 0
    """How many merged ranges were read as separate cells for overlapping an earlier one (all of them)."""


@dataclass
class RawWorkbook:
    """All sheets a reader found, by their name as spelled in the workbook."""

    source: str
    sheets: dict[str, RawSheet]

    def find(self, name: str) -> RawSheet | None:
        """The sheet whose name matches `name` (`addin.core.names`: case and spaces do not matter)."""
        return names.find(name, self.sheets)


@dataclass(frozen=True, order=True)
class Finding:
    """One validation finding, pointing at a cell. `rule` is a `Rule` (a code such as "P04" is taken too)."""

    severity: Severity
    rule: Rule
    sheet: str
    cell: str
    message: str
    fix: str
    count: int = 1
    """How many findings this one stands for: 1, or for the line that sums up a rule shown 25 times on a sheet,
    how many more there are. Counts of errors and warnings add these up (`tally`), never count lines."""

    def __post_init__(self) -> None:
        if not isinstance(self.rule, Rule):
            object.__setattr__(self, "rule", Rule(self.rule))

    def as_dict(self) -> dict[str, str | int]:
        return {
            "severity": self.severity.value,
            "rule": self.rule.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
            "fix": self.fix,
            "count": self.count,
        }


def tally(findings: Iterable[Finding] | Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """The true numbers of errors and warnings in `findings` (objects, or their `as_dict`): a summed-up line
    counts as the findings it stands for, so 30 bad rows are 30 errors though 25 are shown."""
    errors = warnings = 0
    for f in findings:
        severity, count = (f.severity.value, f.count) if isinstance(f, Finding) else (f["severity"], f["count"])
        if severity == Severity.ERROR.value:
            errors += int(count)
        else:
            warnings += int(count)
    return errors, warnings


ROW_WORDS = {
    "Personas": "persona",
    "PainPoints": "pain point",
    "Recommendations": "recommendation",
    "Evidence": "evidence row",
    "Funnel": "funnel row",
}
"""How a row of each input table is named when rows are counted."""


@dataclass(frozen=True)
class LeftOut:
    """Rows of one input table that validation left out of the analysis, and the rules (errors) why."""

    sheet: str
    rows: int
    rules: tuple[str, ...]
    at_least: bool = False
    """True when only a lower bound is known (counted from findings the Validation sheet summed up)."""

    def sentence(self) -> str:
        """ "2 recommendations left out because of errors: see Validation (R03, R07)." """
        noun = counted(self.rows, ROW_WORDS.get(self.sheet, "row"))
        why = "an error" if self.rows == 1 and len(self.rules) == 1 and not self.at_least else "errors"
        rules = f" ({', '.join(self.rules)})" if self.rules else ""
        text = f"{'at least ' if self.at_least else ''}{noun} left out because of {why}: see Validation{rules}."
        return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- output sheets


@dataclass(frozen=True)
class Cell:
    """One output cell: a value, a style role (see `addin.core.styles`) and an optional link.

    `link` is an internal target such as "'PainPoints'!G7". Text values are always
    written as text, never as formulas.
    """

    value: Any
    style: Role | None = None
    link: str | None = None


@dataclass(frozen=True)
class Ref:
    """A rectangular range on an output sheet, 1-based and inclusive."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    def a1(self, absolute: bool = True) -> str:
        d = "$" if absolute else ""
        start = f"{d}{column_letter(self.first_col)}{d}{self.first_row}"
        end = f"{d}{column_letter(self.last_col)}{d}{self.last_row}"
        return f"{quote_sheet(self.sheet)}!{start}:{end}"

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1


@dataclass(frozen=True)
class Series:
    """One chart series. The optional fields are hints a writer may ignore:

    - `color`: hex RGB of the line, bars or markers (None = the writer's own palette)
    - `dashed`: draw the line dashed (a second source for the same thing, e.g. Evidence vs the map)
    - `point_colors`: one hex RGB per point (a bar or marker each), e.g. the pain index of a stage
    - `reference`: in a scatter chart, a reference line (e.g. a quadrant threshold) drawn as a line
      without markers, where the other series are points
    """

    name: str
    values: Ref
    x_values: Ref | None = None
    sizes: Ref | None = None
    color: str | None = None
    dashed: bool = False
    point_colors: tuple[str, ...] | None = None
    reference: bool = False


class ChartKind(StrEnum):
    """What a native chart draws (each writer maps it to its own chart type)."""

    LINE = "line"
    COLUMN = "column"
    BAR = "bar"
    """Horizontal bars."""
    SCATTER = "scatter"
    BUBBLE = "bubble"


@dataclass(frozen=True)
class ChartSpec:
    """A native chart of a `ChartKind`.

    - line / column / bar: every series over `categories`; `y_min`/`y_max` bound the value axis.
    - scatter: series are drawn as markers only (the data points), except `reference` series, drawn
      as lines without markers (e.g. quadrant thresholds); `x_values` per series. The point series
      share one x range, so writers whose scatter charts have a single X column can draw them all.
    - `x_title` is the title of the horizontal axis and `y_title` of the vertical one, as the chart
      is seen (for a horizontal bar chart the values run along the horizontal axis).

    Optional hints (writers may ignore them): `x_min`/`x_max` bound a scatter chart's X axis;
    `y_major_unit` is the step between value-axis labels; `number_format` is the value axis' number
    format and `x_number_format` a scatter chart's X axis' (Excel codes such as "#,##0").
    """

    name: str
    kind: ChartKind
    title: str
    anchor: tuple[int, int]
    series: tuple[Series, ...]
    categories: Ref | None = None
    x_title: str = ""
    y_title: str = ""
    y_min: float | None = None
    y_max: float | None = None
    width_cm: float = 16.0
    height_cm: float = 8.0
    x_min: float | None = None
    x_max: float | None = None
    y_major_unit: float | None = None
    number_format: str | None = None
    x_number_format: str | None = None


@dataclass
class Picture:
    """A matplotlib picture, drawn only when a writer asks for it."""

    name: str
    anchor: tuple[int, int]
    draw: Callable[[], Figure]
    width_px: int = 900
    height_px: int = 480
    _png: bytes | None = field(default=None, repr=False)

    def figure(self) -> Figure:
        return self.draw()

    def png(self) -> bytes:
        if self._png is None:
            fig = self.draw()
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
            self._png = buf.getvalue()
        return self._png


@dataclass(frozen=True)
class ColorScale:
    """A three-colour scale over a range (low, mid, high colours as hex RGB).

    `points`: the numbers the three colours sit at (so a legend can name them and a picture can use
    the same scale); None = the range's minimum, median and maximum.
    """

    ref: Ref
    colors: tuple[str, str, str]
    points: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class PageSetup:
    """How an output sheet prints (`addin.core.printing` fills it in; writers without page setup ignore it).

    - `landscape`, `fit_width`: landscape paper, scaled so the print area is one page wide (as many
      pages tall as it needs)
    - `title_rows`: first and last row repeated at the top of every printed page
    - `area`: the print area (None = everything on the sheet)
    - `row_breaks`: a printed page starts at each of these rows, so no chart or picture is cut
    """

    landscape: bool = True
    fit_width: bool = True
    title_rows: tuple[int, int] | None = None
    area: Ref | None = None
    row_breaks: tuple[int, ...] = ()


@dataclass
class OutputSheet:
    """A sheet the add-in writes: sparse cells plus layout, colour scales, charts, pictures."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    col_widths: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None
    color_scales: list[ColorScale] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    merges: list[Ref] = field(default_factory=list)
    row_heights: dict[int, float] = field(default_factory=dict)
    """Row -> height in points, for rows whose wrapped text needs more than one line."""
    page: PageSetup = field(default_factory=PageSetup)
    """Page setup for printing."""

    def put(self, row: int, col: int, value: Any, style: Role | None = None, link: str | None = None) -> None:
        self.cells[(row, col)] = Cell(value, style, link)

    def put_row(self, row: int, col: int, values: list[Any], style: Role | None = None) -> None:
        for offset, value in enumerate(values):
            self.put(row, col + offset, value, style)

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_col(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def grid(self) -> list[list[Any]]:
        """Values as a dense list of rows starting at A1 (None where empty)."""
        out: list[list[Any]] = [[None] * self.max_col for _ in range(self.max_row)]
        for (r, c), cell in self.cells.items():
            out[r - 1][c - 1] = cell.value
        return out

    def iter_cells(self) -> Iterator[tuple[int, int, Cell]]:
        for (r, c), cell in sorted(self.cells.items()):
            yield r, c, cell


@dataclass
class RunResult:
    """What one run of the core produced: the findings, the output sheets laid out, a summary of it in
    numbers and sentences, and the typed results every sheet was laid out from.
    """

    source: str
    findings: list[Finding]
    outputs: list[OutputSheet]
    summary: RunSummary = field(default_factory=lambda: _summary())
    results: Results | None = None
    journey: Journey | None = field(default=None, repr=False, compare=False)
    """The validated journey the results came from (its lanes draw the map, e.g. the stakeholder PDF)."""

    @property
    def left_out(self) -> list[LeftOut]:
        """Per input table, the rows validation left out of the analysis because of errors, and why."""
        return list(self.results.left_out) if self.results is not None else []

    @property
    def errors(self) -> list[Finding]:
        """The error lines, capped as shown; their true number is `summary.errors` (see `tally`)."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]
