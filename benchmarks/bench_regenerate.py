"""Measure `python -m addin regenerate` against a plain openpyxl load+save, start-up, and `--jobs 2`.

Usage: python benchmarks/bench_regenerate.py [--quick] [--sizes 1000,50000,500000] [--repeat 2]

Every figure comes from a fresh process, the way a user runs the add-in: wall time measured around the
child, peak memory as the child's maximum resident set size (`getrusage(RUSAGE_CHILDREN)` read in a
small wrapper process started per run, so nothing else counts). The workbooks carry the online-shop
example journey with an Evidence sheet of N generated rows, written with XlsxWriter (`constant_memory`)
and cached in benchmarks/out/. Prints a table and writes benchmarks/out/bench_regenerate[-quick].json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
EXAMPLE = ROOT / "templates" / "examples" / "online-shop.xlsx"
INPUT_SHEETS = ("Journey", "Personas", "PainPoints", "Recommendations", "Funnel", "Settings")
EVIDENCE_HEADER = ["Date", "Persona", "Stage", "Touchpoint", "Channel", "Metric", "Score", "Comment"]
HEAVY_MODULES = ("pandas", "numpy", "openpyxl", "matplotlib", "gspread", "xlwings", "python_calamine", "lxml")
GOALS = {"time_ratio": 0.5, "memory_ratio": 0.5, "startup_s": 0.3, "jobs_speedup": 1.7}
FULL_SIZES, FULL_WORKBOOKS = [1_000, 50_000, 500_000], 100
QUICK_SIZES, QUICK_WORKBOOKS = [200, 5_000], 6

# the child of the wrapper: run argv, then report wall time and the peak RSS of the child (and its own
# children, e.g. --jobs workers: the largest one) as JSON on stdout
_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "peak_kb": use.ru_maxrss, "cpu": use.ru_utime + use.ru_stime,
                  "rc": done.returncode, "err": done.stderr.decode()[-2000:]}))
"""
_OPENPYXL = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])"


# ------------------------------------------------------------------------------ workbooks


def example_rows() -> dict[str, list[list[Any]]]:
    """The input sheets of the online-shop example (values as openpyxl reads them), Evidence left out."""
    import openpyxl

    wb = openpyxl.load_workbook(EXAMPLE, read_only=True, data_only=True)
    try:
        return {name: [list(r) for r in wb[name].iter_rows(values_only=True)] for name in INPUT_SHEETS}
    finally:
        wb.close()


def evidence_columns(rows: int, seed: int = 20261127) -> dict[str, Any]:
    """Evidence for the online-shop journey, vectorised (same model as `addin.authoring.examples.evidence`)."""
    import numpy as np

    from addin.authoring.examples import SHOP
    from addin.core.contract import Lane

    rng = np.random.default_rng(seed)
    stages = np.array(SHOP.stages, dtype=object)
    personas = np.array([p[0] for p in SHOP.personas] + [None], dtype=object)
    stage_idx = rng.integers(0, len(stages), rows)
    metric_idx = rng.choice(4, rows, p=[0.45, 0.2, 0.25, 0.1])
    mood = np.array(SHOP.lanes[Lane.EMOTION], dtype=float)[stage_idx]
    noise = rng.normal(0, 1, rows)
    scores = np.select(
        [metric_idx == 0, metric_idx == 1, metric_idx == 2],
        [
            np.clip(np.rint(3.4 + 0.7 * mood + noise), 1, 5),
            np.clip(np.rint(3.5 - 0.9 * mood + 1.2 * noise), 1, 7),
            np.clip(np.rint(7 + 1.2 * mood + 1.8 * noise), 0, 10),
        ],
        np.clip(np.rint(mood + 0.8 * noise), -2, 2),
    ).astype(int)
    pick = rng.random(rows)
    touchpoint = np.empty(rows, dtype=object)
    channel = np.empty(rows, dtype=object)
    for s, stage in enumerate(SHOP.stages):
        pairs = SHOP.touchpoints[stage]
        here = stage_idx == s
        k = (pick[here] * len(pairs)).astype(int)
        touchpoint[here] = np.array([p[0] for p in pairs], dtype=object)[k]
        channel[here] = np.array([p[1] for p in pairs], dtype=object)[k]
    comments = np.array([None, None, None, "Quick and easy", "Took too long", "Confusing", "Great help"], object)
    start = dt.datetime(2026, 1, 1)
    days = rng.integers(0, 365, rows)
    return {
        "Date": [start + dt.timedelta(days=int(d)) for d in days],
        "Persona": personas[rng.integers(0, len(personas), rows)],
        "Stage": stages[stage_idx],
        "Touchpoint": touchpoint,
        "Channel": channel,
        "Metric": np.array(["CSAT", "CES", "NPS", "Emotion"], dtype=object)[metric_idx],
        "Score": scores,
        "Comment": comments[rng.integers(0, len(comments), rows)],
    }


