"""Lay the results out as the four output sheets (platform-neutral `OutputSheet`s).

Layout constants live here so every writer (file, Excel, Google Sheets) draws the same sheets.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from addin.core import figures
from addin.core.analysis import StageSummary
from addin.core.contract import (
    GENERATED_BANNER,
    PRIORITY_COLUMNS,
    SMALL_SAMPLE,
    VALIDATION_COLUMNS,
    Col,
    Severity,
    Sheet,
)
from addin.core.model import ChartSpec, ColorScale, Finding, OutputSheet, Picture, Ref, Series, quote_sheet
from addin.core.styles import HEATMAP_COLORS

HEADER_ROW = 4
"""Row of the table header on Validation and Priorities, and of the matrix header on Heatmap."""
CHART_DATA_COL = 24
"""Dashboard: first column of the chart data block (X), right of the charts."""
CHART_TOP = 8
"""Dashboard: first row of the charts, below the key facts (at most 5 lines from row 3)."""
PICTURE_TOP = CHART_TOP + 38
DEFAULT_COL_PX = 64


def columns_for(px: int) -> int:
    """How many default-width columns a picture of `px` pixels spans (to place the next one beside it)."""
    return -(-px // DEFAULT_COL_PX)


@dataclass
class Analysis:
    """Everything the report needs, computed by the pipeline."""

    journey_name: str
    stages: list[str]
    heatmap: pd.DataFrame
    summary: StageSummary
    priorities: pd.DataFrame
    unaddressed: pd.Series
    pain_scores: pd.Series
    method: str
    pain_info: dict[str, tuple[str | None, str | None]]
    """Pain-point ID -> (stage, description)."""
    heatmaps: dict[str, pd.DataFrame] = field(default_factory=dict)
    """All three heatmaps by dimension name (Touchpoint, Channel, Persona), the chosen one first."""
    touchpoint_metrics: pd.DataFrame = field(default_factory=pd.DataFrame)
    importance_performance: pd.DataFrame = field(default_factory=pd.DataFrame)


def banner(sheet: OutputSheet) -> None:
    """Row 1 of every output sheet. No timestamp: an unchanged input gives identical sheets."""
    sheet.put(1, 1, GENERATED_BANNER, "banner")


def _clean(value: Any) -> Any:
    """Plain Python values for writers; NaN becomes an empty cell."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


# ---------------------------------------------------------------- Validation


def validation_sheet(findings: Sequence[Finding]) -> OutputSheet:
    sheet = OutputSheet(Sheet.VALIDATION.value)
    banner(sheet)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    if findings:
        sheet.put(
            2,
            1,
            f"Validation: {errors} error(s), {warnings} warning(s). "
            "Errors leave a row out of the analysis; click a cell reference to jump to it.",
            "error" if errors else "warning",
        )
    else:
        sheet.put(2, 1, "Validation: no problems found.", "ok")
    sheet.put_row(HEADER_ROW - 1, 1, [c.value if hasattr(c, "value") else c for c in VALIDATION_COLUMNS], "header")
    for i, f in enumerate(findings):
        r = HEADER_ROW + i
        sheet.put(r, 1, f.severity.value, f.severity.value)
        sheet.put(r, 2, f.rule)
        sheet.put(r, 3, f.sheet)
        link = f"{quote_sheet(f.sheet)}!{f.cell}" if f.cell else None
        sheet.put(r, 4, f.cell, "link" if link else None, link)
        sheet.put(r, 5, f.message, "wrap")
        sheet.put(r, 6, f.fix, "wrap")
    sheet.col_widths = {1: 10, 2: 8, 3: 16, 4: 9, 5: 70, 6: 55}
    sheet.freeze = (HEADER_ROW, 1)
    return sheet


# ---------------------------------------------------------------- Heatmap


