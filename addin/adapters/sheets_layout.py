"""Turn the core's output sheets into Google Sheets API requests, and read back what a spreadsheet holds.

`plan_write` builds the two writes of a sync: one `spreadsheets.batchUpdate`
with every structural change (new sheets, old contents cleared, grid size,
frozen panes, column widths, formats, cell links, the heatmap colour scale and
the native charts) and one `values.batchUpdate` body with the values, written
RAW so text is never read as a formula.

Our charts and colour-scale rules are remembered with developer metadata on
their sheet (keys `addin.chart` and `addin.rules`), so the next sync updates
them instead of adding copies, and leaves the user's own charts and rules alone.
Rules are addressed by index, and a resize that deletes a rule's whole range
makes Sheets delete the rule and renumber the rest; so our old rules are
deleted first (by the indexes just read), the sheet is resized (never below
the user's own rules and charts), and ours are added again after the user's.
Pictures (matplotlib) are skipped: the Sheets API cannot embed an image
without hosting it somewhere; the native charts stand in for them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from addin.core.model import Cell, ChartSpec, OutputSheet, Ref, column_letter
from addin.core.names import norm
from addin.core.styles import ROLES, Style

CHART_KEY = "addin.chart"
RULES_KEY = "addin.rules"
MAX_LINKS_PER_SHEET = 5000
"""Cell links written per sheet; more would make the request very large for little use."""
MAX_CELL_CHARS = 50_000
"""Google's limit on the text of one cell."""
MIN_ROWS, MIN_COLS = 100, 26
ROW_PX, COL_PX, PX_PER_CM = 21, 100, 37.8
SERIAL_EPOCH = dt.datetime(1899, 12, 30)
OVERLAY_FIELDS = "anchorCell,offsetXPixels,offsetYPixels,widthPixels,heightPixels"
"""The `fields` of updateEmbeddedObjectPosition: relative to OverlayPosition (its root is implied)."""

METADATA_FIELDS = (
    "spreadsheetId,properties(title,locale,timeZone),"
    "sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount)),"
    "charts(chartId,position),conditionalFormats(ranges,gradientRule,booleanRule),"
    "developerMetadata(metadataId,metadataKey,metadataValue,location))"
)
"""The `fields` of the one metadata read: sheet ids and titles, charts, rules, our developer metadata."""


# -------------------------------------------------------------------- what a spreadsheet holds


_norm = norm
"""Sheet titles match as every name does (`addin.core.names`)."""


@dataclass
class SheetInfo:
    """One existing sheet as the metadata read described it."""

    sheet_id: int
    title: str
    index: int
    row_count: int
    column_count: int
    sheet_type: str = "GRID"
    chart_ids: list[int] = field(default_factory=list)
    chart_anchors: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Where each chart's top-left corner sits on this sheet: chart id -> (row index, column index), 0-based."""
    rules: list[dict[str, Any]] = field(default_factory=list)
    metadata: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SpreadsheetInfo:
    """The metadata of a spreadsheet: its title and sheets."""

    spreadsheet_id: str
    title: str
    sheets: list[SheetInfo]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SpreadsheetInfo:
        """Parse a `spreadsheets.get` answer (METADATA_FIELDS; zero-valued fields may be absent)."""
        sheets = []
        for item in data.get("sheets", []):
            props = item.get("properties", {})
            grid = props.get("gridProperties", {})
            sheets.append(
                SheetInfo(
                    sheet_id=int(props.get("sheetId", 0)),
                    title=str(props.get("title", "")),
                    index=int(props.get("index", 0)),
                    row_count=int(grid.get("rowCount", 0)),
                    column_count=int(grid.get("columnCount", 0)),
                    sheet_type=str(props.get("sheetType", "GRID")),
                    chart_ids=[int(c["chartId"]) for c in item.get("charts", []) if "chartId" in c],
                    chart_anchors=_anchors(item.get("charts", [])),
                    rules=list(item.get("conditionalFormats", [])),
                    metadata=list(item.get("developerMetadata", [])),
                )
            )
        title = str(data.get("properties", {}).get("title", ""))
        return cls(str(data.get("spreadsheetId", "")), title, sheets)

    def find(self, name: str) -> SheetInfo | None:
        """The sheet named `name`, ignoring case and surrounding or repeated spaces."""
        key = _norm(name)
        return next((s for s in self.sheets if _norm(s.title) == key), None)

    def chart_ids(self) -> set[int]:
        """Ids of every chart in the spreadsheet."""
        return {cid for s in self.sheets for cid in s.chart_ids}

    def metadata_ids(self) -> set[int]:
        """Ids of every developer-metadata record on a sheet."""
        return {int(m["metadataId"]) for s in self.sheets for m in s.metadata if "metadataId" in m}


