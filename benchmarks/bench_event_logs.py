"""Time turning a large analytics event log into journeys against `pandas.read_csv` of the same file.

Usage: python benchmarks/bench_event_logs.py [--customers 1000000] [--repeat 2] [--json PATH]

The log is made by code: per customer 1 to 7 events (view_product, checkout, open_app, a newsletter
event of no stage) at ISO 8601 times, with a channel; about 4 events per customer. Timed, in this process:

- ours: everything a run does with the file: recognise it, read it, map events to stages, and compute
  the funnel, the times between stages, the ten most common stage sequences, skips and returns
  (`source_files.load` + `events.journey_from_events`);
- baseline: `pandas.read_csv(path, dtype=str)`, reading the whole file as text, as any reader that keeps
  customer IDs as written (`007` is not 7) must; also reported, the default `pandas.read_csv(path)`, which
  on pandas 3 is about 10 x faster than reading as text (it is not a fair baseline: IDs lose their zeros);
- paths: the sequences step alone (`events._paths`) against the same step counted customer by customer in
  Python (`loop_paths` below, the code before it was vectorised), on the same events.

Best of --repeat each; peak memory is tracemalloc's, in one more run. Goal: ours takes at most 3 x the baseline.
Exit status 1 when it does not.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addin.adapters import source_files  # noqa: E402
from addin.core.contract import COLUMNS, Sheet  # noqa: E402
from addin.core.model import RawSheet  # noqa: E402
from addin.core.sources import events  # noqa: E402
from addin.core.validation import validate  # noqa: E402
from addin.core.validation.findings import Findings  # noqa: E402
from tests.builders import worked_example  # noqa: E402

GOAL = 3.0
EVENTS = np.array(["view_product", "checkout", "open_app", "newsletter_signup"])
SOURCE_ROWS = [
    {"File": "events.csv", "Format": "events", "Question": "view_product", "Stage": "Browse"},
    {"File": "events.csv", "Format": "events", "Question": "checkout", "Stage": "Buy"},
    {"File": "events.csv", "Format": "events", "Question": "open_*", "Stage": "Use"},
]


def write_log(path: Path, customers: int, seed: int = 5) -> int:
    """An event log of `customers` customers; returns its number of events."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 8, customers)
    customer = np.repeat(np.arange(customers), lengths)
    step = np.minimum(np.arange(len(customer)) - np.repeat(np.cumsum(lengths) - lengths, lengths), 2)
    kind = np.where(rng.random(len(customer)) < 0.1, 3, np.minimum(step + rng.integers(-1, 2, len(customer)), 2))
    start = np.datetime64("2026-03-01T00:00:00") + rng.integers(0, 86_400 * 60, customers).astype("timedelta64[s]")
    time = np.repeat(start, lengths) + (step * 3600 + rng.integers(0, 3600, len(customer))).astype("timedelta64[s]")
    pd.DataFrame(
        {
            "user_id": np.char.add("u", customer.astype(str)),
            "event_name": EVENTS[np.maximum(kind, 0)],
            "timestamp": np.datetime_as_string(time) + "Z",
            "channel": np.array(["web", "app"])[rng.integers(0, 2, len(customer))],
        }
    ).to_csv(path, index=False)
    return len(customer)


def best(func: Callable[[], Any], repeat: int) -> tuple[float, int, Any]:
    """Best wall time of `repeat` runs without tracing (tracemalloc slows Python code, not C code, so timing
    under it would be unfair to ours), then one more run under tracemalloc for the peak; and its result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    result = func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return min(times), peak, result


def loop_paths(frame: pd.DataFrame) -> dict[tuple[int, ...], int]:
    """The stage sequences counted customer by customer (the code before `_paths` was vectorised)."""
    ordered = frame.sort_values(["c", "t", "s"], kind="stable")
    c, s = ordered["c"].to_numpy(), ordered["s"].to_numpy()
    new = np.ones(len(c), dtype=bool)
    new[1:] = (c[1:] != c[:-1]) | (s[1:] != s[:-1])
    c, s = c[new], s[new]
    bounds = np.append(np.flatnonzero(np.append(True, c[1:] != c[:-1])), len(c))
    counts: dict[tuple[int, ...], int] = {}
    for a, b in itertools.pairwise(bounds):
        key = tuple(int(x) for x in s[a:b])
        counts[key] = counts.get(key, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    raw = worked_example()
    header = [c.value for c in COLUMNS[Sheet.EVIDENCE_SOURCES]]
    body = [[row.get(c) for c in header] for row in SOURCE_ROWS]
    raw.sheets[Sheet.EVIDENCE_SOURCES.value] = RawSheet(Sheet.EVIDENCE_SOURCES.value, [header, *body])
    journey, _ = validate(raw)
    rows = journey.sources
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        path = base / "events.csv"
        n_events = write_log(path, args.customers)

        def ours() -> Any:
            (loaded,) = source_files.load("events.csv", None, rows, base)
            return events.journey_from_events(loaded, rows, journey, Findings())

        base_time, base_peak, _ = best(lambda: pd.read_csv(path, dtype=str), args.repeat)
        default_time, _, _ = best(lambda: pd.read_csv(path), args.repeat)
        our_time, our_peak, log = best(ours, args.repeat)
        size = path.stat().st_size
    rng = np.random.default_rng(1)
    lengths = rng.integers(1, 8, args.customers)
    frame = pd.DataFrame(
        {"c": np.repeat(np.arange(args.customers), lengths), "s": rng.integers(0, 3, int(lengths.sum()))}
    )
    frame["t"] = np.arange(len(frame))
    paths_time, _, _ = best(lambda: events._paths(frame, journey.stages), args.repeat)
    loop_time, _, _ = best(lambda: loop_paths(frame), args.repeat)
    ratio = our_time / base_time
    report = {
        "customers": args.customers,
        "events": n_events,
        "file_mb": round(size / 1e6, 1),
        "funnel": [list(f) for f in log.funnel],
        "baseline_s": round(base_time, 3),
        "default_read_s": round(default_time, 3),
        "ours_s": round(our_time, 3),
        "ratio": round(ratio, 2),
        "baseline_peak_mb": round(base_peak / 1e6, 1),  # pandas' Arrow strings are not all seen by tracemalloc
        "ours_peak_mb": round(our_peak / 1e6, 1),
        "paths_s": round(paths_time, 3),
        "paths_loop_s": round(loop_time, 3),
        "paths_speedup": round(loop_time / paths_time, 1),
        "goal": f"<= {GOAL}x",
    }
    for key, value in report.items():
        print(f"{key:>18}: {value}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
