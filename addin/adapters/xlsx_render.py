"""Render the core's `OutputSheet`s into an openpyxl workbook: cells, styles, links, colour scales,
native charts and pictures. Used for files; the xlwings and Google Sheets adapters have their own.
"""

from __future__ import annotations

import copy
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart
from openpyxl.chart import Series as ChartSeries
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.marker import DataPoint, Marker
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.image import Image
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from addin.core.model import ChartSpec, ColorScale, OutputSheet, Ref, a1
from addin.core.styles import ROLES, Style

_THIN = Side(style="thin", color="BFBFBF")


class _StyleCache:
    """Each role's openpyxl style, and the style array of the first cell given it: the next cells of that
    role take a copy of the array (indices into the workbook's style lists), instead of each attribute being
    looked up in those lists again (what openpyxl does per cell and attribute, the bulk of writing a sheet)."""

    def __init__(self) -> None:
        self.cache: dict[str, dict[str, Any]] = {}
        self.arrays: dict[str, Any] = {}

    def get(self, role: str) -> dict[str, Any]:
        if role not in self.cache:
            self.cache[role] = _openpyxl_style(ROLES.get(role, Style()))
        return self.cache[role]

    def apply(self, target: Any, role: str) -> None:
        array = self.arrays.get(role)
        if array is not None:
            target._style = copy.copy(array)
            return
        for attr, style in self.get(role).items():
            setattr(target, attr, style)
        self.arrays[role] = copy.copy(target._style)


def _openpyxl_style(s: Style) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if s.bold or s.italic or s.size or s.color or s.underline:
        out["font"] = Font(
            bold=s.bold,
            italic=s.italic,
            size=s.size,
            color=s.color,
            underline="single" if s.underline else None,
        )
    if s.fill:
        out["fill"] = PatternFill("solid", fgColor=s.fill)
    out["alignment"] = Alignment(wrap_text=s.wrap or None, horizontal=s.align, vertical="top")
    if s.number_format:
        out["number_format"] = s.number_format
    if s.border:
        out["border"] = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    return out


def render(wb: Workbook, outputs: list[OutputSheet], positions: dict[str, int] | None = None) -> None:
    """Add each output sheet to `wb` (at `positions[name]` when given, else at the end)."""
    styles = _StyleCache()
    positions = positions or {}
    created = {}
    # sheets that go back to their old place first, in tab order, so earlier inserts do not shift later ones
    for sheet in sorted((o for o in outputs if o.name in positions), key=lambda o: positions[o.name]):
        created[sheet.name] = wb.create_sheet(sheet.name, positions[sheet.name])
    for sheet in outputs:
        ws = created.get(sheet.name) or wb.create_sheet(sheet.name)
        _cells(ws, sheet, styles)
        for col, width in sheet.col_widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width
        if sheet.freeze:
            ws.freeze_panes = a1(*sheet.freeze)
        for merge in sheet.merges:
            ws.merge_cells(
                start_row=merge.first_row,
                start_column=merge.first_col,
                end_row=merge.last_row,
                end_column=merge.last_col,
            )
        for row, height in sheet.row_heights.items():
            ws.row_dimensions[row].height = height
        for scale in sheet.color_scales:
            ws.conditional_formatting.add(scale.ref.a1(absolute=False).split("!", 1)[1], _color_scale(scale))
        for chart in sheet.charts:
            ws.add_chart(build_chart(wb, chart), a1(*chart.anchor))
        for picture in sheet.pictures:
            img = Image(io.BytesIO(picture.png()))
            img.width, img.height = picture.width_px, picture.height_px
            ws.add_image(img, a1(*picture.anchor))
        ws.sheet_view.zoomScale = 100
        _page_setup(ws, sheet)


def _page_setup(ws: Worksheet, sheet: OutputSheet) -> None:
    """Landscape A4, one page wide, title rows, print area and row breaks, as `sheet.page` says."""
    from addin.core.printing import DEFAULT_ROW_PT, MARGINS_IN

    page = sheet.page
    ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if page.fit_width:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as it needs
    ws.page_margins = PageMargins(**MARGINS_IN)
    # rows without a height of their own are 15 pt in every program (LibreOffice's default is lower),
    # so the breaks computed from the sheet's geometry fall where the core expects them
    ws.sheet_format.defaultRowHeight = DEFAULT_ROW_PT
    ws.sheet_format.customHeight = True
    if page.title_rows:
        ws.print_title_rows = f"{page.title_rows[0]}:{page.title_rows[1]}"
    if page.area is not None:
        ws.print_area = page.area.a1().split("!", 1)[1]
    for row in page.row_breaks:
        ws.row_breaks.append(Break(id=row - 1))  # a break id is the last row above the break


def _color_scale(scale: ColorScale) -> ColorScaleRule:
    """Three colours at fixed numbers when the sheet gives them (so its legend holds), else min/median/max."""
    low, mid, high = scale.colors
    if scale.points is None:
        return ColorScaleRule(
            start_type="min",
            start_color=low,
            mid_type="percentile",
            mid_value=50,
            mid_color=mid,
            end_type="max",
            end_color=high,
        )
    p_low, p_mid, p_high = scale.points
    return ColorScaleRule(
        start_type="num",
        start_value=p_low,
        start_color=low,
        mid_type="num",
        mid_value=p_mid,
        mid_color=mid,
        end_type="num",
        end_value=p_high,
        end_color=high,
    )


