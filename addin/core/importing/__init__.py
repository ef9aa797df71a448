"""Import the journey maps and tables people already have (`python -m addin import`): pure, no files.

Each source workbook (an adapter read it: every sheet, or a CSV file as one sheet) is split into
tables (`blocks`); each table is tried against the layouts in `layouts.LAYOUTS`, in order; the
parts are joined into one journey (`join`), every decision written down with the cell it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from addin.core.contract import Lane, norm
from addin.core.errors import UnusableWorkbook
from addin.core.importing.blocks import find_blocks
from addin.core.importing.join import choose_grid, join
from addin.core.importing.layouts import LAYOUTS, Context
from addin.core.importing.model import Decision, ImportedJourney, Part
from addin.core.importing.vocabulary import DEFAULT_FREQUENCY, DEFAULT_SEVERITY
from addin.core.model import RawWorkbook
from addin.core.words import counted

__all__ = ["LOOKED_FOR", "ImportedJourney", "import_sources"]

DEFAULT = {"Severity": DEFAULT_SEVERITY, "Frequency": DEFAULT_FREQUENCY}
LOOKED_FOR = (
    "a journey grid (stages across the top, lanes such as Goals, Touchpoints, Emotion or Pain points down the "
    "side, or the same transposed), a table with a Stage column, or a pain-point table with Severity or Frequency"
)


def import_sources(
    sources: list[RawWorkbook], *, sheet: str | None = None, synonyms: Mapping[str, Lane] | None = None
) -> ImportedJourney:
    """One journey from all sources. Raises `UnusableWorkbook` (one sentence) when nothing in them is a journey."""
    ctx = Context(dict(synonyms or {}))
    decisions: list[Decision] = []
    parts: list[Part] = []
    if sheet is not None and not any(norm(t) == norm(sheet) for book in sources for t in book.sheets):
        having = "; ".join(f"{book.source}: {', '.join(book.sheets)}" for book in sources if any(book.sheets))
        raise UnusableWorkbook(f"No source has a sheet named '{sheet}' (they have: {having}).", sheet=sheet)
    for book in sources:
        file = Path(book.source).name
        found: list[Part] = []
        titles = [t for t in book.sheets if sheet is None or norm(t) == norm(sheet)]
        if sheet is not None and not titles and len(book.sheets) > 1:
            decisions.append(Decision(file, "", f"has no sheet named '{sheet}': all its sheets were read"))
        for title in titles or list(book.sheets):
            for block in find_blocks(file, book.sheets[title]):
                part = next((p for layout in LAYOUTS if (p := layout.read(block, ctx)) is not None), None)
                if part is None:
                    decisions.append(
                        Decision(
                            block.where,
                            "",
                            "not read: none of the layouts fits this table",
                            "Copy anything you need from it by hand.",
                        )
                    )
                else:
                    found.append(part)
        if not found:
            raise UnusableWorkbook(f"{book.source}: found no journey in it; looked for {LOOKED_FOR}.", path=book.source)
        parts.extend(choose_grid(file, found, decisions))
    name = _name(parts, decisions)
    journey = join(parts, name, decisions)
    summary = []
    total = len(journey.pains)
    for col, n in journey.assumed.items():
        if n:
            summary.append(
                Decision(
                    "",
                    "PainPoints",
                    f"{col} assumed ({DEFAULT[col]}) for {n:,} of {counted(total, 'pain point')}",
                    f"rate them in PainPoints ({col} 1-5)",
                )
            )
    journey.decisions[:0] = summary
    return journey


def _name(parts: list[Part], decisions: list[Decision]) -> str:
    """The journey's name: the first title above the main table, else the file name."""
    base = next((p for p in parts if p.is_grid), parts[0])
    if base.block.titles:
        origin, title = base.block.titles[0]
        decisions.append(Decision(str(origin), "Settings Journey name", f"'{title}' taken as the journey's name"))
        return title[:100]
    return Path(base.block.file).stem.replace("_", " ")
