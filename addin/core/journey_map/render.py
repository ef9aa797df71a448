"""Draw a `MapLayout` with matplotlib: one figure per page, every text as real text (PDF fonts embedded
as TrueType, SVG text as <text>), so a reader can search, copy and translate it.

The figure's coordinates are the layout's points (y downwards), so nothing is measured or moved
here: what the layout computed is what is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.core.journey_map.layout import ASCENT, LINE, MapLayout, Page

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

FONT = "DejaVu Sans"
"""The face `fonts` measures; matplotlib ships it, so every machine draws the same map."""
RC: Any = {"svg.fonttype": "none", "pdf.fonttype": 42, "ps.fonttype": 42, "font.family": FONT, "text.hinting": "none"}
"""Real text in PDF and SVG; no hinting, so a PNG's glyphs keep the font's advance widths the layout used
(hinted at 100 dpi, short labels come out up to a fifth wider)."""
FORMATS = ("pdf", "svg", "png")


def page_figure(page: Page) -> Figure:
    """One page as a figure the size of the page (1 point = 1/72 inch)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    class MapFigure(Figure):
        """A figure that is always saved with the map's settings, whoever saves it (a sheet's picture)."""

        def savefig(self, *args: Any, **kwargs: Any) -> None:
            with matplotlib.rc_context(RC):
                super().savefig(*args, **kwargs)

    fig = MapFigure(figsize=(page.width / 72, page.height / 72), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, page.width)
    ax.set_ylim(page.height, 0)
    ax.set_axis_off()
    for r in page.rects:
        ax.add_patch(
            Rectangle(
                (r.x, r.y),
                r.w,
                r.h,
                facecolor="#" + r.fill if r.fill else "none",
                edgecolor="#" + r.edge if r.edge else "none",
                linewidth=0.5 if r.edge else 0,
            )
        )
    for c in page.curves:
        xs, ys = zip(*c.points, strict=True)
        ax.plot(
            xs,
            ys,
            color="#" + c.color,
            linestyle=(0, (4, 2)) if c.dashed else "-",
            linewidth=c.width,
            marker="o" if c.markers else None,
            markersize=3.5,
        )
    for t in page.texts:
        for i, line in enumerate(t.lines):
            if not line:
                continue
            ax.text(
                t.x,
                t.y + i * LINE * t.size + ASCENT * t.size,
                line,
                fontsize=t.size,
                fontweight="bold" if t.bold else "normal",
                color="#" + t.color,
                ha="left",
                va="baseline",
                fontfamily=FONT,
            )
    return fig


def save(lay: MapLayout, path: Path, fmt: str | None = None, dpi: int = 150) -> list[Path]:
    """Write the map: a PDF holds every page; SVG and PNG write one file per page (`name-2.svg`, ...)."""
    import matplotlib

    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"{path}: a map is written as .pdf, .svg or .png, not .{fmt}")
    with matplotlib.rc_context(RC):
        if fmt == "pdf":
            from matplotlib.backends.backend_pdf import PdfPages

            with PdfPages(path, metadata={"Creator": "Journey Map add-in", "CreationDate": None}) as pdf:
                for page in lay.pages:
                    pdf.savefig(page_figure(page))
            return [path]
        out = []
        for i, page in enumerate(lay.pages):
            target = path if i == 0 else path.with_name(f"{path.stem}-{i + 1}{path.suffix}")
            meta = {"Date": None} if fmt == "svg" else {"Software": None}
            page_figure(page).savefig(target, format=fmt, dpi=dpi, metadata=meta)
            out.append(target)
        return out


def add_pages(pdf: object, pages: Sequence[Page]) -> None:
    """Append map pages to an open `PdfPages` (the stakeholder PDF)."""
    import matplotlib

    with matplotlib.rc_context(RC):
        for page in pages:
            pdf.savefig(page_figure(page))  # type: ignore[attr-defined]