def _cells(ws: Worksheet, sheet: OutputSheet, styles: _StyleCache) -> None:
    for r, c, cell in sheet.iter_cells():
        value = cell.value
        if value is None and cell.style is None:
            continue  # nothing to write
        target = ws.cell(r, c)
        if isinstance(value, str):
            target.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            target.data_type = "s"  # text stays text, even when it starts with = + - @
        else:
            target.value = value
        # every cell top-aligned, so a row grown for wrapped text still reads as one line of a table
        styles.apply(target, cell.style or "")
        if cell.link:
            target.hyperlink = Hyperlink(ref=target.coordinate, location=cell.link, display=str(value))


def _ref(wb: Workbook, ref: Ref) -> Reference:
    return Reference(
        wb[ref.sheet],
        min_col=ref.first_col,
        min_row=ref.first_row,
        max_col=ref.last_col,
        max_row=ref.last_row,
    )


def build_chart(wb: Workbook, spec: ChartSpec) -> Any:
    """A native, editable chart reading from the output sheets.

    Written so Excel and LibreOffice draw it the same way: `varyColors` off (LibreOffice takes a
    missing element as on), explicit fills for markers and bars, the X axis at the bottom without
    vertical gridlines, axes crossing at their minimum, and number formats not linked to the cells.
    """
    chart: Any
    if spec.kind == "scatter":
        chart = ScatterChart(scatterStyle="lineMarker")
        for s in spec.series:
            assert s.x_values is not None
            series = ChartSeries(_ref(wb, s.values), _ref(wb, s.x_values), title=s.name)
            if s.reference:  # a reference line: no markers
                series.marker = Marker(symbol="none")
                _line(series.graphicalProperties, s.color or "595959", s.dashed, width_pt=1.25)
            else:  # data points: markers only
                series.marker = _marker("circle", 8, s.color or "2C7BB6")
                series.graphicalProperties.line.noFill = True
                for idx, color in enumerate(s.point_colors or ()):
                    series.dPt.append(DataPoint(idx=idx, marker=_marker("circle", 8, color)))
            series.smooth = False
            chart.series.append(series)
        chart.x_axis.axPos = "b"
        chart.x_axis.majorGridlines = None
        chart.x_axis.crosses = "min"
        _bounds(chart.x_axis, spec.x_min, spec.x_max)
        _number_format(chart.x_axis, spec.x_number_format)
    else:
        if spec.kind == "line":
            chart = LineChart()
            chart.marker = True
        else:
            chart = BarChart()
            chart.type = "bar" if spec.kind == "bar" else "col"
            chart.gapWidth = 60
        for s in spec.series:
            chart.add_data(_ref(wb, s.values), titles_from_data=False)
            series = chart.series[-1]
            series.tx = SeriesLabel(v=s.name)
            if spec.kind == "line":
                color = s.color or "404040"
                series.marker = _marker("circle", 7, color)
                _line(series.graphicalProperties, color, s.dashed, width_pt=2.25)
                series.smooth = False
            else:
                series.graphicalProperties.solidFill = s.color or "2C7BB6"
                series.graphicalProperties.line.noFill = True
                for idx, color in enumerate(s.point_colors or ()):
                    point = DataPoint(idx=idx)
                    point.graphicalProperties.solidFill = color
                    point.graphicalProperties.line.noFill = True
                    series.dPt.append(point)
        if spec.categories is not None:
            chart.set_categories(_ref(wb, spec.categories))
        chart.x_axis.tickLblPos = "low"  # category labels below the plot, not where the value axis is 0
        chart.x_axis.majorGridlines = None
        if spec.kind != "line" and len(spec.series) == 1:
            chart.legend = None
    chart.varyColors = False
    chart.title = _title(spec.title, 1200, bold=True)
    horizontal, vertical = (chart.y_axis, chart.x_axis) if spec.kind == "bar" else (chart.x_axis, chart.y_axis)
    horizontal.title = _title(spec.x_title, 900) if spec.x_title else None
    vertical.title = _title(spec.y_title, 900) if spec.y_title else None
    chart.y_axis.crosses = "min"
    _bounds(chart.y_axis, spec.y_min, spec.y_max)
    if spec.y_major_unit:
        chart.y_axis.majorUnit = spec.y_major_unit
    _number_format(chart.y_axis, spec.number_format)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if chart.legend is not None:
        chart.legend.position = "b"
    chart.width = spec.width_cm
    chart.height = spec.height_cm
    return chart


def _title(text: str, size: int, bold: bool = False) -> Title:
    """A title in `size` hundredths of a point (LibreOffice's default chart title is large)."""
    font = CharacterProperties(sz=size, b=bold)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _marker(symbol: str, size: int, color: str) -> Marker:
    """A marker filled with `color`, outlined darker, so it shows whatever the series line does."""
    return Marker(
        symbol=symbol,
        size=size,
        spPr=GraphicalProperties(solidFill=color, ln=LineProperties(solidFill="333333", w=6350)),
    )


def _line(props: GraphicalProperties, color: str, dashed: bool, width_pt: float) -> None:
    props.line.solidFill = color
    props.line.width = int(width_pt * 12700)
    props.line.prstDash = "dash" if dashed else "solid"


def _bounds(axis: Any, low: float | None, high: float | None) -> None:
    if low is not None:
        axis.scaling.min = low
    if high is not None:
        axis.scaling.max = high


def _number_format(axis: Any, code: str | None) -> None:
    if code:
        axis.numFmt = NumFmt(formatCode=code, sourceLinked=False)
