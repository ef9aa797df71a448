"""Issue 8, end to end: `python -m addin regenerate`, run twice on a user's decorated journey workbook,
loses nothing the user made. Every part of theirs stays byte-identical and referenced, and LibreOffice
opens the result. The splice itself is tested in test_ooxml.py; this runs the real command.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from addin.core.contract import APPENDED_SHEETS, OUTPUT_SHEETS
from tests.conftest import libreoffice_convert, needs_libreoffice

from .ooxml_builders import FAKE_VBA, make_png
from .test_ooxml import check_package, parts, rels_of, sheet_part

EXAMPLE = Path(__file__).resolve().parents[2] / "templates" / "examples" / "online-shop.xlsx"
INPUTS = ("Journey", "Personas", "PainPoints", "Recommendations", "Evidence", "Funnel", "Settings")
OUTPUTS = tuple(s.value for s in (*OUTPUT_SHEETS, *APPENDED_SHEETS))
# the only parts a run may rewrite: the sheet list, its relationships, content types and styles
EDITED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
DEFINED_NAMES = re.compile(rb"<definedNames>.*</definedNames>", re.S)
PRINT_NAME = re.compile(rb'<definedName name="_xlnm\.Print_(?:Area|Titles)" localSheetId="(\d+)">[^<]*</definedName>')
SHEET_NAME = re.compile(rb'<sheet [^>]*name="([^"]+)"')


def users_names(workbook_xml: bytes) -> bytes:
    """The defined names, less the print area and titles the add-in gives its own output sheets."""
    sheets = [n.decode() for n in SHEET_NAME.findall(workbook_xml)]
    found = DEFINED_NAMES.search(workbook_xml)
    assert found
    return PRINT_NAME.sub(lambda m: b"" if sheets[int(m.group(1))] in OUTPUTS else m.group(), found.group())


def example_rows() -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(EXAMPLE, read_only=True)
    try:
        return {name: list(wb[name].iter_rows(values_only=True)) for name in INPUTS}
    finally:
        wb.close()


def build_user_book(path: Path, *, vba: bool = False) -> Path:
    """The online-shop journey as a user's own XlsxWriter book, decorated with everything openpyxl loses."""
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    sheets = {}
    for name, rows in example_rows().items():
        ws = sheets[name] = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    ws.write_datetime(r, c, value, date)
                elif value is not None:
                    ws.write(r, c, value)
    journey, pains, funnel, personas = sheets["Journey"], sheets["PainPoints"], sheets["Funnel"], sheets["Personas"]
    journey.write_comment("A1", "Our team's note on the grid")
    journey.insert_textbox("J2", "Hand-drawn note: keep me", {"width": 240, "height": 60})
    journey.insert_button("J8", {"caption": "Refresh the map", **({"macro": "Refresh"} if vba else {})})
    pains.conditional_format("G2:G23", {"type": "data_bar", "data_bar_2010": True})
    pains.data_validation("H2:H23", {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5})
    funnel.add_sparkline("E2", {"range": "Funnel!B2:C2"})
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"name": "Entered", "categories": "=Funnel!$A$2:$A$7", "values": "=Funnel!$B$2:$B$7"})
    funnel.insert_chart("G2", chart)
    personas.insert_image("F2", "team.png", {"image_data": io.BytesIO(make_png((30, 90, 200)))})
    wb.define_name("Stages", "=Journey!$B$1:$G$1")
    wb.define_name("Funnel!Entered", "=Funnel!$B$2:$B$7")
    if vba:
        wb.set_vba_name()
        wb.add_vba_project(io.BytesIO(FAKE_VBA), is_stream=True)
    wb.close()
    return path


def regenerate(path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "addin", "regenerate", str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr


def raw_entries(path: Path) -> dict[str, tuple[int, int]]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: (i.CRC, i.compress_size) for i in zf.infolist()}


