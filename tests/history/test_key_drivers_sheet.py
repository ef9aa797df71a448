"""Key drivers reach the user: the Heatmap sheet's stage-level importance-performance block (derived
importance), the Dashboard's sentence, the results JSON; from the Evidence sheet's Respondent column or a
survey export's response ID."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np

from addin.adapters import source_files
from addin.core import pipeline
from addin.core.contract import Sheet
from addin.core.model import OutputSheet
from addin.core.results import IPAQuadrant, Results
from addin.core.results_json import dumps
from addin.core.styles import ipa_role
from tests.builders import raw_workbook
from tests.history.gen import respondent_rows
from tests.results.golden import ROOT
from tests.sources import exports
from tests.sources.conftest import with_sources

WEIGHTS = {"Browse": 0.2, "Buy": 1.6, "Delivery": 0.9, "Support": 0.5}
"""The planted order of importance: Buy, Delivery, Support, Browse."""
MEANS = {"Browse": 4.0, "Buy": 2.5, "Delivery": 3.0, "Support": 3.5}
"""The planted performance: Buy, the most important stage, performs worst."""
SCHEMA = json.loads((ROOT / "docs" / "results.schema.json").read_text(encoding="utf-8"))


def _run(n: int, seed: int = 4) -> tuple[Results, list[OutputSheet]]:
    raw = raw_workbook(list(WEIGHTS), evidence=respondent_rows(seed, n, WEIGHTS, MEANS))
    journey, result = pipeline.journey_results(raw)
    return result, pipeline.layout(result, journey)


def _sheet(outputs: list[OutputSheet], name: Sheet) -> dict[int, list[Any]]:
    sheet = next(s for s in outputs if s.name == name.value)
    rows: dict[int, list[Any]] = {}
    for r, c, cell in sheet.iter_cells():
        rows.setdefault(r, [None] * 12)
        if c <= 12:
            rows[r][c - 1] = cell
    return rows


def _block(rows: dict[int, list[Any]]) -> list[list[Any]]:
    """The rows of the key-drivers block, its title first."""
    start = next(r for r, cells in rows.items() if cells[0] and str(cells[0].value).startswith("Key drivers:"))
    out = []
    for r in range(start, max(rows) + 1):
        if r not in rows or rows[r][0] is None:
            break
        out.append(rows[r])
    return out


def test_the_heatmap_sheet_lists_stages_in_the_planted_order_and_where_to_concentrate() -> None:
    result, outputs = _run(400)
    block = _block(_sheet(outputs, Sheet.HEATMAP))
    assert block[0][0].value == "Key drivers: importance by stage (derived from 400 respondents' NPS)"
    assert block[1][0].value.startswith("Derived importance: the stage's share of R² ")
    assert [c.value for c in block[2][:5]] == [
        "Stage",
        "Importance (share)",
        "95 % interval (%)",
        "Performance (mean CSAT 1-5)",
        "Quadrant",
    ]
    body = block[3:]
    assert [row[0].value for row in body] == ["Buy", "Delivery", "Support", "Browse"]
    buy = body[0]
    assert buy[4].value == IPAQuadrant.CONCENTRATE.value and buy[4].style == ipa_role(IPAQuadrant.CONCENTRATE.value)
    assert buy[6].value.endswith("fix this first")
    shares = [row[1].value for row in body]
    assert abs(sum(shares) - 1) < 1e-3
    low, high = (float(x) / 100 for x in buy[2].value.split(" to "))
    assert low <= shares[0] <= high
    # the performance column is the complete respondents' mean CSAT, near the planted means
    for row in body:
        assert abs(row[3].value - MEANS[row[0].value]) < 0.2
    k = result.key_drivers
    assert k is not None and k.enough and k.respondents == 400 and k.min_respondents == 30
    assert k.importance_threshold is not None and k.performance_threshold is not None
    for d in k.rows:  # every quadrant follows the touchpoint rule: against the medians, at a median is high
        high_i = d.importance >= k.importance_threshold - 1e-9
        high_p = d.performance >= k.performance_threshold - 1e-9
        expected = {
            (True, False): IPAQuadrant.CONCENTRATE,
            (True, True): IPAQuadrant.KEEP_UP,
            (False, False): IPAQuadrant.LOW_PRIORITY,
            (False, True): IPAQuadrant.OVERKILL,
        }[(high_i, high_p)]
        assert d.quadrant is expected


def test_the_dashboard_names_the_strongest_driver_and_the_json_carries_them() -> None:
    result, outputs = _run(400)
    facts = [row[0].value for r, row in sorted(_sheet(outputs, Sheet.DASHBOARD).items()) if 3 <= r <= 8 and row[0]]
    (fact,) = [f for f in facts if f.startswith("Key driver:")]
    k = result.key_drivers
    assert k is not None
    top = k.rows[0]
    assert fact == (
        f"Key driver: Buy explains {100 * top.importance:.0f} % of what the stages explain of NPS (95 % interval "
        f"{100 * top.low:.0f} to {100 * top.high:.0f} %; 400 respondents) and performs below the median: "
        "concentrate here."
    )
    data = json.loads(dumps(result))
    jsonschema.validate(data, SCHEMA)
    assert data["key_drivers"]["outcome"] == "NPS"
    assert [d["stage"] for d in data["key_drivers"]["rows"]] == ["Buy", "Delivery", "Support", "Browse"]
    assert data["key_drivers"]["rows"][0]["quadrant"] == "Concentrate here"


def test_below_the_stated_n_the_sheet_says_not_enough_respondents() -> None:
    result, outputs = _run(29)
    block = _block(_sheet(outputs, Sheet.HEATMAP))
    assert block[0][0].value == "Key drivers: importance by stage"
    assert block[1][0].value == (
        "Key drivers: not enough respondents. They need at least 30 respondents with NPS and a CSAT answer at "
        "every stage analysed; there are 29."
    )
    assert len(block) == 2
    assert result.key_drivers is not None and not result.key_drivers.enough and result.key_drivers.rows == ()
    facts = [row[0].value for r, row in _sheet(outputs, Sheet.DASHBOARD).items() if 3 <= r <= 8 and row[0]]
    assert [f for f in facts if str(f).startswith("Key driver")] == [
        "Key drivers: not enough respondents yet (29 with NPS and a CSAT answer at every stage; at least 30 are "
        "needed, see Heatmap)."
    ]
    jsonschema.validate(json.loads(dumps(result)), SCHEMA)


def test_without_any_respondent_there_are_no_key_drivers_and_the_sheet_says_why() -> None:
    rows = [[r[0], *r[1:8], None] for r in respondent_rows(1, 60, WEIGHTS, MEANS)]
    raw = raw_workbook(list(WEIGHTS), evidence=rows)
    journey, result = pipeline.journey_results(raw)
    assert result.key_drivers is None
    block = _block(_sheet(pipeline.layout(result, journey), Sheet.HEATMAP))
    assert "not enough respondents" in block[1][0].value and "at least 30" in block[1][0].value
    assert "no Evidence row has a Respondent" in block[1][0].value
    assert json.loads(dumps(result))["key_drivers"] is None
    facts = [
        row[0].value
        for r, row in _sheet(pipeline.layout(result, journey), Sheet.DASHBOARD).items()
        if 3 <= r <= 8 and row[0]
    ]
    assert not any(str(f).startswith("Key driver") for f in facts)  # nobody asked for them: no line


def test_a_qualtrics_response_id_is_the_respondent_end_to_end(tmp_path: Path) -> None:
    """The worked example's stages (Browse, Buy, Use) from a Qualtrics export: NPS and one CSAT question per
    stage, Buy planted as the strongest driver; the ResponseId joins a respondent's answers."""
    rng = np.random.default_rng(8)
    weights = np.array([0.3, 1.5, 0.7])
    csat = rng.integers(1, 6, size=(150, 3))
    nps = np.clip(np.rint(2 + (csat @ weights) / 2.5 + rng.normal(0, 0.8, 150)), 0, 10).astype(int)
    responses = [
        {"Q1": str(nps[i]), "Q5_1": str(csat[i, 0]), "Q5_2": str(csat[i, 1]), "Q5_3": str(csat[i, 2])}
        for i in range(150)
    ]
    questions = {
        "Q1": "Recommend?",
        "Q5_1": "Satisfied - Website",
        "Q5_2": "Satisfied - Checkout",
        "Q5_3": "Satisfied - Help",
    }
    (tmp_path / "q.csv").write_bytes(exports.qualtrics(responses, questions))
    sources = [
        {"File": "q.csv", "Question": "Q1", "Metric": "NPS", "Stage": "Use"},
        {"File": "q.csv", "Question": "Q5_1", "Metric": "CSAT", "Stage": "Browse"},
        {"File": "q.csv", "Question": "Q5_2", "Metric": "CSAT", "Stage": "Buy"},
        {"File": "q.csv", "Question": "Q5_3", "Metric": "CSAT", "Stage": "Use"},
    ]
    raw = with_sources(sources)
    journey, result = pipeline.journey_results(raw, functools.partial(source_files.load, base=tmp_path))
    k = result.key_drivers
    assert k is not None and k.enough and k.respondents == 150 and k.outcome == "NPS"
    assert [d.stage for d in k.rows] == ["Buy", "Use", "Browse"]
    block = _block(_sheet(pipeline.layout(result, journey), Sheet.HEATMAP))
    assert block[0][0].value == "Key drivers: importance by stage (derived from 150 respondents' NPS)"
    assert [row[0].value for row in block[3:]] == ["Buy", "Use", "Browse"]