def heatmap_sheet(a: Analysis) -> tuple[OutputSheet, dict[str, Ref]]:
    """The matrix with its colour scale, the per-stage summary rows, and the heatmap picture."""
    sheet = OutputSheet(Sheet.HEATMAP.value)
    banner(sheet)
    dim = a.heatmap.index.name or "Touchpoint"
    sheet.put(2, 1, f"Pain-point heatmap: {a.journey_name} (rows: {dim})", "title")
    sheet.put(
        3,
        1,
        "Each cell is the summed pain score of its pain points (one pain point at severity 5 and "
        "frequency 5 = 100). Colour: light yellow = little pain, orange = some, dark red = the most.",
        "note",
    )
    stages = a.stages
    n = len(stages)
    sheet.put(HEADER_ROW, 1, dim, "header")
    sheet.put_row(HEADER_ROW, 2, list(stages), "header")
    sheet.put(HEADER_ROW, n + 2, "Total", "header")
    r = HEADER_ROW
    for r, (label, row) in enumerate(a.heatmap.iterrows(), start=HEADER_ROW + 1):
        sheet.put(r, 1, str(label), "rowhead")
        for c, value in enumerate(row.to_numpy(dtype=float), start=2):
            sheet.put(r, c, round(float(value), 2), "heat")
        sheet.put(r, n + 2, round(float(row.sum()), 2), "int")
    refs: dict[str, Ref] = {"stages": Ref(sheet.name, HEADER_ROW, 2, HEADER_ROW, n + 1)}
    if len(a.heatmap) and n:
        matrix = Ref(sheet.name, HEADER_ROW + 1, 2, r, n + 1)
        sheet.color_scales.append(ColorScale(matrix, HEATMAP_COLORS))
        refs["matrix"] = matrix
    else:
        sheet.put(HEADER_ROW + 1, 1, "No pain points to show yet.", "note")
        r = HEADER_ROW + 1
    top = r + 2
    sheet.put(top, 1, "Per stage", "header")
    sheet.put_row(top, 2, list(stages), "header")
    rows = _summary_rows(a.summary)
    for i, (label, values, style) in enumerate(rows, start=1):
        sheet.put(top + i, 1, label, "rowhead")
        for c, v in enumerate(values, start=2):
            sheet.put(top + i, c, _clean(v), style)
        refs[label] = Ref(sheet.name, top + i, 2, top + i, n + 1)
    sheet.col_widths = {1: 30, **{c: 15 for c in range(2, n + 3)}}
    sheet.freeze = (HEADER_ROW + 1, 2)
    title = f"Where it hurts: {a.journey_name}"
    table = a.heatmap
    sheet.pictures.append(
        Picture(
            "addin_heatmap",
            (HEADER_ROW, n + 4),
            lambda: figures.heatmap_figure(table, title),
            width_px=min(300 + 110 * n, 1400),
            height_px=min(160 + 34 * max(len(table), 1), 1200),
        )
    )
    return sheet, refs


def _summary_rows(s: StageSummary) -> list[tuple[str, list[Any], str]]:
    st = s.stages
    rows: list[tuple[str, list[Any], str]] = [
        ("Pain (sum of scores)", [s.pain_total.get(x) for x in st], "num1"),
        ("Pain index (worst = 100)", [s.pain_index.get(x) for x in st], "int"),
        ("Pain points", [s.pain_count.get(x) for x in st], "int"),
    ]
    for curve, values in s.emotion.iterrows():
        rows.append((f"Emotion: {curve}", [values.get(x) for x in st], "num1"))
    m = s.metrics
    if not m.empty:

        def col(name: str) -> list[Any]:
            return [m[name].get(x) if name in m else None for x in st]

        def ci(name: str, scale: float, fmt: str) -> list[Any]:
            out: list[Any] = []
            for x in st:
                n = m[f"{name}_n"].get(x) if f"{name}_n" in m else None
                if n is None or (isinstance(n, float) and math.isnan(n)) or not n:
                    out.append(None)
                    continue
                lo, hi = float(m[f"{name}_low"][x]) * scale, float(m[f"{name}_high"][x]) * scale
                text = f"{lo:{fmt}} to {hi:{fmt}}"
                if n < SMALL_SAMPLE:
                    text += f" (only {int(n)} answers)"
                out.append(text)
            return out

        if "csat_value" in m:
            rows += [
                ("CSAT: share satisfied (4-5)", col("csat_value"), "pct"),
                ("CSAT: 95 % interval", ci("csat", 100, ".0f"), "text"),
                ("CSAT: mean (1-5)", col("csat_mean_value"), "num2"),
                ("CSAT: answers", col("csat_n"), "int"),
            ]
        if "nps_value" in m:
            rows += [
                ("NPS (-100..100)", col("nps_value"), "int"),
                ("NPS: 95 % interval", ci("nps", 1, ".0f"), "text"),
                ("NPS: answers", col("nps_n"), "int"),
            ]
        if "ces_value" in m:
            rows += [
                ("CES: mean effort (1-7)", col("ces_value"), "num2"),
                ("CES: 95 % interval", ci("ces", 1, ".2f"), "text"),
                ("CES: answers", col("ces_n"), "int"),
            ]
    f = s.funnel
    if not f.empty:

        def fcol(name: str) -> list[Any]:
            return [f[name].get(x) if x in f.index else None for x in st]

        rows += [
            ("Funnel: entered", fcol("Entered"), "int"),
            ("Funnel: completed", fcol("Completed"), "int"),
            ("Funnel: conversion", fcol("Conversion"), "pct1"),
            ("Funnel: drop-off", fcol("Drop-off"), "int"),
        ]
        rows.append(("Loses the most customers", ["yes" if x == s.worst_drop_stage else None for x in st], "text"))
    mot = dict(s.moments_of_truth)
    rows.append(("Moment of truth (computed)", [mot.get(x) for x in st], "wrap"))
    if s.user_moments:
        rows.append(("Moment of truth (your lane)", [s.user_moments.get(x) for x in st], "wrap"))
    return rows


