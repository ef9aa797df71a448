"""Turn raw sheets into header-indexed tables, reading them the way a person would.

Headers match case-insensitively and ignore surrounding spaces; blank rows are
skipped; every value keeps the spreadsheet cell it came from so findings can
point at it. Whole-column helpers work on each distinct value once, so a sheet of
500,000 rows costs no per-row Python.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import DTYPES, KINDS, Col, Kind, Sheet, norm
from addin.core.model import RawSheet, a1

_PERCENT = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*%\s*$")
_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?([.]\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")
_SPACES = "\u00a0\u202f\u2009 "
_SPACE_GROUPS = re.compile(r"^[-+]?\d{1,3}([ \u00a0\u202f\u2009]\d{3})+([.,]\d+)?$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_DATE_RANGE = (1, 2958466)
"""Excel serial numbers that are dates: 1900-01-01 up to 9999-12-31."""
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%m/%d/%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
)
"""Text dates a person might type. Day-first wins over month-first where both fit (03/04/2026 = 3 April)."""


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
    width: int = 0
    """Last used column of the header row (0 when the header row is empty)."""

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

    Unknown headers are kept aside (reported as warnings by validation); text is
    stripped; blank cells become None; rows that are blank in every expected
    column are dropped (blank rows in between, trailing empty rows of a Table).
    """
    rows = sheet.rows
    header = rows[0] if rows else []
    wanted = {norm(c): c for c in expected}
    columns: dict[str, int] = {}
    unknown: dict[str, int] = {}
    duplicates: dict[str, int] = {}
    width = 0
    for idx, raw in enumerate(header, start=1):
        if is_blank(raw):
            continue
        width = idx
        key = norm(raw)
        if key in wanted:
            name = wanted[key]
            if name in columns:
                duplicates.setdefault(name, idx)
            else:
                columns[name] = idx
        else:
            unknown.setdefault(" ".join(str(raw).split()), idx)
    body = rows[1:]
    data: dict[str, np.ndarray] = {}
    index = np.arange(2, len(body) + 2)
    if len(body) > 100_000:  # a sparse sheet (one far cell) has a million rows that hold nothing at all
        filled = [i for i, r in enumerate(body) if r]
        if len(filled) < len(body) // 2:
            body, index = [body[i] for i in filled], index[filled]
    if body and columns:
        grid = _object_grid(body, max(columns.values()))
        blank_row = np.ones(len(body), dtype=bool)
        for name, col in columns.items():
            values, blank = clean_values(grid[:, col - 1])
            data[name] = values
            blank_row &= blank
        keep = ~blank_row
        index = index[keep]
        data = {name: values[keep] for name, values in data.items()}
    else:
        index = index[:0]
        data = {name: np.empty(0, dtype=object) for name in columns}
    frame = pd.DataFrame(data, index=pd.Index(index, name="row"), dtype=object)
    return Table(sheet.name, frame, columns, 1, unknown, duplicates, width)


def text_values(values: Any, index: Any = None) -> pd.Series:
    """Values as a text column (dtype object) whose every missing marker (None, NaN, pd.NA, NaT) is None.

    The one place a blank text cell gets its reading, so pandas' own text dtype (pandas 3 infers `str` for
    text, even from an object array, and its missing value is NaN) never turns a blank into "nan". `index`
    defaults to the index of `values` when it is a Series."""
    if index is None and isinstance(values, pd.Series):
        index = values.index
    arr = np.asarray(values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values, dtype=object)
    arr = arr.copy()
    if len(arr):
        arr[np.asarray(pd.isna(arr), dtype=bool)] = None
    return pd.Series(arr, index=index, dtype=object)


