"""`--jobs N` hands workbooks to forked worker processes: the files written are the same as with one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from addin.frontends import batch


@pytest.fixture
def folder(example_files: dict[str, Path], tmp_path: Path) -> Path:
    many = tmp_path / "many"
    many.mkdir()
    for i, key in enumerate(["online-shop", "saas-onboarding", "blank", "online-shop"]):
        shutil.copyfile(example_files[key], many / f"journey-{i}.xlsx")
    return many


def test_jobs_2_writes_the_same_files_as_jobs_1(folder: Path, tmp_path: Path) -> None:
    """Run as a user does (a fresh `python -m addin`), so the workers are forked from the real CLI. The time
    of the runs is fixed (History keeps it), as a reproducible build fixes it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    for jobs in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "addin", "regenerate", str(folder), "--jobs", jobs, "--out", str(tmp_path / jobs)],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr
    one = sorted(p.name for p in (tmp_path / "1").iterdir())
    assert one == sorted(p.name for p in folder.iterdir())
    for name in one:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_outcomes_come_back_in_file_order(folder: Path, tmp_path: Path) -> None:
    files = sorted(folder.iterdir())
    outcomes = batch.regenerate_many(files, out_dir=tmp_path / "out", png_dir=None, jobs=3)
    assert [o.path for o in outcomes] == [str(f) for f in files]
    assert all(o.written for o in outcomes)


def test_no_progress_thread_is_left_to_fork_beside(folder: Path, tmp_path: Path) -> None:
    files = sorted(folder.iterdir())[:2]
    before = set(threading.enumerate())
    batch.regenerate_many(files, out_dir=tmp_path / "a", png_dir=None, jobs=1)
    assert not [t for t in threading.enumerate() if t not in before and "monitor" in type(t).__name__.lower()]
