"""Analytics event logs to journeys: who reached which stage, when, and in which order.

An event log has one row per event (customer, event or page, time, and often a channel). Each event
belongs to a stage (by the EvidenceSources rows that map events to stages, or because the event is
named like a stage). From that, per stage: distinct customers who reached it (the funnel's Entered)
and who went on to a later stage (Completed); between consecutive stages the time customers took
(median and 90th percentile); and how customers really moved: the most common stage sequences, who
skipped a stage, who went back. Vectorised over the events; only distinct event names, the distinct
stage sequences that can make the top and the rare very long ones are looked at in Python.
"""

from __future__ import annotations

import fnmatch
import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from addin.core.contract import Col, Sheet, norm
from addin.core.journey import Journey
from addin.core.results import EventJourney, Path, Transition
from addin.core.rules import Rule
from addin.core.sources.dates import column_dates, parse_times
from addin.core.sources.spec import SourceRow
from addin.core.sources.surveys import LoadedSource
from addin.core.validation.findings import Findings
from addin.core.words import counted

TOP_PATHS = 10
"""How many of the most common stage sequences are reported."""


def funnel_frame(log: EventJourney) -> pd.DataFrame:
    """An event log's funnel in the Funnel sheet's shape (Stage, Entered, Completed)."""
    return pd.DataFrame(list(log.funnel), columns=[Col.STAGE, Col.ENTERED, Col.COMPLETED])


def _stage_of_events(
    names: Sequence[object], rows: Sequence[SourceRow], journey: Journey
) -> tuple[np.ndarray, list[str]]:
    """Stage index per distinct event name (-1 = none) and the names that belong to no stage.

    A row's Question is an event name or a pattern (`/product/*`); its Stage the stage those events
    belong to. With no such rows, an event named like a stage belongs to it.
    """
    stage_index = {norm(s): i for i, s in enumerate(journey.stages)}
    mapping = [(norm(r.question), stage_index.get(norm(r.stage.value or ""), -1)) for r in rows if r.question]
    out = np.full(len(names), -1, dtype=np.int64)
    unmapped = []
    for i, name in enumerate(names):
        key = norm(name)
        for pattern, stage in mapping:
            if stage >= 0 and (key == pattern or ("*" in pattern and fnmatch.fnmatchcase(key, pattern))):
                out[i] = stage
                break
        else:
            if not mapping and key in stage_index:
                out[i] = stage_index[key]
            elif str(name).strip():
                unmapped.append(str(name))
    return out, unmapped


def _times(source: LoadedSource, name: str, rows: Sequence[SourceRow], found: Findings) -> np.ndarray:
    """Event times as UTC nanoseconds since 1970 (int64; none -> minimum int64), in the order the whole time
    column is written in (`dates.column_dates`: ISO 8601, or day or month first); a column of both is a
    finding naming the file and the column, as for a survey's dates."""
    values = source.frame[name]
    iso = pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")
    if iso.notna().mean() >= 0.5:  # the usual log, its times nearly all distinct: parsed once, as they are
        return iso.dt.tz_convert(None).to_numpy(dtype="datetime64[ns]").astype(np.int64)
    told = column_dates(values)
    if told.mixed:
        found.add(
            Rule.SOURCE_MIXED_DATES,
            Sheet.EVIDENCE_SOURCES.value,
            rows[0].cell(Col.FILE) if rows else "",
            f"{source.name}, column {name}: some times can only be day first ({told.day_first}), others only "
            f"month first ({told.month_first}). All are read {told.order}; left out: "
            f"{counted(told.unreadable, 'event')} timed the other way.",
            f"Export the log again with ISO 8601 times (2026-03-25T10:05:00Z), or correct the times in column {name}.",
        )
    return parse_times(values, told.order)


