"""`--every`: runs on a fixed grid; SIGTERM or Ctrl+C stops it cleanly between syncs and at once during one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from addin.frontends.sync import run_every
from tests.sheets.helpers import run_sync
from tests.sheets.journey import stand_in

ROOT = Path(__file__).resolve().parents[2]


class FakeTime(threading.Event):
    """A stop event whose wait() advances a fake clock instead of sleeping."""

    def __init__(self, stop_after: int) -> None:
        super().__init__()
        self.now = 1000.0
        self.waits: list[float] = []
        self.stop_after = stop_after

    def clock(self) -> float:
        return self.now

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(round(timeout or 0.0, 6))
        self.now += timeout or 0.0
        if len(self.waits) >= self.stop_after:
            self.set()
        return self.is_set()


def test_rounds_start_on_a_fixed_grid():
    fake = FakeTime(stop_after=3)

    def one_round() -> int:
        fake.now += 10  # each sync takes 10 s
        return 0

    assert run_every(60, one_round, fake, fake.clock) == 0
    assert fake.waits == [50, 50, 50]


def test_a_slow_round_skips_the_starts_it_missed():
    fake = FakeTime(stop_after=2)
    durations = iter([130.0, 5.0])

    def one_round() -> int:
        fake.now += next(durations)
        return 1

    assert run_every(60, one_round, fake, fake.clock) == 1
    assert fake.waits == [50, 55]  # started at 0, ran to 130, next start 180; then 185 -> 240


def test_sigterm_during_a_sync_stops_it_at_once(sheets_env, journey):
    """A signal does not wait for the sync in progress: it ends, unwritten, and the run exits 130 (as Ctrl+C)."""
    rounds: list[int] = []
    handler_before = signal.getsignal(signal.SIGTERM)

    def process(raw):
        rounds.append(1)
        if len(rounds) == 2:  # handlers are installed while the loop runs
            os.kill(os.getpid(), signal.SIGTERM)
            raise AssertionError("the signal did not stop the sync")
        return stand_in(raw)

    ran = run_sync([journey, "--every", "1s", "--json"], process=process)
    assert ran.status == 130
    first, stopped = ran.json_lines()
    assert first["status"] == 0 and stopped["status"] == 130
    assert stopped["error"] == "Stopped by SIGTERM while syncing 'Subscription journey': nothing was written to it."
    assert sheets_env.count("batchUpdate") == 1  # the second round wrote nothing
    assert signal.getsignal(signal.SIGTERM) is handler_before


def test_an_injected_stop_event_ends_the_loop(sheets_env, journey):
    stop = threading.Event()

    def process(raw):
        stop.set()
        return stand_in(raw, errors=1)

    ran = run_sync([journey, "--every", "1h"], process=process, stop=stop)
    assert ran.status == 1  # the status of the last sync


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_scheduled_sync_process_stops_cleanly_on_a_signal(sheets_env, journey, sig):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.sheets.sync_child", journey, "--every", "1h", "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        first = json.loads(child.stdout.readline())  # the first sync has finished
        assert first["status"] == 0 and first["spreadsheet"] == journey
        child.send_signal(sig)
        out, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert f"Received {sig.name}: stopping." in err
    assert out.strip() == ""  # no second sync, no traceback