def _anchors(charts: Iterable[Mapping[str, Any]]) -> dict[int, tuple[int, int]]:
    """Anchor cells of overlay charts (zero indexes are absent in Google's answer)."""
    out = {}
    for chart in charts:
        anchor = chart.get("position", {}).get("overlayPosition", {}).get("anchorCell")
        if "chartId" in chart and anchor is not None:
            out[int(chart["chartId"])] = (int(anchor.get("rowIndex", 0)), int(anchor.get("columnIndex", 0)))
    return out


def quote_title(title: str) -> str:
    """A sheet title as A1 notation wants it, always quoted: 'It''s'."""
    return "'" + title.replace("'", "''") + "'"


# -------------------------------------------------------------------- values


def to_json_value(value: Any) -> Any:
    """A cell value as the values API takes it: number, string, boolean, or None to leave the cell empty."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        with contextlib.suppress(TypeError, ValueError):
            value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    if isinstance(value, float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) - SERIAL_EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - SERIAL_EPOCH.date()).days)
    text = value if isinstance(value, str) else str(value)
    return text[:MAX_CELL_CHARS]


def value_ranges(sheet: OutputSheet, title: str) -> dict[str, Any] | None:
    """The ValueRange that writes all values of `sheet` starting at A1 (None when it has no cells)."""
    if not sheet.cells:
        return None
    rows = [[to_json_value(v) for v in row] for row in sheet.grid()]
    last = f"{column_letter(sheet.max_col)}{sheet.max_row}"
    return {"range": f"{quote_title(title)}!A1:{last}", "majorDimension": "ROWS", "values": rows}


# -------------------------------------------------------------------- formats


def _rgb(hex_color: str) -> dict[str, Any]:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"rgbColor": {"red": round(r, 4), "green": round(g, 4), "blue": round(b, 4)}}


def cell_format(style: Style) -> dict[str, Any]:
    """A style role as a Sheets CellFormat (empty when the role changes nothing)."""
    fmt: dict[str, Any] = {}
    text: dict[str, Any] = {}
    if style.bold:
        text["bold"] = True
    if style.italic:
        text["italic"] = True
    if style.underline:
        text["underline"] = True
    if style.size:
        text["fontSize"] = round(style.size)
    if style.color:
        text["foregroundColorStyle"] = _rgb(style.color)
    if text:
        fmt["textFormat"] = text
    if style.fill:
        fmt["backgroundColorStyle"] = _rgb(style.fill)
    if style.number_format:
        kind = "PERCENT" if style.number_format.endswith("%") else "NUMBER"
        fmt["numberFormat"] = {"type": kind, "pattern": style.number_format}
    if style.wrap:
        fmt["wrapStrategy"] = "WRAP"
    if style.align:
        fmt["horizontalAlignment"] = style.align.upper()
    if style.border:
        line = {"style": "SOLID", "colorStyle": _rgb("BFBFBF")}
        fmt["borders"] = {side: dict(line) for side in ("top", "bottom", "left", "right")}
    return fmt


def style_rectangles(sheet: OutputSheet) -> list[tuple[str, int, int, int, int]]:
    """Cells grouped into rectangles of one style role: (role, first row, last row, first col, last col).

    Horizontal runs of neighbouring cells with the same role are found first, then
    identical runs in consecutive rows are stacked, so a long table costs a few
    requests, not one per cell.
    """
    runs: dict[int, list[tuple[str, int, int]]] = {}
    for (row, col), cell in sorted(sheet.cells.items()):
        if not cell.style or not cell_format(ROLES.get(cell.style, Style())):
            continue
        line = runs.setdefault(row, [])
        if line and line[-1][0] == cell.style and line[-1][2] == col - 1:
            line[-1] = (cell.style, line[-1][1], col)
        else:
            line.append((cell.style, col, col))
    open_rects: dict[tuple[str, int, int], list[int]] = {}
    done: list[tuple[str, int, int, int, int]] = []
    for row in sorted(runs):
        current = set(runs[row])
        for key in list(open_rects):
            first, last = open_rects[key]
            if key in current and last == row - 1:
                open_rects[key][1] = row
                current.discard(key)
            else:
                done.append((key[0], first, last, key[1], key[2]))
                del open_rects[key]
        for key in current:
            open_rects[key] = [row, row]
    done.extend((key[0], first, last, key[1], key[2]) for key, (first, last) in open_rects.items())
    return sorted(done, key=lambda r: (r[1], r[3]))


# -------------------------------------------------------------------- links

_LINK = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Za-z]{1,3})\$?(\d+)")


def link_uri(target: str, sheet_ids: Mapping[str, int]) -> str | None:
    """An in-spreadsheet link ("#gid=123&range=G7") for a target like "'PainPoints'!G7"; None if unknown."""
    m = _LINK.match(target.strip())
    if not m:
        return None
    title = (m.group(1) or "").replace("''", "'") or (m.group(2) or "")
    sheet_id = sheet_ids.get(_norm(title))
    if sheet_id is None:
        return None
    return f"#gid={sheet_id}&range={m.group(3).upper()}{m.group(4)}"


# -------------------------------------------------------------------- plan


@dataclass
class WritePlan:
    """The two writes of one sync, and what they will do, for the report."""

    requests: list[dict[str, Any]]
    values: list[dict[str, Any]]
    sheet_ids: dict[str, int]
    existing_charts: set[int] = field(default_factory=set)
    added_sheets: list[str] = field(default_factory=list)
    charts_added: int = 0
    charts_updated: int = 0
    charts_removed: int = 0
    links: int = 0
    links_skipped: int = 0
    pictures_skipped: int = 0


class _Ids:
    """Fresh sheet, chart and metadata ids that do not clash with the spreadsheet's."""

    def __init__(self, taken: Iterable[int], rng: random.Random) -> None:
        self.taken = set(taken)
        self.rng = rng

    def new(self) -> int:
        while True:
            candidate = self.rng.randint(1_000_000, 2**31 - 1)
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate


