"""The Heatmap sheet: the chosen heatmap with its colour legend and per-stage summary, the other two
heatmaps, evidence per touchpoint, the importance-performance table (per touchpoint, stated importance) and
the key drivers (per stage, derived importance); the heatmap as a picture too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from addin.core import figures
from addin.core.contract import Col, Sheet
from addin.core.evidence import EVIDENCE_ALL, EVIDENCE_PREFIX
from addin.core.journey import ALL_CUSTOMERS
from addin.core.model import ColorScale, OutputSheet, Picture, Ref
from addin.core.report import HEADER_ROW, answers, appended, banner, fit_rows, interval_text, left_out_text
from addin.core.report_assumed import assumed_sentence
from addin.core.report_drivers import drivers_block
from addin.core.report_paths import paths_block
from addin.core.results import CurveSource, EmotionCurve, Estimate, Heatmap, Metrics, Results
from addin.core.styles import HEATMAP_COLORS, LEGEND_ROLES, Role, ipa_role

ANSWERS: Final = "answers"
"""In `summary_rows`, the style of a row of sample sizes: each cell's role comes from `answers`."""
STAGE_COL_WIDTH = 15
LABEL_COL_WIDTH = 40


def curve_label(curve: EmotionCurve) -> str:
    """How a curve is named on the sheets and in the chart legend: "All customers", "Alex",
    "Evidence: all customers", "Evidence: Alex".
    """
    if curve.source is CurveSource.MAP:
        return curve.persona if curve.persona is not None else ALL_CUSTOMERS
    return f"{EVIDENCE_PREFIX}{curve.persona}" if curve.persona is not None else EVIDENCE_ALL


def heatmap_sheet(a: Results) -> tuple[OutputSheet, dict[str, Ref]]:
    """The sheet, and references to its parts (stage header, matrix, summary rows) for charts."""
    sheet = OutputSheet(Sheet.HEATMAP.value)
    banner(sheet)
    dim = a.heatmap.dimension.value
    sheet.put(2, 1, f"Pain-point heatmap: {a.journey_name} (rows: {dim})", Role.TITLE)
    sheet.put(
        3,
        1,
        "Each cell is the summed pain score of its pain points (one pain point at severity 5 and frequency 5 "
        "= 100); a blank cell has none. The legend under each table says what the colours mean."
        + appended(left_out_text(a, (Sheet.PAIN_POINTS, Sheet.PERSONAS, Sheet.EVIDENCE, Sheet.FUNNEL))),
        Role.NOTE,
    )
    stages = list(a.stages)
    n = len(stages)
    refs: dict[str, Ref] = {"stages": Ref(sheet.name, HEADER_ROW, 2, HEADER_ROW, n + 1)}
    last = _matrix(sheet, HEADER_ROW, a.heatmap, stages, refs)
    last = _assumed_note(sheet, last, a)
    top = last + 2
    sheet.put(top, 1, "Per stage", Role.HEADER)
    sheet.put_row(top, 2, stages, Role.HEADER)
    rows = summary_rows(a)
    for i, (label, values, style) in enumerate(rows, start=1):
        sheet.put(top + i, 1, label, Role.ROWHEAD)
        for c, v in enumerate(values, start=2):
            if isinstance(style, Role):
                sheet.put(top + i, c, v, style)
            else:  # ANSWERS
                sheet.put(top + i, c, *answers(v))
        refs[label] = Ref(sheet.name, top + i, 2, top + i, n + 1)
    row = top + len(rows) + 3
    for other in a.heatmaps[1:]:
        sheet.put(row, 1, f"Heatmap by {other.dimension.value}", Role.SUBTITLE)
        row = _matrix(sheet, row + 1, other, stages, refs) + 3
    width = max(n + 2, 12)
    row = _touchpoint_metrics(sheet, row, a) + 3
    row = _importance_performance(sheet, row, a) + 3
    row = drivers_block(sheet, row, a) + 3
    paths_block(sheet, row, a.event_logs)
    sheet.col_widths = {1: LABEL_COL_WIDTH, **{c: STAGE_COL_WIDTH for c in range(2, width + 1)}}
    sheet.freeze = (HEADER_ROW + 1, 2)
    fit_rows(sheet)
    title = f"Where it hurts: {a.journey_name} (by {dim})"
    table = a.heatmap
    sheet.pictures.append(
        Picture(
            "addin_heatmap",
            (HEADER_ROW, n + 4),
            lambda: figures.heatmap_figure(table, stages, title),
            width_px=min(300 + 110 * n, 1400),
            height_px=min(160 + 34 * max(len(table.rows), 1), 1200),
        )
    )
    return sheet, refs


def _assumed_note(sheet: OutputSheet, last: int, a: Results) -> int:
    """Under the heatmap, how many pain points have an assumed Severity or Frequency; the last row used."""
    sentence = assumed_sentence(a)
    if sentence is None:
        return last
    sheet.put(last + 1, 1, sentence, Role.WARNING)
    return last + 1


