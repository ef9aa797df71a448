"""A spreadsheet synced again and again while its journey grows, shrinks and the user adds their own objects.

Runs the real core against the fake server, which deletes a conditional-format
rule whose whole range a resize deleted (and renumbers the rest), as Sheets does.
"""

from __future__ import annotations

import copy
import io
import json

import pytest
import requests

from addin.frontends import sync
from tests.sheets.helpers import parse
from tests.sheets.journey import journey_sheets

pytest.importorskip("addin.core.pipeline", reason="the sequence runs the real core")

EXTRA_TOUCHPOINTS = 90
SEED_ROWS = len(journey_sheets()["PainPoints"])


def _sync(spreadsheet):
    out, err = io.StringIO(), io.StringIO()
    status = sync.run(parse([spreadsheet]), out=out, err=err)
    return status, err.getvalue()


def _ours(book):
    """Our charts (by the ids in our developer metadata) and our rules (the ranges we remembered)."""
    charts, rules = set(), []
    for sheet in book.sheets:
        for meta in sheet.developer_metadata:
            value = json.loads(meta["metadataValue"])
            if meta["metadataKey"] == "addin.chart":
                charts.add(value["chartId"])
            elif meta["metadataKey"] == "addin.rules":
                rules += [
                    r
                    for r in sheet.conditional_formats
                    if sorted(
                        [g.get("startRowIndex", 0), g["endRowIndex"], g.get("startColumnIndex", 0), g["endColumnIndex"]]
                        for g in r["ranges"]
                    )
                    in value
                ]
    assert charts <= {c["chartId"] for _, c in book.all_charts()}  # every remembered chart exists
    return charts, rules


def _grow(book):
    rows = book.sheet("PainPoints").rows
    for i in range(EXTRA_TOUCHPOINTS):
        rows.append([f"P{6 + i}", "Use", f"Touchpoint {i}", "Web", "Student", f"Pain {i}", 3, 2, "survey"])


def _api(fake, spreadsheet, requests_):
    answer = requests.post(
        f"{fake.url}/v4/spreadsheets/{spreadsheet}:batchUpdate",
        json={"requests": requests_},
        headers={"Authorization": "Bearer test-token"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _users_objects(fake, spreadsheet, row):
    """The user adds a chart and a conditional-format rule of their own on the Heatmap, as the UI would."""
    book = fake.book(spreadsheet)
    heatmap, pains = book.sheet("Heatmap").sheet_id, book.sheet("PainPoints").sheet_id
    source = {"sheetId": pains, "startRowIndex": 0, "endRowIndex": 6, "startColumnIndex": 6, "endColumnIndex": 7}
    chart = {
        "spec": {
            "title": "My own chart",
            "basicChart": {"chartType": "COLUMN", "series": [{"series": {"sourceRange": {"sources": [source]}}}]},
        },
        "position": {"overlayPosition": {"anchorCell": {"sheetId": heatmap, "rowIndex": row, "columnIndex": 1}}},
    }
    rule = {
        "ranges": [
            {
                "sheetId": heatmap,
                "startRowIndex": row,
                "endRowIndex": row + 10,
                "startColumnIndex": 0,
                "endColumnIndex": 3,
            }
        ],
        "booleanRule": {"condition": {"type": "NOT_BLANK"}, "format": {"textFormat": {"bold": True}}},
    }
    replies = _api(
        fake, spreadsheet, [{"addChart": {"chart": chart}}, {"addConditionalFormatRule": {"rule": rule, "index": 0}}]
    )
    return replies["replies"][0]["addChart"]["chart"]["chartId"]


def _users_state(book, chart_id):
    charts = [copy.deepcopy(c) for _, c in book.all_charts() if c["chartId"] == chart_id]
    rules = [copy.deepcopy(r) for s in book.sheets for r in s.conditional_formats if "booleanRule" in r]
    return charts, rules


def test_grow_shrink_and_the_users_own_objects(sheets_env, journey):
    fake = sheets_env
    statuses = []

    def step():
        status, err = _sync(journey)
        statuses.append(status)
        assert status in (0, 1), err
        return _ours(fake.book(journey))

    charts, rules = step()  # first sync
    assert len(charts) >= 2 and len(rules) == 3
    assert step()[0] == charts  # second sync: the same charts, updated in place

    _grow(fake.book(journey))
    grown_charts, grown_rules = step()
    assert grown_charts == charts and len(grown_rules) == 3
    assert max(g["endRowIndex"] for r in grown_rules for g in r["ranges"]) > 100  # the heatmap got longer
    assert fake.book(journey).sheet("Heatmap").row_count > 100

    fake.book(journey).sheet("PainPoints").rows[SEED_ROWS:] = []  # shrinks back: the resize deletes two rule ranges
    shrunk_charts, shrunk_rules = step()
    assert shrunk_charts == charts and len(shrunk_rules) == 3
    assert max(g["endRowIndex"] for r in shrunk_rules for g in r["ranges"]) < 60

    mine = _users_objects(fake, journey, row=60)
    before = _users_state(fake.book(journey), mine)
    assert len(before[0]) == 1 and len(before[1]) == 1
    after_charts, after_rules = step()
    assert after_charts == charts and len(after_rules) == 3
    assert _users_state(fake.book(journey), mine) == before

    _grow(fake.book(journey))  # once more, with the user's rule ahead of ours in the list
    assert step()[0] == charts
    fake.book(journey).sheet("PainPoints").rows[SEED_ROWS:] = []
    again_charts, again_rules = step()
    assert again_charts == charts and len(again_rules) == 3
    assert _users_state(fake.book(journey), mine) == before
    heatmap = fake.book(journey).sheet("Heatmap")
    assert heatmap.conditional_formats[0]["booleanRule"]  # the user's rule keeps its place
    assert len(heatmap.conditional_formats) == 4 and len(list(fake.book(journey).all_charts())) == len(charts) + 1
    assert statuses and set(statuses) <= {0, 1}


def test_a_users_rule_below_the_new_end_of_the_sheet_is_not_deleted(sheets_env, journey):
    """The grid never shrinks over the user's own rules and charts, so Sheets deletes none of them."""
    fake = sheets_env
    _grow(fake.book(journey))
    assert _sync(journey)[0] in (0, 1)
    assert fake.book(journey).sheet("Heatmap").row_count >= 140
    mine = _users_objects(fake, journey, row=125)
    before = _users_state(fake.book(journey), mine)
    fake.book(journey).sheet("PainPoints").rows[SEED_ROWS:] = []
    status, err = _sync(journey)
    assert status in (0, 1), err
    book = fake.book(journey)
    assert _users_state(book, mine) == before
    assert book.sheet("Heatmap").row_count >= 135
    assert len(_ours(book)[1]) == 3
