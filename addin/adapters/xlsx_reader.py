"""Read a journey workbook file (.xlsx/.xlsm) into a `RawWorkbook`, fast (python-calamine), never writing.

Before reading, the file is checked so that unusable input gets one clear sentence
(exit status 2): missing, empty, a folder, an old .xls, password-protected, not a
zip, damaged, or open in Excel (its `~$` lock file is present).
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from addin.adapters.file_guard import refuse_if_open
from addin.adapters.xlsx_limits import (
    cell_using_string,
    check_package,
    check_xml_parts,
    long_shared_string,
    safe_parser,
    sheet_extent,
    too_long,
)
from addin.adapters.xlsx_sparse import date_styles, epoch, read_sparse, shared_strings
from addin.core.contract import INPUT_SHEETS, Sheet
from addin.core.errors import UnusableWorkbook
from addin.core.model import RawSheet, RawWorkbook, a1
from addin.core.names import norm

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STRICT_NS = b"purl.oclc.org/ooxml/spreadsheetml/main"
_FORMULA_CELL = re.compile(rb"<c\s([^>]*)>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)\s*(?:<v\s*/>|<v>([^<]*)</v>)?\s*</c>")
"""A formula cell, its attributes and its saved value (`<v>`), if any."""
_VALUE_CELL = re.compile(rb"<c\s([^>]*)>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?\s*<v>([^<]*)</v>\s*</c>")
"""A cell with a saved value, formula or not (used to find error values, t="e")."""
_ATTR_R = re.compile(rb'\br="([A-Za-z]+[0-9]+)"')
_ATTR_T = re.compile(rb'\bt="([A-Za-z]+)"')
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Za-z0-9:]+)"')
CHUNK = 1 << 20
MAX_TAIL = 1 << 24
MAX_MERGED_CELLS = 100_000
"""A merged range bigger than this (a whole-sheet merge, say) is not filled in."""
MAX_MERGED_TOTAL = 1_000_000
"""Cells filled from merged ranges per sheet, at most."""
MAX_OVERLAPS_KEPT = 100
"""Overlapping merged ranges named per sheet (the rest are only counted): validation shows fewer still."""
Merge = tuple[int, int, int, int]
"""A merged range: first row, first column, last row, last column (1-based, inclusive)."""


def check_usable(path: Path, *, for_writing: bool = False) -> None:
    """Raise `UnusableWorkbook` with one clear sentence when `path` cannot be used as a journey workbook."""
    name = str(path)
    if not path.exists():
        raise UnusableWorkbook(f"{name} does not exist. Check the name and the folder.", path=name)
    if path.is_dir():
        raise UnusableWorkbook(f"{name} is a folder, not a workbook.", path=name)
    if path.stat().st_size == 0:
        raise UnusableWorkbook(f"{name} is empty (0 bytes): it is not a workbook.", path=name)
    refuse_if_open(path)
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
            bad = check_package(name, zf)  # also holds every part to the caps on uncompressed size
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise UnusableWorkbook(f"{name} is damaged and cannot be opened ({exc}).", path=name) from exc
    if bad is not None:
        raise UnusableWorkbook(f"{name} is damaged: the part {bad} cannot be read.", path=name)
    if "xl/workbook.bin" in names:
        raise UnusableWorkbook(
            f"{name} is an Excel Binary Workbook (.xlsb). Open it in Excel and save it as .xlsx "
            "(Excel Workbook), then run again.",
            path=name,
        )
    if "xl/workbook.xml" not in names:
        kind = (
            "an OpenDocument or Word file" if "content.xml" in names or "word/document.xml" in names else "a zip file"
        )
        raise UnusableWorkbook(f"{name} is {kind}, not an Excel workbook (.xlsx or .xlsm).", path=name)
    with zipfile.ZipFile(path) as zf:
        head = zf.read("xl/workbook.xml")[:2048]
    if STRICT_NS in head:
        raise UnusableWorkbook(
            f"{name} is saved as Strict Open XML, which the add-in cannot read. Open it in Excel and save it "
            "as .xlsx (Excel Workbook, not Strict Open XML Spreadsheet), then run again.",
            path=name,
        )
    with zipfile.ZipFile(path) as zf:
        check_xml_parts(name, zf)
    _check_consistent(path)
    if for_writing and not os.access(path, os.W_OK):
        raise UnusableWorkbook(
            f"{name} is read-only, so the results cannot be written into it. Use --out DIR to write a copy elsewhere.",
            path=name,
        )


def _check_consistent(path: Path) -> None:
    """Refuse a package whose sheet list contradicts itself (two sheets on one part, say): writing the
    results into it could drop a part a user's sheet needs."""
    from addin.adapters.ooxml import PackageError, sheet_list_problem

    try:
        problem = sheet_list_problem(path)
    except PackageError:
        return  # not a package the splice can use: reading and writing say so in their own words
    if problem:
        raise UnusableWorkbook(
            f"{path} is inconsistent inside: {problem}. Writing results into it could destroy that sheet, "
            "so it was not changed. Open it in Excel, let Excel repair it, save it, and run again.",
            path=str(path),
        )


