"""The one path every front end shares: raw workbook in, findings and output sheets out."""

from __future__ import annotations

from typing import Any

from addin.core import analysis, printing, report, report_dashboard, report_heatmap, scoring
from addin.core.contract import Col, HeatmapDimension, Sheet
from addin.core.errors import NoJourneySheet
from addin.core.journey import Journey
from addin.core.journey_map.sheet import map_sheet
from addin.core.model import Finding, RawWorkbook, RunResult
from addin.core.rules import RULE_INFO, Rule
from addin.core.validation import MAX_ROWS_PER_RULE, validate


def check(raw: RawWorkbook) -> list[Finding]:
    """Validate only: every finding, errors first."""
    _require_journey(raw)
    journey, findings = validate(raw)
    return findings + _coverage(journey, analysis.pain_scores(journey))


def check_journey(raw: RawWorkbook) -> tuple[Journey, list[Finding]]:
    """The clean journey and every finding `check` reports."""
    _require_journey(raw)
    journey, findings = validate(raw)
    return journey, findings + _coverage(journey, analysis.pain_scores(journey))


def analyse(journey: Journey) -> report.Analysis:
    """All the numbers, from clean data."""
    scores = analysis.pain_scores(journey)
    pains = journey.pain_points
    maps = analysis.heatmaps(journey, scores)
    personas = [str(p) for p in journey.personas[Col.PERSONA]] if not journey.personas.empty else []
    evidence = analysis.analyse_evidence(journey.evidence, journey.stages, personas)
    return report.Analysis(
        journey_name=journey.settings.journey_name,
        stages=journey.stages,
        heatmap=maps[journey.settings.heatmap_rows],
        summary=analysis.stage_summary(journey, scores, evidence),
        priorities=scoring.score_recommendations(journey, scores),
        unaddressed=analysis.unaddressed(journey, scores),
        pain_scores=scores,
        method=journey.settings.scoring_method.value,
        pain_info={
            pid: (stage, desc)
            for pid, stage, desc in zip(pains[Col.ID], pains[Col.STAGE], pains[Col.DESCRIPTION], strict=True)
        },
        heatmaps={d.value: table for d, table in maps.items()},
        touchpoint_metrics=evidence.by_touchpoint,
        importance_performance=analysis.importance_performance(
            maps[HeatmapDimension.TOUCHPOINT], evidence.by_touchpoint
        ),
    )


def run(raw: RawWorkbook) -> RunResult:
    """Validate, analyse and lay out the five output sheets, each with its page setup."""
    _require_journey(raw)
    journey, findings = validate(raw)
    result = analyse(journey)
    findings = findings + _coverage(journey, result.pain_scores)
    heat, heat_refs = report_heatmap.heatmap_sheet(result)
    prio, prio_refs = report.priorities_sheet(result)
    outputs = [
        report.validation_sheet(findings),
        heat,
        prio,
        report_dashboard.dashboard_sheet(result, heat_refs, prio_refs),
        map_sheet(journey, result),
    ]
    printing.apply(outputs)
    summary = {
        "stages": len(journey.stages),
        "pain_points": len(journey.pain_points),
        "recommendations": len(journey.recommendations),
        "evidence_rows": len(journey.evidence),
        "errors": sum(f.severity.value == "error" for f in findings),
        "warnings": sum(f.severity.value == "warning" for f in findings),
        "key_facts": report_dashboard.key_facts(result),
        "top": [
            (r[Col.ID], r[Col.TITLE], float(r[Col.SCORE]), r[Col.QUADRANT])
            for r in result.priorities.head(3).to_dict("records")
        ],
    }
    return RunResult(raw.source, findings, outputs, summary)


def _require_journey(raw: RawWorkbook) -> None:
    if raw.find(Sheet.JOURNEY) is None:
        raise NoJourneySheet(
            f"{raw.source} has no 'Journey' sheet, so it is not a journey workbook. "
            "Start from the template: python -m addin new my-journey.xlsx",
            path=raw.source,
            sheet=Sheet.JOURNEY.value,
        )


def _coverage(journey: Journey, scores: Any) -> list[Finding]:
    """Warnings for pain points no recommendation addresses, highest pain first."""
    out = []
    left = analysis.unaddressed(journey, scores)
    for pid, score in left.head(MAX_ROWS_PER_RULE).items():
        out.append(
            Finding(
                RULE_INFO[Rule.UNADDRESSED_PAIN][0],
                Rule.UNADDRESSED_PAIN.value,
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
                Rule.UNADDRESSED_PAIN.value,
                Sheet.PAIN_POINTS.value,
                "",
                f"... and {len(left) - MAX_ROWS_PER_RULE:,} more pain points no recommendation addresses: {more}.",
                "Add recommendations for the ones that matter most.",
            )
        )
    return out
