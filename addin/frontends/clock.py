"""The time of a run, read by the front ends (the core is given it, never reads the clock)."""

from __future__ import annotations

import datetime as dt
import os

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
"""Set to seconds since 1970 (the reproducible-builds convention), it is the time of every run: two runs
then write byte-identical files."""


def now_utc() -> str:
    """The time of a run as the History sheet keeps it: UTC, ISO 8601, to the second."""
    fixed = os.environ.get(EPOCH_VARIABLE, "").strip()
    when = dt.datetime.fromtimestamp(int(fixed), dt.UTC) if fixed.isdigit() else dt.datetime.now(dt.UTC)
    return when.isoformat(timespec="seconds")
