"""Reading like a person wrote it: what a person would call the same thing is read the same way.

Headers in any case, numbers stored as text, "80%" next to 0.8 and 80, blank rows, merged grid
cells, formulas with and without a saved result, Excel dates next to text dates.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.workbook.workbook import Workbook

from addin.adapters.xlsx_reader import _FORMULA_CELL, _formulas_without_value, _scan_sheet_xml, read_workbook
from addin.core.contract import Col
from addin.core.journey import ALL_CUSTOMERS, Journey
from addin.core.model import Finding, RawSheet
from addin.core.validation import validate
from tests.conftest import libreoffice_convert, needs_libreoffice
from tests.validation.conftest import Mutation


def read(path: Path) -> tuple[Journey, list[Finding]]:
    return validate(read_workbook(path))


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def pains(journey: Journey) -> pd.DataFrame:
    return journey.pain_points.drop(columns="row").sort_values(Col.ID).reset_index(drop=True)


def rezip(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one part of the package (what another program would have saved)."""
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            zf.writestr(info, change(data) if info.filename == part else data)


def sheet_part(path: Path, title: str) -> str:
    from addin.adapters.xlsx_reader import _sheet_parts

    return _sheet_parts(path)[title]


@pytest.fixture
def original(example_files: dict[str, Path]) -> tuple[Journey, list[Finding]]:
    return read(example_files["online-shop"])


def test_headers_lanes_and_sheet_names_in_any_case_with_stray_spaces(
    broken: Callable[[Mutation], Path], original: tuple[Journey, list[Finding]]
) -> None:
    def shout(wb: Workbook, _: Path) -> None:
        for ws in wb.worksheets:
            if ws.title == "Instructions":
                continue
            for cell in ws[1]:
                if isinstance(cell.value, str):
                    stage = ws.title == "Journey" and cell.column > 1
                    cell.value = cell.value if stage else f"  {cell.value.swapcase()} "
        for row in range(2, 16):
            lane = wb["Journey"].cell(row, 1)
            lane.value = "  " + lane.value.upper().replace(" ", "   ")
        wb["PainPoints"].title = "renamed"  # openpyxl refuses a name that differs only in case from its own
        wb["renamed"].title = "painpoints"

    journey, findings = read(broken(shout))
    assert rules(findings) == set()  # C01 is added by the pipeline, not here
    pd.testing.assert_frame_equal(pains(journey), pains(original[0]))
    pd.testing.assert_frame_equal(journey.emotions, original[0].emotions)
    assert journey.recommendations[Col.CONFIDENCE].tolist() == original[0].recommendations[Col.CONFIDENCE].tolist()


def test_confidence_80_and_80_percent_and_0_8_mean_the_same_and_the_mix_is_named(
    broken: Callable[[Mutation], Path],
) -> None:
    def mix(wb: Workbook, _: Path) -> None:
        ws = wb["Recommendations"]
        ws["F2"], ws["F3"], ws["F4"], ws["F5"] = 80, "80%", 0.8, " 80 % "

    journey, findings = read(broken(mix))
    recs = journey.recommendations.set_index(Col.ID)
    assert recs.loc[["R01", "R02", "R03", "R04"], Col.CONFIDENCE].tolist() == pytest.approx([0.8] * 4)
    read_as = [f for f in findings if f.rule == "R08"]
    assert [(f.cell, f.severity.value) for f in read_as] == [("F4", "warning")]
    assert "0.8 read as 80 %" in read_as[0].message
    assert "R06" not in rules(findings)


def test_fractions_alone_are_not_a_mix(broken: Callable[[Mutation], Path]) -> None:
    def fractions(wb: Workbook, _: Path) -> None:
        ws = wb["Recommendations"]
        for row in range(2, ws.max_row + 1):
            ws.cell(row, 6).value = ws.cell(row, 6).value / 100

    journey, findings = read(broken(fractions))
    assert "R08" not in rules(findings)
    assert journey.recommendations[Col.CONFIDENCE].between(0.3, 0.95).all()


