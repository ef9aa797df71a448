"""The ribbon entry points, run against a fake Excel built from autospecs of the real xlwings classes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw

from addin.core.contract import INPUT_SHEETS, OUTPUT_SHEETS
from addin.frontends import ribbon


@pytest.fixture(scope="module")
def example_sheets() -> dict[str, list[list[Any]]]:
    """The online-shop example's sheets as values (what a user's filled-in book holds)."""
    from addin.authoring import template

    book = template.build("online-shop")
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


@pytest.fixture
def caller(monkeypatch: pytest.MonkeyPatch, fake_excel: Any) -> Any:
    """Make `xw.Book.caller()` return a fake book; returns a function that installs one."""

    def install(sheets: dict[str, list[list[Any]]]) -> Any:
        excel = fake_excel(sheets)
        monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: excel.book))
        return excel

    return install


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows without trailing empty cells and trailing empty rows."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def _status_texts(excel: Any) -> list[Any]:
    return [c.args[0] for c in excel.status_bar.call_args_list if c.args]


def test_refresh_all_writes_the_four_output_sheets(caller: Any, example_sheets: dict[str, Any]) -> None:
    excel = caller(example_sheets)
    ribbon.refresh_all()
    for name in OUTPUT_SHEETS:
        assert name.value in excel.names
    dashboard = excel.sheet("Dashboard")
    assert dashboard.charts and dashboard.pictures
    texts = _status_texts(excel)
    assert texts[0].startswith("Journey Map: refreshing") and texts[-1] is False
    for name in INPUT_SHEETS:
        assert _trim(excel.sheet(name.value).values()) == _trim(example_sheets[name.value]), name


def test_refresh_all_twice_duplicates_nothing(caller: Any, example_sheets: dict[str, Any]) -> None:
    excel = caller(example_sheets)
    ribbon.refresh_all()
    first = {
        s.name: (s.values(), sorted(p.name for p in s.pictures), sorted(c.name for c in s.charts)) for s in excel.sheets
    }
    ribbon.refresh_all()
    again = {
        s.name: (s.values(), sorted(p.name for p in s.pictures), sorted(c.name for c in s.charts)) for s in excel.sheets
    }
    assert list(first) == list(again)
    for name in first:
        assert first[name][1:] == again[name][1:]
        assert first[name][0][1:] == again[name][0][1:]  # row 1 holds the run's time stamp


def test_validate_writes_only_the_validation_sheet_and_says_what_it_found(
    caller: Any, example_sheets: dict[str, Any]
) -> None:
    sheets = dict(example_sheets)
    sheets["PainPoints"] = [*sheets["PainPoints"], ["P99", "Nowhere", "x", "y", None, "bad", 9, 1, "other"]]
    excel = caller(sheets)
    ribbon.validate()
    assert "Validation" in excel.names
    assert not {"Heatmap", "Priorities", "Dashboard"} & set(excel.names)
    excel.app.alert.assert_called_once()
    message = excel.app.alert.call_args.args[0]
    assert "error" in message and "Validation sheet" in message
    assert excel.app.alert.call_args.kwargs == {"title": "Journey Map", "mode": "critical"}


def test_a_book_without_journey_gets_a_sentence_not_a_traceback(caller: Any) -> None:
    excel = caller({"Sheet1": [["hello"]]})
    ribbon.validate()
    excel.app.alert.assert_called_once()
    assert excel.app.alert.call_args.args[0] == ribbon.NO_JOURNEY
    assert "Traceback" not in ribbon.NO_JOURNEY
    assert excel.names == ["Sheet1"]
    assert _status_texts(excel)[-1] is False


def test_other_user_errors_show_their_message(caller: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from addin.core import pipeline
    from addin.core.errors import UnusableWorkbook

    def refuse(raw: Any, **_: Any) -> Any:
        raise UnusableWorkbook("The Journey sheet is protected with a password. Remove it and try again.")

    monkeypatch.setattr(pipeline, "run", refuse)
    excel = caller({"Journey": [["Lane"]]})
    ribbon.refresh_all()
    assert excel.app.alert.call_args.args[0].startswith("The Journey sheet is protected")


def test_a_bug_still_raises_but_gives_the_status_bar_back(caller: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from addin.core import pipeline

    def broken(raw: Any, **_: Any) -> Any:
        raise ZeroDivisionError

    monkeypatch.setattr(pipeline, "run", broken)
    excel = caller({"Journey": [["Lane"]]})
    with pytest.raises(ZeroDivisionError):
        ribbon.refresh_all()
    assert _status_texts(excel)[-1] is False


def test_new_journey_adds_missing_input_sheets_only(caller: Any) -> None:
    excel = caller({"Journey": [["Lane", "My stage"]], "Notes": [["mine"]]})
    ribbon.new_journey()
    assert excel.sheet("Journey").values() == [["Lane", "My stage"]]
    for name in INPUT_SHEETS:
        assert name.value in excel.names
    message = excel.app.alert.call_args.args[0]
    assert "Added: Personas" in message and "Already there, left as they are: Journey." in message
    assert excel.sheet("Settings").values()[0] == ["Key", "Value"]


def test_new_journey_on_a_complete_book_adds_nothing(caller: Any, example_sheets: dict[str, Any]) -> None:
    excel = caller(example_sheets)
    before = list(excel.names)
    ribbon.new_journey()
    assert excel.names == before
    assert "Nothing to add" in excel.app.alert.call_args.args[0]


def test_open_help_opens_the_manual(caller: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(ribbon.webbrowser, "open", lambda url: opened.append(url) or True)
    monkeypatch.setenv(ribbon.HELP_URL_ENV, "https://example.invalid/manual")
    excel = caller({"Journey": [["Lane"]]})
    ribbon.open_help()
    assert opened == ["https://example.invalid/manual"]
    excel.app.alert.assert_not_called()


def test_open_help_falls_back_to_a_message(caller: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ribbon.webbrowser, "open", lambda url: False)
    excel = caller({"Journey": [["Lane"]]})
    ribbon.open_help()
    assert excel.app.alert.call_args.args[0] == ribbon.HELP_TEXT


def test_importing_the_ribbon_module_stays_light() -> None:
    code = (
        "import sys, addin.frontends.ribbon\n"
        "heavy = [m for m in ('pandas', 'numpy', 'matplotlib', 'openpyxl', 'xlwings') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root, env=env)
    assert done.stdout.strip() == ""


def _history_rows(excel: Any) -> list[list[Any]]:
    from addin.core.contract import HISTORY_COLUMNS

    rows = _trim([row[: len(HISTORY_COLUMNS)] for row in excel.sheet("History").values()])
    assert rows[0] == [str(c) for c in HISTORY_COLUMNS]
    return rows[1:]


def _snapshot_times(rows: list[list[Any]]) -> list[str]:
    from addin.core import report_history
    from addin.core.history import from_rows

    return [s.taken for s in from_rows(report_history.as_records(rows))]


def test_refresh_all_keeps_history_one_snapshot_per_changed_result(caller: Any, example_sheets: dict[str, Any]) -> None:
    excel = caller(example_sheets)
    ribbon.refresh_all()
    first = _history_rows(excel)
    assert len(_snapshot_times(first)) == 1 and len(first) == 6  # six stages
    ribbon.refresh_all()
    assert _history_rows(excel) == first  # unchanged input: nothing appended
    excel.sheet("PainPoints").cells[(2, 7)] = 5  # P01's severity 2 -> 5
    ribbon.refresh_all()
    rows = _history_rows(excel)
    assert rows[: len(first)] == first and len(_snapshot_times(rows)) == 2 and len(rows) == 12
