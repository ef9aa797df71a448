"""The reader's fast path gives exactly the rows the plain per-cell conversion gives: values and types."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from addin.adapters import xlsx_reader
from addin.adapters.xlsx_reader import _sheet_rows, _value, read_workbook


def plain_rows(sheet: Any) -> list[list[Any]]:
    """The reference: every cell through `_value`, one by one."""
    return [[_value(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]


def typed(rows: list[list[Any]]) -> list[list[tuple[type, Any]]]:
    """Rows as (type, value) pairs, so True and 1, 1 and 1.0, date and datetime all differ."""
    return [[(type(v), "nan" if isinstance(v, float) and math.isnan(v) else v) for v in row] for row in rows]


def assert_same_as_plain(path: Path) -> None:
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        fast = _sheet_rows(book.get_sheet_by_name(name))
        assert typed(fast) == typed(plain_rows(book.get_sheet_by_name(name))), name


def tricky_book(path: Path) -> Path:
    """Cells the conversion treats specially, in both orders where a remembered value could leak."""
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    clock = wb.add_format({"num_format": "hh:mm"})
    ws = wb.add_worksheet("Evidence")
    ws.write_row(0, 0, ["Date", "Persona", "Stage", "Touchpoint", "Channel", "Metric", "Score", "Comment"])
    rows: list[list[Any]] = [
        [True, 1, 1.0, False, 0, 0.0, -0.0, "1"],
        [1, True, 0.0, False, 1.5, "1,200", " 3 ", "  "],
        ["", "\u00a0", " Checkout ", "=not a formula", 2**60, 1e-300, -7, 3.0],
        [2.5, "CSAT", "CSAT", "CSAT ", 42, 42.0, "42", None],
    ]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write_number(r, c, value)
    ws.write_datetime(5, 0, dt.datetime(2026, 3, 31), date)
    ws.write_datetime(5, 1, dt.datetime(2026, 3, 31), stamp)
    ws.write_datetime(5, 2, dt.datetime(2026, 3, 31, 12, 30), stamp)
    ws.write_datetime(5, 3, dt.time(9, 15), clock)
    ws.write_datetime(6, 0, dt.datetime(2026, 3, 31), date)  # the same date again: remembered
    ws.write_datetime(6, 3, dt.time(9, 15), clock)
    ws.write_formula(6, 4, "=1/0", None, "#DIV/0!")
    ws.write_formula(6, 5, '=""', None, "")
    ws.write_blank(8, 7, None, date)  # a formatted blank cell further down
    offset = wb.add_worksheet("Offset")  # data starting at C3: calamine pads rows and columns differently
    offset.write("C3", "a")
    offset.write_boolean("D4", True)
    offset.write("E5", 1.5)
    offset.write("D6", 1)
    wb.add_worksheet("Empty")
    wb.close()
    return path


def test_tricky_cells_read_as_the_plain_conversion_reads_them(tmp_path: Path) -> None:
    assert_same_as_plain(tricky_book(tmp_path / "tricky.xlsx"))


def test_bools_never_borrow_a_remembered_number(tmp_path: Path) -> None:
    book = CalamineWorkbook.from_path(str(tricky_book(tmp_path / "tricky.xlsx")))
    rows = _sheet_rows(book.get_sheet_by_name("Evidence"))
    assert rows[1][:7] == [True, 1, 1, False, 0, 0, 0] and type(rows[1][0]) is bool and type(rows[1][2]) is int
    assert type(rows[2][1]) is bool and type(rows[2][0]) is int and type(rows[2][2]) is int
    assert rows[3][0] is None and rows[3][1] is None and rows[3][4] == 2**60  # '' and nbsp are blank
    assert rows[2][5] == "1,200" and rows[2][6] == " 3 "  # numbers as text stay text, untrimmed


@pytest.mark.parametrize("example", ["online-shop", "saas-onboarding", "blank"])
def test_examples_read_as_the_plain_conversion_reads_them(example_files: dict[str, Path], example: str) -> None:
    assert_same_as_plain(example_files[example])


def test_past_the_memory_limit_values_are_still_converted(
    tmp_path: Path, example_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_reader, "_MEMO_LIMIT", 3)
    assert_same_as_plain(example_files["online-shop"])
    assert_same_as_plain(tricky_book(tmp_path / "tricky.xlsx"))


def test_a_changed_iter_rows_shape_falls_back_to_the_plain_conversion(tmp_path: Path) -> None:
    book = CalamineWorkbook.from_path(str(tricky_book(tmp_path / "tricky.xlsx")))
    sheet = book.get_sheet_by_name("Offset")

    class Unpadded:  # as if a calamine release stopped padding the rows above the data
        start, end = sheet.start, sheet.end

        def iter_rows(self) -> Any:
            return iter(list(sheet.iter_rows())[2:])

        def to_python(self, skip_empty_area: bool = True) -> Any:
            return sheet.to_python(skip_empty_area=skip_empty_area)

    assert typed(_sheet_rows(Unpadded())) == typed(plain_rows(sheet))


def test_read_workbook_rows_are_the_plain_rows(example_files: dict[str, Path]) -> None:
    path = example_files["online-shop"]
    raw = read_workbook(path)
    book = CalamineWorkbook.from_path(str(path))
    for title, sheet in raw.sheets.items():
        assert typed(sheet.rows) == typed(plain_rows(book.get_sheet_by_name(title))), title
    evidence = raw.sheets["Evidence"].rows
    assert isinstance(evidence[1][0], dt.date) and isinstance(evidence[1][6], int)