def _matrix(sheet: OutputSheet, header: int, table: Heatmap, stages: list[str], refs: dict[str, Ref]) -> int:
    """A heatmap at row `header`: header row, one row per label, totals, colour scale and legend.
    Returns the last row used.
    """
    n = len(stages)
    dim = table.dimension.value
    sheet.put(header, 1, dim, Role.HEADER)
    sheet.put_row(header, 2, stages, Role.HEADER)
    sheet.put(header, n + 2, "Total", Role.HEADER)
    if not table.rows or not n:
        sheet.put(header + 1, 1, "No pain points to show yet.", Role.NOTE)
        return header + 1
    r = header
    for r, line in enumerate(table.rows, start=header + 1):
        sheet.put(r, 1, line.label, Role.ROWHEAD)
        for c, value in enumerate(line.pain, start=2):
            sheet.put(r, c, round(value, 2), Role.HEAT)
        sheet.put(r, n + 2, round(line.total, 2), Role.INT)
    matrix = Ref(sheet.name, header + 1, 2, r, n + 1)
    points = table.scale
    sheet.color_scales.append(ColorScale(matrix, HEATMAP_COLORS, points))
    refs.setdefault("matrix", matrix)
    refs[f"matrix:{dim}"] = matrix
    legend = r + 1
    sheet.put(legend, 1, "Colour legend (summed pain)", Role.ROWHEAD)
    low, mid, high = points
    texts = [
        ("low", f"{low:.0f} or blank: no pain"),
        ("mid", f"{mid:.0f}: half the worst"),
        ("high", f"{high:.0f}: the worst cell"),
    ]
    for c, ((_, text), role) in enumerate(zip(texts, LEGEND_ROLES, strict=True), start=2):
        sheet.put(legend, c, text, role)
    return legend


def summary_rows(a: Results) -> list[tuple[str, list[Any], Role | str]]:
    """The per-stage rows (label, values, style): pain, emotion (map and evidence), CSAT/NPS/CES with
    intervals, funnel, moments of truth. Style "answers" marks sample sizes (small ones said in words).
    """
    st = a.stage_results
    rows: list[tuple[str, list[Any], Role | str]] = [
        ("Pain (sum of scores)", [s.pain for s in st], Role.NUM1),
        ("Pain index (worst = 100)", [s.pain_index for s in st], Role.INT),
        ("Pain points", [s.pain_points for s in st], Role.INT),
    ]
    for curve in a.emotion:
        name = curve_label(curve)
        evidence = curve.source is CurveSource.EVIDENCE
        label = f"Emotion ({name})" if evidence else f"Emotion: {name}"
        rows.append((label, list(curve.values), Role.NUM1))
        if curve.answers is not None:
            rows.append((f"{label}: answers", list(curve.answers), ANSWERS))

    def has(get: Callable[[Metrics], Estimate]) -> bool:
        return any(get(s.metrics).n for s in st)

    def col(get: Callable[[Metrics], Estimate]) -> list[Any]:
        return [get(s.metrics).value for s in st]

    def ci(get: Callable[[Metrics], Estimate], scale: float, fmt: str) -> list[Any]:
        return [interval_text(get(s.metrics).low, get(s.metrics).high, get(s.metrics).n, fmt, scale) for s in st]

    def n(get: Callable[[Metrics], Estimate]) -> list[Any]:
        return [get(s.metrics).n for s in st]

    if has(lambda m: m.csat):
        rows += [
            ("CSAT: share satisfied (4-5)", col(lambda m: m.csat), Role.PCT),
            ("CSAT: 95 % interval (%)", ci(lambda m: m.csat, 100, ".0f"), Role.RIGHT),
            ("CSAT: mean (1-5)", col(lambda m: m.csat_mean), Role.NUM2),
            ("CSAT: answers", n(lambda m: m.csat), ANSWERS),
        ]
    if has(lambda m: m.nps):
        rows += [
            ("NPS (-100..100)", col(lambda m: m.nps), Role.INT),
            ("NPS: 95 % interval", ci(lambda m: m.nps, 1, ".0f"), Role.RIGHT),
            ("NPS: answers", n(lambda m: m.nps), ANSWERS),
        ]
    if has(lambda m: m.ces):
        rows += [
            ("CES: mean effort (1-7)", col(lambda m: m.ces), Role.NUM2),
            ("CES: 95 % interval", ci(lambda m: m.ces, 1, ".2f"), Role.RIGHT),
            ("CES: answers", n(lambda m: m.ces), ANSWERS),
        ]
    if any(s.funnel is not None for s in st):
        rows += [
            ("Funnel: entered", [s.funnel.entered if s.funnel else None for s in st], Role.INT),
            ("Funnel: completed", [s.funnel.completed if s.funnel else None for s in st], Role.INT),
            ("Funnel: conversion", [s.funnel.conversion if s.funnel else None for s in st], Role.PCT1),
            ("Funnel: drop-off", [s.funnel.drop_off if s.funnel else None for s in st], Role.INT),
        ]
        rows.append(
            ("Funnel: largest drop-off rate", ["yes" if s.stage == a.worst_drop_stage else None for s in st], Role.TEXT)
        )
    mot = {m.stage: m.reason for m in a.moments_of_truth}
    rows.append(("Moment of truth (computed)", [mot.get(s.stage) for s in st], Role.WRAP))
    if any(s.your_moment_of_truth is not None for s in st):
        rows.append(("Moment of truth (your lane)", [s.your_moment_of_truth for s in st], Role.WRAP))
    return rows


