"""The committed macro-enabled template is what `python -m addin excel build` makes."""

from __future__ import annotations

import zipfile
from pathlib import Path

from oletools.olevba import VBA_Parser

from addin.frontends.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "templates" / "journey-map.xlsm"


def _ours(path: Path) -> dict[str, object]:
    """What we author: our VBA modules' code, the ribbon, and every part but the VBA project.

    xlwings' own module is left out: it follows the installed xlwings version.
    """
    parser = VBA_Parser(str(path))
    try:
        modules = {name: code for _, _, name, code in parser.extract_macros() if "JourneyMap" in name}
    finally:
        parser.close()
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if n != "xl/vbaProject.bin"}
    return {"modules": modules, "parts": parts}


def test_committed_xlsm_matches_the_build(tmp_path: Path) -> None:
    assert main(["excel", "build", "--out", str(tmp_path)]) == 0
    fresh = tmp_path / "journey-map.xlsm"
    assert _ours(fresh) == _ours(COMMITTED), "Rebuild it with: python -m addin excel build"
