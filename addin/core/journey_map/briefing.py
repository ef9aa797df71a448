"""Page 2 of the stakeholder PDF: the Dashboard's four charts drawn small, and the top priorities with
their rationale, on one A4 landscape page. Text is wrapped with the map's own font metrics, never cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from addin.core.contract import EMOTION_LABELS
from addin.core.journey_map.data import JourneyMap
from addin.core.journey_map.fonts import wrap
from addin.core.journey_map.layout import A4_LANDSCAPE, LINE, MARGIN
from addin.core.results import Results
from addin.core.styles import QUADRANT_MARKERS, heat_color

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TOP = 8
"""How many priorities page 2 explains at most (fewer when their rationale fills the page)."""
FONT = 7.5


def briefing_figure(m: JourneyMap, a: Results) -> Figure:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    width, height = A4_LANDSCAPE
    fig = Figure(figsize=(width / 72, height / 72), dpi=100)
    fig.text(MARGIN / width, 1 - (MARGIN + 14) / height, f"What to fix first: {m.title}", fontsize=14, weight="bold")
    method = a.priorities.method.value
    fig.text(MARGIN / width, 1 - (MARGIN + 30) / height, f"{m.view} \u00b7 scored by {method}", fontsize=9)
    left, top, charts_w = MARGIN / width, 1 - (MARGIN + 44) / height, 0.56
    grid = fig.add_gridspec(
        2, 2, left=left + 0.08, right=left + charts_w, top=top - 0.03, bottom=0.09, hspace=0.55, wspace=0.35
    )
    _emotion(fig.add_subplot(grid[0, 0]), m)
    _pain(fig.add_subplot(grid[0, 1]), m, a)
    _matrix(fig.add_subplot(grid[1, 0]), a)
    _top10(fig.add_subplot(grid[1, 1]), a)
    _priorities(fig, a, x0=width * (left + charts_w + 0.04), y0=MARGIN + 48)
    return fig


def _small(ax: Axes, title: str) -> None:
    ax.set_title(title, fontsize=8.5, loc="left", weight="bold")
    ax.tick_params(labelsize=6.5)
    ax.grid(alpha=0.3)


def _stage_axis(ax: Axes, stages: tuple[str, ...]) -> None:
    ax.set_xticks(np.arange(len(stages)), list(stages), rotation=35, ha="right", rotation_mode="anchor")


def _emotion(ax: Axes, m: JourneyMap) -> None:
    x = np.arange(len(m.stages))
    for c in m.curves:
        y = np.array([np.nan if v is None else v for v in c.values], dtype=float)
        ax.plot(x, y, marker="o", markersize=3, color="#" + c.color, linestyle="--" if c.dashed else "-", label=c.name)
    ax.set_ylim(-2.2, 2.2)
    ax.set_yticks(list(EMOTION_LABELS), [f"{v:+d} {w}" if v else f"0 {w}" for v, w in EMOTION_LABELS.items()])
    _stage_axis(ax, m.stages)
    _small(ax, "Emotion curve per persona (dashed: Evidence)")
    if m.curves:
        ax.legend(fontsize=5.5, loc="lower left", ncol=2, framealpha=0.8)


def _pain(ax: Axes, m: JourneyMap, a: Results) -> None:
    index = [a.stage(s).pain_index for s in m.stages]
    ax.bar(np.arange(len(m.stages)), index, color=["#" + heat_color(v / 100) for v in index])
    ax.set_ylim(0, 105)
    _stage_axis(ax, m.stages)
    _small(ax, "Pain index by stage (worst = 100)")


def _matrix(ax: Axes, a: Results) -> None:
    p = a.priorities
    recs = p.recommendations
    _small(ax, "Value vs effort (dashed: quadrant thresholds)")
    if not recs:
        ax.text(0.5, 0.5, "No recommendations", ha="center", transform=ax.transAxes, fontsize=8)
        return
    colours = ["#" + QUADRANT_MARKERS.get(r.quadrant, "8C8C8C") for r in recs]
    ax.scatter([r.effort for r in recs], [r.value for r in recs], c=colours, s=18, edgecolors="#333333", linewidths=0.5)
    ax.axvline(p.effort_threshold, color="#555555", linestyle="--", linewidth=0.8)
    ax.axhline(p.value_threshold, color="#555555", linestyle="--", linewidth=0.8)
    ax.set_xlabel("Effort (person-weeks)", fontsize=6.5)
    ax.set_ylabel("Value", fontsize=6.5)


def _top10(ax: Axes, a: Results) -> None:
    top = a.priorities.recommendations[:10][::-1]
    _small(ax, "Top 10 by score (colour = quadrant)")
    if not top:
        return
    colours = ["#" + QUADRANT_MARKERS.get(r.quadrant, "8C8C8C") for r in top]
    ax.barh(np.arange(len(top)), [r.score for r in top], color=colours)
    ax.set_yticks(np.arange(len(top)), [r.id for r in top])


def _priorities(fig: Figure, a: Results, x0: float, y0: float) -> None:
    """The top priorities, each: rank, ID and title in bold, then score, quadrant and the rationale."""
    width, height = A4_LANDSCAPE
    avail = width - MARGIN - x0
    y = y0
    fig.text(x0 / width, 1 - (y + 10) / height, f"Top {TOP} priorities", fontsize=10, weight="bold")
    y += 18
    rows = a.priorities.recommendations[:TOP]
    if not rows:
        fig.text(x0 / width, 1 - (y + FONT) / height, "No recommendations to rank yet.", fontsize=FONT)
    for r in rows:
        head = f"{r.rank}. {r.id} {r.title or ''}"
        lines = [(line, True) for line in wrap(head, avail, FONT, True)]
        lines += [(line, False) for line in wrap(f"Score {r.score:,.1f}, {r.quadrant.value.lower()}.", avail, FONT)]
        lines += [(line, False) for line in wrap(r.rationale, avail, FONT)]
        for text, bold in lines:
            fig.text(x0 / width, 1 - (y + FONT) / height, text, fontsize=FONT, weight="bold" if bold else "normal")
            y += LINE * FONT
        y += 6
