"""The Dashboard sheet: key facts, four native charts reading a chart-data block on the same sheet
(emotion curves, pain index, value vs effort, top 10), and two pictures (heatmap, priority matrix).
"""

from __future__ import annotations

import textwrap

import numpy as np

from addin.core import figures
from addin.core.analysis import ALL_CUSTOMERS, EVIDENCE_ALL, EVIDENCE_PREFIX, emotion_baseline
from addin.core.contract import Col, Quadrant, Sheet
from addin.core.model import ChartSpec, OutputSheet, Picture, Ref, Series
from addin.core.report import Analysis, _clean, banner
from addin.core.styles import QUADRANT_MARKERS, SERIES_COLORS, heat_color

CHART_DATA_COL = 24
"""First column of the chart data block (X), right of the charts and pictures."""
CHART_TOP = 8
"""First row of the charts, below the key facts (at most 5 lines from row 3)."""
CHART_ROWS = 19
"""Rows from one chart row to the next (a 8 cm chart is about 15 default rows of 20 px)."""
RIGHT_COL = 11
"""Column of the right-hand charts and picture (K)."""
PICTURE_TOP = CHART_TOP + 2 * CHART_ROWS
FIRST_COL_WIDTH = 12
COL_WIDTH = 10
"""Widths of column A and of B..W, set explicitly so Excel and LibreOffice place the charts alike."""
PICTURE_IN = 6.5
"""Width of each Dashboard picture in inches, drawn at 100 dpi and shown at that size (650 px)."""


def curve_style(curve: str, personas: list[str]) -> tuple[str, bool]:
    """Colour and dash of an emotion curve: one colour per persona (all customers dark grey), dashed
    when the curve comes from Evidence rather than the map.
    """
    evidence = str(curve).startswith(EVIDENCE_PREFIX)
    who = str(curve).removeprefix(EVIDENCE_PREFIX)
    if who in (ALL_CUSTOMERS, EVIDENCE_ALL.removeprefix(EVIDENCE_PREFIX)):
        return SERIES_COLORS[0], evidence
    index = personas.index(who) + 1 if who in personas else len(personas) + 1
    return SERIES_COLORS[1 + (index - 1) % (len(SERIES_COLORS) - 1)], evidence