def _grid(ref: Ref, sheet_id: int) -> dict[str, int]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": ref.first_row - 1,
        "endRowIndex": ref.last_row,
        "startColumnIndex": ref.first_col - 1,
        "endColumnIndex": ref.last_col,
    }


def _rule_key(rule: Mapping[str, Any]) -> list[list[int]]:
    """What identifies one of our colour-scale rules: its ranges (Google omits zero indexes)."""
    return sorted(
        [
            int(r.get("startRowIndex", 0)),
            int(r.get("endRowIndex", 0)),
            int(r.get("startColumnIndex", 0)),
            int(r.get("endColumnIndex", 0)),
        ]
        for r in rule.get("ranges", [])
    )


def _metadata(sheet: SheetInfo | None, key: str) -> list[dict[str, Any]]:
    return [m for m in (sheet.metadata if sheet else []) if m.get("metadataKey") == key]


def _meta_filter(metadata_id: int) -> dict[str, Any]:
    return {"developerMetadataLookup": {"metadataId": metadata_id}}


def _grid_size(sheet: OutputSheet) -> tuple[int, int]:
    rows, cols = max(sheet.max_row, 1), max(sheet.max_col, 1)
    for chart in sheet.charts:
        rows = max(rows, chart.anchor[0] + math.ceil(chart.height_cm * PX_PER_CM / ROW_PX))
        cols = max(cols, chart.anchor[1] + math.ceil(chart.width_cm * PX_PER_CM / COL_PX))
    for ref in [scale.ref for scale in sheet.color_scales] + list(sheet.merges):
        rows, cols = max(rows, ref.last_row), max(cols, ref.last_col)
    cols = max(cols, *sheet.col_widths) if sheet.col_widths else cols
    if sheet.freeze:  # Google keeps at least one row and column unfrozen
        rows, cols = max(rows, sheet.freeze[0]), max(cols, sheet.freeze[1])
    return max(rows, MIN_ROWS), max(cols, MIN_COLS)


