"""Evidence at scale: `regenerate` over 1, 10 and 100 million rows of Parquet against a bare DuckDB
GROUP BY of the same statistics over the same files, and Spark in local mode for 10 million.

Usage: python benchmarks/bench_evidence_scale.py [--millions 1 10 100] [--spark 10] [--json PATH]

For each size N the script writes N rows of Evidence-layout Parquet (20 files), a copy of the
online-shop example whose EvidenceSources sheet lists them, and then runs, each in a fresh process:

- `python -m addin regenerate BOOK` (DuckDB, the default engine): wall time and peak memory
  (that child's own ru_maxrss, from wait4);
- the baseline: a Python process that imports duckdb and runs the same statistics as one
  `SELECT ... GROUP BY` over `read_parquet('…/*.parquet')`, per group and month of the Date (what the
  add-in's engine query returns for the overall numbers and the trends).

The ratio of the two times is the add-in's overhead (reading and writing the workbook, analysis,
charts): a fixed cost that matters at 1 million rows and not at 100. Goal: at most 1.5 x the
baseline at the largest size, and peak memory flat (the largest size within 1.25 x the smallest).
With --spark N, the same regenerate with Engine = local[2] is timed for that size.
Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This process only starts and times the others: it imports nothing heavy, so its own pages (which a
# child's ru_maxrss counts from the fork until exec) stay small. Data is written by a --prepare child.

FILES = 20
DAY0 = 20454  # 2026-01-01 as days since 1970: each answer has a Date in 2026 (the trends group by month)
BASELINE = """
import duckdb, sys
con = duckdb.connect()
con.execute('''
SELECT Stage, Touchpoint, Persona, Channel, lower(trim(Metric)) AS m,
       year(Date) AS y, month(Date) AS mo, count(Score) AS n, sum(Score), sum(Score * Score),
       count_if(Score >= 4), count_if(Score >= 9), count_if(Score <= 6)
FROM read_parquet(?) GROUP BY ALL
''', [sys.argv[1]]).fetchall()
"""


def write_parquet(folder: Path, rows: int, seed: int = 5) -> None:
    """`rows` answers over the example's stages and touchpoints, in FILES files (dictionary-encoded)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    sys.path.insert(0, str(ROOT))
    from addin.authoring.examples import SHOP

    rng = np.random.default_rng(seed)
    pairs = [(s, tp, ch) for s in SHOP.stages for tp, ch in SHOP.touchpoints[s]]
    personas = [p[0] for p in SHOP.personas] + [None]
    metrics = ["CSAT", "CES", "NPS", "Emotion"]
    low, high = np.array([1, 1, 0, -2]), np.array([5, 7, 10, 2])
    per = rows // FILES
    for i in range(FILES):
        n = per if i < FILES - 1 else rows - per * (FILES - 1)
        pick = rng.integers(0, len(pairs), n)
        m = rng.integers(0, 4, n)
        score = (low[m] + np.floor(rng.random(n) * (high[m] - low[m] + 1))).astype(np.float64)

        def dictionary(codes: np.ndarray, values: list[object]) -> pa.DictionaryArray:
            return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(values, pa.string()))

        table = pa.table(
            {
                "Stage": dictionary(pick, [p[0] for p in pairs]),
                "Touchpoint": dictionary(pick, [p[1] for p in pairs]),
                "Channel": dictionary(pick, [p[2] for p in pairs]),
                "Persona": pa.array(np.array(personas, dtype=object)[rng.integers(0, len(personas), n)], pa.string()),
                "Metric": dictionary(m, metrics),
                "Score": score,
                "Date": pa.array(rng.integers(DAY0, DAY0 + 365, n).astype(np.int32), pa.date32()),
            }
        )
        pq.write_table(table, folder / f"part-{i:02d}.parquet", row_group_size=1_000_000)


def book_listing(folder: Path, engine: str) -> Path:
    from openpyxl import load_workbook

    sys.path.insert(0, str(ROOT))
    from addin.authoring import template

    path = folder / f"journey-{engine or 'duckdb'}.xlsx".replace("[", "").replace("]", "")
    template.save(template.build("online-shop"), path)
    wb = load_workbook(path)
    ws = wb["EvidenceSources"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("File") + 1, "evidence/*.parquet")
    if engine:
        ws.cell(2, header.index("Engine") + 1, engine)
    wb.save(path)
    return path


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and the child's own peak memory (MB, from wait4: no other child counts)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1) or b"Traceback" in err:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}")
    return seconds, usage.ru_maxrss / 1024


def prepare(folder: Path, rows: int) -> None:
    """The --prepare child: the Parquet files and the two workbooks listing them."""
    (folder / "evidence").mkdir()
    write_parquet(folder / "evidence", rows)
    book_listing(folder, "")
    book_listing(folder, "local[2]")


def measure(millions: int, spark: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run(
            [sys.executable, __file__, "--prepare", str(folder), str(millions * 1_000_000)], check=True, cwd=ROOT
        )
        row: dict[str, object] = {"rows_millions": millions}
        base_s, base_mb = timed([sys.executable, "-c", BASELINE, str(folder / "evidence" / "*.parquet")], folder)
        book = folder / "journey-duckdb.xlsx"
        ours_s, ours_mb = timed([sys.executable, "-m", "addin", "regenerate", str(book), "--quiet"], folder)
        row.update(
            baseline_s=round(base_s, 2),
            regenerate_s=round(ours_s, 2),
            ratio=round(ours_s / base_s, 2),
            baseline_peak_mb=round(base_mb),
            regenerate_peak_mb=round(ours_mb),
        )
        if spark:
            spark_s, spark_mb = timed(
                [sys.executable, "-m", "addin", "regenerate", str(folder / "journey-local2.xlsx"), "--quiet"], folder
            )
            row.update(spark_s=round(spark_s, 2), spark_driver_peak_mb=round(spark_mb))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--millions", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--spark", type=int, default=10, help="size (millions) also run through Spark; 0 = none")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--prepare", nargs=2, metavar=("DIR", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(Path(args.prepare[0]), int(args.prepare[1]))
        return 0
    results = []
    for size in args.millions:
        results.append(measure(size, spark=size == args.spark))
        print(json.dumps(results[-1]), flush=True)
    ok = float(results[-1]["ratio"]) <= 1.5  # type: ignore[arg-type]
    peaks = [float(r["regenerate_peak_mb"]) for r in results]  # type: ignore[arg-type]
    flat = max(peaks) <= 1.25 * min(peaks)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(
        f"time at {results[-1]['rows_millions']} M rows: {results[-1]['ratio']} x the bare GROUP BY (goal <= 1.5 x); "
        f"regenerate's peak memory {min(peaks):.0f}-{max(peaks):.0f} MB ({'flat' if flat else 'NOT flat'})"
    )
    return 0 if ok and flat else 1


if __name__ == "__main__":
    raise SystemExit(main())
