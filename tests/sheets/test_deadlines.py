"""`sync` against a server that stalls, trickles or answers junk: deadlines, signals and plain sentences.

The misbehaving server (tests/sheets/badserver.py) runs on 127.0.0.1 and
stops by itself after its lifetime, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sheets.badserver import bad_server
from tests.sheets.helpers import run_sync

ROOT = Path(__file__).resolve().parents[2]
SPREADSHEET = "1stalledSpreadsheet_0123456789"


@pytest.fixture
def point_at(monkeypatch):
    """Point the sync at a server, with a static token and quick retries; deadlines as given."""

    def setup(url, request="3", run="30", attempts="2"):
        monkeypatch.setenv("ADDIN_SHEETS_API_URL", url)
        monkeypatch.setenv("ADDIN_SHEETS_TOKEN", "test-token")
        monkeypatch.setenv("ADDIN_SHEETS_BACKOFF_BASE", "0.01")
        monkeypatch.setenv("ADDIN_SHEETS_MAX_ATTEMPTS", attempts)
        monkeypatch.setenv("ADDIN_SHEETS_REQUEST_DEADLINE", request)
        monkeypatch.setenv("ADDIN_SHEETS_RUN_DEADLINE", run)
        monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)

    return setup


def _one_sentence(err):
    assert err.count("\n") == 1 and "Traceback" not in err and "Unexpected error" not in err, err
    return err


@pytest.mark.slow
@pytest.mark.parametrize("behaviour", ["trickle", "trickle_body"])
def test_a_server_that_trickles_a_byte_every_two_seconds_meets_the_request_deadline(point_at, behaviour):
    """Each byte comes well within any read timeout; only a deadline for the whole exchange ends it."""
    with bad_server(behaviour, lifetime=60, interval=2.0) as server:
        point_at(server.url, request="3", attempts="2")
        started = time.monotonic()
        ran = run_sync([SPREADSHEET, "--json"])
        elapsed = time.monotonic() - started
    assert ran.status == 2
    line = ran.json_lines()[0]
    assert line["error"].startswith("Google Sheets did not answer the get request within 3 s 2 times in a row")
    assert server.requests == 2 and elapsed < 30  # two deadlines and a short backoff, not the server's minute


@pytest.mark.slow
def test_a_stalled_server_meets_the_run_deadline(point_at):
    with bad_server("stall", lifetime=60) as server:
        point_at(server.url, request="2", run="5", attempts="50")
        ran = run_sync([SPREADSHEET, "second-spreadsheet", "--json"])
    assert ran.status == 2
    first, second = ran.json_lines()
    assert first["error"].startswith("The sync used up its time (5 s, ADDIN_SHEETS_RUN_DEADLINE) before Google")
    assert first["seconds"] < 20
    assert second["error"].startswith("Not synced: the run used up its time (5 s")
    assert 2 <= server.requests <= 4


@pytest.mark.parametrize(
    ("behaviour", "expected"),
    [
        (
            "html",
            "Google Sheets answered the get request with a web page ('Sign in – Company proxy') instead of data "
            "(HTTP 200); check ADDIN_SHEETS_API_URL",
        ),
        (
            "html_400",
            "Google Sheets rejected the get request (400): a web page ('Sign in – Company proxy') instead of "
            "Google's error message",
        ),
        ("cut_json", "Google Sheets sent a cut-off or garbled answer to the get request 2 times in a row"),
        ("short_body", "Google Sheets broke off its answer to the get request 2 times in a row"),
        ("empty", "Google Sheets sent an empty answer to the get request 2 times in a row"),
    ],
)
def test_a_web_page_or_a_cut_off_answer_is_one_plain_sentence(point_at, behaviour, expected):
    with bad_server(behaviour, lifetime=30) as server:
        point_at(server.url)
        ran = run_sync([SPREADSHEET])
    assert ran.status == 2
    assert expected in _one_sentence(ran.err)
    assert "JSONDecodeError" not in ran.err and "<html" not in ran.err.lower()
    assert server.requests == (1 if behaviour.startswith("html") else 2)  # a web page is not asked for again


def _child_env(url, **extra):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ADDIN_SHEETS_API_URL": url,
        "ADDIN_SHEETS_TOKEN": "test-token",
        "ADDIN_SHEETS_BACKOFF_BASE": "0.01",
        **extra,
    }
    env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
    return env


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize(
    ("sig", "every"), [(signal.SIGTERM, []), (signal.SIGINT, []), (signal.SIGTERM, ["--every", "1h"])]
)
def test_a_signal_during_a_stall_stops_the_sync_at_once(sig, every):
    """Deadlines far away: only the signal can end the run, and it does, with Ctrl+C's status."""
    with bad_server("stall", lifetime=60) as server:
        env = _child_env(server.url, ADDIN_SHEETS_REQUEST_DEADLINE="120", ADDIN_SHEETS_RUN_DEADLINE="600")
        child = subprocess.Popen(
            [sys.executable, "-m", "addin", "sync", SPREADSHEET, "--json", *every],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.got_request.wait(30), "the sync never reached the server"
            child.send_signal(sig)
            out, err = child.communicate(timeout=20)
        finally:
            if child.poll() is None:
                child.kill()
    assert child.returncode == 130, err
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert line["status"] == 130
    assert line["error"] == f"Stopped by {sig.name} while syncing {SPREADSHEET}: nothing was written to it."
    assert "Traceback" not in err


@pytest.mark.slow
def test_debug_before_the_command_logs_the_details():
    """`python -m addin --debug sync ...` as the README writes it: HTTP details and the traceback on stderr."""
    with bad_server("html", lifetime=60) as server:
        env = _child_env(server.url)
        runs = {
            flags: subprocess.run(
                [sys.executable, "-m", "addin", *flags, "sync", SPREADSHEET],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            for flags in ((), ("--debug",))
        }
    plain, debug = runs[()], runs[("--debug",)]
    assert plain.returncode == debug.returncode == 2
    _one_sentence(plain.stderr)
    assert "Traceback" in debug.stderr and "BadAnswer" in debug.stderr
    assert "127.0.0.1" in debug.stderr  # urllib3's connection log


def test_deadlines_must_be_positive_numbers(point_at, monkeypatch):
    point_at("http://127.0.0.1:9")
    monkeypatch.setenv("ADDIN_SHEETS_RUN_DEADLINE", "0")
    ran = run_sync([SPREADSHEET])
    assert ran.status == 2
    assert _one_sentence(ran.err) == "ADDIN_SHEETS_RUN_DEADLINE must be a positive number (got 0).\n"
