"""Fixtures for the Google Sheets tests: the fake Sheets server, the environment that points at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from addin.adapters.sheets_http import RetryPolicy
from tests.fakesheets import FakeSheetsServer
from tests.sheets.journey import journey_sheets

SPREADSHEET = "1journeyTestSpreadsheet_0123456789"


@pytest.fixture
def fake() -> Iterator[FakeSheetsServer]:
    """A running fake Sheets API on 127.0.0.1 (random port), stopped after the test."""
    server = FakeSheetsServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sheets_env(fake: FakeSheetsServer, monkeypatch: pytest.MonkeyPatch) -> FakeSheetsServer:
    """Environment of a sync against the fake: its URL, a static token, fast and short backoff."""
    monkeypatch.setenv("ADDIN_SHEETS_API_URL", fake.url)
    monkeypatch.setenv("ADDIN_SHEETS_TOKEN", "test-token")
    monkeypatch.setenv("ADDIN_SHEETS_BACKOFF_BASE", "0.001")
    monkeypatch.setenv("ADDIN_SHEETS_MAX_ATTEMPTS", "4")
    monkeypatch.setenv("ADDIN_SHEETS_MAX_WAIT", "5")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    return fake


@pytest.fixture
def journey(sheets_env: FakeSheetsServer) -> str:
    """A seeded spreadsheet holding the small journey; its ID."""
    sheets_env.add_spreadsheet(SPREADSHEET, "Subscription journey", journey_sheets())
    return SPREADSHEET


class Sleeps:
    """An injectable sleep that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def quick_retry(sleeps: Sleeps) -> RetryPolicy:
    """Six attempts, no real waiting (sleeps are recorded), jitter fixed at its maximum."""
    return RetryPolicy(max_attempts=6, base_delay=0.5, max_delay=8, max_total_wait=60, sleep=sleeps, random=lambda: 1.0)
