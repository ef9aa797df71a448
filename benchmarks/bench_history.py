"""Measure what a long History costs a regenerate: the History sheet is the one output sheet that only grows,
and every run reads it, keeps its rows and writes them back.

Usage: python benchmarks/bench_history.py [--snapshots 0,1000,10000] [--repeat 2] [--json FILE]

The workbooks are the online-shop example (6 stages) with a History sheet of N snapshots (one row per stage
each, hourly through 2025, written with openpyxl; N = 0: no History sheet, the first run starts one). Each
figure is `python -m addin regenerate --out DIR` in a fresh process (wall time, peak RSS of the child), best
of --repeat, as in bench_regenerate.py. Ratios are against N = 0, measured in the same run. No goal: the
figures say how History size scales (README, "Measured").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_regenerate import EXAMPLE, best, measure  # noqa: E402

from addin.core.contract import HISTORY_COLUMNS, Sheet  # noqa: E402
from addin.core.history import Estimate, Snapshot, StageSnapshot, to_rows  # noqa: E402


def build(path: Path, snapshots: int) -> None:
    """The example with a History sheet of `snapshots` snapshots of plausible numbers."""
    import openpyxl

    wb = openpyxl.load_workbook(EXAMPLE)
    stages = [c.value for c in wb[Sheet.JOURNEY.value][1][1:] if c.value]
    if snapshots:
        ws = wb.create_sheet(Sheet.HISTORY.value)
        ws.append(list(HISTORY_COLUMNS))
        start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        for i in range(snapshots):
            stage_rows = tuple(
                StageSnapshot(
                    str(stage),
                    float((17 * i + 29 * j) % 100),
                    Estimate(0.5 + (i % 7) / 100, 120 + i % 30, 0.41, 0.6),
                    Estimate(10.0 + i % 11, 80, 2.0, 18.0),
                    Estimate(3.2, 60, 2.9, 3.5),
                    Estimate(),
                )
                for j, stage in enumerate(stages)
            )
            snap = Snapshot(
                (start + dt.timedelta(hours=i)).isoformat(), f"{i:064x}", stage_rows, ("R01", "R02"), ("P01",), 12
            )
            for row in to_rows(snap):
                ws.append([row[c] for c in HISTORY_COLUMNS])
    wb.save(path)


def run(sizes: Sequence[int], repeat: int) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        folder = Path(tmp)
        for n in sizes:
            book = folder / f"history-{n}.xlsx"
            build(book, n)
            out = folder / f"out-{n}"
            out.mkdir()
            argv = [sys.executable, "-m", "addin", "regenerate", "--out", str(out), str(book)]
            fastest = best([measure(argv) for _ in range(repeat)])
            rows.append({"snapshots": n, "rows": n * 6, "wall_s": fastest["wall_s"], "peak_mb": fastest["peak_mb"]})
    base = next((r for r in rows if r["snapshots"] == 0), rows[0])
    for r in rows:
        r["time_ratio"] = r["wall_s"] / base["wall_s"]
        r["memory_ratio"] = r["peak_mb"] / base["peak_mb"]
    return {"baseline_snapshots": base["snapshots"], "runs": rows}


def table(report: dict[str, Any]) -> str:
    lines = [f"{'snapshots':>10} {'rows':>8} {'wall s':>8} {'peak MB':>8} {'time x':>7} {'memory x':>9}"]
    for r in report["runs"]:
        lines.append(
            f"{r['snapshots']:>10,} {r['rows']:>8,} {r['wall_s']:>8.2f} {r['peak_mb']:>8.0f} "
            f"{r['time_ratio']:>7.2f} {r['memory_ratio']:>9.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", default="0,1000,10000", help="History sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    report = run([int(s) for s in args.snapshots.split(",")], args.repeat)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
