"""`python -m addin map PATH [--persona NAME] [--channel NAME] --out FILE.pdf|.svg|.png`: draw the journey
map of a workbook into a file; the workbook is only read. Also writes the stakeholder PDF that
`regenerate --pdf DIR` asks for (page 1 the map, page 2 the charts and the top priorities).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from addin.core.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE

if TYPE_CHECKING:  # pragma: no cover
    from addin.core.journey import Journey
    from addin.core.results import Results

FORMATS = (".pdf", ".svg", ".png")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, metavar="PATH", help="the workbook (.xlsx or .xlsm); it is only read")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--persona", metavar="NAME", help="the view of one persona (as in the Personas sheet)")
    who.add_argument("--channel", metavar="NAME", help="the view of one channel (as in PainPoints or Evidence)")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="FILE.pdf, FILE.svg or FILE.png (SVG/PNG: one per page)"
    )


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() not in FORMATS:
        print(f"{out}: the map is written as .pdf, .svg or .png; choose one of these endings.", file=sys.stderr)
        return EXIT_UNUSABLE
    journey, result, errors = read(args.path)
    from addin.core.journey_map.build import build_map, find_view

    view: dict[str, str] = {}
    for kind, name in (("persona", args.persona), ("channel", args.channel)):
        if name is None:
            continue
        found = find_view(journey, name)
        if found is None or found[0] != kind:
            print(_no_such(args.path, kind, name, journey), file=sys.stderr)
            return EXIT_UNUSABLE
        view[kind] = found[1]
    from addin.adapters.xlsx_file import atomic_path
    from addin.core.journey_map.layout import layout
    from addin.core.journey_map.render import save

    lay = layout(build_map(journey, result, **view))
    with atomic_path(out) as tmp:
        written = save(lay, tmp, out.suffix.lstrip("."))
        extra = written[1:]
    for i, path in enumerate(extra, start=2):  # SVG/PNG pages after the first sit next to the file
        path.replace(out.with_name(f"{out.stem}-{i}{out.suffix}"))
    pages = len(lay.pages)
    print(
        f"Wrote {out}: the journey map of {args.path} ({(view and next(iter(view.values()))) or 'all customers'}), "
        f"{pages} A4 landscape page{'s' if pages != 1 else ''}; text {lay.font_size:g} pt, "
        f"small print {lay.smallest:g} pt at 100 %."
    )
    if errors:
        print(f"  Validation found {errors} error(s); those rows are left out. Run: python -m addin check {args.path}")
    return EXIT_FINDINGS if errors else EXIT_OK


def read(path: Path) -> tuple[Journey, Results, int]:
    """The clean journey, its results, and how many validation errors left rows out."""
    from addin.adapters.source_files import reader
    from addin.adapters.xlsx_reader import read_workbook
    from addin.core.model import tally
    from addin.core.pipeline import journey_results

    journey, result = journey_results(read_workbook(path), reader(Path(path).resolve().parent))
    return journey, result, tally(result.findings)[0]


def _no_such(path: Path, kind: str, name: str, journey: Journey) -> str:
    from addin.core.journey_map.build import _personas, channels

    known = _personas(journey) if kind == "persona" else channels(journey)
    where = "the Personas sheet" if kind == "persona" else "the Channel columns of PainPoints and Evidence"
    listed = ", ".join(known) if known else "none"
    return f"{path}: there is no {kind} '{name}' in {where}. The {kind}s are: {listed}. Nothing was written."


def stakeholder_pdf(journey: Journey, result: Results, dest: Path) -> Path:
    """Page 1 the map of the whole journey (more pages only if it needs them), then the charts and the
    top priorities with their rationale. Written atomically."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from addin.adapters.xlsx_file import atomic_path
    from addin.core.journey_map.briefing import briefing_figure
    from addin.core.journey_map.build import build_map
    from addin.core.journey_map.layout import layout
    from addin.core.journey_map.render import RC, add_pages

    m = build_map(journey, result)
    meta = {"Creator": "Journey Map add-in", "CreationDate": None}
    # fonts are embedded when the file closes, so the rc settings (TrueType, not Type 3) hold until then
    with matplotlib.rc_context(RC), atomic_path(dest) as tmp, PdfPages(tmp, metadata=meta) as pdf:
        add_pages(pdf, layout(m).pages)
        pdf.savefig(briefing_figure(m, result))
    return dest
