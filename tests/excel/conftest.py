"""Fixtures of the Excel front-end tests: the built add-in and template, and fake xlwings objects."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock, PropertyMock, create_autospec

import pytest
import xlwings as xw

from addin.excel.build import build


def pytest_configure(config: pytest.Config) -> None:
    # oletools still uses pyparsing's old names; that is its business, not ours.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:oletools.*")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(JourneyMap.xlam, journey-map.xlsm) built once into a temporary folder."""
    return build(tmp_path_factory.mktemp("excel-build"))


# ---------------------------------------------------------------- fake xlwings objects
#
# Every fake is `create_autospec(<real xlwings class>, instance=True, spec_set=True)`: a call
# or attribute xlwings does not have fails the test. State (cell values, sheets, pictures,
# charts) lives in the small Python classes below, wired in through side effects and
# PropertyMocks on each mock's own type.


def _spec(cls: type) -> Any:
    return create_autospec(cls, instance=True, spec_set=True)


def _parse_cell(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    assert m, f"unexpected cell reference {ref!r}"
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


class FakeSheet:
    """One sheet: its cells and the ranges, pictures and charts made on it."""

    def __init__(self, excel: FakeExcel, name: str) -> None:
        self.excel = excel
        self.cells: dict[tuple[int, int], Any] = {}
        self.ranges: list[tuple[tuple[int, int, int, int] | str, Any]] = []
        self.pictures: list[Any] = []
        self.charts: list[Any] = []
        self.cleared = 0
        self.mock = _spec(xw.Sheet)
        self.mock.name = name
        self.mock.range.side_effect = self._range
        self.mock.clear.side_effect = self._clear
        self.mock.delete.side_effect = lambda: excel.sheets.remove(self)
        type(self.mock).used_range = PropertyMock(side_effect=self._used_range)
        # Desktop xlwings has no freeze-panes implementation (only xlwings Server and Lite do).
        freeze = _spec(xw.main.FreezePanes)
        freeze.freeze_at.side_effect = NotImplementedError
        self.mock.freeze_panes = freeze
        pictures = _spec(xw.main.Pictures)
        pictures.__iter__.side_effect = lambda: iter(list(self.pictures))
        pictures.__len__.side_effect = lambda: len(self.pictures)
        pictures.add.side_effect = self._add_picture
        self.mock.pictures = pictures
        charts = _spec(xw.main.Charts)
        charts.__iter__.side_effect = lambda: iter(list(self.charts))
        charts.__len__.side_effect = lambda: len(self.charts)
        charts.__contains__.side_effect = lambda name: any(c.name == name for c in self.charts)
        charts.add.side_effect = self._add_chart
        self.mock.charts = charts

    @property
    def name(self) -> str:
        return str(self.mock.name)

    def values(self) -> list[list[Any]]:
        """The sheet's values as a dense grid from A1."""
        if not self.cells:
            return []
        rows = max(r for r, _ in self.cells)
        cols = max(c for _, c in self.cells)
        return [[self.cells.get((r, c)) for c in range(1, cols + 1)] for r in range(1, rows + 1)]

    def range_at(self, key: tuple[int, int, int, int] | str) -> list[Any]:
        """Every range mock made for these coordinates (or this address)."""
        return [rng for k, rng in self.ranges if k == key]

    def _clear(self) -> None:
        self.cells.clear()
        self.cleared += 1

    def _used_range(self) -> Any:
        if not self.cells:
            return self._make((1, 1, 1, 1))
        return self._make((1, 1, max(r for r, _ in self.cells), max(c for _, c in self.cells)))

    def _range(self, first: Any, second: Any = None) -> Any:
        if isinstance(first, str):
            if "," in first:
                rng = _spec(xw.Range)
                rng.address = first
                self.ranges.append((first, rng))
                return rng
            a, _, b = first.partition(":")
            r1, c1 = _parse_cell(a)
            r2, c2 = _parse_cell(b) if b else (r1, c1)
        else:
            r1, c1 = first
            r2, c2 = second if second is not None else first
        return self._make((r1, c1, r2, c2))

    def _make(self, key: tuple[int, int, int, int], ndim: int | None = None) -> Any:
        r1, c1, r2, c2 = key
        rng = _spec(xw.Range)
        rng.row, rng.column = r1, c1
        rng.font = _spec(xw.main.Font)

        def value(*args: Any) -> Any:
            if args:  # setter: a scalar, or a list of rows written from the top-left cell
                data = args[0]
                rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
                for i, row in enumerate(rows):
                    for j, v in enumerate(row):
                        if v is None:
                            self.cells.pop((r1 + i, c1 + j), None)
                        else:
                            self.cells[(r1 + i, c1 + j)] = v
                return None
            # as Excel reads it: a leading ' is the text prefix, not part of the value
            grid = [[_as_read(self.cells.get((r, c))) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
            if ndim == 2 or len(grid) > 1 or len(grid[0]) > 1:
                return grid
            return grid[0][0]

        type(rng).value = PropertyMock(side_effect=value)
        type(rng).last_cell = PropertyMock(side_effect=lambda: self._make((r2, c2, r2, c2)))
        rng.options.side_effect = lambda *a, **kw: self._make(key, kw.get("ndim"))
        self.ranges.append((key, rng))
        return rng

    def _add_picture(self, image: Any, **kwargs: Any) -> Any:
        picture = _spec(xw.Picture)
        picture.name = kwargs.get("name")
        picture.delete.side_effect = lambda: self.pictures.remove(picture)
        self.pictures.append(picture)
        return picture

    def _add_chart(self, **kwargs: Any) -> Any:
        chart = _spec(xw.main.Chart)
        chart.name = kwargs.get("name")
        chart.delete.side_effect = lambda: self.charts.remove(chart)
        source = kwargs["source"]
        columns = len(source.address.split(",")) if isinstance(source.address, str) else 1
        chart.series = [_spec(xw.main.ChartSeries) for _ in range(columns)]
        chart.category_axis = _spec(xw.main.ChartAxis)
        chart.value_axis = _spec(xw.main.ChartAxis)
        self.charts.append(chart)
        return chart


def _as_read(value: Any) -> Any:
    """A stored value as Range.value gives it back: text assigned with the ' prefix comes back without it."""
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


class FakeExcel:
    """A fake running Excel with one book: `book`, `app`, and the sheets' state."""

    def __init__(self, sheets: dict[str, list[list[Any]]] | None = None, name: str = "journey.xlsx") -> None:
        self.sheets: list[FakeSheet] = []
        self.app = _spec(xw.App)
        self.status_bar = PropertyMock(return_value=False)
        self.screen_updating = PropertyMock(return_value=True)
        type(self.app).status_bar = self.status_bar
        type(self.app).screen_updating = self.screen_updating
        self.app.api = MagicMock(name="COM Application")
        self.app.alert.return_value = "ok"
        collection = _spec(xw.main.Sheets)
        collection.__iter__.side_effect = lambda: iter([s.mock for s in self.sheets])
        collection.__len__.side_effect = lambda: len(self.sheets)
        collection.__getitem__.side_effect = self._getitem
        collection.__contains__.side_effect = lambda name: any(s.name == name for s in self.sheets)
        collection.add.side_effect = self._add
        type(collection).active = PropertyMock(side_effect=lambda: self.sheets[0].mock)
        self.book = _spec(xw.Book)
        self.book.name = name
        self.book.app = self.app
        self.book.sheets = collection
        for sheet_name, rows in (sheets or {}).items():
            sheet = FakeSheet(self, sheet_name)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    if value is not None:
                        sheet.cells[(r, c)] = value
            self.sheets.append(sheet)

    def sheet(self, name: str) -> FakeSheet:
        """The fake behind sheet `name`."""
        return next(s for s in self.sheets if s.name == name)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def _getitem(self, key: int | str) -> Any:
        if isinstance(key, int):
            return self.sheets[key].mock
        return self.sheet(key).mock

    def _add(self, name: str | None = None, before: Any = None, after: Any = None) -> Any:
        sheet = FakeSheet(self, name or f"Sheet{len(self.sheets) + 1}")
        if after is not None:
            index = [s.mock for s in self.sheets].index(after) + 1
        elif before is not None:
            index = [s.mock for s in self.sheets].index(before)
        else:
            index = 0
        self.sheets.insert(index, sheet)
        return sheet.mock


@pytest.fixture
def fake_excel() -> type[FakeExcel]:
    """The FakeExcel class, to build a fake running Excel with the sheets a test needs."""
    return FakeExcel
