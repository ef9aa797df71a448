"""The geometry of a journey map: pages, boxes, wrapped lines and font sizes, in points (y downwards
from the top-left corner of an A4 landscape page). Pure: no renderer; text is measured with the font's
own advance widths (`fonts`), so what is computed here is what `render` draws.

Every text is wrapped inside its box and never shortened. The body text starts at `FONT_SIZES[0]`
and gets smaller, one step at a time, down to `MIN_FONT` (6.5 pt, the smallest size at 100 % on A4
landscape); when the stages still do not fit, they are split over more pages (lane labels repeated on
every page) before any text gets smaller. Columns are never narrower than `MIN_COLUMN`. Only when a
single stage does not fit on a page at the smallest size does its page grow taller than A4.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from addin.core.contract import EMOTION_LABELS, SMALL_SAMPLE
from addin.core.journey_map.data import JourneyMap, MapLane, StageEvidence
from addin.core.journey_map.fonts import text_width, wrap
from addin.core.styles import heat_color

A4_LANDSCAPE = (841.89, 595.28)
MARGIN = 24.0
FONT_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5)
MIN_FONT = FONT_SIZES[-1]
"""The smallest font size of any text on the map, at 100 % on an A4 landscape page."""
MIN_COLUMN = 66.0
"""The narrowest stage column, in points (about 11 characters at the smallest size)."""
LABEL_WIDTH = 80.0
PAD = 3.0
CHIP_PAD = 2.0
LINE = 1.2
"""Line height as a multiple of the font size."""
ASCENT = 0.93
"""DejaVu Sans' ascender, in ems: where a line's baseline sits below the line's top."""
HEADER_FILL, HEADER_TEXT = "BDD7EE", "1F3864"
LABEL_FILL, LANE_FILLS = "D9E1F2", ("FFFFFF", "F5F7FB")
EDGE = "BFBFBF"
MOMENT = "\u2605"
"""The star that marks a moment of truth."""


@dataclass(frozen=True)
class TextBox:
    """Lines of text whose top-left corner is (x, y); `w` is the widest line, `h` the lines' height."""

    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]
    size: float
    bold: bool = False
    color: str = "000000"
    role: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str | None
    edge: str | None = None


@dataclass(frozen=True)
class Polyline:
    """A curve segment on one page: points in page coordinates; `dashed` from Evidence."""

    points: tuple[tuple[float, float], ...]
    color: str
    dashed: bool = False
    width: float = 1.6
    markers: bool = True


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    stages: tuple[str, ...]
    texts: tuple[TextBox, ...]
    rects: tuple[Rect, ...]
    curves: tuple[Polyline, ...]


@dataclass(frozen=True)
class MapLayout:
    pages: tuple[Page, ...]
    font_size: float
    """The body font size used (never below MIN_FONT)."""

    @property
    def smallest(self) -> float:
        """The smallest font size of any text on the map (the small print: never below MIN_FONT)."""
        return min((t.size for p in self.pages for t in p.texts), default=self.font_size)


