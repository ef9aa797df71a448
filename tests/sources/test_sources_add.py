"""`sources add` recognises a file, proposes EvidenceSources rows, says what to confirm, and writes them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.sources import exports

QUESTIONS = {
    "Q1": "How likely are you to recommend us to a friend?",
    "Q2": "Anything else you want to tell us?",
    "Q5_1": "How satisfied were you with - Checkout",
    "Q6": "How easy was it to track your Delivery?",
}


def _add(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "addin", "sources", "add", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def _rows(book: Path) -> list[dict[str, object]]:
    ws = load_workbook(book)["EvidenceSources"]
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, r, strict=False)) for r in values[1:] if any(v is not None for v in r)]


def test_a_qualtrics_export_gets_one_row_per_measured_question(shop: Path) -> None:
    folder = shop.parent / "exports"
    folder.mkdir()
    answers = [
        {"Q1": "9", "Q5_1": "Very satisfied", "Q6": "Kinda hard"},
        {"Q1": "3", "Q5_1": "Satisfied", "Q6": "Easy"},
    ]
    (folder / "q3.csv").write_bytes(exports.qualtrics(answers, QUESTIONS))
    proc = _add(str(shop), "exports/q3.csv", cwd=shop.parent)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "a Qualtrics export" in out and "4 questions" in out
    assert "Q2" in out.split("not added")[1]  # the free-text question is named as left out
    assert "'Kinda hard'" in out  # a label to confirm
    rows = _rows(shop)
    assert [(r["File"], r["Question"], r["Metric"]) for r in rows] == [
        ("exports/q3.csv", "Q1", "NPS"),
        ("exports/q3.csv", "Q5_1", "CSAT"),
        ("exports/q3.csv", "Q6", "CES"),
    ]
    assert rows[2]["Stage"] == "Delivery" and rows[1]["Touchpoint"] == "Checkout"
    again = _add(str(shop), "exports/q3.csv", cwd=shop.parent)
    assert again.returncode == 0 and "lists these sources already" in again.stdout
    assert len(_rows(shop)) == 3


def test_the_users_own_rows_and_columns_are_kept(shop: Path) -> None:
    wb = load_workbook(shop)
    ws = wb["EvidenceSources"]
    ws.cell(1, 13, "My notes")
    ws.cell(2, 1, "old/export.csv")
    ws.cell(2, 3, "Q9")
    ws.cell(2, 13, "from the spring study")
    wb.save(shop)
    (shop.parent / "ev.csv").write_bytes(exports.event_log([("u1", "Purchase", "2026-03-01T10:00:00Z", "web")]))
    proc = _add(str(shop), "ev.csv", cwd=shop.parent)
    assert proc.returncode == 0, proc.stderr
    rows = _rows(shop)
    assert rows[0]["File"] == "old/export.csv" and rows[0]["My notes"] == "from the spring study"
    assert rows[1]["File"] == "ev.csv" and rows[1]["Format"] == "events" and rows[1]["Stage"] == "Purchase"


def test_dry_run_writes_nothing_and_an_unknown_file_is_one_sentence(shop: Path) -> None:
    (shop.parent / "q.csv").write_bytes(
        exports.google_forms([{"How satisfied are you?": "5"}], ["How satisfied are you?"])
    )
    before = shop.read_bytes()
    proc = _add(str(shop), "q.csv", "--dry-run", "--stage", "Purchase", cwd=shop.parent)
    assert proc.returncode == 0 and "Would add 1 rows" in proc.stdout
    (shop.parent / "notes.csv").write_text("just,some\nrandom,text\n")
    bad = _add(str(shop), "notes.csv", cwd=shop.parent)
    assert bad.returncode == 2
    assert "notes.csv" in bad.stderr and "Qualtrics" in bad.stderr and "Traceback" not in bad.stderr
    assert shop.read_bytes() == before


def test_a_spreadsheet_export_is_read_once_and_proposes_what_its_csv_does(
    shop: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An .xlsx export (SurveyMonkey and Qualtrics offer one) is opened once to recognise it and look at its answers."""
    import csv
    import io

    import python_calamine
    from openpyxl import Workbook

    from addin.frontends.cli import main

    answers = [{"Q1": "9", "Q5_1": "Very satisfied", "Q6": "Easy"}, {"Q1": "3", "Q5_1": "Satisfied", "Q6": "Easy"}]
    folder = shop.parent / "exports"
    folder.mkdir()
    (folder / "q3.csv").write_bytes(exports.qualtrics(answers, QUESTIONS))
    book = Workbook()
    for row in csv.reader(io.StringIO((folder / "q3.csv").read_bytes().decode("utf-8-sig"))):
        book.active.append(row)
    book.save(folder / "q3.xlsx")
    opened: list[str] = []
    real = python_calamine.CalamineWorkbook.from_path

    def counting(path: str) -> object:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", counting)
    monkeypatch.chdir(shop.parent)
    assert main(["sources", "add", str(shop), "exports/q3.xlsx", "--dry-run"]) == 0
    from_xlsx = capsys.readouterr().out
    assert [p for p in opened if p.endswith("q3.xlsx")] == [str((folder / "q3.xlsx").resolve())]  # the book too
    assert main(["sources", "add", str(shop), "exports/q3.csv", "--dry-run"]) == 0
    from_csv = capsys.readouterr().out
    assert "a Qualtrics export" in from_xlsx and from_xlsx.replace("q3.xlsx", "q3.csv") == from_csv