def build_workbook(path: Path, rows: int, example: dict[str, list[list[Any]]]) -> None:
    """The online-shop journey with `rows` Evidence rows, written with XlsxWriter in constant memory."""
    import xlsxwriter

    cols = evidence_columns(rows)
    tmp = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name in INPUT_SHEETS[:4]:
        _write_rows(wb.add_worksheet(name), example[name])
    ws = wb.add_worksheet("Evidence")
    ws.write_row(0, 0, EVIDENCE_HEADER)
    ws.set_column(0, 0, 12, date_fmt)
    columns = [cols[h] for h in EVIDENCE_HEADER]
    for r in range(rows):
        ws.write_datetime(r + 1, 0, columns[0][r], date_fmt)
        for c in range(1, 8):
            value = columns[c][r]
            if value is None:
                continue
            if c == 6:
                ws.write_number(r + 1, c, int(value))
            else:
                ws.write_string(r + 1, c, value)
    for name in INPUT_SHEETS[4:]:
        _write_rows(wb.add_worksheet(name), example[name])
    wb.close()
    tmp.replace(path)


def _write_rows(ws: Any, rows: list[list[Any]]) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)


def workbook(rows: int, example: dict[str, list[list[Any]]], folder: Path = OUT) -> Path:
    """The cached workbook with `rows` Evidence rows in `folder` (built on first use)."""
    path = folder / f"journey-{rows}.xlsx"
    if not path.exists():
        t0 = time.perf_counter()
        build_workbook(path, rows, example)
        print(f"  built {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    return path


# ------------------------------------------------------------------------------ measuring


def measure(argv: Sequence[str]) -> dict[str, Any]:
    """Wall time (s), peak RSS (MB) and CPU time (s, with its own children) of `argv`, run as the child
    of a fresh wrapper process. `cores_used` = CPU time / wall time; `stalled` = share of the wall time in
    which some runnable task waited for a CPU (Linux PSI): high means other work took the cores.
    """
    wait_for_quiet()
    stall_before = cpu_stall_us()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *argv], capture_output=True, text=True, check=True, env=_env()
    )
    stall_after = cpu_stall_us()
    result = json.loads(done.stdout)
    if result["rc"] not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} failed ({result['rc']}): {result['err']}")
    stalled = None
    if stall_before is not None and stall_after is not None:
        stalled = (stall_after - stall_before) / 1e6 / result["wall"]
    return {
        "wall_s": result["wall"],
        "peak_mb": result["peak_kb"] / 1024,
        "cpu_s": result["cpu"],
        "cores_used": result["cpu"] / result["wall"],
        "stalled": stalled,
        "load": os.getloadavg()[0],
    }


def cpu_stall_us() -> int | None:
    """Microseconds so far in which some runnable task waited for a CPU (Linux PSI), or None."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return int(line.rsplit("total=", 1)[1])


QUIET = {"seconds": 0.0}
"""--wait-quiet: wait up to this long before each run for the other work on the machine to settle."""


def wait_for_quiet() -> None:
    """Wait (up to QUIET seconds) until the machine's CPUs were at least 90 % idle for the last 3 s.

    Idle, not merely free of waiting tasks: a process of someone else's that keeps one core busy
    causes no stall while we use one core, but halves what `--jobs 2` can get.
    """
    deadline = time.monotonic() + QUIET["seconds"]
    while time.monotonic() < deadline:
        before = _cpu_times()
        time.sleep(3)
        after = _cpu_times()
        if before is None or after is None:
            return
        busy = [a - b for a, b in zip(after, before, strict=True)]
        total = sum(busy)
        if total and (busy[3] + busy[4]) / total >= 0.9:  # idle + iowait
            return


def _cpu_times() -> list[int] | None:
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    return [int(v) for v in fields[1:9]]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("MPLBACKEND", "Agg")
    # one time for every run, so the History snapshot of --jobs 1 and --jobs 2 runs is the same bytes
    env.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    return env


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run (other work on the machine only ever adds time), with the highest peak memory
    of all runs (memory is not noise to be minimised away)."""
    fastest = min(runs, key=lambda r: r["wall_s"])
    return {**fastest, "peak_mb": max(r["peak_mb"] for r in runs)}


