"""Smoke run of benchmarks/bench_event_logs.py on a small log: it runs, reports, and the journey it measures
is the log's (no timing asserted; the ratio is read by people, at 1,000,000 customers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_event_logs.py"


def test_a_small_run_reports_the_funnel_and_both_path_timings(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--customers", "2000", "--repeat", "1", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: over the goal, which a tiny log can be
    report = json.loads(out.read_text())
    assert report["customers"] == 2000 and report["events"] > 2000
    funnel = {stage: (entered, completed) for stage, entered, completed in report["funnel"]}
    assert list(funnel) == ["Browse", "Buy", "Use"]
    assert all(0 < completed <= entered <= 2000 for entered, completed in funnel.values())
    assert report["paths_s"] > 0 and report["paths_loop_s"] > 0 and report["ratio"] > 0
