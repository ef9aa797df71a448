"""Reading and writing a live book through xlwings, against autospecs of the real xlwings classes."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from addin.adapters import xlwings_book as xb
from addin.core.model import Cell, ChartSpec, ColorScale, OutputSheet, Picture, RawSheet, Ref, Series


def test_read_book_keeps_positions_and_skips_output_sheets(fake_excel: Any) -> None:
    excel = fake_excel(
        {
            "Journey": [["Lane", "Discover"], ["Emotion", 1.0]],
            "Settings": [[], [None, None, "x"]],
            "Empty": [],
            "Heatmap": [["old output"]],
        }
    )
    raw = xb.read_book(excel.book)
    assert raw.source == "journey.xlsx"
    assert list(raw.sheets) == ["Journey", "Settings", "Empty"]
    assert raw.sheets["Journey"].rows == [["Lane", "Discover"], ["Emotion", 1.0]]
    assert raw.sheets["Settings"].rows == [[None, None, None], [None, None, "x"]]
    assert raw.sheets["Empty"].rows == []


def test_read_single_cell_sheet_is_a_grid(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]]})
    assert xb.read_book(excel.book).sheets["Journey"].rows == [["Lane"]]


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2 weeks", "'-2 weeks"),
        ("@home", "'@home"),
        ("1/2", "'1/2"),
        ("TRUE", "'TRUE"),
        ("(5)", "'(5)"),
        ("'quoted'", "''quoted'"),
        ("Checkout", "Checkout"),
        ("", ""),
        (3, 3),
        (2.5, 2.5),
        (None, None),
        (True, True),
    ],
)
def test_text_stays_text(value: Any, stored: Any) -> None:
    assert xb.excel_literal(value) == stored


def test_nan_and_numpy_scalars() -> None:
    import numpy as np

    assert xb.excel_literal(float("nan")) is None
    assert xb.excel_literal(np.float64(1.5)) == 1.5 and type(xb.excel_literal(np.int64(3))) is int
    day = dt.date(2026, 1, 2)
    assert xb.excel_literal(day) == day


def test_rectangles_cover_exactly_the_cells() -> None:
    cells = {(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 2), (5, 5), (5, 7)}
    rects = xb.rectangles(cells)
    covered = {(r, c) for r1, c1, r2, c2 in rects for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    assert covered == cells
    assert (1, 1, 2, 3) in rects
    assert len(rects) == 4


def _output() -> OutputSheet:
    out = OutputSheet("Validation")
    out.put(1, 1, "Generated; do not type here.", "banner")
    out.put_row(3, 1, ["Severity", "Rule", "Sheet", "Cell", "Message", "Fix"], "header")
    out.put(4, 1, "error", "error")
    out.put(4, 4, "G7", "link", link="'PainPoints'!G7")
    out.put(4, 5, "=cmd|' /C calc'!A0", "wrap")
    out.put(5, 2, 0.25, "pct")
    out.col_widths = {1: 10, 5: 60}
    out.freeze = (4, 1)
    out.merges = [Ref("Validation", 1, 1, 1, 6)]
    return out


def test_write_outputs_adds_a_missing_sheet_after_the_last(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]], "Settings": [["Key", "Value"]]})
    xb.write_outputs(excel.book, [_output()])
    assert excel.names == ["Journey", "Settings", "Validation"]
    sheet = excel.sheet("Validation")
    values = sheet.values()
    assert values[0][0] == "Generated; do not type here."
    assert values[2] == ["Severity", "Rule", "Sheet", "Cell", "Message", "Fix"]
    assert values[3][4] == "'=cmd|' /C calc'!A0", "user text must never become a formula"
    assert values[4][1] == 0.25


def test_write_outputs_styles_links_widths_merges(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]]})
    xb.write_outputs(excel.book, [_output()])
    sheet = excel.sheet("Validation")
    (header,) = sheet.range_at((3, 1, 3, 6))
    assert header.font.bold is True
    assert header.color == "#1F3864"
    assert header.font.color == "#FFFFFF"
    (pct,) = sheet.range_at((5, 2, 5, 2))
    assert pct.number_format == "0%"
    link_cells = [r for r in sheet.range_at((4, 4, 4, 4)) if r.add_hyperlink.called]
    assert len(link_cells) == 1
    link_cells[0].add_hyperlink.assert_called_once_with("#'PainPoints'!G7", text_to_display="G7")
    assert [r.column_width for r in sheet.range_at((1, 5, 1, 5))] == [60]
    (merged,) = sheet.range_at((1, 1, 1, 6))
    merged.merge.assert_called_once_with()


def test_write_outputs_restores_screen_updating_and_active_sheet(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]]})
    xb.write_outputs(excel.book, [_output()])
    assert [c.args for c in excel.screen_updating.call_args_list] == [(), (False,), (True,)]
    excel.sheet("Journey").mock.activate.assert_called()


def test_freeze_uses_the_windows_window_when_xlwings_cannot(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]]})
    xb.write_outputs(excel.book, [_output()])
    window = excel.app.api.ActiveWindow
    assert (window.SplitRow, window.SplitColumn, window.FreezePanes) == (3, 0, True)


def test_rerun_replaces_the_sheet_in_place_without_duplicates(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]]})
    out = _output()
    out.pictures.append(Picture("addin_heatmap", (3, 9), _figure))
    xb.write_outputs(excel.book, [out])
    sheet = excel.sheet("Validation")
    sheet.cells[(40, 40)] = "typed by a user"
    xb.write_outputs(excel.book, [out])
    assert excel.names == ["Journey", "Validation"]
    assert sheet.cleared == 1
    assert (40, 40) not in sheet.cells
    assert [p.name for p in sheet.pictures] == ["addin_heatmap"]


def test_output_sheet_found_whatever_its_case(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]], "validation": [["old"]]})
    xb.write_outputs(excel.book, [_output()])
    assert excel.names == ["Journey", "validation"]


def _figure() -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([1, 2], [3, 4])
    return fig


def test_picture_is_added_with_name_anchor_and_size(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]]})
    out = OutputSheet("Heatmap", pictures=[Picture("addin_heatmap", (2, 8), _figure, 400, 200)])
    xb.write_outputs(excel.book, [out])
    sheet = excel.sheet("Heatmap")
    sheet.mock.pictures.add.assert_called_once()
    kwargs = sheet.mock.pictures.add.call_args.kwargs
    assert kwargs["name"] == "addin_heatmap" and kwargs["update"] is True
    assert (kwargs["width"], kwargs["height"]) == (300, 150)
    assert kwargs["anchor"] in sheet.range_at((2, 8, 2, 8))


def test_line_chart_takes_data_and_categories_from_another_output_sheet(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]]})
    data = OutputSheet("Heatmap")
    data.put_row(4, 1, ["Discover", 1, 2])
    spec = ChartSpec(
        "addin_emotion",
        "line",
        "Emotion by stage",
        (3, 1),
        (Series("A", Ref("Heatmap", 4, 2, 9, 2)), Series("B", Ref("Heatmap", 4, 3, 9, 3))),
        categories=Ref("Heatmap", 4, 1, 9, 1),
        y_title="Emotion",
        y_min=-2,
        y_max=2,
    )
    xb.write_outputs(excel.book, [OutputSheet("Dashboard", charts=[spec]), data])
    dashboard, heatmap = excel.sheet("Dashboard"), excel.sheet("Heatmap")
    kwargs = dashboard.mock.charts.add.call_args.kwargs
    assert kwargs["chart_type"] == "line_markers" and kwargs["plot_by"] == "columns"
    assert kwargs["source"] in heatmap.range_at((4, 2, 9, 3))
    (chart,) = dashboard.charts
    chart.set_x_axis_values.assert_called_once()
    assert chart.set_x_axis_values.call_args.args[0] in heatmap.range_at((4, 1, 9, 1))
    assert [s.name for s in chart.series] == ["A"]  # the fake's source is one block: one series mock
    assert chart.title == "Emotion by stage"
    assert chart.value_axis.title == "Emotion"
    assert (chart.value_axis.minimum_scale, chart.value_axis.maximum_scale) == (-2, 2)


def test_scatter_keeps_only_series_sharing_the_first_series_rows() -> None:
    spec = ChartSpec(
        "addin_matrix",
        "scatter",
        "Value vs effort",
        (24, 1),
        (
            Series("Recommendations", Ref("D", 4, 3, 9, 3), x_values=Ref("D", 4, 2, 9, 2)),
            Series("Effort threshold", Ref("D", 4, 6, 5, 6), x_values=Ref("D", 4, 5, 5, 5)),
        ),
    )
    assert xb.chart_series(spec) == [0]


def test_source_address_block_or_union() -> None:
    side_by_side = [Ref("S", 2, 2, 9, 2), Ref("S", 2, 3, 9, 3)]
    apart = [Ref("S", 2, 2, 9, 2), Ref("S", 2, 5, 9, 5)]
    assert xb.source_address(side_by_side) == "B2:C9"
    assert xb.source_address(apart) == "B2:B9,E2:E9"


def test_every_chart_kind_maps_to_an_xlwings_chart_type() -> None:
    from xlwings.base_classes import CHART_TYPES

    for kind in ("line", "column", "bar", "scatter", "bubble"):
        assert xb.CHART_TYPES[kind] in CHART_TYPES


def test_colour_scale_becomes_fills_from_low_to_high(fake_excel: Any) -> None:
    out = OutputSheet("Heatmap")
    for i, v in enumerate([0, 50, 100, 25], start=1):
        out.put(2, i, v, "heat")
    out.put(3, 1, "n/a")
    scale = ColorScale(Ref("Heatmap", 2, 1, 3, 4), ("FFFFCC", "FD8D3C", "BD0026"))
    fills = xb.scale_fills(out, scale)
    assert fills[(2, 1)] == "FFFFCC" and fills[(2, 3)] == "BD0026"
    assert (3, 1) not in fills
    excel = fake_excel({"Journey": [["Lane"]]})
    out.color_scales.append(scale)
    xb.write_outputs(excel.book, [out])
    (low,) = excel.sheet("Heatmap").range_at((2, 1, 2, 1))
    assert low.color == "#FFFFCC"


def test_add_input_sheets_never_overwrites(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane", "Mine"]], "Notes": [["keep"]]})
    sheets = [RawSheet("Journey", [["Lane"]]), RawSheet("Personas", [["Persona", "Description", "Weight"]])]
    added, skipped = xb.add_input_sheets(excel.book, sheets)
    assert (added, skipped) == (["Personas"], ["Journey"])
    assert excel.sheet("Journey").values() == [["Lane", "Mine"]]
    assert excel.sheet("Personas").values() == [["Persona", "Description", "Weight"]]
    assert excel.names == ["Journey", "Notes", "Personas"]


def test_output_sheet_cells_match_the_model(fake_excel: Any) -> None:
    excel = fake_excel({"Journey": [["Lane"]]})
    out = OutputSheet("Priorities", cells={(2, 3): Cell(math.pi, "num2")})
    xb.write_outputs(excel.book, [out])
    assert excel.sheet("Priorities").values() == [[None, None, None], [None, None, math.pi]]
