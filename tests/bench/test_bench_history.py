"""Smoke run of benchmarks/bench_history.py on small Histories: it runs, the regenerated books keep every
snapshot it wrote plus this run's, and the figures are reported against no History (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "bench_history.py"
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.slow
def test_a_small_run_reports_each_history_size_against_none(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--snapshots", "0,20", "--repeat", "1", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    assert [r["snapshots"] for r in report["runs"]] == [0, 20] and report["baseline_snapshots"] == 0
    assert report["runs"][0]["time_ratio"] == 1.0 and all(r["wall_s"] > 0 for r in report["runs"])


def test_the_built_history_is_read_back_as_the_snapshots_written(tmp_path: Path) -> None:
    import bench_history

    from addin.adapters.xlsx_reader import read_workbook
    from addin.core import report_history

    book = tmp_path / "h.xlsx"
    bench_history.build(book, 5)
    kept = report_history.snapshots(read_workbook(book))
    assert len(kept) == 5 and all(len(s.stages) == 6 for s in kept)
    assert [s.taken for s in kept] == sorted(s.taken for s in kept)
