"""Read a file to import from (.xlsx, .xlsm or .csv) into a `RawWorkbook` of every sheet, never writing.

Workbooks go through the usual reader (every sheet, merged cells filled in); a CSV file becomes one
sheet named "" (decisions then cite "file.csv B4"), its delimiter sniffed and its encoding found from
a byte-order mark, else UTF-8, else Windows-1252.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from addin.core.errors import UnusableWorkbook
from addin.core.model import RawSheet, RawWorkbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_source(path: Path) -> RawWorkbook:
    """Every sheet of `path` with its values; raises `UnusableWorkbook` with one sentence if it cannot be read."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path)
    from addin.adapters.xlsx_reader import check_usable, read_workbook

    check_usable(path)
    try:
        from python_calamine import CalamineWorkbook

        names = tuple(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:  # calamine's own error types for damaged parts
        raise UnusableWorkbook(f"{path} is damaged and cannot be read ({exc}).", path=str(path)) from exc
    return read_workbook(path, names, checked=True)


def decode(data: bytes) -> str:
    """Text of a CSV file: by its byte-order mark, else UTF-8, else Windows-1252 (which reads any byte)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(path: Path) -> RawWorkbook:
    if not path.is_file():
        raise UnusableWorkbook(f"{path} does not exist or is not a file.", path=str(path))
    text = decode(path.read_bytes())
    if not text.strip():
        raise UnusableWorkbook(f"{path} is empty: there is nothing to import.", path=str(path))
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    try:
        rows = [[cell if cell.strip() else None for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise UnusableWorkbook(
            f"{path} cannot be read as a CSV file ({exc}). Save it from your spreadsheet program as CSV and try again.",
            path=str(path),
        ) from exc
    return RawWorkbook(str(path), {"": RawSheet("", rows)})
