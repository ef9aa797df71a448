"""The one path every front end shares: raw workbook in, typed results (`Results`), then output sheets."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from addin.core import (
    analysis,
    assemble,
    printing,
    report,
    report_dashboard,
    report_heatmap,
    report_history,
    snapshots,
)
from addin.core.contract import Sheet
from addin.core.errors import NoJourneySheet, UnusableWorkbook
from addin.core.history import journey_fingerprint
from addin.core.journey import Journey
from addin.core.journey_map.sheet import map_sheet
from addin.core.model import Finding, OutputSheet, RawWorkbook, RunResult, tally
from addin.core.results import Results, RunSummary, TopRecommendation
from addin.core.rules import RULE_INFO, Rule
from addin.core.validation import MAX_ROWS_PER_RULE, validate

if TYPE_CHECKING:
    from addin.core.sources.gather import SourceReader


def check(raw: RawWorkbook, sources: SourceReader | None = None) -> list[Finding]:
    """Validate only: every finding, errors first. `sources` reads the files EvidenceSources lists."""
    _require_journey(raw)
    journey, findings = validate(raw, sources)
    return findings + _coverage(journey, analysis.unaddressed(journey, analysis.pain_scores(journey)))


def results(raw: RawWorkbook, sources: SourceReader | None = None) -> Results:
    """Validate and analyse: the whole outcome of a run as one typed value (nothing is laid out).
    `sources` reads the files EvidenceSources lists."""
    return journey_results(raw, sources)[1]


def journey_results(raw: RawWorkbook, sources: SourceReader | None = None) -> tuple[Journey, Results]:
    """Validate and analyse, keeping the clean journey beside its results (the Map draws both)."""
    journey, result, _kept = _analysed(raw, sources)
    return journey, result


def _analysed(
    raw: RawWorkbook, sources: SourceReader | None
) -> tuple[Journey, Results, report_history.Kept | UnusableWorkbook]:
    """`journey_results`, and the History sheet as read, or why it is refused: reading the results does not
    refuse a History sheet that is not the add-in's (its trail is None), a run that writes does."""
    _require_journey(raw)
    journey, findings = validate(raw, sources)
    result = analyse(journey, findings, raw.source)
    try:
        kept = report_history.read(raw)
    except UnusableWorkbook as refused:
        return journey, result, refused
    return journey, dataclasses.replace(result, history=report_history.trail(kept, result)), kept


def analyse(journey: Journey, findings: Sequence[Finding] = (), source: str = "") -> Results:
    """All the numbers, from clean data; `findings` are validation's (coverage warnings are added)."""
    scores = analysis.pain_scores(journey)
    left = analysis.unaddressed(journey, scores)
    result = assemble.results(journey, scores, left, [*findings, *_coverage(journey, left)], source)
    return dataclasses.replace(result, fingerprint=journey_fingerprint(journey))


def layout(result: Results, journey: Journey, since_last: Sequence[str] | None = None) -> list[OutputSheet]:
    """The five output sheets, in the order they are written, each with its page setup: four format the
    results alone; the Map also draws the journey's lanes, and its rows for the persona/channel views.
    `since_last`: the Dashboard's "what changed since the last run" (`report_history.since_last`)."""
    heat, heat_refs = report_heatmap.heatmap_sheet(result)
    prio, prio_refs = report.priorities_sheet(result)
    outputs = [
        report.validation_sheet(result.findings, report.left_out_text(result)),
        heat,
        prio,
        report_dashboard.dashboard_sheet(result, heat_refs, prio_refs, since_last),
        map_sheet(journey, result),
    ]
    printing.apply(outputs)
    return outputs


def summarise(result: Results) -> RunSummary:
    """A run in a few numbers and the Dashboard's key facts."""
    errors, warnings = tally(result.findings)
    return RunSummary(
        stages=len(result.stages),
        pain_points=len(result.pain_points),
        recommendations=len(result.priorities.recommendations),
        evidence_rows=result.evidence_rows,
        errors=errors,
        warnings=warnings,
        key_facts=tuple(report_dashboard.key_facts(result)),
        top=tuple(TopRecommendation(r.id, r.title, r.score, r.quadrant) for r in result.priorities.recommendations[:3]),
    )


def run(raw: RawWorkbook, sources: SourceReader | None = None, taken: str | None = None) -> RunResult:
    """Validate, analyse and lay out the five output sheets. `sources` reads the files EvidenceSources lists.

    `taken` (the UTC time of the run, ISO 8601, read by the front end): the History sheet is laid out too,
    its rows as `raw` has them and this run's snapshot under them if its results changed."""
    journey, result, kept = _analysed(raw, sources)
    if taken is None:
        outputs = layout(result, journey)
    else:
        if isinstance(kept, UnusableWorkbook):
            raise kept
        sheet, held = report_history.history_sheet(kept, snapshots.snapshot(result, taken))
        printing.apply([sheet])
        outputs = [*layout(result, journey, report_history.since_last(held)), sheet]
    return RunResult(raw.source, list(result.findings), outputs, summarise(result), result, journey)


def _require_journey(raw: RawWorkbook) -> None:
    if raw.find(Sheet.JOURNEY) is None:
        raise NoJourneySheet(
            f"{raw.source} has no 'Journey' sheet, so it is not a journey workbook. "
            "Start from the template: python -m addin new my-journey.xlsx",
            path=raw.source,
            sheet=Sheet.JOURNEY.value,
        )


def _coverage(journey: Journey, left: pd.Series) -> list[Finding]:
    """Warnings for pain points no recommendation addresses (`left`, highest pain first)."""
    out = []
    for pid, score in left.head(MAX_ROWS_PER_RULE).items():
        out.append(
            Finding(
                RULE_INFO[Rule.UNADDRESSED_PAIN][0],
                Rule.UNADDRESSED_PAIN,
                Sheet.PAIN_POINTS.value,
                journey.pain_cells.get(str(pid), ""),
                f"Pain point {pid} (pain {float(score):.0f}) is not addressed by any recommendation.",
                f"Add a recommendation whose Addresses lists {pid}, or accept the pain for now.",
            )
        )
    if len(left) > MAX_ROWS_PER_RULE:
        more = ", ".join(str(pid) for pid in left.index[MAX_ROWS_PER_RULE:])
        out.append(
            Finding(
                RULE_INFO[Rule.UNADDRESSED_PAIN][0],
                Rule.UNADDRESSED_PAIN,
                Sheet.PAIN_POINTS.value,
                "",
                f"... and {len(left) - MAX_ROWS_PER_RULE:,} more pain points no recommendation addresses: {more}.",
                "Add recommendations for the ones that matter most.",
                len(left) - MAX_ROWS_PER_RULE,
            )
        )
    return out
