"""Output sheets translated into Sheets requests: formats, widths, links, rules and charts (no HTTP)."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from decimal import Decimal

import numpy as np

from addin.adapters.sheets_layout import (
    SpreadsheetInfo,
    cell_format,
    chart_spec,
    link_uri,
    plan_write,
    style_rectangles,
    to_json_value,
)
from addin.core.model import ChartSpec, ColorScale, OutputSheet, Ref, Series
from addin.core.styles import ROLES
from tests.fakesheets.discovery import load

INFO = SpreadsheetInfo.from_json(
    {
        "spreadsheetId": "s",
        "properties": {"title": "Book"},
        "sheets": [
            {"properties": {"title": "Journey", "gridProperties": {"rowCount": 1000, "columnCount": 26}}},
            {
                "properties": {
                    "sheetId": 5,
                    "title": "Pain Points",
                    "index": 1,
                    "gridProperties": {"rowCount": 1000, "columnCount": 26},
                }
            },
        ],
    }
)


def _kinds(requests):
    return [next(iter(r)) for r in requests]


def test_values_are_plain_json():
    assert to_json_value(np.int64(3)) == 3 and to_json_value(np.float64(2.5)) == 2.5
    assert to_json_value(math.nan) is None and to_json_value(float("inf")) is None
    assert to_json_value(Decimal("1.5")) == 1.5
    assert to_json_value(dt.date(2024, 3, 1)) == 45352.0
    assert to_json_value(dt.datetime(2024, 3, 1, 12)) == 45352.5
    assert to_json_value("=1+1") == "=1+1"
    assert to_json_value(True) is True
    assert len(to_json_value("x" * 60_000)) == 50_000


def test_style_roles_become_cell_formats_valid_for_google():
    doc = load()
    for role, style in ROLES.items():
        doc.validate_body("CellFormat", cell_format(style))
        assert role
    header = cell_format(ROLES["header"])
    assert header["textFormat"]["bold"] and header["horizontalAlignment"] == "CENTER"
    assert header["backgroundColorStyle"]["rgbColor"] == {"red": 0.1216, "green": 0.2196, "blue": 0.3922}
    assert cell_format(ROLES["pct"])["numberFormat"] == {"type": "PERCENT", "pattern": "0%"}
    assert cell_format(ROLES["text"]) == {}


def test_a_long_table_costs_a_few_format_requests():
    sheet = OutputSheet("Validation")
    sheet.put_row(3, 1, ["Severity", "Rule", "Message"], "header")
    for r in range(4, 2004):
        sheet.put(r, 1, "error" if r < 1000 else "warning", "error" if r < 1000 else "warning")
        sheet.put(r, 2, "P01")
        sheet.put(r, 3, "text", "wrap")
    rects = style_rectangles(sheet)
    assert rects == [
        ("header", 3, 3, 1, 3),
        ("error", 4, 999, 1, 1),
        ("wrap", 4, 2003, 3, 3),
        ("warning", 1000, 2003, 1, 1),
    ]


def test_links_point_at_the_cell_by_sheet_id():
    ids = {"journey": 0, "pain points": 5}
    assert link_uri("'Pain Points'!G7", ids) == "#gid=5&range=G7"
    assert link_uri("Journey!$B$2", ids) == "#gid=0&range=B2"
    assert link_uri("'Gone'!A1", ids) is None and link_uri("nonsense", ids) is None


def test_a_new_output_sheet_plan():
    sheet = OutputSheet("Heatmap")
    sheet.put(1, 1, "banner", "banner")
    sheet.put(5, 2, 12.0, "heat")
    sheet.col_widths = {1: 30, 2: 15, 3: 15}
    sheet.freeze = (5, 2)
    sheet.color_scales.append(ColorScale(Ref("Heatmap", 5, 2, 5, 2), ("FFFFCC", "FD8D3C", "BD0026")))
    plan = plan_write(INFO, [sheet], random.Random(1))
    assert _kinds(plan.requests) == [
        "addSheet",
        "updateDimensionProperties",
        "updateDimensionProperties",
        "repeatCell",
        "repeatCell",
        "addConditionalFormatRule",
        "createDeveloperMetadata",
    ]
    grid = plan.requests[0]["addSheet"]["properties"]["gridProperties"]
    assert grid == {"rowCount": 100, "columnCount": 26, "frozenRowCount": 4, "frozenColumnCount": 1}
    widths = [r["updateDimensionProperties"] for r in plan.requests[1:3]]
    assert [(w["range"]["startIndex"], w["range"]["endIndex"], w["properties"]["pixelSize"]) for w in widths] == [
        (0, 1, 215),
        (1, 3, 110),
    ]
    assert plan.values == [
        {
            "range": "'Heatmap'!A1:B5",
            "majorDimension": "ROWS",
            "values": [["banner", None], [None, None], [None, None], [None, None], [None, 12.0]],
        }
    ]
    load().validate_body("BatchUpdateSpreadsheetRequest", {"requests": plan.requests})


def test_an_existing_output_sheet_is_cleared_first():
    info = SpreadsheetInfo.from_json({"sheets": [{"properties": {"sheetId": 9, "title": "Dashboard"}}]})
    sheet = OutputSheet("Dashboard")
    sheet.put(1, 1, "x")
    plan = plan_write(info, [sheet])
    assert _kinds(plan.requests) == [
        "unmergeCells",
        "updateSheetProperties",
        "updateCells",
        "updateDimensionProperties",
    ]
    assert plan.requests[2]["updateCells"] == {"range": {"sheetId": 9}, "fields": "*"}


def _dashboard():
    sheet = OutputSheet("Dashboard")
    sheet.put_row(3, 24, ["Stage", "Pain", "Effort", "Value"], "header")
    for r in range(4, 8):
        sheet.put_row(r, 24, [f"S{r}", r * 10.0, r, r * 2.0])
    return sheet


def test_chart_series_take_their_names_from_the_header_row():
    sheet = _dashboard()
    chart = ChartSpec(
        "pain",
        "column",
        "Pain",
        (6, 1),
        (Series("Pain", Ref("Dashboard", 4, 25, 7, 25)),),
        categories=Ref("Dashboard", 4, 24, 7, 24),
        y_title="Pain",
        y_min=0,
        y_max=100,
    )
    spec = chart_spec(chart, sheet, {"dashboard": 3})
    basic = spec["basicChart"]
    assert basic["chartType"] == "COLUMN" and basic["headerCount"] == 1
    source = basic["series"][0]["series"]["sourceRange"]["sources"][0]
    assert source == {
        "sheetId": 3,
        "startRowIndex": 2,
        "endRowIndex": 7,
        "startColumnIndex": 24,
        "endColumnIndex": 25,
    }
    assert basic["axis"] == [
        {
            "position": "LEFT_AXIS",
            "title": "Pain",
            "viewWindowOptions": {"viewWindowMode": "EXPLICIT", "viewWindowMin": 0.0, "viewWindowMax": 100.0},
        }
    ]
    load().validate_body("ChartSpec", spec)


def test_a_scatter_keeps_only_series_that_share_the_x_values():
    sheet = _dashboard()
    x = Ref("Dashboard", 4, 26, 7, 26)
    chart = ChartSpec(
        "m",
        "scatter",
        "Value vs effort",
        (24, 1),
        (
            Series("Value", Ref("Dashboard", 4, 27, 7, 27), x_values=x),
            Series("Line", Ref("Dashboard", 4, 25, 5, 25), x_values=Ref("Dashboard", 4, 24, 5, 24)),
        ),
        x_title="Effort",
        y_title="Value",
    )
    spec = chart_spec(chart, sheet, {"dashboard": 3})
    assert len(spec["basicChart"]["series"]) == 1
    assert spec["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]["startColumnIndex"] == 25


def test_bar_and_bubble_charts():
    sheet = _dashboard()
    bar = ChartSpec(
        "t",
        "bar",
        "Top",
        (24, 11),
        (Series("Pain", Ref("Dashboard", 4, 25, 7, 25)),),
        categories=Ref("Dashboard", 4, 24, 7, 24),
        x_title="Score",
    )
    spec = chart_spec(bar, sheet, {"dashboard": 3})
    assert spec["basicChart"]["series"][0]["targetAxis"] == "BOTTOM_AXIS"
    assert spec["basicChart"]["axis"] == [{"position": "BOTTOM_AXIS", "title": "Score"}]
    bubble = ChartSpec(
        "b",
        "bubble",
        "Reach",
        (1, 1),
        (
            Series(
                "V",
                Ref("Dashboard", 4, 27, 7, 27),
                x_values=Ref("Dashboard", 4, 26, 7, 26),
                sizes=Ref("Dashboard", 4, 25, 7, 25),
            ),
        ),
    )
    spec = chart_spec(bubble, sheet, {"dashboard": 3})
    assert set(spec["bubbleChart"]) == {"series", "domain", "bubbleSizes", "legendPosition"}
    load().validate_body("ChartSpec", spec)


def test_charts_are_remembered_with_developer_metadata():
    sheet = _dashboard()
    sheet.charts.append(ChartSpec("pain", "column", "Pain", (6, 1), (Series("Pain", Ref("Dashboard", 4, 25, 7, 25)),)))
    plan = plan_write(INFO, [sheet], random.Random(2))
    add = next(r["addChart"] for r in plan.requests if "addChart" in r)
    meta = [r["createDeveloperMetadata"]["developerMetadata"] for r in plan.requests if "createDeveloperMetadata" in r]
    assert json.loads(meta[0]["metadataValue"]) == {"chart": "pain", "chartId": add["chart"]["chartId"]}
    assert meta[0]["location"] == {"sheetId": plan.sheet_ids["dashboard"]}


def test_the_grid_is_big_enough_for_widths_freeze_and_charts():
    sheet = OutputSheet("Dashboard")
    sheet.put(1, 1, "x")
    sheet.col_widths = {40: 12}
    sheet.freeze = (150, 2)
    sheet.charts.append(ChartSpec("c", "line", "C", (120, 30), (Series("s", Ref("Dashboard", 1, 1, 1, 1)),)))
    plan = plan_write(INFO, [sheet])
    grid = plan.requests[0]["addSheet"]["properties"]["gridProperties"]
    assert grid["columnCount"] >= 40 and grid["rowCount"] >= 150
    assert grid["rowCount"] >= 120 + 8 * 37.8 / 21 and grid["columnCount"] >= 30 + 16 * 37.8 / 100


def _heatmap_info(rules, metadata, charts=()):
    return SpreadsheetInfo.from_json(
        {
            "sheets": [
                {
                    "properties": {
                        "sheetId": 4,
                        "title": "Heatmap",
                        "gridProperties": {"rowCount": 200, "columnCount": 26},
                    },
                    "conditionalFormats": rules,
                    "developerMetadata": metadata,
                    "charts": list(charts),
                }
            ]
        }
    )


def _gradient(r0, r1):
    ranges = [{"sheetId": 4, "startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": 1, "endColumnIndex": 5}]
    return {"ranges": ranges, "gradientRule": {"minpoint": {"type": "MIN"}, "maxpoint": {"type": "MAX"}}}


def test_our_rules_are_deleted_before_the_resize_and_added_after_the_users():
    """Indexes are used only before anything can renumber them; the user's rule is never addressed."""
    users = {"ranges": [{"sheetId": 4, "startRowIndex": 2, "endRowIndex": 3}], "booleanRule": {"condition": {}}}
    ours = [_gradient(4, 190), _gradient(195, 198)]
    remembered = json.dumps([[[4, 190, 1, 5]], [[195, 198, 1, 5]]])
    meta = [{"metadataId": 1, "metadataKey": "addin.rules", "metadataValue": remembered, "location": {"sheetId": 4}}]
    info = _heatmap_info([ours[0], users, ours[1]], meta)
    sheet = OutputSheet("Heatmap")
    sheet.put(1, 1, "x")
    sheet.color_scales.append(ColorScale(Ref("Heatmap", 5, 2, 50, 5), ("FFFFFF", "FFFF00", "FF0000")))
    plan = plan_write(info, [sheet])
    kinds = _kinds(plan.requests)
    deletes = [r["deleteConditionalFormatRule"]["index"] for r in plan.requests if "deleteConditionalFormatRule" in r]
    adds = [r["addConditionalFormatRule"] for r in plan.requests if "addConditionalFormatRule" in r]
    assert deletes == [2, 0]  # highest first, so the lower index still means the same rule
    assert kinds.index("updateSheetProperties") > max(
        i for i, k in enumerate(kinds) if k == "deleteConditionalFormatRule"
    )
    assert kinds.index("updateSheetProperties") < kinds.index("addConditionalFormatRule")
    assert "updateConditionalFormatRule" not in kinds
    assert [a["index"] for a in adds] == [1]  # after the user's one rule
    assert adds[0]["rule"]["ranges"][0]["endRowIndex"] == 50
    load().validate_body("BatchUpdateSpreadsheetRequest", {"requests": plan.requests})


