"""Render output sheets the way a person sees them: openpyxl file -> LibreOffice PDF -> PNG, and measure.

Shared by the render tests and `make_previews.py`. Needs LibreOffice (`soffice`) and poppler
(`pdftoppm`, `pdftotext`).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import Workbook
from openpyxl.chart.marker import Marker
from PIL import Image

from addin.adapters.xlsx_render import render
from addin.core.model import OutputSheet

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDF_ONE_PAGE_PER_SHEET = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def save_sheets(
    outputs: Sequence[OutputSheet],
    path: Path,
    hide: Collection[int] | None = None,
    legend: bool = True,
    tweak: Callable[[Any], None] | None = None,
) -> Path:
    """A workbook holding only `outputs`, rendered by the file writer.

    `hide`: indexes of chart series to draw invisibly (no line, marker or bar) while the chart keeps
    its frame, axes and titles: the twin to compare a render with. `legend=False` drops the legends,
    so a difference between twins can only come from the plot. `tweak` gets each openpyxl chart last.
    """
    wb = Workbook()
    wb.remove(wb.active)
    render(wb, list(outputs))
    for ws in wb.worksheets:
        for chart in ws._charts:
            if not legend:
                chart.legend = None
            for i, series in enumerate(chart.series):
                if hide is not None and i in hide:
                    props = series.graphicalProperties
                    props.solidFill = None
                    props.noFill = True
                    props.line.solidFill = None
                    props.line.noFill = True
                    series.marker = Marker(symbol="none")
                    series.dPt = []
            if tweak is not None:
                tweak(chart)
    wb.save(path)
    return path


def convert_many(paths: Sequence[Path], outdir: Path, fmt: str = PDF_ONE_PAGE_PER_SHEET) -> list[Path]:
    """Convert every file with one headless LibreOffice run (own profile); returns the PDFs in order."""
    assert SOFFICE, "LibreOffice is not installed"
    profile = Path("/tmp") / f"lo-render-{uuid.uuid4().hex}"
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt]
    cmd += ["--outdir", str(outdir), *map(str, paths)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [outdir / (p.stem + ".pdf") for p in paths]
    missing = [p.name for p in out if not p.exists()]
    assert proc.returncode == 0 and not missing, f"LibreOffice failed ({missing}): {proc.stdout} {proc.stderr}"
    return out


def page_image(pdf: Path, dpi: int, page: int = 1) -> Image.Image:
    """One PDF page as an RGB image."""
    prefix = pdf.with_name(f"{pdf.stem}-p{page}-{dpi}")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    with Image.open(prefix.with_suffix(".png")) as im:
        return im.convert("RGB")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    """Position on the page in PDF points (1/72 inch), origin top left."""


def words(pdf: Path, page: int = 1) -> list[Word]:
    """Every word pdftotext finds on a page, with its box."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [
        Word(html.unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in re.findall(pattern, out)
    ]


@dataclass(frozen=True)
class Drawn:
    """What one variant draws that its twin does not: how many pixels differ, and where."""

    pixels: int
    box: tuple[int, int, int, int] | None
    """(left, top, right, bottom) in pixels of the page image, or None when nothing differs."""


def drawn(with_it: Image.Image, without: Image.Image, threshold: int = 40) -> Drawn:
    """Pixels that differ clearly (any channel by more than `threshold`) between two renders of a page."""
    a = np.asarray(with_it, dtype=np.int16)
    b = np.asarray(without, dtype=np.int16)
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    diff = (np.abs(a[:h, :w] - b[:h, :w]) > threshold).any(axis=2)
    if a.shape[:2] != b.shape[:2]:  # a size change is itself a difference: count the extra area
        extra = a.shape[0] * a.shape[1] - h * w
        diff_count = int(diff.sum()) + abs(int(extra))
    else:
        diff_count = int(diff.sum())
    ys, xs = np.nonzero(diff)
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1) if len(xs) else None
    return Drawn(diff_count, box)


def ink(image: Image.Image, threshold: int = 235) -> np.ndarray:
    """Mask of pixels that are not (near) white."""
    return (np.asarray(image.convert("L")) < threshold).astype(bool)


def trim(image: Image.Image, margin: int = 12) -> Image.Image:
    """Crop to the non-white content, keeping a small white margin."""
    mask = ink(image, 250)
    ys, xs = np.nonzero(mask)
    if not len(xs):
        return image
    left, top = max(int(xs.min()) - margin, 0), max(int(ys.min()) - margin, 0)
    right, bottom = min(int(xs.max()) + margin + 1, image.width), min(int(ys.max()) + margin + 1, image.height)
    return image.crop((left, top, right, bottom))


def save_png(image: Image.Image, path: Path, max_bytes: int = 400_000, max_width: int = 1800) -> Path:
    """Save as PNG under `max_bytes`: full colour if it fits, else a 256-colour palette, shrinking last."""
    if image.width > max_width:
        image = image.resize((max_width, round(image.height * max_width / image.width)), Image.LANCZOS)
    image.save(path, optimize=True)
    while path.stat().st_size > max_bytes and image.width >= 600:
        image.convert("P", palette=Image.ADAPTIVE, colors=256).save(path, optimize=True)
        if path.stat().st_size <= max_bytes:
            break
        image = image.resize((round(image.width * 0.85), round(image.height * 0.85)), Image.LANCZOS)
    return path