def typed_frame(
    sheet: Sheet,
    data: Mapping[Any, Any] | list[dict[Any, Any]],
    names: Sequence[str] | None = None,
    index: Any = None,
) -> pd.DataFrame:
    """A validated table of `sheet`: its contract columns present in `data` (in contract order), each with the
    dtype its `Kind` declares (see `contract.KINDS`), then any other columns (such as "row") as given.

    `data` is {column: values}, or a list of records whose columns are `names` (default: the contract's)."""
    kinds = KINDS[sheet]
    columns: dict[str, Any]
    if isinstance(data, list):
        columns = {name: [rec.get(name) for rec in data] for name in (names or list(kinds))}
    else:
        columns = dict(data)
    if index is None:
        first: Any = next(iter(columns.values()), [])
        index = first.index if isinstance(first, pd.Series) else pd.RangeIndex(len(first))
    out: dict[str, pd.Series] = {}
    for name in [*[c for c in kinds if c in columns], *[c for c in columns if c not in kinds]]:
        raw = columns[name]
        kind = kinds.get(Col(name)) if name in kinds else None
        if kind in (Kind.NUMBER, Kind.WHOLE) and isinstance(raw, pd.Series) and raw.dtype.kind in "fiu":
            out[name] = pd.Series(raw.to_numpy(dtype=np.dtype(DTYPES[kind])), index=index)  # no boxing
            continue
        if kind is Kind.DATE:
            out[name] = pd.Series(pd.to_datetime(pd.Series(raw)).to_numpy(dtype="datetime64[s]"), index=index)
            continue
        values = raw.to_numpy(dtype=object) if isinstance(raw, pd.Series) else raw
        if kind is Kind.TEXT:
            out[name] = text_values(values, index)
        elif kind in (Kind.IDS, Kind.RAW):
            arr = np.empty(len(values), dtype=object)
            for i, v in enumerate(values):  # one by one, so a tuple stays one element
                arr[i] = v
            out[name] = pd.Series(arr, index=index, dtype=object)
        elif kind is not None:
            out[name] = pd.Series(np.asarray(values, dtype=np.dtype(DTYPES[kind])), index=index)
        else:
            out[name] = pd.Series(list(values), index=index)
    return pd.DataFrame(out, index=index)


def empty_table(sheet: str, expected: tuple[str, ...]) -> Table:
    frame = pd.DataFrame({c: [] for c in expected}, index=pd.Index([], name="row"), dtype=object)
    return Table(sheet, frame, {c: i for i, c in enumerate(expected, start=1)})


def _object_grid(rows: list[list[Any]], width: int) -> np.ndarray:
    """Rows as a 2-D object array at least `width` wide (ragged rows are padded with None)."""
    lengths = set(map(len, rows))
    full = max(max(lengths), width)
    if full > width and full * len(rows) > 10_000_000:  # one far cell (XFD1048576) must not widen every row
        full = width
        rows = [r[:width] for r in rows]
        lengths = set(map(len, rows))
    if lengths != {full}:
        rows = [list(r) + [None] * (full - len(r)) for r in rows]
    grid = np.empty((len(rows), full), dtype=object)
    grid[:, :] = rows
    return grid


def _types(values: np.ndarray) -> np.ndarray:
    """The Python type of each element (one C-level pass)."""
    return np.frompyfunc(type, 1, 1)(values) if len(values) else np.empty(0, dtype=object)


_STRIP = np.frompyfunc(str.strip, 1, 1)


def _of_type(kinds: np.ndarray, *types: type) -> np.ndarray:
    """Mask of the elements whose exact type is one of `types` (`kinds` from `_types`)."""
    out = np.zeros(len(kinds), dtype=bool)
    box = np.empty(1, dtype=object)  # boxed, so numpy compares with the type itself (np.float64 included)
    for t in types:
        box[0] = t
        out |= kinds == box
    return out