# ---------------------------------------------------------------- Priorities


def priorities_sheet(a: Analysis) -> tuple[OutputSheet, dict[str, Ref]]:
    sheet = OutputSheet(Sheet.PRIORITIES.value)
    banner(sheet)
    p = a.priorities
    v_thr = p.attrs.get("value_threshold", 0.0)
    e_thr = p.attrs.get("effort_threshold", 0.0)
    sheet.put(
        2,
        1,
        f"Priorities: scored by {a.method}. Quadrants: high value = Value of at least "
        f"{v_thr:,.1f}; low effort = at most {e_thr:g} person-weeks.",
        "title",
    )
    sheet.put_row(HEADER_ROW - 1, 1, [c.value for c in PRIORITY_COLUMNS], "header")
    r = HEADER_ROW - 1
    for r, row in enumerate(p.to_dict("records"), start=HEADER_ROW):
        sheet.put(r, 1, int(row[Col.RANK]), "int")
        sheet.put(r, 2, row[Col.ID])
        sheet.put(r, 3, row[Col.TITLE], "wrap")
        sheet.put(r, 4, round(float(row[Col.SCORE]), 4), "num1")
        sheet.put(r, 5, round(float(row[Col.VALUE]), 4), "num1")
        sheet.put(r, 6, float(row[Col.EFFORT]), "num1")
        sheet.put(r, 7, row[Col.QUADRANT], f"quadrant:{row[Col.QUADRANT]}")
        sheet.put(r, 8, row[Col.ADDRESSES], "wrap")
        sheet.put(r, 9, row[Col.RATIONALE], "wrap")
    refs = {}
    if len(p):
        refs = {
            "ids": Ref(sheet.name, HEADER_ROW, 2, r, 2),
            "score": Ref(sheet.name, HEADER_ROW, 4, r, 4),
            "value": Ref(sheet.name, HEADER_ROW, 5, r, 5),
            "effort": Ref(sheet.name, HEADER_ROW, 6, r, 6),
        }
    else:
        sheet.put(HEADER_ROW, 1, "No recommendations to rank yet.", "note")
        r = HEADER_ROW
    top = r + 3
    sheet.put(top, 1, "Pain points no recommendation addresses (highest pain first)", "subtitle")
    sheet.put_row(top + 1, 1, ["Pain", "ID", "Stage", "Description"], "header")
    pains = a.unaddressed
    info = a.pain_info
    for i, (pid, score) in enumerate(pains.items(), start=top + 2):
        stage, desc = info.get(str(pid), (None, None))
        sheet.put(i, 1, round(float(score), 1), "num1")
        sheet.put(i, 2, str(pid))
        sheet.put(i, 3, stage)
        sheet.put(i, 4, desc, "wrap")
    if not len(pains):
        sheet.put(top + 2, 1, "Every pain point is addressed by at least one recommendation.", "ok")
    sheet.col_widths = {1: 7, 2: 8, 3: 34, 4: 10, 5: 12, 6: 9, 7: 12, 8: 14, 9: 80}
    sheet.freeze = (HEADER_ROW, 3)
    return sheet, refs


