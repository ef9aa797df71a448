"""The sync command: exit status, plain and JSON output, arguments."""

from __future__ import annotations

import argparse

import pytest

from addin.frontends.sync import add_arguments, parse_interval, spreadsheet_id
from tests.sheets.helpers import parse, run_sync
from tests.sheets.journey import journey_sheets, stand_in


def test_status_0_when_there_are_only_warnings(sheets_env, journey):
    ran = run_sync([journey])
    assert ran.status == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0] == "Spreadsheet 'Subscription journey': updated; 1 warning (see the Validation sheet)."
    assert "5 native chart(s)" in lines[1] and "1 picture(s) are not drawn in Google Sheets" in lines[1]
    assert lines[2].startswith("  Fix first: R1 One-page sign-up (score 42, Quick win)")
    assert lines[3].startswith("  4 request(s) to Google")
    assert ran.err == ""


def test_status_1_when_validation_finds_errors_and_the_sheets_are_still_written(sheets_env, journey):
    ran = run_sync([journey], process=lambda raw: stand_in(raw, errors=2))
    assert ran.status == 1
    assert "2 errors and 1 warning need attention" in ran.out
    assert sheets_env.book(journey).values("Validation")[3][:4] == ["error", "P04", "PainPoints", "G2"]


def test_json_prints_one_line_per_spreadsheet(sheets_env, journey):
    sheets_env.add_spreadsheet("second", "Second", journey_sheets())
    ran = run_sync([journey, "second", "--json"], process=lambda raw: stand_in(raw, errors=1, warnings=2))
    assert ran.status == 1
    lines = ran.json_lines()
    assert [line["spreadsheet"] for line in lines] == [journey, "second"]
    first = lines[0]
    assert set(first) >= {"spreadsheet", "findings", "requests", "seconds", "status", "error"}
    assert first["findings"]["errors"] == 1 and first["findings"]["warnings"] == 2
    assert first["findings"]["list"][0] == {
        "severity": "error",
        "rule": "P04",
        "sheet": "PainPoints",
        "cell": "G2",
        "message": "Severity in row 2 is not 1-5.",
        "fix": "Use 1-5.",
        "count": 1,
    }
    assert first["requests"] == 4 and isinstance(first["seconds"], float)


def test_the_worst_status_of_several_spreadsheets_wins(sheets_env, journey):
    ran = run_sync([journey, "missing"])
    assert ran.status == 2
    assert "updated" in ran.out
    assert "found no spreadsheet with that ID" in ran.err


def test_a_spreadsheet_without_a_journey_sheet_is_status_2_and_untouched(sheets_env):
    sheets_env.add_spreadsheet("budget", "Budget 2025", {"Sheet1": [["Cost", 3]]})
    ran = run_sync(["budget"])
    assert ran.status == 2
    assert "'Budget 2025' has no 'Journey' sheet" in ran.err and "nothing was written" in ran.err
    assert [s.title for s in sheets_env.book("budget").sheets] == ["Sheet1"]
    assert sheets_env.count("batchUpdate") == sheets_env.count("values.batchUpdate") == 0


def test_the_cores_own_errors_keep_their_status_and_sentence(sheets_env, journey):
    class Unusable(Exception):
        exit_code = 2

    def broken(raw):
        raise Unusable("The Journey sheet has no stages.")

    ran = run_sync([journey], process=broken)
    assert ran.status == 2 and "The Journey sheet has no stages." in ran.err
    assert sheets_env.count("batchUpdate") == 0


def test_an_unexpected_error_is_status_2_without_a_traceback(sheets_env, journey):
    ran = run_sync([journey], process=lambda raw: 1 / 0)
    assert ran.status == 2
    assert "Unexpected error (ZeroDivisionError" in ran.err and "Traceback" not in ran.err


def test_debug_shows_the_traceback(sheets_env, journey, caplog):
    ran = run_sync([journey, "--debug"], process=lambda raw: 1 / 0)
    assert ran.status == 2
    assert any(r.exc_info for r in caplog.records)


def test_an_address_is_accepted_as_well_as_an_id(sheets_env, journey):
    ran = run_sync([f"https://docs.google.com/spreadsheets/d/{journey}/edit#gid=0"])
    assert ran.status == 0, ran.err


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("2d", 172800), ("1.5m", 90)],
)
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "15", "15x", "m", "0s", "1h 30"])
def test_bad_intervals(text):
    with pytest.raises(argparse.ArgumentTypeError):
        parse_interval(text)


def test_bad_ids():
    with pytest.raises(argparse.ArgumentTypeError):
        spreadsheet_id("not an id")
    with pytest.raises(argparse.ArgumentTypeError):
        spreadsheet_id("https://example.com/nothing")


def test_arguments():
    args = parse(["a", "b", "--every", "15m", "--credentials", "k.json", "--json"])
    assert args.spreadsheets == ["a", "b"] and args.every == 900 and args.credentials == "k.json"
    assert args.json and not getattr(args, "debug", False)


@pytest.mark.parametrize(
    ("argv", "debug"),
    [
        (["--debug", "sync", "x"], True),  # as the README writes it
        (["sync", "x", "--debug"], True),
        (["sync", "x"], False),
    ],
)
def test_debug_before_or_after_the_command(argv, debug):
    from addin.frontends import cli

    assert cli.build_parser("sync").parse_args(argv).debug is debug


def test_the_main_cli_may_already_offer_json_and_debug():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--debug", action="store_true")
    add_arguments(parser)  # no conflict
    assert parser.parse_args(["x", "--json"]).json


@pytest.mark.parametrize("url", ["http://example.com", "ftp://127.0.0.1", "sheets.googleapis.com"])
def test_the_token_never_travels_in_clear_text(sheets_env, journey, monkeypatch, url):
    monkeypatch.setenv("ADDIN_SHEETS_API_URL", url)
    ran = run_sync([journey])
    assert ran.status == 2
    assert ran.err.startswith("ADDIN_SHEETS_API_URL must") and ran.err.count("\n") == 1
    assert sheets_env.api_count() == 0
