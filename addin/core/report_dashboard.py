"""The Dashboard sheet: key facts, four native charts reading a chart-data block on the same sheet
(emotion curves, pain index, value vs effort, top 10), and two pictures (heatmap, priority matrix).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np

from addin.core import figures
from addin.core.contract import Quadrant, Sheet
from addin.core.model import ChartKind, ChartSpec, OutputSheet, Picture, Ref, Series
from addin.core.report import banner, left_out_text
from addin.core.report_assumed import assumed_sentence
from addin.core.report_drivers import driver_fact
from addin.core.report_heatmap import curve_label
from addin.core.results import CurveSource, EmotionCurve, IPAQuadrant, Results
from addin.core.styles import QUADRANT_MARKERS, SERIES_COLORS, Role, heat_color
from addin.core.words import number

NO_TITLE = "(no title)"
"""What a recommendation with a blank Title is called next to its ID."""


def titled(rec_id: str, title: str | None) -> str:
    """ "R01 Show shipping cost"; "R01 (no title)" when the Title is blank."""
    return f"{rec_id} {title if title else NO_TITLE}"


CHART_DATA_COL = 24
"""First column of the chart data block (X), right of the charts and pictures."""
CHART_TOP = 9
"""First row of the charts, below the key facts (at most 6 lines from row 3)."""
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


def curve_style(curve: EmotionCurve, personas: list[str]) -> tuple[str, bool]:
    """Colour and dash of an emotion curve: one colour per persona (all customers dark grey), dashed
    when the curve comes from Evidence rather than the map.
    """
    evidence = curve.source is CurveSource.EVIDENCE
    if curve.persona is None:
        return SERIES_COLORS[0], evidence
    index = personas.index(curve.persona) + 1 if curve.persona in personas else len(personas) + 1
    return SERIES_COLORS[1 + (index - 1) % (len(SERIES_COLORS) - 1)], evidence


def dashboard_sheet(
    a: Results, heat_refs: dict[str, Ref], prio_refs: dict[str, Ref], since_last: Sequence[str] | None = None
) -> OutputSheet:
    """Key facts, what changed since the last run (`since_last`: a heading and sentences, from the History
    sheet; None without two snapshots), the chart-data block and the charts reading it, the two pictures,
    and the trends in the evidence below them."""
    sheet = OutputSheet(Sheet.DASHBOARD.value)
    banner(sheet)
    sheet.put(2, 1, f"Dashboard: {a.journey_name}", Role.TITLE)
    if left := left_out_text(a):
        sheet.put(2, RIGHT_COL, left, Role.WARNING)
    for i, fact in enumerate(key_facts(a), start=3):
        sheet.put(i, 1, fact, Role.TEXT)
    sheet.put(2, CHART_DATA_COL, "Chart data (generated; the charts read these cells)", Role.SUBTITLE)
    stages_ref, next_col = _stage_block(sheet, a)
    sheet.charts = [*_stage_charts(sheet, a, stages_ref), *_priority_charts(sheet, a, next_col)]
    if since_last:
        _since_last(sheet, since_last)
    _pictures(sheet, a)
    _trends(sheet, a)
    sheet.col_widths = {
        1: FIRST_COL_WIDTH,
        **{c: COL_WIDTH for c in range(2, CHART_DATA_COL)},
        **{c: 13 for c in range(CHART_DATA_COL, CHART_DATA_COL + 20)},
    }
    if a.priorities.recommendations:
        sheet.col_widths[next_col + _priority_columns(a).index("Top 10")] = 36
    return sheet


def _stage_block(sheet: OutputSheet, a: Results) -> tuple[Ref, int]:
    """Per stage: the pain index and every emotion curve, at CHART_DATA_COL. Returns the stage labels'
    range and the first column free after the block.
    """
    c0 = CHART_DATA_COL
    sheet.put(3, c0, "Stage", Role.HEADER)
    headers = ["Pain index", *[curve_label(c) for c in a.emotion]]
    sheet.put_row(3, c0 + 1, headers, Role.HEADER)
    for i, stage in enumerate(a.stage_results, start=4):
        sheet.put(i, c0, stage.stage)
        sheet.put(i, c0 + 1, round(stage.pain_index, 1), Role.INT)
        for j, curve in enumerate(a.emotion, start=2):
            value = curve.values[i - 4]
            sheet.put(i, c0 + j, round(value, 2) if value is not None else None, Role.NUM1)
    return Ref(sheet.name, 4, c0, 3 + len(a.stages), c0), c0 + len(headers) + 2


def _stage_charts(sheet: OutputSheet, a: Results, stages_ref: Ref) -> list[ChartSpec]:
    """The emotion curves (when there are any) and the pain index by stage."""
    c0, last = CHART_DATA_COL, stages_ref.last_row
    curves = a.emotion
    personas = sorted({c.persona for c in curves if c.persona is not None})
    charts: list[ChartSpec] = []
    if curves:
        series = []
        for j, curve in enumerate(curves, start=2):
            color, dashed = curve_style(curve, personas)
            series.append(
                Series(curve_label(curve), Ref(sheet.name, 4, c0 + j, last, c0 + j), color=color, dashed=dashed)
            )
        charts.append(
            ChartSpec(
                "addin_emotion",
                ChartKind.LINE,
                "Emotion curve per persona"
                + (" (dashed: from Evidence)" if any(c.source is CurveSource.EVIDENCE for c in curves) else ""),
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
            ChartKind.COLUMN,
            "Pain index by stage (worst = 100)",
            (CHART_TOP, RIGHT_COL),
            (
                Series(
                    "Pain index",
                    Ref(sheet.name, 4, c0 + 1, last, c0 + 1),
                    point_colors=tuple(heat_color(x.pain_index / 100) for x in a.stage_results),
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
    return charts


TOP_N = 10
"""Recommendations in the top-by-score chart (fewer when there are fewer)."""


def _priority_columns(p: Results) -> list[str]:
    present = [q.value for q in Quadrant if any(r.quadrant is q for r in p.priorities.recommendations)]
    return ["Recommendation", "Effort", *present, "Reach", "Effort line", "Value line", "Top 10", "Score"]


def _axis_max(values: list[float], threshold: float) -> float:
    return max(max(values), threshold) * 1.1 or 1.0


def _priority_charts(sheet: OutputSheet, a: Results, q0: int) -> list[ChartSpec]:
    """Value vs effort and the top N, from a block at column `q0`: one value column per quadrant (blank
    elsewhere), so every point series shares the Effort column as X; then the two quadrant lines and the top N.
    """
    prio = a.priorities
    p = prio.recommendations
    if not p:
        return []
    names = _priority_columns(a)
    present = names[2:-5]
    sheet.put_row(3, q0, names, Role.HEADER)
    col = {name: q0 + i for i, name in enumerate(names)}
    # a number no axis can span (Reach 1e308, an Effort of 1e-300) stays out of the charts, as out of the
    # pictures (figures.PLOT_LIMIT); the Priorities sheet still lists it
    shown = [_on_axis(r.value, None) is not None and _on_axis(r.effort, None) is not None for r in p]
    for i, (rec, ok) in enumerate(zip(p, shown, strict=True), start=4):
        sheet.put(i, q0, rec.id)
        if ok:
            sheet.put(i, col["Effort"], rec.effort, Role.NUM1)
            sheet.put(i, col[rec.quadrant.value], round(rec.value, 4), Role.NUM1)
        sheet.put(i, col["Reach"], _on_axis(rec.reach, None), Role.INT)
    v_thr, e_thr = _on_axis(prio.value_threshold) or 0.0, _on_axis(prio.effort_threshold) or 0.0
    vmax = _axis_max([r.value for r, ok in zip(p, shown, strict=True) if ok] or [0.0], v_thr)
    emax = _axis_max([r.effort for r, ok in zip(p, shown, strict=True) if ok] or [0.0], e_thr)
    for i, (x, y) in enumerate([(e_thr, 0.0), (e_thr, vmax), (0.0, v_thr), (emax, v_thr)], start=4):
        sheet.put(i, col["Effort line"], round(x, 4), Role.NUM1)
        sheet.put(i, col["Value line"], round(y, 4), Role.NUM1)
    top = p[:TOP_N][::-1]  # bar charts draw bottom-up: best at the top
    for i, rec in enumerate(top, start=4):
        sheet.put(i, col["Top 10"], textwrap.shorten(titled(rec.id, rec.title), 34, placeholder="..."))
        score = _on_axis(rec.score, None)
        sheet.put(i, col["Score"], round(score, 4) if score is not None else None, Role.NUM1)
    plast = 3 + len(p)
    effort = Ref(sheet.name, 4, col["Effort"], plast, col["Effort"])
    reach = Ref(sheet.name, 4, col["Reach"], plast, col["Reach"])
    points = tuple(
        Series(q, Ref(sheet.name, 4, col[q], plast, col[q]), x_values=effort, sizes=reach, color=QUADRANT_MARKERS[q])
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

    tlast = 3 + len(top)
    return [
        ChartSpec(
            "addin_matrix",
            ChartKind.SCATTER,
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
        ),
        ChartSpec(
            "addin_top10",
            ChartKind.BAR,
            f"Top {len(top)} by score (colour = quadrant)",
            (CHART_TOP + CHART_ROWS, RIGHT_COL),
            (
                Series(
                    "Score",
                    Ref(sheet.name, 4, col["Score"], tlast, col["Score"]),
                    point_colors=tuple(QUADRANT_MARKERS.get(r.quadrant.value, "595959") for r in top),
                ),
            ),
            categories=Ref(sheet.name, 4, col["Top 10"], tlast, col["Top 10"]),
            y_min=0,
            number_format="#,##0",
        ),
    ]


SINCE_LAST_LINES = 4
"""Sentences of "what changed" shown at K4..K7, between the key facts' rows and the charts."""
TRENDS_SHOWN = 10
ROW_PX = 20
"""Height of a default row in pixels (15 points), to place a block below the pictures."""


