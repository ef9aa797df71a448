"""`python -m addin --help` stays light: no heavy library is imported before a command needs it."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "numpy", "openpyxl", "matplotlib", "gspread", "xlwings", "python_calamine", "lxml")


def test_help_imports_no_heavy_library() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "addin", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "regenerate" in done.stdout
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "addin.frontends.cli" in imported
    assert not imported & set(HEAVY), "plugged front ends (addin.frontends.sync, addin.excel.cli) must import lazily"
