"""The committed templates are what the generator makes, and they are usable without a manual."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from addin.authoring import template
from addin.authoring.examples import EXAMPLES
from addin.core.contract import COLUMNS, Lane, Sheet
from addin.frontends.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = {
    None: ROOT / "templates" / "journey-map.xlsx",
    "online-shop": ROOT / "templates" / "examples" / "online-shop.xlsx",
    "saas-onboarding": ROOT / "templates" / "examples" / "saas-onboarding.xlsx",
}
REGENERATE_HINT = (
    "The committed template differs from the generator. Regenerate it with: python -m addin new {path} {example}--force"
)


def dump(path: Path) -> dict[str, Any]:
    """Everything a user sees in a template, independent of zip and XML byte details."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {
        "sheets": wb.sheetnames,
        "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items()),
    }
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": [[c.value for c in row] for row in ws.iter_rows()],
            "tables": sorted((t.displayName, t.ref) for t in ws.tables.values()),
            "validations": sorted((str(dv.sqref), dv.formula1) for dv in ws.data_validations.dataValidation),
            "freeze": ws.freeze_panes,
            "widths": sorted((k, v.width) for k, v in ws.column_dimensions.items()),
            "comments": sorted((c.coordinate, c.comment.text) for row in ws.iter_rows() for c in row if c.comment),
        }
    return out


@pytest.mark.parametrize("example", list(COMMITTED), ids=["blank", "online-shop", "saas-onboarding"])
def test_committed_template_matches_generator(example: str | None, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.xlsx"
    args = ["new", str(fresh)] + (["--example", example] if example else [])
    assert main(args) == 0
    hint = REGENERATE_HINT.format(
        path=COMMITTED[example].relative_to(ROOT), example=f"--example {example} " if example else ""
    )
    assert dump(fresh) == dump(COMMITTED[example]), hint


def test_generator_is_byte_reproducible(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    template.save(template.build("online-shop"), a)
    template.save(template.build("online-shop"), b)
    assert a.read_bytes() == b.read_bytes()


def test_blank_template_is_fillable_without_a_manual() -> None:
    wb = openpyxl.load_workbook(COMMITTED[None])
    assert wb.sheetnames[0] == Sheet.INSTRUCTIONS
    for sheet in COLUMNS:  # every table sheet of the contract
        ws = wb[sheet.value]
        assert [c.value for c in ws[1]][: len(COLUMNS[sheet])] == [c.value for c in COLUMNS[sheet]]
        assert ws.freeze_panes == "A2"
        assert sheet.value in ws.tables
    lanes = [wb["Journey"].cell(r, 1).value for r in range(2, 2 + len(Lane))]
    assert lanes == [lane.value for lane in Lane]
    validations = {
        (
            sheet,
            wb[sheet].cell(1, openpyxl.utils.column_index_from_string(str(dv.sqref)[0])).value,
        ): dv.formula1
        for sheet in ("PainPoints", "Evidence", "Funnel", "Recommendations")
        for dv in wb[sheet].data_validations.dataValidation
    }
    assert validations[("PainPoints", "Stage")] == "StageList"
    assert validations[("PainPoints", "Persona")] == "PersonaList"
    assert validations[("PainPoints", "Severity")] == '"1,2,3,4,5"'
    assert validations[("PainPoints", "Frequency")] == '"1,2,3,4,5"'
    assert "interview" in validations[("PainPoints", "Source")]
    assert "NPS" in validations[("Evidence", "Metric")]
    assert validations[("Funnel", "Stage")] == "StageList"


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_examples_are_realistic_and_clean(key: str, example_files: dict[str, Path]) -> None:
    ex = EXAMPLES[key]
    assert len(ex.stages) >= 6
    assert {lane.value for lane in Lane} <= {str(k) for k in ex.lanes}
    for lane, values in ex.lanes.items():
        assert all(v is not None for v in values) or lane == Lane.MOMENTS_OF_TRUTH, lane
    assert len(ex.pain_points) >= 20 and len(ex.recommendations) >= 10 and len(ex.personas) >= 2
    assert ex.funnel and ex.evidence_rows >= 1000
    assert main(["check", str(example_files[key])]) == 0