def _since_last(sheet: OutputSheet, lines: Sequence[str]) -> None:
    heading, *sentences = lines
    if len(sentences) > SINCE_LAST_LINES:
        more = len(sentences) - SINCE_LAST_LINES + 1
        sentences = [*sentences[: SINCE_LAST_LINES - 1], f"... and {more} more: see the {Sheet.HISTORY} sheet."]
    sheet.put(3, RIGHT_COL, heading, Role.SUBTITLE)
    for row, sentence in enumerate(sentences, start=4):
        sheet.put(row, RIGHT_COL, sentence, Role.TEXT)


def trend_lines(a: Results) -> list[str]:
    """A heading and sentences: the significant changes in the evidence from one period to the next, or why
    there are none; [] without dated Evidence rows."""
    t = a.trends
    if t is None:
        return []
    heading = f"Trends in the evidence (by {t.period.lower()} of its Date; Holm-corrected over every change tested)"
    if not t.tested:
        return [heading, f"Too few answers to test a change: each {t.period.lower()} needs at least {t.min_answers}."]
    if not t.significant:
        return [heading, f"No significant change from one {t.period.lower()} to the next ({t.tested:,} tested)."]
    lines = [c.sentence + "." for c in t.significant[:TRENDS_SHOWN]]
    if len(t.significant) > TRENDS_SHOWN:
        lines.append(f"... and {len(t.significant) - TRENDS_SHOWN} more significant changes.")
    return [heading, *lines]