def test_numbers_stored_as_text(broken: Callable[[Mutation], Path], original: tuple[Journey, list[Finding]]) -> None:
    def as_text(wb: Workbook, _: Path) -> None:
        for sheet, cols in {"PainPoints": (7, 8), "Recommendations": (4, 5, 6, 7), "Funnel": (2, 3)}.items():
            ws = wb[sheet]
            for row in range(2, ws.max_row + 1):
                for col in cols:
                    cell = ws.cell(row, col)
                    if isinstance(cell.value, int | float):
                        cell.value = f" {cell.value:,} " if cell.value >= 1000 else f"{cell.value} "
        wb["Personas"]["C2"], wb["Personas"]["C3"] = "55%", "45"
        wb["Evidence"]["G2"] = "9"
        wb["Funnel"]["B2"] = "120\u00a0000"  # thousands grouped with a non-breaking space, as French Excel shows them
        wb["Journey"]["D8"] = "\u22121.5"  # a typographic minus, as Word and Mac keyboards type it

    journey, findings = read(broken(as_text))
    assert rules(findings) == set()
    pd.testing.assert_frame_equal(pains(journey), pains(original[0]))
    for col in (Col.REACH, Col.IMPACT, Col.CONFIDENCE, Col.EFFORT):
        left, right = journey.recommendations[col], original[0].recommendations[col]
        pd.testing.assert_series_equal(left, right)
    assert journey.personas[Col.WEIGHT].tolist() == [55.0, 45.0]
    assert journey.funnel[Col.ENTERED].iloc[0] == 120000
    assert journey.emotions.loc[ALL_CUSTOMERS, "Purchase"] == -1.5
    assert len(journey.evidence) == len(original[0].evidence)


def test_words_and_spellings_a_person_would_call_the_same(broken: Callable[[Mutation], Path]) -> None:
    def spell(wb: Workbook, _: Path) -> None:
        wb["Recommendations"]["E3"] = "High"
        wb["PainPoints"]["B2"], wb["PainPoints"]["G2"], wb["PainPoints"]["I2"] = " awareness ", 2.0, "Analytics"
        wb["PainPoints"]["E3"] = "BUSY  PARENT"
        wb["Settings"]["B3"], wb["Settings"]["A4"] = "rice", "heatmap rows"
        wb["Evidence"]["F2"], wb["Evidence"]["C2"] = "nps", "awareness"

    journey, findings = read(broken(spell))
    assert rules(findings) == set()
    recs = journey.recommendations.set_index(Col.ID)
    assert recs.loc["R02", Col.IMPACT] == 2.0
    p = journey.pain_points.set_index(Col.ID)
    assert (p.loc["P01", Col.STAGE], p.loc["P01", Col.SOURCE], p.loc["P02", Col.PERSONA]) == (
        "Awareness",
        "analytics",
        "Busy parent",
    )


def test_blank_rows_in_between_and_trailing_empty_rows(
    broken: Callable[[Mutation], Path], original: tuple[Journey, list[Finding]]
) -> None:
    def gaps(wb: Workbook, _: Path) -> None:
        for sheet in ("PainPoints", "Recommendations", "Personas", "Funnel", "Settings"):
            ws = wb[sheet]
            ws.insert_rows(3, 2)
            last = ws.max_row
            for row in range(last + 1, last + 40):
                ws.cell(row, 1).value = "   "  # a Table stretched down, cells holding only spaces
        wb["Journey"].insert_rows(5, 1)

    journey, findings = read(broken(gaps))
    assert rules(findings) == set()
    pd.testing.assert_frame_equal(pains(journey), pains(original[0]))
    assert len(journey.recommendations) == len(original[0].recommendations)
    assert journey.settings == original[0].settings
    assert journey.pain_cells["P02"] == "A5" and journey.pain_cells["P01"] == "A2"


def test_merged_grid_cells_apply_to_every_stage_they_span(broken: Callable[[Mutation], Path]) -> None:
    def merge(wb: Workbook, _: Path) -> None:
        ws = wb["Journey"]
        ws["B5"] = "Website"
        ws.merge_cells("B5:C5")
        ws["B8"] = -1
        ws.merge_cells("B8:C8")
        ws["H1"] = "Advocacy"  # a new stage whose only content is the merged cell to its left
        ws["G12"] = "Referral programme"
        ws.merge_cells("G12:H12")

    journey, findings = read(broken(merge))
    assert rules(findings) == set()
    assert journey.lanes["Touchpoints"][:2] == ["Website", "Website"]
    assert journey.emotions.loc[ALL_CUSTOMERS, ["Awareness", "Consideration"]].tolist() == [-1, -1]
    assert journey.lanes["Opportunities"][-2:] == ["Referral programme"] * 2


