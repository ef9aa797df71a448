"""The results model: typed, frozen, pickles, serialises to JSON that follows the published schema."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
from pathlib import Path

import jsonschema
import pytest

from addin.core import results_json
from addin.core.pipeline import results, run
from addin.core.results import CurveSource, Results
from tests.results.golden import EXAMPLES, ROOT

SCHEMA = ROOT / "docs" / "results.schema.json"


@pytest.fixture(scope="module", params=list(EXAMPLES))
def example(request: pytest.FixtureRequest) -> Results:
    from addin.adapters.xlsx_reader import read_workbook

    return results(read_workbook(EXAMPLES[request.param]))


def test_results_pickle_and_come_back_equal(example: Results) -> None:
    back = pickle.loads(pickle.dumps(example))
    assert back == example
    assert back.priorities.recommendations[0].quadrant is example.priorities.recommendations[0].quadrant


def test_results_are_frozen(example: Results) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.journey_name = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.stage_results[0].pain = 0.0  # type: ignore[misc]


def test_results_json_follows_the_published_schema(example: Results) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(results_json.dumps(example))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["schema_version"] == schema["properties"]["schema_version"]["const"]
    assert "NaN" not in results_json.dumps(example)


def test_the_schema_rejects_what_the_model_cannot_hold(example: Results) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(results_json.dumps(example))
    data["priorities"]["recommendations"][0]["quadrant"] = "Quick wins"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data = json.loads(results_json.dumps(example))
    del data["stage_results"][0]["pain_index"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_the_committed_schema_is_the_models() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == results_json.schema_text(), (
        "docs/results.schema.json is out of date: python -m addin.core.results_json > docs/results.schema.json"
    )


def test_a_run_carries_the_results_its_sheets_were_laid_out_from(example: Results) -> None:
    from addin.adapters.xlsx_reader import read_workbook

    path = Path(example.source)
    ran = run(read_workbook(path))
    assert ran.results == example
    assert ran.summary.recommendations == len(example.priorities.recommendations)
    assert ran.summary.top[0].id == example.priorities.recommendations[0].id
    assert [f.rule for f in ran.findings] == [f.rule for f in example.findings]


def test_emotion_curves_say_their_source_and_persona_as_fields(example: Results) -> None:
    for curve in example.emotion:
        assert curve.source in (CurveSource.MAP, CurveSource.EVIDENCE)
        assert (curve.answers is not None) == (curve.source is CurveSource.EVIDENCE)
        assert curve.persona is None or not curve.persona.startswith("Evidence")


def test_nothing_in_the_package_uses_frame_attrs() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "addin").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\.attrs\b", line)
    ]
    assert offenders == []
