"""The same evidence rows give the same results, number for number, whichever way they arrive: typed
into the Evidence sheet, as a Parquet file aggregated by DuckDB, or by Spark in local mode."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.adapters import source_files
from addin.core.analysis import analyse_evidence
from addin.core.contract import COLUMNS, Sheet
from addin.core.evidence import EvidenceResults
from addin.core.model import RawSheet
from addin.core.validation import validate
from tests.builders import worked_example
from tests.sources.conftest import with_sources

ROWS = 100_000


def evidence_rows(n: int, seed: int = 11) -> pd.DataFrame:
    """Answers over the worked example's stages with the spellings people type: case and spaces vary,
    some touchpoints and personas are blank, a few scores are off their scale or missing."""
    rng = np.random.default_rng(seed)
    stages = np.array(["Browse", "Buy", "Use", " buy ", "USE"], dtype=object)
    touchpoints = np.array(["Website", "Checkout", "checkout ", "Help centre", None], dtype=object)
    personas = np.array(["Alex", "Bo", None], dtype=object)
    channels = np.array(["web", "app", None], dtype=object)
    metrics = np.array(["CSAT", "CES", "NPS", "Emotion", "csat"], dtype=object)
    scale_low = {"CSAT": 1, "csat": 1, "CES": 1, "NPS": 0, "Emotion": -2}
    scale_high = {"CSAT": 5, "csat": 5, "CES": 7, "NPS": 10, "Emotion": 2}
    metric = metrics[rng.integers(0, len(metrics), n)]
    low = np.array([scale_low[m] for m in metric])
    high = np.array([scale_high[m] for m in metric])
    score = (low + np.floor(rng.random(n) * (high - low + 1))).astype(float)
    score[rng.random(n) < 0.001] = 99.0  # off the scale: left out either way
    return pd.DataFrame(
        {
            "Date": pd.Timestamp("2026-03-01"),
            "Persona": personas[rng.integers(0, len(personas), n)],
            "Stage": stages[rng.integers(0, len(stages), n)],
            "Touchpoint": touchpoints[rng.integers(0, len(touchpoints), n)],
            "Channel": channels[rng.integers(0, len(channels), n)],
            "Metric": metric,
            "Score": score,
            "Comment": None,
            "Respondent": None,
        }
    )


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return evidence_rows(ROWS)


@pytest.fixture(scope="module")
def from_sheet(rows: pd.DataFrame) -> EvidenceResults:
    raw = worked_example()
    header = [c.value for c in COLUMNS[Sheet.EVIDENCE]]
    body = rows[header].astype(object).where(rows[header].notna(), None).to_numpy().tolist()
    raw.sheets[Sheet.EVIDENCE.value] = RawSheet(Sheet.EVIDENCE.value, [header, *body])
    journey, _ = validate(raw)
    assert len(journey.evidence) > 0.99 * ROWS
    return analyse_evidence(journey.evidence, journey.stages, ["Alex", "Bo"], journey.evidence_stats)


def _through(folder: Path, rows: pd.DataFrame, engine: str) -> EvidenceResults:
    rows.to_parquet(folder / "evidence.parquet", row_group_size=20_000)
    raw = with_sources([{"File": "evidence.parquet", "Engine": engine}])
    journey, findings = validate(raw, functools.partial(source_files.load, base=folder))
    assert len(journey.evidence) == 0 and journey.evidence_stats is not None  # no row came back
    assert [f.rule for f in findings if f.rule.startswith("V")] == ["V03"]  # the off-scale scores, counted
    return analyse_evidence(journey.evidence, journey.stages, ["Alex", "Bo"], journey.evidence_stats)


def _same(a: EvidenceResults, b: EvidenceResults) -> None:
    for name in ("by_stage", "by_touchpoint", "emotion", "emotion_n"):
        left, right = getattr(a, name), getattr(b, name)
        assert not left.empty, name
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12, atol=1e-12, obj=name)


def test_parquet_through_duckdb_gives_the_sheets_numbers(
    tmp_path: Path, rows: pd.DataFrame, from_sheet: EvidenceResults
) -> None:
    _same(from_sheet, _through(tmp_path, rows, ""))


@pytest.mark.slow
@pytest.mark.spark
def test_parquet_through_local_spark_gives_the_sheets_numbers(
    tmp_path: Path, rows: pd.DataFrame, from_sheet: EvidenceResults
) -> None:
    _same(from_sheet, _through(tmp_path, rows, "local[2]"))
