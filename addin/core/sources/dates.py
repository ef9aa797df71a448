"""Dates as survey tools export them: ISO 8601, or numbers whose order (day or month first) is decided per
column from its values, since one tool writes 03/25/2026 for a US account and 25/03/2026 for a UK one.

A first number above 12 anywhere in the column makes it day first; a second number above 12 makes it
month first; neither (every date could be either) keeps `DEFAULT_ORDER`; both is a column of mixed dates,
read in the default order (what cannot be read so has no date) and reported by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd


class DateOrder(StrEnum):
    """How the dates of one column are written."""

    ISO = "ISO 8601"
    DAY_FIRST = "day first"
    MONTH_FIRST = "month first"


DEFAULT_ORDER = DateOrder.MONTH_FIRST
"""When every date of a column could be either: SurveyMonkey's and Google Forms' default for a US account."""

_NUMBERS = r"^\s*(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?P<rest>(?:[\sT,].*)?)$"
"""A date of numbers (3/25/2026, 25.03.26, 03-25-2026 10:05:00 AM): two fields, the year, then the time."""


@dataclass(frozen=True)
class ColumnDates:
    """What one column's dates say about their order."""

    order: DateOrder
    decided: bool = True
    """False when every date could be day or month first (the default order was kept)."""
    day_first: str = ""
    """A date that can only be day first (25/03/2026), if the column has one."""
    month_first: str = ""
    """A date that can only be month first (03/25/2026), if the column has one."""
    unreadable: int = 0
    """Dates (rows) that cannot be read in `order`: in a column of mixed dates, those written the other way."""

    @property
    def mixed(self) -> bool:
        return bool(self.day_first and self.month_first)


def column_dates(values: pd.Series, default: DateOrder = DEFAULT_ORDER) -> ColumnDates:
    """The order the dates of `values` are written in, from all of them (each distinct text looked at once)."""
    codes, uniques = pd.factorize(values, sort=False)
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    if not len(text):
        return ColumnDates(default, decided=False)
    iso = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    if iso.isna().mean() <= 0.5:
        return ColumnDates(DateOrder.ISO)
    parts = text.str.extract(_NUMBERS)
    a, b = pd.to_numeric(parts["a"]), pd.to_numeric(parts["b"])
    day_first, month_first = (a > 12) & (b <= 12), (b > 12) & (a <= 12)
    one = text[day_first].iloc[0] if day_first.any() else ""
    other = text[month_first].iloc[0] if month_first.any() else ""
    if one and not other:
        return ColumnDates(DateOrder.DAY_FIRST, day_first=one)
    if other and not one:
        return ColumnDates(DateOrder.MONTH_FIRST, month_first=other)
    if not one:
        return ColumnDates(default, decided=False)
    against = (day_first if default is DateOrder.MONTH_FIRST else month_first).to_numpy()
    rows = int(np.bincount(codes[codes >= 0], minlength=len(text))[against].sum())
    return ColumnDates(default, decided=False, day_first=one, month_first=other, unreadable=rows)


def parse_dates(values: pd.Series, order: DateOrder) -> pd.Series:
    """`values` (text) as datetime64[s] read in `order`; unreadable or blank = NaT. Each distinct text is parsed
    once; a time zone is converted to UTC and dropped (the Evidence sheet's Date has no zone)."""
    return pd.Series(_utc(values, order).astype("datetime64[s]"), index=values.index)


def parse_times(values: pd.Series, order: DateOrder) -> np.ndarray:
    """`values` (text) as UTC nanoseconds since 1970 (int64; unreadable or blank = the minimum int64), read in
    `order`: an event log's times, to the nanosecond its file gives."""
    return _utc(values, order).astype("datetime64[ns]").astype(np.int64)


def _utc(values: pd.Series, order: DateOrder) -> np.ndarray:
    """datetime64[ns] in UTC without a zone, one per value; each distinct text parsed once."""
    codes, uniques = pd.factorize(values, sort=False)
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    if order is DateOrder.ISO:
        parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    else:
        parsed = _numbers_in_order(text, order)
    naive = parsed.dt.tz_convert(None).to_numpy(dtype="datetime64[ns]")
    return np.append(naive, np.datetime64("NaT", "ns"))[codes]


def _numbers_in_order(text: pd.Series, order: DateOrder) -> pd.Series:
    """Dates of numbers rewritten year first in `order` (a month above 12 is no date), then parsed; other texts
    (March 25, 2026) are parsed as they are, with `order` as the hint."""
    parts = text.str.extract(_NUMBERS)
    matched = parts["a"].notna()
    a, b = pd.to_numeric(parts["a"]), pd.to_numeric(parts["b"])
    day, month = (a, b) if order is DateOrder.DAY_FIRST else (b, a)
    year = pd.to_numeric(parts["y"])
    year = year.where(year >= 100, 2000 + year)
    ok = matched & month.between(1, 12) & day.between(1, 31)
    iso = (
        year[ok].astype(int).astype(str).str.zfill(4)
        + "-"
        + month[ok].astype(int).astype(str).str.zfill(2)
        + "-"
        + day[ok].astype(int).astype(str).str.zfill(2)
        + parts["rest"][ok].fillna("").str.replace(r"^[T,]", " ", regex=True)
    )
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns, UTC]")
    if len(iso):
        fast = pd.to_datetime(iso, errors="coerce", format="ISO8601", utc=True)
        slow = fast.isna()  # a time with AM/PM, or a zone name
        if slow.any():
            fast[slow] = pd.to_datetime(iso[slow], errors="coerce", format="mixed", utc=True)
        out[ok] = fast
    other = ~matched & text.str.strip().ne("")
    if other.any():
        out[other] = pd.to_datetime(
            text[other], errors="coerce", format="mixed", dayfirst=order is DateOrder.DAY_FIRST, utc=True
        )
    return out
