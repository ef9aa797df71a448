"""Input that cannot be used: exit status 2, one clear sentence, the file left byte-identical.

Real files where a tool can write them (an .xls by xlwt, a password-protected .xlsx by
msoffcrypto-tool); synthetic bytes otherwise.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from addin.frontends.cli import main

CheckJson = Callable[..., tuple[int, list[dict[str, Any]]]]


def assert_refused(path: Path, says: str, capsys: pytest.CaptureFixture[str], check_json: CheckJson) -> None:
    """`check` and `check --json` both refuse `path` with one sentence naming it, and leave it as it was."""
    before = path.read_bytes() if path.is_file() else None
    mtime = path.stat().st_mtime_ns if path.exists() else None
    listing = sorted(p.name for p in path.parent.iterdir())
    capsys.readouterr()
    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert says in err and str(path) in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    status, findings = check_json(path)
    assert status == 2
    assert [(f["rule"], f["severity"], f["file"]) for f in findings] == [("U01", "error", str(path))]
    assert says in findings[0]["message"]
    assert findings[0]["message"] in check_json.err  # type: ignore[attr-defined]  (people read stderr)
    if before is not None:
        assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in path.parent.iterdir()) == listing


def test_real_xls_written_by_xlwt(tmp_path: Path, capsys: pytest.CaptureFixture[str], check_json: CheckJson) -> None:
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes a real Excel 97-2003 file")
    book = xlwt.Workbook()
    book.add_sheet("Journey").write(0, 0, "Lane")
    path = tmp_path / "old.xls"
    book.save(str(path))
    assert_refused(path, "save it as .xlsx", capsys, check_json)
    renamed = tmp_path / "renamed.xlsx"  # the name does not fool the check
    renamed.write_bytes(path.read_bytes())
    assert_refused(renamed, "old Excel 97-2003 (.xls)", capsys, check_json)


def test_real_password_protected_workbook(
    example_files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], check_json: CheckJson
) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml", reason="msoffcrypto-tool encrypts like Excel")
    path = tmp_path / "secret.xlsx"
    with example_files["online-shop"].open("rb") as plain, path.open("wb") as out:
        ooxml.OOXMLFile(plain).encrypt("secret", out)
    assert_refused(path, "protected with a password", capsys, check_json)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.xlsx", b"", "is empty"),
        ("notes.xlsx", b"just some text", "is not an Excel workbook"),
        ("truncated.xlsx", b"PK\x03\x04garbage", "is not an Excel workbook"),
    ],
)
def test_bytes_that_are_no_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], check_json: CheckJson, name: str, content: bytes, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_refused(path, says, capsys, check_json)


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("parts", "says"),
    [
        ({"xl/workbook.bin": b"\0"}, "Excel Binary Workbook (.xlsb)"),
        ({"content.xml": b"<office/>"}, "an OpenDocument or Word file"),
        (
            {"xl/workbook.xml": b'<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"/>'},
            "Strict Open XML",
        ),
    ],
    ids=["xlsb", "ods", "strict"],
)
def test_packages_that_are_not_an_ordinary_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], check_json: CheckJson, parts: dict[str, bytes], says: str
) -> None:
    path = tmp_path / "other.xlsx"
    path.write_bytes(_zip(parts))
    assert_refused(path, says, capsys, check_json)


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], check_json: CheckJson) -> None:
    assert_refused(tmp_path / "nope.xlsx", "does not exist", capsys, check_json)


def test_folder_with_no_workbooks(tmp_path: Path, capsys: pytest.CaptureFixture[str], check_json: CheckJson) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a workbook")
    assert_refused(folder, "folder with no workbooks", capsys, check_json)


def test_workbook_open_in_excel(shop: Path, capsys: pytest.CaptureFixture[str], check_json: CheckJson) -> None:
    (shop.parent / ("~$" + shop.name)).write_bytes(b"\x05someone")
    assert_refused(shop, "open in Excel", capsys, check_json)


def test_workbook_without_journey_sheet(
    broken: Callable[..., Path], capsys: pytest.CaptureFixture[str], check_json: CheckJson
) -> None:
    path = broken(lambda wb, _: wb.remove(wb["Journey"]))
    assert_refused(path, "has no 'Journey' sheet", capsys, check_json)


def test_a_folder_with_good_and_unusable_files_reports_both(
    example_files: dict[str, Path], tmp_path: Path, check_json: CheckJson, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    good = folder / "a-shop.xlsx"
    good.write_bytes(example_files["online-shop"].read_bytes())
    (folder / "b-empty.xlsx").write_bytes(b"")
    status, findings = check_json(folder)
    assert status == 2
    assert [f["file"] for f in findings if f["rule"] == "U01"] == [str(folder / "b-empty.xlsx")]
    assert {f["file"] for f in findings if f["rule"] != "U01"} == {str(good)}
    assert "b-empty.xlsx is empty" in check_json.err  # type: ignore[attr-defined]
