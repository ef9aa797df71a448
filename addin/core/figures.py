"""Matplotlib figures for what a native spreadsheet chart cannot say: the annotated heatmap and the
labelled priority matrix. Each function returns a Figure; the caller places it (xlwings style).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from addin.core.contract import Quadrant
from addin.core.results import Heatmap, Recommendation
from addin.core.styles import HEATMAP_COLORS, QUADRANT_MARKERS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


PLOT_LIMIT = 1e15
"""A number a picture can show: beyond it (Reach 1e308, a Score divided by an Effort of 1e-300) a point is left
out of the picture, which says how many were; an axis cannot span it and no real journey has such a number."""


def _number(value: float | None) -> float:
    """A results number for numpy (None = not a number)."""
    return float("nan") if value is None else float(value)


def plottable(values: np.ndarray) -> np.ndarray:
    """Which values a picture can place: finite and at most `PLOT_LIMIT` in size."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(values) & (np.abs(values) <= PLOT_LIMIT)


def _new_figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def heatmap_size(table: Heatmap, stages: Sequence[str], width: float | None = None) -> tuple[float, float]:
    """Figure size in inches: roomy by default, or `width` wide with compact rows (for the Dashboard)."""
    rows = max(len(table.rows), 1)
    cols = max(len(stages), 1)
    if width is None:
        return min(3 + 1.3 * cols, 16), min(1.6 + 0.42 * rows, 14)
    return width, min(1.5 + 0.3 * rows, 10)


def heatmap_figure(table: Heatmap, stages: Sequence[str], title: str, width: float | None = None) -> Figure:
    """Annotated heatmap: stages across, rows down, each cell its summed pain (blank = none).

    The colours run from light yellow at 0 through orange at half the worst cell to dark red at the
    worst, as the sheet's colour scale and legend do.
    """
    from matplotlib.colors import LinearSegmentedColormap

    rows = max(len(table.rows), 1)
    cols = max(len(stages), 1)
    compact = width is not None
    fig = _new_figure(*heatmap_size(table, stages, width))
    ax = fig.add_subplot()
    cmap = LinearSegmentedColormap.from_list("pain", ["#" + c for c in HEATMAP_COLORS])
    data = np.array([r.pain for r in table.rows], dtype=float) if table.rows else np.zeros((1, cols))
    vmax = float(np.nanmax(data)) if data.size and np.nanmax(data) > 0 else 1.0
    im = ax.imshow(data, cmap=cmap, vmin=0, vmax=vmax, aspect="auto")
    font = 8 if compact else 9
    ax.set_xticks(
        range(len(stages)),
        [textwrap.fill(str(c), 10 if compact else 14, break_long_words=False) for c in stages],
        fontsize=font,
    )
    labels = [r.label for r in table.rows]
    ax.set_yticks(range(len(labels)), [textwrap.shorten(r, 24 if compact else 32) for r in labels], fontsize=font)
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(axis="x", labeltop=True, labelbottom=False, length=0)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for (i, j), value in np.ndenumerate(data):
        if value > 0:
            ax.text(
                j,
                i,
                f"{value:.0f}",
                ha="center",
                va="center",
                fontsize=font,
                color="white" if value > 0.6 * vmax else "black",
            )
    cbar = fig.colorbar(im, ax=ax, shrink=0.8, pad=0.02)
    cbar.set_label("summed pain score", fontsize=font)
    cbar.ax.tick_params(labelsize=font)
    ax.set_title(title, loc="left", fontsize=11 if compact else 12, fontweight="bold")
    return fig


def priority_matrix_figure(
    priorities: Sequence[Recommendation],
    value_threshold: float,
    effort_threshold: float,
    title: str,
    size: tuple[float, float] = (9, 6),
) -> Figure:
    """Value vs effort: one labelled bubble per recommendation (area = reach, colour = quadrant), the
    quadrant thresholds as dashed lines, and a legend naming the quadrants.
    """
    fig = _new_figure(*size)
    ax = fig.add_subplot()
    if not priorities:
        ax.text(0.5, 0.5, "No recommendations to plot", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    x = np.array([_number(r.effort) for r in priorities], dtype=float)
    y = np.array([_number(r.value) for r in priorities], dtype=float)
    shown = plottable(x) & plottable(y)
    reach = np.array([_number(r.reach) for r in priorities], dtype=float)
    reach = np.nan_to_num(reach, nan=0.0, posinf=PLOT_LIMIT, neginf=0.0).clip(0, PLOT_LIMIT)[shown]
    top = float(reach.max()) if len(reach) and reach.max() > 0 else 1.0
    sizes = 60 + 900 * reach / top  # marker area grows with reach
    kept = [r for r, ok in zip(priorities, shown, strict=True) if ok]
    colours = ["#" + QUADRANT_MARKERS.get(r.quadrant.value, "8C8C8C") for r in kept]
    x, y = x[shown], y[shown]
    ax.scatter(x, y, s=sizes, c=colours, alpha=0.7, edgecolors="#333333", linewidths=0.8, zorder=3)
    for xi, yi, label in zip(x, y, [r.id for r in kept], strict=True):
        ax.annotate(str(label), (xi, yi), xytext=(6, 5), textcoords="offset points", fontsize=9, zorder=4)
    lines = [t if bool(plottable(np.array([t]))[0]) else None for t in (effort_threshold, value_threshold)]
    if lines[0] is not None:
        ax.axvline(lines[0], color="#555555", linestyle="--", linewidth=1)
    if lines[1] is not None:
        ax.axhline(lines[1], color="#555555", linestyle="--", linewidth=1)
    xmax = max([0.0, *x.tolist(), lines[0] or 0.0]) * 1.1 or 1.0
    ymax = max([0.0, *y.tolist(), lines[1] or 0.0]) * 1.1 or 1.0
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, ymax)
    left_out = int((~shown).sum())
    if left_out:
        ax.text(0.01, 0.01, f"{left_out} not shown: value or effort beyond {PLOT_LIMIT:.0e} or not a number",
                transform=ax.transAxes, fontsize=8, color="#555555", va="bottom")  # fmt: skip
    from matplotlib.lines import Line2D

    meaning = {
        Quadrant.QUICK_WIN.value: f"{Quadrant.QUICK_WIN.value}: high value, low effort",
        Quadrant.BIG_BET.value: f"{Quadrant.BIG_BET.value}: high value, high effort",
        Quadrant.FILL_IN.value: f"{Quadrant.FILL_IN.value}: low value, low effort",
        Quadrant.MONEY_PIT.value: f"{Quadrant.MONEY_PIT.value}: low value, high effort",
    }
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=8,
            markerfacecolor="#" + QUADRANT_MARKERS[q],
            markeredgecolor="#333333",
            alpha=0.8,
            label=text,
        )
        for q, text in meaning.items()
    ]
    ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.9)
    from matplotlib.ticker import StrMethodFormatter

    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("Effort (person-weeks)")
    ax.set_ylabel("Value")
    ax.grid(alpha=0.3)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    return fig
