"""The blank journey: its template workbook and its input sheets, wherever they can be found.

The blank template (`templates/journey-map.xlsx`, written by `python -m addin new` from
`addin.authoring.template`) is the reference. When the file is not there (an installed
package without the repository), the authoring module builds it in memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from addin.core.contract import INPUT_SHEETS
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


def template_bytes() -> bytes:
    """The blank template's bytes: the file when found, else as `addin.authoring.template` writes it."""
    path = find_template()
    if path is not None:
        return path.read_bytes()
    from addin.authoring import template

    return template.to_bytes(template.build())


def blank_input_sheets() -> list[RawSheet]:
    """The input sheets a new journey starts with, as in the blank template."""
    path = find_template()
    if path is not None:
        return template_sheets(path)
    from addin.authoring import template

    return _input_sheets(template.build())
