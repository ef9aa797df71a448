"""`python -m addin map` and `regenerate --pdf` as a user runs them, checked with independent readers:
poppler (pdfinfo, pdftotext) for the PDFs and tesseract for the PNG."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from addin.adapters.xlsx_reader import read_workbook
from addin.core.contract import Col
from addin.core.pipeline import journey_results

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("online-shop", "saas-onboarding")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed")


def addin(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "addin", *map(str, args)], capture_output=True, text=True, timeout=300, env=env
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], capture_output=True, text=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def journey_of(path: Path):  # type: ignore[no-untyped-def]
    journey, _result = journey_results(read_workbook(path))
    return journey


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_poppler
@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_map_pdf_is_one_page_with_every_stage_and_every_pain_point(
    example: str, example_files: dict[str, Path], tmp_path: Path
) -> None:
    book = tmp_path / f"{example}.xlsx"
    shutil.copyfile(example_files[example], book)
    before = digest(book)
    done = addin("map", book, "--out", tmp_path / "map.pdf")
    assert done.returncode == 0, done.stderr
    assert digest(book) == before, "map writes nothing into the workbook"
    pdf = tmp_path / "map.pdf"
    assert pdf_pages(pdf) == 1
    text = squash(pdf_text(pdf))
    journey = journey_of(book)
    for stage in journey.stages:
        assert squash(stage) in text, stage
    for pid, desc in zip(journey.pain_points[Col.ID], journey.pain_points[Col.DESCRIPTION], strict=True):
        assert squash(f"{pid} ·") in text and squash(desc) in text, pid
    assert "\u2026" not in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "TrueType" in fonts and "Type 3" not in fonts


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_ocr_of_the_png_reads_every_stage_name(example: str, example_files: dict[str, Path], tmp_path: Path) -> None:
    png = tmp_path / "map.png"
    done = addin("map", example_files[example], "--out", png)
    assert done.returncode == 0, done.stderr
    ocr = subprocess.run(["tesseract", str(png), "-"], capture_output=True, text=True).stdout
    for stage in journey_of(example_files[example]).stages:
        assert squash(stage) in squash(ocr), f"OCR did not read {stage!r}"


@needs_poppler
@pytest.mark.slow
def test_persona_view_shows_its_weight_and_leaves_out_other_personas_pain(
    example_files: dict[str, Path], tmp_path: Path
) -> None:
    book = example_files["online-shop"]
    pdf = tmp_path / "parent.pdf"
    done = addin("map", book, "--persona", "  busy PARENT ", "--out", pdf)
    assert done.returncode == 0, done.stderr
    text = pdf_text(pdf)
    assert "Persona: Busy parent (55 % of customers)" in text
    pains = journey_of(book).pain_points
    theirs = pains[pains[Col.PERSONA] == "Bargain hunter"][Col.DESCRIPTION]
    mine = pains[pains[Col.PERSONA] == "Busy parent"][Col.DESCRIPTION]
    assert len(theirs) and len(mine)
    assert all(squash(d) not in squash(text) for d in theirs)
    assert all(squash(d) in squash(text) for d in mine)
    svg = tmp_path / "web.svg"
    assert addin("map", book, "--channel", "web", "--out", svg).returncode == 0
    assert "Channel: Web" in svg.read_text(encoding="utf-8")


def test_unknown_persona_or_format_writes_nothing_and_says_why(example_files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    done = addin("map", example_files["online-shop"], "--persona", "Nobody", "--out", out)
    assert done.returncode == 2 and not out.exists()
    assert "no persona 'Nobody'" in done.stderr and "Busy parent, Bargain hunter" in done.stderr
    assert "Traceback" not in done.stderr
    done = addin("map", example_files["online-shop"], "--out", tmp_path / "x.docx")
    assert done.returncode == 2 and ".pdf, .svg or .png" in done.stderr
    done = addin("map", tmp_path / "missing.xlsx", "--out", out)
    assert done.returncode == 2 and "missing.xlsx" in done.stderr and not out.exists()


@needs_poppler
@pytest.mark.slow
def test_regenerate_pdf_gives_the_map_then_charts_and_priorities(shop: Path, tmp_path: Path) -> None:
    done = addin("regenerate", shop, "--pdf", tmp_path / "pdf")
    assert done.returncode in (0, 1), done.stderr
    pdf = tmp_path / "pdf" / "shop.pdf"
    assert pdf_pages(pdf) == 2, "one page for the map, one for the charts and priorities"
    first = squash(pdf_text(pdf, 1))
    journey = journey_of(shop)
    assert all(squash(s) in first for s in journey.stages)
    assert all(squash(d) in first for d in journey.pain_points[Col.DESCRIPTION])
    assert squash("evidence from 1 Jan 2026 to 31 Dec 2026") in first
    assert squash("Pain score:") in first and squash("moment of truth") in first
    second = pdf_text(pdf, 2)
    assert re.search(r"Top \d+ priorities", second) and "Emotion curve per persona" in second
    assert squash("Fixes P06 (pain 100)") in squash(second), "the top priority's rationale is printed"


def test_map_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\nfrom addin.frontends.cli import main\n"
        "try:\n    main(['map', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('matplotlib', 'pandas', 'openpyxl') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert "--persona" in done.stdout and "HEAVY []" in done.stdout