def plan_write(info: SpreadsheetInfo, outputs: Sequence[OutputSheet], rng: random.Random | None = None) -> WritePlan:
    """The structural requests and the values that replace the output sheets of `info` with `outputs`."""
    rng = rng or random.Random()
    ids = _Ids([s.sheet_id for s in info.sheets] + list(info.chart_ids()) + list(info.metadata_ids()), rng)
    plan = WritePlan([], [], {_norm(s.title): s.sheet_id for s in info.sheets}, info.chart_ids())
    targets: list[tuple[OutputSheet, SheetInfo | None, int, str]] = []
    for out in outputs:
        existing = info.find(out.name)
        sheet_id = existing.sheet_id if existing else ids.new()
        title = existing.title if existing else out.name
        plan.sheet_ids[_norm(out.name)] = sheet_id
        targets.append((out, existing, sheet_id, title))
    for out, existing, sheet_id, title in targets:
        _plan_sheet(plan, out, existing, sheet_id, ids)
        ranges = value_ranges(out, title)
        if ranges is not None:
            plan.values.append(ranges)
        plan.pictures_skipped += len(out.pictures)
    return plan


def _plan_sheet(plan: WritePlan, out: OutputSheet, existing: SheetInfo | None, sheet_id: int, ids: _Ids) -> None:
    req = plan.requests
    ours, users_rules = _split_rules(existing)
    for index in sorted(ours, reverse=True):  # before anything can renumber them
        req.append({"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": index}})
    rows, cols = _grid_size(out)
    if existing is not None:
        rows, cols = _room_for_users_objects(rows, cols, existing, users_rules)
    frozen_rows, frozen_cols = (out.freeze[0] - 1, out.freeze[1] - 1) if out.freeze else (0, 0)
    grid = {
        "rowCount": rows,
        "columnCount": cols,
        "frozenRowCount": max(0, frozen_rows),
        "frozenColumnCount": max(0, frozen_cols),
    }
    if existing is None:
        req.append({"addSheet": {"properties": {"sheetId": sheet_id, "title": out.name, "gridProperties": grid}}})
        plan.added_sheets.append(out.name)
    else:
        whole = {"sheetId": sheet_id}
        req.append({"unmergeCells": {"range": whole}})
        req.append(
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet_id, "gridProperties": grid},
                    "fields": ",".join(f"gridProperties.{k}" for k in grid),
                }
            }
        )
        req.append({"updateCells": {"range": whole, "fields": "*"}})
        req.append(
            {
                "updateDimensionProperties": {
                    "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": 0, "endIndex": cols},
                    "properties": {"pixelSize": COL_PX},
                    "fields": "pixelSize",
                }
            }
        )
    for first, last, pixels in _width_runs(out.col_widths):
        req.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": first - 1,
                        "endIndex": last,
                    },
                    "properties": {"pixelSize": pixels},
                    "fields": "pixelSize",
                }
            }
        )
    for role, r0, r1, c0, c1 in style_rectangles(out):
        req.append(
            {
                "repeatCell": {
                    "range": _grid(Ref(out.name, r0, c0, r1, c1), sheet_id),
                    "cell": {"userEnteredFormat": cell_format(ROLES[role])},
                    "fields": "userEnteredFormat",
                }
            }
        )
    _plan_links(plan, out, sheet_id)
    for ref in out.merges:
        req.append({"mergeCells": {"range": _grid(ref, sheet_id), "mergeType": "MERGE_ALL"}})
    _plan_rules(plan, out, existing, sheet_id, ids, first_index=len(users_rules))
    _plan_charts(plan, out, existing, sheet_id, ids)


