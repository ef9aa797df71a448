"""Hold a workbook file to Excel's limits and to stated caps before anything parses it, so a hostile or
broken file gets one sentence instead of a native crash, a runaway process or a hang.

* Caps on uncompressed size: each part at most `MAX_PART_BYTES`, the whole package at most
  `MAX_PACKAGE_BYTES`. The zip headers are checked first, then every part is inflated in pieces and the
  bytes really produced are counted (a header may lie); this pass also checks each part's CRC.
* The package's own XML (content types, relationships, workbook, styles) must parse with a parser that
  expands no entities and keeps libxml2's limits (depth 256, text nodes of 10 MB).
* A sheet's extent is read from its XML before the sheet is handed to python-calamine, which holds a
  sheet as a dense grid from its first to its last cell: one value in XFD1048576 would ask for 512 GiB.
  Cells beyond Excel's limits (1,048,576 rows, 16,384 columns, 32,767 characters) are refused with the
  cell's reference; a sheet whose grid would be large but mostly empty is read sparsely instead
  (`addin.adapters.xlsx_sparse`).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from lxml import etree

from addin.core.errors import UnusableWorkbook

MAX_ROWS, MAX_COLUMNS, MAX_CELL_CHARS = 1_048_576, 16_384, 32_767
"""Excel's own limits of a worksheet."""
MAX_PART_BYTES = 256 << 20
"""Uncompressed size of one part: the XML of a sheet with 500,000 evidence rows is about 190 MB."""
MAX_PACKAGE_BYTES = 1 << 30
"""Uncompressed size of all parts together."""
DENSE_CELLS = 8_000_000
"""A sheet whose grid (A1 to its last row and column) holds more cells than this, and is mostly empty,
is read sparsely."""
CHUNK = 1 << 20
SCAN_CHUNK = 4 << 20
_BLOCK = MAX_CELL_CHARS // 2 + 1
"""Any text longer than MAX_CELL_CHARS bytes covers a whole aligned block of this many bytes."""
_SAFE_XML_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
)


def mb(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MiB"


# --- sizes of the parts ------------------------------------------------------------------------------


def check_package(path: str, zf: zipfile.ZipFile) -> str | None:
    """Hold every part to the caps on uncompressed size; return the first part that cannot be read (bad
    CRC, truncated, or more bytes than its header says), else None (what `ZipFile.testzip` answers)."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise _too_big(path, info.filename, info.file_size)
    declared = sum(i.file_size for i in infos)
    if declared > MAX_PACKAGE_BYTES:
        raise _too_big(path, None, declared)
    total = 0
    with open(path, "rb") as fh:
        for info in infos:
            size = _inflate_counting(fh, zf, info)
            if size is None:
                return info.filename
            total += size
            if total > MAX_PACKAGE_BYTES:
                raise _too_big(path, None, total)
    return None


def _too_big(path: str, part: str | None, size: int) -> UnusableWorkbook:
    what = f"its part {part} holds {mb(size)}" if part else f"its parts hold {mb(size)}"
    return UnusableWorkbook(
        f"{path} is too large to read safely: {what} uncompressed, more than the add-in reads "
        f"({mb(MAX_PART_BYTES)} a part, {mb(MAX_PACKAGE_BYTES)} a workbook); it may be damaged or made to "
        "inflate. Save it again from Excel, or split the data.",
        path=path,
    )


def _inflate_counting(fh: BinaryIO, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int | None:
    """Inflate one entry in pieces, never producing more than its header's size plus one piece; its
    uncompressed size, or None if it is damaged (CRC, truncated, longer or shorter than declared)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
        try:  # another method (or encryption): zipfile stops at the declared size and checks the CRC
            with zf.open(info) as part:
                size = 0
                while piece := part.read(CHUNK):
                    size += len(piece)
            return size
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, zlib.error):
            return None
    fh.seek(info.header_offset)
    head = fh.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    left, size, crc = info.compress_size, 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0:
            piece = fh.read(min(left, CHUNK))
            if not piece:
                return None
            left -= len(piece)
            size, crc = size + len(piece), zlib.crc32(piece, crc)
    else:
        inflater, pending = zlib.decompressobj(-15), b""
        try:
            while not inflater.eof:
                if not pending and left > 0:
                    pending = fh.read(min(left, CHUNK))
                    left -= len(pending)
                    if not pending:
                        return None
                out = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                if not out and not pending and left <= 0 and not inflater.eof:
                    return None  # the stream ends before its last block
                size, crc = size + len(out), zlib.crc32(out, crc)
                if size > info.file_size:
                    return None  # more than the header says: stop here, whatever the rest holds
        except zlib.error:
            return None
    return size if size == info.file_size and crc == info.CRC else None


# --- the package's own XML ---------------------------------------------------------------------------