TOUCHPOINT_COLUMNS = [
    Col.TOUCHPOINT.value,
    "Pain (sum)",
    "CSAT satisfied",
    "CSAT 95 % interval (%)",
    "CSAT mean (1-5)",
    "CSAT answers",
    "CES mean (1-7)",
    "CES answers",
    "NPS",
    "NPS 95 % interval",
    "NPS answers",
]


def _touchpoint_metrics(sheet: OutputSheet, row: int, a: Results) -> int:
    """Evidence per touchpoint, highest pain first. Returns the last row used."""
    sheet.put(row, 1, "Evidence per touchpoint (from the Evidence sheet)", Role.SUBTITLE)
    if not a.touchpoints:
        sheet.put(
            row + 1, 1, "No Evidence rows: add survey answers to see CSAT, CES and NPS per touchpoint.", Role.NOTE
        )
        return row + 1
    sheet.put_row(row + 1, 1, TOUCHPOINT_COLUMNS, Role.HEADER)
    r = row + 1
    for r, t in enumerate(a.touchpoints, start=row + 2):
        m = t.metrics
        values: list[tuple[Any, Role]] = [
            (t.touchpoint, Role.ROWHEAD),
            (round(t.pain, 1), Role.NUM1),
            (m.csat.value, Role.PCT),
            (interval_text(m.csat.low, m.csat.high, m.csat.n, ".0f", 100), Role.RIGHT),
            (m.csat_mean.value, Role.NUM2),
            answers(m.csat.n),
            (m.ces.value, Role.NUM2),
            answers(m.ces.n),
            (m.nps.value, Role.INT),
            (interval_text(m.nps.low, m.nps.high, m.nps.n, ".0f"), Role.RIGHT),
            answers(m.nps.n),
        ]
        for c, (value, style) in enumerate(values, start=1):
            sheet.put(r, c, value, style)
    return r


def _importance_performance(sheet: OutputSheet, row: int, a: Results) -> int:
    """The importance-performance table (quadrants coloured). Returns the last row used."""
    ipa = a.importance_performance
    sheet.put(row, 1, "Importance-performance per touchpoint", Role.SUBTITLE)
    if not ipa.rows:
        sheet.put(
            row + 1,
            1,
            "Needs CSAT answers in Evidence for at least two touchpoints (the Touchpoint column).",
            Role.NOTE,
        )
        return row + 1
    if ipa.enough and ipa.importance_threshold is not None and ipa.performance_threshold is not None:
        note = (
            f"Importance = the touchpoint's summed pain; performance = its CSAT share satisfied. High means at "
            f"least the median: importance {ipa.importance_threshold:.0f}, performance "
            f"{ipa.performance_threshold:.0f} %."
        )
    else:
        judged = sum(r.answers >= ipa.min_answers for r in ipa.rows)
        note = (
            f"Not enough evidence for quadrants: they need at least {ipa.min_touchpoints} touchpoints with "
            f"{ipa.min_answers} or more CSAT answers each; {judged} {'has' if judged == 1 else 'have'} them."
        )
    sheet.put(row + 1, 1, note, Role.NOTE)
    header = row + 2
    columns = [Col.TOUCHPOINT.value, "Importance (pain)", "Performance (% satisfied)", "CSAT answers", "Quadrant"]
    sheet.put_row(header, 1, columns, Role.HEADER)
    sheet.put(header, 7, "What it means", Role.HEADER)
    sheet.merges += [Ref(sheet.name, header, 5, header, 6), Ref(sheet.name, header, 7, header, 11)]
    r = header
    for r, rec in enumerate(ipa.rows, start=header + 1):
        sheet.put(r, 1, rec.touchpoint, Role.ROWHEAD)
        sheet.put(r, 2, round(rec.importance, 1), Role.NUM1)
        sheet.put(r, 3, round(rec.performance / 100, 4), Role.PCT)
        sheet.put(r, 4, *answers(rec.answers))
        sheet.put(r, 5, rec.quadrant.value, ipa_role(rec.quadrant.value))
        sheet.put(r, 7, rec.advice, Role.WRAP)
        sheet.merges += [Ref(sheet.name, r, 5, r, 6), Ref(sheet.name, r, 7, r, 11)]
    return r
