"""Field masks are read relative to the message the discovery document names for each request kind.

Google's `sheets.v4.json` describes every batchUpdate request's `fields`
("The root `newPosition.overlayPosition` is implied and should not be
specified"); the fake derives the root from that text for every kind, so a
mask written relative to the wrong message answers 400 as it does at Google.
"""

from __future__ import annotations

import pytest
import requests

from tests.fakesheets.discovery import SchemaViolation, load

AUTH = {"Authorization": "Bearer test-token"}
DOC = load()
KINDS_WITH_FIELDS = sorted(
    kind
    for kind, spec in DOC.schemas["Request"]["properties"].items()
    if "fields" in DOC.schemas[spec["$ref"]].get("properties", {})
)


def test_every_request_kind_with_a_fields_member_has_a_root():
    assert len(KINDS_WITH_FIELDS) >= 15  # the document of 2024-2026 has 17
    assert sorted(DOC.mask_roots) == KINDS_WITH_FIELDS
    for root in DOC.mask_roots.values():
        assert root.schema in DOC.schemas


@pytest.mark.parametrize(
    ("kind", "schema", "path"),
    [
        ("updateEmbeddedObjectPosition", "OverlayPosition", ("newPosition", "overlayPosition")),
        ("repeatCell", "CellData", ("cell",)),
        ("updateCells", "CellData", ()),
        ("updateSheetProperties", "SheetProperties", ("properties",)),
        ("updateSlicerSpec", "SlicerSpec", ("spec",)),  # the document names the type, not the field
        ("updateSpreadsheetProperties", "SpreadsheetProperties", ("properties",)),  # 'quoted' differently
    ],
)
def test_roots_as_the_document_words_them(kind, schema, path):
    root = DOC.mask_roots[kind]
    assert (root.schema, root.path) == (schema, path)


def _body_with_condition(kind):
    root = DOC.mask_roots[kind]
    body: dict = {}
    if root.only_if:
        node = body
        for name in root.only_if:
            node = node.setdefault(name, {})
    return body


@pytest.mark.parametrize("kind", KINDS_WITH_FIELDS)
def test_a_mask_that_names_the_root_itself_is_refused(kind):
    """The request's own field names (the root included) are not fields of the root message."""
    root = DOC.mask_roots[kind]
    request = DOC.schemas[DOC.schemas["Request"]["properties"][kind]["$ref"]]
    inside = set(DOC.schemas[root.schema]["properties"])
    outer = [name for name in request["properties"] if name != "fields" and name not in inside]
    assert outer, kind
    with pytest.raises(SchemaViolation, match="not found in " + root.schema):
        DOC.validate_request_mask(kind, {**_body_with_condition(kind), "fields": outer[0]})
    first = next(iter(inside))
    assert DOC.validate_request_mask(kind, {**_body_with_condition(kind), "fields": first}) == {first: {}}
    assert DOC.validate_request_mask(kind, {**_body_with_condition(kind), "fields": "*"}) == {"*": {}}


def test_a_position_without_an_overlay_needs_no_mask():
    assert DOC.validate_request_mask("updateEmbeddedObjectPosition", {"newPosition": {"newSheet": True}}) == {}
    with pytest.raises(SchemaViolation, match="'fields' is empty"):
        DOC.validate_request_mask("updateEmbeddedObjectPosition", {"newPosition": {"overlayPosition": {}}})


def _post(fake, body):
    return requests.post(f"{fake.url}/v4/spreadsheets/s:batchUpdate", json=body, headers=AUTH, timeout=10)


def _with_chart(fake):
    book = fake.add_spreadsheet("s", "Book", {"Dashboard": [["x"]]})
    anchor = {"sheetId": 0, "rowIndex": 1, "columnIndex": 1}
    book.sheets[0].charts.append(
        {"chartId": 5, "position": {"overlayPosition": {"anchorCell": anchor, "widthPixels": 400}}}
    )
    return book


def _move(fields):
    position = {"overlayPosition": {"anchorCell": {"sheetId": 0, "rowIndex": 3, "columnIndex": 2}, "heightPixels": 300}}
    return {"updateEmbeddedObjectPosition": {"objectId": 5, "newPosition": position, "fields": fields}}


def test_the_fake_refuses_overlay_position_as_a_mask_like_google(fake):
    """What the sync sent from its second run on: the root is implied, so Google answers 400."""
    _with_chart(fake)
    answer = _post(fake, {"requests": [_move("overlayPosition")]})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert "requests[0].updateEmbeddedObjectPosition" in error["message"] and "OverlayPosition" in error["message"]


def test_a_mask_relative_to_the_overlay_position_moves_the_chart(fake):
    _with_chart(fake)
    answer = _post(fake, {"requests": [_move("anchorCell,heightPixels")]})
    assert answer.status_code == 200, answer.text
    overlay = fake.book("s").sheets[0].charts[0]["position"]["overlayPosition"]
    assert overlay == {
        "anchorCell": {"sheetId": 0, "rowIndex": 3, "columnIndex": 2},
        "heightPixels": 300,
        "widthPixels": 400,  # not in the mask: kept
    }


def test_kinds_the_fake_does_not_implement_are_still_mask_checked(fake):
    fake.add_spreadsheet("s", "Book", {"Dashboard": [["x"]]})
    body = {"updateSpreadsheetProperties": {"properties": {"title": "New"}, "fields": "properties.title"}}
    answer = _post(fake, {"requests": [body]})
    assert answer.status_code == 400 and "not found in SpreadsheetProperties" in answer.json()["error"]["message"]
