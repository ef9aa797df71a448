"""A folder that holds only workbooks of another format (.xls, .xlsb, .ods): the message counts them and says
what to do, and nothing is read or written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from addin.frontends.cli import main

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def folder_with(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "journeys"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(OLE_MAGIC + b"\0" * 504)
    return folder


@pytest.mark.parametrize("command", ["check", "regenerate"])
def test_old_xls_workbooks_are_counted_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    folder = folder_with(tmp_path, "north.xls", "south.XLS", "west.xls", "~$north.xls")  # the lock file is no workbook
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main([command, str(folder)]) == 2
    err = capsys.readouterr().err
    assert "it holds 3 old .xls workbooks" in err
    assert "Open them in Excel and save them as .xlsx" in err
    assert "folder with no workbooks" not in err  # it has workbooks, only not ones the add-in reads
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_one_workbook_is_it_not_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(folder_with(tmp_path, "journey.ods"))]) == 2
    err = capsys.readouterr().err
    assert "it holds 1 OpenDocument .ods workbook." in err
    assert "Open it in Excel and save it as .xlsx" in err


def test_mixed_formats_are_each_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, "a.ods", "b.xlsb", "c.xlsb", "d.xls", "notes.txt")
    assert main(["check", "--json", str(folder)]) == 2
    (finding,) = json.loads(capsys.readouterr().out)
    assert finding["rule"] == "U01"
    assert "1 old .xls workbook, 2 Excel Binary .xlsb workbooks and 1 OpenDocument .ods workbook" in finding["message"]


def test_a_folder_without_any_workbook_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a workbook")
    assert main(["check", str(folder)]) == 2
    assert "is a folder with no workbooks (.xlsx or .xlsm) in it." in capsys.readouterr().err