def _width_runs(widths: Mapping[int, float]) -> list[tuple[int, int, int]]:
    """Column widths (Excel characters) as pixel runs over neighbouring columns: (first, last, pixels)."""
    runs: list[tuple[int, int, int]] = []
    for col in sorted(widths):
        pixels = max(10, round(float(widths[col]) * 7 + 5))
        if runs and runs[-1][2] == pixels and runs[-1][1] == col - 1:
            runs[-1] = (runs[-1][0], col, pixels)
        else:
            runs.append((col, col, pixels))
    return runs


def _plan_links(plan: WritePlan, out: OutputSheet, sheet_id: int) -> None:
    """Internal links as a cell-level link format (no formula: the cell keeps its plain value)."""
    linked: list[tuple[int, int, Cell, str]] = []
    for row, col, cell in out.iter_cells():
        if not cell.link:
            continue
        uri = link_uri(cell.link, plan.sheet_ids)
        if uri is None or len(linked) >= MAX_LINKS_PER_SHEET:
            plan.links_skipped += 1
            continue
        linked.append((row, col, cell, uri))
    runs: list[list[tuple[int, int, Cell, str]]] = []
    for item in sorted(linked, key=lambda x: (x[1], x[0])):
        if runs and runs[-1][-1][1] == item[1] and runs[-1][-1][0] == item[0] - 1:
            runs[-1].append(item)
        else:
            runs.append([item])
    for run in runs:
        row, col = run[0][0], run[0][1]
        plan.requests.append(
            {
                "updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": row - 1, "columnIndex": col - 1},
                    "rows": [
                        {"values": [{"userEnteredFormat": {"textFormat": {"link": {"uri": uri}}}}]}
                        for _, _, _, uri in run
                    ],
                    "fields": "userEnteredFormat.textFormat.link",
                }
            }
        )
        plan.links += len(run)


def _remembered_rules(existing: SheetInfo | None) -> list[list[list[int]]]:
    """The ranges of the rules we wrote last time, from the sheet's `addin.rules` metadata."""
    remembered: list[list[list[int]]] = []
    for record in _metadata(existing, RULES_KEY):
        with contextlib.suppress(ValueError, TypeError):
            remembered.extend(json.loads(record.get("metadataValue", "[]")))
    return remembered


def _split_rules(existing: SheetInfo | None) -> tuple[list[int], list[dict[str, Any]]]:
    """The indexes of our colour-scale rules on the sheet as read, and the user's own rules."""
    remembered = _remembered_rules(existing)
    ours: list[int] = []
    users: list[dict[str, Any]] = []
    for index, rule in enumerate(existing.rules if existing else []):
        if "gradientRule" in rule and _rule_key(rule) in remembered:
            ours.append(index)
        else:
            users.append(rule)
    return ours, users


def _room_for_users_objects(
    rows: int, cols: int, existing: SheetInfo, users_rules: Sequence[Mapping[str, Any]]
) -> tuple[int, int]:
    """The grid grown so that no rule or chart of the user's lies in rows or columns a resize would delete."""
    for rule in users_rules:
        for grid_range in rule.get("ranges", []):
            rows = max(rows, int(grid_range.get("endRowIndex", grid_range.get("startRowIndex", 0) + 1)))
            cols = max(cols, int(grid_range.get("endColumnIndex", grid_range.get("startColumnIndex", 0) + 1)))
    ours = {_chart_id(record) for record in _metadata(existing, CHART_KEY)}
    for chart_id, (row, col) in existing.chart_anchors.items():
        if chart_id not in ours:
            rows, cols = max(rows, row + 1), max(cols, col + 1)
    return rows, cols


