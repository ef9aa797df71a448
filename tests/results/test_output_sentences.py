"""What the output sheets say when evidence is thin, rows were left out, a title is blank (issue 11)."""

from __future__ import annotations

import json
from typing import Any

from addin.core import pipeline
from addin.core.contract import COLUMNS, Sheet
from addin.core.model import OutputSheet, RawSheet, RawWorkbook, RunResult
from addin.core.results import IPAQuadrant
from addin.core.results_json import dumps
from tests.builders import worked_example


def _evidence(raw: RawWorkbook, rows: list[tuple[Any, ...]]) -> RawWorkbook:
    """Add Evidence rows (Persona, Stage, Touchpoint, Metric, Score)."""
    header = [c.value for c in COLUMNS[Sheet.EVIDENCE]]
    body = [[None, p, s, t, "Web", m, v, None] for p, s, t, m, v in rows]
    raw.sheets[Sheet.EVIDENCE.value] = RawSheet(Sheet.EVIDENCE.value, [header, *body])
    return raw


def _sheet(result: RunResult, name: str) -> OutputSheet:
    return next(o for o in result.outputs if o.name == name)


def _texts(result: RunResult) -> list[str]:
    return [str(c.value) for o in result.outputs for _, _, c in o.iter_cells() if c.value is not None]


def _csat(touchpoint: str, stage: str, scores: list[int]) -> list[tuple[Any, ...]]:
    return [(None, stage, touchpoint, "CSAT", s) for s in scores]


def test_two_touchpoints_are_not_enough_for_importance_performance_quadrants() -> None:
    # the case: Checkout 1 of 3 answers satisfied used to be "Possible overkill"
    raw = _evidence(worked_example(), _csat("Checkout", "Buy", [5, 2, 1]) + _csat("Payment", "Buy", [5, 5, 4]))
    result = pipeline.run(raw)
    ipa = result.results.importance_performance if result.results else None
    assert ipa is not None and not ipa.enough
    assert {r.quadrant for r in ipa.rows} == {IPAQuadrant.NOT_ENOUGH}
    assert ipa.importance_threshold is None and ipa.performance_threshold is None
    heat = _sheet(result, "Heatmap")
    texts = [str(c.value) for _, _, c in heat.iter_cells()]
    assert any(t.startswith("Not enough evidence for quadrants: they need at least 3 touchpoints") for t in texts)
    assert "Possible overkill" not in texts and "Concentrate here" not in texts
    assert not any(f.startswith("Concentrate here") for f in result.summary.key_facts)
    data = json.loads(dumps(result.results))  # type: ignore[arg-type]
    assert data["importance_performance"]["min_touchpoints"] == 3
    assert data["importance_performance"]["min_answers"] == 2


def test_a_touchpoint_with_one_answer_gets_no_quadrant_and_no_say_in_the_medians() -> None:
    rows = (
        _csat("Checkout", "Buy", [5, 4, 2, 1])
        + _csat("Payment", "Buy", [5, 5, 4, 3])
        + _csat("Help centre", "Use", [4, 2])
        + _csat("Website", "Browse", [5])
    )
    result = pipeline.run(_evidence(worked_example(), rows))
    assert result.results is not None
    ipa = result.results.importance_performance
    quadrant = {r.touchpoint: r.quadrant for r in ipa.rows}
    assert quadrant["Website"] is IPAQuadrant.NOT_ENOUGH
    advice = {r.touchpoint: r.advice for r in ipa.rows}
    assert advice["Website"] == "only 1 CSAT answer: at least 2 are needed"
    # medians over Checkout 96, Payment 48, Help centre 24 -> 48; performance 50, 75, 50 -> 50
    assert ipa.importance_threshold == 48 and ipa.performance_threshold == 50
    assert quadrant["Checkout"] is IPAQuadrant.KEEP_UP and quadrant["Help centre"] is IPAQuadrant.OVERKILL


def _funnel(raw: RawWorkbook, rows: list[list[Any]]) -> RawWorkbook:
    header = [c.value for c in COLUMNS[Sheet.FUNNEL]]
    raw.sheets[Sheet.FUNNEL.value] = RawSheet(Sheet.FUNNEL.value, [header, *rows])
    return raw