def clean_values(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(values with text stripped and blanks as None, blank mask): None, NaN, NaT, pd.NA and empty text are blank.

    The one place where a blank input cell gets its reading, whichever reader (file, Excel, Google) gave it."""
    out = values.astype(object, copy=True)
    kinds = _types(out)
    blank = _of_type(kinds, type(None))
    floats = _of_type(kinds, float, np.float64)
    if floats.any():
        blank[floats] = np.isnan(out[floats].astype(float))
    is_text = _of_type(kinds, str)
    if is_text.any():
        stripped = _STRIP(out[is_text])
        out[is_text] = stripped
        blank[is_text] = stripped == ""
    rest = ~(blank | floats | is_text)  # numbers, dates, booleans; pandas' NaT and NA are looked for only here
    if rest.any():
        blank[rest] = _of_type(kinds[rest], type(pd.NaT), type(pd.NA))
    out[blank] = None
    return out, blank


def map_distinct(values: pd.Series | np.ndarray, func: Callable[[Any], Any], *, dtype: Any = object) -> np.ndarray:
    """`func` applied to every element, computed once per distinct text; non-text elements one by one.

    Text is keyed by value (so "1" and 1 never share a result); other values are rare in
    the columns this serves and go through `func` directly.
    """
    arr = np.asarray(values, dtype=object)
    out = np.empty(len(arr), dtype=dtype)
    if not len(arr):
        return out
    is_text = _of_type(_types(arr), str)
    if is_text.any():
        codes, uniques = pd.factorize(arr[is_text])
        out[is_text] = np.array([func(u) for u in uniques], dtype=dtype)[codes]
    rest = np.flatnonzero(~is_text)
    if len(rest):
        out[rest] = np.array([func(v) for v in arr[rest]], dtype=dtype)
    return out


def lookup_column(values: pd.Series, mapping: Mapping[str, str]) -> pd.Series:
    """Map text case-insensitively, ignoring surrounding and repeated spaces; None where blank or unknown.

    Each distinct value is looked up once (pandas hashes 1, 1.0 and True alike; for names that is harmless).
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    found = np.array([None if is_blank(u) else mapping.get(norm(u)) for u in uniques] + [None], dtype=object)
    return pd.Series(found[codes], index=values.index, dtype=object)


def numeric_column(values: pd.Series) -> pd.Series:
    """Vectorised `to_number`: numbers as they are, numbers stored as text parsed once per distinct text."""
    arr = values.to_numpy(dtype=object)
    kinds = _types(arr)
    number = _of_type(kinds, int, float)
    out = np.full(len(arr), np.nan)
    if number.any():
        out[number] = arr[number].astype(float)
        out[np.isinf(out)] = np.nan  # as to_number: infinity is no answer to "how many"
    other = ~number & ~np.asarray(pd.isna(arr), dtype=bool)
    if other.any():
        out[other] = map_distinct(arr[other], lambda v: np.nan if (n := to_number(v)) is None else n, dtype=float)
    return pd.Series(out, index=values.index, dtype=float)


def date_column_ok(values: pd.Series) -> pd.Series:
    """True where a cell is blank or a date (an Excel date, a serial number in range, or a text date)."""
    arr = values.to_numpy(dtype=object)
    kinds = _types(arr)
    blank = np.asarray(pd.isna(arr), dtype=bool)
    ok = blank | _of_type(kinds, dt.datetime, dt.date, pd.Timestamp)
    number = _of_type(kinds, int, float) & ~blank
    if number.any():
        serial = arr[number].astype(float)
        ok[number] = (serial >= EXCEL_DATE_RANGE[0]) & (serial < EXCEL_DATE_RANGE[1])
    rest = ~ok & ~number
    if rest.any():
        ok[rest] = map_distinct(arr[rest], lambda v: to_date(v) is not None, dtype=bool)
    return pd.Series(ok, index=values.index, dtype=bool)


# ------------------------------------------------------------------ coercion


def _plain_text(text: str) -> str:
    """Text of a number as typed: outer spaces dropped, typographic minus made plain, and spaces that group
    thousands ("120 000", also non-breaking or thin) removed. Other inner spaces stay, so "1 2" is no number."""
    text = text.strip().replace("\u2212", "-")
    if _SPACE_GROUPS.match(text):
        for space in _SPACES:
            text = text.replace(space, "")
    return text


def to_number(value: Any) -> float | None:
    """A number from a cell: numbers, numbers stored as text ("1,200", " 3 ", "−1", "0,8"); None when not a number."""
    if type(value) is float:  # the usual cell first (a bool is never of type float or int)
        return value if math.isfinite(value) else None
    if type(value) is int:
        return float(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, str):
        text = _plain_text(value)
        if text and text not in "+-." and _NUMBER.match(text):
            return float(text.replace(",", ""))
        if _DECIMAL_COMMA.match(text):
            return float(text.replace(",", "."))
    return None


def percent_text(value: Any) -> float | None:
    """The number of a text such as "80%" or " 12,5 % " (80.0, 12.5); None for anything else."""
    if not isinstance(value, str):
        return None
    m = _PERCENT.match(value.replace("\u00a0", " "))
    return float(m.group(1).replace(",", ".")) if m else None


def to_percent(value: Any) -> tuple[float | None, str]:
    """Confidence-like values: 80, "80%", 0.8 all mean 80 %. Returns (fraction, how it was read).

    A number from 0 to 1 is read as a fraction (0.8 = 80 %), a larger one as a percentage.
    """
    given = percent_text(value)
    if given is not None:
        return given / 100.0, f'"{str(value).strip()}" read as {given:g} %'
    number = to_number(value)
    if number is None:
        return None, ""
    shown = f'"{value.strip()}"' if isinstance(value, str) else f"{value:g}"
    if 0 <= number <= 1:
        return number, f"{shown} read as {number * 100:g} %"
    return number / 100.0, f"{shown} read as {number:g} %"


def to_date(value: Any) -> dt.date | None:
    """Excel serial dates, datetime/date objects and the text dates of `DATE_FORMATS`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if EXCEL_DATE_RANGE[0] <= value < EXCEL_DATE_RANGE[1]:
            return (EXCEL_EPOCH + dt.timedelta(days=float(value))).date()
        return None
    if isinstance(value, str):
        text = " ".join(value.split())
        if not text or not any(ch.isdigit() for ch in text):
            return None
        try:
            return dt.datetime.fromisoformat(text).date()  # ISO 8601 as exports write it: 2026-03-31T10:00:00Z
        except ValueError:
            pass
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None