def _plan_rules(
    plan: WritePlan, out: OutputSheet, existing: SheetInfo | None, sheet_id: int, ids: _Ids, first_index: int
) -> None:
    """The colour scales as gradient rules, added after the user's rules (ours were deleted before the resize)."""
    new_rules = []
    for scale in out.color_scales:
        low, mid, high = scale.colors
        if scale.points is not None:  # fixed points, so the colours mean what the legend says
            p_low, p_mid, p_high = (f"{p:g}" for p in scale.points)
            gradient = {
                "minpoint": {"type": "NUMBER", "value": p_low, "colorStyle": _rgb(low)},
                "midpoint": {"type": "NUMBER", "value": p_mid, "colorStyle": _rgb(mid)},
                "maxpoint": {"type": "NUMBER", "value": p_high, "colorStyle": _rgb(high)},
            }
        else:
            gradient = {
                "minpoint": {"type": "MIN", "colorStyle": _rgb(low)},
                "midpoint": {"type": "PERCENTILE", "value": "50", "colorStyle": _rgb(mid)},
                "maxpoint": {"type": "MAX", "colorStyle": _rgb(high)},
            }
        new_rules.append({"ranges": [_grid(scale.ref, sheet_id)], "gradientRule": gradient})
    for offset, rule in enumerate(new_rules):
        plan.requests.append({"addConditionalFormatRule": {"rule": rule, "index": first_index + offset}})
    value = json.dumps([_rule_key(r) for r in new_rules], separators=(",", ":"))
    _remember(plan, _metadata(existing, RULES_KEY), RULES_KEY, value if new_rules else None, sheet_id, ids)


def _remember(
    plan: WritePlan, records: list[dict[str, Any]], key: str, value: str | None, sheet_id: int, ids: _Ids
) -> None:
    """Keep exactly one developer-metadata record `key` = `value` on the sheet (none when value is None)."""
    keep = records[0] if records and value is not None else None
    for record in records:
        if record is not keep:
            plan.requests.append({"deleteDeveloperMetadata": {"dataFilter": _meta_filter(int(record["metadataId"]))}})
    if value is None:
        return
    if keep is None:
        plan.requests.append(
            {
                "createDeveloperMetadata": {
                    "developerMetadata": {
                        "metadataId": ids.new(),
                        "metadataKey": key,
                        "metadataValue": value,
                        "location": {"sheetId": sheet_id},
                        "visibility": "DOCUMENT",
                    }
                }
            }
        )
    elif keep.get("metadataValue") != value:
        plan.requests.append(
            {
                "updateDeveloperMetadata": {
                    "dataFilters": [_meta_filter(int(keep["metadataId"]))],
                    "developerMetadata": {"metadataValue": value},
                    "fields": "metadataValue",
                }
            }
        )


def _plan_charts(plan: WritePlan, out: OutputSheet, existing: SheetInfo | None, sheet_id: int, ids: _Ids) -> None:
    """Native charts: updateChartSpec for ours that exist, addChart for new ones, delete the ones gone."""
    records: dict[str, list[dict[str, Any]]] = {}
    for record in _metadata(existing, CHART_KEY):
        try:
            name = str(json.loads(record.get("metadataValue", "{}"))["chart"])
        except (ValueError, KeyError, TypeError):
            name = ""
        records.setdefault(name, []).append(record)
    all_charts = plan.existing_charts
    req = plan.requests
    wanted = {chart.name for chart in out.charts}
    for chart in out.charts:
        spec = chart_spec(chart, out, plan.sheet_ids)
        position = _position(chart, sheet_id)
        mine = records.get(chart.name, [])
        chart_id = _chart_id(mine[0]) if mine else None
        if chart_id is not None and chart_id in all_charts:
            req.append({"updateChartSpec": {"chartId": chart_id, "spec": spec}})
            req.append(
                {
                    "updateEmbeddedObjectPosition": {
                        "objectId": chart_id,
                        "newPosition": position,
                        "fields": OVERLAY_FIELDS,
                    }
                }
            )
            plan.charts_updated += 1
        else:
            chart_id = ids.new()
            req.append({"addChart": {"chart": {"chartId": chart_id, "spec": spec, "position": position}}})
            plan.charts_added += 1
        value = json.dumps({"chart": chart.name, "chartId": chart_id}, separators=(",", ":"))
        _remember(plan, mine, CHART_KEY, value, sheet_id, ids)
    for name, mine in records.items():
        if name in wanted:
            continue
        for record in mine:
            chart_id = _chart_id(record)
            if chart_id is not None and chart_id in all_charts:
                req.append({"deleteEmbeddedObject": {"objectId": chart_id}})
                plan.charts_removed += 1
        _remember(plan, mine, CHART_KEY, None, sheet_id, ids)