def layout(m: JourneyMap) -> MapLayout:
    """Fit the map on as few A4 landscape pages as its text allows (see the module's docstring)."""
    width, height = A4_LANDSCAPE
    grid = width - 2 * MARGIN - LABEL_WIDTH
    n = max(len(m.stages), 1)
    most = max(1, min(n, int(grid // MIN_COLUMN)))
    for per_page in range(most, 0, -1):
        chunks = _chunks(len(m.stages), per_page)
        for size in FONT_SIZES:
            pages = [_Page(m, chunk, i, len(chunks), size).build() for i, chunk in enumerate(chunks)]
            if all(p.height <= height + 1e-6 for p in pages):
                return MapLayout(tuple(pages), size)
    chunks = _chunks(len(m.stages), 1)
    pages = [_Page(m, chunk, i, len(chunks), MIN_FONT).build() for i, chunk in enumerate(chunks)]
    return MapLayout(tuple(pages), MIN_FONT)


def _chunks(n: int, per_page: int) -> list[range]:
    """`n` stages in consecutive runs of at most `per_page`, as even as possible."""
    if n == 0:
        return [range(0)]
    pages = math.ceil(n / per_page)
    base, extra = divmod(n, pages)
    out, start = [], 0
    for i in range(pages):
        size = base + (1 if i < extra else 0)
        out.append(range(start, start + size))
        start += size
    return out


def _date(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def evidence_lines(e: StageEvidence) -> list[str]:
    """The small print under a stage."""
    if not e.answers:
        return ["no answers"]
    lines = [f"only {e.answers} answers" if e.answers < SMALL_SAMPLE else f"{e.answers:,} answers"]
    if e.csat is not None:
        lines.append(f"CSAT {e.csat:.0f} % satisfied (n {e.csat_n:,})")
    if e.nps is not None:
        lines.append(f"NPS {e.nps:+.0f} (n {e.nps_n:,})")
    return lines


@dataclass
class _Page:
    """One page under construction: rows are added top to bottom at `self.y`."""

    m: JourneyMap
    chunk: range
    index: int
    count: int
    size: float
    texts: list[TextBox] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    curves: list[Polyline] = field(default_factory=list)
    y: float = MARGIN

    @property
    def small(self) -> float:
        return max(MIN_FONT, self.size - 1.0)

    @property
    def col(self) -> float:
        return (A4_LANDSCAPE[0] - 2 * MARGIN - LABEL_WIDTH) / max(len(self.chunk), 1)

    def x_of(self, j: int) -> float:
        return MARGIN + LABEL_WIDTH + j * self.col

    def build(self) -> Page:
        self._header()
        self._legend()
        self._stage_row()
        for i, lane in enumerate(self.m.lanes):
            self._lane(lane, LANE_FILLS[i % 2])
        self._emotion()
        self._pains()
        for i, lane in enumerate(self.m.after):
            self._lane(lane, LANE_FILLS[i % 2])
        self._moments()
        self._evidence()
        height = max(A4_LANDSCAPE[1], self.y + MARGIN)
        stages = tuple(self.m.stages[j] for j in self.chunk)
        return Page(A4_LANDSCAPE[0], height, stages, tuple(self.texts), tuple(self.rects), tuple(self.curves))

    # ------------------------------------------------------------ pieces

    def text(self, x: float, y: float, width: float, text: str, size: float, bold: bool = False, **kw: str) -> TextBox:
        lines = tuple(wrap(text, width, size, bold))
        box = TextBox(
            x,
            y,
            max(text_width(line, size, bold) for line in lines),
            len(lines) * LINE * size,
            lines,
            size,
            bold,
            **kw,
        )
        self.texts.append(box)
        return box

    def _header(self) -> None:
        full = A4_LANDSCAPE[0] - 2 * MARGIN
        title = self.text(MARGIN, self.y, full, f"Journey map: {self.m.title}", self.size + 5, True, role="title")
        self.y += title.h + 2
        parts = [self.m.view]
        d = self.m.dates
        parts.append(f"evidence from {_date(d[0])} to {_date(d[1])}" if d else "no dated evidence")
        if self.count > 1:
            first, last = self.m.stages[self.chunk[0]], self.m.stages[self.chunk[-1]]
            parts.append(f"page {self.index + 1} of {self.count}: {first} to {last}")
        sub = self.text(MARGIN, self.y, full, " \u00b7 ".join(parts), self.size + 1, role="subtitle")
        self.y += sub.h + 4

    def _legend(self) -> None:
        """Pain colours, one sample per curve and the moment-of-truth star, flowing left to right."""
        s = self.small
        line_h = LINE * s
        right = A4_LANDSCAPE[0] - MARGIN
        x = MARGIN
        items: list[tuple[str, str, str | None, bool]] = [("text", "Pain score:", None, True)]
        top = self.m.pain_max
        for share in (0.0, 0.5, 1.0):
            items.append(("swatch", f"{share * top:.0f}", heat_color(share), False))
        for curve in self.m.curves:
            items.append(("curve", curve.name, curve.color, curve.dashed))
        items.append(("text", f"{MOMENT} moment of truth", None, False))
        sample = 2.2 * s
        y = self.y
        for kind, label, color, flag in items:
            label_w = text_width(label, s, kind == "text" and flag)
            need = label_w + (sample + 3 if kind != "text" else 0) + 10
            if x + need > right and x > MARGIN:
                x, y = MARGIN, y + line_h + 2
            if kind == "swatch":
                self.rects.append(Rect(x, y + 1, sample, line_h - 2, color, EDGE))
                x += sample + 3
            elif kind == "curve":
                mid = y + line_h / 2
                self.curves.append(Polyline(((x, mid), (x + sample, mid)), color or "404040", flag, markers=False))
                x += sample + 3
            box = self.text(x, y, right - x, label, s, kind == "text" and flag, role="legend")
            x += box.w + 10
        self.y = y + line_h + 6

    def _stage_row(self) -> None:
        s = self.size
        boxes_h = [len(wrap(self.m.stages[j], self.col - 2 * PAD, s, True)) * LINE * s for j in self.chunk]
        h = max([LINE * s, *boxes_h]) + 2 * PAD
        self.rects.append(Rect(MARGIN, self.y, LABEL_WIDTH, h, HEADER_FILL, EDGE))
        self.text(MARGIN + PAD, self.y + PAD, LABEL_WIDTH - 2 * PAD, "Stage", s, True, color=HEADER_TEXT)
        for k, j in enumerate(self.chunk):
            x = self.x_of(k)
            self.rects.append(Rect(x, self.y, self.col, h, HEADER_FILL, EDGE))
            self.text(
                x + PAD, self.y + PAD, self.col - 2 * PAD, self.m.stages[j], s, True, color=HEADER_TEXT, role="stage"
            )
        self.y += h

    def _row(
        self, label: str, cells: list[str | None], fill: str, size: float | None = None, role: str = "cell"
    ) -> None:
        s = size or self.size
        label_lines = wrap(label, LABEL_WIDTH - 2 * PAD, self.size, True)
        heights = [len(label_lines) * LINE * self.size]
        heights += [len(wrap(c, self.col - 2 * PAD, s)) * LINE * s for c in cells if c]
        h = max(heights) + 2 * PAD
        self.rects.append(Rect(MARGIN, self.y, LABEL_WIDTH, h, LABEL_FILL, EDGE))
        self.text(MARGIN + PAD, self.y + PAD, LABEL_WIDTH - 2 * PAD, label, self.size, True, role="label")
        for k, cell in enumerate(cells):
            x = self.x_of(k)
            self.rects.append(Rect(x, self.y, self.col, h, fill, EDGE))
            if cell:
                self.text(x + PAD, self.y + PAD, self.col - 2 * PAD, cell, s, role=role)
        self.y += h

    def _lane(self, lane: MapLane, fill: str) -> None:
        self._row(lane.name, [lane.cells[j] for j in self.chunk], fill)

    def _emotion(self) -> None:
        """The curves across the stage centres on the -2..+2 scale, its words in the label column."""
        s = self.small
        label_w = LABEL_WIDTH - 2 * PAD
        words = {v: wrap(f"{v:+d} {w}" if v else f"0 {w}", label_w, s) for v, w in EMOTION_LABELS.items()}
        step = max(max(len(lines) for lines in words.values()) * LINE * s + 2, 2.2 * LINE * s)
        title_h = LINE * self.size
        top = self.y + PAD + title_h + step / 2
        h = title_h + 5 * step + 2 * PAD
        self.rects.append(Rect(MARGIN, self.y, LABEL_WIDTH, h, LABEL_FILL, EDGE))
        self.rects.append(Rect(self.x_of(0), self.y, self.col * len(self.chunk), h, "FFFFFF", EDGE))
        self.text(MARGIN + PAD, self.y + PAD, label_w, "Emotion", self.size, True, role="label")

        def level(v: float) -> float:
            return top + (2 - v) * step

        for v, lines in words.items():
            y = level(v)
            self.texts.append(
                TextBox(
                    MARGIN + PAD,
                    y - len(lines) * LINE * s / 2,
                    max(text_width(line, s) for line in lines),
                    len(lines) * LINE * s,
                    tuple(lines),
                    s,
                    color="595959",
                    role="axis",
                )
            )
            grid_color = "8C8C8C" if v == 0 else "E0E0E0"
            self.rects.append(Rect(self.x_of(0), y - 0.3, self.col * len(self.chunk), 0.6, grid_color))
        for curve in self.m.curves:
            run: list[tuple[float, float]] = []
            for k, j in enumerate(self.chunk):
                value = curve.values[j]
                if value is None:
                    self._flush(run, curve.color, curve.dashed)
                    run = []
                    continue
                run.append((self.x_of(k) + self.col / 2, level(max(-2.0, min(2.0, value)))))
            self._flush(run, curve.color, curve.dashed)
        self.y += h

    def _flush(self, run: list[tuple[float, float]], color: str, dashed: bool) -> None:
        if run:
            self.curves.append(Polyline(tuple(run), color, dashed))

    def _pains(self) -> None:
        """Per stage, one chip per pain point (highest score first): "ID · score", then its description."""
        s = self.size
        inner = self.col - 2 * PAD - 2 * CHIP_PAD
        stacks = []
        for j in self.chunk:
            chips = []
            for p in self.m.pains_at(self.m.stages[j]):
                head = wrap(f"{p.id} \u00b7 {p.score:.0f}", inner, s, True)
                body = wrap(p.description, inner, s)
                chips.append((p, head, body, (len(head) + len(body)) * LINE * s + 2 * CHIP_PAD))
            stacks.append(chips)
        label = "Pain points (ID \u00b7 pain score)"
        label_h = len(wrap(label, LABEL_WIDTH - 2 * PAD, s, True)) * LINE * s
        tallest = max([sum(c[3] + 2 for c in chips) for chips in stacks] + [label_h + 2, LINE * s + 2])
        h = tallest + 2 * PAD
        self.rects.append(Rect(MARGIN, self.y, LABEL_WIDTH, h, LABEL_FILL, EDGE))
        self.text(MARGIN + PAD, self.y + PAD, LABEL_WIDTH - 2 * PAD, label, s, True, role="label")
        for k, chips in enumerate(stacks):
            x = self.x_of(k)
            self.rects.append(Rect(x, self.y, self.col, h, "FFFFFF", EDGE))
            y = self.y + PAD
            if not chips:
                self.text(x + PAD, y, self.col - 2 * PAD, "none", s, color="7F7F7F", role="cell")
            for p, _head, _body, chip_h in chips:
                share = p.score / self.m.pain_max if self.m.pain_max else 0.0
                fill = heat_color(share)
                ink = "FFFFFF" if share > 0.6 else "000000"
                self.rects.append(Rect(x + PAD, y, self.col - 2 * PAD, chip_h, fill, "7F7F7F"))
                tx = x + PAD + CHIP_PAD
                ty = y + CHIP_PAD
                hb = self.text(tx, ty, inner, f"{p.id} \u00b7 {p.score:.0f}", s, True, color=ink, role="pain-id")
                self.text(tx, ty + hb.h, inner, p.description, s, color=ink, role="pain")
                y += chip_h + 2
        self.y += h

    def _moments(self) -> None:
        cells = [self.m.evidence[j].moment for j in self.chunk]
        if any(cells):
            self._row("Moments of truth", [f"{MOMENT} {c}" if c else None for c in cells], "FFF4E5", role="moment")

    def _evidence(self) -> None:
        cells = ["\n".join(evidence_lines(self.m.evidence[j])) for j in self.chunk]
        self._row("Evidence", list(cells), "FFFFFF", size=self.small, role="evidence")
