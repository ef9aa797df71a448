"""Style roles are an enum: every cell of the output sheets carries a Role that every writer can look up."""

from __future__ import annotations

import pytest

from addin.core.model import ChartKind
from addin.core.styles import ROLES, WRAPPED, Role, ipa_role, quadrant_role
from tests.results.golden import EXAMPLES, core_outputs


def test_every_role_has_a_look_and_the_quadrant_roles_exist() -> None:
    assert set(ROLES) == set(Role)
    assert quadrant_role("Quick win") is Role.QUICK_WIN
    assert ipa_role("Not enough evidence") is Role.IPA_NOT_ENOUGH in WRAPPED


@pytest.mark.parametrize("example", list(EXAMPLES))
def test_output_cells_and_charts_use_the_enums(example: str) -> None:
    for sheet in core_outputs(example):
        for _, _, cell in sheet.iter_cells():
            assert cell.style is None or isinstance(cell.style, Role), (sheet.name, cell)
        for chart in sheet.charts:
            assert isinstance(chart.kind, ChartKind), chart.name
