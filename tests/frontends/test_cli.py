"""The command line, called for real: exit codes, output, files written or left alone."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.frontends.cli import main

OUTPUTS = ["Validation", "Heatmap", "Priorities", "Dashboard"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parts(path: Path) -> dict[str, int]:
    """Counts of the package parts that matter for idempotency."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    return {
        "worksheets": sum(n.startswith("xl/worksheets/sheet") for n in names),
        "charts": sum(n.startswith("xl/charts/chart") for n in names),
        "drawings": sum(n.startswith("xl/drawings/drawing") for n in names),
        "media": sum(n.startswith("xl/media/") for n in names),
    }


def output_values(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {name: list(wb[name].iter_rows(values_only=True)) for name in OUTPUTS}


def test_demo_writes_results_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    demo = tmp_path / "journey-demo.xlsx"
    assert str(demo) in out
    assert "Hurts most: Purchase" in out and "Fix first: R01" in out
    assert len(out.splitlines()) <= 10
    wb = openpyxl.load_workbook(demo)
    for name in OUTPUTS:
        assert name in wb.sheetnames
        assert "replaced on every run" in wb[name]["A1"].value
    assert wb["Priorities"]["B4"].value == "R01"
    assert wb["Heatmap"]["A4"].value == "Touchpoint"
    assert len(wb["Dashboard"]._charts) == 4
    assert len(wb["Dashboard"]._images) == 2
    assert len(wb["Heatmap"]._images) == 1


def test_python_m_addin_runs_as_a_process(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "addin", "demo"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "journey-demo.xlsx").exists()
    assert "Traceback" not in proc.stderr


def test_second_regenerate_changes_nothing(shop: Path) -> None:
    assert main(["regenerate", str(shop)]) == 0
    first_parts, first_values = parts(shop), output_values(shop)
    names_first = openpyxl.load_workbook(shop).sheetnames
    assert main(["regenerate", str(shop)]) == 0
    assert parts(shop) == first_parts
    assert first_parts["charts"] == 5 and first_parts["media"] == 4  # 4 Dashboard + History trend; 3 + map
    assert output_values(shop) == first_values
    assert openpyxl.load_workbook(shop).sheetnames == names_first
    assert names_first.count("Dashboard") == 1


def test_regenerate_into_out_dir_leaves_source_alone(shop: Path, tmp_path: Path) -> None:
    before = digest(shop)
    out = tmp_path / "out"
    assert main(["regenerate", str(shop), "--out", str(out)]) == 0
    assert digest(shop) == before
    assert "Dashboard" in openpyxl.load_workbook(out / shop.name).sheetnames


def test_regenerate_folder_with_jobs_and_png(example_files: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(3):
        shutil.copyfile(example_files["saas-onboarding"], folder / f"team{i}.xlsx")
    (folder / "notes.txt").write_text("not a workbook")
    pngs = tmp_path / "png"
    assert main(["regenerate", str(folder), "--jobs", "2", "--png", str(pngs)]) == 0
    for i in range(3):
        assert "Priorities" in openpyxl.load_workbook(folder / f"team{i}.xlsx").sheetnames
    saved = sorted(p.name for p in pngs.iterdir())
    assert "team0-heatmap.png" in saved and "team0-priority_matrix.png" in saved
    assert (pngs / "team0-heatmap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_regenerate_keeps_file_mode(shop: Path) -> None:
    os.chmod(shop, 0o640)
    assert main(["regenerate", str(shop)]) == 0
    assert (shop.stat().st_mode & 0o777) == 0o640
    assert not [p for p in shop.parent.iterdir() if p.name.startswith(".~addin-")]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"hello, this is text", "is not an Excel workbook"),
        (b"", "is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel 97-2003 (.xls)"),
        (b"PK\x03\x04garbage", "is not an Excel workbook"),
    ],
    ids=["text", "empty", "xls", "broken-zip"],
)
def test_unusable_input_exit_2_one_sentence_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    for command in ("check", "regenerate"):
        assert main([command, str(bad)]) == 2
        err = capsys.readouterr().err
        assert expected in err and str(bad) in err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
        assert bad.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


def test_workbook_without_journey_sheet_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.active["A1"] = "not a journey"
    wb.save(path)
    before = digest(path)
    assert main(["regenerate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "has no 'Journey' sheet" in err
    assert digest(path) == before


def test_missing_file_and_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope.xlsx")]) == 2
    assert "does not exist" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["regenerate", str(empty)]) == 2
    assert "folder with no workbooks" in capsys.readouterr().err


def test_open_in_excel_lock_file_is_refused(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (shop.parent / ("~$" + shop.name)).write_bytes(b"owner")
    before = digest(shop)
    assert main(["regenerate", str(shop)]) == 2
    assert "open in Excel" in capsys.readouterr().err
    assert digest(shop) == before


def test_password_protected_workbook_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    olefile = pytest.importorskip("olefile")
    del olefile
    # an encrypted OOXML file is an OLE container with EncryptionInfo / EncryptedPackage streams
    path = tmp_path / "secret.xlsx"
    path.write_bytes(_ole_with_streams(["EncryptionInfo", "EncryptedPackage"]))
    assert main(["check", str(path)]) == 2
    assert "protected with a password" in capsys.readouterr().err


def _ole_with_streams(names: list[str]) -> bytes:
    """A minimal compound file (v3, 512-byte sectors) with the given small streams."""
    import struct

    sector = 512
    entries = [("Root Entry", 5, 0xFFFFFFFF, 0)] + [(n, 2, 0xFFFFFFFE, 0) for n in names]
    # directory: root's child is entry 1; siblings chained to the right
    dir_bytes = b""
    for i, (name, kind, start, size) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\0\0"
        child = 1 if i == 0 and len(entries) > 1 else 0xFFFFFFFF
        right = i + 1 if 0 < i < len(entries) - 1 else 0xFFFFFFFF
        dir_bytes += (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )
    dir_bytes = dir_bytes.ljust(sector, b"\0")
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE).ljust(sector, b"\xff")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    )
    difat = struct.pack("<I", 0) + b"\xff" * (436 - 4)
    return (header + difat).ljust(sector, b"\0") + fat + dir_bytes


def test_new_blank_and_example_and_refuses_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "mine.xlsx"
    assert main(["new", str(blank)]) == 0
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames[:2] == ["Instructions", "Journey"]
    before = digest(blank)
    assert main(["new", str(blank), "--example", "online-shop"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert digest(blank) == before
    assert main(["new", str(tmp_path / "x.xlsx"), "--example", "nope"]) == 2
    assert "online-shop" in capsys.readouterr().err


def test_check_json_and_exit_1_on_errors(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.load_workbook(shop)
    wb["PainPoints"]["G2"] = 9
    wb.save(shop)
    before = digest(shop)
    assert main(["check", "--json", str(shop)]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert {"severity", "rule", "sheet", "cell", "message", "fix"} <= set(findings[0])
    bad = [f for f in findings if f["rule"] == "P04"]
    assert bad and bad[0]["cell"] == "G2" and bad[0]["sheet"] == "PainPoints"
    assert digest(shop) == before
    assert main(["check", str(shop)]) == 1
    text = capsys.readouterr().out
    assert "PainPoints:" in text and "G2" in text


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "new", "check", "regenerate", "sync", "excel"):
        assert command in out
