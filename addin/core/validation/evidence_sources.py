"""The EvidenceSources sheet: one row per question of a source file (or one per event of an event log)."""

from __future__ import annotations

import re
from typing import Any

from addin.core.contract import Col, Metric, Sheet, norm
from addin.core.rules import Rule
from addin.core.sources.formats import Format
from addin.core.sources.labels import LabelsError, label_key, parse_labels
from addin.core.sources.spec import Field, LeaveOut, SourceRow
from addin.core.tables import Table, is_blank
from addin.core.validation.findings import Findings, suggest

_FORMATS = {norm(f.value): f for f in Format}
_METRICS = {norm(m.value): m for m in Metric}
NEEDS_METRIC = frozenset(Format) - {Format.EVENTS, Format.EVIDENCE}
"""Formats whose rows are questions: each needs its metric."""


def read_evidence_sources(table: Table, found: Findings) -> list[SourceRow]:
    """The rows that can be used; each row that cannot is an error at its cell (the other rows go on)."""
    out = []
    frame = table.frame
    for r, record in zip(frame.index, frame.to_dict("records"), strict=True):
        row = _read_row(int(r), record, table, found)
        if row is not None:
            out.append(row)
    return out


def _text(value: object) -> str:
    return "" if is_blank(value) else " ".join(str(value).split())


def _read_row(r: int, record: dict[Any, Any], table: Table, found: Findings) -> SourceRow | None:
    sheet = Sheet.EVIDENCE_SOURCES.value
    file = _text(record.get(Col.FILE))
    if not file:
        found.add(
            Rule.SOURCE_BAD_ROW,
            sheet,
            table.cell(r, Col.FILE),
            "This row names no file.",
            "Type the file's path (relative to the workbook's folder, or a pattern such as exports/*.csv), "
            "or delete the row.",
        )
        return None
    fmt = None
    fmt_text = _text(record.get(Col.FORMAT))
    if fmt_text:
        fmt = _FORMATS.get(norm(fmt_text))
        if fmt is None:
            known = ", ".join(f.value for f in Format)
            found.add(
                Rule.SOURCE_BAD_ROW,
                sheet,
                table.cell(r, Col.FORMAT),
                f"The format '{fmt_text}' is not one the add-in reads.{suggest(fmt_text, [f.value for f in Format])}",
                f"Write one of {known}, or leave it blank and the add-in recognises the file.",
            )
            return None
    metric = None
    metric_text = _text(record.get(Col.METRIC))
    if metric_text:
        metric = _METRICS.get(norm(metric_text))
        if metric is None:
            found.add(
                Rule.SOURCE_BAD_ROW,
                sheet,
                table.cell(r, Col.METRIC),
                f"The metric '{metric_text}' is not one of CSAT, CES, NPS, Emotion.",
                "Pick the metric this question measures.",
            )
            return None
    question = _text(record.get(Col.QUESTION))
    if fmt is not None and fmt in NEEDS_METRIC and question and metric is None:
        found.add(
            Rule.SOURCE_BAD_ROW,
            sheet,
            table.cell(r, Col.METRIC),
            f"The question '{question}' has no metric, so its answers cannot be counted.",
            "Pick CSAT, CES, NPS or Emotion.",
        )
        return None
    labels = None
    if metric is not None:
        try:
            labels = parse_labels(_text(record.get(Col.LABELS)), metric)
        except LabelsError as exc:
            found.add(Rule.SOURCE_BAD_ROW, sheet, table.cell(r, Col.LABELS), f"Labels: {exc}.", _LABELS_FIX)
            return None
    leave_out = _leave_out(_text(record.get(Col.LEAVE_OUT)))
    if leave_out is None:
        found.add(
            Rule.SOURCE_BAD_ROW,
            sheet,
            table.cell(r, Col.LEAVE_OUT),
            f"'{_text(record.get(Col.LEAVE_OUT))}' does not say which answers to leave out.",
            "Write column=value pairs separated by ';', e.g. 'Status=1; Finished=0'; several values as 'Status=1,2'.",
        )
        return None
    return SourceRow(
        row=r,
        file=file,
        format=fmt,
        question=question,
        metric=metric,
        labels=labels,
        stage=Field.parse(record.get(Col.STAGE)),
        touchpoint=Field.parse(record.get(Col.TOUCHPOINT)),
        persona=Field.parse(record.get(Col.PERSONA)),
        channel=Field.parse(record.get(Col.CHANNEL)),
        respondent=Field.parse(record.get(Col.RESPONDENT)),
        date=Field.parse(record.get(Col.DATE)),
        leave_out=leave_out,
        engine=_text(record.get(Col.ENGINE)),
        cells={col: table.cell(r, col) for col in table.columns if table.columns[col]},
    )


_LABELS_FIX = (
    "Leave Labels blank for the common scales, name one (nps-0-10, satisfaction-5, agreement-5, ease-7, "
    "agreement-7-easy, emotion-5), or list label=score pairs separated by ';'."
)


def _leave_out(text: str) -> tuple[LeaveOut, ...] | None:
    if not text:
        return ()
    out = []
    for part in (p for p in re.split(r"[;\n]", text) if p.strip()):
        column, sep, values = part.partition("=")
        if not sep or not column.strip() or not values.strip():
            return None
        out.append(LeaveOut(column.strip(), tuple(label_key(v) for v in values.split(",") if v.strip())))
    return tuple(out)
