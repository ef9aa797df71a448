"""Time the OOXML splice on a big user workbook (about 30 MB, one sheet of 500,000 rows).

Usage: python benchmarks/bench_ooxml.py [--rows 500000] [--openpyxl]
The target is built once with XlsxWriter into benchmarks/out/ and reused. --openpyxl also times a plain
openpyxl load+save of the same book, the approach the splice replaces.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import time
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "adapters")]

from ooxml_builders import OUTPUT_SHEETS, build_donor  # noqa: E402

from addin.adapters.ooxml import replace_sheets  # noqa: E402


def build_big(path: Path, rows: int) -> None:
    rng = random.Random(7)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    data = wb.add_worksheet("Journey")
    wb.add_worksheet("Heatmap").write("A1", "old heatmap")
    data.write_row(0, 0, ["ID", "Stage", "Touchpoint", "Severity", "Frequency", "Score", "Reach", "Effort"])
    stages = ["Aware", "Consider", "Buy", "Use", "Support", "Leave"]
    for r in range(1, rows + 1):
        data.write_row(
            r,
            0,
            [f"P{r:07d}", rng.choice(stages), f"Touchpoint {rng.randrange(400)}", rng.randint(1, 5),
             rng.random() * 100, rng.random(), rng.randrange(10_000), rng.random() * 8],
        )  # fmt: skip
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl load+save")
    args = parser.parse_args()
    out_dir = ROOT / "benchmarks" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"big-{args.rows}.xlsx"
    if not target.exists():
        t0 = time.perf_counter()
        build_big(target, args.rows)
        print(f"built {target.name} in {time.perf_counter() - t0:.1f} s")
    donor = build_donor()
    print(f"target {target.stat().st_size / 1e6:.1f} MB, {args.rows:,} rows; donor {len(donor) / 1e3:.0f} kB")
    runs = []
    for i in range(3):
        t0 = time.perf_counter()
        replace_sheets(target, donor, OUTPUT_SHEETS, out_dir / f"spliced-{i}.xlsx")
        runs.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    each = ", ".join(f"{r:.2f}" for r in runs)
    print(f"replace_sheets: best {min(runs):.2f} s (runs {each}); peak RSS {peak:.0f} MB")
    if args.openpyxl:
        import openpyxl

        t0 = time.perf_counter()
        wb = openpyxl.load_workbook(target)
        wb.save(io.BytesIO())
        print(f"openpyxl load+save: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
