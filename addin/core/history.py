"""The map's history: a fingerprint of the inputs, run snapshots that only ever accumulate, and what changed
since the last snapshot.

Plain types on purpose (`Estimate`, `StageSnapshot`, `Snapshot`, rows as dicts keyed by `HistoryCol`), so the
results model feeds them by one function and any writer stores them.

- `fingerprint`: SHA-256 over the validated tables' values in a canonical order: tables and columns by name,
  every value in a canonical form, rows as a sorted multiset, so the order of rows in a sheet changes nothing.
- `rows_to_append(previous rows, current)`: nothing when the last snapshot has the same fingerprint and the
  same results, else the current snapshot's rows; earlier rows are never touched.
- `what_changed(last, current)`: stage metrics that moved significantly (Holm-corrected, `ALPHA`), pain
  indexes that moved by at least `PAIN_INDEX_STEP` points, recommendations that entered or left the top 5,
  pain points added or resolved; each with a sentence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import HistoryCol, Sheet
from addin.core.evidence import Z95
from addin.core.journey import Journey
from addin.core.significance import holm, normal_p, share_test
from addin.core.tables import to_number

ALPHA = 0.05
PAIN_INDEX_STEP = 10.0
"""A pain index has no sampling error: a move of at least this many points is reported."""
TOP = 5
SHEET_ROW = "row"
"""The column some validated frames keep with each record's sheet row (`tables.read_table`'s index name)."""
_DIGITS = 9
"""Results are compared at this many significant digits (a sheet may round the last ones)."""


# ------------------------------------------------------------------ fingerprint


def fingerprint(tables: Mapping[str, pd.DataFrame], extra: Mapping[str, object] | None = None) -> str:
    """A stable hex digest of the tables' values (their index, e.g. sheet rows, is left out) and of `extra`
    (settings, stage order: anything whose order matters is given as a value)."""
    digest = hashlib.sha256(b"addin-fingerprint-1")
    for name in sorted(tables):
        frame = tables[name]
        columns = sorted(map(str, frame.columns))
        digest.update("\x1e".join([name, str(len(frame)), *columns]).encode() + b"\x1d")
        if len(frame) and columns:
            canonical = pd.DataFrame({c: _canonical(frame[c]) for c in columns})
            rows = pd.util.hash_pandas_object(canonical, index=False).to_numpy(dtype=np.uint64)
            digest.update(np.sort(rows).tobytes())
    for key in sorted(extra or {}):
        digest.update(f"\x1d{key}\x1f{_text((extra or {})[key])}".encode())
    return digest.hexdigest()


def journey_fingerprint(journey: Journey) -> str:
    """The fingerprint of a validated journey: its tables (rows in any order), the grid's lanes and emotion
    curves, the stage order and the settings."""
    tables = {
        name: frame.drop(columns=[SHEET_ROW], errors="ignore")  # where a row is in its sheet is no value
        for name, frame in {
            "personas": journey.personas,
            "pain_points": journey.pain_points,
            "recommendations": journey.recommendations,
            "evidence": journey.evidence,
            "funnel": journey.funnel,
            "emotions": journey.emotions.reset_index(names="curve") if len(journey.emotions) else journey.emotions,
        }.items()
    }
    extra = {
        "stages": tuple(journey.stages),
        "lanes": {lane: tuple(values) for lane, values in journey.lanes.items()},
        "settings": asdict(journey.settings),
    }
    return fingerprint(tables, extra)


def _canonical(values: pd.Series) -> pd.Series:
    """Numbers as float64 (-0 = 0, one NaN), dates as int64 nanoseconds, everything else as canonical text."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype(np.int64).astype(float)
    if pd.api.types.is_numeric_dtype(values.dtype):
        arr = values.to_numpy(dtype=float, na_value=np.nan) + 0.0
        arr[np.isnan(arr)] = np.nan
        return pd.Series(arr)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return pd.Series(values.to_numpy(dtype="datetime64[ns]").view(np.int64))
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    texts = np.array([_text(u) for u in uniques] + ["\x00"], dtype=object)
    return pd.Series(texts[codes])


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\x00"
    if isinstance(value, bool):
        return f"b:{value}"
    if isinstance(value, int | float | np.integer | np.floating):
        return f"n:{float(value) + 0.0!r}"
    if isinstance(value, list | tuple):
        return "t:" + "\x1f".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        return "m:" + "\x1f".join(f"{_text(k)}={_text(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
    if isinstance(value, StrEnum):
        return f"s:{value.value}"
    return f"s:{value}"


# ------------------------------------------------------------------ snapshots


@dataclass(frozen=True)
class Estimate:
    """A metric with its number of answers and 95 % interval; NaN value with n = 0 when there are no answers.
    CSAT is the share satisfied (0..1), NPS in points (-100..100), CES the mean (1-7)."""

    value: float = math.nan
    n: int = 0
    low: float = math.nan
    high: float = math.nan


@dataclass(frozen=True)
class StageSnapshot:
    stage: str
    pain_index: float
    csat: Estimate = Estimate()
    nps: Estimate = Estimate()
    ces: Estimate = Estimate()
    driver: Estimate = Estimate()
    """The stage's key-driver share (0..1 of what the stages explain), n = complete respondents, its bootstrap
    interval; NaN with n = 0 without key drivers."""


@dataclass(frozen=True)
class Snapshot:
    """One run's results worth keeping. `top5`: recommendation IDs in rank order; `pain_point_ids` sorted."""

    taken: str
    fingerprint: str
    stages: tuple[StageSnapshot, ...]
    top5: tuple[str, ...]
    pain_point_ids: tuple[str, ...]
    recommendations: int

    @property
    def pain_points(self) -> int:
        return len(self.pain_point_ids)

    def content(self) -> tuple[Any, ...]:
        """Everything but the time it was taken, floats rounded to `_DIGITS` significant digits."""
        stages = tuple(
            (
                s.stage,
                _round(s.pain_index),
                *(_round(v) for e in (s.csat, s.nps, s.ces, s.driver) for v in _estimate_values(e)),
            )
            for s in self.stages
        )
        # By stage: the order of the rows is not content (the journey's stage order is in the fingerprint).
        return (
            self.fingerprint,
            tuple(sorted(stages, key=lambda row: str(row[0]))),
            self.top5,
            self.pain_point_ids,
            self.recommendations,
        )


def _estimate_values(e: Estimate) -> tuple[float, ...]:
    return tuple(float(getattr(e, f.name)) for f in fields(e))


def _round(value: float) -> float | None:
    if math.isnan(value):
        return None
    return float(f"{value:.{_DIGITS}g}")


_ESTIMATE_COLUMNS = {
    "csat": (HistoryCol.CSAT, HistoryCol.CSAT_N, HistoryCol.CSAT_LOW, HistoryCol.CSAT_HIGH),
    "nps": (HistoryCol.NPS, HistoryCol.NPS_N, HistoryCol.NPS_LOW, HistoryCol.NPS_HIGH),
    "ces": (HistoryCol.CES, HistoryCol.CES_N, HistoryCol.CES_LOW, HistoryCol.CES_HIGH),
    "driver": (HistoryCol.DRIVER, HistoryCol.DRIVER_N, HistoryCol.DRIVER_LOW, HistoryCol.DRIVER_HIGH),
}


def to_rows(snapshot: Snapshot) -> list[dict[str, object]]:
    """One row per stage, keyed by `HistoryCol`; blanks (no answers) as None; lists comma-separated."""
    rows = []
    for s in snapshot.stages:
        row: dict[str, object] = {
            HistoryCol.TAKEN: snapshot.taken,
            HistoryCol.FINGERPRINT: snapshot.fingerprint,
            HistoryCol.STAGE: s.stage,
            HistoryCol.PAIN_INDEX: s.pain_index,
        }
        for name, cols in _ESTIMATE_COLUMNS.items():
            e: Estimate = getattr(s, name)
            for col, value in zip(cols, _estimate_values(e), strict=True):
                row[col] = None if math.isnan(value) else (int(value) if col in _COUNTS else value)
        row[HistoryCol.TOP_5] = ", ".join(snapshot.top5)
        row[HistoryCol.PAIN_POINTS] = snapshot.pain_points
        row[HistoryCol.PAIN_POINT_IDS] = ", ".join(snapshot.pain_point_ids)
        row[HistoryCol.RECOMMENDATIONS] = snapshot.recommendations
        rows.append(row)
    return rows


_COUNTS = {HistoryCol.CSAT_N, HistoryCol.NPS_N, HistoryCol.CES_N, HistoryCol.DRIVER_N}


def from_rows(rows: Iterable[Mapping[str, object]]) -> list[Snapshot]:
    """Snapshots from plain rows as `to_rows` wrote them, read as a sheet gives them back: numbers may be
    text, blanks None or "". The rows with one Taken and Fingerprint are one snapshot wherever they stand,
    so rows sorted or filtered by hand (by stage, say) still give the snapshots they were; a stage repeated
    in a snapshot counts once (its first row); a row without a Taken (empty, or a note) is none. Snapshots
    come oldest first: by their time when every time reads as one, else in the order they first appear."""
    groups: dict[tuple[str, str], dict[str, Mapping[str, object]]] = {}
    for row in rows:
        key = (_str(row.get(HistoryCol.TAKEN)), _str(row.get(HistoryCol.FINGERPRINT)))
        if not key[0]:
            continue  # an empty row, or a note typed under the rows: kept on the sheet, not a snapshot
        groups.setdefault(key, {}).setdefault(_str(row.get(HistoryCol.STAGE)), row)
    snapshots = [_snapshot(list(group.values())) for group in groups.values()]
    times = [t for t in (_instant(s.taken) for s in snapshots) if t is not None]
    if len(times) == len(snapshots):
        snapshots = [s for _, s in sorted(zip(times, snapshots, strict=True), key=lambda pair: pair[0])]
    return snapshots


def _instant(taken: str) -> dt.datetime | None:
    """A snapshot's time as an aware datetime (a time without a zone read as UTC); None if it is not one."""
    try:
        when = dt.datetime.fromisoformat(taken.strip())
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


def _snapshot(rows: list[Mapping[str, object]]) -> Snapshot:
    first = rows[0]
    stages = tuple(
        StageSnapshot(
            _str(r.get(HistoryCol.STAGE)),
            _num(r.get(HistoryCol.PAIN_INDEX)),
            *(_read_estimate(r, cols) for cols in _ESTIMATE_COLUMNS.values()),
        )
        for r in rows
    )
    return Snapshot(
        _str(first.get(HistoryCol.TAKEN)),
        _str(first.get(HistoryCol.FINGERPRINT)),
        stages,
        _ids(first.get(HistoryCol.TOP_5)),
        _ids(first.get(HistoryCol.PAIN_POINT_IDS)),
        int(_num(first.get(HistoryCol.RECOMMENDATIONS), 0)),
    )


def _read_estimate(row: Mapping[str, object], cols: tuple[HistoryCol, ...]) -> Estimate:
    value, n, low, high = cols
    return Estimate(_num(row.get(value)), int(_num(row.get(n), 0)), _num(row.get(low)), _num(row.get(high)))


def _str(value: object) -> str:
    return "" if value is None else str(value).strip()


def _num(value: object, blank: float = math.nan) -> float:
    number = to_number(value)
    return blank if number is None else number


def _ids(value: object) -> tuple[str, ...]:
    return tuple(part.strip() for part in _str(value).split(",") if part.strip())


def next_snapshot(previous: Sequence[Snapshot], current: Snapshot) -> Snapshot | None:
    """`current` when it is to be appended (no snapshot yet, or the last one has other content: another
    fingerprint or other results), else None."""
    if previous and previous[-1].content() == current.content():
        return None
    return current


def rows_to_append(previous: Sequence[Mapping[str, object]], current: Snapshot) -> list[dict[str, object]]:
    """The rows to add under `previous` (the History sheet's rows as read): none when the last snapshot has
    the same content as `current`, else `current`'s rows. `previous` is never changed."""
    snapshot = next_snapshot(from_rows(previous), current)
    return [] if snapshot is None else to_rows(snapshot)


# ------------------------------------------------------------------ what changed


class ChangeKind(StrEnum):
    METRIC = "metric moved"
    PAIN_INDEX = "pain index moved"
    ENTERED_TOP = "entered the top 5"
    LEFT_TOP = "left the top 5"
    PAIN_ADDED = "pain point added"
    PAIN_RESOLVED = "pain point resolved"


@dataclass(frozen=True)
class ChangeNote:
    """One thing that changed since the last snapshot: `subject` is a stage, recommendation or pain-point ID."""

    kind: ChangeKind
    subject: str
    sentence: str
    before: float = math.nan
    after: float = math.nan
    p_adjusted: float = math.nan


def _se(e: Estimate) -> float:
    """Standard error from the interval's wider side (the other may be held at the end of the scale)."""
    if e.n < 2 or math.isnan(e.low) or math.isnan(e.high):
        return math.nan
    return max(e.high - e.value, e.value - e.low) / Z95


def _metric_test(name: str, a: Estimate, b: Estimate) -> float:
    """Two-sided p: CSAT share by the pooled two-proportion test; NPS and CES by z from the intervals."""
    if a.n < 2 or b.n < 2 or math.isnan(a.value) or math.isnan(b.value):
        return math.nan
    if name == "csat":
        return share_test(round(a.value * a.n), a.n, round(b.value * b.n), b.n)[1]
    se = math.hypot(_se(a), _se(b))
    if math.isnan(se):
        return math.nan
    if se == 0:
        return 1.0 if a.value == b.value else 0.0
    return normal_p((b.value - a.value) / se)


_SHOWN = {
    "csat": ("CSAT", lambda v: f"{100 * v:.0f} %"),
    "nps": ("NPS", lambda v: f"{v:.0f}"),
    "ces": ("CES", lambda v: f"{v:.2f}"),
}


def shown_time(taken: str) -> str:
    """A snapshot's time as people read it: "2026-12-02 15:28 UTC" for "2026-12-02T15:28:29+00:00", a date
    alone as it is, any other text as it is. The History sheet and the results JSON keep the ISO form."""
    try:
        when = dt.datetime.fromisoformat(taken)
    except ValueError:
        return taken
    if len(taken.strip()) <= len("2026-12-02"):
        return taken.strip()
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%d %H:%M") + (" UTC" if when.tzinfo is not None else "")


def what_changed(last: Snapshot | None, current: Snapshot, alpha: float = ALPHA) -> list[ChangeNote]:
    """What changed from `last` (the latest snapshot before this run) to `current`, in a fixed order: metrics
    and pain indexes stage by stage, then the top 5, then pain points."""
    if last is None:
        return []
    before = {s.stage: s for s in last.stages}
    tests: list[tuple[str, str, Estimate, Estimate, float]] = []
    notes: list[ChangeNote] = []
    for s in current.stages:
        old = before.get(s.stage)
        if old is None:
            continue
        for name in _ESTIMATE_COLUMNS:
            a, b = getattr(old, name), getattr(s, name)
            p = _metric_test(name, a, b)
            if not math.isnan(p):
                tests.append((s.stage, name, a, b, p))
    adjusted = holm([t[4] for t in tests])
    for (stage, name, a, b, _p), q in zip(tests, adjusted, strict=True):
        if q <= alpha:
            label, show = _SHOWN[name]
            verb = "rose" if b.value > a.value else "fell"
            notes.append(
                ChangeNote(
                    ChangeKind.METRIC,
                    stage,
                    f"{stage} {label} {verb} from {show(a.value)} to {show(b.value)} since {shown_time(last.taken)} "
                    f"({a.n:,} and {b.n:,} answers; significant)",
                    a.value,
                    b.value,
                    q,
                )
            )
    since = shown_time(last.taken)
    for s in current.stages:
        old = before.get(s.stage)
        if old is not None and abs(s.pain_index - old.pain_index) >= PAIN_INDEX_STEP:
            verb = "rose" if s.pain_index > old.pain_index else "fell"
            notes.append(
                ChangeNote(
                    ChangeKind.PAIN_INDEX,
                    s.stage,
                    f"{s.stage}'s pain index {verb} from {old.pain_index:.0f} to {s.pain_index:.0f} since {since}",
                    old.pain_index,
                    s.pain_index,
                )
            )
    for rank, rec in enumerate(current.top5, start=1):
        if rec not in last.top5:
            notes.append(ChangeNote(ChangeKind.ENTERED_TOP, rec, f"{rec} entered the top {TOP} at rank {rank}"))
    for rec in last.top5:
        if rec not in current.top5:
            notes.append(ChangeNote(ChangeKind.LEFT_TOP, rec, f"{rec} left the top {TOP}"))
    old_pains, new_pains = set(last.pain_point_ids), set(current.pain_point_ids)
    notes += [ChangeNote(ChangeKind.PAIN_ADDED, p, f"Pain point {p} is new") for p in sorted(new_pains - old_pains)]
    notes += [
        ChangeNote(
            ChangeKind.PAIN_RESOLVED, p, f"Pain point {p} is resolved (no longer on the {Sheet.PAIN_POINTS} sheet)"
        )
        for p in sorted(old_pains - new_pains)
    ]
    return notes
