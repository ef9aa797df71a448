"""`python -m addin import SOURCE... --out NEW.xlsx`: a new journey workbook from the maps and tables people have.

The sources are only read (never changed); the new workbook is written atomically and never over an
existing file unless `--force`. Exit status 0 done, 2 nothing usable found (one sentence says what was
looked for) or the output could not be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from addin.core.errors import EXIT_OK, EXIT_UNUSABLE, UnusableWorkbook


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help=".xlsx, .xlsm or .csv files")
    parser.add_argument("--out", type=Path, required=True, metavar="NEW.xlsx", help="the workbook to create")
    parser.add_argument(
        "--sheet", metavar="NAME", help="read only this sheet of each workbook that has it (the others whole)"
    )
    parser.add_argument(
        "--synonyms",
        type=Path,
        metavar="FILE",
        help="a CSV file of your own lane names: one 'label,lane' per line (e.g. 'Customer mood,Emotion')",
    )
    parser.add_argument("--json", action="store_true", help="print the decisions as a JSON array")
    parser.add_argument("--force", action="store_true", help="overwrite NEW.xlsx if it exists")


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        print(f"{out}: the new workbook must end in .xlsx.", file=sys.stderr)
        return EXIT_UNUSABLE
    if out.exists() and not args.force:
        print(f"{out} already exists; it was not changed. Use --force to overwrite it.", file=sys.stderr)
        return EXIT_UNUSABLE
    resolved = {p.resolve() for p in args.sources}
    if out.resolve() in resolved:
        print(f"{out} is one of the sources; import never writes over a source.", file=sys.stderr)
        return EXIT_UNUSABLE
    from addin.adapters.source_reader import read_csv, read_source
    from addin.core.importing import import_sources
    from addin.core.importing.vocabulary import read_synonyms

    synonyms = {}
    try:
        if args.synonyms is not None:
            synonyms = read_synonyms(read_csv(args.synonyms).sheets[""].rows, str(args.synonyms))
        books = [read_source(p) for p in args.sources]
        journey = import_sources(books, sheet=args.sheet, synonyms=synonyms)
    except UnusableWorkbook as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_UNUSABLE
    from addin.adapters.xlsx_file import atomic_path
    from addin.authoring import imported, template

    try:
        with atomic_path(out) as tmp:
            tmp.write_bytes(template.to_bytes(imported.build(journey)))
    except OSError as exc:
        print(f"Could not write {out}: {exc.strerror or exc}. Nothing was written.", file=sys.stderr)
        return EXIT_UNUSABLE
    if args.json:
        print(json.dumps([d.as_dict() for d in journey.decisions], indent=2, ensure_ascii=False))
        return EXIT_OK
    confirm = sum(1 for d in journey.decisions if d.confirm)
    print(
        f"Created {out}: {len(journey.stages)} stages, {len(journey.pains)} pain points, "
        f"{len(journey.decisions)} decisions on the Import sheet ({confirm} to confirm)."
    )
    for d in journey.decisions[:3]:
        if d.confirm and not d.origin:
            print(f"  {d.decision}: {d.confirm}.")
    print(f"  Next: python -m addin regenerate {out}")
    return EXIT_OK
