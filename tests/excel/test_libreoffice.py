"""LibreOffice opens the built template and finds the same VBA modules (it imports them as Basic)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from addin.excel import build, ooxml

pytestmark = pytest.mark.libreoffice

SOFFICE = shutil.which("soffice")


def _convert(src: Path, out_dir: Path, profile: Path) -> Path:
    assert SOFFICE is not None
    cmd = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "ods",
        "--outdir",
        str(out_dir),
        str(src),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=240, check=False)
    result = out_dir / (src.stem + ".ods")
    assert done.returncode == 0 and result.is_file(), f"LibreOffice failed: {done.stdout}\n{done.stderr}"
    return result


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not on PATH; CI installs it")
def test_libreoffice_lists_the_same_modules(built: tuple[Path, Path], tmp_path: Path) -> None:
    xlsm = tmp_path / built[1].name
    shutil.copy(built[1], xlsm)
    ods = _convert(xlsm, tmp_path / "out", Path(f"/tmp/lo-{uuid.uuid4().hex}"))
    with zipfile.ZipFile(ods) as zf:
        names = zf.namelist()
        library = build.PROJECT_NAME
        modules = {
            Path(n).stem
            for n in names
            if n.startswith(f"Basic/{library}/") and n.endswith(".xml") and not n.endswith("script-lb.xml")
        }
        names = ooxml.code_names(built[1].read_bytes())
        documents = {names.workbook, *names.sheets}
        expected = {m.name for m in build.code_modules()} | documents
        assert modules == expected
        ribbon = etree.fromstring(zf.read(f"Basic/{library}/JourneyMapRibbon.xml"))
    code = ribbon.text or ""
    for sub in ("JM_Validate", "JM_RefreshAll", "JM_NewJourney", "JM_OpenHelp"):
        assert f"Public Sub {sub}(control As IRibbonControl)" in code