def dashboard_sheet(a: Analysis, heat_refs: dict[str, Ref], prio_refs: dict[str, Ref]) -> OutputSheet:
    sheet = OutputSheet(Sheet.DASHBOARD.value)
    banner(sheet)
    sheet.put(2, 1, f"Dashboard: {a.journey_name}", "title")
    s = a.summary
    for i, fact in enumerate(key_facts(a), start=3):
        sheet.put(i, 1, fact, "text")
    n = len(a.stages)
    # chart data block (the charts read from here, so users can edit or reuse it)
    c0 = CHART_DATA_COL
    sheet.put(2, c0, "Chart data (generated; the charts read these cells)", "subtitle")
    sheet.put(3, c0, "Stage", "header")
    curves = [str(c) for c in s.emotion.index]
    headers = ["Pain index", *[c for c in curves]]
    sheet.put_row(3, c0 + 1, headers, "header")
    for i, stage in enumerate(a.stages, start=4):
        sheet.put(i, c0, stage)
        sheet.put(i, c0 + 1, _clean(round(float(s.pain_index.get(stage, 0.0)), 1)), "int")
        for j, curve in enumerate(curves, start=2):
            value = _clean(s.emotion.loc[curve].get(stage))
            sheet.put(i, c0 + j, round(value, 2) if value is not None else None, "num1")
    last = 3 + n
    stages_ref = Ref(sheet.name, 4, c0, last, c0)
    personas = sorted(
        {str(c).removeprefix(EVIDENCE_PREFIX) for c in curves} - {ALL_CUSTOMERS, "all customers"}, key=str
    )
    charts: list[ChartSpec] = []
    if curves:
        series = []
        for j, curve in enumerate(curves, start=2):
            color, dashed = curve_style(curve, personas)
            series.append(Series(curve, Ref(sheet.name, 4, c0 + j, last, c0 + j), color=color, dashed=dashed))
        charts.append(
            ChartSpec(
                "addin_emotion",
                "line",
                "Emotion curve per persona (dashed: from Evidence)",
                (CHART_TOP, 1),
                tuple(series),
                categories=stages_ref,
                y_title="Emotion (-2..+2)",
                y_min=-2,
                y_max=2,
                y_major_unit=1,
                number_format="+0;-0;0",
            )
        )
    charts.append(
        ChartSpec(
            "addin_pain",
            "column",
            "Pain index by stage (worst = 100)",
            (CHART_TOP, RIGHT_COL),
            (
                Series(
                    "Pain index",
                    Ref(sheet.name, 4, c0 + 1, last, c0 + 1),
                    point_colors=tuple(heat_color(float(s.pain_index.get(x, 0.0)) / 100) for x in a.stages),
                ),
            ),
            categories=stages_ref,
            y_title="Pain index",
            y_min=0,
            y_max=100,
            y_major_unit=20,
            number_format="0",
        )
    )
    p = a.priorities
    if len(p):
        # value vs effort: one value column per quadrant (blank elsewhere), so every point series shares
        # the Effort column as X; then the two quadrant lines and the top 10
        q0 = c0 + len(headers) + 2
        quadrants = [q.value for q in Quadrant]
        present = [q for q in quadrants if (p[Col.QUADRANT] == q).any()]
        names = ["Recommendation", "Effort", *present, "Reach", "Effort line", "Value line", "Top 10", "Score"]
        sheet.put_row(3, q0, names, "header")
        col = {name: q0 + i for i, name in enumerate(names)}
        # a number no axis can span (Reach 1e308, an Effort of 1e-300) stays out of the charts, as out of the
        # pictures (figures.PLOT_LIMIT); the Priorities sheet still lists it
        shown = figures.plottable(p[Col.VALUE].astype(float).to_numpy())
        shown &= figures.plottable(p[Col.EFFORT].astype(float).to_numpy())
        for i, (row, ok) in enumerate(zip(p.to_dict("records"), shown, strict=True), start=4):
            sheet.put(i, q0, row[Col.ID])
            if ok:
                sheet.put(i, col["Effort"], float(row[Col.EFFORT]), "num1")
                sheet.put(i, col[row[Col.QUADRANT]], round(float(row[Col.VALUE]), 4), "num1")
            sheet.put(i, col["Reach"], _clean(row[Col.REACH]), "int")
        v_thr, e_thr = (_on_axis(float(p.attrs.get(k, 0.0))) for k in ("value_threshold", "effort_threshold"))
        vmax = max([*p[Col.VALUE].astype(float)[shown], v_thr]) * 1.1 or 1.0
        emax = max([*p[Col.EFFORT].astype(float)[shown], e_thr]) * 1.1 or 1.0
        lines = [(e_thr, 0.0), (e_thr, vmax), (0.0, v_thr), (emax, v_thr)]
        for i, (x, y) in enumerate(lines, start=4):
            sheet.put(i, col["Effort line"], round(x, 4), "num1")
            sheet.put(i, col["Value line"], round(y, 4), "num1")
        top = p.head(10).iloc[::-1]  # bar charts draw bottom-up: best at the top
        for i, row in enumerate(top.to_dict("records"), start=4):
            label = textwrap.shorten(f"{row[Col.ID]} {row[Col.TITLE] or ''}", 34, placeholder="...")
            sheet.put(i, col["Top 10"], label)
            score = float(row[Col.SCORE])
            sheet.put(i, col["Score"], round(score, 4) if _on_axis(score, -1.0) == score else None, "num1")
        plast = 3 + len(p)
        effort = Ref(sheet.name, 4, col["Effort"], plast, col["Effort"])
        reach = Ref(sheet.name, 4, col["Reach"], plast, col["Reach"])
        points = tuple(
            Series(
                q, Ref(sheet.name, 4, col[q], plast, col[q]), x_values=effort, sizes=reach, color=QUADRANT_MARKERS[q]
            )
            for q in present
        )

        def line(name: str, first: int) -> Series:
            x, y = col["Effort line"], col["Value line"]
            return Series(
                name,
                Ref(sheet.name, first, y, first + 1, y),
                x_values=Ref(sheet.name, first, x, first + 1, x),
                color="595959",
                dashed=True,
                reference=True,
            )

        charts.append(
            ChartSpec(
                "addin_matrix",
                "scatter",
                "Value vs effort (dashed: quadrant thresholds)",
                (CHART_TOP + CHART_ROWS, 1),
                (*points, line("Effort threshold", 4), line("Value threshold", 6)),
                x_title="Effort (person-weeks)",
                y_title="Value",
                y_min=0,
                y_max=vmax,
                x_min=0,
                x_max=emax,
                number_format="#,##0",
                x_number_format="0",
            )
        )
        tlast = 3 + len(top)
        charts.append(
            ChartSpec(
                "addin_top10",
                "bar",
                "Top 10 by score (colour = quadrant)",
                (CHART_TOP + CHART_ROWS, RIGHT_COL),
                (
                    Series(
                        "Score",
                        Ref(sheet.name, 4, col["Score"], tlast, col["Score"]),
                        point_colors=tuple(QUADRANT_MARKERS.get(q, "595959") for q in top[Col.QUADRANT]),
                    ),
                ),
                categories=Ref(sheet.name, 4, col["Top 10"], tlast, col["Top 10"]),
                y_min=0,
                number_format="#,##0",
            )
        )
        title = "Priority matrix (bubble area = reach)"
        size = (PICTURE_IN, PICTURE_IN * 2 / 3)
        sheet.pictures.append(
            Picture(
                "addin_priority_matrix",
                (PICTURE_TOP, RIGHT_COL),
                lambda: figures.priority_matrix_figure(p, v_thr, e_thr, title, size),
                width_px=round(size[0] * 100),
                height_px=round(size[1] * 100),
            )
        )
    table = a.heatmap
    heat_title = f"Where it hurts (by {table.index.name or 'Touchpoint'})"
    heat_w, heat_h = figures.heatmap_size(table, PICTURE_IN)
    sheet.pictures.append(
        Picture(
            "addin_dashboard_heatmap",
            (PICTURE_TOP, 1),
            lambda: figures.heatmap_figure(table, heat_title, PICTURE_IN),
            width_px=round(heat_w * 100),
            height_px=round(heat_h * 100),
        )
    )
    sheet.charts = charts
    sheet.col_widths = {
        1: FIRST_COL_WIDTH,
        **{c: COL_WIDTH for c in range(2, CHART_DATA_COL)},
        **{c: 13 for c in range(CHART_DATA_COL, CHART_DATA_COL + 20)},
    }
    if len(p):
        sheet.col_widths[col["Top 10"]] = 36
    return sheet


