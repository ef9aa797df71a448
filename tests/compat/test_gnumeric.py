"""Gnumeric, an independent reader of .xlsx, keeps every drop-down of the templates.

`ssconvert` turns the workbook into Gnumeric's own XML; a list whose formula it cannot read becomes
`error("...")` there (it read `=StageList`, with the '=', as an invalid expression).
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from addin.authoring import template
from addin.core.contract import Col, Sheet

SSCONVERT = shutil.which("ssconvert")
GNM = "http://www.gnumeric.org/v10.dtd"
pytestmark = [
    pytest.mark.gnumeric,
    pytest.mark.skipif(SSCONVERT is None, reason="Gnumeric's ssconvert is not installed; CI installs gnumeric"),
]


def gnumeric_xml(book: Path, tmp_path: Path) -> tuple[etree._Element, str]:
    out = tmp_path / (book.stem + ".gnumeric")
    assert SSCONVERT is not None
    proc = subprocess.run([SSCONVERT, str(book), str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return etree.fromstring(gzip.decompress(out.read_bytes())), proc.stdout + proc.stderr


@pytest.mark.parametrize("example", [None, "online-shop"])
def test_gnumeric_reads_every_drop_down(example: str | None, tmp_path: Path) -> None:
    book = tmp_path / "journey.xlsx"
    template.save(template.build(example), book)
    root, log = gnumeric_xml(book, tmp_path)
    assert "Invalid expression" not in log
    lists: dict[tuple[str, str], str] = {}
    for sheet in root.iter(f"{{{GNM}}}Sheet"):
        name = sheet.findtext(f"{{{GNM}}}Name")
        for validation in sheet.iter(f"{{{GNM}}}Validation"):
            if validation.get("Type") == "GNM_VALIDATION_TYPE_IN_LIST":
                lists[(str(name), validation.get("Title", ""))] = validation.findtext(f"{{{GNM}}}Expression0") or ""
    assert lists, "Gnumeric kept no drop-down at all"
    broken = {k: v for k, v in lists.items() if v.lower().startswith("error(")}
    assert broken == {}
    assert lists[(Sheet.PAIN_POINTS.value, f"Unexpected {Col.STAGE.value}")] == "StageList"
    assert lists[(Sheet.PAIN_POINTS.value, f"Unexpected {Col.PERSONA.value}")] == "PersonaList"
    assert lists[(Sheet.FUNNEL.value, f"Unexpected {Col.STAGE.value}")] == "StageList"
    names = {n.findtext(f"{{{GNM}}}name"): n.findtext(f"{{{GNM}}}value") for n in root.iter(f"{{{GNM}}}Name")}
    assert "offset(Journey!$B$1" in (names.get("StageList") or "")
    assert "offset(Personas!$A$2" in (names.get("PersonaList") or "")
    # the notes on the headers come through too
    assert any("minor annoyance" in (c.get("Text") or "") for c in root.iter(f"{{{GNM}}}CellComment"))
