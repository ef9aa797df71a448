"""Names other sheets refer to (the grid's stages, the Personas sheet's personas), matched as a person types them."""

from __future__ import annotations

from addin.core.contract import norm
from addin.core.journey import Journey


def stage_names(journey: Journey) -> dict[str, str]:
    """The grid's stages by their normalised name."""
    return {norm(s): s for s in journey.stages}
