"""Read one worksheet by streaming its XML, keeping only the cells it holds (for sheets python-calamine
would hold as a huge dense grid: one value in XFD1048576, or rows and cells written without references).

Values come out as `xlsx_reader` gives them: text, numbers (whole numbers as int), booleans, dates and
times for numbers in a date format, blank for error values (the reader's XML scan puts their text in).
Rows are lists of their cells from column A; rows with nothing are empty lists. Positions beyond
Excel's limits, and texts over 32,767 characters, are refused with the cell's reference.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from typing import Any

from addin.adapters.xlsx_limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    beyond_columns,
    beyond_rows,
    safe_parser,
    too_long,
)
from addin.core.model import a1

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DATE_IDS = frozenset({*range(14, 23), *range(45, 48)})
"""Built-in number formats that show a date or a time."""
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_REF = re.compile(r"^([A-Za-z]+)([0-9]+)$")


def shared_strings(zf: zipfile.ZipFile, part: str | None) -> list[str]:
    """The shared strings, each the text of its runs (phonetic runs left out)."""
    if not part or part not in zf.namelist():
        return []
    from lxml import etree

    out: list[str] = []
    with zf.open(part) as fh:
        for _, si in etree.iterparse(fh, events=("end",), tag=f"{{{NS}}}si", resolve_entities=False, huge_tree=False):
            out.append(_text(si))
            si.clear()
    return out


def date_styles(zf: zipfile.ZipFile, part: str | None) -> set[int]:
    """Indices of the cell formats (cellXfs) that show a number as a date or time."""
    if not part or part not in zf.namelist():
        return set()
    from lxml import etree

    root = etree.fromstring(zf.read(part), safe_parser())
    custom = {}
    for nf in root.iter(f"{{{NS}}}numFmt"):
        code = _QUOTED.sub("", nf.get("formatCode", "")).lower()
        custom[_int(nf.get("numFmtId"))] = any(ch in code for ch in "dmyhs") and "general" not in code
    xfs = root.find(f"{{{NS}}}cellXfs")
    out = set()
    for i, xf in enumerate([] if xfs is None else xfs.iterfind(f"{{{NS}}}xf")):
        fmt = _int(xf.get("numFmtId"))
        if fmt in _DATE_IDS or custom.get(fmt, False):
            out.add(i)
    return out


def epoch(zf: zipfile.ZipFile) -> dt.datetime:
    """Day 0 of the workbook's date serial numbers: 1899-12-30, or 1904-01-01 for the 1904 date system."""
    head = zf.read("xl/workbook.xml")[:8192] if "xl/workbook.xml" in zf.namelist() else b""
    return _EPOCH_1904 if re.search(rb'<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"', head) else _EPOCH


def read_sparse(
    path: str,
    zf: zipfile.ZipFile,
    part: str,
    title: str,
    strings: list[str],
    dates: set[int],
    day_zero: dt.datetime = _EPOCH,
) -> list[list[Any]]:
    """The sheet's rows from A1, holding only what the XML holds (memory follows the cells, not the grid)."""
    from lxml import etree

    rows: list[list[Any]] = []
    r_next = 1
    c_tag, row_tag = f"{{{NS}}}c", f"{{{NS}}}row"
    with zf.open(part) as fh:
        context = etree.iterparse(
            fh, events=("start", "end"), tag=(row_tag, c_tag), resolve_entities=False, huge_tree=False
        )
        row_no, col_next = 0, 1
        for event, el in context:
            if el.tag == row_tag:
                if event == "start":
                    row_no = _int(el.get("r")) or r_next
                    if row_no > MAX_ROWS:
                        raise beyond_rows(path, title, str(row_no))
                    r_next, col_next = row_no + 1, 1
                else:
                    el.clear()
                    while el.getprevious() is not None:
                        del el.getparent()[0]
                continue
            if event == "start":
                continue
            ref = el.get("r")
            m = _REF.match(ref.strip()) if ref else None
            if m is not None and len(m.group(2)) <= 9:
                col, row = _column(m.group(1)[:4]), int(m.group(2))
            elif m is not None:
                raise beyond_rows(path, title, ref or "")
            else:  # no reference (or one that is not A1 style): the next cell of the row
                col, row = col_next, row_no or r_next
            if row > MAX_ROWS:
                raise beyond_rows(path, title, a1(row, col))
            if col > MAX_COLUMNS:
                raise beyond_columns(path, title, a1(row, col))
            col_next = col + 1
            value = _cell_value(el, strings, dates, day_zero)
            el.clear()
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise too_long(path, title, a1(row, col))
            if value is None:
                continue
            if len(rows) < row:
                rows.extend([[] for _ in range(row - len(rows))])
            cells = rows[row - 1]
            if len(cells) < col:
                cells.extend([None] * (col - len(cells)))
            cells[col - 1] = value
        del context
    return rows


def _cell_value(el: Any, strings: list[str], dates: set[int], day_zero: dt.datetime) -> Any:
    kind = el.get("t", "n")
    if kind == "inlineStr":
        inline = el.find(f"{{{NS}}}is")
        text = _text(inline) if inline is not None else ""
        return text if text.strip() else None
    v = el.find(f"{{{NS}}}v")
    raw = v.text if v is not None else None
    if raw is None:
        return None
    if kind == "s":
        i = _int(raw)
        text = strings[i] if 0 <= i < len(strings) else ""
        return text if text.strip() else None
    if kind in ("str",):
        return raw if raw.strip() else None
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return None
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            return raw
    try:
        number = float(raw)
    except ValueError:
        return raw if raw.strip() else None
    if _int(el.get("s")) in dates and 0 <= number < 2958466:
        stamp = day_zero + dt.timedelta(days=number)
        if number < 1:
            return stamp.time().isoformat()
        return stamp.date() if number.is_integer() else stamp
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def _text(el: Any) -> str:
    """The text of a string item: its `t`, or its runs' `t`s, leaving phonetic runs (`rPh`) out."""
    parts = []
    for t in el.iter(f"{{{NS}}}t"):
        parent = t.getparent()
        if parent is not None and parent.tag == f"{{{NS}}}rPh":
            continue
        parts.append(t.text or "")
    return "".join(parts)


def _column(letters: str) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return col


def _int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0
