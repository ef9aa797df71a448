"""Write the journey templates: the blank one and the examples (`python -m addin new`).

A business user fills them without reading a manual: an Instructions sheet, Excel Tables,
drop-down lists, frozen headers and sensible column widths.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from addin.adapters.ooxml_styles import schema_ordered_styles
from addin.adapters.ooxml_vml import number_notes
from addin.authoring.examples import EXAMPLES, ExampleJourney, evidence, respondent_panel
from addin.core.contract import COLUMNS, SETTINGS, Col, Lane, Metric, Sheet, Source
from addin.core.sources.formats import Format
from addin.core.words import article

BLANK_STAGES = ["Awareness", "Consideration", "Purchase", "Onboarding", "Retention", "Advocacy"]
BLANK_ROWS = 30
"""Empty table rows (with drop-downs) in the blank template."""
DV_ROWS = 5000
"""Drop-downs reach this far down each table sheet."""
FIXED_TIME = dt.datetime(2026, 1, 1)
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WIDTHS = {
    Col.ID: 8,
    Col.STAGE: 16,
    Col.TOUCHPOINT: 18,
    Col.CHANNEL: 14,
    Col.PERSONA: 18,
    Col.DESCRIPTION: 50,
    Col.SEVERITY: 10,
    Col.FREQUENCY: 11,
    Col.SOURCE: 13,
    Col.TITLE: 42,
    Col.ADDRESSES: 16,
    Col.REACH: 10,
    Col.IMPACT: 9,
    Col.CONFIDENCE: 12,
    Col.EFFORT: 9,
    Col.OWNER: 18,
    Col.STATUS: 12,
    Col.DATE: 12,
    Col.METRIC: 10,
    Col.SCORE: 8,
    Col.COMMENT: 40,
    Col.RESPONDENT: 14,
    Col.ENTERED: 12,
    Col.COMPLETED: 12,
    Col.KEY: 28,
    Col.VALUE: 44,
    Col.WEIGHT: 10,
    Col.FILE: 28,
    Col.FORMAT: 14,
    Col.QUESTION: 30,
    Col.LABELS: 24,
    Col.RESPONDENT: 14,
    Col.LEAVE_OUT: 18,
}
HEADER_NOTES = {
    (Sheet.PAIN_POINTS, Col.SEVERITY): "1 = minor annoyance ... 5 = blocks the customer",
    (Sheet.PAIN_POINTS, Col.FREQUENCY): "1 = rare ... 5 = almost every customer",
    (Sheet.RECOMMENDATIONS, Col.ADDRESSES): "Pain-point IDs this fixes, separated by commas: P1, P4",
    (Sheet.RECOMMENDATIONS, Col.REACH): "Customers reached per period (e.g. per quarter)",
    (Sheet.RECOMMENDATIONS, Col.IMPACT): "RICE impact: 3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal. "
    "Blank = derived from the pain points it addresses.",
    (Sheet.RECOMMENDATIONS, Col.CONFIDENCE): "How sure are you? 0-100 %",
    (Sheet.RECOMMENDATIONS, Col.EFFORT): "Person-weeks of work (more than 0)",
    (Sheet.PERSONAS, Col.WEIGHT): "Share of customers in %. Blank = all personas count the same.",
    (Sheet.EVIDENCE, Col.SCORE): "CSAT 1-5, CES 1-7, NPS 0-10, Emotion -2..+2",
    (Sheet.EVIDENCE, Col.DATE): "When it was answered. Trends compare months or quarters (Settings: Trend period).",
    (Sheet.EVIDENCE, Col.RESPONDENT): "Optional: who answered (a respondent or response ID), the same on all their "
    "rows. Lets key drivers relate each stage's CSAT to the same people's NPS.",
    (Sheet.EVIDENCE_SOURCES, Col.FILE): "A survey export or event log: a path relative to this workbook's "
    "folder, or a pattern such as exports/*.csv. Read again on every run.",
    (Sheet.EVIDENCE_SOURCES, Col.FORMAT): "Blank = recognised from the file. python -m addin sources add "
    "WORKBOOK FILE fills these rows in for you.",
    (Sheet.EVIDENCE_SOURCES, Col.QUESTION): "The question's column (Q5_1) or its text; for an event log, "
    "an event or a pattern (/product/*).",
    (Sheet.EVIDENCE_SOURCES, Col.LABELS): "Blank = the common scales. Or a scale name (satisfaction-5) "
    "and/or label=score pairs: Loved it=5; Fine=3",
    (Sheet.EVIDENCE_SOURCES, Col.STAGE): "A stage name for every answer, or column: NAME to take it from "
    "the file. Touchpoint, Persona, Channel, Respondent and Date likewise.",
    (Sheet.EVIDENCE_SOURCES, Col.LEAVE_OUT): "Answers not to count: column=value pairs, e.g. Team=staff. "
    "Previews, tests and unfinished responses are left out already.",
}


def build(example: str | None = None) -> Workbook:
    """The blank template (`example=None`) or one of `EXAMPLES`, as an openpyxl Workbook."""
    return build_journey(EXAMPLES[example] if example else None)


def build_journey(ex: ExampleJourney | None) -> Workbook:
    """The template filled with `ex` (blank when None); `ex.evidence_rows` = 0 gives an empty Evidence table."""
    wb = Workbook()
    wb.properties.creator = "Journey Map add-in"
    wb.properties.created = FIXED_TIME
    _instructions(wb.active, ex)
    stages = ex.stages if ex else BLANK_STAGES
    _journey(wb.create_sheet(Sheet.JOURNEY.value), stages, ex)
    _table_sheet(wb, Sheet.PERSONAS, [list(p) for p in ex.personas] if ex else [])
    _table_sheet(wb, Sheet.PAIN_POINTS, [list(p) for p in ex.pain_points] if ex else [])
    _table_sheet(wb, Sheet.RECOMMENDATIONS, [list(r) for r in ex.recommendations] if ex else [])
    rows = [list(r) for r in evidence(ex)] if ex and ex.evidence_rows else []
    _table_sheet(wb, Sheet.EVIDENCE, rows + ([list(r) for r in respondent_panel(ex)] if ex else []))
    _table_sheet(wb, Sheet.FUNNEL, [list(f) for f in ex.funnel] if ex else [])
    settings = dict(ex.settings) if ex else {}
    _table_sheet(wb, Sheet.SETTINGS, [[s.key, settings.get(s.key, s.default)] for s in SETTINGS])
    _table_sheet(wb, Sheet.EVIDENCE_SOURCES, [])
    _validations(wb)
    return wb


def save(wb: Workbook, path: str | Path) -> None:
    """Save with fixed zip timestamps and document dates, so the same template gives the same bytes."""
    Path(path).write_bytes(to_bytes(wb))


def to_bytes(wb: Workbook) -> bytes:
    """The workbook's file bytes, with fixed zip timestamps and document dates (reproducible).

    What openpyxl writes is then put the way Excel writes it: font children in schema order, and
    each notes drawing with its own shape ids (see `addin.adapters.ooxml_vml`).
    """
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    parts.update(number_notes(parts))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = parts[info.filename]
            if info.filename == "docProps/core.xml":
                data = _fixed_dates(data)
            elif info.filename == "xl/styles.xml":
                data = schema_ordered_styles(data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()


def _fixed_dates(core: bytes) -> bytes:
    import re

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", core)


def _header(ws: Worksheet, headers: list[str]) -> None:
    for c, name in enumerate(headers, start=1):
        cell = ws.cell(1, c, name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "B2" if ws.title == Sheet.JOURNEY.value else "A2"


def _add_table(ws: Worksheet, name: str, columns: int, rows: int) -> None:
    ref = f"A1:{get_column_letter(columns)}{max(rows, 1) + 1}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)


def _journey(ws: Worksheet, stages: list[str], ex: ExampleJourney | None) -> None:
    _header(ws, [Col.LANE.value, *stages])
    lanes: dict[str, list[Any]] = dict(ex.lanes) if ex else {lane.value: [None] * len(stages) for lane in Lane}
    for r, (lane, values) in enumerate(lanes.items(), start=2):
        ws.cell(r, 1, str(lane)).font = Font(bold=True)
        for c, value in enumerate(values, start=2):
            cell = ws.cell(r, c, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 24
    for c in range(2, len(stages) + 2):
        ws.column_dimensions[get_column_letter(c)].width = 24
    _add_table(ws, Sheet.JOURNEY.value, len(stages) + 1, len(lanes))
    ws["A1"].comment = Comment(
        "Stages across (in journey order), lanes down. Emotion: -2 (very negative) to +2 (very positive). "
        "Add 'Emotion: <persona>' lanes for one curve per persona.",
        "Journey Map",
    )


def _table_sheet(wb: Workbook, sheet: Sheet, rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(sheet.value)
    headers = [c.value for c in COLUMNS[sheet]]
    _header(ws, headers)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    for c, name in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS.get(Col(name), 14)
        note = HEADER_NOTES.get((sheet, Col(name)))
        if note:
            ws.cell(1, c).comment = Comment(note, "Journey Map")
    if sheet is Sheet.EVIDENCE:
        for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=1, max_col=1):
            cell.number_format = "yyyy-mm-dd"
    empty = BLANK_ROWS if not rows else 0
    _add_table(ws, sheet.value, len(headers), len(rows) + empty)


def _validations(wb: Workbook) -> None:
    """Drop-down lists; Stage and Persona follow the Journey grid and Personas sheet as the user edits."""
    journey = quote_sheetname(Sheet.JOURNEY.value)
    personas = quote_sheetname(Sheet.PERSONAS.value)
    wb.defined_names["StageList"] = DefinedName(
        "StageList", attr_text=f"OFFSET({journey}!$B$1,0,0,1,MAX(1,COUNTA({journey}!$1:$1)-1))"
    )
    wb.defined_names["PersonaList"] = DefinedName(
        "PersonaList", attr_text=f"OFFSET({personas}!$A$2,0,0,MAX(1,COUNTA({personas}!$A:$A)-1),1)"
    )
    lists = {
        # a name as Excel stores it, without "=" (Gnumeric reads "=StageList" as an invalid expression)
        Col.STAGE: "StageList",
        Col.PERSONA: "PersonaList",
        Col.SEVERITY: '"1,2,3,4,5"',
        Col.FREQUENCY: '"1,2,3,4,5"',
        Col.SOURCE: '"' + ",".join(s.value for s in Source) + '"',
        Col.METRIC: '"' + ",".join(m.value for m in Metric) + '"',
        Col.IMPACT: '"0.25,0.5,1,2,3"',
        Col.FORMAT: '"' + ",".join(f.value for f in Format) + '"',
    }
    for sheet in (Sheet.PAIN_POINTS, Sheet.RECOMMENDATIONS, Sheet.EVIDENCE, Sheet.FUNNEL, Sheet.EVIDENCE_SOURCES):
        ws = wb[sheet.value]
        for c, col in enumerate(COLUMNS[sheet], start=1):
            formula = lists.get(col)
            if formula is None or (sheet is Sheet.PERSONAS and col is Col.PERSONA):
                continue
            dv = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle=f"Unexpected {col.value}",
                error=f"Pick {article(col.value)} {col.value} from the list (you can keep your value).",
            )
            letter = get_column_letter(c)
            dv.add(f"{letter}2:{letter}{DV_ROWS}")
            ws.add_data_validation(dv)
    settings = wb[Sheet.SETTINGS.value]
    for r, spec in enumerate(SETTINGS, start=2):
        if spec.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=True)
            dv.add(f"B{r}")
            settings.add_data_validation(dv)


def _instructions(ws: Worksheet, ex: ExampleJourney | None) -> None:
    ws.title = Sheet.INSTRUCTIONS.value
    lines: list[tuple[str, str | None]] = [
        ("Customer journey map", "title"),
        (
            f"Example: {ex.name}" if ex else "Blank template: replace the stage names and fill in the lanes.",
            "subtitle",
        ),
        ("", None),
        ("How to use this workbook", "head"),
        (
            "1. Journey: stages across the first row (in order), lanes down. Emotion: a number from -2 to +2.",
            None,
        ),
        ("2. Personas: who your customers are; Weight = share of customers in % (optional).", None),
        (
            "3. PainPoints: one row per pain point. Severity, Frequency 1-5. Stage and Persona from the lists.",
            None,
        ),
        ("4. Recommendations: what you could do. Addresses = the pain-point IDs it fixes (P1, P4).", None),
        (
            "5. Evidence (optional): survey answers, observations. Funnel (optional): customers per stage.",
            None,
        ),
        (
            "   EvidenceSources (optional): survey exports and event logs the add-in reads on every run.",
            None,
        ),
        (
            "6. Run the add-in: Excel ribbon 'Journey Map' > Refresh all, or python -m addin regenerate FILE",
            None,
        ),
        ("", None),
        ("What you get", "head"),
        ("Validation: every problem found, with a link to the cell and how to fix it.", None),
        ("Heatmap: where the journey hurts, stage by stage, with evidence scores and funnel drop-off.", None),
        (
            "Priorities: recommendations ranked by score, with quadrant (Quick win, Big bet, Fill-in, Money pit)",
            None,
        ),
        ("Dashboard: charts of emotion, pain by stage, value vs effort and the top recommendations.", None),
        ("These four sheets are replaced on every run: type only in the input sheets.", None),
        ("", None),
        ("Scales", "head"),
        ("Pain score = 100 x Severity/5 x Frequency/5 (x persona weight relative to the average).", None),
        (
            "RICE score = Reach x Impact x Confidence / Effort. Blank Impact = derived from the pain addressed.",
            None,
        ),
        ("Evidence: CSAT 1-5, CES 1-7 (lower is easier), NPS 0-10, Emotion -2..+2.", None),
        ("", None),
        ("Settings (sheet 'Settings'; blank = default)", "head"),
        *[
            (f"{s.key}: {s.help} Default: {s.default if s.default is not None else 'the median'}.", None)
            for s in SETTINGS
        ],
    ]
    for r, (text, kind) in enumerate(lines, start=1):
        cell = ws.cell(r, 1, text or None)  # openpyxl writes "" as an inlineStr cell without its <is>
        if kind == "title":
            cell.font = Font(bold=True, size=18, color="1F3864")
        elif kind == "subtitle":
            cell.font = Font(italic=True, size=12)
        elif kind == "head":
            cell.font = Font(bold=True, size=12, color="1F3864")
    ws.column_dimensions["A"].width = 120
    ws.sheet_view.showGridLines = False
