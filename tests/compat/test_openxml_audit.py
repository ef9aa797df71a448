"""Every file the add-in writes passes the Open XML SDK's rules (openxml-audit, a pure-Python port of the
SDK validator with the Office 2010+ schemas), numbers its notes drawings as Excel does, and has no
text cell without text.

The files: the committed templates and examples, what `new` writes, the built .xlam and .xlsm, and
regenerated user workbooks: one built by XlsxWriter (it passes before the run; it must pass after)
and one that LibreOffice saved.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from addin.core.contract import INPUT_SHEETS, Sheet
from addin.excel.build import build
from addin.frontends.cli import main
from tests.compat.checks import all_problems, audit_errors, empty_inline_strings, vml_problems
from tests.conftest import libreoffice_convert, needs_libreoffice

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = [
    ROOT / "templates" / "journey-map.xlsx",
    ROOT / "templates" / "journey-map.xlsm",
    ROOT / "templates" / "examples" / "online-shop.xlsx",
    ROOT / "templates" / "examples" / "saas-onboarding.xlsx",
]


@pytest.mark.parametrize("path", COMMITTED, ids=[p.name for p in COMMITTED])
def test_committed_templates_pass(path: Path) -> None:
    assert all_problems(path) == []


@pytest.mark.parametrize("example", [None, "online-shop", "saas-onboarding"])
def test_new_writes_files_that_pass(example: str | None, tmp_path: Path) -> None:
    out = tmp_path / "new.xlsx"
    assert main(["new", str(out), *(["--example", example] if example else [])]) == 0
    assert all_problems(out) == []


def test_built_addin_and_template_pass(tmp_path: Path) -> None:
    xlam, xlsm = build(tmp_path)
    assert audit_errors(xlam) == []  # the .xlam had no theme part, which the SDK requires
    assert all_problems(xlsm) == []


def test_regenerated_example_passes(shop: Path) -> None:
    assert main(["regenerate", str(shop), "--quiet"]) in (0, 1)
    assert all_problems(shop) == []


def test_regenerated_macro_template_passes(tmp_path: Path) -> None:
    book = tmp_path / "journey.xlsm"
    shutil.copyfile(ROOT / "templates" / "journey-map.xlsm", book)
    assert main(["regenerate", str(book), "--quiet"]) in (0, 1)
    assert all_problems(book) == []


def _xlsxwriter_journey(source: Path, dest: Path) -> Path:
    """The input sheets of `source`, written by XlsxWriter the way a user's own tool might: formats,
    a note on two sheets (two notes drawings), a drop-down, dates."""
    book = openpyxl.load_workbook(source)
    wb = xlsxwriter.Workbook(str(dest))
    header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F3864", "underline": 1})
    date = wb.add_format({"num_format": "yyyy-mm-dd", "italic": True, "font_name": "Arial", "font_size": 9})
    for sheet in INPUT_SHEETS:
        if sheet.value not in book.sheetnames:
            continue
        ws = wb.add_worksheet(sheet.value)
        for r, row in enumerate(book[sheet.value].iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    ws.write_datetime(r, c, value, date)
                elif value is not None:
                    ws.write(r, c, value, header if r == 0 else None)
        if sheet in (Sheet.JOURNEY, Sheet.PAIN_POINTS):
            ws.write_comment("A1", f"Our own note on {sheet.value}")
    wb.get_worksheet_by_name(Sheet.PAIN_POINTS.value).data_validation(
        "G2:G200", {"validate": "list", "source": ["1", "2", "3", "4", "5"]}
    )
    wb.close()
    return dest


def test_xlsxwriter_workbook_still_passes_after_regenerate(shop: Path, tmp_path: Path) -> None:
    book = _xlsxwriter_journey(shop, tmp_path / "own.xlsx")
    assert all_problems(book) == []  # XlsxWriter's file passes as it is
    assert main(["regenerate", str(book), "--quiet"]) in (0, 1)
    # the fonts the run appends to the user's styles follow the schema's order, like the user's own
    assert all_problems(book) == []
    wb = openpyxl.load_workbook(book)
    assert {Sheet.VALIDATION.value, Sheet.DASHBOARD.value} <= set(wb.sheetnames)


@pytest.mark.libreoffice
@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_saved_workbook_passes_after_regenerate(shop: Path, tmp_path: Path) -> None:
    saved = libreoffice_convert(shop, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    # LibreOffice writes no theme and gives every note the shape id "shape_0": the run repairs both
    assert vml_problems(saved) != []
    book = tmp_path / "saved.xlsx"
    shutil.copyfile(saved, book)
    assert main(["regenerate", str(book), "--quiet"]) in (0, 1)
    assert audit_errors(book) == []
    assert vml_problems(book) == []
    assert empty_inline_strings(book) == []
    again = tmp_path / "again.xlsx"
    shutil.copyfile(book, again)
    assert main(["regenerate", str(again), "--quiet"]) in (0, 1)
    assert again.read_bytes() == book.read_bytes()  # the repairs are made once, then left alone
    # and LibreOffice still opens what we wrote, notes included
    reopened = openpyxl.load_workbook(libreoffice_convert(book, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo2"))
    notes = [c.comment.text for c in reopened[Sheet.PAIN_POINTS.value][1] if c.comment]
    assert any("minor annoyance" in n for n in notes)
