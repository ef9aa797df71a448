"""Builders for the OOXML tests: user workbooks full of things openpyxl would lose, and donor workbooks."""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table

OUTPUT_SHEETS = ("Validation", "Heatmap", "Priorities", "Dashboard")
UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOM_UI = (
    b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon><tabs>'
    b'<tab id="journey" label="Journey Map"><group id="run" label="Run">'
    b'<button id="go" label="Analyse" onAction="Analyse"/></group></tab></tabs></ribbon></customUI>'
)
FAKE_VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8  # just bytes that must survive


def make_png(rgb: tuple[int, int, int] = (200, 30, 30), size: int = 8) -> bytes:
    """A tiny valid PNG of one colour."""
    row = b"\x00" + bytes(rgb) * size
    raw = row * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def rezip(path: Path, edit: Callable[[dict[str, bytes]], None]) -> None:
    """Rewrite the zip at `path` after `edit` changed its {name: bytes} in place (new entries go last)."""
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    edit(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _add_rel(rels: bytes, rel_id: str, rel_type: str, target: str) -> bytes:
    rel = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/>'.encode()
    return rels.replace(b"</Relationships>", rel + b"</Relationships>")


def build_target(
    path: Path,
    *,
    vba: bool = False,
    custom_ui: bool = False,
    calc_chain: bool = True,
    heatmap_name: str = "Heatmap",
) -> Path:
    """A user's journey workbook made with XlsxWriter, holding everything openpyxl cannot round-trip.

    Sheets: Journey (user data with shapes, button, sparklines, x14 data bar, chart, picture, comment,
    data validation, table), Heatmap (old output: chart, the same picture, comment), Notes, Validation.
    """
    png = make_png()
    wb = xlsxwriter.Workbook(str(path))
    journey = wb.add_worksheet("Journey")
    heatmap = wb.add_worksheet(heatmap_name)
    notes = wb.add_worksheet("Notes")
    validation = wb.add_worksheet("Validation")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd", "italic": True})
    red = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    journey.write_row(0, 0, ["Stage", "Touchpoint", "Severity", "Frequency", "Due"])
    for r in range(1, 11):
        journey.write_row(r, 0, [f"Stage {r}", f"Touchpoint {r}", r % 5 + 1, r * 3])
        journey.write_datetime(r, 4, datetime.datetime(2024, 1, r), date_fmt)
    journey.add_table("G1:H4", {"name": "Table1", "columns": [{"header": "Key"}, {"header": "Value"}]})
    journey.insert_textbox("K2", "Hand-drawn note: keep me")
    journey.insert_button("K8", {"caption": "Run analysis", **({"macro": "Analyse"} if vba else {})})
    journey.add_sparkline("F2", {"range": "Journey!C2:D2"})
    journey.conditional_format("D2:D11", {"type": "data_bar", "data_bar_2010": True})
    journey.conditional_format("C2:C11", {"type": "cell", "criteria": ">", "value": 4, "format": red})
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"values": "=Journey!$D$2:$D$11"})
    journey.insert_chart("K14", chart)
    journey.insert_image("K30", "journey.png", {"image_data": io.BytesIO(png)})
    journey.write_comment("A1", "User comment on the journey")
    journey.data_validation("C2:C11", {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5})
    journey.write_formula("D12", "=SUM(D2:D11)")
    journey.write_formula("D13", "=MAX(D2:D11)")
    old_chart = wb.add_chart({"type": "bar"})
    old_chart.add_series({"values": "=Journey!$C$2:$C$11"})
    heatmap.write("A1", "old heatmap")
    heatmap.write_formula("A2", "=Journey!D12*2")
    heatmap.insert_chart("C2", old_chart)
    heatmap.insert_image("C20", "journey.png", {"image_data": io.BytesIO(png)})  # shared media part
    heatmap.write_comment("A1", "old output comment")
    notes.write("A1", "my own notes")
    notes.write_formula("A2", "=Journey!D13")
    validation.write("A1", "old validation")
    wb.define_name("Stages", "=Journey!$A$2:$A$11")
    wb.define_name("Notes!Local", "=Notes!$A$1")
    wb.define_name(f"'{heatmap_name}'!HeatLocal", f"='{heatmap_name}'!$A$1")
    if vba:
        wb.set_vba_name()
        journey.set_vba_name()
        heatmap.set_vba_name("HeatCode")
        wb.add_vba_project(io.BytesIO(FAKE_VBA), is_stream=True)
    wb.close()

    def extras(parts: dict[str, bytes]) -> None:
        # What Excel itself puts in workbook.xml and XlsxWriter does not: markup compatibility, x15 and
        # revision namespaces, an extLst. The splice must leave all of it alone.
        parts["xl/workbook.xml"] = (
            parts["xl/workbook.xml"]
            .replace(
                b'relationships">',
                b'relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                b'mc:Ignorable="x15 xr" '
                b'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" '
                b'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision">',
                1,
            )
            .replace(
                b"<bookViews>",
                b'<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\cx\\" '
                b'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice>'
                b'</mc:AlternateContent><xr:revisionPtr revIDLastSave="0" documentId="8_{0}"/><bookViews>',
            )
            .replace(
                b"</workbook>",
                b'<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}">'
                b'<x15:workbookPr chartTrackingRefBase="1"/>'
                b"</ext></extLst></workbook>",
            )
        )
        if calc_chain:  # XlsxWriter writes none; Excel would. Entries without i take the previous one's.
            parts["xl/calcChain.xml"] = (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<c r="D12" i="1"/><c r="D13"/><c r="A2" i="2"/><c r="A3"/><c r="A2" i="3"/></calcChain>'
            )
            parts["xl/_rels/workbook.xml.rels"] = _add_rel(
                parts["xl/_rels/workbook.xml.rels"],
                "rId99",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain",
                "calcChain.xml",
            )
            parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
                b"</Types>",
                b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
            )
        if custom_ui:
            parts["customUI/customUI14.xml"] = CUSTOM_UI
            parts["_rels/.rels"] = _add_rel(parts["_rels/.rels"], "rIdUI", UI_REL, "customUI/customUI14.xml")

    rezip(path, extras)
    return path


