"""`python -m addin import`: exit status, messages, the Import sheet, --json, --sheet, --synonyms, safety."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from addin.adapters.xlsx_reader import read_workbook
from addin.core.contract import IMPORT_COLUMNS, Sheet
from addin.frontends.cli import main
from tests.importing.corpus import write_draft_and_completed, write_title_grid, write_touchpoint_rows

HEAVY = ("pandas", "numpy", "openpyxl", "matplotlib", "python_calamine", "lxml")


def test_unrecognisable_file_exits_2_with_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "prices.csv"
    src.write_text("Name,Price,Qty\nApple,1.20,3\nPear,0.90,5\n", encoding="utf-8")
    out = tmp_path / "new.xlsx"
    assert main(["import", str(src), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{src}: found no journey in it; looked for a journey grid") and err.count(".") <= 2
    assert "\n" not in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".~addin-*"))


def test_a_file_that_is_no_workbook_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "map.xlsx"
    src.write_text("not a workbook")
    assert main(["import", str(src), "--out", str(tmp_path / "new.xlsx")]) == 2
    assert "is not an Excel workbook" in capsys.readouterr().err


def test_import_sheet_and_json_name_file_cell_and_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (src,) = write_title_grid(tmp_path)
    out = tmp_path / "new.xlsx"
    assert main(["import", str(src), "--out", str(out), "--json"]) == 0
    decisions = json.loads(capsys.readouterr().out)
    sheet = read_workbook(out, (Sheet.IMPORT.value,)).sheets[Sheet.IMPORT.value]
    assert sheet.rows[0] == [c.value for c in IMPORT_COLUMNS]
    rows = [[cell or "" for cell in row] for row in sheet.rows[1:]]
    assert rows == [[d["from"], d["to"], d["decision"], d["confirm"]] for d in decisions]
    by_target = {d["to"]: d for d in decisions}
    assert by_target["PainPoints P03"]["from"] == "Customer_Journey_Map.xlsx Sheet1!E10"
    assert "Shipping cost shown late" in by_target["PainPoints P03"]["decision"]
    assert "assumed" in by_target["PainPoints P03"]["confirm"]
    assert decisions[0]["decision"] == "Severity assumed (3) for 3 of 3 pain points"
    assert any(
        d["from"] == "Customer_Journey_Map.xlsx Sheet1!C10" and "placeholder" in d["decision"] for d in decisions
    )
    assert any("keyword 'pain'" in d["decision"] and d["confirm"] for d in decisions)
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == [Sheet.INSTRUCTIONS.value, Sheet.IMPORT.value]
    assert wb[Sheet.JOURNEY.value].tables and wb[Sheet.PAIN_POINTS.value].data_validations.dataValidation
    assert wb[Sheet.PERSONAS.value]["A2"].value == "Anna"


def test_several_grids_take_the_most_complete_unless_sheet_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (src,) = write_draft_and_completed(tmp_path)
    out = tmp_path / "new.xlsx"
    assert main(["import", str(src), "--out", str(out), "--json"]) == 0
    decisions = json.loads(capsys.readouterr().out)
    chosen = next(d for d in decisions if "journey grids" in d["decision"])
    assert chosen["from"].startswith("hiring.xlsx Completed!") and "the most complete" in chosen["decision"]
    assert "--sheet" in chosen["confirm"]
    draft = tmp_path / "draft.xlsx"
    assert main(["import", str(src), "--out", str(draft), "--sheet", "draft"]) == 0
    goals = read_workbook(draft).sheets[Sheet.JOURNEY.value].rows[1]
    assert goals[:2] == ["Goals", "Get the job"] and goals[2:] == [None, None]
    assert main(["import", str(src), "--out", str(tmp_path / "x.xlsx"), "--sheet", "Final"]) == 2
    assert f"No source has a sheet named 'Final' (they have: {src}: Draft, Completed)." in capsys.readouterr().err


def test_never_overwrites_a_file_or_a_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (src,) = write_touchpoint_rows(tmp_path)
    out = tmp_path / "new.xlsx"
    out.write_bytes(b"mine")
    assert main(["import", str(src), "--out", str(out)]) == 2
    assert out.read_bytes() == b"mine" and "already exists" in capsys.readouterr().err
    assert main(["import", str(src), "--out", str(out), "--force"]) == 0
    (book,) = write_title_grid(tmp_path)
    before = book.read_bytes()
    assert main(["import", str(book), "--out", str(book), "--force"]) == 2
    assert book.read_bytes() == before


def test_user_synonyms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "map.csv"
    src.write_text(",Find,Buy\nKanal,Web,Shop\nCustomer mood,happy,angry\nWhat hurts,,Queue\n", encoding="utf-8")
    plain = tmp_path / "plain.xlsx"
    assert main(["import", str(src), "--out", str(plain)]) == 2  # no lane of the contract in it
    capsys.readouterr()
    syn = tmp_path / "lanes.csv"
    syn.write_text("label,lane\nKanal,Channels\nCustomer mood,Emotion\nWhat hurts,Pain points\n", encoding="utf-8")
    out = tmp_path / "new.xlsx"
    assert main(["import", str(src), "--out", str(out), "--synonyms", str(syn)]) == 0
    rows = {r[0]: r[1:] for r in read_workbook(out).sheets[Sheet.JOURNEY.value].rows}
    assert rows["Channels"] == ["Web", "Shop"] and rows["Emotion"] == [1, -2] and rows["Pain points"] == [None, "Queue"]
    bad = tmp_path / "bad.csv"
    bad.write_text("Kanal,Chanels\n", encoding="utf-8")
    assert main(["import", str(src), "--out", str(tmp_path / "b.xlsx"), "--synonyms", str(bad)]) == 2
    assert "bad.csv line 1: expected 'label,lane'" in capsys.readouterr().err


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    src = tmp_path / "map.xlsx"
    wb = Workbook()
    ws = wb.active
    for row in (["", "Find", "Buy"], ["Touchpoints", '=HYPERLINK("x")', "Shop"], ["Pain points", "+fees", "-slow"]):
        ws.append(row)
    for cell in ("B2",):
        ws[cell].data_type = "s"
    wb.save(src)
    out = tmp_path / "new.xlsx"
    assert main(["import", str(src), "--out", str(out)]) == 0
    pains = load_workbook(out)[Sheet.PAIN_POINTS.value]
    assert [pains.cell(r, 6).value for r in (2, 3)] == ["+fees", "-slow"]
    assert all(pains.cell(r, 6).data_type == "s" for r in (2, 3))
    journey = load_workbook(out)[Sheet.JOURNEY.value]
    cells = [c for row in journey.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)


def test_import_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\nfrom addin.frontends.cli import main\ntry:\n    main(['import', '--help'])\n"
        "except SystemExit:\n    pass\nprint('MODULES', ' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "--synonyms" in done.stdout
    modules = set(done.stdout.split("MODULES", 1)[1].split())
    assert "addin.frontends.importing" in modules
    assert not modules & set(HEAVY), modules & set(HEAVY)


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.csv", b"", "is empty: there is nothing to import"),
        ("noise.csv", bytes(range(256)) * 20, "cannot be read as a CSV file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel 97-2003 (.xls)"),
        ("lanes.csv", b"Lane\nGoals\nTouchpoints\n", "found no journey in it"),
        ("missing.csv", None, "does not exist"),
    ],
)
def test_unusable_sources_exit_2_with_a_sentence(
    name: str, data: bytes | None, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / name
    if data is not None:
        src.write_bytes(data)
    out = tmp_path / "new.xlsx"
    assert main(["import", str(src), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert says in err and str(src) in err and "Traceback" not in err and "Unexpected" not in err
    assert not out.exists()


def test_csv_in_utf16_and_tabs(tmp_path: Path) -> None:
    src = tmp_path / "export.csv"
    src.write_bytes("Lane\tFind\tBuy\nGoals\tLook\tPay\nFeeling\tcurious\tnervous\n".encode("utf-16"))
    out = tmp_path / "new.xlsx"
    assert main(["import", str(src), "--out", str(out)]) == 0
    rows = {r[0]: r[1:] for r in read_workbook(out).sheets[Sheet.JOURNEY.value].rows}
    assert rows["Lane"] == ["Find", "Buy"] and rows["Emotion"] == [1, -1]


def test_a_long_table_gives_a_short_import_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "survey.csv"
    lines = ["Stage,Touchpoint,Score"] + [f"{('Find', 'Buy', 'Use')[i % 3]},Web,{1 + i % 5}" for i in range(3000)]
    src.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "new.xlsx"
    assert main(["import", str(src), "--out", str(out), "--json"]) == 0
    decisions = json.loads(capsys.readouterr().out)
    assert len(decisions) < 15
    assert any(d["decision"].startswith("3,000 numbers of 'Score' read on the scale 1-5") for d in decisions)
    emotion = next(r for r in read_workbook(out).sheets[Sheet.JOURNEY.value].rows if r[0] == "Emotion")
    assert len(emotion) == 4 and all(abs(v) < 0.01 for v in emotion[1:])  # 1-5 evenly at every stage: 0


def test_a_place_that_cannot_be_written_is_a_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (src,) = write_touchpoint_rows(tmp_path)
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("mine")
    assert main(["import", str(src), "--out", str(not_a_folder / "new.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Could not write {not_a_folder / 'new.xlsx'}:") and "Nothing was written." in err
    assert not_a_folder.read_text() == "mine"
