"""An event log with known paths gives the known funnel, times between stages and sequences."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.adapters import source_files
from addin.core.contract import Col
from addin.core.model import RawSheet
from addin.core.validation import validate
from tests.sources import exports
from tests.sources.conftest import read, with_sources

# Stages of the worked example: Browse, Buy, Use.
EVENTS = [
    # c1: Browse -> Buy -> Use, 2 h then 24 h
    ("c1", "view_product", "2026-03-01T10:00:00Z", "web"),
    ("c1", "view_product", "2026-03-01T10:30:00Z", "web"),
    ("c1", "checkout", "2026-03-01T12:00:00Z", "web"),
    ("c1", "open_app", "2026-03-02T12:00:00Z", "app"),
    # c2: Browse -> Buy, 4 h, then stops
    ("c2", "view_product", "2026-03-01T09:00:00Z", "web"),
    ("c2", "checkout", "2026-03-01T13:00:00Z", "web"),
    # c3: Browse only
    ("c3", "view_product", "2026-03-01T08:00:00Z", "app"),
    # c4: skips Buy (Browse -> Use), then goes back to Browse
    ("c4", "view_product", "2026-03-01T08:00:00Z", "web"),
    ("c4", "open_app", "2026-03-01T09:00:00Z", "app"),
    ("c4", "view_product", "2026-03-01T10:00:00Z", "web"),
    # c5: Buy directly (skips Browse), 6 h to Use
    ("c5", "checkout", "2026-03-01T08:00:00Z", "web"),
    ("c5", "open_app", "2026-03-01T14:00:00Z", "app"),
    # an event that belongs to no stage
    ("c1", "newsletter_signup", "2026-03-01T11:00:00Z", "email"),
]
MAPPING = [
    {"File": "events.csv", "Format": "events", "Question": "view_product", "Stage": "Browse"},
    {"File": "events.csv", "Format": "events", "Question": "checkout", "Stage": "Buy"},
    {"File": "events.csv", "Format": "events", "Question": "open_*", "Stage": "Use"},
]


def test_known_paths_give_the_known_funnel_times_and_sequences(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_bytes(exports.event_log(EVENTS))
    journey, findings = read(tmp_path, MAPPING)
    (log,) = journey.event_journeys
    assert log.customers == 5 and log.events == 12
    # Entered = distinct customers reaching the stage; Completed = went on to a later stage.
    assert log.funnel == (("Browse", 4, 3), ("Buy", 3, 2), ("Use", 3, 3))
    assert journey.funnel[Col.ENTERED].tolist() == [4, 3, 3]
    times = {(t.from_stage, t.to_stage): t for t in log.transitions}
    assert times[("Browse", "Buy")].customers == 2
    assert times[("Browse", "Buy")].median_hours == pytest.approx(3.0)  # 2 h and 4 h
    assert times[("Buy", "Use")].customers == 2
    assert times[("Buy", "Use")].median_hours == pytest.approx(15.0)  # 24 h and 6 h
    assert times[("Buy", "Use")].p90_hours == pytest.approx(6 + 0.9 * 18)
    paths = {p.stages: p for p in log.paths}
    assert paths[("Browse", "Buy", "Use")].customers == 1 and paths[("Browse", "Buy", "Use")].in_map_order
    assert paths[("Browse", "Use", "Browse")].customers == 1
    assert not paths[("Browse", "Use", "Browse")].in_map_order
    assert sum(p.customers for p in log.paths) == 5
    assert dict(log.skipped) == {"Browse": 1, "Buy": 1, "Use": 0}
    assert log.went_back == 1
    assert log.in_order == 3  # c1, c2, c3; c5 starts at Buy (it skipped Browse), c4 goes back
    unmapped = [f for f in findings if f.rule == "V06"]
    assert len(unmapped) == 1 and "'newsletter_signup'" in unmapped[0].message


def test_events_named_like_stages_need_no_mapping(tmp_path: Path) -> None:
    events = [
        ("u1", "Browse", "2026-03-01T10:00:00Z", "web"),
        ("u1", "Buy", "2026-03-01T11:00:00Z", "web"),
        ("u2", "browse", "2026-03-01T10:00:00Z", "web"),
    ]
    (tmp_path / "ev.csv").write_bytes(exports.event_log(events, delimiter=";"))
    journey, _findings = read(tmp_path, [{"File": "ev.csv"}])
    (log,) = journey.event_journeys
    assert log.funnel == (("Browse", 2, 1), ("Buy", 1, 0), ("Use", 0, 0))


def test_an_event_log_replaces_the_funnel_sheet_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_bytes(exports.event_log(EVENTS))
    raw = with_sources(MAPPING)
    raw.sheets["Funnel"] = RawSheet("Funnel", [["Stage", "Entered", "Completed"], ["Browse", 100, 50]])
    journey, findings = validate(raw, functools.partial(source_files.load, base=tmp_path))
    assert [f.rule for f in findings if f.rule == "V07"] == ["V07"]
    assert journey.funnel[Col.ENTERED].tolist() == [4, 3, 3]


def test_the_heatmap_sheet_says_how_customers_really_move(tmp_path: Path) -> None:
    from addin.core import pipeline

    (tmp_path / "events.csv").write_bytes(exports.event_log(EVENTS))
    result = pipeline.run(with_sources(MAPPING), functools.partial(source_files.load, base=tmp_path))
    assert result.results is not None and result.results.event_logs[0].customers == 5
    heat = next(s for s in result.outputs if s.name == "Heatmap")
    texts = [c.value for c in heat.cells.values() if isinstance(c.value, str)]
    assert "How customers really move: events.csv (5 customers)" in texts
    assert "Browse > Use > Browse" in texts
    assert any(t.startswith("3 customers (60%) follow the map's order") for t in texts)
    from addin.core.results_json import dumps

    assert '"went_back": 1' in dumps(result.results)


def _written(events: list[tuple[str, str, str, str]], form: str) -> list[tuple[str, str, str, str]]:
    """The same events with their times written as a tool with a UK (`%d/%m/%Y`) or US account would."""
    return [(c, e, pd.Timestamp(t).strftime(form), ch) for c, e, t, ch in events]


@pytest.mark.parametrize("form", ["%d/%m/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%d.%m.%Y %H:%M:%S"])
def test_times_of_numbers_are_read_in_the_order_their_column_shows(tmp_path: Path, form: str) -> None:
    later = [
        (c, e, t.replace("2026-03-01", "2026-03-13").replace("2026-03-02", "2026-03-14"), ch) for c, e, t, ch in EVENTS
    ]
    (tmp_path / "iso.csv").write_bytes(exports.event_log(later))
    (tmp_path / "events.csv").write_bytes(exports.event_log(_written(later, form)))
    iso, _ = read(tmp_path, [{**m, "File": "iso.csv"} for m in MAPPING])
    local, findings = read(tmp_path, MAPPING)
    assert not [f for f in findings if f.rule == "V08"]
    assert local.event_journeys[0].transitions == iso.event_journeys[0].transitions
    assert (
        local.event_journeys[0].funnel
        == iso.event_journeys[0].funnel
        == (("Browse", 4, 3), ("Buy", 3, 2), ("Use", 3, 3))
    )


def test_a_time_column_of_both_orders_is_a_warning_naming_file_and_column(tmp_path: Path) -> None:
    events = [("u1", "view_product", "13/03/2026 10:00", "web"), ("u1", "checkout", "03/14/2026 11:00", "web")]
    (tmp_path / "events.csv").write_bytes(exports.event_log(events))
    journey, findings = read(tmp_path, MAPPING)
    (mixed,) = [f for f in findings if f.rule == "V08"]
    assert mixed.sheet == "EvidenceSources" and mixed.cell.startswith("A")
    assert "events.csv, column timestamp" in mixed.message and "left out: 1 event timed the other way." in mixed.message
    # read month first, the default: the month-first checkout counts, the day-first view cannot be read
    assert journey.event_journeys[0].funnel == (("Browse", 0, 0), ("Buy", 1, 0), ("Use", 0, 0))


def _reference_paths(events: pd.DataFrame, stages: list[str]) -> tuple[list[tuple[tuple[str, ...], int]], int, int]:
    """The paths counted customer by customer, as the definition says (the vectorised code must agree)."""
    sequences = {}
    for customer, rows in events.sort_values(["c", "t", "s"], kind="stable").groupby("c", sort=True):
        seq = [int(x) for x in rows["s"]]
        sequences[customer] = [x for i, x in enumerate(seq) if i == 0 or x != seq[i - 1]]
    counts: dict[tuple[int, ...], int] = {}
    for seq in sequences.values():
        counts[tuple(seq)] = counts.get(tuple(seq), 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    back = sum(any(b < a for a, b in itertools.pairwise(q)) for q in sequences.values())
    ordered = sum(q[0] == 0 and all(b - a == 1 for a, b in itertools.pairwise(q)) for q in sequences.values())
    return [(tuple(stages[i] for i in k), n) for k, n in top], back, ordered


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_paths_agree_with_counting_customer_by_customer(seed: int) -> None:
    from addin.core.sources.events import _paths

    rng = np.random.default_rng(seed)
    n_stages = int(rng.choice([2, 6, 14, 40]))
    stages = [f"S{i}" for i in range(n_stages)]
    lengths = rng.integers(1, 6, 400)
    lengths[:3] = [60, 45, 200]  # sequences too long for one number: counted one by one
    customer = np.repeat(rng.permutation(400), lengths)
    stage = rng.integers(0, min(n_stages, 3), len(customer))  # few stages used: sequences repeat
    time = rng.integers(0, 50, len(customer))  # ties in time, broken by stage
    events = pd.DataFrame({"c": customer, "s": stage, "t": time})
    paths, went_back, in_order = _paths(events, stages)
    want, want_back, want_ordered = _reference_paths(events, stages)
    assert [(p.stages, p.customers) for p in paths] == want
    assert (went_back, in_order) == (want_back, want_ordered)
