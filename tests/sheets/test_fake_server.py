"""The fake Sheets server behaves like Google where the sync depends on it."""

from __future__ import annotations

import requests

AUTH = {"Authorization": "Bearer test-token"}


def _post(fake, path, body):
    return requests.post(f"{fake.url}/v4/spreadsheets/{path}", json=body, headers=AUTH, timeout=10)


def test_batch_update_is_all_or_nothing(fake):
    fake.add_spreadsheet("s", "Book", {"Journey": [["Lane"]]})
    answer = _post(
        fake,
        "s:batchUpdate",
        {
            "requests": [
                {"addSheet": {"properties": {"title": "New"}}},
                {"deleteSheet": {"sheetId": 424242}},
            ]
        },
    )
    assert answer.status_code == 400
    assert "requests[1].deleteSheet" in answer.json()["error"]["message"]
    assert [s.title for s in fake.book("s").sheets] == ["Journey"]


def test_writes_outside_the_grid_are_refused(fake):
    fake.add_spreadsheet("s", "Book", {"Journey": [["Lane"]]})
    answer = _post(
        fake,
        "s/values:batchUpdate",
        {"valueInputOption": "RAW", "data": [{"range": "'Journey'!A1000:A1001", "values": [[1], [2]]}]},
    )
    assert answer.status_code == 400 and "exceeds grid limits" in answer.json()["error"]["message"]
    answer = _post(
        fake,
        "s:batchUpdate",
        {
            "requests": [
                {
                    "repeatCell": {
                        "range": {"sheetId": 0, "endRowIndex": 1001},
                        "cell": {},
                        "fields": "userEnteredFormat",
                    }
                }
            ]
        },
    )
    assert answer.status_code == 400


def test_a_request_must_hold_exactly_one_kind(fake):
    fake.add_spreadsheet("s", "Book", {"Journey": [["Lane"]]})
    answer = _post(fake, "s:batchUpdate", {"requests": [{"addSheet": {}, "deleteSheet": {"sheetId": 0}}]})
    assert answer.status_code == 400 and "exactly one kind" in answer.json()["error"]["message"]


def test_field_masks_of_updates_are_checked(fake):
    fake.add_spreadsheet("s", "Book", {"Journey": [["Lane"]]})
    answer = _post(
        fake,
        "s:batchUpdate",
        {"requests": [{"updateSheetProperties": {"properties": {"sheetId": 0, "title": "x"}, "fields": "titel"}}]},
    )
    assert answer.status_code == 400 and "titel" in answer.json()["error"]["message"]


def test_faults_answer_429_with_retry_after_then_recover(fake):
    fake.add_spreadsheet("s", "Book", {"Journey": [["Lane"]]})
    fake.fail_next(1, status=429, retry_after="7")
    first = requests.get(f"{fake.url}/v4/spreadsheets/s", headers=AUTH, timeout=10)
    assert first.status_code == 429 and first.headers["Retry-After"] == "7"
    assert first.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    second = requests.get(f"{fake.url}/v4/spreadsheets/s", headers=AUTH, timeout=10)
    assert second.status_code == 200
    assert fake.count("get") == 2 and fake.count("get", ok_only=True) == 1


def test_requests_without_a_valid_token_are_401(fake):
    fake.add_spreadsheet("s", "Book", {"Journey": [["Lane"]]})
    answer = requests.get(f"{fake.url}/v4/spreadsheets/s", timeout=10)
    assert answer.status_code == 401 and answer.json()["error"]["status"] == "UNAUTHENTICATED"


def test_unknown_spreadsheets_and_endpoints_are_404(fake):
    assert requests.get(f"{fake.url}/v4/spreadsheets/nope", headers=AUTH, timeout=10).status_code == 404
    assert requests.get(f"{fake.url}/v4/elsewhere", headers=AUTH, timeout=10).status_code == 404


def test_the_fields_mask_trims_the_metadata(fake):
    fake.add_spreadsheet("s", "Book", {"Journey": [["Lane"]], "Personas": [["Persona"]]})
    answer = requests.get(
        f"{fake.url}/v4/spreadsheets/s",
        headers=AUTH,
        timeout=10,
        params={"fields": "sheets.properties.title"},
    ).json()
    assert answer == {"sheets": [{"properties": {"title": "Journey"}}, {"properties": {"title": "Personas"}}]}