def test_the_readme_quotes_the_online_shop_key_driver_as_the_dashboard_writes_it() -> None:
    from tests.results.golden import load

    fact = next(v for v in load("online-shop")["Dashboard"]["cells"].values() if str(v).startswith("Key driver:"))
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert fact in readme
    contract = " ".join((ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8").split())
    assert fact in contract


def test_two_stages_get_importance_but_no_quadrant() -> None:
    two = {"Buy": 1.5, "Use": 0.4}
    raw = raw_workbook(list(two), evidence=respondent_rows(2, 120, two, {"Buy": 2.5, "Use": 4.0}))
    journey, result = pipeline.journey_results(raw)
    k = result.key_drivers
    assert k is not None and k.enough and [d.stage for d in k.rows] == ["Buy", "Use"]
    assert {d.quadrant for d in k.rows} == {IPAQuadrant.NOT_ENOUGH}
    assert k.importance_threshold is None and k.performance_threshold is None
    assert k.rows[0].advice == "quadrants need at least 3 stages with respondents' answers"
    facts = [row[0].value for r, row in _sheet(pipeline.layout(result, journey), Sheet.DASHBOARD).items() if row[0]]
    (fact,) = [f for f in facts if str(f).startswith("Key driver:")]
    assert fact.endswith("120 respondents).")
