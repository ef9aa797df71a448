"""Names other sheets refer to (the grid's stages, the Personas sheet's personas), matched as a person types them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from addin.core.contract import Col, norm
from addin.core.journey import Journey
from addin.core.tables import is_blank
from addin.core.validation.findings import suggest


def stage_names(journey: Journey) -> dict[str, str]:
    """The grid's stages by their normalised name."""
    return {norm(s): s for s in journey.stages}


def persona_names(personas: pd.DataFrame) -> dict[str, str]:
    """The personas of the Personas sheet by their normalised name."""
    return {norm(p): p for p in personas.get(Col.PERSONA, pd.Series(dtype=object))}


def stage_of(value: Any, stages: Mapping[str, str]) -> str | None:
    """The grid's name of the stage a cell names; None when the cell is blank or names no stage of the grid."""
    return None if is_blank(value) else stages.get(norm(value))


def unknown_stage(value: Any, journey: Journey, *, blank: str) -> str:
    """What a finding says of a cell that names no stage of the grid (`blank` when the cell is blank)."""
    if is_blank(value):
        return blank
    return f"The stage '{value}' is not in the Journey grid.{suggest(str(value), journey.stages)}"


def use_grid_stages(journey: Journey) -> str:
    """The fix for a stage that is not in the grid."""
    return "Use the stage names of the Journey sheet: " + ", ".join(journey.stages) + "."
