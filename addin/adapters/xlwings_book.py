"""The live Excel book, through xlwings: read the input sheets, render the output sheets.

Reading takes each sheet's values from A1 to its last used cell in one call. Writing
replaces an output sheet whole: an existing one is cleared (contents, formats, merges)
and its pictures and charts deleted, so formulas elsewhere that point at it keep
working; a missing one is added after the last sheet. Values go in one call per sheet;
styles one call per attribute and rectangle of equally styled cells.

Limits, as xlwings' desktop API sets them: alignment, borders and underline of the
style roles are not applied; a colour scale is rendered as fixed fills computed from
the values (the sheet is rewritten on every run anyway); a chart series whose rows or
x values differ from the first series' is left out of the native chart (the
matplotlib picture shows it); panes are frozen through the Windows COM window
object, and not at all on macOS.

xlwings itself is never imported here: the objects come from the caller.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from addin.core.contract import OUTPUT_SHEETS, norm
from addin.core.model import ChartSpec, ColorScale, OutputSheet, Picture, RawSheet, RawWorkbook, Ref, a1
from addin.core.model import column_letter as col_letter
from addin.core.styles import ROLES, Style

if TYPE_CHECKING:  # pragma: no cover
    import xlwings as xw

POINTS_PER_CM = 72 / 2.54
POINTS_PER_PX = 0.75
CHART_TYPES = {
    "line": "line_markers",
    "column": "column_clustered",
    "bar": "bar_clustered",
    "scatter": "xy_scatter",
    "bubble": "xy_scatter",  # xlwings cannot set bubble sizes; the points keep their place
}
_OUTPUT_KEYS = {norm(s.value) for s in OUTPUT_SHEETS}
_NUMBER_LIKE = re.compile(r"^[\s]*[-+=@'(.$€£¥0-9]")
_Rect = tuple[int, int, int, int]


# ---------------------------------------------------------------- reading


def find_sheet(book: xw.Book, name: str) -> xw.Sheet | None:
    """The sheet called `name` (case and surrounding spaces ignored), or None."""
    key = norm(name)
    return next((s for s in book.sheets if norm(s.name) == key), None)


def read_sheet(sheet: xw.Sheet) -> RawSheet:
    """One sheet's values from A1 to its last used cell (row 0 = row 1)."""
    last = sheet.used_range.last_cell
    rows, cols = int(last.row), int(last.column)
    values = sheet.range((1, 1), (rows, cols)).options(ndim=2).value or []
    grid = [list(row) for row in values]
    if rows == 1 and cols == 1 and grid == [[None]]:
        grid = []
    return RawSheet(str(sheet.name), grid)


def read_book(book: xw.Book) -> RawWorkbook:
    """Every sheet of `book` except the add-in's own output sheets, which the core never reads."""
    sheets: dict[str, RawSheet] = {}
    for sheet in book.sheets:
        if norm(sheet.name) in _OUTPUT_KEYS:
            continue
        raw = read_sheet(sheet)
        sheets[raw.name] = raw
    return RawWorkbook(source=str(book.name), sheets=sheets)


# ---------------------------------------------------------------- writing: cells


def excel_literal(value: Any) -> Any:
    """`value` as it must be assigned to Range.value so that Excel stores exactly it.

    Text Excel would turn into a formula, number, date or boolean ("=1", "+49 30",
    "1/2", "TRUE", "(5)") gets the ' text prefix, which Excel does not show.
    NaN becomes an empty cell; numpy scalars become Python numbers.
    """
    if isinstance(value, str):
        if _NUMBER_LIKE.match(value) or value.strip().upper() in {"TRUE", "FALSE"}:
            return "'" + value
        return value
    if hasattr(value, "item") and not isinstance(value, int | float | bool):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def rectangles(cells: Iterable[tuple[int, int]]) -> list[_Rect]:
    """Cover `cells` with rectangles (first_row, first_col, last_row, last_col), few of them.

    Runs of adjacent columns in a row, then identical runs on consecutive rows, are joined.
    """
    by_row: dict[int, list[int]] = defaultdict(list)
    for r, c in cells:
        by_row[r].append(c)
    runs: list[tuple[int, int, int]] = []
    for r in sorted(by_row):
        cols = sorted(set(by_row[r]))
        start = prev = cols[0]
        for c in cols[1:]:
            if c != prev + 1:
                runs.append((r, start, prev))
                start = c
            prev = c
        runs.append((r, start, prev))
    open_: dict[tuple[int, int], list[int]] = {}
    done: list[_Rect] = []
    for r, c1, c2 in runs:
        span = open_.get((c1, c2))
        if span is not None and span[1] == r - 1:
            span[1] = r
        else:
            if span is not None:
                done.append((span[0], c1, span[1], c2))
            open_[(c1, c2)] = [r, r]
    done += [(r1, c1, r2, c2) for (c1, c2), (r1, r2) in open_.items()]
    return sorted(done)


