"""The Dashboard's charts and pictures are drawn when LibreOffice renders them, as a person would see them.

Each chart is rendered alone on a copy of the regenerated online-shop Dashboard, next to a twin whose
series are invisible (same frame, axes, titles; legends off in both). What differs between the two is
what the series draw. A chart without data, or with a series nobody can see, differs by (almost)
nothing and fails; the detector is itself tested on such charts. Pictures are compared with a twin
holding a blank picture of the same size.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from addin.adapters.xlsx_reader import read_workbook
from addin.core import pipeline
from addin.core.model import ChartSpec, OutputSheet, Picture, Ref, Series
from tests.conftest import needs_libreoffice
from tests.render.lo_render import Drawn, convert_many, drawn, page_image, save_sheets, words

DPI = 100
CM = DPI / 2.54
MIN_CHART_PIXELS = 400
"""A chart's series together draw at least this many pixels at 100 dpi (a blank chart draws 0)."""
MIN_POINT_PIXELS = 40
"""Every series draws at least this many pixels per point it has (an 8-point marker is about 90 at
100 dpi; the unfilled markers of the old scatter chart drew about 15)."""

pytestmark = [needs_libreoffice, pytest.mark.libreoffice]


def _blank_figure(width_px: int, height_px: int) -> Callable[[], Any]:
    def draw() -> Any:
        from matplotlib.figure import Figure

        return Figure(figsize=(width_px / 100, height_px / 100), dpi=100, facecolor="white")

    return draw