def _chart_id(record: Mapping[str, Any]) -> int | None:
    try:
        return int(json.loads(record.get("metadataValue", "{}"))["chartId"])
    except (ValueError, KeyError, TypeError):
        return None


def _position(chart: ChartSpec, sheet_id: int) -> dict[str, Any]:
    row, col = chart.anchor
    return {
        "overlayPosition": {
            "anchorCell": {"sheetId": sheet_id, "rowIndex": row - 1, "columnIndex": col - 1},
            "widthPixels": round(chart.width_cm * PX_PER_CM),
            "heightPixels": round(chart.height_cm * PX_PER_CM),
        }
    }


_BASIC = {"line": "LINE", "column": "COLUMN", "bar": "BAR", "scatter": "SCATTER"}


def chart_spec(chart: ChartSpec, out: OutputSheet, sheet_ids: Mapping[str, int]) -> dict[str, Any]:
    """A ChartSpec as a Sheets chart spec (basicChart, or bubbleChart for kind "bubble").

    Series names come from the cell above each series when it holds the name
    (Sheets reads names from a header row, it has no name field). A scatter
    chart in Sheets has one x range for all series, so series with other x
    values are left out.
    """

    def grid(ref: Ref, header: bool = False) -> dict[str, Any]:
        sheet_id = sheet_ids[_norm(ref.sheet)]
        if header:
            ref = Ref(ref.sheet, ref.first_row - 1, ref.first_col, ref.last_row, ref.last_col)
        return {"sourceRange": {"sources": [_grid(ref, sheet_id)]}}

    spec: dict[str, Any] = {"title": chart.title, "altText": chart.title}
    if chart.kind == "bubble":
        first = chart.series[0]
        bubble: dict[str, Any] = {"series": grid(first.values), "legendPosition": "NO_LEGEND"}
        if first.x_values is not None:
            bubble["domain"] = grid(first.x_values)
        if first.sizes is not None:
            bubble["bubbleSizes"] = grid(first.sizes)
        spec["bubbleChart"] = bubble
        return spec
    kind = _BASIC.get(chart.kind, "COLUMN")
    series = list(chart.series)
    domain_ref = chart.categories
    if kind == "SCATTER":
        domain_ref = series[0].x_values
        series = [s for s in series if s.x_values == domain_ref]
    lookup = {_norm(out.name): out}
    headed = all(
        s.values.first_row > 1
        and _norm(s.values.sheet) in lookup
        and lookup[_norm(s.values.sheet)].cells.get((s.values.first_row - 1, s.values.first_col), Cell(None)).value
        == s.name
        for s in series
    ) and (domain_ref is None or domain_ref.first_row > 1)
    basic: dict[str, Any] = {
        "chartType": kind,
        "legendPosition": "BOTTOM_LEGEND" if len(series) > 1 else "NO_LEGEND",
        "headerCount": 1 if headed else 0,
        "series": [
            {"series": grid(s.values, headed), "targetAxis": "BOTTOM_AXIS" if kind == "BAR" else "LEFT_AXIS"}
            for s in series
        ],
    }
    if domain_ref is not None:
        basic["domains"] = [{"domain": grid(domain_ref, headed)}]
    value_axis = "BOTTOM_AXIS" if kind == "BAR" else "LEFT_AXIS"
    other_axis = "LEFT_AXIS" if kind == "BAR" else "BOTTOM_AXIS"
    value_title = chart.x_title if kind == "BAR" else chart.y_title
    other_title = chart.y_title if kind == "BAR" else chart.x_title
    axes = []
    if other_title:
        axes.append({"position": other_axis, "title": other_title})
    value: dict[str, Any] = {"position": value_axis}
    if value_title:
        value["title"] = value_title
    if chart.y_min is not None or chart.y_max is not None:
        window: dict[str, Any] = {"viewWindowMode": "EXPLICIT"}
        if chart.y_min is not None:
            window["viewWindowMin"] = float(chart.y_min)
        if chart.y_max is not None:
            window["viewWindowMax"] = float(chart.y_max)
        value["viewWindowOptions"] = window
    if len(value) > 1:
        axes.append(value)
    if axes:
        basic["axis"] = axes
    spec["basicChart"] = basic
    return spec
