"""A colour scale with fixed points becomes a gradient rule at those numbers, valid for Google."""

from __future__ import annotations

import random

from addin.adapters.sheets_layout import SpreadsheetInfo, plan_write
from addin.core.model import ColorScale, OutputSheet, Ref
from tests.fakesheets.discovery import load

INFO = SpreadsheetInfo.from_json({"spreadsheetId": "s", "properties": {"title": "Book"}, "sheets": []})
COLORS = ("FFFFCC", "FD8D3C", "BD0026")


def _gradient(points: tuple[float, float, float] | None) -> dict:
    sheet = OutputSheet("Heatmap")
    sheet.put(5, 2, 12.0, "heat")
    sheet.color_scales.append(ColorScale(Ref("Heatmap", 5, 2, 6, 3), COLORS, points))
    plan = plan_write(INFO, [sheet], random.Random(1))
    load().validate_body("BatchUpdateSpreadsheetRequest", {"requests": plan.requests})
    rules = [r["addConditionalFormatRule"]["rule"] for r in plan.requests if "addConditionalFormatRule" in r]
    return rules[0]["gradientRule"]


def test_fixed_points_are_numbers() -> None:
    g = _gradient((0.0, 48.0, 96.0))
    assert [(g[k]["type"], g[k]["value"]) for k in ("minpoint", "midpoint", "maxpoint")] == [
        ("NUMBER", "0"),
        ("NUMBER", "48"),
        ("NUMBER", "96"),
    ]


def test_without_points_the_scale_follows_the_data() -> None:
    g = _gradient(None)
    assert (g["minpoint"]["type"], g["midpoint"]["type"], g["maxpoint"]["type"]) == ("MIN", "PERCENTILE", "MAX")
