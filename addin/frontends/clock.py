"""The time of a run, read by the front ends (the core is given it, never reads the clock)."""

from __future__ import annotations

import datetime as dt


def now_utc() -> str:
    """The time of a run as the History sheet keeps it: UTC, ISO 8601, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