def safe_parser() -> etree.XMLParser:
    """An lxml parser that expands no entities, fetches nothing and keeps libxml2's size and depth limits."""

    return etree.XMLParser(resolve_entities=False, huge_tree=False, no_network=True, load_dtd=False)


def check_xml_parts(path: str, zf: zipfile.ZipFile) -> None:
    """The small parts that every reader and our splice parse must be well-formed under `safe_parser`."""
    names = {n.lower(): n for n in zf.namelist()}
    for part in _SAFE_XML_PARTS:
        name = names.get(part.lower())
        if name is None:
            continue
        try:
            etree.fromstring(zf.read(name), safe_parser())
        except etree.XMLSyntaxError as exc:
            said = str(exc).lower()
            why = (
                "its elements are nested too deeply to read safely"
                if "depth" in said
                else "it declares entities that would expand without bound (an XML bomb)"
                if "entity" in said or "amplification" in said
                else "it is not well-formed XML"
            )
            raise UnusableWorkbook(
                f"{path} is damaged: in its part {name}, {why} ({exc}). Save it again from Excel.", path=path
            ) from exc


# --- extents of a sheet ------------------------------------------------------------------------------


@dataclass
class Extent:
    """What a sheet's XML says about its cells, found without parsing it."""

    rows: int = 0
    """The last row holding a cell (1-based; 0 for no cells)."""
    columns: int = 0
    cells: int = 0
    row_elements: int = 0
    implicit: bool = False
    """Some rows or cells have no reference (allowed by the format): positions need a real parse."""

    @property
    def dense(self) -> bool:
        """True when python-calamine may read the sheet: its grid from A1 is small enough to hold, or at
        least half full (then the grid costs about what the cells do)."""
        return not self.implicit and self.rows * self.columns <= max(DENSE_CELLS, 2 * self.cells)


def _over(path: str, title: str, where: str, what: str, cell: str | None = None) -> UnusableWorkbook:
    return UnusableWorkbook(
        f"{path}: the sheet '{title}' has {where}, {what}, so no spreadsheet program saved it that way "
        "and the add-in does not read it. Delete it and save the file again.",
        path=path,
        sheet=title,
        cell=cell,
    )


def too_long(path: str, title: str, ref: str) -> UnusableWorkbook:
    return UnusableWorkbook(
        f"{path}: the cell {ref} on the sheet '{title}' holds more than {MAX_CELL_CHARS:,} characters, Excel's "
        "limit for a cell, so the add-in does not read the file. Shorten the text and save the file again.",
        path=path,
        sheet=title,
        cell=ref,
    )


def beyond_rows(path: str, title: str, ref: str) -> UnusableWorkbook:
    """A cell (A99999999) or a row ("99999999") past Excel's last row."""
    if ref.isdigit():
        return _over(path, title, f"a row numbered {int(ref):,}", f"beyond Excel's limit of {MAX_ROWS:,} rows")
    return _over(path, title, f"a cell at {ref}", f"beyond Excel's limit of {MAX_ROWS:,} rows", ref)


def beyond_columns(path: str, title: str, ref: str) -> UnusableWorkbook:
    return _over(path, title, f"a cell at {ref}", f"beyond Excel's limit of {MAX_COLUMNS:,} columns (XFD)", ref)


def sheet_extent(path: str, zf: zipfile.ZipFile, part: str, title: str) -> Extent:
    """The sheet's extent from its XML, streamed in pieces (vectorised: about 1 s per GB of XML).

    Raises `UnusableWorkbook` naming the cell when a cell lies beyond Excel's rows or columns or holds
    more than 32,767 characters.
    """
    ext = Extent()
    last_ref = ""
    with zf.open(part) as fh:
        tail = b""
        first = True
        while True:
            piece = fh.read(SCAN_CHUNK)
            if first:  # elements with a namespace prefix (<x:c>) are not counted here: read such a sheet carefully
                root = re.search(rb"<([A-Za-z_][\w.-]*:)?worksheet\b", piece[:4096])
                ext.implicit = root is None or root.group(1) is not None
                first = False
            if not piece and not tail:
                break
            data = tail + piece
            cut = data.rfind(b"<") if piece else len(data)
            if cut <= 0:  # no new tag in this piece: `data` is one tag and the text or blanks after it
                if len(data) > _LONG:
                    tag = data[: data.find(b">") + 1]
                    if _is_text_tag(tag):
                        raise too_long(path, title, last_ref or "?")
                    data = tag  # blanks between tags: nothing to count in them
                tail = data
                continue
            body = data[:cut]
            _scan_refs(path, title, body, ext)
            if ext.row_elements > MAX_ROWS:  # each row element is a row of its own
                raise _over(path, title, f"more than {MAX_ROWS:,} rows", "Excel's limit")
            at = _long_text(body)
            if at >= 0:
                raise too_long(path, title, _last_cell_ref(body, at) or last_ref or "?")
            last_ref = _last_cell_ref(body, len(body)) or last_ref
            tail = data[cut:]
            if not piece:
                break
    return ext


