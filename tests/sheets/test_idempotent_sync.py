"""Syncing again replaces the output sheets: no duplicated charts or rules, the user's own left alone."""

from __future__ import annotations

from tests.sheets.conftest import SPREADSHEET
from tests.sheets.helpers import run_sync
from tests.sheets.journey import stand_in


def _objects(fake):
    book = fake.book(SPREADSHEET)
    charts = sum(len(s.charts) for s in book.sheets)
    rules = sum(len(s.conditional_formats) for s in book.sheets)
    return charts, rules


def test_a_second_sync_leaves_the_same_charts_and_rules(sheets_env, journey):
    first = run_sync([journey])
    assert first.status == 0, first.err
    after_first = _objects(sheets_env)
    assert after_first == (5, 1)  # 5 native charts on Dashboard, the heatmap colour scale
    chart_ids = sorted(c["chartId"] for c in sheets_env.book(SPREADSHEET).sheet("Dashboard").charts)
    values = sheets_env.book(SPREADSHEET).values("Heatmap")

    second = run_sync([journey])
    assert second.status == 0, second.err
    assert _objects(sheets_env) == after_first
    book = sheets_env.book(SPREADSHEET)
    assert sorted(c["chartId"] for c in book.sheet("Dashboard").charts) == chart_ids  # updated, not re-added
    assert book.values("Heatmap") == values
    assert [s.title for s in book.sheets].count("Heatmap") == 1
    keys = [m["metadataKey"] for s in book.sheets for m in s.developer_metadata]
    assert keys.count("addin.chart") == 5 and keys.count("addin.rules") == 1


def test_the_users_own_chart_and_rule_survive(sheets_env, journey):
    run_sync([journey])
    book = sheets_env.book(SPREADSHEET)
    dashboard = book.sheet("Dashboard")
    heatmap = book.sheet("Heatmap")
    dashboard.charts.append({"chartId": 777, "spec": {"title": "Mine", "basicChart": {"chartType": "LINE"}}})
    mine = {
        "ranges": [{"sheetId": heatmap.sheet_id, "startRowIndex": 30, "endRowIndex": 31}],
        "booleanRule": {"condition": {"type": "NOT_BLANK"}, "format": {"textFormat": {"bold": True}}},
    }
    heatmap.conditional_formats.insert(0, mine)

    ran = run_sync([journey])
    assert ran.status == 0, ran.err
    book = sheets_env.book(SPREADSHEET)
    assert 777 in [c["chartId"] for c in book.sheet("Dashboard").charts]
    assert len(book.sheet("Dashboard").charts) == 6
    rules = book.sheet("Heatmap").conditional_formats
    assert len(rules) == 2 and rules[0] == mine and "gradientRule" in rules[1]


def test_a_chart_the_user_deleted_comes_back_once(sheets_env, journey):
    run_sync([journey])
    dashboard = sheets_env.book(SPREADSHEET).sheet("Dashboard")
    dashboard.charts.pop(0)
    ran = run_sync([journey])
    assert ran.status == 0, ran.err
    book = sheets_env.book(SPREADSHEET)
    assert len(book.sheet("Dashboard").charts) == 5
    assert [m["metadataKey"] for m in book.sheet("Dashboard").developer_metadata].count("addin.chart") == 5


def test_charts_that_are_no_longer_wanted_are_removed(sheets_env, journey):
    run_sync([journey])
    ran = run_sync([journey], process=lambda raw: stand_in(raw, charts=False))
    assert ran.status == 0, ran.err
    dashboard = sheets_env.book(SPREADSHEET).sheet("Dashboard")
    assert dashboard.charts == []
    assert not [m for m in dashboard.developer_metadata if m["metadataKey"] == "addin.chart"]


def test_old_contents_and_formats_are_cleared(sheets_env, journey):
    run_sync([journey], process=lambda raw: stand_in(raw, errors=3, warnings=2))
    assert len(sheets_env.book(SPREADSHEET).values("Validation")) == 3 + 5
    run_sync([journey], process=lambda raw: stand_in(raw, errors=0, warnings=1))
    validation = sheets_env.book(SPREADSHEET).sheet("Validation")
    assert len(sheets_env.book(SPREADSHEET).values("Validation")) == 3 + 1
    assert not [key for key in validation.formats if key[0] >= 4 + 1]  # formats of old rows gone too


def test_an_output_sheet_the_user_created_is_reused_not_duplicated(sheets_env, journey):
    book = sheets_env.book(SPREADSHEET)
    book.add_sheet("heatmap ", [["old stuff"]])
    ran = run_sync([journey])
    assert ran.status == 0, ran.err
    titles = [s.title for s in sheets_env.book(SPREADSHEET).sheets]
    assert "Heatmap" not in titles and "heatmap " in titles
    assert sheets_env.book(SPREADSHEET).values("heatmap ")[0][0] == "Generated"
