"""The fake server's spreadsheets: sheets, cell values and formats, charts, rules, developer metadata.

Each `batchUpdate` request kind the add-in uses is applied here, in order, on a
copy of the spreadsheet; the copy replaces the original only when every request
succeeded (Google's all-or-nothing rule). A failing request raises
`ApiProblem`, which the server turns into Google's error JSON.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tests.fakesheets.discovery import Discovery, SchemaViolation

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26


class ApiProblem(Exception):
    """An error the fake answers in Google's shape: {"error": {"code", "message", "status"}}."""

    STATUS: ClassVar[dict[int, str]] = {
        400: "INVALID_ARGUMENT",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
    }

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "status": self.STATUS.get(self.code, "")}}


def bad(message: str) -> ApiProblem:
    return ApiProblem(400, message)


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula (entered with USER_ENTERED or formulaValue)."""

    text: str

    def evaluate(self) -> Any:
        """The little the fake can compute: HYPERLINK(url, label) shows its label."""
        m = re.fullmatch(r'=\s*HYPERLINK\(\s*"[^"]*"\s*(?:[,;]\s*"([^"]*)"\s*)?\)', self.text, re.IGNORECASE)
        if m:
            return m.group(1) or ""
        return "#NAME?"


@dataclass
class FakeSheet:
    """One sheet: properties as Google returns them, dense rows of values, sparse formats and objects."""

    properties: dict[str, Any]
    rows: list[list[Any]] = field(default_factory=list)
    formats: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    column_pixels: dict[int, int] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sheet_id(self) -> int:
        return int(self.properties.get("sheetId", 0))

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def row_count(self) -> int:
        return int(self.properties["gridProperties"]["rowCount"])

    @property
    def column_count(self) -> int:
        return int(self.properties["gridProperties"]["columnCount"])

    def clone(self) -> FakeSheet:
        return FakeSheet(
            copy.deepcopy(self.properties),
            [list(r) for r in self.rows],
            dict(self.formats),
            dict(self.column_pixels),
            copy.deepcopy(self.merges),
            copy.deepcopy(self.conditional_formats),
            copy.deepcopy(self.charts),
            copy.deepcopy(self.developer_metadata),
        )

    # ---------------------------------------------------------------- cells

    def get(self, row: int, col: int) -> Any:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def set(self, row: int, col: int, value: Any) -> None:
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        if value is None and col >= len(line):
            return
        while len(line) <= col:
            line.append(None)
        line[col] = value

    def clear_values(self, r0: int, r1: int, c0: int, c1: int) -> None:
        for r in range(r0, min(r1, len(self.rows))):
            line = self.rows[r]
            for c in range(c0, min(c1, len(line))):
                line[c] = None

    def truncate(self) -> None:
        """Drop values and formats outside the grid (after the grid shrank)."""
        del self.rows[self.row_count :]
        for line in self.rows:
            del line[self.column_count :]
        self.formats = {k: v for k, v in self.formats.items() if k[0] < self.row_count and k[1] < self.column_count}

    def displayed(self, row: int, col: int, render: str) -> Any:
        value = self.get(row, col)
        if isinstance(value, Formula):
            return value.text if render == "FORMULA" else value.evaluate()
        if value is None:
            return ""
        if render == "FORMATTED_VALUE" and not isinstance(value, str):
            if isinstance(value, bool):
                return "TRUE" if value else "FALSE"
            return f"{value:g}" if isinstance(value, float) else str(value)
        return value


@dataclass
class FakeSpreadsheet:
    """A spreadsheet held by the fake server."""

    spreadsheet_id: str
    title: str
    sheets: list[FakeSheet] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    locale: str = "en_US"
    time_zone: str = "Europe/Berlin"

    def clone(self) -> FakeSpreadsheet:
        return FakeSpreadsheet(
            self.spreadsheet_id,
            self.title,
            [s.clone() for s in self.sheets],
            copy.deepcopy(self.developer_metadata),
            self.locale,
            self.time_zone,
        )

    # ---------------------------------------------------------------- lookups

    def sheet(self, title: str) -> FakeSheet:
        """The sheet of that exact title (KeyError when there is none)."""
        for s in self.sheets:
            if s.title == title:
                return s
        raise KeyError(title)

    def sheet_by_id(self, sheet_id: Any) -> FakeSheet:
        for s in self.sheets:
            if s.sheet_id == int(sheet_id or 0):
                return s
        raise bad(f"Invalid requests: No grid with id: {sheet_id}")

    def all_charts(self) -> Iterator[tuple[FakeSheet, dict[str, Any]]]:
        for s in self.sheets:
            for chart in s.charts:
                yield s, chart

    def all_metadata(self) -> Iterator[dict[str, Any]]:
        yield from self.developer_metadata
        for s in self.sheets:
            yield from s.developer_metadata

    def values(self, title: str) -> list[list[Any]]:
        """Cell values of a sheet as the UNFORMATTED_VALUE reader sees them (trailing blanks trimmed)."""
        return read_values(self.sheet(title), 0, None, 0, None, "UNFORMATTED_VALUE")

    def add_sheet(self, title: str, rows: list[list[Any]] | None = None, sheet_id: int | None = None) -> FakeSheet:
        """Seed a sheet directly (test set-up, not an API call)."""
        if sheet_id is None:
            sheet_id = 0 if not self.sheets else self._new_sheet_id()
        rows = rows or []
        props = {
            "sheetId": sheet_id,
            "title": title,
            "index": len(self.sheets),
            "sheetType": "GRID",
            "gridProperties": {
                "rowCount": max(DEFAULT_ROWS, len(rows)),
                "columnCount": max(DEFAULT_COLS, max((len(r) for r in rows), default=0)),
            },
        }
        sheet = FakeSheet(props, [list(r) for r in rows])
        self.sheets.append(sheet)
        return sheet

    def _new_sheet_id(self) -> int:
        taken = {s.sheet_id for s in self.sheets}
        while True:
            candidate = random.randint(1, 2**31 - 1)
            if candidate not in taken:
                return candidate

    # ---------------------------------------------------------------- metadata (GET)

    def as_json(self) -> dict[str, Any]:
        """The spreadsheet resource as `spreadsheets.get` returns it without grid data."""
        sheets = []
        for s in self.sheets:
            item: dict[str, Any] = {"properties": copy.deepcopy(s.properties)}
            if s.merges:
                item["merges"] = [_omit_zero(m) for m in s.merges]
            if s.conditional_formats:
                item["conditionalFormats"] = [_omit_zero_ranges(r) for r in s.conditional_formats]
            if s.charts:
                item["charts"] = copy.deepcopy(s.charts)
            if s.developer_metadata:
                item["developerMetadata"] = copy.deepcopy(s.developer_metadata)
            sheets.append(item)
        out: dict[str, Any] = {
            "spreadsheetId": self.spreadsheet_id,
            "properties": {"title": self.title, "locale": self.locale, "timeZone": self.time_zone},
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit",
        }
        if self.developer_metadata:
            out["developerMetadata"] = copy.deepcopy(self.developer_metadata)
        return out


def _omit_zero(grid_range: Mapping[str, Any]) -> dict[str, Any]:
    """Google leaves out fields at their default (proto3 JSON): startRowIndex 0 is simply absent."""
    return {k: v for k, v in grid_range.items() if v != 0}


def _omit_zero_ranges(rule: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(rule))
    out["ranges"] = [_omit_zero(r) for r in out.get("ranges", [])]
    return out


# -------------------------------------------------------------------- A1 ranges

_A1 = re.compile(r"^(?:([A-Za-z]+)?(\d+)?)(?::([A-Za-z]+)?(\d+)?)?$")


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def split_sheet(a1: str) -> tuple[str | None, str]:
    """("Sheet name", "A1:B2") from "'Sheet name'!A1:B2"; a bare name is a whole sheet."""
    if a1.startswith("'"):
        end = 1
        title = ""
        while end < len(a1):
            if a1[end] == "'":
                if a1[end + 1 : end + 2] == "'":
                    title += "'"
                    end += 2
                    continue
                break
            title += a1[end]
            end += 1
        rest = a1[end + 1 :]
        return title, rest[1:] if rest.startswith("!") else rest
    if "!" in a1:
        title, rest = a1.rsplit("!", 1)
        return title, rest
    return None, a1


def resolve_range(book: FakeSpreadsheet, a1: str) -> tuple[FakeSheet, int, int | None, int, int | None]:
    """(sheet, first row, end row or None, first col, end col or None), 0-based, ends exclusive."""
    title, cells = split_sheet(a1)
    if title is None:
        # a bare word is a sheet name when such a sheet exists
        if any(s.title == cells for s in book.sheets):
            return book.sheet(cells), 0, None, 0, None
        if not book.sheets:
            raise bad(f"Unable to parse range: {a1}")
        sheet = book.sheets[0]
    else:
        try:
            sheet = book.sheet(title)
        except KeyError:
            raise bad(f"Unable to parse range: {a1}") from None
    if not cells:
        return sheet, 0, None, 0, None
    m = _A1.match(cells)
    if not m or not any(m.groups()):
        raise bad(f"Unable to parse range: {a1}")
    c0, r0, c1, r1 = m.groups()
    first_row = int(r0) - 1 if r0 else 0
    first_col = col_index(c0) if c0 else 0
    if ":" not in cells:
        return sheet, first_row, first_row + 1, first_col, first_col + 1
    end_row = int(r1) if r1 else None
    end_col = col_index(c1) + 1 if c1 else None
    return sheet, first_row, end_row, first_col, end_col


def a1_of(sheet: FakeSheet, r0: int, r1: int, c0: int, c1: int) -> str:
    def letters(col: int) -> str:
        out = ""
        col += 1
        while col:
            col, rem = divmod(col - 1, 26)
            out = chr(65 + rem) + out
        return out

    title = "'" + sheet.title.replace("'", "''") + "'"
    return f"{title}!{letters(c0)}{r0 + 1}:{letters(c1 - 1)}{r1}"


def read_values(sheet: FakeSheet, r0: int, r1: int | None, c0: int, c1: int | None, render: str) -> list[list[Any]]:
    """Values of a range as Google returns them: empty cells "", trailing empty cells and rows dropped."""
    end_row = min(r1 if r1 is not None else len(sheet.rows), len(sheet.rows))
    out: list[list[Any]] = []
    for r in range(r0, end_row):
        line = sheet.rows[r]
        end_col = min(c1 if c1 is not None else len(line), len(line))
        values = [sheet.displayed(r, c, render) for c in range(c0, end_col)]
        while values and values[-1] == "":
            values.pop()
        out.append(values)
    while out and not out[-1]:
        out.pop()
    return out


# -------------------------------------------------------------------- batchUpdate


class BatchApplier:
    """Applies the requests of one `spreadsheets.batchUpdate` to a copy of a spreadsheet."""

    def __init__(self, book: FakeSpreadsheet, discovery: Discovery) -> None:
        self.book = book.clone()
        self.discovery = discovery

    def apply(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Apply every request in order; the replies, one per request ({} where Google sends none)."""
        replies = []
        for index, request in enumerate(requests):
            if len(request) != 1:
                kinds = ", ".join(request) or "none"
                raise bad(f"Invalid requests[{index}]: exactly one kind of request must be set (got {kinds}).")
            ((kind, body),) = request.items()
            handler = getattr(self, f"_{kind}", None)
            try:
                self.discovery.validate_request_mask(kind, body or {})  # every kind, implemented or not
                if handler is None:
                    raise bad(f"the fake Sheets server does not implement {kind}.")
                replies.append(handler(body or {}))
            except ApiProblem as exc:
                raise bad(f"Invalid requests[{index}].{kind}: {exc.message}") from None
            except SchemaViolation as exc:
                raise bad(f"Invalid requests[{index}].{kind}: {exc.message}") from None
        return replies

    # ------------------------------------------------------------ helpers

    def _grid(self, grid_range: Mapping[str, Any]) -> tuple[FakeSheet, int, int, int, int]:
        sheet = self.book.sheet_by_id(grid_range.get("sheetId", 0))
        r0 = int(grid_range.get("startRowIndex", 0))
        r1 = int(grid_range.get("endRowIndex", sheet.row_count))
        c0 = int(grid_range.get("startColumnIndex", 0))
        c1 = int(grid_range.get("endColumnIndex", sheet.column_count))
        if r0 < 0 or c0 < 0 or r1 < r0 or c1 < c0:
            raise bad(f"Invalid range {dict(grid_range)}")
        if r1 > sheet.row_count or c1 > sheet.column_count:
            raise bad(
                f"Range ('{sheet.title}'!R{r0 + 1}C{c0 + 1}:R{r1}C{c1}) exceeds grid limits. "
                f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
            )
        return sheet, r0, r1, c0, c1

    def _mask(self, kind: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """The request's `fields`, parsed, relative to the message the discovery document names for `kind`."""
        return self.discovery.validate_request_mask(kind, body)

    def _check_object_id_free(self, object_id: int) -> None:
        if any(int(c.get("chartId", -1)) == object_id for _, c in self.book.all_charts()):
            raise bad(f"An object with the id {object_id} already exists.")

    def _new_object_id(self) -> int:
        taken = {int(c.get("chartId", -1)) for _, c in self.book.all_charts()}
        while True:
            candidate = random.randint(1, 2**31 - 1)
            if candidate not in taken:
                return candidate

    def _check_chart_spec(self, spec: Mapping[str, Any]) -> None:
        kinds = [k for k in spec if k.endswith("Chart") and k != "dataSourceChart"]
        if len(kinds) != 1:
            raise bad("A chart spec needs exactly one chart type (basicChart, bubbleChart, ...).")
        for grid_range in _grid_ranges(spec):
            self._grid(grid_range)

    # ------------------------------------------------------------ sheets

    def _addSheet(self, body: Mapping[str, Any]) -> dict[str, Any]:
        props = copy.deepcopy(dict(body.get("properties", {})))
        title = props.get("title") or f"Sheet{len(self.book.sheets) + 1}"
        if any(s.title.casefold() == title.casefold() for s in self.book.sheets):
            raise bad(f'A sheet with the name "{title}" already exists. Please enter another name.')
        sheet_id = props.get("sheetId")
        if sheet_id is None:
            sheet_id = self.book._new_sheet_id()
        elif any(s.sheet_id == sheet_id for s in self.book.sheets):
            raise bad(f"Sheet with id {sheet_id} already exists.")
        grid = {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLS, **props.get("gridProperties", {})}
        props.update({"sheetId": sheet_id, "title": title, "sheetType": "GRID", "gridProperties": grid})
        props.setdefault("index", len(self.book.sheets))
        sheet = FakeSheet(props)
        self.book.sheets.append(sheet)
        return {"addSheet": {"properties": copy.deepcopy(props)}}

    def _deleteSheet(self, body: Mapping[str, Any]) -> dict[str, Any]:
        sheet = self.book.sheet_by_id(body.get("sheetId", 0))
        if len(self.book.sheets) == 1:
            raise bad("You can't remove all the sheets in a document.")
        self.book.sheets.remove(sheet)
        return {}

    def _updateSheetProperties(self, body: Mapping[str, Any]) -> dict[str, Any]:
        tree = self._mask("updateSheetProperties", body)
        props = body.get("properties", {})
        sheet = self.book.sheet_by_id(props.get("sheetId", 0))
        _merge_masked(sheet.properties, props, tree)
        grid = sheet.properties["gridProperties"]
        if grid.get("frozenRowCount", 0) >= grid["rowCount"]:
            raise bad("You can't freeze all visible rows on the sheet.")
        sheet.truncate()
        sheet.conditional_formats = _clipped_rules(sheet)
        sheet.merges = [
            m for m in sheet.merges if m["endRowIndex"] <= sheet.row_count and m["endColumnIndex"] <= sheet.column_count
        ]
        return {}

    def _updateDimensionProperties(self, body: Mapping[str, Any]) -> dict[str, Any]:
        tree = self._mask("updateDimensionProperties", body)
        dim = body.get("range", {})
        sheet = self.book.sheet_by_id(dim.get("sheetId", 0))
        if dim.get("dimension") not in ("COLUMNS", "ROWS"):
            raise bad("range.dimension must be ROWS or COLUMNS")
        limit = sheet.column_count if dim["dimension"] == "COLUMNS" else sheet.row_count
        start, end = int(dim.get("startIndex", 0)), int(dim.get("endIndex", limit))
        if end > limit or start < 0 or start > end:
            raise bad(f"Invalid dimension range {start}..{end} (the sheet has {limit}).")
        if dim["dimension"] == "COLUMNS" and ("pixelSize" in tree or "*" in tree):
            for col in range(start, end):
                size = body.get("properties", {}).get("pixelSize")
                if size is None:
                    sheet.column_pixels.pop(col, None)
                else:
                    sheet.column_pixels[col] = int(size)
        return {}

    # ------------------------------------------------------------ cells

    def _write_cell(self, sheet: FakeSheet, r: int, c: int, data: Mapping[str, Any], tree: Mapping[str, Any]) -> None:
        everything = "*" in tree
        if everything or "userEnteredValue" in tree:
            sheet.set(r, c, _extended_value(data.get("userEnteredValue")))
        if everything or "userEnteredFormat" in tree:
            current = copy.deepcopy(sheet.formats.get((r, c), {}))
            sub = {} if everything else tree["userEnteredFormat"]
            new = data.get("userEnteredFormat") or {}
            if not sub:
                current = copy.deepcopy(dict(new))
            else:
                _merge_masked(current, new, sub)
            if current:
                sheet.formats[(r, c)] = current
            else:
                sheet.formats.pop((r, c), None)

    def _updateCells(self, body: Mapping[str, Any]) -> dict[str, Any]:
        tree = self._mask("updateCells", body)
        rows = body.get("rows", [])
        if ("range" in body) == ("start" in body):
            raise bad("Exactly one of range or start must be set.")
        if "range" in body:
            sheet, r0, r1, c0, c1 = self._grid(body["range"])
        else:
            start = body["start"]
            sheet = self.book.sheet_by_id(start.get("sheetId", 0))
            r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
            r1 = r0 + len(rows)
            c1 = c0 + max((len(row.get("values", [])) for row in rows), default=0)
            self._grid(
                {
                    "sheetId": sheet.sheet_id,
                    "startRowIndex": r0,
                    "endRowIndex": r1,
                    "startColumnIndex": c0,
                    "endColumnIndex": c1,
                }
            )
        if len(rows) > r1 - r0:
            raise bad("The rows given do not fit the range.")
        whole = all(not sub for sub in tree.values())
        if not rows and whole:
            # fast path: clear the masked fields of the whole range
            if "*" in tree or "userEnteredValue" in tree:
                sheet.clear_values(r0, r1, c0, c1)
            if "*" in tree or "userEnteredFormat" in tree:
                for key in [k for k in sheet.formats if r0 <= k[0] < r1 and c0 <= k[1] < c1]:
                    del sheet.formats[key]
            return {}
        for r in range(r0, r1):
            row_values = rows[r - r0].get("values", []) if r - r0 < len(rows) else []
            if len(row_values) > c1 - c0:
                raise bad("The values of a row do not fit the range.")
            for c in range(c0, c1):
                data = row_values[c - c0] if c - c0 < len(row_values) else {}
                self._write_cell(sheet, r, c, data, tree)
        return {}

    def _repeatCell(self, body: Mapping[str, Any]) -> dict[str, Any]:
        tree = self._mask("repeatCell", body)
        sheet, r0, r1, c0, c1 = self._grid(body.get("range", {}))
        data = body.get("cell", {})
        for r in range(r0, r1):
            for c in range(c0, c1):
                self._write_cell(sheet, r, c, data, tree)
        return {}

    def _mergeCells(self, body: Mapping[str, Any]) -> dict[str, Any]:
        sheet, r0, r1, c0, c1 = self._grid(body.get("range", {}))
        for m in sheet.merges:
            if _overlap(m, r0, r1, c0, c1):
                raise bad("You can't merge cells that overlap an existing merge; unmerge them first.")
        sheet.merges.append(
            {
                "sheetId": sheet.sheet_id,
                "startRowIndex": r0,
                "endRowIndex": r1,
                "startColumnIndex": c0,
                "endColumnIndex": c1,
            }
        )
        return {}

    def _unmergeCells(self, body: Mapping[str, Any]) -> dict[str, Any]:
        sheet, r0, r1, c0, c1 = self._grid(body.get("range", {}))
        sheet.merges = [m for m in sheet.merges if not _overlap(m, r0, r1, c0, c1)]
        return {}

    def _updateBorders(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self._grid(body.get("range", {}))
        return {}

    # ------------------------------------------------------------ conditional formats

    def _rule_sheet(self, rule: Mapping[str, Any]) -> FakeSheet:
        ranges = rule.get("ranges") or []
        if not ranges:
            raise bad("A conditional format rule needs at least one range.")
        sheets = {int(r.get("sheetId", 0)) for r in ranges}
        if len(sheets) != 1:
            raise bad("All ranges of a conditional format rule must be on the same sheet.")
        for r in ranges:
            self._grid(r)
        if ("gradientRule" in rule) == ("booleanRule" in rule):
            raise bad("A conditional format rule needs exactly one of booleanRule or gradientRule.")
        gradient = rule.get("gradientRule")
        if gradient is not None and ("minpoint" not in gradient or "maxpoint" not in gradient):
            raise bad("A gradient rule needs a minpoint and a maxpoint.")
        return self.book.sheet_by_id(sheets.pop())

    def _addConditionalFormatRule(self, body: Mapping[str, Any]) -> dict[str, Any]:
        rule = copy.deepcopy(dict(body.get("rule", {})))
        sheet = self._rule_sheet(rule)
        index = int(body.get("index", 0))
        if not 0 <= index <= len(sheet.conditional_formats):
            raise bad(f"Invalid index {index}.")
        sheet.conditional_formats.insert(index, rule)
        return {}

    def _updateConditionalFormatRule(self, body: Mapping[str, Any]) -> dict[str, Any]:
        sheet = self.book.sheet_by_id(body.get("sheetId", 0))
        index = int(body.get("index", 0))
        if not 0 <= index < len(sheet.conditional_formats):
            raise bad(f"No conditional format on sheet {sheet.sheet_id} at index {index}.")
        old = sheet.conditional_formats[index]
        if ("rule" in body) == ("newIndex" in body):
            raise bad("Exactly one of rule or newIndex must be set.")
        if "rule" in body:
            rule = copy.deepcopy(dict(body["rule"]))
            if self._rule_sheet(rule) is not sheet:
                raise bad("The new rule must stay on the same sheet.")
            sheet.conditional_formats[index] = rule
            new_rule = rule
        else:
            new_index = int(body["newIndex"])
            sheet.conditional_formats.pop(index)
            sheet.conditional_formats.insert(new_index, old)
            new_rule = old
        return {"updateConditionalFormatRule": {"oldRule": old, "newRule": new_rule, "oldIndex": index}}

    def _deleteConditionalFormatRule(self, body: Mapping[str, Any]) -> dict[str, Any]:
        sheet = self.book.sheet_by_id(body.get("sheetId", 0))
        index = int(body.get("index", 0))
        if not 0 <= index < len(sheet.conditional_formats):
            raise bad(f"No conditional format on sheet {sheet.sheet_id} at index {index}.")
        return {"deleteConditionalFormatRule": {"rule": sheet.conditional_formats.pop(index)}}

    # ------------------------------------------------------------ charts

    def _addChart(self, body: Mapping[str, Any]) -> dict[str, Any]:
        chart = copy.deepcopy(dict(body.get("chart", {})))
        chart_id = chart.get("chartId")
        if chart_id is None:
            chart_id = self._new_object_id()
        else:
            self._check_object_id_free(int(chart_id))
        chart["chartId"] = int(chart_id)
        position = chart.get("position", {})
        anchor = position.get("overlayPosition", {}).get("anchorCell")
        if anchor is None:
            raise bad("The fake supports overlay positions only (position.overlayPosition.anchorCell).")
        sheet = self.book.sheet_by_id(anchor.get("sheetId", 0))
        if int(anchor.get("rowIndex", 0)) >= sheet.row_count or int(anchor.get("columnIndex", 0)) >= sheet.column_count:
            raise bad("The chart's anchor cell is outside the sheet.")
        self._check_chart_spec(chart.get("spec", {}))
        sheet.charts.append(chart)
        return {"addChart": {"chart": copy.deepcopy(chart)}}

    def _find_chart(self, object_id: Any) -> tuple[FakeSheet, dict[str, Any]]:
        for sheet, chart in self.book.all_charts():
            if int(chart.get("chartId", -1)) == int(object_id or 0):
                return sheet, chart
        raise bad(f"No chart with id: {object_id}")

    def _updateChartSpec(self, body: Mapping[str, Any]) -> dict[str, Any]:
        _, chart = self._find_chart(body.get("chartId"))
        spec = copy.deepcopy(dict(body.get("spec", {})))
        self._check_chart_spec(spec)
        chart["spec"] = spec
        return {}

    def _updateEmbeddedObjectPosition(self, body: Mapping[str, Any]) -> dict[str, Any]:
        tree = self._mask("updateEmbeddedObjectPosition", body)  # relative to OverlayPosition
        sheet, chart = self._find_chart(body.get("objectId"))
        new = body.get("newPosition") or {}
        if new.get("overlayPosition") is None:
            raise bad("The fake supports overlay positions only (newPosition.overlayPosition).")
        position = chart.setdefault("position", {})
        for other in ("sheetId", "newSheet"):
            position.pop(other, None)
        overlay = position.setdefault("overlayPosition", {})
        _merge_masked(overlay, new["overlayPosition"], tree)
        anchor = overlay.get("anchorCell", {})
        target = self.book.sheet_by_id(anchor.get("sheetId", sheet.sheet_id))
        if (
            int(anchor.get("rowIndex", 0)) >= target.row_count
            or int(anchor.get("columnIndex", 0)) >= target.column_count
        ):
            raise bad("The chart's anchor cell is outside the sheet.")
        if target is not sheet:
            sheet.charts.remove(chart)
            target.charts.append(chart)
        return {"updateEmbeddedObjectPosition": {"position": copy.deepcopy(position)}}

    def _deleteEmbeddedObject(self, body: Mapping[str, Any]) -> dict[str, Any]:
        sheet, chart = self._find_chart(body.get("objectId"))
        sheet.charts.remove(chart)
        return {}

    # ------------------------------------------------------------ developer metadata

    def _metadata_home(self, location: Mapping[str, Any]) -> list[dict[str, Any]]:
        if location.get("spreadsheet"):
            return self.book.developer_metadata
        if "sheetId" in location:
            return self.book.sheet_by_id(location["sheetId"]).developer_metadata
        raise bad("The fake supports spreadsheet and sheet metadata locations only.")

    def _createDeveloperMetadata(self, body: Mapping[str, Any]) -> dict[str, Any]:
        meta = copy.deepcopy(dict(body.get("developerMetadata", {})))
        if not meta.get("metadataKey"):
            raise bad("developerMetadata.metadataKey is required.")
        if meta.get("visibility") in (None, "DEVELOPER_METADATA_VISIBILITY_UNSPECIFIED"):
            raise bad("developerMetadata.visibility is required.")
        location = dict(meta.get("location", {}))
        home = self._metadata_home(location)
        taken = {int(m["metadataId"]) for m in self.book.all_metadata()}
        metadata_id = meta.get("metadataId")
        if metadata_id is None:
            metadata_id = random.randint(1, 2**31 - 1)
            while metadata_id in taken:
                metadata_id = random.randint(1, 2**31 - 1)
        elif int(metadata_id) in taken:
            raise bad(f"Developer metadata with id {metadata_id} already exists.")
        location["locationType"] = "SPREADSHEET" if location.get("spreadsheet") else "SHEET"
        meta.update({"metadataId": int(metadata_id), "location": location})
        home.append(meta)
        return {"createDeveloperMetadata": {"developerMetadata": copy.deepcopy(meta)}}

    def _matching_metadata(self, data_filter: Mapping[str, Any]) -> list[dict[str, Any]]:
        lookup = data_filter.get("developerMetadataLookup")
        if lookup is None or len(data_filter) != 1:
            raise bad("The fake supports developerMetadataLookup data filters only.")
        found = []
        for meta in self.book.all_metadata():
            if "metadataId" in lookup and int(lookup["metadataId"]) != int(meta["metadataId"]):
                continue
            if "metadataKey" in lookup and lookup["metadataKey"] != meta.get("metadataKey"):
                continue
            if "metadataValue" in lookup and lookup["metadataValue"] != meta.get("metadataValue"):
                continue
            where = lookup.get("metadataLocation", {})
            if "sheetId" in where and where["sheetId"] != meta.get("location", {}).get("sheetId"):
                continue
            found.append(meta)
        return found

    def _updateDeveloperMetadata(self, body: Mapping[str, Any]) -> dict[str, Any]:
        tree = self._mask("updateDeveloperMetadata", body)
        if "location" in tree or "metadataId" in tree:
            raise bad("The fake does not move metadata or change its id.")
        changed = []
        for data_filter in body.get("dataFilters", []):
            for meta in self._matching_metadata(data_filter):
                _merge_masked(meta, body.get("developerMetadata", {}), tree)
                changed.append(copy.deepcopy(meta))
        return {"updateDeveloperMetadata": {"developerMetadata": changed}}

    def _deleteDeveloperMetadata(self, body: Mapping[str, Any]) -> dict[str, Any]:
        doomed = self._matching_metadata(body.get("dataFilter", {}))
        ids = {id(m) for m in doomed}
        self.book.developer_metadata = [m for m in self.book.developer_metadata if id(m) not in ids]
        for sheet in self.book.sheets:
            sheet.developer_metadata = [m for m in sheet.developer_metadata if id(m) not in ids]
        return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": copy.deepcopy(doomed)}}


# -------------------------------------------------------------------- helpers


def _extended_value(value: Mapping[str, Any] | None) -> Any:
    if not value:
        return None
    if len(value) != 1:
        raise bad("An ExtendedValue must set exactly one kind of value.")
    ((kind, inner),) = value.items()
    if kind == "formulaValue":
        return Formula(inner)
    if kind in ("stringValue", "numberValue", "boolValue"):
        return inner
    raise bad(f"The fake does not accept userEnteredValue.{kind}.")


def _merge_masked(target: dict[str, Any], source: Mapping[str, Any], tree: Mapping[str, Any]) -> None:
    """Copy the masked fields of `source` onto `target`; a masked field missing from source is cleared."""
    if "*" in tree:
        target.clear()
        target.update(copy.deepcopy(dict(source)))
        return
    for name, sub in tree.items():
        if sub and isinstance(source.get(name, {}), Mapping):
            child = target.setdefault(name, {})
            _merge_masked(child, source.get(name, {}), sub)
            if not child:
                target.pop(name)
        elif name in source:
            target[name] = copy.deepcopy(source[name])
        else:
            target.pop(name, None)


def _clipped_rules(sheet: FakeSheet) -> list[dict[str, Any]]:
    """The sheet's conditional-format rules after its grid shrank, as Sheets keeps them.

    Rows and columns beyond the new grid are deleted: each range loses its part
    there, a range wholly there disappears, and a rule left without ranges is
    deleted, so the rules after it move up one index.
    """
    kept = []
    for rule in sheet.conditional_formats:
        ranges = []
        for grid_range in rule.get("ranges", []):
            clipped = dict(grid_range)
            for start, end, limit in (
                ("startRowIndex", "endRowIndex", sheet.row_count),
                ("startColumnIndex", "endColumnIndex", sheet.column_count),
            ):
                if int(clipped.get(start, 0)) >= limit:
                    break
                if end in clipped:
                    clipped[end] = min(int(clipped[end]), limit)
            else:
                ranges.append(clipped)
        if ranges:
            kept.append({**rule, "ranges": ranges})
    return kept


def _overlap(m: Mapping[str, Any], r0: int, r1: int, c0: int, c1: int) -> bool:
    return not (
        m["endRowIndex"] <= r0 or m["startRowIndex"] >= r1 or m["endColumnIndex"] <= c0 or m["startColumnIndex"] >= c1
    )


def _grid_ranges(value: Any) -> Iterator[Mapping[str, Any]]:
    """Every GridRange inside a chart spec (the `sources` of each ChartSourceRange)."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                yield from item
            else:
                yield from _grid_ranges(item)
    elif isinstance(value, list):
        for item in value:
            yield from _grid_ranges(item)