def test_merged_ranges_from_the_sheet_xml_match_calamine(broken: Callable[[Mutation], Path]) -> None:
    """The fallback for python-calamine before 0.3 (no merged_cell_ranges) reads <mergeCell ref=...>."""

    def merge(wb: Workbook, _: Path) -> None:
        wb["Journey"].merge_cells("B5:C5")
        wb["Journey"].merge_cells("G14:G16")
        wb["Journey"].merge_cells("C5:D6")  # overlaps B5:C5: one of the two is read as separate cells

    path = broken(merge)
    read = read_workbook(path).sheets["Journey"]
    filled = read.rows
    from python_calamine import CalamineWorkbook

    from addin.adapters.xlsx_reader import _value

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Journey").to_python(skip_empty_area=False)
    raw = {"Journey": RawSheet("Journey", [[_value(v) for v in row] for row in rows])}
    assert raw["Journey"].rows != filled
    _scan_sheet_xml(path, raw, merges={"Journey"})
    assert raw["Journey"].rows == filled
    assert raw["Journey"].overlapping_merges == read.overlapping_merges and len(read.overlapping_merges) == 1
    assert filled[15][6] == filled[14][6] == filled[13][6] == "Repeat rate, NPS"


def test_formula_saved_by_openpyxl_has_no_value_and_is_reported(broken: Callable[[Mutation], Path]) -> None:
    path = broken(lambda wb, _: wb["PainPoints"].__setitem__("G2", "=2+2"))
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(sheet_part(path, "PainPoints"))
    assert re.search(rb'<c r="G2"[^>]*><f>2\+2</f><v\s*/?>(</v>)?</c>', xml), "openpyxl writes no cached value"
    journey, findings = read(path)
    s09 = [f for f in findings if f.rule == "S09"]
    assert [(f.sheet, f.cell) for f in s09] == [("PainPoints", "G2")]
    assert "P01" not in set(journey.pain_points[Col.ID])  # read as blank: P04 too
    assert any(f.rule == "P04" and f.cell == "G2" for f in findings)


def test_formula_with_a_saved_value_uses_the_value(broken: Callable[[Mutation], Path]) -> None:
    path = broken(lambda wb, _: wb["PainPoints"].__setitem__("G2", "=2+2"))
    rezip(
        path, sheet_part(path, "PainPoints"), lambda xml: re.sub(rb"(<f>2\+2</f>)<v\s*/?>(</v>)?", rb"\1<v>4</v>", xml)
    )
    journey, findings = read(path)
    assert "S09" not in rules(findings)
    assert journey.pain_points.set_index(Col.ID).loc["P01", Col.SEVERITY] == 4


def test_formula_whose_saved_value_is_empty_text_is_not_reported(broken: Callable[[Mutation], Path]) -> None:
    path = broken(lambda wb, _: wb["PainPoints"].__setitem__("J2", '=""'))
    rezip(path, sheet_part(path, "PainPoints"), lambda xml: xml.replace(b'<c r="J2">', b'<c r="J2" t="str">'))
    _, findings = read(path)
    assert "S09" not in rules(findings)


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (b'<c r="B5"><f>1+2</f><v></v></c>', [(5, 2)]),  # openpyxl
        (b'<c r="B5"><f>1+2</f><v/></c>', [(5, 2)]),
        (b'<c r="AB12" s="3"><f>SUM(A1:A2)</f></c>', [(12, 28)]),  # no <v> at all
        (b'<c s="3" r="C7"><f t="shared" si="0"/></c>', [(7, 3)]),  # attributes in another order, shared
        (b'<c r="C7" t="str"><f>""</f><v></v></c>', []),  # Excel: a saved empty text
        (b'<c r="C7" s="0" t="n"><f aca="false">1+1</f><v>2</v></c>', []),  # LibreOffice, calculated
        (b'<c r="C7"><f>A1&lt;2</f><v>1</v></c><c r="D7"><v>3</v></c>', []),
        (b'<c r="A1" t="s"><v>0</v></c><c r="B1"><f>A1</f><v></v></c>', [(1, 2)]),
        (b'<cols><col min="1"/></cols>', []),
    ],
)
def test_formula_cells_without_a_saved_result_are_found_in_any_writer_style(
    xml: bytes, expected: list[tuple[int, int]]
) -> None:
    sheet = RawSheet("Journey", [])
    _formulas_without_value(b"<sheetData><row>" + xml + b"</row></sheetData>", sheet)
    assert sheet.formulas_without_value == expected
    assert _FORMULA_CELL.pattern.startswith(rb"<c\s")