def bench_size(
    rows: int, example: dict[str, list[list[Any]]], repeat: int, folder: Path, scratch: Path
) -> dict[str, Any]:
    source = workbook(rows, example, folder)
    regen, plain = [], []
    for i in range(repeat):
        # first run on the generated file; later runs on a regenerated one (output sheets already there),
        # the steady state of a user re-running after editing
        copy = scratch / f"regen-{rows}-{i}.xlsx"
        shutil.copyfile(source, copy)
        if i > 0:
            measure([sys.executable, "-m", "addin", "regenerate", "--quiet", str(copy)])
        regen.append(measure([sys.executable, "-m", "addin", "regenerate", "--quiet", str(copy)]))
        plain.append(measure([sys.executable, "-c", _OPENPYXL, str(source), str(scratch / f"plain-{rows}.xlsx")]))
        copy.unlink()
    r, p = best(regen), best(plain)
    return {
        "rows": rows,
        "file_mb": source.stat().st_size / 1e6,
        "regenerate": r,
        "openpyxl": p,
        "time_ratio": r["wall_s"] / p["wall_s"],
        "memory_ratio": r["peak_mb"] / p["peak_mb"],
        "runs": {"regenerate": regen, "openpyxl": plain},
    }


def bench_startup(repeat: int = 5) -> dict[str, Any]:
    def best_of(argv: list[str]) -> float:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=_env())
            times.append(time.perf_counter() - t0)
        return min(times)

    help_s = best_of([sys.executable, "-m", "addin", "--help"])
    pass_s = best_of([sys.executable, "-c", "pass"])
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "addin", "--help"], capture_output=True, text=True, env=_env()
    ).stderr
    imported = {line.split("|")[-1].strip() for line in trace.splitlines() if line.startswith("import time:")}
    heavy = sorted(m for m in HEAVY_MODULES if m in imported)
    return {"help_s": help_s, "python_pass_s": pass_s, "ratio": help_s / pass_s, "heavy_imports": heavy}


def bench_jobs(count: int, repeat: int, scratch: Path) -> dict[str, Any]:
    """Regenerate `count` small workbooks (the online-shop example) with --jobs 1 and --jobs 2, interleaved."""
    from addin.authoring import template

    folder = scratch / "many"
    folder.mkdir()
    first = folder / "journey-000.xlsx"
    template.save(template.build("online-shop"), first)
    for i in range(1, count):
        shutil.copyfile(first, folder / f"journey-{i:03d}.xlsx")
    runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for i in range(repeat):  # interleaved, so a burst of other work on the machine hits both alike
        for jobs in (1, 2):
            dest = scratch / f"jobs-{jobs}-{i}"
            argv = [sys.executable, "-m", "addin", "regenerate", "--quiet", "--jobs", str(jobs), "--out", str(dest)]
            runs[jobs].append(measure([*argv, str(folder)]))
    same = all(
        (scratch / "jobs-1-0" / f.name).read_bytes() == (scratch / "jobs-2-0" / f.name).read_bytes()
        for f in folder.iterdir()
    )
    one, two = best(runs[1]), best(runs[2])
    return {
        "workbooks": count,
        "cores": os.cpu_count(),
        "jobs1": one,
        "jobs2": two,
        "speedup": one["wall_s"] / two["wall_s"],
        "identical_output": same,
        "runs": {"jobs1": runs[1], "jobs2": runs[2]},
    }


# ------------------------------------------------------------------------------ report


