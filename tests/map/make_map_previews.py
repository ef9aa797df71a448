"""Make the README's journey-map previews: the map of both examples and the online shop's view of one
persona, drawn by `python -m addin map` (PNG, 150 dpi), kept under 400 KB.

Usage: python tests/map/make_map_previews.py OUTDIR   (writes map-online-shop.png, map-saas-onboarding.png,
map-online-shop-busy-parent.png). Not a test.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

from PIL import Image  # noqa: E402

from addin.authoring import template  # noqa: E402
from addin.frontends.cli import main as cli  # noqa: E402
from tests.render.lo_render import save_png  # noqa: E402

VIEWS = (("online-shop", None), ("saas-onboarding", None), ("online-shop", "Busy parent"))


def make(outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        for example, persona in VIEWS:
            book = Path(tmp) / f"{example}.xlsx"
            template.save(template.build(example), book)
            name = f"map-{example}" + (f"-{persona.lower().replace(' ', '-')}" if persona else "")
            drawn = Path(tmp) / f"{name}.png"
            args = ["map", str(book), "--out", str(drawn)] + (["--persona", persona] if persona else [])
            if cli(args) != 0:
                raise SystemExit(f"map failed for {name}")
            made.append(save_png(Image.open(drawn).convert("RGB"), outdir / f"{name}.png"))
    return made


if __name__ == "__main__":
    for path in make(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "templates" / "preview")):
        print(path, path.stat().st_size)
