"""Render the core's `OutputSheet`s into an openpyxl workbook: cells, styles, links, colour scales,
native charts and pictures. Used for files; the xlwings and Google Sheets adapters have their own.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart
from openpyxl.chart import Series as ChartSeries
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.model import ChartSpec, OutputSheet, Ref, a1
from addin.core.styles import ROLES, Style

_THIN = Side(style="thin", color="BFBFBF")
CM = 360000  # EMU per cm


class _StyleCache:
    def __init__(self) -> None:
        self.cache: dict[str, dict[str, Any]] = {}

    def get(self, role: str) -> dict[str, Any]:
        if role not in self.cache:
            self.cache[role] = _openpyxl_style(ROLES.get(role, Style()))
        return self.cache[role]


def _openpyxl_style(s: Style) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if s.bold or s.italic or s.size or s.color or s.underline:
        out["font"] = Font(bold=s.bold, italic=s.italic, size=s.size, color=s.color,
                           underline="single" if s.underline else None)
    if s.fill:
        out["fill"] = PatternFill("solid", fgColor=s.fill)
    if s.wrap or s.align:
        out["alignment"] = Alignment(wrap_text=s.wrap or None, horizontal=s.align, vertical="top")
    if s.number_format:
        out["number_format"] = s.number_format
    if s.border:
        out["border"] = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    return out


def render(wb: Workbook, outputs: list[OutputSheet], positions: dict[str, int] | None = None) -> None:
    """Add each output sheet to `wb` (at `positions[name]` when given, else at the end)."""
    styles = _StyleCache()
    for sheet in outputs:
        index = (positions or {}).get(sheet.name)
        ws = wb.create_sheet(sheet.name, index)
        _cells(ws, sheet, styles)
        for col, width in sheet.col_widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width
        if sheet.freeze:
            ws.freeze_panes = a1(*sheet.freeze)
        for merge in sheet.merges:
            ws.merge_cells(start_row=merge.first_row, start_column=merge.first_col, end_row=merge.last_row,
                           end_column=merge.last_col)
        for scale in sheet.color_scales:
            low, mid, high = scale.colors
            ws.conditional_formatting.add(
                scale.ref.a1(absolute=False).split("!", 1)[1],
                ColorScaleRule(start_type="min", start_color=low, mid_type="percentile", mid_value=50,
                               mid_color=mid, end_type="max", end_color=high))
        for chart in sheet.charts:
            ws.add_chart(build_chart(wb, chart), a1(*chart.anchor))
        for picture in sheet.pictures:
            img = Image(io.BytesIO(picture.png()))
            img.width, img.height = picture.width_px, picture.height_px
            ws.add_image(img, a1(*picture.anchor))
        ws.sheet_view.zoomScale = 100


def _cells(ws: Worksheet, sheet: OutputSheet, styles: _StyleCache) -> None:
    for r, c, cell in sheet.iter_cells():
        value = cell.value
        if value is None and cell.style is None:
            continue
        target = ws.cell(r, c)
        if isinstance(value, str):
            target.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            target.data_type = "s"  # text stays text, even when it starts with = + - @
        else:
            target.value = value
        if cell.style:
            for attr, style in styles.get(cell.style).items():
                setattr(target, attr, style)
        if cell.link:
            target.hyperlink = Hyperlink(ref=target.coordinate, location=cell.link, display=str(value))


def _ref(wb: Workbook, ref: Ref) -> Reference:
    return Reference(wb[ref.sheet], min_col=ref.first_col, min_row=ref.first_row, max_col=ref.last_col,
                     max_row=ref.last_row)


def build_chart(wb: Workbook, spec: ChartSpec) -> Any:
    """A native, editable chart reading from the output sheets."""
    chart: Any
    if spec.kind == "scatter":
        chart = ScatterChart(scatterStyle="lineMarker")
        for i, s in enumerate(spec.series):
            assert s.x_values is not None
            series = ChartSeries(_ref(wb, s.values), _ref(wb, s.x_values), title=s.name)
            if i == 0:
                series.marker = Marker(symbol="circle", size=9)
                series.graphicalProperties.line.noFill = True
            else:
                series.marker = Marker(symbol="none")
                series.graphicalProperties.line.dashStyle = "dash"
                series.graphicalProperties.line.solidFill = "595959"
            chart.series.append(series)
    else:
        if spec.kind == "line":
            chart = LineChart()
        else:
            chart = BarChart()
            chart.type = "bar" if spec.kind == "bar" else "col"
            chart.gapWidth = 60
        for s in spec.series:
            chart.add_data(_ref(wb, s.values), titles_from_data=False)
            chart.series[-1].tx = SeriesLabel(v=s.name)
            if spec.kind == "line":
                chart.series[-1].marker = Marker(symbol="circle", size=7)
                chart.series[-1].smooth = False
        if spec.categories is not None:
            chart.set_categories(_ref(wb, spec.categories))
        if spec.kind != "line" and len(spec.series) == 1:
            chart.legend = None
    chart.title = spec.title
    chart.x_axis.title = spec.x_title or None
    chart.y_axis.title = spec.y_title or None
    if spec.y_min is not None:
        chart.y_axis.scaling.min = spec.y_min
    if spec.y_max is not None:
        chart.y_axis.scaling.max = spec.y_max
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width = spec.width_cm
    chart.height = spec.height_cm
    return chart