def table(results: dict[str, Any]) -> str:
    lines = [
        "| workbook | regenerate | openpyxl load+save | time ratio | memory ratio |",
        "|---|---|---|---|---|",
    ]
    for s in results["sizes"]:
        r, p = s["regenerate"], s["openpyxl"]
        lines.append(
            f"| {s['rows']:,} evidence rows ({s['file_mb']:.1f} MB) "
            f"| {r['wall_s']:.2f} s, {r['peak_mb']:.0f} MB | {p['wall_s']:.2f} s, {p['peak_mb']:.0f} MB "
            f"| {s['time_ratio']:.2f} | {s['memory_ratio']:.2f} |"
        )
    st, jb = results["startup"], results["jobs"]
    heavy = ", ".join(st["heavy_imports"]) or "none"
    largest = max(results["sizes"], key=lambda s: s["rows"])
    low, high = results["load_1min"]
    lines += [
        "",
        "| measure | value | goal |",
        "|---|---|---|",
        f"| largest ({largest['rows']:,} rows): time ratio / memory ratio | {largest['time_ratio']:.2f} / "
        f"{largest['memory_ratio']:.2f} | <= {GOALS['time_ratio']} / <= {GOALS['memory_ratio']} |",
        f"| `python -m addin --help` (best of 5) | {st['help_s']:.3f} s ({st['ratio']:.2f}x `python -c pass` "
        f"= {st['python_pass_s']:.3f} s) | < {GOALS['startup_s']} s |",
        f"| heavy modules imported by --help | {heavy} | none |",
        f"| `--jobs 2` vs `--jobs 1`, {jb['workbooks']} workbooks | {jb['jobs1']['wall_s']:.1f} s -> "
        f"{jb['jobs2']['wall_s']:.1f} s = {jb['speedup']:.2f}x (CPU {jb['jobs1']['cpu_s']:.0f} s / "
        f"{jb['jobs2']['cpu_s']:.0f} s; same files: {'yes' if jb['identical_output'] else 'NO'}) "
        f"| >= {GOALS['jobs_speedup']}x |",
        f"| `--jobs` runs: cores used (CPU s / wall s), 1 then 2 | {_show(jb, 'cores_used', '.2f')} | |",
        f"| `--jobs` runs: time stalled by other work (PSI), 1 then 2 | {_show(jb, 'stalled', '.0%')} | |",
        f"| machine load (1-min average) after the runs | {low:.1f} to {high:.1f} on {os.cpu_count()} cores | |",
    ]
    return "\n".join(lines)


def _show(jobs: dict[str, Any], key: str, fmt: str) -> str:
    def one(runs: list[dict[str, Any]]) -> str:
        return " ".join("n/a" if r[key] is None else format(r[key], fmt) for r in runs)

    return f"{one(jobs['runs']['jobs1'])}; {one(jobs['runs']['jobs2'])}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few workbooks (smoke run)")
    parser.add_argument("--sizes", help="comma-separated Evidence row counts (default 1000,50000,500000)")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each measurement; the fastest counts (default 2)"
    )
    parser.add_argument("--workbooks", type=int, help="workbooks for the --jobs test (default 100)")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for cached workbooks and the JSON")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="on a shared machine: before each run, wait up to SECONDS for other work to settle",
    )
    args = parser.parse_args(argv)
    QUIET["seconds"] = args.wait_quiet
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else QUICK_SIZES if args.quick else FULL_SIZES
    workbooks = args.workbooks or (QUICK_WORKBOOKS if args.quick else FULL_WORKBOOKS)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    repeat = 1 if args.quick else max(1, args.repeat)
    print(f"bench_regenerate: sizes {sizes}, repeat {repeat}, {os.cpu_count()} cores")
    example = example_rows()
    results: dict[str, Any] = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "quick": args.quick,
        "goals": GOALS,
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="bench-regen-", dir=out) as tmp:
        scratch = Path(tmp)
        for rows in sizes:
            results["sizes"].append(bench_size(rows, example, repeat, out, scratch))
            s = results["sizes"][-1]
            print(f"  {rows:>9,} rows: time ratio {s['time_ratio']:.2f}, memory ratio {s['memory_ratio']:.2f}")
        results["startup"] = bench_startup()
        results["jobs"] = bench_jobs(workbooks, repeat, scratch)
    loads = [r["load"] for s in results["sizes"] for kind in s["runs"].values() for r in kind]
    loads += [r["load"] for kind in results["jobs"]["runs"].values() for r in kind]
    results["load_1min"] = [min(loads), max(loads)]
    report = table(results)
    print()
    print(report)
    target = out / ("bench_regenerate-quick.json" if args.quick else "bench_regenerate.json")
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
