"""`python -m addin excel build|install`: the Excel add-in's commands, plugged into the main CLI.

The main CLI (`addin.frontends.cli`) calls `add_arguments` on its `excel` parser and
`run` with the parsed arguments; errors meant for the user are `AddinError`s, which it
prints as one sentence with their exit status (2).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from addin.core.errors import EXIT_OK

DEFAULT_ADDIN_DIR = Path("dist")
DEFAULT_TEMPLATE_DIR = Path("templates")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `build` and `install` sub-commands to the `excel` parser."""
    sub = parser.add_subparsers(dest="excel_command", metavar="{build,install}")
    sub.required = True
    build = sub.add_parser(
        "build",
        help="build dist/JourneyMap.xlam and templates/journey-map.xlsm (works on any OS)",
        description="Build the Excel add-in (ribbon + VBA from macros/) and the macro-enabled template.",
    )
    build.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write both files into DIR (default: the add-in to ./dist, the template to ./templates)",
    )
    install = sub.add_parser(
        "install",
        help="install the add-in for this user and point it at this Python (Windows, macOS)",
        description="Copy the add-in to Excel's startup folder and set the Python interpreter it runs.",
    )
    install.add_argument("--dry-run", action="store_true", help="only print what would be done")


def run(args: argparse.Namespace) -> int:
    """Carry out `excel build` or `excel install`; returns the exit status."""
    if args.excel_command == "build":
        from addin.excel.build import build

        if args.out is not None:
            xlam, xlsm = build(args.out)
        else:
            xlam, xlsm = build(DEFAULT_ADDIN_DIR, DEFAULT_TEMPLATE_DIR)
        print(f"Built the add-in: {xlam}")
        print(f"Built the macro-enabled template: {xlsm}")
        return EXIT_OK
    if args.excel_command == "install":
        from addin.excel.install import install

        print(install(dry_run=args.dry_run))
        return EXIT_OK
    raise ValueError(f"unknown excel command {args.excel_command!r}")  # argparse prevents this
