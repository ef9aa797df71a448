"""`python -m addin`: demo, new, check, regenerate, results, map, sync, excel. Thin wiring over the core and adapters.

Exit status: 0 done (warnings allowed); 1 done, but validation found errors; 2 the input could not be
used and nothing was written. Heavy libraries are imported only by the command that needs them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from addin import __version__
from addin.core.errors import EXIT_OK, EXIT_UNUSABLE
from addin.core.words import counted

DEMO_FILE = "journey-demo.xlsx"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser. The `sync` and `excel` front ends declare their own options, and their
    modules (gspread, xlwings) are imported only when `command` is theirs, so `--help` stays fast."""
    parser = argparse.ArgumentParser(
        prog="python -m addin",
        description="Customer journey map add-in: validate a journey workbook, find where the journey hurts, "
        "rank what to fix first, and write the results and charts back into the workbook.",
        epilog="Exit status: 0 done (warnings allowed), 1 done but validation found errors, "
        "2 the input could not be used (nothing was written).",
    )
    parser.add_argument("--version", action="version", version=f"addin {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = sub.add_parser(
        "demo",
        help="write journey-demo.xlsx (an example journey) here and regenerate it",
        description="Write journey-demo.xlsx, an example journey, into the current folder, regenerate it and say "
        "what it found. Needs no Excel, no Google account and no network.",
    )
    demo.add_argument("--example", default="online-shop", help="which example (default: online-shop)")
    demo.add_argument("--force", action="store_true", help=f"overwrite {DEMO_FILE} if it exists")

    new = sub.add_parser(
        "new",
        help="a new workbook from a template (blank, or an example)",
        description="Create a new journey workbook: the blank template (input sheets to fill in, with drop-down "
        "lists and notes) or a filled-in example. An existing file is never overwritten without --force.",
    )
    new.add_argument("out", type=Path, metavar="OUT", help="the .xlsx file to create")
    new.add_argument("--example", metavar="NAME", help="online-shop or saas-onboarding (default: blank)")
    new.add_argument("--force", action="store_true", help="overwrite OUT if it exists")

    check = sub.add_parser(
        "check",
        help="validate workbooks and print the findings; writes nothing",
        description="Validate journey workbooks and print every finding with its rule, sheet and cell, grouped by "
        "sheet. Reads only: the files keep their bytes and modification time.",
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="workbook files or folders")
    check.add_argument(
        "--json",
        action="store_true",
        help="print a JSON array of findings: file, severity, rule, sheet, cell, message, fix",
    )

    regen = sub.add_parser(
        "regenerate",
        help="validate, analyse and write the output sheets back",
        description="Validate and analyse journey workbooks and write the Validation, Heatmap, Priorities and "
        "Dashboard sheets and the Map back into each (in place, or into --out DIR); prints the findings as check does. "
        "Your input sheets are only read.",
    )
    regen.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="workbook files or folders")
    regen.add_argument("--out", type=Path, metavar="DIR", help="write copies into DIR instead of in place")
    regen.add_argument(
        "--jobs", type=_jobs, default=1, metavar="N", help="workbooks processed in parallel (1 or more; default 1)"
    )
    regen.add_argument("--png", type=Path, metavar="DIR", help="also save the pictures as PNG files in DIR")
    regen.add_argument("--pdf", type=Path, metavar="DIR", help="also write a stakeholder PDF per workbook into DIR")
    regen.add_argument("--quiet", action="store_true", help="print only problems")

    results = sub.add_parser("results", help="validate and analyse; print the results as JSON or save CSV tables")
    journey_map = sub.add_parser("map", help="draw the journey map into a PDF, SVG or PNG file; writes nothing else")
    sync = sub.add_parser("sync", help="the same against Google spreadsheets (scheduled job)")
    excel = sub.add_parser("excel", help="build or install the Excel add-in with its ribbon")
    imp = sub.add_parser("import", help="a new journey workbook from maps and tables you already have (.xlsx, .csv)")
    sources = sub.add_parser(
        "sources",
        help="connect survey exports and event logs to a workbook (sources add WORKBOOK FILE...)",
        description="Connect evidence where it lives (survey exports, analytics event logs) to a journey workbook.",
    )
    plugged = (
        ("results", results, "addin.frontends.results"),
        ("sync", sync, "addin.frontends.sync"),
        ("excel", excel, "addin.excel.cli"),
        ("import", imp, "addin.frontends.importing"),
        ("map", journey_map, "addin.frontends.map_command"),
        ("sources", sources, "addin.frontends.sources_cmd"),
    )
    for name, parser_of, module in plugged:
        if command == name:
            _plug(parser_of, module)
    return parser