def test_the_funnel_fact_names_the_largest_drop_off_rate_not_the_top_of_the_funnel() -> None:
    # Browse loses the most customers (5,000), but Buy loses the largest share of those who entered it
    raw = _funnel(worked_example(), [["Browse", 10_000, 5_000], ["Buy", 5_000, 1_000], ["Use", 1_000, 900]])
    result = pipeline.run(raw)
    assert result.results is not None and result.results.worst_drop_stage == "Buy"
    (fact,) = [f for f in result.summary.key_facts if "drop-off" in f]
    assert fact == "Largest drop-off rate: Buy (80%: 4,000 of the 5,000 who entered drop off)."
    heat = _sheet(result, "Heatmap")
    (row,) = [r for (r, c), cell in heat.cells.items() if c == 1 and cell.value == "Funnel: largest drop-off rate"]
    assert [heat.cells[(row, c)].value if (row, c) in heat.cells else None for c in (2, 3, 4)] == [None, "yes", None]


def test_every_output_sheet_says_how_many_rows_were_left_out_and_why() -> None:
    raw = worked_example()
    recs = raw.sheets[Sheet.RECOMMENDATIONS.value].rows
    recs[2][6] = "2 days"  # R2's Effort: an R07 error leaves the recommendation out ("2 weeks" would be read)
    pains = raw.sheets[Sheet.PAIN_POINTS.value].rows
    pains[3][6] = 9  # P3's Severity: a P04 error leaves the pain point out
    result = pipeline.run(raw)
    assert result.results is not None
    assert [(lo.sheet, lo.rows) for lo in result.results.left_out] == [("PainPoints", 1), ("Recommendations", 1)]
    recs_text = "1 recommendation left out because of an error: see Validation (R07)."
    pains_text = "1 pain point left out because of an error: see Validation (P04)."
    validation = _sheet(result, "Validation").cells[(2, 1)].value
    assert pains_text in validation and recs_text in validation
    priorities = _sheet(result, "Priorities").cells[(2, 1)].value
    assert recs_text in priorities and pains_text in priorities
    heatmap = _sheet(result, "Heatmap").cells[(3, 1)].value
    assert pains_text in heatmap and "recommendation" not in heatmap
    dashboard = _sheet(result, "Dashboard")
    assert pains_text in dashboard.cells[(2, 11)].value and recs_text in dashboard.cells[(2, 11)].value


def test_a_clean_run_says_nothing_about_left_out_rows() -> None:
    result = pipeline.run(worked_example())
    assert result.results is not None and result.results.left_out == ()
    assert not any("left out because" in t for t in _texts(result))


def test_a_blank_title_is_named_as_such_and_never_nan() -> None:
    raw = worked_example()
    raw.sheets[Sheet.RECOMMENDATIONS.value].rows[1][1] = None  # R1, ranked first, has no Title
    result = pipeline.run(raw)
    assert result.summary.key_facts[-1].startswith("Fix first: R1 (no title) (score 1,152, quick win)")
    dashboard = _sheet(result, "Dashboard")
    labels = [c.value for _, _, c in dashboard.iter_cells() if isinstance(c.value, str) and c.value.startswith("R1")]
    assert "R1 (no title)" in labels
    for text in [*_texts(result), dumps(result.results)]:  # type: ignore[arg-type]
        assert "nan" not in text.replace("nance", "").split() and "R1 nan" not in text and "NaN" not in text


def test_chart_titles_say_what_is_drawn() -> None:
    result = pipeline.run(worked_example())  # 3 recommendations, no Evidence
    charts = {c.name: c.title for c in _sheet(result, "Dashboard").charts}
    assert charts["addin_top10"] == "Top 3 by score (colour = quadrant)"
    assert charts["addin_emotion"] == "Emotion curve per persona"
    with_evidence = pipeline.run(_evidence(worked_example(), [(None, "Buy", "Checkout", "Emotion", -1)]))
    charts = {c.name: c.title for c in _sheet(with_evidence, "Dashboard").charts}
    assert charts["addin_emotion"] == "Emotion curve per persona (dashed: from Evidence)"
