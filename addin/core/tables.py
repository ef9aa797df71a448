"""Turn raw sheets into header-indexed tables, reading them the way a person would.

Headers match case-insensitively and ignore surrounding spaces; blank rows are
skipped; every value keeps the spreadsheet cell it came from so findings can
point at it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import norm
from addin.core.model import RawSheet, a1

_PERCENT = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*%\s*$")
_NUMBER = re.compile(r"^\s*[-+]?(\d{1,3}(,\d{3})+|\d+)?([.]\d+)?\s*$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


@dataclass
class Table:
    """An input table: one column per known header, raw values, and where each came from.

    `frame` has the canonical column names; `frame.index` holds the 1-based
    spreadsheet row of each record; `columns` maps each canonical column to its
    1-based spreadsheet column.
    """

    sheet: str
    frame: pd.DataFrame
    columns: dict[str, int]
    header_row: int = 1
    unknown_headers: dict[str, int] = field(default_factory=dict)
    duplicate_headers: dict[str, int] = field(default_factory=dict)

    def cell(self, row: int, column: str) -> str:
        """A1 reference of the value of `column` in spreadsheet row `row`."""
        return a1(row, self.columns.get(column, 1))

    def header_cell(self, column: str) -> str:
        return a1(self.header_row, self.columns.get(column, 1))


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def read_table(sheet: RawSheet, expected: tuple[str, ...]) -> Table:
    """Read a table sheet whose first row is the header.

    Unknown headers are kept aside (reported as warnings by validation);
    rows that are blank in every expected column are dropped.
    """
    rows = sheet.rows
    header = rows[0] if rows else []
    wanted = {norm(c): c for c in expected}
    columns: dict[str, int] = {}
    unknown: dict[str, int] = {}
    duplicates: dict[str, int] = {}
    for idx, raw in enumerate(header, start=1):
        if is_blank(raw):
            continue
        key = norm(raw)
        if key in wanted:
            name = wanted[key]
            if name in columns:
                duplicates[name] = idx
            else:
                columns[name] = idx
        else:
            unknown[str(raw).strip()] = idx
    if len(rows) > COLUMNAR_ROWS:
        cleaned, kept = _read_columns(rows, columns)
        frame = pd.DataFrame(cleaned, index=pd.Index(kept, name="row"), dtype=object)
        return Table(sheet.name, frame, columns, 1, unknown, duplicates)
    data: dict[str, list[Any]] = {name: [] for name in columns}
    index: list[int] = []
    for r, values in enumerate(rows[1:], start=2):
        picked = {name: (values[c - 1] if c - 1 < len(values) else None) for name, c in columns.items()}
        if all(is_blank(v) for v in picked.values()):
            continue
        for name, v in picked.items():
            data[name].append(None if is_blank(v) else (v.strip() if isinstance(v, str) else v))
        index.append(r)
    frame = pd.DataFrame(data, index=pd.Index(index, name="row"), dtype=object)
    return Table(sheet.name, frame, columns, 1, unknown, duplicates)


# ------------------------------------------------------------------ big sheets, column by column

COLUMNAR_ROWS = 2000
"""Sheets longer than this (Evidence) are read column by column: the same table, without per-cell Python."""
_PLAIN = frozenset({type(None), bool, int, float, dt.date, dt.datetime, dt.time, dt.timedelta})
_MEMO_LIMIT = 1 << 17


class _Cleaned(dict[Any, Any]):
    """Text -> stripped text, or None when blank; each distinct text cleaned once (and then shared)."""

    def __missing__(self, text: str) -> str | None:
        value = text.strip() or None
        if len(self) < _MEMO_LIMIT:
            self[text] = value
        return value


def _clean(value: Any) -> Any:
    return None if is_blank(value) else (value.strip() if isinstance(value, str) else value)


def _clean_column(values: list[Any]) -> np.ndarray:
    """`_clean` over a column, as an object array. Text-only and text-free columns take C-speed paths;
    a column mixing text with other values (numbers typed as text) is cleaned cell by cell."""
    kinds = set(map(type, values))
    if kinds <= {str, type(None)}:
        cleaned = _Cleaned({None: None})
        return np.fromiter(map(cleaned.__getitem__, values), dtype=object, count=len(values))
    out = np.fromiter(values if kinds <= _PLAIN else map(_clean, values), dtype=object, count=len(values))
    if float in kinds:
        out[pd.isna(out)] = None  # NaN is blank; among _PLAIN types only None and NaN are NA
    return out


def _read_columns(rows: list[list[Any]], columns: dict[str, int]) -> tuple[dict[str, Any], Any]:
    """`read_table`'s rows loop, column by column: (column -> cleaned values, spreadsheet rows kept)."""
    body = rows[1:]
    width = max(columns.values(), default=0)
    if min(map(len, body), default=width) < width:  # ragged rows (Sheets trims trailing blanks)
        body = [r if len(r) >= width else [*r, *([None] * (width - len(r)))] for r in body]
    cleaned = {name: _clean_column(list(map(itemgetter(c - 1), body))) for name, c in columns.items()}
    blank = [pd.isna(values) for values in cleaned.values()]
    keep = ~np.logical_and.reduce(blank) if blank else np.zeros(len(body), dtype=bool)
    index = np.arange(2, len(body) + 2)[keep]
    # an empty index stays a plain empty list, as the row loop makes it (object dtype, not int64)
    return {name: values[keep] for name, values in cleaned.items()}, index if index.size else []


def empty_table(sheet: str, expected: tuple[str, ...]) -> Table:
    frame = pd.DataFrame({c: [] for c in expected}, index=pd.Index([], name="row"), dtype=object)
    return Table(sheet, frame, {c: i for i, c in enumerate(expected, start=1)})


# ------------------------------------------------------------------ coercion


def to_number(value: Any) -> float | None:
    """A number from a cell: numbers, numbers stored as text ("1,200", " 3 "); None when not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        f = float(value)
        return None if math.isnan(f) else f
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "")
        if text and _NUMBER.match(text):
            try:
                return float(text.replace(",", ""))
            except ValueError:
                return None
        # decimal comma, e.g. "0,8"
        if re.fullmatch(r"[-+]?\d+,\d+", text):
            return float(text.replace(",", "."))
    return None


def to_percent(value: Any) -> tuple[float | None, str]:
    """Confidence-like values: 80, "80%", 0.8 all mean 80 %. Returns (fraction, how it was read)."""
    if isinstance(value, str):
        m = _PERCENT.match(value)
        if m:
            return float(m.group(1).replace(",", ".")) / 100.0, f'"{value.strip()}" read as {m.group(1)} %'
    number = to_number(value)
    if number is None:
        return None, ""
    if 0 <= number <= 1:
        return number, f"{value} read as {number * 100:g} %"
    return number / 100.0, f"{value} read as {number:g} %"


def to_date(value: Any) -> dt.date | None:
    """Excel serial dates, datetime/date objects and ISO-like text dates."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return (EXCEL_EPOCH + dt.timedelta(days=float(value))).date()
        return None
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None


def numeric_column(series: pd.Series) -> pd.Series:
    """Vectorised to_number for a large column: fast path for already-numeric values."""
    converted = pd.to_numeric(series, errors="coerce")
    needs_text = converted.isna() & series.map(lambda v: isinstance(v, str))
    if needs_text.any():
        converted = converted.astype(float)
        converted.loc[needs_text] = series.loc[needs_text].map(to_number)
    return converted.astype(float)
