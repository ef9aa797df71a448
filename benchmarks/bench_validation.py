"""Time `check` on a workbook with 500,000 evidence rows: how much validation adds on top of reading.

Usage: python benchmarks/bench_validation.py [--rows 500000] [--repeat 3] [--code DIR]

Builds (once, seeded, with XlsxWriter in constant-memory mode) into benchmarks/out/:
- `evidence-<rows>.xlsx`: the online-shop example with `rows` evidence rows (Excel dates, mixed personas);
- `evidence-<rows>-bad.xlsx`: the same, but every evidence row is broken (unknown metric, or score off
  its scale, or unknown stage, or a text that is not a date), to show the report stays readable.

Then measures, each in a fresh process so the peak memory of one does not hide in the other:
(a) `read_workbook` alone, (b) `check` = read + validate + coverage (what `python -m addin check` runs for
one file, imports excluded). Prints wall time (best of --repeat), the validation part of (b), peak resident
memory of each process, the ratio b/a, and the findings of the broken book.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

MEASURE = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from addin.adapters.xlsx_reader import read_workbook
from addin.core.pipeline import check  # imported before the clock starts, as in a running CLI
path = {path!r}
t0 = time.perf_counter()
raw = read_workbook(path)
t1 = time.perf_counter()
detail = [f.as_dict() for f in check(raw)] if {what!r} == "check" else []
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": t2 - t0, "validate": t2 - t1, "peak_mb": peak, "detail": detail}}))
"""


def build(path: Path, rows: int, *, bad: bool) -> None:
    """The online-shop example with `rows` seeded evidence rows, written fast by XlsxWriter."""
    import xlsxwriter

    sys.path.insert(0, str(ROOT))
    from addin.authoring.examples import SHOP, evidence
    from addin.core.contract import COLUMNS, Col, Sheet

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    journey = wb.add_worksheet(Sheet.JOURNEY.value)
    journey.write_row(0, 0, [Col.LANE.value, *SHOP.stages])
    for r, (lane, values) in enumerate(SHOP.lanes.items(), start=1):
        journey.write_row(r, 0, [str(lane), *values])

    def table(sheet: Sheet, data: list[tuple[object, ...]]) -> None:
        ws = wb.add_worksheet(sheet.value)
        ws.write_row(0, 0, [c.value for c in COLUMNS[sheet]])
        for r, values in enumerate(data, start=1):
            for c, value in enumerate(values):
                if value is not None:
                    ws.write(r, c, value)

    table(Sheet.PERSONAS, list(SHOP.personas))
    table(Sheet.PAIN_POINTS, list(SHOP.pain_points))
    table(Sheet.RECOMMENDATIONS, list(SHOP.recommendations))
    ws = wb.add_worksheet(Sheet.EVIDENCE.value)
    ws.write_row(0, 0, [c.value for c in COLUMNS[Sheet.EVIDENCE]])
    breakers = (
        lambda row: (row[0], row[1], row[2], row[3], row[4], "Happiness", row[6], row[7]),
        lambda row: (row[0], row[1], row[2], row[3], row[4], row[5], 99, row[7]),
        lambda row: (row[0], row[1], "Checkout page", row[3], row[4], row[5], row[6], row[7]),
        lambda row: ("last Tuesday", row[1], row[2], row[3], row[4], row[5], row[6], row[7]),
    )
    for r, row in enumerate(evidence(SHOP, rows=rows, seed=7), start=1):
        if bad:
            row = breakers[r % len(breakers)](row)
        if isinstance(row[0], str):
            ws.write_string(r, 0, row[0])
        else:
            ws.write_datetime(r, 0, row[0], date_format)
        for c in range(1, 8):
            if row[c] is not None:
                ws.write(r, c, row[c])
    table(Sheet.FUNNEL, list(SHOP.funnel))
    table(Sheet.SETTINGS, list(SHOP.settings))
    wb.close()


def measure(path: Path, what: str, code_dir: Path = ROOT) -> dict[str, object]:
    code = MEASURE.format(root=str(code_dir), path=str(path), what=what)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def best(path: Path, what: str, repeat: int, code_dir: Path) -> dict[str, object]:
    runs = [measure(path, what, code_dir) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
    fastest["peak_mb"] = max(float(r["peak_mb"]) for r in runs)  # type: ignore[arg-type]
    return fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best time counts")
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        metavar="DIR",
        help="measure the addin package of another checkout (e.g. the commit before a change)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    books = {
        "clean": OUT / f"evidence-{args.rows}.xlsx",
        "all rows bad": OUT / f"evidence-{args.rows}-bad.xlsx",
    }
    for label, path in books.items():
        if not path.exists():
            t0 = time.perf_counter()
            build(path, args.rows, bad=label != "clean")
            print(f"built {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    print(f"\n{args.rows:,} evidence rows; best of {args.repeat} runs, each in a fresh process; code in {args.code}\n")
    heads = ("read (a)", "check (b)", "b/a", "validate", "peak a", "peak b")
    print(f"{'workbook':<14}" + "".join(f"{h:>10}" for h in heads) + "  findings")
    bad_findings: list[dict[str, str]] = []
    for label, path in books.items():
        a = best(path, "read", args.repeat, args.code)
        b = best(path, "check", args.repeat, args.code)
        ta, tb, tv = (float(x) for x in (a["seconds"], b["seconds"], b["validate"]))  # type: ignore[arg-type]
        findings = b["detail"]
        assert isinstance(findings, list)
        if label != "clean":
            bad_findings = findings
        print(
            f"{label:<14}{ta:>9.2f}s{tb:>9.2f}s{tb / ta:>10.2f}{tv:>9.2f}s"
            f"{a['peak_mb']:>8.0f}MB{b['peak_mb']:>8.0f}MB  {len(findings)}"
        )
    if bad_findings:
        print("\nThe broken book's report (one line per rule once the cap is reached):")
        for f in bad_findings:
            if not f["cell"] or f["message"].startswith("..."):
                print(f"  {f['severity']:<8}{f['rule']:<5}{f['sheet']:<10}{f['message']}")


if __name__ == "__main__":
    main()
