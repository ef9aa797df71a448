"""The time of a run: now in UTC, or the one SOURCE_DATE_EPOCH fixes."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.frontends.clock import now_utc


def test_source_date_epoch_fixes_the_time_of_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert now_utc() == "2026-01-01T00:00:00+00:00"


def test_without_it_the_time_is_now_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    taken = dt.datetime.fromisoformat(now_utc())
    assert taken.utcoffset() == dt.timedelta(0)
    assert abs((dt.datetime.now(dt.UTC) - taken).total_seconds()) < 120
