"""Smoke run of benchmarks/bench_regenerate.py in --quick mode: it runs and reports; no timing asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_regenerate.py"


def test_quick_run_prints_its_table_and_writes_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--sizes", "300", "--workbooks", "2", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "| workbook | regenerate | openpyxl load+save | time ratio | memory ratio |" in out
    assert "| 300 evidence rows" in out and "`python -m addin --help`" in out and "`--jobs 2` vs `--jobs 1`" in out
    results = json.loads((tmp_path / "bench_regenerate-quick.json").read_text())
    (size,) = results["sizes"]
    assert size["rows"] == 300 and size["regenerate"]["peak_mb"] > 0 and size["openpyxl"]["wall_s"] > 0
    assert results["startup"]["heavy_imports"] == []  # --help imports no pandas, openpyxl, matplotlib...
    assert results["jobs"]["workbooks"] == 2 and results["jobs"]["identical_output"]
    assert (tmp_path / "journey-300.xlsx").exists() and not list(tmp_path.glob("bench-regen-*"))
