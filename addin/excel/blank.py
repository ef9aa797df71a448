"""The blank journey: its template workbook and its input sheets, wherever they can be found.

The blank template (`templates/journey-map.xlsx`, written by `python -m addin new` from
`addin.authoring.template`) is the reference. When the file is not there (an installed
package without the repository), the authoring module builds it in memory; failing
that, the sheets are derived from `addin.core.contract`: each table sheet gets its
header row, `Journey` its lanes, `Settings` every key with its default.
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


def _input_sheets(book: Any) -> list[RawSheet]:
    out = []
    for sheet in INPUT_SHEETS:
        if sheet.value in book.sheetnames:
            rows = [list(r) for r in book[sheet.value].iter_rows(values_only=True)]
            while rows and all(v is None for v in rows[-1]):
                rows.pop()
            out.append(RawSheet(sheet.value, rows))
    return out


def template_sheets(path: Path) -> list[RawSheet]:
    """The input sheets' values as they are in the blank template at `path` (needs openpyxl)."""
    from openpyxl import load_workbook  # lazy: not needed at ribbon import time

    book = load_workbook(path, data_only=True)
    try:
        return _input_sheets(book)
    finally:
        book.close()


def authored_template() -> bytes | None:
    """The blank template as `addin.authoring.template` writes it, or None without that module."""
    try:
        from addin.authoring import template
    except ImportError:
        return None
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / TEMPLATE_NAME
        template.save(template.build(), path)
        return path.read_bytes()


def template_bytes() -> bytes | None:
    """The blank template's bytes: the file when found, else the authoring module's, else None."""
    path = find_template()
    return path.read_bytes() if path is not None else authored_template()


def blank_input_sheets() -> list[RawSheet]:
    """The input sheets a new journey starts with (as in the blank template when there is one)."""
    path = find_template()
    sheets: list[RawSheet] = []
    if path is not None:
        sheets = template_sheets(path)
    else:
        try:
            from addin.authoring import template
        except ImportError:
            template = None  # type: ignore[assignment]
        if template is not None:
            sheets = _input_sheets(template.build())
    return sheets or contract_sheets()
