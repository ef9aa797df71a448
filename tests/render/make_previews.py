"""Make the README's preview pictures: the regenerated online-shop example's Dashboard and Heatmap
sheets as LibreOffice draws them, cropped to what matters.

Usage: python tests/render/make_previews.py OUTDIR   (writes OUTDIR/dashboard.png and OUTDIR/heatmap.png)

Not a test. Needs LibreOffice and poppler. The Dashboard is cut left of its chart-data block, the
Heatmap above the other two heatmaps (the chosen heatmap, its legend, the per-stage rows and the
picture); both are trimmed to their content and saved as palette PNGs under 400 KB.
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

from addin.authoring import template  # noqa: E402
from addin.frontends.cli import main as cli  # noqa: E402
from tests.render.lo_render import convert_many, page_image, save_png, trim, words  # noqa: E402

DPI = 110


def page_with(pdf: Path, phrase: tuple[str, ...], pages: int) -> int:
    """The first page on which the words of `phrase` follow each other."""
    for page in range(1, pages + 1):
        texts = [w.text for w in words(pdf, page)]
        for i in range(len(texts) - len(phrase) + 1):
            if tuple(texts[i : i + len(phrase)]) == phrase:
                return page
    raise LookupError(f"no page shows {' '.join(phrase)!r}")


def first_word_pair(pdf: Path, page: int, first: str, second: str) -> tuple[float, float]:
    """Top-left corner (points) of the first place where `first` is followed by `second`."""
    ws = words(pdf, page)
    for a, b in itertools.pairwise(ws):
        if a.text == first and b.text == second:
            return a.x0, a.y0
    raise LookupError(f"{first} {second} not found on page {page}")


def make(outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "online-shop.xlsx"
        template.save(template.build("online-shop"), book)
        if cli(["regenerate", "--quiet", str(book)]) not in (0, 1):
            raise SystemExit("regenerate failed")
        (pdf,) = convert_many([book], Path(tmp))
        sheets = len(template.build("online-shop").sheetnames) + 4
        scale = DPI / 72

        page = page_with(pdf, ("Chart", "data", "(generated;"), sheets)
        image = page_image(pdf, DPI, page)
        x, _ = first_word_pair(pdf, page, "Chart", "data")
        dashboard = trim(image.crop((0, 0, int(x * scale) - 10, image.height)))

        page = page_with(pdf, ("Pain-point", "heatmap:"), sheets)
        image = page_image(pdf, DPI, page)
        _, y = first_word_pair(pdf, page, "Heatmap", "by")
        heatmap = trim(image.crop((0, 0, image.width, int(y * scale) - 8)))

        return [save_png(dashboard, outdir / "dashboard.png"), save_png(heatmap, outdir / "heatmap.png")]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for path in make(Path(sys.argv[1])):
        print(f"{path} ({path.stat().st_size / 1024:.0f} KB)")