# ---------------------------------------------------------------- Dashboard


def dashboard_sheet(a: Analysis, heat_refs: dict[str, Ref], prio_refs: dict[str, Ref]) -> OutputSheet:
    sheet = OutputSheet(Sheet.DASHBOARD.value)
    banner(sheet)
    sheet.put(2, 1, f"Dashboard: {a.journey_name}", "title")
    s = a.summary
    facts = _key_facts(a)
    for i, fact in enumerate(facts, start=3):
        sheet.put(i, 1, fact, "text")
    n = len(a.stages)
    heat_px = min(300 + 110 * n, 1000)
    matrix_col = 2 + columns_for(heat_px)
    # chart data block (the charts read from here, so users can edit or reuse it)
    c0 = CHART_DATA_COL
    sheet.put(2, c0, "Chart data (generated; the charts read these cells)", "subtitle")
    sheet.put(3, c0, "Stage", "header")
    curves = list(s.emotion.index)
    headers = ["Pain index", *[f"Emotion: {c}" for c in curves]]
    sheet.put_row(3, c0 + 1, headers, "header")
    for i, stage in enumerate(a.stages, start=4):
        sheet.put(i, c0, stage)
        sheet.put(i, c0 + 1, _clean(round(float(s.pain_index.get(stage, 0.0)), 1)), "int")
        for j, curve in enumerate(curves, start=2):
            sheet.put(i, c0 + j, _clean(s.emotion.loc[curve].get(stage)), "num1")
    last = 3 + n
    stages_ref = Ref(sheet.name, 4, c0, last, c0)
    charts: list[ChartSpec] = []
    if curves:
        charts.append(
            ChartSpec(
                "addin_emotion",
                "line",
                "Emotion curve per persona",
                (CHART_TOP, 1),
                tuple(
                    Series(f"Emotion: {c}", Ref(sheet.name, 4, c0 + j, last, c0 + j))
                    for j, c in enumerate(curves, start=2)
                ),
                categories=stages_ref,
                y_title="Emotion (-2..+2)",
                y_min=-2,
                y_max=2,
            )
        )
    charts.append(
        ChartSpec(
            "addin_pain",
            "column",
            "Pain index by stage (worst = 100)",
            (CHART_TOP, 11),
            (Series("Pain index", Ref(sheet.name, 4, c0 + 1, last, c0 + 1)),),
            categories=stages_ref,
            y_title="Pain index",
            y_min=0,
            y_max=100,
        )
    )
    p = a.priorities
    if len(p):
        # value vs effort, with the quadrant lines as two extra series
        q0 = c0 + len(headers) + 2
        sheet.put_row(
            3,
            q0,
            [
                "Recommendation",
                "Effort",
                "Value",
                "Reach",
                "Effort line",
                "Value line",
                "Top 10",
                "Top 10 score",
            ],
            "header",
        )
        for i, row in enumerate(p.to_dict("records"), start=4):
            sheet.put(i, q0, row[Col.ID])
            sheet.put(i, q0 + 1, float(row[Col.EFFORT]), "num1")
            sheet.put(i, q0 + 2, round(float(row[Col.VALUE]), 4), "num1")
            sheet.put(i, q0 + 3, _clean(row[Col.REACH]), "int")
        v_thr = float(p.attrs.get("value_threshold", 0.0))
        e_thr = float(p.attrs.get("effort_threshold", 0.0))
        vmax = float(p[Col.VALUE].max()) * 1.1 or 1.0
        emax = float(p[Col.EFFORT].max()) * 1.1 or 1.0
        lines = [(e_thr, 0.0), (e_thr, vmax), (0.0, v_thr), (emax, v_thr)]
        for i, (x, y) in enumerate(lines, start=4):
            sheet.put(i, q0 + 4, round(x, 4), "num1")
            sheet.put(i, q0 + 5, round(y, 4), "num1")
        top = p.head(10).iloc[::-1]  # bar charts draw bottom-up: best at the top
        for i, row in enumerate(top.to_dict("records"), start=4):
            sheet.put(i, q0 + 6, f"{row[Col.ID]} {row[Col.TITLE] or ''}".strip()[:40])
            sheet.put(i, q0 + 7, round(float(row[Col.SCORE]), 4), "num1")
        plast = 3 + len(p)
        charts.append(
            ChartSpec(
                "addin_matrix",
                "scatter",
                "Value vs effort (dashed: quadrant thresholds)",
                (CHART_TOP + 19, 1),
                (
                    Series(
                        "Recommendations",
                        Ref(sheet.name, 4, q0 + 2, plast, q0 + 2),
                        x_values=Ref(sheet.name, 4, q0 + 1, plast, q0 + 1),
                        sizes=Ref(sheet.name, 4, q0 + 3, plast, q0 + 3),
                    ),
                    Series(
                        "Effort threshold",
                        Ref(sheet.name, 4, q0 + 5, 5, q0 + 5),
                        x_values=Ref(sheet.name, 4, q0 + 4, 5, q0 + 4),
                    ),
                    Series(
                        "Value threshold",
                        Ref(sheet.name, 6, q0 + 5, 7, q0 + 5),
                        x_values=Ref(sheet.name, 6, q0 + 4, 7, q0 + 4),
                    ),
                ),
                x_title="Effort (person-weeks)",
                y_title="Value",
            )
        )
        tlast = 3 + len(top)
        charts.append(
            ChartSpec(
                "addin_top10",
                "bar",
                "Top 10 recommendations by score",
                (CHART_TOP + 19, 11),
                (Series("Score", Ref(sheet.name, 4, q0 + 7, tlast, q0 + 7)),),
                categories=Ref(sheet.name, 4, q0 + 6, tlast, q0 + 6),
                x_title="Score",
            )
        )
        title = "Priority matrix: value vs effort"
        sheet.pictures.append(
            Picture(
                "addin_priority_matrix",
                (PICTURE_TOP, matrix_col),
                lambda: figures.priority_matrix_figure(p, v_thr, e_thr, title),
                width_px=900,
                height_px=600,
            )
        )
    table = a.heatmap
    heat_title = f"Where it hurts: {a.journey_name}"
    sheet.pictures.append(
        Picture(
            "addin_dashboard_heatmap",
            (PICTURE_TOP, 1),
            lambda: figures.heatmap_figure(table, heat_title),
            width_px=heat_px,
            height_px=min(160 + 34 * max(len(table), 1), 900),
        )
    )
    sheet.charts = charts
    sheet.col_widths = {1: 12, **{c: 13 for c in range(CHART_DATA_COL, CHART_DATA_COL + 20)}}
    return sheet


def _key_facts(a: Analysis) -> list[str]:
    s = a.summary
    facts = []
    if len(s.pain_total) and float(s.pain_total.max()) > 0:
        worst = str(s.pain_total.astype(float).idxmax())
        facts.append(
            f"Hurts most: {worst} (pain {float(s.pain_total[worst]):.0f}, {int(s.pain_count[worst])} pain points)."
        )
    if s.worst_drop_stage:
        d = s.funnel.loc[s.worst_drop_stage]
        facts.append(
            f"Loses the most customers: {s.worst_drop_stage} ({d['Drop-off']:,.0f} of "
            f"{d['Entered']:,.0f} drop off, {d['Drop-off share']:.0%})."
        )
    if s.moments_of_truth:
        facts.append("Moments of truth: " + "; ".join(f"{st} ({why})" for st, why in s.moments_of_truth) + ".")
    if len(a.priorities):
        top = a.priorities.iloc[0]
        facts.append(
            f"Fix first: {top[Col.ID]} {top[Col.TITLE] or ''} (score {top[Col.SCORE]:,.1f}, "
            f"{str(top[Col.QUADRANT]).lower()})."
        )
    return facts or ["No pain points or recommendations yet: fill in the input sheets and run again."]


def timestamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