def _is_encrypted_ooxml(path: Path) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            return bool(ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"))
    except Exception:  # olefile raises assorted errors on damaged containers: then it is no encrypted book
        return False


def read_workbook(
    path: str | os.PathLike[str],
    sheets: tuple[str, ...] = (*INPUT_SHEETS, Sheet.IMPORT, Sheet.HISTORY),
    *,
    checked: bool = False,
) -> RawWorkbook:
    """Read the input sheets, the Import sheet and the History sheet (its rows are kept and appended to),
    matched case-insensitively, with cached values; other sheets are not parsed.

    A merged range's value is given to every cell it spans (a merged Journey cell applies to each stage
    under it); formula cells without a saved result are listed on their sheet. `checked=True`: the
    caller has just run `check_usable` on `path` (it reads every part once, which costs a few tenths of
    a second on a big book, so it is not repeated).
    """
    from python_calamine import CalamineWorkbook

    p = Path(path)
    if not checked:
        check_usable(p)
    name = str(p)
    wanted = {norm(s) for s in sheets}
    raw: dict[str, RawSheet] = {}
    unmerged: set[str] = set()  # sheets whose merged ranges the XML scan fills in
    with _no_gc():  # millions of small lists: the cyclic collector would re-scan them over and over
        sparse = _sparse_sheets(p, wanted)  # Excel's limits held first; far, mostly empty sheets read here
        try:
            book = CalamineWorkbook.from_path(name)
        except Exception as exc:  # calamine raises its own error types for corrupt parts
            raise UnusableWorkbook(f"{name} is damaged and cannot be read ({exc}).", path=name) from exc
        for title in book.sheet_names:
            if norm(title) not in wanted:
                continue
            if title in sparse:
                raw[title] = RawSheet(title, sparse.pop(title))
                unmerged.add(title)  # the XML scan below fills in the merged ranges of this sheet
                continue
            try:
                sheet = book.get_sheet_by_name(title)
                merged = getattr(sheet, "merged_cell_ranges", None)  # python-calamine >= 0.3
                rows = _sheet_rows(sheet)
                del sheet  # its cells (held by calamine) are not needed while the rows are built
            except Exception as exc:
                raise UnusableWorkbook(
                    f"{name}: the sheet '{title}' is damaged and cannot be read ({exc}).", path=name, sheet=title
                ) from exc
            raw[title] = RawSheet(title, rows)
            if merged is None:
                unmerged.add(title)
            else:
                ranges = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in merged]
                note_overlaps(raw[title], fill_merged(rows, ranges))
    _scan_sheet_xml(p, raw, merges=unmerged)
    return RawWorkbook(name, raw)


def _sparse_sheets(path: Path, wanted: set[str]) -> dict[str, list[list[Any]]]:
    """Hold each wanted sheet to Excel's limits, and read the ones python-calamine would hold as a huge,
    mostly empty grid (one far cell, or positions left implicit) by streaming their XML instead."""
    from lxml import etree

    name = str(path)
    parts, strings_part, styles_part = _sheet_parts(path), *_book_parts(path)
    out: dict[str, list[list[Any]]] = {}
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        strings: list[str] | None = None
        dates: set[int] = set()
        long_string = long_shared_string(zf, strings_part) if strings_part in names else None
        for title, part in parts.items():
            if " ".join(title.split()).casefold() not in wanted or part not in names:
                continue
            try:
                if long_string is not None and (ref := cell_using_string(zf, part, long_string)):
                    raise too_long(name, title, ref)
                if sheet_extent(name, zf, part, title).dense:
                    continue
                if strings is None:
                    strings, dates = shared_strings(zf, strings_part), date_styles(zf, styles_part)
                out[title] = read_sparse(name, zf, part, title, strings, dates, epoch(zf))
            except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise UnusableWorkbook(
                    f"{name}: the sheet '{title}' is damaged and cannot be read ({exc}).", path=name, sheet=title
                ) from exc
    return out