def _trends(sheet: OutputSheet, a: Results) -> None:
    """The trend lines below the pictures."""
    lines = trend_lines(a)
    if not lines:
        return
    tallest = max((p.height_px for p in sheet.pictures), default=0)
    top = PICTURE_TOP + math.ceil(tallest / ROW_PX) + 2
    sheet.put(top, 1, lines[0], Role.SUBTITLE)
    for row, line in enumerate(lines[1:], start=top + 1):
        sheet.put(row, 1, line, Role.TEXT)


def _pictures(sheet: OutputSheet, a: Results) -> None:
    """The priority matrix (when there are recommendations) and the heatmap, drawn when a writer asks."""
    prio = a.priorities
    if prio.recommendations:
        recs, v_thr, e_thr = prio.recommendations, prio.value_threshold, prio.effort_threshold
        title = "Priority matrix (bubble area = reach)"
        size = (PICTURE_IN, PICTURE_IN * 2 / 3)
        sheet.pictures.append(
            Picture(
                "addin_priority_matrix",
                (PICTURE_TOP, RIGHT_COL),
                lambda: figures.priority_matrix_figure(recs, v_thr, e_thr, title, size),
                width_px=round(size[0] * 100),
                height_px=round(size[1] * 100),
            )
        )
    table = a.heatmap
    stages = list(a.stages)
    heat_title = f"Where it hurts (by {table.dimension.value})"
    heat_w, heat_h = figures.heatmap_size(table, stages, PICTURE_IN)
    sheet.pictures.append(
        Picture(
            "addin_dashboard_heatmap",
            (PICTURE_TOP, 1),
            lambda: figures.heatmap_figure(table, stages, heat_title, PICTURE_IN),
            width_px=round(heat_w * 100),
            height_px=round(heat_h * 100),
        )
    )


