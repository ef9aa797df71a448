"""A save that lands while `regenerate` works is never lost; lock files and a second run are respected.

The save is aimed, not timed: the package splice (which reads the workbook and writes the temporary
file) is wrapped so that the "other program" saves exactly between our read and our replace, the way
Excel and LibreOffice save (write a new file, rename it over the old one).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from addin.adapters import ooxml
from addin.frontends.cli import main
from tests.safety.helpers import temp_files


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def users_save(path: Path, note: str) -> bytes:
    """Save `path` as an office program does: a new file with the user's edit, renamed over the old one."""
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Saved meanwhile")["A1"] = note
    staged = path.with_name(".save-in-progress.tmp")
    wb.save(staged)
    os.replace(staged, path)
    return path.read_bytes()


def during_splice(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """Run `action` after the workbook was read and the temporary file written, before the replace."""
    real = ooxml.replace_sheets

    def splice_then(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        action()

    monkeypatch.setattr(ooxml, "replace_sheets", splice_then)


def test_a_save_between_read_and_replace_is_kept(
    shop: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    saved: list[bytes] = []
    during_splice(monkeypatch, lambda: saved.append(users_save(shop, "my edit")))
    assert main(["regenerate", str(shop)]) == 2
    err = capsys.readouterr().err
    assert "changed by another program" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert shop.read_bytes() == saved[0]
    assert openpyxl.load_workbook(shop)["Saved meanwhile"]["A1"].value == "my edit"
    assert temp_files(shop.parent) == []


def test_a_rewrite_in_place_with_the_same_size_and_time_is_seen(
    shop: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same inode, same size, same modification time: only the hash of the bytes tells."""

    def rewrite() -> None:
        st = shop.stat()
        data = bytearray(shop.read_bytes())
        data[-30] ^= 0xFF  # one byte of the zip's trailer
        with open(shop, "r+b") as fh:
            fh.write(bytes(data))
        os.utime(shop, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert (shop.stat().st_ino, shop.stat().st_size, shop.stat().st_mtime_ns) == (
            st.st_ino,
            st.st_size,
            st.st_mtime_ns,
        )

    during_splice(monkeypatch, rewrite)
    before_run = digest(shop)
    assert main(["regenerate", str(shop)]) == 2
    assert "changed by another program" in capsys.readouterr().err
    assert digest(shop) != before_run  # the other program's bytes, not ours and not the old ones


@pytest.mark.parametrize("lock_name", ["~$shop.xlsx", ".~lock.shop.xlsx#"])
def test_a_workbook_opened_meanwhile_is_not_replaced(
    shop: Path, lock_name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    during_splice(monkeypatch, lambda: (shop.parent / lock_name).write_bytes(b"someone"))
    before = digest(shop)
    assert main(["regenerate", str(shop)]) == 2
    err = capsys.readouterr().err
    assert f"lock file {lock_name} is present" in err
    assert digest(shop) == before
    assert temp_files(shop.parent) == []


@pytest.mark.parametrize(("lock_name", "program"), [("~$shop.xlsx", "Excel"), (".~lock.shop.xlsx#", "LibreOffice")])
def test_lock_files_are_checked_at_the_start(
    shop: Path, lock_name: str, program: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (shop.parent / lock_name).write_bytes(b"someone")
    before = digest(shop)
    assert main(["regenerate", str(shop)]) == 2
    assert f"open in {program}" in capsys.readouterr().err
    assert digest(shop) == before


def test_another_workbooks_lock_file_does_not_block(example_files: dict[str, Path], tmp_path: Path) -> None:
    """Excel names its lock file `~$` + the whole name (only Word drops characters of long names), so
    `~$ok.xlsx` belongs to ok.xlsx and must not block book.xlsx (the old check compared from the 3rd
    character); LibreOffice's names are matched whole too."""
    book = tmp_path / "book.xlsx"
    shutil.copyfile(example_files["online-shop"], book)
    (tmp_path / "~$ok.xlsx").write_bytes(b"owner of ok.xlsx")
    (tmp_path / ".~lock.ok.xlsx#").write_bytes(b"owner of ok.xlsx")
    (tmp_path / "~$ook.xlsx").write_bytes(b"what Word would name a long book")
    assert main(["regenerate", str(book)]) == 0
    assert "Heatmap" in openpyxl.load_workbook(book).sheetnames


def test_a_lock_file_next_to_a_links_target_counts(shop: Path, tmp_path: Path) -> None:
    """LibreOffice puts its lock next to the file a link points at (it resolves links first)."""
    elsewhere = tmp_path / "links"
    elsewhere.mkdir()
    link = elsewhere / "journey.xlsx"
    link.symlink_to(shop)
    (shop.parent / f".~lock.{shop.name}#").write_bytes(b"someone")
    before = digest(shop)
    assert main(["regenerate", str(link)]) == 2
    assert digest(shop) == before


def test_a_second_run_on_the_same_file_is_told_so(
    shop: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run B starts while run A is between reading and replacing: B says so and leaves the file alone,
    A finishes as usual. (The lock is an OS lock, so it conflicts within one process too.)"""
    second: list[int] = []

    def second_run() -> None:
        if not second:
            second.append(-1)
            second[0] = main(["regenerate", str(shop)])

    during_splice(monkeypatch, second_run)
    assert main(["regenerate", str(shop)]) == 0
    err = capsys.readouterr().err
    assert second == [2]
    assert "being regenerated by another run of the add-in" in err
    assert "damaged" not in err
    assert "Heatmap" in openpyxl.load_workbook(shop).sheetnames
    assert temp_files(shop.parent) == []


def test_a_lock_left_by_a_killed_run_does_not_block(shop: Path) -> None:
    """The run lock is held by the OS for a live process only; a lock file nobody holds is no lock."""
    (shop.parent / f".~addin-{shop.name}.lock").write_text("12345")
    assert main(["regenerate", str(shop)]) == 0
    assert temp_files(shop.parent) == []


def test_a_file_system_without_os_locks_does_not_block_every_run(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Some network shares refuse `flock` (ENOLCK): that is no lock held by another run."""
    import errno

    from addin.adapters import file_guard

    def no_locks(fd: int, op: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(file_guard.fcntl, "flock", no_locks)
    assert main(["regenerate", str(shop)]) == 0
    assert "Heatmap" in openpyxl.load_workbook(shop, read_only=True).sheetnames


def test_a_copy_open_in_excel_is_not_replaced_by_out(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "copies"
    out.mkdir()
    shutil.copyfile(shop, out / shop.name)
    (out / f"~${shop.name}").write_bytes(b"someone")
    before = digest(out / shop.name)
    assert main(["regenerate", str(shop), "--out", str(out)]) == 2
    assert "open in Excel" in capsys.readouterr().err
    assert digest(out / shop.name) == before
