"""Read a journey workbook file (.xlsx/.xlsm) into a `RawWorkbook`, fast (python-calamine), never writing.

Before reading, the file is checked so that unusable input gets one clear sentence
(exit status 2): missing, empty, a folder, an old .xls, password-protected, not a
zip, damaged, or open in Excel (its `~$` lock file is present).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from addin.core.contract import INPUT_SHEETS
from addin.core.errors import UnusableWorkbook
from addin.core.model import RawSheet, RawWorkbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FORMULA_NO_VALUE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)(?:<v></v>|<v/>)?</c>')


def lock_file(path: Path) -> Path:
    """The lock file Excel keeps next to an open workbook: `~$` + the name (Excel drops 2 chars if long)."""
    return path.with_name("~$" + path.name)


def _lock_files(path: Path) -> list[Path]:
    candidates = [lock_file(path)]
    if len(path.name) > 2:
        candidates.append(path.with_name("~$" + path.name[2:]))
    return [c for c in candidates if c.exists()]


def check_usable(path: Path, *, for_writing: bool = False) -> None:
    """Raise `UnusableWorkbook` with one clear sentence when `path` cannot be used as a journey workbook."""
    name = str(path)
    if not path.exists():
        raise UnusableWorkbook(f"{name} does not exist. Check the name and the folder.", path=name)
    if path.is_dir():
        raise UnusableWorkbook(f"{name} is a folder, not a workbook.", path=name)
    if path.stat().st_size == 0:
        raise UnusableWorkbook(f"{name} is empty (0 bytes): it is not a workbook.", path=name)
    locks = _lock_files(path)
    if locks:
        raise UnusableWorkbook(
            f"{name} is open in Excel (its lock file {locks[0].name} is present). "
            "Save and close it in Excel, then run again.",
            path=name,
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        if _is_encrypted_ooxml(path):
            raise UnusableWorkbook(
                f"{name} is protected with a password, so the add-in cannot read it. "
                "Remove the password in Excel (File > Info > Protect Workbook) and run again.",
                path=name,
            )
        raise UnusableWorkbook(
            f"{name} is an old Excel 97-2003 (.xls) workbook. Open it in Excel and save it as "
            ".xlsx (Excel Workbook), then run again.",
            path=name,
        )
    if not zipfile.is_zipfile(path):
        raise UnusableWorkbook(
            f"{name} is not an Excel workbook (.xlsx or .xlsm). Save it from Excel as .xlsx and run again.",
            path=name,
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise UnusableWorkbook(f"{name} is damaged and cannot be opened ({exc}).", path=name) from exc
    if bad is not None:
        raise UnusableWorkbook(f"{name} is damaged: the part {bad} cannot be read.", path=name)
    if "xl/workbook.xml" not in names:
        kind = (
            "an OpenDocument or Word file" if "content.xml" in names or "word/document.xml" in names else "a zip file"
        )
        raise UnusableWorkbook(f"{name} is {kind}, not an Excel workbook (.xlsx or .xlsm).", path=name)
    if for_writing and not os.access(path, os.W_OK):
        raise UnusableWorkbook(
            f"{name} is read-only, so the results cannot be written into it. Use --out DIR to write a copy elsewhere.",
            path=name,
        )


def _is_encrypted_ooxml(path: Path) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            return bool(ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"))
    except Exception:  # olefile raises assorted errors on damaged containers: then it is no encrypted book
        return False


def read_workbook(
    path: str | os.PathLike[str], sheets: tuple[str, ...] = tuple(INPUT_SHEETS), *, checked: bool = False
) -> RawWorkbook:
    """Read the input sheets (matched case-insensitively) with cached values; other sheets are not parsed.

    `checked=True`: the caller has just run `check_usable` on `path` (it reads every part once, which
    costs a few tenths of a second on a big book, so it is not repeated).
    """
    from python_calamine import CalamineWorkbook

    p = Path(path)
    if not checked:
        check_usable(p)
    name = str(p)
    try:
        book = CalamineWorkbook.from_path(name)
    except Exception as exc:  # calamine raises its own error types for corrupt parts
        raise UnusableWorkbook(f"{name} is damaged and cannot be read ({exc}).", path=name) from exc
    wanted = {" ".join(s.split()).casefold() for s in sheets}
    raw: dict[str, RawSheet] = {}
    for title in book.sheet_names:
        if " ".join(title.split()).casefold() not in wanted:
            continue
        try:
            rows = _sheet_rows(book.get_sheet_by_name(title))
        except Exception as exc:
            raise UnusableWorkbook(
                f"{name}: the sheet '{title}' is damaged and cannot be read ({exc}).", path=name, sheet=title
            ) from exc
        raw[title] = RawSheet(title, rows)
    _find_formulas_without_values(p, raw)
    return RawWorkbook(name, raw)


def _value(v: Any) -> Any:
    if isinstance(v, str):
        return v if v.strip() else None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if isinstance(v, dt.time):
        return v.isoformat()
    return v


# ---------------------------------------------------------------- converting cells, fast

_MEMO_TYPES = frozenset({str, float, dt.date, dt.datetime, dt.time, dt.timedelta})
_MEMO_LIMIT = 1 << 17
"""Distinct values remembered per workbook; past this (free-text comments) values are converted one by one."""


class _Converted(dict[Any, Any]):
    """Raw calamine value -> `_value(raw)`, each distinct value converted once.

    A 500,000-row Evidence sheet holds a few hundred distinct values, so the per-cell Python call
    becomes a dict lookup done in C (`map`), and repeated texts and dates share one object.
    Only keys that cannot stand in for a value of another type are stored: never bools or ints, nor
    floats equal to 0 or 1 (True == 1.0, and `_value` keeps True but turns 1.0 into 1), nor NaN.
    """

    def __missing__(self, raw: Any) -> Any:
        value = _value(raw)
        if (
            type(raw) in _MEMO_TYPES
            and raw == raw  # not NaN
            and not (raw == 0 or raw == 1)
            and len(self) < _MEMO_LIMIT
        ):
            self[raw] = value
        return value


def _sheet_rows(sheet: Any) -> list[list[Any]]:
    """The sheet's cells from A1, as `_value` converts them: the same rows as the plain
    `[[_value(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]`, faster and smaller.

    Rows are streamed (`iter_rows`), so calamine's raw Python rows never exist all at once. `iter_rows`
    pads the rows above the data but not the columns left of it: those are added here, and the shape
    is checked against the sheet's extent, falling back to the plain conversion if calamine ever differs.
    """
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return []
    convert = _Converted().__getitem__
    left = [None] * start[1]
    rows = [left + list(map(convert, row)) if left else list(map(convert, row)) for row in sheet.iter_rows()]
    if len(rows) == end[0] + 1 and all(len(r) == end[1] + 1 for r in (rows[0], rows[-1])):
        return rows
    return [[_value(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]


def _find_formulas_without_values(path: Path, raw: dict[str, RawSheet]) -> None:
    """Mark formula cells with no cached result (files saved by programs that do not calculate).

    Only the small input sheets are scanned; Evidence is skipped for speed (its values are typed).
    """
    small = {t: s for t, s in raw.items() if len(s.rows) <= 5000}
    if not small:
        return
    parts = _sheet_parts(path)
    with zipfile.ZipFile(path) as zf:
        for title, sheet in small.items():
            part = parts.get(title)
            if not part or part not in zf.namelist():
                continue
            data = zf.read(part)
            if b"<f" not in data:
                continue
            for m in _FORMULA_NO_VALUE.finditer(data):
                col = 0
                for ch in m.group(1).decode():
                    col = col * 26 + ord(ch) - 64
                sheet.formulas_without_value.append((int(m.group(2)), col))


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet title -> worksheet part name, from workbook.xml and its relationships."""
    from lxml import etree

    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    with zipfile.ZipFile(path) as zf:
        wb = etree.fromstring(zf.read("xl/workbook.xml"))
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    out = {}
    for sheet in wb.iterfind("m:sheets/m:sheet", ns):
        rid = sheet.get(f"{{{ns['r']}}}id")
        out[sheet.get("name", "")] = targets.get(rid, "")
    return out
