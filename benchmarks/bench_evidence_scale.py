"""Evidence at scale: `regenerate` over 1, 10 and 100 million rows of Parquet against a bare DuckDB
GROUP BY of the same statistics over the same files, and Spark in local mode for 10 million.

Usage: python benchmarks/bench_evidence_scale.py [--millions 1 10 100] [--spark 10] [--json PATH]

For each size N the script writes N rows of Evidence-layout Parquet (20 files), a copy of the
online-shop example whose EvidenceSources sheet lists them, and then runs, each in a fresh process:

- `python -m addin regenerate BOOK` (DuckDB, the default engine): wall time and peak memory
  (the child's ru_maxrss);
- the baseline: a Python process that imports duckdb and runs the same statistics as one
  `SELECT ... GROUP BY` over `read_parquet('…/*.parquet')`.

The ratio of the two times is the add-in's overhead (reading and writing the workbook, analysis,
charts): a fixed cost that matters at 1 million rows and not at 100. Goal: at most 1.5 x the
baseline at the largest size, and peak memory flat (the largest size within 1.25 x the smallest).
With --spark N, the same regenerate with Engine = local[2] is timed for that size.
Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addin.authoring import template  # noqa: E402
from addin.authoring.examples import SHOP  # noqa: E402

FILES = 20
BASELINE = """
import duckdb, sys
con = duckdb.connect()
con.execute('''
SELECT Stage, Touchpoint, Persona, Channel, lower(trim(Metric)) AS m,
       count(Score) AS n, sum(Score), sum(Score * Score),
       count_if(Score >= 4), count_if(Score >= 9), count_if(Score <= 6)
FROM read_parquet(?) GROUP BY ALL
''', [sys.argv[1]]).fetchall()
"""


def write_parquet(folder: Path, rows: int, seed: int = 5) -> None:
    """`rows` answers over the example's stages and touchpoints, in FILES files (dictionary-encoded)."""
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
            }
        )
        pq.write_table(table, folder / f"part-{i:02d}.parquet", row_group_size=1_000_000)


def book_listing(folder: Path, engine: str) -> Path:
    from openpyxl import load_workbook

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


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, the child's peak memory (MB) and its exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    # ru_maxrss of children is the largest of any child so far; fresh interpreter per size keeps it honest
    return seconds, max(peak, before) / 1024, proc.returncode


def measure(millions: int, spark: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "evidence").mkdir()
        write_parquet(folder / "evidence", millions * 1_000_000)
        row: dict[str, object] = {"rows_millions": millions}
        base_s, base_mb, _ = timed([sys.executable, "-c", BASELINE, str(folder / "evidence" / "*.parquet")], folder)
        book = book_listing(folder, "")
        ours_s, ours_mb, _ = timed([sys.executable, "-m", "addin", "regenerate", str(book), "--quiet"], folder)
        row.update(
            baseline_s=round(base_s, 2),
            regenerate_s=round(ours_s, 2),
            ratio=round(ours_s / base_s, 2),
            baseline_peak_mb=round(base_mb),
            regenerate_peak_mb=round(ours_mb),
        )
        if spark:
            spark_book = book_listing(folder, "local[2]")
            spark_s, spark_mb, _ = timed(
                [sys.executable, "-m", "addin", "regenerate", str(spark_book), "--quiet"], folder
            )
            row.update(spark_s=round(spark_s, 2), spark_driver_peak_mb=round(spark_mb))
        shutil.rmtree(folder / "evidence")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--millions", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--spark", type=int, default=10, help="size (millions) also run through Spark; 0 = none")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = []
    for size in args.millions:
        # a fresh interpreter per size, so ru_maxrss of the children is that size's alone
        if len(args.millions) > 1:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--millions",
                    str(size),
                    "--spark",
                    str(args.spark),
                    "--json",
                    "/dev/stdout",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results.append(json.loads(out[out.index("[") :])[0])
        else:
            results.append(measure(size, spark=size == args.spark))
        print(json.dumps(results[-1]), file=sys.stderr)
    ok = results[-1]["ratio"] <= 1.5  # type: ignore[operator]
    peaks = [float(r["regenerate_peak_mb"]) for r in results]  # type: ignore[arg-type]
    flat = max(peaks) <= 1.25 * min(peaks)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if len(args.millions) > 1:
        print(
            f"time at {results[-1]['rows_millions']} M rows: {results[-1]['ratio']} x (goal <= 1.5 x); "
            f"peak memory {min(peaks):.0f}-{max(peaks):.0f} MB ({'flat' if flat else 'NOT flat'})"
        )
    return 0 if (ok and flat) or len(args.millions) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