def build_donor() -> bytes:
    """The add-in's four output sheets rendered by openpyxl, with charts, a picture and rich formatting."""
    wb = openpyxl.Workbook()
    validation = wb.active
    assert validation is not None
    validation.title = "Validation"
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F3864")
    thin = Side(style="thin", color="999999")
    validation.append(["Severity", "Rule", "Sheet", "Cell", "Message", "Fix"])
    for cell in validation[1]:
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    validation.append(["error", "J001", "Journey", "C3", "Severity out of range", "Use 1..5"])
    validation["A2"].font, validation["A2"].fill = (
        Font(bold=True, color="9C0006"),
        PatternFill("solid", fgColor="FFC7CE"),
    )
    validation["D2"].hyperlink = Hyperlink(ref="D2", location="'Journey'!C3", display="C3")
    validation["D2"].style = "Hyperlink"
    validation["E2"].comment = Comment("explains the rule", "addin")
    validation.freeze_panes = "A2"
    validation.column_dimensions["E"].width = 42

    heatmap = wb.create_sheet("Heatmap")
    heatmap.append(["Stage", "Awareness", "Purchase", "Support"])
    for r, lane in enumerate(("Persona A", "Persona B", "Persona C"), start=2):
        heatmap.append([lane, r * 1.5, r * 2.25, r * 3.125])
        for c in range(2, 5):
            heatmap.cell(r, c).number_format = "0.0"
    heatmap["A1"].font = Font(bold=True, size=14, color="1F3864")
    heatmap.conditional_formatting.add(
        "B2:D4", ColorScaleRule(start_type="min", start_color="FFFFCC", mid_type="percentile",
                                mid_value=50, mid_color="FD8D3C", end_type="max", end_color="BD0026")
    )  # fmt: skip
    heatmap.conditional_formatting.add(
        "B2:D4",
        CellIsRule(operator="greaterThan", formula=["9"], fill=PatternFill("solid", bgColor="BD0026")),
    )
    heatmap.merge_cells("A6:D6")
    heatmap["A6"] = "Darker = more pain"
    heatmap["A7"] = "Back to the journey"
    heatmap["A7"].hyperlink = "#'Journey'!A1"
    heatmap.freeze_panes = "B2"
    heatmap.column_dimensions["A"].width = 24
    heatmap.add_image(Image(io.BytesIO(make_png((30, 60, 200), 16))), "F2")

    priorities = wb.create_sheet("Priorities")
    priorities.append(["ID", "Title", "Score", "Share"])
    for i in range(1, 6):
        priorities.append([f"R{i}", f"Recommendation {i}", 100 - i * 7.5, i / 20])
        priorities.cell(i + 1, 4).number_format = "0.0%"
        priorities.cell(i + 1, 3).number_format = '#,##0.00 "pts"'
    table = Table(displayName="Table1", ref="A1:D6")
    priorities.add_table(table)

    dashboard = wb.create_sheet("Dashboard")
    dashboard.append(["Stage", "Pain", "Reach"])
    for i, stage in enumerate(("Aware", "Consider", "Buy", "Use"), start=1):
        dashboard.append([stage, i * 2.5, i * 10])
    bar, line, scatter = BarChart(), LineChart(), ScatterChart()
    data = Reference(dashboard, min_col=2, min_row=1, max_row=5)
    cats = Reference(dashboard, min_col=1, min_row=2, max_row=5)
    for chart in (bar, line):
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
    reach = Reference(dashboard, min_col=3, min_row=2, max_row=5)
    pain = Reference(dashboard, min_col=2, min_row=2, max_row=5)
    scatter.series.append(Series(reach, pain, title="Reach"))
    bar.title, line.title, scatter.title = "Pain by stage", "Pain trend", "Pain vs reach"
    dashboard.add_chart(bar, "E2")
    dashboard.add_chart(line, "E18")
    dashboard.add_chart(scatter, "N2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
