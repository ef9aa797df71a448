"""Engine-aggregated evidence feeds the trends: the same dated answers give the same period-to-period
changes (same n per period, same p values, same significant ones) typed into the Evidence sheet, as a
Parquet or CSV file aggregated by DuckDB, split between the two, or aggregated by Spark in local mode;
and a drop planted in one quarter of a Parquet file reaches the Dashboard through `regenerate`."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from addin.adapters import source_files
from addin.authoring import template
from addin.core import trends
from addin.core.contract import COLUMNS, Sheet, TrendPeriod
from addin.core.journey import Journey
from addin.core.model import RawSheet, RawWorkbook
from addin.core.validation import validate
from addin.frontends.cli import main
from tests.builders import raw_workbook
from tests.history.gen import STAGES, evidence_rows

HEADER = [c.value for c in COLUMNS[Sheet.EVIDENCE]]


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    """Dated answers over four quarters with a drop in Delivery's Q3 CSAT; one in fifty has no date."""
    frame = pd.DataFrame(evidence_rows(seed=3, n=400, drop=("Delivery", 3)), columns=HEADER)
    frame["Date"] = pd.to_datetime(frame["Date"])
    frame.loc[np.arange(len(frame)) % 50 == 7, "Date"] = pd.NaT
    return frame


def _book(rows: pd.DataFrame, sources: list[dict[str, str]] | None = None) -> RawWorkbook:
    body = rows[HEADER].astype(object).where(rows[HEADER].notna(), None).to_numpy().tolist()
    raw = raw_workbook(stages=STAGES, evidence=body)
    if sources:
        header = [c.value for c in COLUMNS[Sheet.EVIDENCE_SOURCES]]
        sheet = RawSheet(Sheet.EVIDENCE_SOURCES.value, [header, *[[s.get(c) for c in header] for s in sources]])
        raw = RawWorkbook(raw.source, {**raw.sheets, Sheet.EVIDENCE_SOURCES.value: sheet})
    return raw


def _journey(folder: Path, raw: RawWorkbook) -> Journey:
    journey, findings = validate(raw, functools.partial(source_files.load, base=folder))
    assert not [f for f in findings if f.severity.name == "ERROR"], findings
    return journey


def _changes(journey: Journey, kind: TrendPeriod) -> list[tuple[object, ...]]:
    stats = trends.merge(
        trends.evidence_by_period(journey.evidence, journey.stages, kind),
        trends.stats_by_period(journey.evidence_stats, journey.stages, kind),
    )
    return [
        (c.stage, c.measure, c.before_period, c.after_period, c.n_before, c.n_after, round(c.p, 12), c.significant)
        for c in trends.trend_changes(stats)
    ]


def _reference(answers: pd.DataFrame, kind: TrendPeriod) -> list[tuple[object, ...]]:
    return _changes(_journey(Path("."), _book(answers)), kind)


def _empty(answers: pd.DataFrame) -> pd.DataFrame:
    return answers.iloc[:0]


@pytest.mark.parametrize("kind", list(TrendPeriod))
def test_a_parquet_through_duckdb_gives_the_sheets_trends(
    tmp_path: Path, answers: pd.DataFrame, kind: TrendPeriod
) -> None:
    answers.assign(Date=answers["Date"].dt.date).to_parquet(tmp_path / "answers.parquet")  # a date type
    journey = _journey(tmp_path, _book(_empty(answers), [{"File": "answers.parquet"}]))
    assert len(journey.evidence) == 0 and journey.evidence_stats is not None
    got, want = _changes(journey, kind), _reference(answers, kind)
    assert got == want
    if kind is TrendPeriod.QUARTER:
        q2, q3 = trends.Period(2026, 2, kind), trends.Period(2026, 3, kind)
        significant = {c[:4] for c in got if c[-1]}  # the fall into Q3 and the recovery after it, nothing else
        assert {("Delivery", m, q2, q3) for m in (trends.Measure.CSAT, trends.Measure.CSAT_MEAN)} <= significant
        assert {c[:2] for c in significant} == {
            ("Delivery", trends.Measure.CSAT),
            ("Delivery", trends.Measure.CSAT_MEAN),
        }


