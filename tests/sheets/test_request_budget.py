"""A sync costs one metadata read and three data requests, however big the spreadsheet."""

from __future__ import annotations

import time

import pytest

from tests.sheets.helpers import run_sync
from tests.sheets.journey import journey_sheets

DATA = ("values.batchGet", "batchUpdate", "values.batchUpdate")


def test_a_small_journey_costs_one_read_of_metadata_and_three_data_requests(sheets_env, journey):
    ran = run_sync([journey, "--json"])
    assert ran.status == 0, ran.err
    assert sheets_env.count("get") == 1
    assert [sheets_env.count(kind) for kind in DATA] == [1, 1, 1]
    assert ran.json_lines()[0]["requests"] == 4


@pytest.mark.slow
def test_100000_evidence_rows_cost_at_most_three_data_requests(sheets_env):
    sheets_env.add_spreadsheet("big", "Big journey", journey_sheets(evidence_rows=100_000))
    started = time.monotonic()
    ran = run_sync(["big", "--json"])
    elapsed = time.monotonic() - started
    assert ran.status == 0, ran.err
    assert sheets_env.count("get") <= 1
    assert sum(sheets_env.count(kind) for kind in DATA) <= 3
    assert sheets_env.api_count() <= 4
    evidence = ran.seen[0].find("Evidence")
    assert evidence is not None and len(evidence.rows) == 100_001
    assert evidence.rows[1][0] == 45352  # 2024-03-01 as a serial day number (SERIAL_NUMBER)
    print(f"100,000 evidence rows: {sheets_env.api_count()} requests, {elapsed:.1f} s against the fake server")


def test_only_input_sheets_present_are_read(sheets_env):
    sheets = journey_sheets()
    del sheets["Evidence"], sheets["Funnel"]
    sheets["Notes"] = [["my own notes"]]
    sheets_env.add_spreadsheet("s", "Without evidence", sheets)
    ran = run_sync(["s"])
    assert ran.status == 0, ran.err
    raw = ran.seen[0]
    assert sorted(raw.sheets) == ["Journey", "PainPoints", "Personas", "Recommendations", "Settings"]
    assert sheets_env.book("s").values("Notes") == [["my own notes"]]


def test_empty_cells_are_none_and_rows_start_at_a1(sheets_env):
    sheets = journey_sheets()
    sheets["Personas"].append(["Retiree", "", 10])
    sheets_env.add_spreadsheet("s", "Gaps", sheets)
    ran = run_sync(["s"])
    personas = ran.seen[0].find("Personas")
    assert personas is not None
    assert personas.rows[0] == ["Persona", "Description", "Weight"]
    assert personas.rows[-1] == ["Retiree", None, 10]