class Renders:
    """Variants of the Dashboard, converted by one LibreOffice run; page images made on demand."""

    def __init__(self, dash: OutputSheet, folder: Path) -> None:
        self.dash = dash
        self.folder = folder
        self.files: dict[str, Path] = {}
        self._images: dict[str, Image.Image] = {}

    def add(self, key: str, sheet: OutputSheet, hide: set[int] | None = None, tweak: Any = None) -> None:
        self.files[key] = save_sheets([sheet], self.folder / f"{key}.xlsx", hide=hide, legend=False, tweak=tweak)

    def points(self, series: Series) -> int:
        """How many values a series has on the Dashboard (empty cells draw nothing)."""
        ref = series.values
        cells = self.dash.cells
        return sum(
            cells.get((r, c)) is not None and cells[(r, c)].value is not None
            for r in range(ref.first_row, ref.last_row + 1)
            for c in range(ref.first_col, ref.last_col + 1)
        )

    def convert(self) -> None:
        convert_many(list(self.files.values()), self.folder)

    def pdf(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def image(self, key: str) -> Image.Image:
        if key not in self._images:
            self._images[key] = page_image(self.pdf(key), DPI)
        return self._images[key]

    def diff(self, key: str, twin: str) -> Drawn:
        return drawn(self.image(key), self.image(twin))


def old_scatter_markers(chart: Any) -> None:
    """What the file writer used to make of scatter points: markers without a fill over a hidden
    line, and no varyColors element (LibreOffice draws them as specks).
    """
    from openpyxl.chart.marker import Marker

    series = chart.series[0]
    if series.marker is not None and series.marker.symbol != "none":
        series.marker = Marker(symbol="circle", size=9)
        series.dPt = []
    chart.varyColors = None


def broken_chart(dash: OutputSheet) -> ChartSpec:
    """The pain chart pointed at cells that hold nothing."""
    chart = next(c for c in dash.charts if c.name == "addin_pain")
    empty = Ref(dash.name, 300, 2, 305, 2)
    return dataclasses.replace(chart, name="broken", series=(Series("Nothing", empty),), categories=empty)


@pytest.fixture(scope="module")
def renders(example_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Renders:
    result = pipeline.run(read_workbook(example_files["online-shop"]))
    dash = next(o for o in result.outputs if o.name == "Dashboard")
    r = Renders(dash, tmp_path_factory.mktemp("dashboard-render"))
    bare = dataclasses.replace(dash, charts=[], pictures=[])
    for chart in dash.charts:
        alone = dataclasses.replace(bare, charts=[chart])
        everything = set(range(len(chart.series)))
        r.add(f"{chart.name}-on", alone)
        r.add(f"{chart.name}-off", alone, hide=everything)
        for i in everything:
            r.add(f"{chart.name}-without-{i}", alone, hide={i})
    broken = dataclasses.replace(bare, charts=[broken_chart(dash)])
    r.add("broken-on", broken)
    r.add("broken-off", broken, hide={0})
    matrix = dataclasses.replace(bare, charts=[next(c for c in dash.charts if c.name == "addin_matrix")])
    r.add("old-scatter-on", matrix, tweak=old_scatter_markers)
    r.add("old-scatter-off", matrix, hide={0}, tweak=old_scatter_markers)
    for picture in dash.pictures:
        blank = Picture(
            picture.name,
            picture.anchor,
            _blank_figure(picture.width_px, picture.height_px),
            picture.width_px,
            picture.height_px,
        )
        r.add(f"{picture.name}-on", dataclasses.replace(bare, pictures=[picture]))
        r.add(f"{picture.name}-off", dataclasses.replace(bare, pictures=[blank]))
    r.convert()
    return r


CHARTS = ["addin_emotion", "addin_pain", "addin_matrix", "addin_top10"]
PICTURES = ["addin_dashboard_heatmap", "addin_priority_matrix"]


def chart(renders: Renders, name: str) -> ChartSpec:
    return next(c for c in renders.dash.charts if c.name == name)


def test_the_dashboard_has_the_charts_and_pictures_these_tests_cover(renders: Renders) -> None:
    assert [c.name for c in renders.dash.charts] == CHARTS
    assert sorted(p.name for p in renders.dash.pictures) == sorted(PICTURES)


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_draws_its_data_inside_its_frame(renders: Renders, name: str) -> None:
    spec = chart(renders, name)
    d = renders.diff(f"{name}-on", f"{name}-off")
    assert d.pixels >= MIN_CHART_PIXELS, f"{name} draws only {d.pixels} pixels"
    assert d.box is not None
    left, top, right, bottom = d.box
    assert right - left <= spec.width_cm * CM and bottom - top <= spec.height_cm * CM


@pytest.mark.parametrize("name", CHARTS)
def test_every_series_can_be_seen(renders: Renders, name: str) -> None:
    spec = chart(renders, name)
    for i, series in enumerate(spec.series):
        d = renders.diff(f"{name}-on", f"{name}-without-{i}")
        need = MIN_POINT_PIXELS * renders.points(series)
        assert need and d.pixels >= need, f"{name}: series '{series.name}' draws {d.pixels} pixels, needs {need}"


def test_the_check_fails_a_chart_without_data(renders: Renders) -> None:
    assert renders.diff("broken-on", "broken-off").pixels < MIN_CHART_PIXELS


def test_the_check_fails_points_nobody_can_see(renders: Renders) -> None:
    """The old scatter chart's points, which LibreOffice drew as specks, fail the per-point check."""
    spec = chart(renders, "addin_matrix")
    d = renders.diff("old-scatter-on", "old-scatter-off")
    assert d.pixels < MIN_POINT_PIXELS * renders.points(spec.series[0])


def test_charts_sit_in_a_two_by_two_grid_without_overlap(renders: Renders) -> None:
    boxes = {}
    for name in CHARTS:
        box = renders.diff(f"{name}-on", f"{name}-off").box
        assert box is not None
        boxes[name] = box
    emotion, pain, matrix, top10 = (boxes[n] for n in CHARTS)
    assert emotion[2] < pain[0] and matrix[2] < top10[0]  # left column left of the right column
    assert emotion[3] < matrix[1] and pain[3] < top10[1]  # first row above the second


def test_emotion_chart_labels_its_stages_below_the_plot(renders: Renders) -> None:
    """Category labels at the bottom (not across the curves where the value axis is 0)."""
    box = renders.diff("addin_emotion-on", "addin_emotion-off").box
    assert box is not None
    pt = 72 / DPI
    _, top, right, bottom = (v * pt for v in box)
    stages = {"Awareness", "Consideration", "Purchase", "Delivery", "Loyalty"}
    in_chart = [w for w in words(renders.pdf("addin_emotion-on")) if w.y0 > top and w.x1 <= right + 40]
    labels = [w for w in in_chart if w.text in stages]
    assert {w.text for w in labels} == stages
    for w in labels:
        assert w.y0 >= bottom - 6, f"'{w.text}' is drawn inside the plot (y {w.y0:.0f} pt, plot bottom {bottom:.0f})"


@pytest.mark.parametrize("name", PICTURES)
def test_pictures_are_drawn_at_their_size(renders: Renders, name: str) -> None:
    picture = next(p for p in renders.dash.pictures if p.name == name)
    d = renders.diff(f"{name}-on", f"{name}-off")
    width, height = picture.width_px / 96 * DPI, picture.height_px / 96 * DPI
    assert d.box is not None
    left, top, right, bottom = d.box
    assert right - left <= width + 4 and bottom - top <= height + 4
    assert right - left >= 0.7 * width and bottom - top >= 0.7 * height
    assert d.pixels >= 0.05 * width * height, f"{name}: only {d.pixels} pixels drawn"


def test_pictures_sit_below_the_charts_side_by_side(renders: Renders) -> None:
    charts_bottom = max(renders.diff(f"{n}-on", f"{n}-off").box[3] for n in CHARTS)  # type: ignore[index]
    heat = renders.diff("addin_dashboard_heatmap-on", "addin_dashboard_heatmap-off").box
    matrix = renders.diff("addin_priority_matrix-on", "addin_priority_matrix-off").box
    assert heat is not None and matrix is not None
    assert heat[1] > charts_bottom and matrix[1] > charts_bottom
    assert heat[2] < matrix[0]