def _jobs(text: str) -> int:
    """--jobs N: a whole number of worker processes, at least 1."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of workbooks to process at once; use 1 or more")
    return n


def _plug(parser: argparse.ArgumentParser, module: str) -> None:
    """Let a front end in another module declare its own options (imported only when present)."""
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        parser.set_defaults(plugin=None, plugin_missing=module)
        return
    mod.add_arguments(parser)
    parser.set_defaults(plugin=mod)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command)
    args = parser.parse_args(argv)
    with _signals_stop_the_run():
        return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        if args.command in ("demo", "check", "regenerate"):
            from addin.frontends import batch

            batch.DEBUG = args.debug  # with --debug, one file's unexpected error shows its traceback
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "new":
            return cmd_new(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "regenerate":
            return cmd_regenerate(args)
        plugin = getattr(args, "plugin", None)
        if plugin is None:
            print(
                f"This installation has no '{args.command}' command ({args.plugin_missing} is missing).",
                file=sys.stderr,
            )
            return EXIT_UNUSABLE
        return int(plugin.run(args))
    except KeyboardInterrupt:  # Ctrl+C, or SIGTERM (`Terminated`): the same status, as `sync` gives
        print("Stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _pipe_closed()
    except Exception as exc:
        from addin.core.errors import AddinError

        if args.debug:
            traceback.print_exc()
        if isinstance(exc, AddinError):
            print(exc.message, file=sys.stderr)
            return exc.exit_code
        print(f"Unexpected error: {exc}. Run again with --debug for details.", file=sys.stderr)
        return EXIT_UNUSABLE


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl+C is: the run stops, temporary files go, workers are ended."""

    def __init__(self, signum: int) -> None:
        super().__init__()
        self.signum = signum


@contextlib.contextmanager
def _signals_stop_the_run() -> Iterator[None]:
    """While a command runs, SIGTERM raises `Terminated` (only the main thread can set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _pipe_closed() -> int:
    """The reader of our output went away (`check | head`): end quietly, as a pipe-closed command does."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush then has nowhere to fail
    return 128 + signal.SIGPIPE if hasattr(signal, "SIGPIPE") else EXIT_UNUSABLE


# ---------------------------------------------------------------- commands