_LONG = 10 * (MAX_CELL_CHARS + 1)
"""A text of more bytes than this has more than MAX_CELL_CHARS characters, entities or not."""


def _long_text(data: bytes) -> int:
    """Where the tag of the first cell text longer than Excel's limit starts in `data` (whole tags only),
    else -1. Such a text covers a whole aligned block of `_BLOCK` bytes without a '<', so only a few blocks
    are ever looked at closely."""
    k, end = 0, len(data)
    while k + _BLOCK <= end:
        if data.find(b"<", k, k + _BLOCK) >= 0:
            k += _BLOCK
            continue
        p = data.rfind(b"<", 0, k)
        q = data.find(b"<", k)
        q = end if q < 0 else q
        g = data.find(b">", p) if p >= 0 else -1
        if p >= 0 and 0 <= g < q and _is_text_tag(data[p : g + 1]) and _chars(data[g + 1 : q]) > MAX_CELL_CHARS:
            return p
        k = (q // _BLOCK + 1) * _BLOCK
    return -1


def long_shared_string(zf: zipfile.ZipFile, part: str) -> int | None:
    """The index of the first shared string longer than Excel's cell limit, else None (streamed)."""
    seen = 0  # string items opened before the current piece
    with zf.open(part) as fh:
        tail = b""
        while True:
            piece = fh.read(SCAN_CHUNK)
            if not piece and not tail:
                return None
            data = tail + piece
            cut = data.rfind(b"<") if piece else len(data)
            if cut <= 0:
                if len(data) > _LONG:
                    if _is_text_tag(data[: data.find(b">") + 1]):
                        return seen - 1
                    data = data[: data.find(b">") + 1]
                tail = data
                continue
            body = data[:cut]
            at = _long_text(body)
            if at >= 0:
                return seen + body.count(b"<si>", 0, at) + body.count(b"<si ", 0, at) - 1
            seen += body.count(b"<si>") + body.count(b"<si ")
            tail = data[cut:]
            if not piece:
                return None


def cell_using_string(zf: zipfile.ZipFile, part: str, index: int) -> str | None:
    """The reference of a cell of the sheet `part` that shows shared string `index`, if one does."""
    pattern = re.compile(rb'<c r="([A-Za-z]+[0-9]+)"[^>]*?\bt="s"[^>]*>\s*<v>\s*' + str(index).encode() + rb"\s*</v>")
    with zf.open(part) as fh:
        tail = b""
        while piece := fh.read(SCAN_CHUNK):
            data = tail + piece
            found = pattern.search(data)
            if found:
                return found.group(1).decode("ascii")
            tail = data[-512:]
    return None


def _chars(text: bytes) -> int:
    import html

    return len(html.unescape(text.decode("utf-8", "replace")))


def _last_cell_ref(data: bytes, before: int) -> str:
    """The reference of the last cell tag that starts before `before` in `data` ("" if none)."""
    low = max(0, before - 65536)  # a cell's text follows its tag closely
    c = max(data.rfind(b"<c ", low, before), data.rfind(b":c ", low, before))
    if c < 0:
        return ""
    tag = data[c : data.find(b">", c, before) if data.find(b">", c, before) >= 0 else before]
    i = tag.find(b' r="')
    return tag[i + 4 : tag.find(b'"', i + 4)].decode("ascii", "replace") if i >= 0 else ""


_SPAN = 14  # bytes looked at after r=": letters, digits and the closing quote, with room to tell a far one
_R_ATTR = np.frombuffer(b' r="', dtype=np.uint8)


def _find(a: np.ndarray, pattern: bytes) -> np.ndarray:
    """Start positions of `pattern` (2 or 4 bytes) in `a`: one compare per byte, as wide integers."""
    width = len(pattern)
    kind = {2: "<u2", 4: "<u4"}[width]
    want = int.from_bytes(pattern, "little")
    found = []
    for k in range(width):
        m = (len(a) - k) // width
        found.append(np.flatnonzero(a[k : k + width * m].view(kind) == want) * width + k)
    return np.concatenate(found)


def _tags(a: np.ndarray, name: bytes) -> tuple[int, np.ndarray]:
    """How many `<name` start tags `a` holds, and where the value of `r` starts in those whose first
    attribute is `r` (Excel, LibreOffice, openpyxl and XlsxWriter all write it first)."""
    at = _find(a, name)
    after = a[at + len(name)]
    at = at[(after == 32) | (after == 47) | (after == 62)]  # ' ', '/', '>': the name ends here
    head = np.lib.stride_tricks.sliding_window_view(a, 4)[at + len(name)]
    with_r = at[(head == _R_ATTR).all(axis=1)] + len(name) + 4
    return len(at), with_r


def _scan_refs(path: str, title: str, data: bytes, ext: Extent) -> None:
    """Fold the `r="..."` references of rows and cells in `data` (whole tags only) into `ext`."""
    if not data:
        return
    a = np.frombuffer(data + b"\0" * (_SPAN + 8), dtype=np.uint8)
    cells, cell_refs = _tags(a, b"<c")
    ext.cells += cells
    row_refs = cell_refs[:0]
    if len(cell_refs) < cells:  # a cell without reference takes its row from the rows before it
        rows, row_refs = _tags(a, b"<row")
        ext.row_elements += rows
        ext.implicit = True
    starts = np.concatenate([cell_refs, row_refs])
    if not len(starts):
        return

    # letters, then digits, then the closing quote: worked out byte by byte over all references at once
    def letter(at: np.ndarray) -> np.ndarray:
        up = a[at] & 0xDF  # a-z read as A-Z
        return (up >= 65) & (up <= 90)

    n_letters = np.zeros(len(starts), dtype=np.int64)
    going = np.ones(len(starts), dtype=bool)
    for k in range(5):
        going &= letter(starts + k)
        n_letters += going
    first_digit = starts + n_letters
    n_digits = np.zeros(len(starts), dtype=np.int64)
    going = np.ones(len(starts), dtype=bool)
    for k in range(10):
        b = a[first_digit + k]
        going &= (b >= 48) & (b <= 57)
        n_digits += going
    closed = a[first_digit + n_digits] == 34
    kind_cell = np.arange(len(starts)) < len(cell_refs)
    well_formed = closed & (n_digits > 0) & np.where(kind_cell, n_letters > 0, n_letters == 0)
    if not well_formed.all():  # a reference we cannot read this cheaply: let the careful reader decide
        ext.implicit = True
    if (well_formed & (n_digits > 7)).any():
        raise beyond_rows(path, title, _ref_text(a, starts, well_formed & (n_digits > 7)))
    is_cell = well_formed & kind_cell
    if (is_cell & (n_letters > 3)).any():
        raise beyond_columns(path, title, _ref_text(a, starts, is_cell & (n_letters > 3)))
    # the largest row and column of a cell: only the references with the most digits or letters are worked out
    cells_ok = np.flatnonzero(is_cell)
    if not len(cells_ok):
        return
    width = int(n_digits[cells_ok].max())
    longest = cells_ok[n_digits[cells_ok] == width]
    row, at = _largest(a, first_digit[longest], width, 48, 10)
    if row > MAX_ROWS:
        raise beyond_rows(path, title, _ref_text(a, starts[longest[at] : longest[at] + 1]))
    width = int(n_letters[cells_ok].max())
    widest = cells_ok[n_letters[cells_ok] == width]
    col, at = _largest(a, starts[widest], width, 64, 26, upper=True)
    if col > MAX_COLUMNS:
        raise beyond_columns(path, title, _ref_text(a, starts[widest[at] : widest[at] + 1]))
    ext.rows, ext.columns = max(ext.rows, row), max(ext.columns, col)


def _largest(
    a: np.ndarray, starts: np.ndarray, width: int, zero: int, base: int, *, upper: bool = False
) -> tuple[int, int]:
    """The largest number written with `width` digits (byte value - `zero`, in `base`) at `starts` in `a`,
    and the index in `starts` holding it: digit by digit, keeping only the ones sharing the largest prefix."""
    value, keep = 0, np.arange(len(starts))
    for k in range(width):
        d = a[starts[keep] + k].astype(np.int64)
        d = (d & 0xDF if upper else d) - zero
        top = int(d.max())
        keep = keep[d == top]
        value = value * base + top
    return value, int(keep[0])


def _ref_text(a: np.ndarray, starts: np.ndarray, which: np.ndarray | None = None) -> str:
    """The reference (up to its closing quote) at the first of `starts` (picked by `which`)."""
    at = int(starts[np.flatnonzero(which)[0]] if which is not None else starts[0])
    raw = bytes(a[at : at + 24])
    return raw.split(b'"', 1)[0].decode("ascii", "replace").upper()


def _is_text_tag(tag: bytes) -> bool:
    """`<t>`, `<t xml:space=...>`, `<v>` (any prefix), not self-closed: elements whose text is a cell's value."""
    if tag.endswith(b"/>"):
        return False
    name = tag[1:].split(b">", 1)[0].split(b" ", 1)[0]
    return name.rsplit(b":", 1)[-1] in (b"t", b"v")
