"""Time reading a 1,000,000-row survey export as evidence against `pandas.read_csv` of the same file.

Usage: python benchmarks/bench_sources.py [--rows 1000000] [--repeat 3] [--json PATH]

The file is a Qualtrics export made by code (3 header rows, 11 metadata columns, an NPS question
answered "9 - Extremely likely" style, two satisfaction questions answered in words, a free-text
question and an embedded-data column; 2 % previews and 3 % unfinished responses). Timed:

- ours: everything a run does with the file: recognise it, read the columns the EvidenceSources rows
  use, leave out previews and unfinished responses, decode the labels, and build Evidence rows with
  stage, touchpoint, persona and respondent (`source_files.load` + `surveys.evidence_rows`);
- baseline: `pandas.read_csv(path, skiprows=[1, 2])`, reading the whole file as a person would.

Both run in this process, best of --repeat each; peak memory is tracemalloc's peak of each run
(numpy and pandas report their buffers to it). Goal: ours takes at most 2 x the baseline.
Exit status 1 when it does not.
"""

from __future__ import annotations

import argparse
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
from addin.core.sources.gather import group_rows  # noqa: E402
from addin.core.sources.surveys import evidence_rows  # noqa: E402
from addin.core.validation import validate  # noqa: E402
from addin.core.validation.findings import Findings  # noqa: E402
from tests.builders import worked_example  # noqa: E402

GOAL = 2.0
SATISFACTION = np.array(
    ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"]
)


def write_export(path: Path, rows: int, seed: int = 3) -> None:
    """A Qualtrics-shaped CSV of `rows` responses."""
    rng = np.random.default_rng(seed)
    nps = rng.integers(0, 11, rows)
    nps_text = np.where(
        nps == 10, "10 - Extremely likely", np.where(nps == 0, "0 - Not at all likely", nps.astype(str))
    )
    status = np.where(rng.random(rows) < 0.02, 1, 0)
    finished = np.where(rng.random(rows) < 0.03, 0, 1)
    frame = pd.DataFrame(
        {
            "StartDate": "2026-03-01 10:00:00",
            "EndDate": "2026-03-01 10:05:00",
            "Status": status,
            "IPAddress": "10.0.0.1",
            "Progress": np.where(finished == 1, 100, 40),
            "Duration (in seconds)": rng.integers(30, 900, rows),
            "Finished": finished,
            "RecordedDate": "2026-03-01 10:05:00",
            "ResponseId": np.char.add("R_", np.arange(rows).astype(str)),
            "DistributionChannel": "email",
            "UserLanguage": "EN",
            "Q1": nps_text,
            "Q5_1": SATISFACTION[rng.integers(0, 5, rows)],
            "Q5_2": SATISFACTION[rng.integers(0, 5, rows)],
            "Q7": "Nothing to add, thank you.",
            "Persona": np.array(["Alex", "Bo", ""])[rng.integers(0, 3, rows)],
        }
    )
    texts = [
        "Start Date",
        "End Date",
        "Response Type",
        "IP Address",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "Recorded Date",
        "Response ID",
        "Distribution Channel",
        "User Language",
        "How likely are you to recommend us?",
        "Satisfaction - Checkout",
        "Satisfaction - Help centre",
        "Anything else?",
        "Persona",
    ]
    imports = [json.dumps({"ImportId": c}) for c in frame.columns]
    with path.open("w", encoding="utf-8", newline="") as fh:
        frame.head(0).to_csv(fh, index=False)
        pd.DataFrame([texts, imports]).to_csv(fh, index=False, header=False)
        frame.to_csv(fh, index=False, header=False)


SOURCE_ROWS = [
    {"File": "export.csv", "Question": "Q1", "Metric": "NPS", "Stage": "Use", "Persona": "column: Persona"},
    {"File": "export.csv", "Question": "Q5_1", "Metric": "CSAT", "Stage": "Buy", "Touchpoint": "Checkout"},
    {"File": "export.csv", "Question": "Q5_2", "Metric": "CSAT", "Stage": "Use", "Touchpoint": "Help centre"},
]


def journey_and_rows() -> tuple[Any, Any]:
    raw = worked_example()
    header = [c.value for c in COLUMNS[Sheet.EVIDENCE_SOURCES]]
    body = [[row.get(c) for c in header] for row in SOURCE_ROWS]
    raw.sheets[Sheet.EVIDENCE_SOURCES.value] = RawSheet(Sheet.EVIDENCE_SOURCES.value, [header, *body])
    journey, _ = validate(raw)
    return journey, journey.sources


def best(func: Callable[[], Any], repeat: int) -> tuple[float, int, Any]:
    """Best wall time of `repeat` runs, the largest tracemalloc peak, and the last result."""
    times, peaks, result = [], [], None
    for _ in range(repeat):
        tracemalloc.start()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        del result
        result = None
    result = func()
    return min(times), max(peaks), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        path = base / "export.csv"
        write_export(path, args.rows)
        journey, rows = journey_and_rows()

        def ours() -> Any:
            found = Findings()
            (loaded,) = source_files.load("export.csv", None, rows, base)
            return evidence_rows(loaded, next(iter(group_rows(rows).values())), journey, found)

        def baseline() -> Any:
            return pd.read_csv(path, skiprows=[1, 2])

        base_time, base_peak, frame = best(baseline, args.repeat)
        our_time, our_peak, evidence = best(ours, args.repeat)
        size = path.stat().st_size
    ratio = our_time / base_time
    report = {
        "rows": args.rows,
        "file_mb": round(size / 1e6, 1),
        "evidence_rows": len(evidence),
        "baseline_s": round(base_time, 3),
        "ours_s": round(our_time, 3),
        "ratio": round(ratio, 2),
        "baseline_peak_mb": round(base_peak / 1e6, 1),
        "ours_peak_mb": round(our_peak / 1e6, 1),
        "goal": f"<= {GOAL}x",
    }
    del frame
    for key, value in report.items():
        print(f"{key:>18}: {value}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