def test_the_grid_does_not_shrink_over_the_users_rules_and_charts():
    users = {"ranges": [{"sheetId": 4, "startRowIndex": 150, "endRowIndex": 160}], "booleanRule": {"condition": {}}}
    chart = {
        "chartId": 8,
        "position": {"overlayPosition": {"anchorCell": {"sheetId": 4, "rowIndex": 170, "columnIndex": 40}}},
    }
    info = _heatmap_info([users], [], [chart])
    info.sheets[0].column_count = 50
    sheet = OutputSheet("Heatmap")
    sheet.put(1, 1, "x")
    plan = plan_write(info, [sheet])
    resize = next(r["updateSheetProperties"] for r in plan.requests if "updateSheetProperties" in r)
    grid = resize["properties"]["gridProperties"]
    assert grid["rowCount"] == 171 and grid["columnCount"] == 41


def test_every_mask_of_a_second_sync_is_valid_for_its_request_kind():
    """Field masks checked relative to the message sheets.v4.json names for each kind (OverlayPosition ...)."""
    sheet = _dashboard()
    sheet.charts.append(ChartSpec("pain", "column", "Pain", (6, 1), (Series("Pain", Ref("Dashboard", 4, 25, 7, 25)),)))
    first = plan_write(INFO, [sheet], random.Random(2))
    chart_id = next(r["addChart"]["chart"]["chartId"] for r in first.requests if "addChart" in r)
    dashboard_id = first.sheet_ids["dashboard"]
    meta = next(
        r["createDeveloperMetadata"]["developerMetadata"] for r in first.requests if "createDeveloperMetadata" in r
    )
    info = SpreadsheetInfo.from_json(
        {
            "sheets": [
                {
                    "properties": {"sheetId": dashboard_id, "title": "Dashboard", "gridProperties": {"rowCount": 100}},
                    "charts": [{"chartId": chart_id}],
                    "developerMetadata": [meta],
                }
            ]
        }
    )
    second = plan_write(info, [sheet], random.Random(3))
    kinds = _kinds(second.requests)
    assert "updateEmbeddedObjectPosition" in kinds and "addChart" not in kinds
    doc = load()
    for request in second.requests:
        ((kind, body),) = request.items()
        doc.validate_request_mask(kind, body)
