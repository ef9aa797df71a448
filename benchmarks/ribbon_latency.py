"""How long a ribbon click waits for Python: interpreter start-up, imports, and the core's run.

Each click on the Journey Map tab starts a fresh Python process (xlwings RunPython), so
start-up and import time are paid every time. This script measures, in one run:

- `python -c "pass"`: the bare interpreter;
- `python -c "import addin.frontends.ribbon"`: what this package adds at import time
  (the ratio to the bare interpreter should stay near 1: the module imports lazily);
- `python -c "import xlwings"`: what RunPython itself imports before our code runs;
- in-process: reading an example workbook with the file adapter, the core's run
  (validate, analyse, lay out the four output sheets) and drawing its pictures.

Excel itself is not involved (none runs here): writing to a live book is not measured.
Usage: python benchmarks/ribbon_latency.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _startup(code: str, repeat: int) -> float:
    """Median wall time in seconds of `python -c code` over `repeat` runs (after one warm-up)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", code]
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _timed(func, repeat: int):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median is shown)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    rows: list[tuple[str, float, str]] = []
    bare = _startup("pass", args.repeat)
    ribbon = _startup("import addin.frontends.ribbon", args.repeat)
    xlwings = _startup("import xlwings", args.repeat)
    rows.append(('python -c "pass"', bare, "1.00x"))
    rows.append(('python -c "import addin.frontends.ribbon"', ribbon, f"{ribbon / bare:.2f}x"))
    rows.append(('python -c "import xlwings" (RunPython pays this)', xlwings, f"{xlwings / bare:.2f}x"))

    try:
        from addin.adapters.xlsx_reader import read_workbook
        from addin.authoring import template
        from addin.core import pipeline
    except ImportError as exc:  # the core is not there yet
        rows.append((f"core run skipped: {exc}", float("nan"), ""))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "online-shop.xlsx"
            template.save(template.build("online-shop"), path)
            read_s, raw = _timed(lambda: read_workbook(path), args.repeat)
            run_s, result = _timed(lambda: pipeline.run(raw), args.repeat)
        pictures = [p for out in result.outputs for p in out.pictures]
        draw_s, _ = _timed(lambda: [p.figure() for p in pictures], 1)
        rows.append(("read example workbook (online-shop.xlsx), in-process", read_s, ""))
        rows.append(("core run: validate, analyse, 4 output sheets", run_s, ""))
        rows.append((f"draw the {len(pictures)} matplotlib pictures", draw_s, ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'measurement'.ljust(width)}  {'median s':>9}  {'ratio':>6}")
    for name, seconds, ratio in rows:
        print(f"{name.ljust(width)}  {seconds:9.3f}  {ratio:>6}")
    python = sys.version.split()[0]
    print(f"\n{args.repeat} runs each; Python {python} on {sys.platform}, {os.cpu_count()} CPUs.")


if __name__ == "__main__":
    main()