def assert_nothing_of_the_users_lost(before: dict[str, bytes], path: Path, original: Path) -> dict[str, bytes]:
    after = check_package(path)  # every part referenced, with a content type
    for name, data in before.items():
        if name not in EDITED:
            assert after.get(name) == data, f"{name} changed or vanished"
    raw_before, raw_after = raw_entries(original), raw_entries(path)
    for name in set(before) - EDITED:  # copied as compressed bytes, never recompressed
        assert raw_after[name] == raw_before[name], name
    assert users_names(after["xl/workbook.xml"]) == users_names(before["xl/workbook.xml"])
    for sheet in INPUTS:  # each input sheet is still wired to the same part
        assert sheet_part(after, sheet) == sheet_part(before, sheet)
    for sheet in OUTPUTS:
        assert sheet_part(after, sheet) in after
    return after


def assert_features_still_wired(files: dict[str, bytes]) -> None:
    journey = sheet_part(files, "Journey")
    kinds = {t.rsplit("/", 1)[-1]: target for _, t, target in rels_of(files, journey)}
    assert b"Hand-drawn note: keep me" in files[kinds["drawing"]]
    assert b"Refresh the map" in files[kinds["vmlDrawing"]] and b"Our team" in files[kinds["comments"]]
    pains = files[sheet_part(files, "PainPoints")]
    assert b"x14:dataBar" in pains and b"<dataValidations" in pains
    funnel = sheet_part(files, "Funnel")
    assert b"x14:sparklineGroups" in files[funnel]
    drawing = next(target for _, t, target in rels_of(files, funnel) if t.endswith("/drawing"))
    assert any(t.endswith("/chart") for _, t, _ in rels_of(files, drawing))
    picture = next(target for _, t, target in rels_of(files, sheet_part(files, "Personas")) if t.endswith("/drawing"))
    assert any(t.endswith("/image") for _, t, _ in rels_of(files, picture))


@pytest.fixture(scope="module", params=["xlsx", "xlsm"])
def regenerated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The user's book, and the same book after one and after two runs of the real command."""
    folder = tmp_path_factory.mktemp(request.param)
    original = build_user_book(folder / f"original.{request.param}", vba=request.param == "xlsm")
    book = folder / f"journey.{request.param}"
    book.write_bytes(original.read_bytes())
    regenerate(book)
    once = folder / f"once.{request.param}"
    once.write_bytes(book.read_bytes())
    regenerate(book)
    return {"original": original, "once": once, "twice": book, "kind": request.param}


def test_users_parts_survive_two_runs_byte_for_byte(regenerated: dict[str, Any]) -> None:
    before = parts(regenerated["original"])
    assert {"xl/sharedStrings.xml", "xl/media/image1.png", "xl/charts/chart1.xml"} <= set(before)
    for run in ("once", "twice"):
        after = assert_nothing_of_the_users_lost(before, regenerated[run], regenerated["original"])
        assert_features_still_wired(after)


def test_second_run_writes_the_same_package(regenerated: dict[str, Any]) -> None:
    assert parts(regenerated["twice"]) == parts(regenerated["once"])


def test_macros_stay_with_the_workbook_and_none_appear(regenerated: dict[str, Any]) -> None:
    files = parts(regenerated["twice"])
    macro_enabled = b"sheet.macroEnabled.main+xml" in files["[Content_Types].xml"]
    has_vba = any(t.endswith("/vbaProject") for _, t, _ in rels_of(files, "xl/workbook.xml"))
    if regenerated["kind"] == "xlsm":
        assert files["xl/vbaProject.bin"] == FAKE_VBA and macro_enabled and has_vba
    else:
        assert "xl/vbaProject.bin" not in files and not macro_enabled and not has_vba


@needs_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_opens_the_result(regenerated: dict[str, Any], tmp_path: Path) -> None:
    pdf = libreoffice_convert(regenerated["twice"], "pdf", tmp_path)
    assert pdf.stat().st_size > 0
