"""The Map output sheet, the page setup of every output sheet, and how both land in the workbook file."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from addin.adapters.xlsx_reader import read_workbook
from addin.core.contract import APPENDED_SHEETS, OUTPUT_SHEETS, Sheet
from addin.core.model import OutputSheet
from addin.core.pipeline import run
from addin.core.printing import _objects
from addin.core.report_dashboard import CHART_DATA_COL
from addin.frontends.cli import main as cli


def outputs_of(path: Path) -> dict[str, OutputSheet]:
    return {o.name: o for o in run(read_workbook(path)).outputs}


def set_map_views(path: Path, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[Sheet.SETTINGS.value]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "Map views")
    ws.cell(row, 2).value = value
    wb.save(path)


def test_map_sheet_holds_the_picture_and_the_map_as_cells(shop: Path) -> None:
    sheet = outputs_of(shop)[Sheet.MAP.value]
    assert len(sheet.pictures) == 1, "the whole journey, one A4 page"
    values = {v for _r, _c, cell in sheet.iter_cells() if isinstance(v := cell.value, str)}
    for stage in ("Awareness", "Consideration", "Purchase", "Delivery", "Use & support", "Loyalty"):
        assert stage in values
    pains = next(cell.value for _r, c, cell in sheet.iter_cells() if c == 4 and "P06 (100)" in str(cell.value))
    assert "P06 (100): Shipping cost shown only at the last step" in pains and "P07 (70)" in pains
    assert any(str(v).startswith("Emotion: Busy parent") for v in values)
    picture = sheet.pictures[0]
    last_picture_row = picture.anchor[0] + round(picture.height_px / 20)
    assert min(b for b in sheet.page.row_breaks if b > picture.anchor[0]) <= last_picture_row + 1
    assert picture.png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_map_views_from_settings_add_a_picture_each_and_name_what_they_do_not_know(shop: Path) -> None:
    set_map_views(shop, "personas; WEB, Nobody")
    sheet = outputs_of(shop)[Sheet.MAP.value]
    assert len(sheet.pictures) == 1 + 2 + 1, "whole journey, two personas, the Web channel"
    note = sheet.cells[(3, 1)].value
    assert "'Nobody'" in note and "3 views" in note


def test_every_output_sheet_prints_landscape_one_page_wide_and_no_break_cuts_a_drawing(shop: Path) -> None:
    outputs = outputs_of(shop)
    assert set(outputs) == {s.value for s in OUTPUT_SHEETS}
    for sheet in outputs.values():
        page = sheet.page
        assert page.landscape and page.fit_width and page.area is not None
        for top, last, _right, _col in _objects(sheet, page.area.last_col):
            assert not any(top < b <= last for b in page.row_breaks), f"{sheet.name}: a break cuts a drawing"
    assert outputs[Sheet.DASHBOARD.value].page.area.last_col == CHART_DATA_COL - 1  # type: ignore[union-attr]
    assert outputs[Sheet.VALIDATION.value].page.title_rows == (3, 3)
    assert outputs[Sheet.PRIORITIES.value].page.title_rows == (3, 3)
    assert outputs[Sheet.DASHBOARD.value].page.row_breaks, "the pictures start a page of their own"


def test_print_settings_land_in_the_file_once_however_often_it_is_regenerated(shop: Path) -> None:
    for _ in range(2):
        assert cli(["regenerate", "--quiet", str(shop)]) in (0, 1)
    wb = openpyxl.load_workbook(shop)
    dash = wb[Sheet.DASHBOARD.value]
    assert dash.print_area is not None and "$W$" in dash.print_area and "$X$" not in dash.print_area
    assert wb[Sheet.VALIDATION.value].print_title_rows == "$3:$3"
    assert dash.page_setup.orientation == "landscape" and dash.page_setup.fitToHeight == 0
    assert dash.sheet_properties.pageSetUpPr.fitToPage
    assert [b.id for b in dash.row_breaks.brk]
    with zipfile.ZipFile(shop) as zf:
        book = zf.read("xl/workbook.xml").decode()
    names = re.findall(r'<definedName name="(_xlnm\.[A-Za-z_]+)" localSheetId="(\d+)"', book)
    assert len(names) == len(set(names)), "no print name twice"
    positions = {name: i for i, name in enumerate(wb.sheetnames)}
    for name, local in names:
        assert wb.sheetnames[int(local)] in {s.value for s in (*OUTPUT_SHEETS, *APPENDED_SHEETS)}, name
    assert str(positions[Sheet.DASHBOARD.value]) in {local for _n, local in names}
