"""What the buttons of Excel's "Journey Map" ribbon tab run (through xlwings RunPython).

Each entry point finds the workbook itself (`xw.Book.caller()`), shows what it is doing
in the status bar, and tells the user in a message box when the workbook cannot be
used, in a sentence, never with a traceback. Every click starts a new Python process,
so this module imports nothing heavy at import time: xlwings, the core (pandas) and
matplotlib are imported inside the functions.
"""

from __future__ import annotations

import os
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import xlwings as xw

    from addin.core.model import Finding, RawWorkbook
    from addin.core.sources.gather import SourceReader

TITLE = "Journey Map"
HELP_URL_ENV = "ADDIN_HELP_URL"
NO_JOURNEY = (
    "This workbook has no 'Journey' sheet, so it is not a journey workbook yet. "
    "Click 'New journey' on the Journey Map tab to add the input sheets, then fill them in."
)
HELP_TEXT = (
    "Journey Map tab:\n"
    "- Validate: checks the input sheets and lists every problem on the Validation sheet.\n"
    "- Refresh all: rewrites the Validation, Heatmap, Priorities and Dashboard sheets.\n"
    "- New journey: adds the blank input sheets this workbook does not have yet.\n"
    "The user's manual is the README of the addin package."
)


def _caller() -> xw.Book:
    import xlwings as xw

    return xw.Book.caller()


@contextmanager
def _session(status: str) -> Iterator[xw.Book]:
    """The caller book, with `status` in the status bar until done and user errors shown in a box."""
    from addin.core.errors import AddinError, NoJourneySheet

    book = _caller()
    app = book.app
    app.status_bar = f"{TITLE}: {status}"
    try:
        yield book
    except NoJourneySheet:
        app.alert(NO_JOURNEY, title=TITLE, mode="critical")
    except AddinError as exc:
        app.alert(str(exc), title=TITLE, mode="critical")
    finally:
        app.status_bar = False  # give the status bar back to Excel


def _read(book: xw.Book) -> RawWorkbook:
    from addin.adapters.xlwings_book import read_book

    return read_book(book)


def _sources(book: xw.Book) -> SourceReader:
    """Evidence source files are found relative to the book's folder (the current folder for a new book)."""
    from addin.adapters.source_files import reader

    folder = Path(book.fullname).parent if book.fullname and Path(book.fullname).is_absolute() else Path.cwd()
    return reader(folder)


def _summary(findings: list[Finding]) -> str:
    from addin.core.model import tally

    errors, warnings = tally(findings)
    if not findings:
        return "No problems found."
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"Found {' and '.join(parts)}: see the Validation sheet, each row links to its cell."


def validate() -> None:
    """Validate the caller book and rewrite its Validation sheet; say what was found."""
    with _session("validating...") as book:
        from addin.adapters.xlwings_book import write_outputs
        from addin.core import pipeline
        from addin.core.contract import Sheet

        result = pipeline.run(_read(book), sources=_sources(book))
        write_outputs(book, [o for o in result.outputs if o.name == Sheet.VALIDATION.value])
        book.app.alert(_summary(result.findings), title=TITLE, mode="critical" if result.errors else "info")


def refresh_all() -> None:
    """Validate, analyse and rewrite every output sheet of the caller book."""
    with _session("refreshing the Validation, Heatmap, Priorities, Dashboard and History sheets...") as book:
        from addin.adapters.xlwings_book import write_outputs
        from addin.core import pipeline
        from addin.frontends.clock import now_utc

        result = pipeline.run(_read(book), sources=_sources(book), taken=now_utc())
        write_outputs(book, result.outputs)
        if result.errors:
            book.app.alert(_summary(result.findings), title=TITLE, mode="critical")


def new_journey() -> None:
    """Add the blank input sheets the caller book lacks; report which were added and which kept."""
    with _session("adding the input sheets...") as book:
        from addin.adapters.xlwings_book import add_input_sheets
        from addin.excel.blank import blank_input_sheets

        added, skipped = add_input_sheets(book, blank_input_sheets())
        lines = []
        if added:
            lines.append("Added: " + ", ".join(added) + ".")
        if skipped:
            lines.append("Already there, left as they are: " + ", ".join(skipped) + ".")
        if not added:
            lines.append("Nothing to add: this workbook has every input sheet.")
        book.app.alert("\n".join(lines), title=TITLE, mode="info")


def help_target() -> str | None:
    """Where the user's manual is: $ADDIN_HELP_URL, the README next to the package, or the package's URL."""
    url = os.environ.get(HELP_URL_ENV)
    if url:
        return url
    readme = Path(__file__).resolve().parents[2] / "README.md"
    if readme.is_file():
        return readme.as_uri()
    from importlib import metadata

    try:
        urls = metadata.metadata("addin").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, link = entry.partition(",")
        if label.strip().lower() in {"documentation", "homepage", "readme"} and link.strip():
            return link.strip()
    return None


def open_help() -> None:
    """Open the user's manual; when there is none to open, say in a box what each button does."""
    with _session("opening the help...") as book:
        target = help_target()
        if target is None or not webbrowser.open(target):
            book.app.alert(HELP_TEXT, title=TITLE, mode="info")
