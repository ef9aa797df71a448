"""Read a raw workbook into a clean `Journey`, collecting every finding on the way (lazy, never stops early).

Each finding names the sheet and the cell, says what is wrong and how to fix it.
Rows with an error are left out of the analysis; warnings keep the row. Evidence,
which may hold hundreds of thousands of rows, is checked column by column, never
row by row; repeats of one rule on one sheet are capped so the report stays readable.

One module per job: `findings` collects (and caps) what is found, `structure` reads the
table sheets and their headers, then one module per sheet checks its content in the
order below (`settings`, `personas`, `grid`, `pain_points`, `recommendations`,
`evidence`, `funnel`, `evidence_sources`); `cells` and `references` hold what several of them share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from addin.core.contract import Col, Sheet
from addin.core.journey import Journey
from addin.core.model import Finding, RawWorkbook
from addin.core.validation.assumed import check_assumed, pains_from_grid
from addin.core.validation.cells import typed_texts
from addin.core.validation.evidence import read_evidence
from addin.core.validation.evidence_sources import read_evidence_sources
from addin.core.validation.findings import MAX_ROWS_PER_RULE, Findings
from addin.core.validation.funnel import read_funnel
from addin.core.validation.grid import read_grid
from addin.core.validation.pain_points import read_pain_points
from addin.core.validation.personas import read_personas
from addin.core.validation.recommendations import read_recommendations
from addin.core.validation.settings import read_settings
from addin.core.validation.structure import check_formulas, check_merges, read_tables

if TYPE_CHECKING:
    from addin.core.sources.gather import SourceReader

__all__ = ["MAX_ROWS_PER_RULE", "validate"]


def validate(raw: RawWorkbook, read_source: SourceReader | None = None) -> tuple[Journey, list[Finding]]:
    """Validate every input sheet; return the clean journey and all findings, errors first.

    With `read_source`, the files EvidenceSources lists are read through it and their answers and
    event logs join the journey (a source that cannot be read raises SourceError: nothing is written).
    """
    found = Findings()
    check_formulas(raw, found)
    check_merges(raw, found)
    tables = read_tables(raw, found)
    journey_sheet = raw.find(Sheet.JOURNEY)
    assert journey_sheet is not None, "the caller checks that a Journey sheet exists"
    settings = read_settings(tables[Sheet.SETTINGS], found)
    personas = read_personas(tables[Sheet.PERSONAS], found)
    journey = read_grid(journey_sheet, personas, found)
    journey.settings = settings
    journey.personas = personas
    from_grid = raw.find(Sheet.PAIN_POINTS) is None
    if from_grid:
        tables[Sheet.PAIN_POINTS] = pains_from_grid(journey, found)
    journey.pain_points = read_pain_points(tables[Sheet.PAIN_POINTS], journey, found)
    if from_grid:
        journey.pain_cells.clear()  # they live in the grid, not on a PainPoints sheet
    every_pain_id = typed_texts(tables[Sheet.PAIN_POINTS].frame[Col.ID])
    journey.recommendations = read_recommendations(tables[Sheet.RECOMMENDATIONS], journey, every_pain_id, found)
    journey.evidence = read_evidence(tables[Sheet.EVIDENCE], journey, found)
    journey.funnel = read_funnel(tables[Sheet.FUNNEL], journey, found)
    journey.left_out = found.left_out()
    check_assumed(raw, journey, found, from_grid)
    journey.sources = read_evidence_sources(tables[Sheet.EVIDENCE_SOURCES], found)
    if read_source is not None and journey.sources:
        from addin.core.sources.gather import gather  # sources use validation's helpers

        gather(journey, read_source, found)
    return journey, found.finish()