def key_facts(a: Results) -> list[str]:
    """At most six sentences (`MAX_FACTS`): where it hurts, where customers leave, moments of truth, where to
    concentrate (per touchpoint), the strongest key driver (per stage), what to fix first; what rests on assumed
    levels after the first, on its own line while there is room."""
    facts = []
    if a.worst_pain_stage is not None:
        worst = a.stage(a.worst_pain_stage)
        facts.append(f"Hurts most: {worst.stage} (pain {worst.pain:.0f}, {worst.pain_points} pain points).")
    if a.worst_drop_stage is not None:
        d = a.stage(a.worst_drop_stage).funnel
        assert d is not None and d.drop_off_share is not None
        facts.append(
            f"Largest drop-off rate: {a.worst_drop_stage} ({d.drop_off_share:.0%}: {d.drop_off:,.0f} of the "
            f"{d.entered:,.0f} who entered drop off)."
        )
    if a.moments_of_truth:
        parts = []
        for m in a.moments_of_truth:
            yours = a.stage(m.stage).your_moment_of_truth
            parts.append(
                f"{m.stage} (pain index {m.pain_index:.0f}, emotion {m.emotion:+.1f}"
                + (f"; you noted: {yours})" if yours else ")")
            )
        facts.append("Moments of truth: " + "; ".join(parts) + ".")
    focus = [r for r in a.importance_performance.rows if r.quadrant is IPAQuadrant.CONCENTRATE]
    if focus:
        named = ", ".join(f"{r.touchpoint} ({r.performance:.0f} % satisfied)" for r in focus[:4])
        facts.append(f"{IPAQuadrant.CONCENTRATE.value} (much pain, low CSAT): {named}.")
    if driver := driver_fact(a):
        facts.append(driver)
    if a.priorities.recommendations:
        top = a.priorities.recommendations[0]
        facts.append(
            f"Fix first: {titled(top.id, top.title)} (score {number(top.score)}, {top.quadrant.value.lower()})."
        )
    return _with_assumed(facts, a) or ["No pain points or recommendations yet: fill in the input sheets and run again."]


MAX_FACTS = CHART_TOP - 3
"""Key facts fit rows 3 to CHART_TOP - 1, above the charts."""


def _with_assumed(facts: list[str], a: Results) -> list[str]:
    """The facts with the sentence on assumed levels after the first (where it hurts): its own line while there is
    room, else added to the first fact."""
    sentence = assumed_sentence(a)
    if sentence is None or not facts:
        return facts
    if len(facts) < MAX_FACTS:
        return [facts[0], sentence, *facts[1:]]
    return [f"{facts[0]} {sentence}", *facts[1:]]


def _on_axis(value: float | None, default: float | None = 0.0) -> float | None:
    """`value` if a chart axis can hold it (finite, within figures.PLOT_LIMIT), else `default`."""
    if value is None:
        return default
    return value if bool(figures.plottable(np.array([value], dtype=float))[0]) else default
