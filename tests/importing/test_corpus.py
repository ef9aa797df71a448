"""Every layout of the corpus imports to the journey a person reads in it, passes `check` and regenerates."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest

from addin.adapters.source_reader import read_source
from addin.adapters.xlsx_reader import read_workbook
from addin.core import pipeline
from addin.core.contract import Lane, Sheet
from addin.core.importing import import_sources
from addin.core.validation import validate
from addin.frontends.batch import check_one, regenerate_one
from addin.frontends.cli import main
from tests.compat.checks import all_problems
from tests.conftest import libreoffice_convert, needs_libreoffice
from tests.importing.corpus import LAYOUTS, Layout


def _digest(paths: list[Path]) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_the_corpus_covers_every_pattern_of_the_issue() -> None:
    assert len(LAYOUTS) >= 12
    patterns = " ".join(layout.pattern for layout in LAYOUTS)
    for needle in (
        "merged title",
        "title rows",
        "stages down",
        "one row per touchpoint",
        "CSV",
        "two sheets",
        "on one sheet",
        "side by side",
        "emoji",
        "sentences",
        "Fill in",
        "TBD",
        "None captured",
        "1-5",
        "1-10",
        "High/Medium/Low",
        "semicolon",
        "newline",
        ".xlsm",
        "joined",
    ):
        assert needle in patterns, needle


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.key for layout in LAYOUTS])
def test_layout_imports_as_a_person_reads_it(layout: Layout, tmp_path: Path) -> None:
    sources = layout.write(tmp_path)
    journey = import_sources([read_source(p) for p in sources])
    assert journey.stages == layout.stages
    found = {name for name, values in journey.lanes.items() if any(v is not None for v in values)}
    assert layout.lanes <= found, f"lanes missing: {layout.lanes - found}"
    assert not found & {lane.value for lane in Lane} - layout.lanes, "a lane read that the map does not have"
    assert len(journey.pains) == layout.pains
    emotion = journey.lanes[Lane.EMOTION.value]
    assert len(emotion) == len(layout.emotion)
    for got, want in zip(emotion, layout.emotion, strict=True):
        assert (got is None and want is None) or math.isclose(got, want, abs_tol=0.01), (emotion, layout.emotion)
    assert [p["ID"] for p in journey.pains] == [f"P{i:02d}" for i in range(1, layout.pains + 1)]
    assert all(p["Stage"] in journey.stages for p in journey.pains)


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.key for layout in LAYOUTS])
def test_imported_workbook_passes_check_and_regenerates_a_heatmap(
    layout: Layout, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    sources = layout.write(src)
    before = _digest(sources)
    out = tmp_path / "imported.xlsx"
    assert main(["import", *map(str, sources), "--out", str(out)]) == 0
    assert _digest(sources) == before, "a source file changed"
    assert all_problems(out) == [], "openxml-audit, notes drawings or empty text cells"
    checked = check_one(out)
    errors = [f for f in checked.findings if f["severity"] == "error"]
    assert checked.status == 0 and not errors, errors
    raw = read_workbook(out)
    journey, _ = validate(raw)
    heatmap = pipeline.analyse(journey).heatmap
    assert sum(row.total for row in heatmap.rows) > 0
    done = regenerate_one(out, None, None)
    assert done.status == 0, done.message
    written = read_workbook(out, (Sheet.HEATMAP.value, Sheet.IMPORT.value))
    assert written.find(Sheet.HEATMAP) is not None and written.find(Sheet.IMPORT) is not None
    assert all_problems(out) == []
    assert _digest(sources) == before


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_reads_an_imported_workbook_as_imported(tmp_path: Path) -> None:
    layout = next(layout for layout in LAYOUTS if layout.key == "title-grid")
    sources = layout.write(tmp_path)
    out = tmp_path / "imported.xlsx"
    assert main(["import", *map(str, sources), "--out", str(out)]) == 0
    saved = libreoffice_convert(out, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    ours, theirs = read_workbook(out), read_workbook(saved)
    for sheet in (Sheet.JOURNEY, Sheet.PAIN_POINTS, Sheet.PERSONAS, Sheet.IMPORT):
        mine, lo = ours.find(sheet), theirs.find(sheet)
        assert mine is not None and lo is not None
        trim = [[v for v in row] for row in lo.rows[: len(mine.rows)]]
        assert [r[: len(mine.rows[0])] for r in trim] == [r[: len(mine.rows[0])] for r in mine.rows], sheet