def test_a_csv_with_iso_dates_in_a_named_column_gives_the_sheets_trends(tmp_path: Path, answers: pd.DataFrame) -> None:
    text = answers["Date"].dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("")
    answers.drop(columns="Date").assign(Answered=text).to_csv(tmp_path / "answers.csv", index=False)
    journey = _journey(tmp_path, _book(_empty(answers), [{"File": "answers.csv", "Date": "column: Answered"}]))
    assert journey.evidence_stats is not None
    assert _changes(journey, TrendPeriod.QUARTER) == _reference(answers, TrendPeriod.QUARTER)


def test_sheet_rows_and_an_engine_source_add_up_per_period(tmp_path: Path, answers: pd.DataFrame) -> None:
    half = np.arange(len(answers)) % 2 == 0
    answers[half].to_parquet(tmp_path / "half.parquet")
    journey = _journey(tmp_path, _book(answers[~half], [{"File": "half.parquet"}]))
    assert len(journey.evidence) and journey.evidence_stats is not None
    assert _changes(journey, TrendPeriod.QUARTER) == _reference(answers, TrendPeriod.QUARTER)


def test_answers_without_a_date_count_overall_and_in_no_period(tmp_path: Path, answers: pd.DataFrame) -> None:
    answers.to_parquet(tmp_path / "answers.parquet")
    journey = _journey(tmp_path, _book(_empty(answers), [{"File": "answers.parquet"}]))
    assert journey.evidence_stats is not None
    assert journey.evidence_stats["n"].sum() == len(answers)
    stats = trends.stats_by_period(journey.evidence_stats, journey.stages, TrendPeriod.QUARTER)
    assert stats.stats[..., 0].sum() == answers["Date"].notna().sum() < len(answers)


@pytest.mark.slow
@pytest.mark.spark
def test_local_spark_gives_duckdbs_trends(tmp_path: Path, answers: pd.DataFrame) -> None:
    answers.to_parquet(tmp_path / "answers.parquet")
    duck = _journey(tmp_path, _book(_empty(answers), [{"File": "answers.parquet"}]))
    spark = _journey(tmp_path, _book(_empty(answers), [{"File": "answers.parquet", "Engine": "local[2]"}]))
    for kind in TrendPeriod:
        assert _changes(spark, kind) == _changes(duck, kind) == _reference(answers, kind)


@pytest.mark.slow
def test_a_drop_planted_in_a_parquet_is_a_significant_trend_on_the_dashboard(tmp_path: Path) -> None:
    planted = pd.DataFrame(evidence_rows(seed=7, n=600, drop=("Delivery", 3)), columns=HEADER)
    planted["Date"] = pd.to_datetime(planted["Date"]).dt.date
    planted = planted[planted["Stage"] == "Delivery"]  # a stage of the online-shop example too
    (tmp_path / "evidence").mkdir()
    planted.to_parquet(tmp_path / "evidence" / "answers.parquet")
    book = tmp_path / "journey.xlsx"
    template.save(template.build("online-shop"), book)
    wb = openpyxl.load_workbook(book)
    wb["Evidence"].delete_rows(2, wb["Evidence"].max_row)  # the Parquet is the only evidence
    ws = wb["EvidenceSources"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("File") + 1, "evidence/*.parquet")
    wb.save(book)
    assert main(["regenerate", str(book), "--quiet"]) in (0, 1)
    texts = [str(c.value) for row in openpyxl.load_workbook(book)["Dashboard"].iter_rows() for c in row if c.value]
    assert any(t.startswith("Trends in the evidence (by quarter") for t in texts)
    fall = next(t for t in texts if t.startswith("Delivery CSAT fell from 6"))
    assert fall.endswith("from Q2 to Q3 2026 (600 and 600 answers; significant).")