def cmd_new(args: argparse.Namespace) -> int:
    from addin.authoring import template
    from addin.authoring.examples import EXAMPLES

    out: Path = args.out
    if args.example and args.example not in EXAMPLES:
        print(f"There is no example '{args.example}'. Choose one of: {', '.join(EXAMPLES)}.", file=sys.stderr)
        return EXIT_UNUSABLE
    if out.suffix.lower() != ".xlsx":
        print(f"{out}: the new workbook must end in .xlsx.", file=sys.stderr)
        return EXIT_UNUSABLE
    if out.exists() and not args.force:
        print(f"{out} already exists; it was not changed. Use --force to overwrite it.", file=sys.stderr)
        return EXIT_UNUSABLE
    from addin.adapters.xlsx_file import atomic_path

    try:
        with atomic_path(out, overwrite=args.force) as tmp:
            template.save(template.build(args.example), tmp)
    except FileExistsError:  # made by someone else meanwhile
        print(f"{out} already exists; it was not changed. Use --force to overwrite it.", file=sys.stderr)
        return EXIT_UNUSABLE
    if args.example:
        print(
            f"Created {out} from the '{args.example}' example, already filled in. See the results with: "
            f"python -m addin regenerate {out}"
        )
    else:
        print(
            f"Created {out} from the blank template. Fill in the input sheets, then run: "
            f"python -m addin regenerate {out}"
        )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from addin.adapters.xlsx_file import atomic_path
    from addin.authoring import template
    from addin.frontends.batch import regenerate_one

    out = Path.cwd() / DEMO_FILE
    refusal = f"{out} already exists; it was not changed. Use --force to overwrite it."
    if out.exists() and not args.force:
        print(refusal, file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        with atomic_path(out, overwrite=args.force) as tmp:
            template.save(template.build(args.example), tmp)
    except FileExistsError:  # made by someone else meanwhile
        print(refusal, file=sys.stderr)
        return EXIT_UNUSABLE
    outcome = regenerate_one(out, None, None)
    if outcome.status == EXIT_UNUSABLE:
        print(outcome.message, file=sys.stderr)
        return outcome.status
    print(f"Wrote {out}")
    print(
        f"  an example journey ({args.example}), regenerated: {counted(outcome.errors, 'error')}, "
        f"{counted(outcome.warnings, 'warning')} (see the Validation sheet)."
    )
    for fact in outcome.key_facts:
        print(f"  {fact}")
    print("  Open it in Excel or LibreOffice: the Heatmap, Priorities and Dashboard sheets hold the results.")
    return outcome.status


def cmd_check(args: argparse.Namespace) -> int:
    from addin.frontends.batch import check_one, expand

    files = expand(args.paths)
    results = [check_one(f) for f in files]
    if args.json:
        print(json.dumps([row for r in results for row in _json_rows(r)], indent=2, ensure_ascii=False))
    else:
        for r in results:
            _print_check(r)
    sys.stdout.flush()  # a closed pipe shows here, inside the command, not at exit
    return max((r.status for r in results), default=EXIT_OK)


def _json_rows(r: object) -> list[dict[str, Any]]:
    """One object per finding: file, severity, rule, sheet, cell, message, fix and count (how many findings it
    stands for: 1, or the rows a summed-up line leaves out). An unusable file is one U01 error."""
    from addin.core.rules import Rule
    from addin.frontends.batch import CheckOutcome

    assert isinstance(r, CheckOutcome)
    if r.status == EXIT_UNUSABLE:
        print(r.message, file=sys.stderr)
        fix = "Nothing was read or written. Fix the file as the message says, then run again."
        return [
            dict(
                file=r.path,
                severity="error",
                rule=Rule.UNUSABLE_FILE.value,
                sheet="",
                cell="",
                message=r.message,
                fix=fix,
                count=1,
            )
        ]
    return [dict(file=r.path, **f) for f in r.findings]


def _print_check(r: object) -> None:
    from addin.core.model import tally
    from addin.frontends.batch import CheckOutcome

    assert isinstance(r, CheckOutcome)
    if r.status == EXIT_UNUSABLE:
        print(r.message, file=sys.stderr)
        return
    errors, warnings = tally(r.findings)  # the true numbers, though the lines are capped
    if not r.findings:
        print(f"{r.path}: no problems found.")
        return
    print(f"{r.path}: {counted(errors, 'error')}, {counted(warnings, 'warning')}.")
    for line in finding_lines(r.findings):
        print(line)


def finding_lines(findings: Sequence[Mapping[str, Any]]) -> list[str]:
    """The findings grouped by sheet, one line each with severity, rule, cell, message and fix, as `check` and
    `regenerate` print them. They come capped already (25 per rule and sheet, then one line with the count)."""
    by_sheet: dict[str, list[Mapping[str, Any]]] = {}
    for f in findings:
        by_sheet.setdefault(f["sheet"], []).append(f)
    lines = []
    for sheet, items in by_sheet.items():
        lines.append(f"  {sheet or '(workbook)'}:")
        for f in items:
            where = f"{f['cell']}: " if f["cell"] else ""
            lines.append(f"    {f['severity']:<7} {f['rule']} {where}{f['message']} Fix: {f['fix']}")
    return lines


def cmd_regenerate(args: argparse.Namespace) -> int:
    from addin.frontends.batch import expand, regenerate_many

    files = expand(args.paths)
    outcomes = regenerate_many(files, out_dir=args.out, png_dir=args.png, jobs=args.jobs, pdf_dir=args.pdf)
    for o in outcomes:
        if o.status == EXIT_UNUSABLE:
            print(o.message, file=sys.stderr)
        elif not args.quiet or o.status:
            print(o.message)
            for line in finding_lines(o.findings):
                print(line)
    sys.stdout.flush()
    return max((o.status for o in outcomes), default=EXIT_OK)