def _book_parts(path: Path) -> tuple[str | None, str | None]:
    """The shared-strings and styles parts of the workbook (None where it has none)."""
    from lxml import etree

    from addin.adapters.ooxml import resolve

    found: dict[str, str] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), safe_parser())
    except (KeyError, etree.XMLSyntaxError):
        return None, None
    for rel in rels:
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        if kind in ("sharedStrings", "styles") and rel.get("TargetMode") != "External":
            found.setdefault(kind, resolve("xl/workbook.xml", rel.get("Target", "")))
    return found.get("sharedStrings"), found.get("styles")


def _value(v: Any) -> Any:
    if isinstance(v, str):
        return v if v.strip() else None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if isinstance(v, dt.time):
        return v.isoformat()
    return v


@contextmanager
def _no_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


def fill_merged(rows: list[list[Any]], ranges: list[Merge]) -> tuple[list[tuple[Merge, Merge]], int]:
    """Give each merged range's top-left value to every cell of the range (1-based, inclusive bounds).

    Spreadsheets keep the value only in the top-left cell; a person reads it as applying to the whole
    range. Rows are extended as needed. Left as they are: a range larger than `MAX_MERGED_CELLS`, a range
    overlapping one filled before it (Excel never writes overlapping merges; it repairs such a file by
    dropping them), and every range once `MAX_MERGED_TOTAL` cells of the sheet are filled. So the work is
    at most about twice `MAX_MERGED_TOTAL`, whatever the file holds (5,000 overlapping ranges took minutes).

    Returns the overlapping ranges left as separate cells, each with the earlier range it overlaps (the
    first `MAX_OVERLAPS_KEPT`), and how many there were in all, so the user can be told.
    """
    taken: dict[int, list[tuple[int, int, int]]] = {}  # row -> the column spans already filled in it (and whose)
    budget = MAX_MERGED_TOTAL
    overlaps: list[tuple[Merge, Merge]] = []
    total = 0
    for k, (r1, c1, r2, c2) in enumerate(ranges):
        cells = (r2 - r1 + 1) * (c2 - c1 + 1)
        if cells > MAX_MERGED_CELLS or r1 > len(rows) or r2 < r1 or c2 < c1 or budget <= 0:
            continue
        budget -= r2 - r1 + 1  # looking for overlaps costs one step a row
        met = next((i for r in range(r1, r2 + 1) if (i := _overlaps(taken.get(r, ()), c1, c2)) is not None), None)
        if met is not None:
            total += 1
            if len(overlaps) < MAX_OVERLAPS_KEPT:
                overlaps.append((ranges[k], ranges[met]))
            continue
        for r in range(r1, r2 + 1):
            bisect.insort(taken.setdefault(r, []), (c1, c2, k))
        top = rows[r1 - 1]
        value = top[c1 - 1] if c1 - 1 < len(top) else None
        if value is None:
            continue
        budget -= cells
        width = max(len(rows[0]) if rows else 0, c2)
        while len(rows) < r2:
            rows.append([None] * width)
        for r in range(r1 - 1, r2):
            row = rows[r]
            if len(row) < c2:
                row.extend([None] * (c2 - len(row)))
            row[c1 - 1 : c2] = [value] * (c2 - c1 + 1)
    return overlaps, total


def _overlaps(spans: Any, c1: int, c2: int) -> int | None:
    """The range (its index) of the one of `spans` (disjoint, sorted) that [c1, c2] meets, or None: only the
    last one starting by c2 can."""
    i = bisect.bisect_right(spans, (c2, MAX_MERGED_TOTAL, MAX_MERGED_TOTAL)) - 1
    return spans[i][2] if i >= 0 and spans[i][1] >= c1 else None


def note_overlaps(sheet: RawSheet, found: tuple[list[tuple[Merge, Merge]], int]) -> None:
    """Keep on `sheet` the merged ranges `fill_merged` left as separate cells, in A1 (validation reports them)."""
    overlaps, total = found
    sheet.overlapping_merges.extend((_a1_range(a), _a1_range(b)) for a, b in overlaps)
    sheet.overlapping_merges_total += total


