"""Writing in place keeps what the file system knows about the workbook: links, owner, group, mode,
extended attributes. The cases that need another user run as an unprivileged user (see helpers)."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
from pathlib import Path

import openpyxl
import pytest

from addin.frontends.cli import main
from tests.safety.helpers import GROUP, OTHER, USER, give, needs_fork, needs_root, run_as, temp_files


def sheets(path: Path) -> list[str]:
    return openpyxl.load_workbook(path, read_only=True).sheetnames


def test_a_symlink_is_written_through_and_stays_a_link(shop: Path, tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    desk.mkdir()
    link = desk / "journey.xlsx"
    link.symlink_to(shop)
    assert main(["regenerate", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(shop)
    assert "Heatmap" in sheets(shop)
    assert temp_files(desk) == [] and temp_files(shop.parent) == []


def test_a_relative_symlink_chain_is_followed(shop: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "middle.xlsx").symlink_to(Path("..") / shop.name)
    first = tmp_path / "first.xlsx"
    first.symlink_to(Path("a") / "middle.xlsx")
    assert main(["regenerate", str(first)]) == 0
    assert first.is_symlink() and (tmp_path / "a" / "middle.xlsx").is_symlink()
    assert "Heatmap" in sheets(shop)


def test_mode_is_kept(shop: Path) -> None:
    os.chmod(shop, 0o640)
    assert main(["regenerate", str(shop)]) == 0
    assert stat.S_IMODE(shop.stat().st_mode) == 0o640


def test_extended_attributes_are_kept(shop: Path) -> None:
    try:
        os.setxattr(shop, "user.addin.test", b"tagged by the user")
    except (AttributeError, OSError) as exc:
        if isinstance(exc, AttributeError) or exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            pytest.skip(f"this file system keeps no user extended attributes ({exc})")
        raise
    assert main(["regenerate", str(shop)]) == 0
    assert os.getxattr(shop, "user.addin.test") == b"tagged by the user"


def test_a_hard_link_is_split_and_the_other_name_keeps_the_old_workbook(shop: Path, tmp_path: Path) -> None:
    """What the README promises: the name you run on gets the results, other hard links keep the
    workbook as it was (the file is replaced, never rewritten in place: that is what makes it atomic)."""
    other = tmp_path / "other-name.xlsx"
    os.link(shop, other)
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    assert main(["regenerate", str(shop)]) == 0
    assert "Heatmap" in sheets(shop)
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    assert shop.stat().st_nlink == 1 and other.stat().st_nlink == 1


@needs_root
def test_root_keeps_another_users_owner_and_group(shop: Path) -> None:
    give(shop, OTHER, GROUP, 0o664)
    assert main(["regenerate", str(shop)]) == 0
    st = shop.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (OTHER, GROUP, 0o664)
    assert "Heatmap" in sheets(shop)


@needs_root
@needs_fork
@pytest.mark.slow
def test_an_unprivileged_user_does_not_take_over_another_users_workbook(shop: Path, shared: Path) -> None:
    """USER may write OTHER's group-writable workbook, but a replace would make the file USER's:
    so it is refused, one sentence, the file and its owner unchanged."""
    book = shared / "team.xlsx"
    shutil.copyfile(shop, book)
    give(book, OTHER, GROUP, 0o664)
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    done = run_as(USER, ["regenerate", str(book)], groups=[GROUP])
    assert done.status == 2, done.err
    assert "belongs to the user with id 54322" in done.err and "--out" in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before
    assert (book.stat().st_uid, book.stat().st_gid) == (OTHER, GROUP)
    assert temp_files(shared) == []


@needs_root
@needs_fork
@pytest.mark.slow
def test_an_unprivileged_user_regenerates_an_own_file_keeping_its_group(shop: Path, shared: Path) -> None:
    book = shared / "mine.xlsx"
    shutil.copyfile(shop, book)
    give(book, USER, GROUP, 0o660)
    done = run_as(USER, ["regenerate", str(book)], groups=[GROUP, USER])
    assert done.status == 0, done.err
    st = book.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (USER, GROUP, 0o660)
    assert "Heatmap" in sheets(book)
