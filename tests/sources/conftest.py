"""A journey (the README's worked example) that lists evidence sources, and a reader for them."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from addin.adapters import source_files
from addin.core.contract import COLUMNS, Col, Sheet
from addin.core.journey import Journey
from addin.core.model import Finding, RawSheet, RawWorkbook
from addin.core.validation import validate
from tests.builders import worked_example


def with_sources(rows: list[dict[str, Any]]) -> RawWorkbook:
    """The worked example (stages Browse, Buy, Use; personas Alex, Bo) plus an EvidenceSources sheet."""
    raw = worked_example()
    header = [c.value for c in COLUMNS[Sheet.EVIDENCE_SOURCES]]
    body = [[row.get(c) for c in header] for row in rows]
    raw.sheets[Sheet.EVIDENCE_SOURCES.value] = RawSheet(Sheet.EVIDENCE_SOURCES.value, [header, *body])
    return raw


def read(folder: Path, rows: list[dict[str, Any]]) -> tuple[Journey, list[Finding]]:
    """Validate the journey, reading its sources from `folder`."""
    return validate(with_sources(rows), functools.partial(source_files.load, base=folder))


def scores(journey: Journey, metric: str, stage: str | None = None) -> list[float]:
    ev = journey.evidence
    mask = ev[Col.METRIC] == metric
    if stage is not None:
        mask &= ev[Col.STAGE] == stage
    return sorted(float(x) for x in ev[Col.SCORE][mask])
