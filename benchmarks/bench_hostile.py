"""Run the hostile corpus (tests/hostile/corpus.py): each file through `check` and `regenerate`, each run in a
fresh process, against stated caps.

Usage: python benchmarks/bench_hostile.py [--only NAME,...] [--commands check,regenerate] [--limit-gb 4]

For every case and command it reports the exit status, wall time, the peak resident memory of the child
(`ru_maxrss` read through `RUSAGE_CHILDREN` in a small wrapper process started per run, so nothing else
counts), whether stderr is one sentence without a traceback, and whether the input kept its bytes. Caps:
30 s and 1 GB a file on a 2-core machine. A child gets an address-space limit (`--limit-gb`, default 4)
and a 120 s timeout, so a run that would take the machine's memory fails here instead. Prints a Markdown
table (pasted into the README's "Hostile files") and writes benchmarks/out/bench_hostile.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.hostile.corpus import CASES, build  # noqa: E402  (the corpus lives with the tests)

CAP_SECONDS, CAP_MB = 30.0, 1024.0
OUT = ROOT / "benchmarks" / "out"

_WRAPPER = """
import json, resource, subprocess, sys, time
limit = int(sys.argv[1])
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
t = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=cap,
                          timeout=120)
    rc, err = done.returncode, done.stderr.decode(errors="replace")
except subprocess.TimeoutExpired as exc:
    rc, err = "timeout", (exc.stderr or b"").decode(errors="replace")
wall = time.perf_counter() - t
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "peak_kb": use.ru_maxrss, "rc": rc, "err": err[-3000:]}))
"""


def run_one(path: Path, command: str, limit_bytes: int) -> dict[str, object]:
    """One run of `python -m addin COMMAND path` in a fresh process, measured from a wrapper process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    argv = [sys.executable, "-c", _WRAPPER, str(limit_bytes), sys.executable, "-m", "addin", command, str(path)]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    err = str(res["err"]).strip()
    res["sentence"] = err.splitlines()[-1] if err else ""
    res["one_sentence"] = "Traceback" not in err and (res["rc"] != 2 or len(err.splitlines()) == 1)
    res["kept"] = res["rc"] != 2 or hashlib.sha256(path.read_bytes()).hexdigest() == before
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", help="comma-separated case names")
    parser.add_argument("--commands", default="check,regenerate")
    parser.add_argument("--limit-gb", type=float, default=4.0, help="address-space limit of each child")
    args = parser.parse_args()
    names = set(args.only.split(",")) if args.only else None
    commands = args.commands.split(",")
    rows = []
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = Path(tmp)
        caps = f"within {CAP_SECONDS:.0f} s, {CAP_MB:.0f} MB"
        print(f"| file | size | command | exit | wall s | peak MB | {caps} | what it says |")
        print("|---|---:|---|---:|---:|---:|---|---|")
        for case in CASES:
            if names and case.name not in names:
                continue
            t = time.perf_counter()
            path = build(case.name, folder)
            made = time.perf_counter() - t
            for command in commands:
                res = run_one(path, command, int(args.limit_gb * (1 << 30)))
                peak = float(res["peak_kb"]) / 1024  # type: ignore[arg-type]
                wall = float(res["wall"])  # type: ignore[arg-type]
                ok = (
                    wall <= CAP_SECONDS
                    and peak <= CAP_MB
                    and res["rc"] in case.statuses
                    and res["one_sentence"]
                    and res["kept"]
                )
                said = str(res["sentence"]).replace(str(path), "FILE").replace("|", "/")
                said = said if len(said) <= 140 else said[:137] + "..."
                print(
                    f"| {case.name} | {path.stat().st_size / 1e6:.1f} MB | {command} | {res['rc']} | {wall:.1f} | "
                    f"{peak:.0f} | {'yes' if ok else 'NO'} | {said} |",
                    flush=True,
                )
                rows.append(
                    {
                        "case": case.name,
                        "command": command,
                        "made_s": made,
                        "wall": wall,
                        "peak_mb": peak,
                        "rc": res["rc"],
                        "ok": ok,
                        "sentence": said,
                        "bytes": path.stat().st_size,
                    }
                )
            if path.exists():
                path.unlink()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_hostile.json").write_text(json.dumps(rows, indent=1) + "\n")
    bad = [r for r in rows if not r["ok"]]
    print(f"\n{len(rows) - len(bad)} of {len(rows)} runs within the caps and the promise (exit 0/1/2, one sentence)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
