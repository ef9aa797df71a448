"""The regenerated demo on paper, as LibreOffice prints it (xlsx -> PDF): the five output sheets on at
most 11 A4 landscape pages, no chart or picture cut by a page edge, the chart-data block not printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.core.contract import GENERATED_BANNER, OUTPUT_SHEETS, HistoryCol
from addin.frontends.cli import main as cli
from tests.conftest import libreoffice_convert, needs_libreoffice

from .pdf_drawings import drawings, page_texts

MAX_PAGES = 11
"""Validation 1, Heatmap 3 (its last tables: evidence per touchpoint, importance-performance per touchpoint
and by stage, the key drivers), Priorities 1, Dashboard 2, Map 4."""


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.slow
def test_demo_prints_its_output_sheets_on_few_pages_and_cuts_no_drawing(shop: Path, tmp_path: Path) -> None:
    assert cli(["regenerate", "--quiet", str(shop)]) in (0, 1)
    pdf = libreoffice_convert(shop, "pdf", tmp_path)
    texts = page_texts(pdf)
    banner = GENERATED_BANNER[:40]
    starts = [i + 1 for i, t in enumerate(texts) if banner in " ".join(t.split())]
    assert len(starts) == len(OUTPUT_SHEETS), "each output sheet prints its banner once, on its first page"
    first = starts[0]
    # History (the appended sheet, after the replaced ones) prints last: its header row names the Fingerprint
    history = next(i + 1 for i, t in enumerate(texts) if i + 1 > starts[-1] and HistoryCol.FINGERPRINT.value in t)
    printed = history - first
    assert printed <= MAX_PAGES, f"the output sheets print on {printed} pages"
    assert len(texts) - history + 1 <= 2, "one snapshot of History prints on a page or two"
    assert not any("Chart data" in t for t in texts[first - 1 :]), "the chart-data block is outside the print area"
    found = drawings(pdf, first)
    cut = [d for d in found if d.cut]
    assert not cut, f"drawings cut by a page edge: {cut[:3]}"
    pictures = [d for d in found if d.kind == "image" and d.whole]
    assert len(pictures) >= 4, "the heatmap, the two Dashboard pictures and the map are printed whole"
