"""The Heatmap sheet: the chosen heatmap with its colour legend and per-stage summary, the other two
heatmaps, evidence per touchpoint and the importance-performance table; the heatmap as a picture too.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from addin.core import figures
from addin.core.analysis import EVIDENCE_PREFIX, NOT_GIVEN, StageSummary
from addin.core.contract import Sheet
from addin.core.model import ColorScale, OutputSheet, Picture, Ref
from addin.core.report import HEADER_ROW, Analysis, _clean, answers, banner, fit_rows, interval_text
from addin.core.styles import HEATMAP_COLORS

STAGE_COL_WIDTH = 15
LABEL_COL_WIDTH = 40


def heat_points(table: pd.DataFrame) -> tuple[float, float, float]:
    """Where the three colours sit: 0 (no pain), half the worst cell, the worst cell."""
    top = float(table.to_numpy(dtype=float).max()) if table.size else 0.0
    top = top if top > 0 else 1.0
    return (0.0, top / 2, top)


def heatmap_sheet(a: Analysis) -> tuple[OutputSheet, dict[str, Ref]]:
    """The sheet, and references to its parts (stage header, matrix, summary rows) for charts."""
    sheet = OutputSheet(Sheet.HEATMAP.value)
    banner(sheet)
    dim = str(a.heatmap.index.name or "Touchpoint")
    sheet.put(2, 1, f"Pain-point heatmap: {a.journey_name} (rows: {dim})", "title")
    sheet.put(
        3,
        1,
        "Each cell is the summed pain score of its pain points (one pain point at severity 5 and frequency 5 "
        "= 100); a blank cell has none. The legend under each table says what the colours mean.",
        "note",
    )
    stages = a.stages
    n = len(stages)
    refs: dict[str, Ref] = {"stages": Ref(sheet.name, HEADER_ROW, 2, HEADER_ROW, n + 1)}
    last = _matrix(sheet, HEADER_ROW, a.heatmap, dim, stages, refs)
    top = last + 2
    sheet.put(top, 1, "Per stage", "header")
    sheet.put_row(top, 2, list(stages), "header")
    rows = summary_rows(a.summary)
    for i, (label, values, style) in enumerate(rows, start=1):
        sheet.put(top + i, 1, label, "rowhead")
        for c, v in enumerate(values, start=2):
            if style == "answers":
                sheet.put(top + i, c, *answers(v))
            else:
                sheet.put(top + i, c, _clean(v), style)
        refs[label] = Ref(sheet.name, top + i, 2, top + i, n + 1)
    row = top + len(rows) + 3
    for other, table in a.heatmaps.items():
        if other == dim:
            continue
        sheet.put(row, 1, f"Heatmap by {other}", "subtitle")
        row = _matrix(sheet, row + 1, table, other, stages, refs) + 3
    width = max(n + 2, 12)
    row = _touchpoint_metrics(sheet, row, a) + 3
    _importance_performance(sheet, row, a)
    sheet.col_widths = {1: LABEL_COL_WIDTH, **{c: STAGE_COL_WIDTH for c in range(2, width + 1)}}
    sheet.freeze = (HEADER_ROW + 1, 2)
    fit_rows(sheet)
    title = f"Where it hurts: {a.journey_name} (by {dim})"
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


def _matrix(
    sheet: OutputSheet, header: int, table: pd.DataFrame, dim: str, stages: list[str], refs: dict[str, Ref]
) -> int:
    """A heatmap at row `header`: header row, one row per label, totals, colour scale and legend.
    Returns the last row used.
    """
    n = len(stages)
    sheet.put(header, 1, dim, "header")
    sheet.put_row(header, 2, list(stages), "header")
    sheet.put(header, n + 2, "Total", "header")
    if not len(table) or not n:
        sheet.put(header + 1, 1, "No pain points to show yet.", "note")
        return header + 1
    r = header
    for r, (label, values) in enumerate(table.iterrows(), start=header + 1):
        sheet.put(r, 1, str(label), "rowhead")
        for c, value in enumerate(values.to_numpy(dtype=float), start=2):
            sheet.put(r, c, round(float(value), 2), "heat")
        sheet.put(r, n + 2, round(float(values.sum()), 2), "int")
    matrix = Ref(sheet.name, header + 1, 2, r, n + 1)
    points = heat_points(table)
    sheet.color_scales.append(ColorScale(matrix, HEATMAP_COLORS, points))
    refs.setdefault("matrix", matrix)
    refs[f"matrix:{dim}"] = matrix
    legend = r + 1
    sheet.put(legend, 1, "Colour legend (summed pain)", "rowhead")
    low, mid, high = points
    texts = [
        ("low", f"{low:.0f} or blank: no pain"),
        ("mid", f"{mid:.0f}: half the worst"),
        ("high", f"{high:.0f}: the worst cell"),
    ]
    for c, (level, text) in enumerate(texts, start=2):
        sheet.put(legend, c, text, f"legend:{level}")
    return legend


def summary_rows(s: StageSummary) -> list[tuple[str, list[Any], str]]:
    """The per-stage rows (label, values, style): pain, emotion (map and evidence), CSAT/NPS/CES with
    intervals, funnel, moments of truth. Style "answers" marks sample sizes (small ones said in words).
    """
    st = s.stages
    rows: list[tuple[str, list[Any], str]] = [
        ("Pain (sum of scores)", [s.pain_total.get(x) for x in st], "num1"),
        ("Pain index (worst = 100)", [s.pain_index.get(x) for x in st], "int"),
        ("Pain points", [s.pain_count.get(x) for x in st], "int"),
    ]
    for curve, values in s.emotion.iterrows():
        evidence = str(curve).startswith(EVIDENCE_PREFIX)
        label = f"Emotion ({curve})" if evidence else f"Emotion: {curve}"
        rows.append((label, [values.get(x) for x in st], "num1"))
        if evidence and curve in s.emotion_n.index:
            counts = s.emotion_n.loc[[curve]].iloc[0]
            rows.append((f"{label}: answers", [counts.get(x) for x in st], "answers"))
    m = s.metrics
    if not m.empty:

        def col(name: str) -> list[Any]:
            return [m[name].get(x) if name in m else None for x in st]

        def ci(name: str, scale: float, fmt: str) -> list[Any]:
            return [
                interval_text(
                    float(m[f"{name}_low"][x]) * scale, float(m[f"{name}_high"][x]) * scale, int(m[f"{name}_n"][x]), fmt
                )
                for x in st
            ]

        if "csat_value" in m:
            rows += [
                ("CSAT: share satisfied (4-5)", col("csat_value"), "pct"),
                ("CSAT: 95 % interval (%)", ci("csat", 100, ".0f"), "right"),
                ("CSAT: mean (1-5)", col("csat_mean_value"), "num2"),
                ("CSAT: answers", col("csat_n"), "answers"),
            ]
        if "nps_value" in m:
            rows += [
                ("NPS (-100..100)", col("nps_value"), "int"),
                ("NPS: 95 % interval", ci("nps", 1, ".0f"), "right"),
                ("NPS: answers", col("nps_n"), "answers"),
            ]
        if "ces_value" in m:
            rows += [
                ("CES: mean effort (1-7)", col("ces_value"), "num2"),
                ("CES: 95 % interval", ci("ces", 1, ".2f"), "right"),
                ("CES: answers", col("ces_n"), "answers"),
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


TOUCHPOINT_COLUMNS = [
    "Touchpoint",
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


def _touchpoint_metrics(sheet: OutputSheet, row: int, a: Analysis) -> int:
    """Evidence per touchpoint, highest pain first. Returns the last row used."""
    m = a.touchpoint_metrics
    sheet.put(row, 1, "Evidence per touchpoint (from the Evidence sheet)", "subtitle")
    if m.empty:
        sheet.put(row + 1, 1, "No Evidence rows: add survey answers to see CSAT, CES and NPS per touchpoint.", "note")
        return row + 1
    pain = a.heatmaps.get("Touchpoint", pd.DataFrame()).sum(axis=1)
    pain_by = {str(k).casefold(): float(v) for k, v in pain.items()}
    labels = list(m.index)
    order = sorted(labels, key=lambda t: (t == NOT_GIVEN, -pain_by.get(str(t).casefold(), 0.0), str(t)))
    sheet.put_row(row + 1, 1, TOUCHPOINT_COLUMNS, "header")

    def get(t: str, name: str) -> Any:
        return _clean(m.loc[t, name]) if name in m else None

    def n_of(t: str, name: str) -> int:
        value = get(t, f"{name}_n")
        return int(value) if value is not None and not math.isnan(value) else 0

    r = row + 1
    for r, t in enumerate(order, start=row + 2):
        csat_n, ces_n, nps_n = n_of(t, "csat"), n_of(t, "ces"), n_of(t, "nps")
        values: list[tuple[Any, str]] = [
            (str(t), "rowhead"),
            (round(pain_by.get(str(t).casefold(), 0.0), 1), "num1"),
            (get(t, "csat_value") if csat_n else None, "pct"),
            (_ci(m, t, "csat", 100, ".0f", csat_n), "right"),
            (get(t, "csat_mean_value") if csat_n else None, "num2"),
            answers(csat_n),
            (get(t, "ces_value") if ces_n else None, "num2"),
            answers(ces_n),
            (get(t, "nps_value") if nps_n else None, "int"),
            (_ci(m, t, "nps", 1, ".0f", nps_n), "right"),
            answers(nps_n),
        ]
        for c, (value, style) in enumerate(values, start=1):
            sheet.put(r, c, value, style)
    return r


def _ci(m: pd.DataFrame, t: str, name: str, scale: float, fmt: str, n: int) -> str | None:
    if not n:
        return None
    return interval_text(_num(m, t, f"{name}_low") * scale, _num(m, t, f"{name}_high") * scale, n, fmt)


def _num(frame: pd.DataFrame, row: Any, col: str) -> float:
    """One cell as a float (NaN when blank)."""
    return float(pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)[frame.index.get_loc(row)])


def _importance_performance(sheet: OutputSheet, row: int, a: Analysis) -> int:
    """The importance-performance table (quadrants coloured). Returns the last row used."""
    ipa = a.importance_performance
    sheet.put(row, 1, "Importance-performance per touchpoint", "subtitle")
    if ipa.empty:
        sheet.put(
            row + 1,
            1,
            "Needs CSAT answers in Evidence for at least two touchpoints (the Touchpoint column).",
            "note",
        )
        return row + 1
    i_thr = ipa.attrs.get("importance_threshold", 0.0)
    p_thr = ipa.attrs.get("performance_threshold", 0.0)
    sheet.put(
        row + 1,
        1,
        f"Importance = the touchpoint's summed pain; performance = its CSAT share satisfied. High means at least "
        f"the median: importance {i_thr:.0f}, performance {p_thr:.0f} %.",
        "note",
    )
    header = row + 2
    columns = ["Touchpoint", "Importance (pain)", "Performance (% satisfied)", "CSAT answers", "Quadrant"]
    sheet.put_row(header, 1, columns, "header")
    sheet.put(header, 7, "What it means", "header")
    sheet.merges += [Ref(sheet.name, header, 5, header, 6), Ref(sheet.name, header, 7, header, 11)]
    r = header
    for r, (t, rec) in enumerate(ipa.iterrows(), start=header + 1):
        sheet.put(r, 1, str(t), "rowhead")
        sheet.put(r, 2, round(float(rec["Importance"]), 1), "num1")
        sheet.put(r, 3, round(float(rec["Performance"]) / 100, 4), "pct")
        sheet.put(r, 4, *answers(rec["CSAT answers"]))
        sheet.put(r, 5, str(rec["Quadrant"]), f"ipa:{rec['Quadrant']}")
        sheet.put(r, 7, str(rec["Advice"]), "wrap")
        sheet.merges += [Ref(sheet.name, r, 5, r, 6), Ref(sheet.name, r, 7, r, 11)]
    return r
