"""The EvidenceSources sheet as `sources add` rewrites it: the user's rows and columns as they were,
then the proposed rows; contract columns the sheet lacks are added at its right."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from addin.core.contract import COLUMNS, Col, Sheet, norm
from addin.core.model import OutputSheet
from addin.core.styles import Role
from addin.core.tables import is_blank

WIDTH = {Col.FILE: 28, Col.QUESTION: 34, Col.LABELS: 24, Col.LEAVE_OUT: 18}


def merged_rows(existing: Sequence[Sequence[Any]], proposed: Sequence[dict[str, str]]) -> tuple[list[list[Any]], int]:
    """Header + rows: the existing ones first (unchanged), then each proposed row not listed already
    (same File and Question). Returns the rows (header first) and how many existed, header excluded."""
    header = [v for v in existing[0]] if existing else []
    while header and is_blank(header[-1]):
        header.pop()
    keys = [norm(h) for h in header]
    for col in COLUMNS[Sheet.EVIDENCE_SOURCES]:
        if norm(col) not in keys:
            header.append(col.value)
            keys.append(norm(col))
    body = [list(r) + [None] * (len(header) - len(r)) for r in existing[1:] if any(not is_blank(v) for v in r)]
    position = {k: i for i, k in enumerate(keys)}
    listed = {
        (norm(r[position[norm(Col.FILE)]]), norm(r[position[norm(Col.QUESTION)]]))
        for r in body
        if position[norm(Col.FILE)] < len(r)
    }
    count = len(body)
    for row in proposed:
        key = (norm(row.get(Col.FILE.value, "")), norm(row.get(Col.QUESTION.value, "")))
        if key in listed:
            continue
        listed.add(key)
        values: list[Any] = [None] * len(header)
        for name, value in row.items():
            values[position[norm(name)]] = value
        body.append(values)
    return [header, *body], count


def sources_sheet(rows: Sequence[Sequence[Any]]) -> OutputSheet:
    """The sheet to write: header styled as the template's, values as text."""
    sheet = OutputSheet(Sheet.EVIDENCE_SOURCES.value)
    header = rows[0]
    sheet.put_row(1, 1, list(header), Role.HEADER)
    for r, values in enumerate(rows[1:], start=2):
        for c, value in enumerate(values, start=1):
            if not is_blank(value):
                sheet.put(r, c, value)
    for c, name in enumerate(header, start=1):
        sheet.col_widths[c] = next((w for col, w in WIDTH.items() if norm(col) == norm(name)), 14)
    sheet.freeze = (2, 1)
    return sheet
