"""The exit-status promise: 2 means nothing was written; each file of a batch has its own outcome and
sentence and the others go on; the worst status wins, with `--jobs` too; a closed pipe ends quietly."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from addin.frontends.cli import main
from tests.safety.helpers import USER, give, is_root, needs_fork, run_as, temp_files, unprivileged


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_png_into_a_place_that_cannot_be_a_folder_writes_nothing(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file stands where the picture folder would go (root can write anywhere else)."""
    (tmp_path / "report").write_text("not a folder")
    before = digest(shop)
    assert main(["regenerate", str(shop), "--png", str(tmp_path / "report" / "pictures")]) == 2
    err = capsys.readouterr().err
    assert "Cannot write the pictures (--png)" in err and "Nothing was written" in err
    assert "Unexpected" not in err and len(err.strip().splitlines()) == 1
    assert digest(shop) == before
    assert temp_files(shop.parent) == []


@needs_fork
@pytest.mark.slow
def test_png_into_a_folder_without_write_permission_writes_nothing(shop: Path, shared: Path) -> None:
    book = shared / "book.xlsx"
    shutil.copyfile(shop, book)
    locked = shared / "locked"
    locked.mkdir()
    if is_root():
        give(book, USER, USER, 0o644)
        give(locked, USER, USER, 0o555)
    else:
        os.chmod(locked, 0o555)
    before = digest(book)
    done = run_as(unprivileged(), ["regenerate", str(book), "--png", str(locked / "pics")])
    assert done.status == 2, done.err
    assert "Cannot write the pictures (--png)" in done.err and "Unexpected" not in done.err
    assert digest(book) == before
    assert temp_files(shared) == []


@needs_fork
@pytest.mark.slow
def test_an_unreadable_file_is_its_own_outcome_and_check_json_stays_json(shop: Path, shared: Path) -> None:
    folder = shared / "many"
    folder.mkdir()
    for name in ("a.xlsx", "b-secret.xlsx", "c.xlsx"):
        shutil.copyfile(shop, folder / name)
    os.chmod(folder / "b-secret.xlsx", 0o000)
    if is_root():
        for f in folder.iterdir():
            os.chown(f, 0 if f.name.startswith("b") else USER, 0 if f.name.startswith("b") else USER)
    done = run_as(unprivileged(), ["check", "--json", str(folder)])
    assert done.status == 2, done.err
    rows = json.loads(done.out)
    by_file = {Path(r["file"]).name for r in rows}
    assert by_file >= {"a.xlsx", "b-secret.xlsx", "c.xlsx"}
    secret = [r for r in rows if r["file"].endswith("b-secret.xlsx")]
    assert len(secret) == 1 and "permission denied" in secret[0]["message"]
    assert "Unexpected" not in done.err and "Traceback" not in done.err


@needs_fork
@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unreadable_file_does_not_stop_a_folder_regeneration(shop: Path, shared: Path, jobs: str) -> None:
    """The unreadable file comes first; the one after it is still regenerated. (Two files only: the
    test's forked workers share the parent's open font files, so only one of them may draw at a time.)"""
    folder = shared / "many"
    folder.mkdir()
    for name in ("a-secret.xlsx", "b.xlsx"):
        shutil.copyfile(shop, folder / name)
    os.chmod(folder, 0o777)
    os.chmod(folder / "a-secret.xlsx", 0o000)
    if is_root():
        os.chown(folder / "a-secret.xlsx", 0, 0)
        os.chown(folder / "b.xlsx", USER, USER)
    done = run_as(unprivileged(), ["regenerate", str(folder), "--jobs", jobs], timeout=300)
    assert done.status == 2, done.err  # the worst status wins
    assert "a-secret.xlsx cannot be read: permission denied" in done.err
    assert "Unexpected" not in done.err and "Traceback" not in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert "Heatmap" in openpyxl.load_workbook(folder / "b.xlsx", read_only=True).sheetnames
    assert "b.xlsx: " in done.out


def closed_pipe_run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """`python -m addin ARGS | head -0`: the reader is gone before the first line is written."""
    proc = subprocess.Popen([sys.executable, "-m", "addin", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, b"", err)


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_check_into_a_closed_pipe_ends_quietly(shop: Path, json_flag: list[str]) -> None:
    done = closed_pipe_run(["check", *json_flag, str(shop)])
    assert done.stderr.decode() == ""
    assert done.returncode == 128 + 13  # as a command ended by SIGPIPE reports it


def test_one_files_unexpected_error_does_not_stop_the_others(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever breaks on one file (here: the reader, on purpose) is that file's outcome and sentence."""
    from addin.adapters import xlsx_reader

    folder = tmp_path / "many"
    folder.mkdir()
    for name in ("a-breaks.xlsx", "b.xlsx"):
        shutil.copyfile(shop, folder / name)
    real = xlsx_reader.read_workbook

    def read(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("a-breaks.xlsx"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(xlsx_reader, "read_workbook", read)
    assert main(["check", "--json", str(folder)]) == 2
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert {Path(r["file"]).name for r in rows} == {"a-breaks.xlsx", "b.xlsx"}
    assert "a-breaks.xlsx: unexpected error (RecursionError" in captured.err
    assert main(["regenerate", str(folder)]) == 2
    assert "Heatmap" in openpyxl.load_workbook(folder / "b.xlsx", read_only=True).sheetnames
    # with --debug the traceback is shown, as for any unexpected error
    assert main(["--debug", "check", str(folder)]) == 2
    assert "Traceback" in capsys.readouterr().err
