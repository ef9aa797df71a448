"""`python -m addin sources add WORKBOOK FILE...`: recognise survey exports and event logs, and propose
the EvidenceSources rows that connect them, saying what was recognised and what to confirm."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from addin.core.errors import EXIT_OK, SourceError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare `sources add` (called by the CLI only when the command is `sources`)."""
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    add = verbs.add_parser(
        "add",
        help="recognise survey exports or event logs and add their rows to the workbook's EvidenceSources sheet",
        description="Recognise each FILE (Qualtrics, SurveyMonkey, Google Forms, Typeform, a feed of one answer "
        "per row, the Evidence layout, or an analytics event log), propose the EvidenceSources rows that "
        "connect it, write them into WORKBOOK and say what to confirm. Every later run reads the files again.",
    )
    add.add_argument("workbook", type=Path, metavar="WORKBOOK", help="the journey workbook (.xlsx or .xlsm)")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE", help="survey exports or event logs (.csv, .xlsx)")
    add.add_argument("--stage", metavar="NAME", help="the stage every answer of these files belongs to")
    add.add_argument("--touchpoint", metavar="NAME", help="the touchpoint every answer of these files belongs to")
    add.add_argument("--dry-run", action="store_true", help="print the proposal; write nothing")


def run(args: argparse.Namespace) -> int:
    """Propose, print, and (unless --dry-run) write the rows."""
    from addin.adapters import source_files
    from addin.adapters.xlsx_file import write_results
    from addin.adapters.xlsx_reader import check_usable, read_workbook
    from addin.core.contract import Sheet
    from addin.core.sources.evidence_sheet import merged_rows, sources_sheet
    from addin.core.sources.propose import propose

    workbook: Path = args.workbook
    check_usable(workbook, for_writing=not args.dry_run)
    raw = read_workbook(workbook, checked=True)
    journey = raw.find(Sheet.JOURNEY)
    stages = [str(v).strip() for v in (journey.rows[0][1:] if journey and journey.rows else []) if v is not None]
    folder = workbook.resolve().parent
    proposals = []
    for file in args.files:
        if not file.is_file():
            raise SourceError(f"{file} does not exist or is not a file; nothing was written.", path=str(file))
        head = source_files.read_head(file)
        header = source_files.detect_or_explain(head, str(file))
        written_as = _relative(file.resolve(), folder)
        proposals.append(
            propose(
                written_as,
                header,
                source_files.sample(file, header),
                stages,
                stage=args.stage,
                touchpoint=args.touchpoint,
            )
        )
    existing = raw.find(Sheet.EVIDENCE_SOURCES)
    rows, first_new = merged_rows(existing.rows if existing else [], [r for p in proposals for r in p.rows])
    for p in proposals:
        print(p.recognised)
        for line in p.confirm:
            print(f"  confirm {line}")
    added = len(rows) - 1 - first_new
    if args.dry_run:
        print(f"Would add {added} rows to the EvidenceSources sheet of {workbook} (--dry-run: nothing written).")
        return EXIT_OK
    if added:
        write_results(workbook, [sources_sheet(rows)])
    print(
        f"Added {added} rows to the EvidenceSources sheet of {workbook} (rows {first_new + 2}-{len(rows)}). "
        "Check the rows named above, then run: python -m addin regenerate " + str(workbook)
        if added
        else f"Nothing to add: {workbook} lists these sources already."
    )
    return EXIT_OK


def _relative(path: Path, folder: Path) -> str:
    """How the File cell names `path`: relative to the workbook's folder where possible, with '/'."""
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return str(path)
