"""LibreOffice opens the regenerated workbook, recalculates it and converts it to PDF without error."""

from __future__ import annotations

import subprocess
from pathlib import Path

from addin.frontends.cli import main
from tests.conftest import libreoffice_convert, needs_libreoffice


@needs_libreoffice
def test_regenerated_workbook_converts_to_pdf(shop: Path, tmp_path: Path) -> None:
    assert main(["regenerate", str(shop)]) == 0
    assert main(["regenerate", str(shop)]) == 0  # the second run's file is the one users keep
    pdf = libreoffice_convert(
        shop, 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}', tmp_path
    )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    import openpyxl

    sheets = len(openpyxl.load_workbook(shop, read_only=True).sheetnames)
    assert sheets == 15  # 9 template sheets, 5 replaced output sheets and History
    assert pages == sheets  # one page per sheet
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Pain-point heatmap" in text and "Quick win" in text and "Validation" in text
