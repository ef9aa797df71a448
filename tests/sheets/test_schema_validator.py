"""The fake server's schema checks: Google's discovery document decides what a request may hold."""

from __future__ import annotations

import pytest
import requests

from tests.fakesheets.discovery import SchemaViolation, apply_field_mask, load, parse_field_mask
from tests.fakesheets.server import FakeSheetsServer

AUTH = {"Authorization": "Bearer test-token"}


@pytest.fixture(scope="module")
def doc():
    return load()


def test_a_valid_batch_update_passes(doc):
    body = {
        "requests": [
            {"addSheet": {"properties": {"title": "Heatmap", "sheetId": 7, "gridProperties": {"rowCount": 10}}}},
            {
                "repeatCell": {
                    "range": {"sheetId": 7, "startRowIndex": 0, "endRowIndex": 1},
                    "cell": {"userEnteredFormat": {"textFormat": {"bold": True, "fontSize": 14}}},
                    "fields": "userEnteredFormat.textFormat",
                }
            },
        ]
    }
    doc.validate_body("BatchUpdateSpreadsheetRequest", body)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"requests": [{"addSheet": {"properties": {"titel": "x"}}}]}, 'Unknown name "titel"'),
        ({"requests": [{"addSheet": {"properties": {"sheetId": "7"}}}]}, "TYPE_INT32"),
        ({"requests": [{"addSheet": {"properties": {"sheetId": 1.5}}}]}, "TYPE_INT32"),
        ({"requests": [{"addSheet": {"properties": {"sheetId": 2**31}}}]}, "TYPE_INT32"),
        ({"requests": [{"addSheet": {"properties": {"hidden": "yes"}}}]}, "TYPE_BOOL"),
        ({"requests": [{"addSheet": {"properties": {"title": 5}}}]}, "TYPE_STRING"),
        ({"requests": [{"addSheet": {"properties": {"sheetType": "SPREADSHEET"}}}]}, "TYPE_ENUM"),
        ({"requests": {"addSheet": {}}}, "TYPE_ARRAY"),
        ({"requests": ["addSheet"]}, "Expected an object"),
        (
            {
                "requests": [
                    {"addConditionalFormatRule": {"rule": {"gradientRule": {"minpoint": {"color": {"red": "1"}}}}}}
                ]
            },
            "TYPE_FLOAT",
        ),
    ],
)
def test_bad_bodies_are_rejected_with_the_path(doc, body, fragment):
    with pytest.raises(SchemaViolation) as caught:
        doc.validate_body("BatchUpdateSpreadsheetRequest", body)
    assert fragment in caught.value.message
    assert caught.value.path.startswith("requests")


def test_paths_are_reported_in_snake_case(doc):
    with pytest.raises(SchemaViolation) as caught:
        doc.validate_body("BatchUpdateSpreadsheetRequest", {"requests": [{"addSheet": {"properties": {"x": 1}}}]})
    assert "requests[0].add_sheet.properties" in caught.value.message


def test_values_may_hold_any_json_and_null_means_default(doc):
    doc.validate_body(
        "BatchUpdateValuesRequest",
        {"valueInputOption": "RAW", "data": [{"range": "A1", "values": [[1, "a", True, None, 2.5]]}]},
    )
    doc.validate_body("BatchUpdateValuesRequest", {"valueInputOption": None})
    with pytest.raises(SchemaViolation):
        doc.validate_body("BatchUpdateValuesRequest", {"valueInputOption": "FORMULA"})


def test_int64_accepts_numbers_and_decimal_strings_like_google(doc):
    schema = {"type": "string", "format": "int64"}
    doc._check(schema, "123", "x")
    doc._check(schema, 123, "x")
    with pytest.raises(SchemaViolation):
        doc._check(schema, "12a", "x")
    with pytest.raises(SchemaViolation):
        doc._check(schema, True, "x")


def test_query_parameters_are_checked(doc):
    doc.validate_query(
        "sheets.spreadsheets.values.batchGet",
        {
            "ranges": ["A", "B"],
            "valueRenderOption": ["UNFORMATTED_VALUE"],
            "dateTimeRenderOption": ["SERIAL_NUMBER"],
        },
    )
    with pytest.raises(SchemaViolation, match="value_render_option"):
        doc.validate_query("sheets.spreadsheets.values.batchGet", {"valueRenderOption": ["RAW"]})
    with pytest.raises(SchemaViolation, match="Cannot bind query parameter"):
        doc.validate_query("sheets.spreadsheets.values.batchGet", {"valueInputOption": ["RAW"]})
    with pytest.raises(SchemaViolation, match="more than one"):
        doc.validate_query("sheets.spreadsheets.get", {"includeGridData": ["false", "true"]})
    with pytest.raises(SchemaViolation):
        doc.validate_query("sheets.spreadsheets.get", {"includeGridData": ["maybe"]})


def test_field_masks_name_real_fields(doc):
    doc.validate_field_mask("CellData", "userEnteredFormat(textFormat,backgroundColorStyle),userEnteredValue")
    doc.validate_field_mask("SheetProperties", "gridProperties.frozenRowCount,title")
    doc.validate_field_mask("Spreadsheet", "sheets(properties(sheetId,title),charts.chartId),developerMetadata")
    doc.validate_field_mask("CellData", "*")
    with pytest.raises(SchemaViolation, match="not found"):
        doc.validate_field_mask("CellData", "userEnteredFormat.textFormat.colour")
    with pytest.raises(SchemaViolation):
        doc.validate_field_mask("CellData", "userEnteredFormat(textFormat")


def test_field_mask_parsing_and_applying():
    tree = parse_field_mask("a,b.c,d(e,f.g)")
    assert tree == {"a": {}, "b": {"c": {}}, "d": {"e": {}, "f": {"g": {}}}}
    value = {"a": 1, "b": {"c": 2, "x": 3}, "d": [{"e": 1, "f": {"g": 2, "h": 3}, "z": 0}], "y": 9}
    assert apply_field_mask(value, tree) == {"a": 1, "b": {"c": 2}, "d": [{"e": 1, "f": {"g": 2}}]}


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        (
            "post",
            "/v4/spreadsheets/s1:batchUpdate",
            {"json": {"requests": [{"addSheet": {"propertys": {}}}]}},
        ),
        (
            "post",
            "/v4/spreadsheets/s1:batchUpdate",
            {"json": {"requests": [{"deleteSheet": {"sheetId": "zero"}}]}},
        ),
        (
            "post",
            "/v4/spreadsheets/s1/values:batchUpdate",
            {"json": {"valueInputOption": "TYPED", "data": []}},
        ),
        (
            "get",
            "/v4/spreadsheets/s1/values:batchGet",
            {"params": {"ranges": "A", "majorDimension": "DIAGONAL"}},
        ),
        ("get", "/v4/spreadsheets/s1", {"params": {"fields": "sheets(properties(nonsense))"}}),
    ],
)
def test_the_server_answers_400_in_googles_shape(method, path, kwargs):
    server = FakeSheetsServer().start()
    try:
        server.add_spreadsheet("s1", "Book", {"Journey": [["Lane", "Discover"]]})
        answer = requests.request(method, server.url + path, headers=AUTH, timeout=10, **kwargs)
        assert answer.status_code == 400
        error = answer.json()["error"]
        assert error["code"] == 400
        assert error["status"] == "INVALID_ARGUMENT"
        assert error["message"]
        assert server.book("s1").sheets[0].title == "Journey"  # nothing applied
    finally:
        server.stop()
