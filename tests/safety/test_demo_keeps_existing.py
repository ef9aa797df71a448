"""`demo` never overwrites a journey-demo.xlsx that is already there (as `new` without --force)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from addin.frontends.cli import main


def test_demo_refuses_to_overwrite_an_edited_demo(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    demo = tmp_path / "journey-demo.xlsx"
    wb = openpyxl.load_workbook(shop)
    wb.create_sheet("My notes")["A1"] = "an afternoon of work"
    wb.save(demo)
    before = hashlib.sha256(demo.read_bytes()).hexdigest()

    assert main(["demo"]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == before

    assert main(["demo", "--force"]) == 0
    assert "My notes" not in openpyxl.load_workbook(demo).sheetnames


def test_new_and_demo_do_not_replace_a_file_made_meanwhile(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check before writing and the write are one step: a file that appears in between is kept."""
    from addin.authoring import template

    out = tmp_path / "new.xlsx"
    real_save = template.save

    def save_then_someone_creates_it(wb: object, path: Path) -> None:
        real_save(wb, path)  # type: ignore[arg-type]
        shutil.copyfile(shop, out)

    monkeypatch.setattr(template, "save", save_then_someone_creates_it)
    assert main(["new", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == shop.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~addin-")]