def journey_from_events(
    source: LoadedSource, rows: Sequence[SourceRow], journey: Journey, found: Findings
) -> EventJourney:
    """The funnel, times between stages and real paths of an event log."""
    roles = source.header.roles
    frame = source.frame
    stage_col = next((r.stage.column for r in rows if r.stage.column), None)
    stages = journey.stages
    if stage_col is not None:
        codes, uniques = pd.factorize(frame[stage_col], sort=False)
        index = {norm(s): i for i, s in enumerate(stages)}
        table = np.array([index.get(norm(u), -1) for u in uniques] + [-1], dtype=np.int64)
        unmapped = [str(u) for u in uniques if norm(u) not in index and str(u).strip()]
    else:
        codes, uniques = pd.factorize(frame[roles["event"]], sort=False)
        table, unmapped = _stage_of_events(list(uniques), rows, journey)
        table = np.append(table, -1)
    stage = table[codes]
    if unmapped:
        shown = ", ".join(f"'{u}'" for u in unmapped[:5]) + (
            f" and {len(unmapped) - 5} more" if len(unmapped) > 5 else ""
        )
        found.add(
            Rule.SOURCE_UNMAPPED_EVENT,
            Sheet.EVIDENCE_SOURCES.value,
            rows[0].cell(Col.QUESTION) if rows else "",
            f"{source.name}: {len(unmapped):,} kinds of event belong to no stage ({shown}); they are left out.",
            "Add a row per event (Question = the event or a pattern such as /product/*, Stage = its stage).",
        )
    customer, _ = pd.factorize(frame[roles["customer"]], sort=False)
    time = _times(source, roles["time"], rows, found)
    ok = (stage >= 0) & (customer >= 0) & (time != np.iinfo(np.int64).min)
    events = pd.DataFrame({"c": customer[ok], "s": stage[ok], "t": time[ok]})
    n_stages = len(stages)
    if events.empty:
        zero = tuple((s, 0, 0) for s in stages)
        return EventJourney(source.name, 0, 0, zero, (), (), tuple((s, 0) for s in stages), 0, 0)
    first = events.groupby(["c", "s"], sort=False)["t"].min().unstack("s")
    first = first.reindex(columns=range(n_stages))
    reached = first.notna().to_numpy()
    times = first.to_numpy(dtype=float)
    funnel = []
    later_reached = np.zeros(len(first), dtype=bool)
    completed_counts = [0] * n_stages
    for s in range(n_stages - 1, -1, -1):
        completed_counts[s] = (
            int((reached[:, s] & later_reached).sum()) if s < n_stages - 1 else int(reached[:, s].sum())
        )
        later_reached |= reached[:, s]
    for s, name in enumerate(stages):
        funnel.append((name, int(reached[:, s].sum()), completed_counts[s]))
    transitions = []
    for s in range(n_stages - 1):
        both = reached[:, s] & reached[:, s + 1]
        delta = (times[both, s + 1] - times[both, s]) / 3.6e12
        delta = delta[delta >= 0]
        if len(delta):
            transitions.append(
                Transition(
                    stages[s], stages[s + 1], len(delta), float(np.median(delta)), float(np.quantile(delta, 0.9))
                )
            )
    skipped = []
    for s in range(n_stages):
        later = reached[:, s + 1 :].any(axis=1) if s < n_stages - 1 else np.zeros(len(first), dtype=bool)
        skipped.append((stages[s], int((later & ~reached[:, s]).sum())))
    paths, went_back, in_order = _paths(events, stages)
    return EventJourney(
        source.name,
        len(first),
        int(ok.sum()),
        tuple(funnel),
        tuple(transitions),
        paths,
        tuple(skipped),
        went_back,
        in_order,
    )


def _paths(events: pd.DataFrame, stages: Sequence[str]) -> tuple[tuple[Path, ...], int, int]:
    """The most common stage sequences, how many customers went back, and how many followed the map's order.

    Vectorised over the events (customers are the groups of a sorted array); only the distinct sequences that
    can make the top and the rare very long ones are looked at in Python."""
    ordered = events.sort_values(["c", "t", "s"], kind="stable")
    c = ordered["c"].to_numpy()
    s = ordered["s"].to_numpy().astype(np.int64)
    new = np.ones(len(c), dtype=bool)
    new[1:] = (c[1:] != c[:-1]) | (s[1:] != s[:-1])
    c, s = c[new], s[new]
    same = np.zeros(len(c), dtype=bool)
    same[1:] = c[1:] == c[:-1]
    step = np.zeros(len(c), dtype=np.int64)
    step[1:] = s[1:] - s[:-1]
    group = np.cumsum(~same) - 1
    customers = int((~same).sum())
    went_back = int((np.bincount(group[same & (step < 0)], minlength=customers) > 0).sum())
    off = (same & (step != 1)) | (~same & (s != 0))
    off_order = int((np.bincount(group[off], minlength=customers) > 0).sum())
    top = _top_sequences(s, np.flatnonzero(~same), len(stages))
    paths = tuple(
        Path(
            tuple(stages[i] for i in key),
            n,
            n / customers,
            key[0] == 0 and all(b - a == 1 for a, b in itertools.pairwise(key)),
        )
        for key, n in top
    )
    return paths, went_back, customers - off_order


def _top_sequences(s: np.ndarray, starts: np.ndarray, n_stages: int) -> list[tuple[tuple[int, ...], int]]:
    """The `TOP_PATHS` most common sequences (most customers first, then by the stages) of the customers whose
    sequences start at `starts` in `s` (stage codes 0..n_stages-1).

    A sequence short enough is one int64: its stages + 1 as the digits of a number in base n_stages + 1,
    the first stage the lowest digit (no digit is 0, so every sequence has its own number), and the numbers
    are counted by `np.unique`. Longer sequences (past 22 stages for 6 stages) are counted one by one."""
    base = n_stages + 1
    width = max(1, int(62 / np.log2(base)))
    lengths = np.diff(np.append(starts, len(s)))
    position = np.arange(len(s)) - np.repeat(starts, lengths)
    short = lengths <= width
    digits = np.where(np.repeat(short, lengths), (s + 1) * np.power(base, np.minimum(position, width - 1)), 0)
    numbers = np.add.reduceat(digits, starts)[short] if len(starts) else np.zeros(0, dtype=np.int64)
    distinct, counts = np.unique(numbers, return_counts=True)
    tally: dict[tuple[int, ...], int] = {}
    for a in np.flatnonzero(~short):
        key = tuple(int(x) for x in s[starts[a] : starts[a] + lengths[a]])
        tally[key] = tally.get(key, 0) + 1
    if len(counts):
        # a short sequence counted less often than the TOP_PATHS-th most common short one cannot make the top
        floor = np.sort(counts)[::-1][min(TOP_PATHS, len(counts)) - 1]
        for number, n in zip(distinct[counts >= floor].tolist(), counts[counts >= floor].tolist(), strict=True):
            seq: list[int] = []
            while number:
                number, digit = divmod(number, base)
                seq.append(digit - 1)
            tally[tuple(seq)] = int(n)
    return sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_PATHS]
