"""SIGTERM stops a run as Ctrl+C does (workers ended, no temporary file left, the workbook untouched),
and temporary files left by a killed run are removed by a later run once they are clearly stale.

The signal is aimed, not timed: the package splice is wrapped so that, once the temporary file is
written and just before the replace, the run's parent gets SIGTERM, and the splicing process then
waits a minute: a worker that were not ended would replace the workbook after that minute.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from addin.adapters.file_guard import STALE_AFTER
from addin.frontends.cli import main
from tests.safety.helpers import temp_files

DRIVER = textwrap.dedent(
    """
    import os, signal, sys, time
    from addin.adapters import ooxml
    from addin.frontends.cli import main

    log, target, jobs = sys.argv[1:4]
    parent, real = os.getpid(), ooxml.replace_sheets

    def splice_then_stop(*args, **kwargs):
        real(*args, **kwargs)  # the temporary file is written
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\\n")
        os.kill(parent, signal.SIGTERM)
        time.sleep(60)

    ooxml.replace_sheets = splice_then_stop
    sys.exit(main(["regenerate", target, "--jobs", jobs]))
    """
)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc (Linux)")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_stops_the_run_and_its_workers_and_leaves_nothing(
    example_files: dict[str, Path], tmp_path: Path, jobs: str
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(4):
        shutil.copyfile(example_files["online-shop"], folder / f"journey-{i}.xlsx")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    driver, log = tmp_path / "driver.py", tmp_path / "splicers.log"
    driver.write_text(DRIVER)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(driver), str(log), str(folder), jobs], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        _, err = proc.communicate(timeout=120)
        elapsed = time.monotonic() - started
        splicers = [int(line) for line in log.read_text().split()]
        assert proc.returncode == 130, err.decode()  # as after Ctrl+C, and as `sync` stops
        assert "Stopped." in err.decode() and "Traceback" not in err.decode()
        assert elapsed < 45  # far less than the minute a splicing process would wait
        assert splicers and not [pid for pid in splicers if alive(pid)]
        assert temp_files(folder) == []
        assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()} == before
    finally:  # on a failure, end what the run left behind
        proc.kill()
        for pid in [int(x) for x in log.read_text().split()] if log.exists() else []:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_stale_temporary_files_are_swept_and_live_ones_kept(shop: Path) -> None:
    folder = shop.parent
    old = time.time() - STALE_AFTER - 60
    names = {
        "stale": ".~addin-k1ll3d.xlsx",
        "stale lock": f".~addin-{shop.name}.lock.old",
        "fresh": ".~addin-fr3sh.xlsx",
        "held": ".~addin-h3ld.xlsx",
    }
    for key, name in names.items():
        (folder / name).write_bytes(b"PK partial")
        if key != "fresh":
            os.utime(folder / name, (old, old))
    held = os.open(folder / names["held"], os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a live run holds its temporary file
        assert main(["regenerate", str(shop)]) == 0
        left = set(temp_files(folder))
    finally:
        os.close(held)
    assert left == {names["fresh"], names["held"]}