def _a1_range(merge: Merge) -> str:
    r1, c1, r2, c2 = merge
    return f"{a1(r1, c1)}:{a1(r2, c2)}"


def _scan_sheet_xml(path: Path, raw: dict[str, RawSheet], *, merges: set[str]) -> None:
    """Find formula cells with no saved result and error values (and fill the merged ranges of the sheets in
    `merges`: those read from their XML, or by an old python-calamine).

    The worksheet XML is streamed in pieces and only searched further where it holds a formula, so a sheet
    of 500,000 rows costs a fraction of a second and little memory.
    """
    if not raw:
        return
    parts = _sheet_parts(path)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        for title, sheet in raw.items():
            part = parts.get(title)
            if not part or part not in names:
                continue
            with zf.open(part) as fh:
                tail = b""
                while chunk := fh.read(CHUNK):
                    data = tail + chunk
                    cut = data.rfind(b"</row>") + len(b"</row>") if b"</row>" in data else 0
                    if len(data) - cut > MAX_TAIL:  # no row end for a long stretch: search what is there
                        cut = len(data)
                    _scan_cells(data[:cut], sheet)
                    tail = data[cut:]
                _scan_cells(tail, sheet)
                if title in merges:  # not those calamine gave the merged ranges of (filled already)
                    note_overlaps(sheet, fill_merged(sheet.rows, [_range(ref) for ref in _MERGE.findall(tail)]))


def _scan_cells(data: bytes, sheet: RawSheet) -> None:
    _formulas_without_value(data, sheet)
    _error_values(data, sheet)


def _error_values(data: bytes, sheet: RawSheet) -> None:
    """Put an error value's text (#DIV/0!, #N/A) into its cell: calamine reads it as blank, a person sees it."""
    if b't="e"' not in data:
        return
    for m in _VALUE_CELL.finditer(data):
        attrs, value = m.group(1), m.group(2)
        kind, ref = _ATTR_T.search(attrs), _ATTR_R.search(attrs)
        if kind is None or kind.group(1) != b"e" or ref is None or not value.strip():
            continue
        row, col = _cell(ref.group(1))
        while len(sheet.rows) < row:
            sheet.rows.append([])
        cells = sheet.rows[row - 1]
        if len(cells) < col:
            cells.extend([None] * (col - len(cells)))
        cells[col - 1] = value.strip().decode("utf-8", "replace")


def _formulas_without_value(data: bytes, sheet: RawSheet) -> None:
    if b"<f" not in data:
        return
    for m in _FORMULA_CELL.finditer(data):
        attrs, value = m.group(1), m.group(2)
        if value is not None and value.strip():
            continue  # a saved result
        kind = _ATTR_T.search(attrs)
        if value is not None and kind is not None and kind.group(1) in (b"str", b"inlineStr"):
            continue  # a saved empty text ("")
        ref = _ATTR_R.search(attrs)
        if ref is not None:
            row, col = _cell(ref.group(1))
            sheet.formulas_without_value.append((row, col))


def _cell(ref: bytes) -> tuple[int, int]:
    """b"AB12" -> (12, 28)."""
    letters = ref.rstrip(b"0123456789")
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return int(ref[len(letters) :]), col


def _range(ref: bytes) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(b":")
    r1, c1 = _cell(first)
    r2, c2 = _cell(last or first)
    return r1, c1, r2, c2


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet title -> worksheet part name, from workbook.xml and its relationships."""
    from lxml import etree

    from addin.adapters.ooxml import resolve

    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    try:
        with zipfile.ZipFile(path) as zf:
            wb = etree.fromstring(zf.read("xl/workbook.xml"), safe_parser())
            rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), safe_parser())
    except (KeyError, etree.XMLSyntaxError):  # calamine read the sheets; without a map, skip the extra scan
        return {}
    targets = {}
    for rel in rels:
        targets[rel.get("Id")] = resolve("xl/workbook.xml", rel.get("Target", ""))
    out = {}
    for sheet in wb.iterfind("m:sheets/m:sheet", ns):
        rid = sheet.get(f"{{{ns['r']}}}id")
        out[sheet.get("name", "")] = targets.get(rid, "")
    return out