@needs_libreoffice
@pytest.mark.libreoffice
def test_formulas_recalculated_by_libreoffice_are_read_with_their_values(
    broken: Callable[[Mutation], Path], tmp_path: Path
) -> None:
    path = broken(lambda wb, _: wb["PainPoints"].__setitem__("G2", "=2+2"))
    out = tmp_path / "lo"
    out.mkdir()
    saved = libreoffice_convert(path, "xlsx:Calc MS Excel 2007 XML", out)
    journey, findings = read(saved)
    assert "S09" not in rules(findings)
    assert journey.pain_points.set_index(Col.ID).loc["P01", Col.SEVERITY] == 4


def test_excel_dates_serial_numbers_and_text_dates_are_dates(broken: Callable[[Mutation], Path]) -> None:
    good: dict[str, Any] = {
        "A2": dt.datetime(2026, 3, 31),
        "A3": dt.date(2026, 3, 31),
        "A4": 46112,  # a date typed into a General cell
        "A5": "2026-03-31",
        "A6": "31.03.2026",
        "A7": "31/03/2026",
        "A8": "03/31/2026",
        "A9": "31 March 2026",
        "A10": "Mar 31, 2026",
        "A11": " 2026/03/31 ",
        "A16": "2026-03-31T10:15:00Z",  # an export from a survey tool
    }
    bad = {"A12": "31/31/2026", "A13": "someday", "A14": -3, "A15": "2026-02-30"}

    def dates(wb: Workbook, _: Path) -> None:
        for ref, value in {**good, **bad}.items():
            wb["Evidence"][ref] = value

    _, findings = read(broken(dates))
    assert sorted(f.cell for f in findings if f.rule == "E04") == sorted(bad)
    assert all(f.severity.value == "warning" for f in findings if f.rule == "E04")


def test_a_sheet_openpyxl_never_touched_reads_the_same(example_files: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "copy.xlsx"
    shutil.copyfile(example_files["online-shop"], copy)
    wb = openpyxl.load_workbook(copy)
    wb.save(copy)
    a, b = read(example_files["online-shop"]), read(copy)
    pd.testing.assert_frame_equal(pains(a[0]), pains(b[0]))
    assert [f.as_dict() for f in a[1]] == [f.as_dict() for f in b[1]]


def test_an_error_value_is_quoted_as_the_person_sees_it(broken: Callable[[Mutation], Path]) -> None:
    def errors(wb: Workbook, _: Path) -> None:
        wb["PainPoints"]["G2"] = "#DIV/0!"  # openpyxl saves Excel's error codes as error cells (t="e")
        wb["Evidence"]["C2"] = "#N/A"

    path = broken(errors)
    with zipfile.ZipFile(path) as zf:
        assert b'<c r="G2" t="e"><v>#DIV/0!</v></c>' in zf.read(sheet_part(path, "PainPoints"))
    _, findings = read(path)
    p04 = next(f for f in findings if f.rule == "P04")
    assert p04.cell == "G2" and "'#DIV/0!'" in p04.message
    e03 = next(f for f in findings if f.rule == "E03")
    assert e03.cell == "C2" and "'#N/A'" in e03.message


def test_a_title_typed_above_the_table_is_named_once(broken: Callable[[Mutation], Path]) -> None:
    def title(wb: Workbook, _: Path) -> None:
        wb["PainPoints"].insert_rows(1, 2)
        wb["PainPoints"]["A1"] = "Pain points of the online shop"

    _, findings = read(broken(title))
    s02 = [f for f in findings if f.rule == "S02"]
    assert [(f.sheet, f.cell) for f in s02] == [("PainPoints", "A1")]
    assert "seem to be in row 3" in s02[0].message and "Delete the rows above row 3" in s02[0].fix


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("4", 4.0),
        (" 3 ", 3.0),
        ("42,000", 42000.0),
        ("120 000", 120000.0),
        ("1\u202f200\u202f000,5", 1200000.5),
        ("0,8", 0.8),
        ("\u22121.5", -1.5),
        ("+2", 2.0),
        ("1 2", None),  # two numbers, not one
        ("12,34,5", None),
        ("4 stars", None),
        ("", None),
    ],
)
def test_numbers_as_a_person_types_them(typed: str, number: float | None) -> None:
    from addin.core.tables import to_number

    assert to_number(typed) == number
