"""Transient failures are retried with bounded exponential backoff; a server that never recovers ends it."""

from __future__ import annotations

import email.utils
import time

import pytest

from addin.adapters.google_sheets import GoogleSpreadsheet, connect
from addin.adapters.sheets_http import ApiGaveUp, ApiRefused, RetryPolicy, load_credentials, parse_retry_after
from tests.sheets.helpers import run_sync


def test_a_429_with_retry_after_then_success_completes(sheets_env, journey, quick_retry, sleeps):
    sheets_env.fail_next(2, status=429, retry_after="1")
    ran = run_sync([journey, "--json"], retry=quick_retry)
    assert ran.status == 0, ran.err
    line = ran.json_lines()[0]
    assert line["retries"] == 2 and line["requests"] == 6
    assert sleeps.waits and all(w >= 1.0 for w in sleeps.waits[:2])  # Retry-After honoured
    assert sheets_env.count(ok_only=True) == 4


def test_a_429_with_retry_after_zero_in_real_time(sheets_env, journey):
    sheets_env.fail_next(1, status=429, retry_after="0", only="batchUpdate")
    started = time.monotonic()
    ran = run_sync([journey])
    assert ran.status == 0, ran.err
    assert time.monotonic() - started < 5
    assert sheets_env.count("batchUpdate") == 2 and sheets_env.count("batchUpdate", ok_only=True) == 1


def test_a_server_that_always_answers_500_ends_with_status_2(sheets_env, journey, quick_retry, sleeps):
    sheets_env.fail_always(500)
    ran = run_sync([journey], retry=quick_retry)
    assert ran.status == 2
    assert "not updated" in ran.err and "answered 500" in ran.err and "gave up" in ran.err
    assert ran.err.count("\n") == 1  # one clear line, no traceback
    assert sheets_env.count() == quick_retry.max_attempts
    assert len(sleeps.waits) == quick_retry.max_attempts - 1


def test_always_500_through_the_environment_settings(sheets_env, journey):
    sheets_env.fail_always(503)
    started = time.monotonic()
    ran = run_sync([journey, "--json"])
    assert ran.status == 2
    assert time.monotonic() - started < 5
    line = ran.json_lines()[0]
    assert line["status"] == 2 and "503" in line["error"] and line["written"] is False
    assert sheets_env.count() == 4  # ADDIN_SHEETS_MAX_ATTEMPTS


def test_a_failed_structural_write_leaves_nothing_half_applied(sheets_env, journey, quick_retry):
    sheets_env.fail_always(500, only="batchUpdate")
    ran = run_sync([journey], retry=quick_retry)
    assert ran.status == 2
    book = sheets_env.book(journey)
    assert "Heatmap" not in [s.title for s in book.sheets]
    assert sheets_env.count("values.batchUpdate") == 0


def test_a_failed_values_write_after_the_layout_says_so_plainly(sheets_env, journey, quick_retry):
    sheets_env.fail_always(500, only="values.batchUpdate")
    ran = run_sync([journey], retry=quick_retry)
    assert ran.status == 2
    assert "were laid out, but writing their values failed" in ran.err
    assert "input sheets were not touched" in ran.err


def test_errors_that_retrying_cannot_fix_are_not_retried(sheets_env, quick_retry, sleeps):
    client = connect(load_credentials(), retry=quick_retry)
    with pytest.raises(ApiRefused) as caught:
        GoogleSpreadsheet(client, "no-such-spreadsheet").read()
    assert caught.value.status == 404 and "found no spreadsheet" in str(caught.value)
    assert sleeps.waits == [] and sheets_env.count() == 1


def test_an_unreachable_server_gives_up(monkeypatch, quick_retry, sleeps):
    monkeypatch.setenv("ADDIN_SHEETS_TOKEN", "t")
    client = connect(load_credentials(), api_url="http://127.0.0.1:9", retry=quick_retry)
    with pytest.raises(ApiGaveUp, match="could not be reached"):
        GoogleSpreadsheet(client, "x").read()
    assert len(sleeps.waits) == quick_retry.max_attempts - 1


# ------------------------------------------------------------ the policy itself


def test_backoff_is_exponential_with_full_jitter_and_a_ceiling():
    low = RetryPolicy(base_delay=1, max_delay=10, random=lambda: 0.0)
    high = RetryPolicy(base_delay=1, max_delay=10, random=lambda: 0.999999)
    assert [low.delay(n, None) for n in (1, 2, 3)] == [0.0, 0.0, 0.0]
    assert [round(high.delay(n, None)) for n in (1, 2, 3, 4, 5, 6)] == [1, 2, 4, 8, 10, 10]
    assert low.delay(1, 7.0) == 7.0  # never sooner than Retry-After


def test_the_total_wait_is_bounded(sheets_env, journey, sleeps):
    policy = RetryPolicy(
        max_attempts=50, base_delay=4, max_delay=64, max_total_wait=20, sleep=sleeps, random=lambda: 1.0
    )
    sheets_env.fail_always(429)
    ran = run_sync([journey], retry=policy)
    assert ran.status == 2 and "retry budget" in ran.err
    assert sum(sleeps.waits) <= 20


def test_a_retry_after_longer_than_the_budget_gives_up_at_once(sheets_env, journey, sleeps):
    policy = RetryPolicy(max_attempts=5, max_total_wait=30, sleep=sleeps)
    sheets_env.fail_next(1, status=429, retry_after="3600")
    ran = run_sync([journey], retry=policy)
    assert ran.status == 2 and sleeps.waits == []


def test_retry_after_is_read_as_seconds_or_a_date():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    when = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after(when, now=1_000_000) == pytest.approx(30)


def test_bad_backoff_settings_are_one_sentence(sheets_env, journey, monkeypatch):
    monkeypatch.setenv("ADDIN_SHEETS_MAX_WAIT", "a while")
    ran = run_sync([journey])
    assert ran.status == 2
    assert ran.err.strip() == "ADDIN_SHEETS_MAX_WAIT must be a number of seconds or attempts, not 'a while'."
