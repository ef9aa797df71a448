"""Drawings on the pages of a PDF, and how much of each is visible, read with PDFium (pypdfium2).

LibreOffice draws a chart or picture on every page whose rows it touches, clipped to that page's part:
one cut by a page edge shows partly on two pages. Here each drawing's bounds are intersected with its
clip path and the page, so a test can tell a whole drawing from a cut one.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

BIG = 50.0
"""Points: smaller objects are glyph pieces, markers and grid lines, not drawings."""


@dataclass(frozen=True)
class Drawing:
    page: int
    kind: str
    """"image" or "path"."""
    bounds: tuple[float, float, float, float]
    visible: tuple[float, float, float, float] | None
    """The part inside its clip path and the page; None when nothing of it shows."""

    @property
    def whole(self) -> bool:
        if self.visible is None:
            return False
        left, bottom, right, top = self.bounds
        v_left, v_bottom, v_right, v_top = self.visible
        return v_left - left < 1 and v_bottom - bottom < 1 and right - v_right < 1 and top - v_top < 1

    @property
    def cut(self) -> bool:
        """Partly visible: a page edge (or a print range) cuts through it."""
        return self.visible is not None and not self.whole


def _clip(obj: pdfium.PdfObject) -> tuple[float, float, float, float] | None:
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj.raw)
    if not clip:
        return None
    box: tuple[float, float, float, float] | None = None
    for i in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for j in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, i)):
            seg = pdfium_c.FPDFClipPath_GetPathSegment(clip, i, j)
            x, y = ctypes.c_float(), ctypes.c_float()
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            xs.append(x.value)
            ys.append(y.value)
        if xs:
            b = (min(xs), min(ys), max(xs), max(ys))
            box = b if box is None else (max(box[0], b[0]), max(box[1], b[1]), min(box[2], b[2]), min(box[3], b[3]))
    return box


def drawings(pdf: Path, first_page: int = 1) -> list[Drawing]:
    """Every image and every path at least BIG points wide and tall, from `first_page` (1-based) on."""
    doc = pdfium.PdfDocument(str(pdf))
    out = []
    for n in range(first_page - 1, len(doc)):
        page = doc[n]
        width, height = page.get_size()
        for obj in page.get_objects(max_depth=8):
            kind = {pdfium_c.FPDF_PAGEOBJ_IMAGE: "image", pdfium_c.FPDF_PAGEOBJ_PATH: "path"}.get(obj.type)
            if kind is None:
                continue
            left, bottom, right, top = obj.get_bounds()
            if right - left < BIG or top - bottom < BIG:
                continue
            c = _clip(obj) or (0.0, 0.0, width, height)
            vis = (max(left, c[0], 0.0), max(bottom, c[1], 0.0), min(right, c[2], width), min(top, c[3], height))
            shows = vis[2] - vis[0] >= 2 and vis[3] - vis[1] >= 2
            out.append(Drawing(n + 1, kind, (left, bottom, right, top), vis if shows else None))
    doc.close()
    return out


def page_texts(pdf: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(pdf))
    texts = []
    for page in doc:
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range())
    doc.close()
    return texts