def key_facts(a: Analysis) -> list[str]:
    """At most five sentences: where it hurts, where customers leave, moments of truth, what to fix first."""
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
        base, _ = emotion_baseline(s.emotion)
        parts = []
        for stage, _why in s.moments_of_truth:
            yours = s.user_moments.get(stage)
            parts.append(
                f"{stage} (pain index {float(s.pain_index[stage]):.0f}, emotion {float(base[stage]):+.1f}"
                + (f"; you noted: {yours})" if yours else ")")
            )
        facts.append("Moments of truth: " + "; ".join(parts) + ".")
    ipa = a.importance_performance
    if len(ipa):
        focus = ipa[ipa["Quadrant"] == "Concentrate here"]
        if len(focus):
            named = ", ".join(f"{t} ({v:.0f} % satisfied)" for t, v in focus["Performance"].head(4).items())
            facts.append(f"Concentrate here (much pain, low CSAT): {named}.")
    if len(a.priorities):
        top = a.priorities.iloc[0]
        facts.append(
            f"Fix first: {top[Col.ID]} {top[Col.TITLE] or ''} (score {top[Col.SCORE]:,.1f}, "
            f"{str(top[Col.QUADRANT]).lower()})."
        )
    return facts or ["No pain points or recommendations yet: fill in the input sheets and run again."]


def _on_axis(value: float, default: float = 0.0) -> float:
    """`value` if a chart axis can hold it (finite, within figures.PLOT_LIMIT), else `default`."""
    return value if bool(figures.plottable(np.array([value]))[0]) else default
