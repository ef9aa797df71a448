"""The blank input sheets of a new journey: from the blank template when it exists, else from the contract.

The blank template (`templates/journey-map.xlsx`, written by `python -m addin new`) is
the reference. Until it exists, or when it cannot be found (an installed package without
the repository), the sheets are derived from `addin.core.contract`: each table sheet gets
its header row, `Journey` its lanes, `Settings` every key with its default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from addin.core.contract import COLUMNS, INPUT_SHEETS, SETTINGS, Col, Lane, Sheet
from addin.core.model import RawSheet

TEMPLATE_NAME = "journey-map.xlsx"


def template_candidates() -> list[Path]:
    """Where the blank template may be: the repository's templates/, the package's resources, the cwd."""
    package = Path(__file__).resolve().parents[1]
    return [
        package.parent / "templates" / TEMPLATE_NAME,
        package / "resources" / "templates" / TEMPLATE_NAME,
        Path.cwd() / "templates" / TEMPLATE_NAME,
    ]


def find_template() -> Path | None:
    """The blank template's path, or None when there is none."""
    return next((p for p in template_candidates() if p.is_file()), None)


def contract_sheets() -> list[RawSheet]:
    """The input sheets as the contract defines them: headers, lanes and default settings."""
    sheets: list[RawSheet] = []
    for sheet in INPUT_SHEETS:
        rows: list[list[Any]]
        if sheet is Sheet.JOURNEY:
            rows = [[Col.LANE.value], *([lane.value] for lane in Lane)]
        elif sheet is Sheet.SETTINGS:
            rows = [[Col.KEY.value, Col.VALUE.value], *([s.key, s.default] for s in SETTINGS)]
        else:
            rows = [[c.value for c in COLUMNS[sheet]]]
        sheets.append(RawSheet(sheet.value, rows))
    return sheets


def template_sheets(path: Path) -> list[RawSheet]:
    """The input sheets' values as they are in the blank template at `path` (needs openpyxl)."""
    from openpyxl import load_workbook  # lazy: not needed at ribbon import time

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        out = []
        for sheet in INPUT_SHEETS:
            if sheet.value in book.sheetnames:
                rows = [list(r) for r in book[sheet.value].iter_rows(values_only=True)]
                out.append(RawSheet(sheet.value, rows))
        return out
    finally:
        book.close()


def blank_input_sheets() -> list[RawSheet]:
    """The input sheets a new journey starts with (from the blank template when there is one)."""
    path = find_template()
    if path is not None:
        sheets = template_sheets(path)
        if sheets:
            return sheets
    return contract_sheets()