def _hex(color: str) -> str:
    return "#" + color.lstrip("#")


def _apply_style(rng: xw.Range, style: Style) -> None:
    if style.bold:
        rng.font.bold = True
    if style.italic:
        rng.font.italic = True
    if style.size is not None:
        rng.font.size = style.size
    if style.color:
        rng.font.color = _hex(style.color)
    if style.fill:
        rng.color = _hex(style.fill)
    if style.number_format:
        rng.number_format = style.number_format
    if style.wrap:
        rng.wrap_text = True


def _blend(low: str, high: str, t: float) -> str:
    a = [int(low[i : i + 2], 16) for i in (0, 2, 4)]
    b = [int(high[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(a, b, strict=True))


def scale_fills(sheet: OutputSheet, scale: ColorScale) -> dict[tuple[int, int], str]:
    """Fill colour of each numeric cell under `scale`, as Excel's 3-colour scale: at the scale's fixed
    points when it has them, else at the minimum, median and maximum."""
    ref = scale.ref
    found: dict[tuple[int, int], float] = {}
    for r in range(ref.first_row, ref.last_row + 1):
        for c in range(ref.first_col, ref.last_col + 1):
            cell = sheet.cells.get((r, c))
            value = cell.value if cell is not None else None
            if isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value):
                found[(r, c)] = float(value)
    if not found:
        return {}
    if scale.points is not None:  # fixed points, so the colours mean what the legend says
        low, mid, high = scale.points
    else:
        ordered = sorted(found.values())
        low, high = ordered[0], ordered[-1]
        n = len(ordered)
        mid = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    c_low, c_mid, c_high = (c.lstrip("#").upper() for c in scale.colors)
    fills = {}
    for key, v in found.items():
        v = min(max(v, low), high)
        if v <= mid:
            fills[key] = _blend(c_low, c_mid, 0.0 if mid == low else (v - low) / (mid - low))
        else:
            fills[key] = _blend(c_mid, c_high, 1.0 if high == mid else (v - mid) / (high - mid))
    return fills


def fresh_sheet(book: xw.Book, name: str) -> xw.Sheet:
    """The output sheet `name`, emptied: cleared with its pictures and charts deleted, or newly added."""
    sheet = find_sheet(book, name)
    if sheet is None:
        sheets = book.sheets
        return sheets.add(name, after=sheets[len(sheets) - 1])
    for picture in list(sheet.pictures):
        picture.delete()
    for chart in list(sheet.charts):
        chart.delete()
    sheet.clear()
    return sheet


def _freeze(book: xw.Book, sheet: xw.Sheet, at: tuple[int, int]) -> None:
    row, col = at
    if row <= 1 and col <= 1:
        return
    if col <= 1:
        frozen = f"1:{row - 1}"
    elif row <= 1:
        frozen = f"A:{col_letter(col - 1)}"
    else:
        frozen = f"A1:{a1(row - 1, col - 1)}"
    try:
        sheet.freeze_panes.freeze_at(frozen)  # xlwings Server and Lite
        return
    except (NotImplementedError, AttributeError):
        pass
    try:  # desktop Excel on Windows: the active window's panes
        sheet.activate()
        window = book.app.api.ActiveWindow
        window.FreezePanes = False
        window.SplitRow = row - 1
        window.SplitColumn = col - 1
        window.FreezePanes = True
    except Exception:  # macOS (AppleScript) has no such object; frozen panes are a nicety
        pass


def write_cells(book: xw.Book, sheet: xw.Sheet, out: OutputSheet) -> None:
    """Values, styles, links, merges, widths, colour-scale fills and frozen panes of `out` on `sheet`."""
    grid = [[excel_literal(v) for v in row] for row in out.grid()]
    if grid:
        sheet.range((1, 1)).value = grid
    by_role: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r, c, cell in out.iter_cells():
        if cell.style and cell.style in ROLES:
            by_role[cell.style].append((r, c))
    for role in sorted(by_role):
        style = ROLES[role]
        if style == Style():
            continue
        for r1, c1, r2, c2 in rectangles(by_role[role]):
            _apply_style(sheet.range((r1, c1), (r2, c2)), style)
    for scale in out.color_scales:
        fills: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for key, color in scale_fills(out, scale).items():
            fills[color].append(key)
        for color in sorted(fills):
            for r1, c1, r2, c2 in rectangles(fills[color]):
                sheet.range((r1, c1), (r2, c2)).color = _hex(color)
    for r, c, cell in out.iter_cells():
        if cell.link:
            text = "" if cell.value is None else str(cell.value)
            sheet.range((r, c)).add_hyperlink("#" + cell.link, text_to_display=text)
    for merge in out.merges:
        sheet.range((merge.first_row, merge.first_col), (merge.last_row, merge.last_col)).merge()
    for col, width in sorted(out.col_widths.items()):
        sheet.range((1, col)).column_width = width
    if out.freeze:
        _freeze(book, sheet, out.freeze)


# ---------------------------------------------------------------- writing: charts and pictures


def _area(ref: Ref) -> str:
    start, end = a1(ref.first_row, ref.first_col), a1(ref.last_row, ref.last_col)
    return start if start == end else f"{start}:{end}"


def chart_series(spec: ChartSpec) -> list[int]:
    """Indexes of the series a native chart can hold: same sheet, rows and x values as the first."""
    first = spec.series[0]
    keep = []
    for i, s in enumerate(spec.series):
        v, f = s.values, first.values
        same_rows = (v.sheet, v.first_row, v.last_row) == (f.sheet, f.first_row, f.last_row)
        if same_rows and s.x_values == first.x_values:
            keep.append(i)
    return keep


def source_address(refs: Sequence[Ref]) -> str:
    """One address for the value ranges: a single block when they sit side by side, else a union."""
    cols = [(r.first_col, r.last_col) for r in refs]
    adjacent = all(cols[i + 1][0] == cols[i][1] + 1 for i in range(len(cols) - 1))
    if adjacent:
        first, last = refs[0], refs[-1]
        return _area(Ref(first.sheet, first.first_row, first.first_col, last.last_row, last.last_col))
    return ",".join(_area(r) for r in refs)


def add_chart(book: xw.Book, sheet: xw.Sheet, spec: ChartSpec) -> None:
    """A native chart for `spec` on `sheet`, with title, axis titles, series names and limits."""
    if not spec.series:
        return
    keep = [spec.series[i] for i in chart_series(spec)]
    values = [s.values for s in keep]
    data_sheet = find_sheet(book, values[0].sheet) or sheet
    chart = sheet.charts.add(
        width=spec.width_cm * POINTS_PER_CM,
        height=spec.height_cm * POINTS_PER_CM,
        chart_type=CHART_TYPES.get(spec.kind, "line_markers"),
        source=data_sheet.range(source_address(values)),
        plot_by="columns",
        name=spec.name,
        anchor=sheet.range(spec.anchor),
    )
    x_ref = keep[0].x_values if spec.kind in ("scatter", "bubble") else spec.categories
    if x_ref is not None:
        x_sheet = find_sheet(book, x_ref.sheet) or sheet
        chart.set_x_axis_values(x_sheet.range(_area(x_ref)))
    for series, source in zip(chart.series, keep, strict=False):
        series.name = source.name
    chart.title = spec.title
    if spec.x_title:
        chart.category_axis.title = spec.x_title
    if spec.y_title:
        chart.value_axis.title = spec.y_title
    if spec.y_min is not None:
        chart.value_axis.minimum_scale = spec.y_min
    if spec.y_max is not None:
        chart.value_axis.maximum_scale = spec.y_max


def add_picture(sheet: xw.Sheet, picture: Picture) -> None:
    """The matplotlib picture at its anchor, named so that a rerun replaces it."""
    sheet.pictures.add(
        picture.figure(),
        name=picture.name,
        update=True,
        anchor=sheet.range(picture.anchor),
        width=picture.width_px * POINTS_PER_PX,
        height=picture.height_px * POINTS_PER_PX,
    )


def write_outputs(book: xw.Book, outputs: list[OutputSheet]) -> None:
    """Replace each output sheet whole; the sheet the user was on stays active.

    Cells of every sheet are written first, then charts and pictures, because a
    chart on one output sheet may take its data from another.
    """
    app = book.app
    updating = app.screen_updating
    active = book.sheets.active
    app.screen_updating = False
    try:
        placed = []
        for out in outputs:
            sheet = fresh_sheet(book, out.name)
            write_cells(book, sheet, out)
            placed.append((sheet, out))
        for sheet, out in placed:
            for spec in out.charts:
                add_chart(book, sheet, spec)
            for picture in out.pictures:
                add_picture(sheet, picture)
        active.activate()
    finally:
        app.screen_updating = updating


def add_input_sheets(book: xw.Book, sheets: Sequence[RawSheet]) -> tuple[list[str], list[str]]:
    """Add each of `sheets` that `book` lacks (values and headers only); never touch one that exists.

    Returns (added, skipped) sheet names.
    """
    added: list[str] = []
    skipped: list[str] = []
    for raw in sheets:
        if find_sheet(book, raw.name) is not None:
            skipped.append(raw.name)
            continue
        all_sheets = book.sheets
        sheet = all_sheets.add(raw.name, after=all_sheets[len(all_sheets) - 1])
        width = max((len(r) for r in raw.rows), default=0)
        grid = [[excel_literal(v) for v in row] + [None] * (width - len(row)) for row in raw.rows]
        if grid and width:
            sheet.range((1, 1)).value = grid
            sheet.range((1, 1), (1, width)).font.bold = True
        added.append(raw.name)
    return added, skipped
