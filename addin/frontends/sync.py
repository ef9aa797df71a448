"""`python -m addin sync SPREADSHEET_ID...`: run the add-in on Google spreadsheets, once or on a schedule.

Each sync reads the input sheets, runs the core (`addin.core.pipeline.run`),
and writes the output sheets back. `--every 15m` repeats until SIGTERM or
Ctrl+C. A signal during a sync stops it at once (the request in flight is
abandoned) and the run exits 130, as after Ctrl+C; a signal while `--every`
waits for the next round ends the loop with the last round's status. Exit
status: 0 done (warnings allowed), 1 done but validation found errors, 2
nothing usable happened (credentials, API gave up, no Journey sheet, ...).
Each run (one round of `--every`) has a deadline for all its requests
(ADDIN_SHEETS_RUN_DEADLINE), each request one of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib
import json
import logging
import math
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, cast

import gspread

from addin.adapters.google_sheets import GoogleSpreadsheet, WriteReport, connect
from addin.adapters.sheets_http import (
    ENV_RUN_DEADLINE,
    CredentialsError,
    RetryPolicy,
    SheetsError,
    SheetsHTTPClient,
    load_credentials,
)
from addin.core.contract import Sheet
from addin.core.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, AddinError
from addin.core.model import Finding, RawWorkbook, RunResult, tally
from addin.core.results import RunSummary
from addin.core.words import counted, number
from addin.frontends.clock import now_utc

log = logging.getLogger(__name__)

Process = Callable[[RawWorkbook], RunResult]
"""What turns a raw workbook into findings and output sheets: the core pipeline, or a stand-in in tests."""

EXIT_STOPPED = 130
"""Exit status when SIGTERM or Ctrl+C stopped a sync in progress (the CLI's status after Ctrl+C)."""

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")


def parse_interval(text: str) -> float:
    """Seconds in an interval like 30s, 15m, 1h or 1h30m (argparse type)."""
    compact = text.strip().lower().replace(" ", "")
    parts = _INTERVAL.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise argparse.ArgumentTypeError(f"{text!r} is not an interval: write it like 30s, 15m, 1h or 1h30m.")
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds < 1:
        raise argparse.ArgumentTypeError("The interval must be at least 1 second.")
    return seconds


def spreadsheet_id(text: str) -> str:
    """A spreadsheet ID, also accepted as the spreadsheet's address (argparse type)."""
    text = text.strip()
    if "/" in text:
        try:
            return gspread.utils.extract_id_from_url(text)
        except gspread.exceptions.NoValidUrlKeyFound:
            raise argparse.ArgumentTypeError(f"{text!r} is not a Google Sheets address.") from None
    if not re.fullmatch(r"[A-Za-z0-9_-]+", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a spreadsheet ID (letters, digits, - and _).")
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `sync` command's arguments (the main CLI calls this on its `sync` sub-parser)."""
    parser.add_argument(
        "spreadsheets",
        nargs="+",
        type=spreadsheet_id,
        metavar="SPREADSHEET_ID",
        help="the ID (or address) of each Google spreadsheet to update",
    )
    parser.add_argument(
        "--credentials",
        metavar="FILE",
        help="service-account key (JSON); default: $GOOGLE_APPLICATION_CREDENTIALS",
    )
    parser.add_argument(
        "--every",
        type=parse_interval,
        metavar="INTERVAL",
        help="repeat every INTERVAL (30s, 15m, 1h) until stopped with SIGTERM or Ctrl+C",
    )
    existing = set(parser._option_string_actions)  # the main CLI may already offer these
    if "--json" not in existing:
        parser.add_argument("--json", action="store_true", help="print one JSON line per sync")
    if "--debug" not in existing:
        # SUPPRESS: absent here, the value parsed before the command (`python -m addin --debug sync`) stays
        parser.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help="log HTTP details and show tracebacks"
        )


# -------------------------------------------------------------------- one sync


@dataclass
class SyncOutcome:
    """The result of syncing one spreadsheet once."""

    spreadsheet: str
    status: int
    title: str = ""
    findings: list[Finding] = field(default_factory=list)
    summary: RunSummary | None = None
    report: WriteReport | None = None
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    error: str | None = None
    written: bool = False

    def as_json(self) -> dict[str, Any]:
        """The JSON line of `--json`."""
        errors, warnings = tally(self.findings)
        return {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "spreadsheet": self.spreadsheet,
            "title": self.title,
            "status": self.status,
            "written": self.written,
            "findings": {
                "errors": errors,
                "warnings": warnings,
                "list": [f.as_dict() for f in self.findings],
            },
            "requests": self.requests,
            "retries": self.retries,
            "seconds": round(self.seconds, 3),
            "error": self.error,
        }


def core_process() -> Process:
    """The core pipeline's `run` (imported late: a credentials problem should not wait for pandas).

    Evidence source files listed in the spreadsheet's EvidenceSources sheet are found relative to the
    folder the job runs in. Each run is taken at the time it starts, so History gets a snapshot.
    """
    pipeline = importlib.import_module("addin.core.pipeline")
    source_files = importlib.import_module("addin.adapters.source_files")
    return cast(Process, functools.partial(_run_now, pipeline.run, source_files.reader(Path.cwd())))


def _run_now(run: Callable[..., Any], sources: Any, raw: Any) -> Any:
    """One run, taken now (the History sheet keeps the time of each snapshot)."""
    return run(raw, sources=sources, taken=now_utc())


@dataclass
class Progress:
    """Which spreadsheet a run is busy with (for the sentence after a signal stopped it)."""

    book: GoogleSpreadsheet | None = None
    active: bool = False
    """True while a spreadsheet is being synced: a signal then stops the sync at once."""
    signum: int | None = None
    """The signal that asked the run to stop, if one did."""


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGINT arrived while a sync was in progress (a KeyboardInterrupt, so nothing swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signal_name = signal.Signals(signum).name
        self.sentence = f"Stopped by {self.signal_name}."
        self.spreadsheet: str | None = None


def stopped_sentence(exc: Stopped, progress: Progress) -> str:
    """One sentence on what a signal interrupted, and what state the spreadsheet is in."""
    book = progress.book
    how = f"Stopped by {exc.signal_name}"
    if book is None or book.phase == "done":
        return f"{how}."
    name = f"'{book.title}'" if book.title else book.spreadsheet_id
    if book.phase == "layout":
        return (
            f"{how} while Google applied the new layout of {name}; Google applies it whole or not at all, "
            "and the next sync rewrites the output sheets."
        )
    if book.phase == "values":
        return (
            f"{how} while writing the values of {name}: its output sheets may stay empty until the next sync; "
            "your input sheets were not touched."
        )
    return f"{how} while syncing {name}: nothing was written to it."


def sync_once(
    client: gspread.Client, target: str, process: Process, debug: bool = False, progress: Progress | None = None
) -> SyncOutcome:
    """Read, run and write one spreadsheet; every failure becomes an outcome with status 2."""
    started = time.monotonic()
    book = GoogleSpreadsheet(client, target)
    if progress is not None:
        progress.book = book
    before_sent, before_retries = book.stats.total, book.stats.retries
    outcome = SyncOutcome(target, EXIT_UNUSABLE)
    try:
        raw = book.read()
        outcome.title = book.title
        if raw.find(Sheet.JOURNEY) is None:
            outcome.error = (
                f"The spreadsheet '{book.title}' has no 'Journey' sheet, so it is not a journey workbook; "
                "nothing was written. Add the input sheets (Journey, Personas, PainPoints, "
                "Recommendations, Settings) or check the spreadsheet ID."
            )
        else:
            result = process(raw)
            outcome.findings = list(result.findings)
            outcome.summary = result.summary
            outcome.report = book.write(result.outputs)
            outcome.written = True
            outcome.status = EXIT_FINDINGS if result.errors else EXIT_OK
    except SheetsError as exc:
        outcome.error = exc.message
        if debug:
            log.debug("sync of %s failed", target, exc_info=True)
    except AddinError as exc:  # the core's own errors carry an exit status and a sentence
        outcome.status = exc.exit_code
        outcome.error = exc.message
        if debug:
            log.error("sync of %s failed", target, exc_info=True)
    except Exception as exc:  # anything else is a bug
        outcome.error = f"Unexpected error ({type(exc).__name__}: {exc}); nothing more was written."
        if debug:
            log.error("sync of %s failed", target, exc_info=True)
    outcome.requests = book.stats.total - before_sent
    outcome.retries = book.stats.retries - before_retries
    outcome.seconds = time.monotonic() - started
    return outcome


# -------------------------------------------------------------------- reporting


def describe(outcome: SyncOutcome) -> list[str]:
    """A few lines in business words about one sync."""
    name = f"'{outcome.title}'" if outcome.title else outcome.spreadsheet
    head = f"Spreadsheet {name}"
    if outcome.error is not None:
        return [f"{head}: not updated. {outcome.error}"]
    errors, warnings = tally(outcome.findings)  # the true numbers: the Validation sheet sums up long rules
    if errors:
        verdict = (
            f"updated, but {counted(errors, 'error')} and {counted(warnings, 'warning')} need attention "
            "(see the Validation sheet)"
        )
    elif warnings:
        verdict = f"updated; {counted(warnings, 'warning')} (see the Validation sheet)"
    else:
        verdict = "updated; no problems found"
    lines = [f"{head}: {verdict}."]
    report = outcome.report
    if report is not None:
        charts = report.charts_added + report.charts_updated
        what = f"  Wrote the output sheets with {charts} native chart(s)"
        if report.added_sheets:
            what += f"; new sheets: {', '.join(report.added_sheets)}"
        if report.pictures_skipped:
            what += f"; {report.pictures_skipped} picture(s) are not drawn in Google Sheets (charts stand in)"
        lines.append(what + ".")
    top = outcome.summary.top if outcome.summary else ()
    if top:
        first = top[0]
        title = first.title or "(no title)"
        lines.append(f"  Fix first: {first.id} {title} (score {number(first.score)}, {first.quadrant.value}).")
    retries = f", {outcome.retries} retried" if outcome.retries else ""
    lines.append(f"  {outcome.requests} request(s) to Google{retries}, {outcome.seconds:.1f} s.")
    return lines


def _emit(outcome: SyncOutcome, as_json: bool, out: TextIO, err: TextIO) -> None:
    if as_json:
        out.write(json.dumps(outcome.as_json(), default=str) + "\n")
    else:
        stream = err if outcome.status == EXIT_UNUSABLE else out
        stream.write("\n".join(describe(outcome)) + "\n")
    out.flush()


# -------------------------------------------------------------------- the command


@contextmanager
def stop_on_signals(stop: threading.Event, err: TextIO, progress: Progress | None = None) -> Iterator[None]:
    """SIGTERM and SIGINT set `stop`; during a sync (`progress.active`) they also raise `Stopped` at once.

    Raising from the handler interrupts a blocked read or a backoff sleep in the
    main thread. Old handlers come back afterwards.
    """

    def handler(signum: int, frame: Any) -> None:
        if progress is None:
            if not stop.is_set():
                err.write(f"Received {signal.Signals(signum).name}: stopping.\n")
            stop.set()
            return
        stop.set()
        if progress.signum is not None:
            return  # a second signal while the first one is being handled
        progress.signum = signum
        if progress.active:
            raise Stopped(signum)

    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_every(
    interval: float,
    one_round: Callable[[], int],
    stop: threading.Event,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run `one_round` now and then every `interval` seconds until `stop` is set; the last round's status.

    Rounds start on a fixed grid (now, now + interval, ...); a round that takes
    longer than the interval skips the starts it missed instead of piling up.
    """
    status = 0
    next_start = clock()
    while not stop.is_set():
        status = one_round()
        next_start += interval
        now = clock()
        if next_start <= now:
            next_start += math.ceil((now - next_start) / interval + 1e-9) * interval
        stop.wait(max(0.0, next_start - now))
    return status


def run(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    process: Process | None = None,
    stop: threading.Event | None = None,
    retry: RetryPolicy | None = None,
) -> int:
    """Carry out `sync` as parsed by `add_arguments`; returns the exit status (0, 1 or 2).

    `process`, `stop` and `retry` are for tests and embedding: the core step, the
    event that ends `--every`, and the retry policy (default from the environment).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    as_json = bool(getattr(args, "json", False))
    debug = bool(getattr(args, "debug", False))
    if debug:
        logging.basicConfig(level=logging.DEBUG, stream=err, format="%(asctime)s %(name)s %(message)s")
    try:
        credentials = load_credentials(args.credentials)
        client = connect(credentials, retry=retry)
    except CredentialsError as exc:
        _emit_setup_error(exc.message, args.spreadsheets, as_json, out, err)
        return exc.exit_code
    except SheetsError as exc:  # e.g. a malformed ADDIN_SHEETS_* setting
        _emit_setup_error(exc.message, args.spreadsheets, as_json, out, err)
        return exc.exit_code
    try:
        step = process or core_process()
    except ImportError as exc:
        _emit_setup_error(
            f"The add-in's core is missing from this installation ({exc}).",
            args.spreadsheets,
            as_json,
            out,
            err,
        )
        return EXIT_UNUSABLE

    http = cast(SheetsHTTPClient, client.http_client)
    progress = Progress()

    def one_round() -> int:
        worst = 0
        http.begin_run()
        try:
            for target in args.spreadsheets:
                if progress.signum is not None:  # a signal between two spreadsheets: the rest are not synced
                    stopped = Stopped(progress.signum)
                    stopped.sentence = f"Stopped by {stopped.signal_name} before syncing {target}: it was not updated."
                    stopped.spreadsheet = target
                    raise stopped
                left = http.run_time_left()
                if left is not None and left <= 0:
                    outcome = SyncOutcome(target, EXIT_UNUSABLE, error=_late(http))
                else:
                    progress.active = True
                    outcome = sync_once(client, target, step, debug, progress)
                    progress.active = False
                _emit(outcome, as_json, out, err)
                worst = max(worst, outcome.status)
        except Stopped as exc:
            if progress.active:
                exc.sentence = stopped_sentence(exc, progress)
                exc.spreadsheet = progress.book.spreadsheet_id if progress.book else None
            raise
        finally:
            progress.active = False
            progress.book = None
        return worst

    stop = stop or threading.Event()
    with stop_on_signals(stop, err, progress):
        try:
            status = one_round() if args.every is None else run_every(float(args.every), one_round, stop)
        except Stopped as exc:
            if as_json:
                target = exc.spreadsheet or args.spreadsheets[0]
                _emit(SyncOutcome(target, EXIT_STOPPED, error=exc.sentence), True, out, err)
            else:
                err.write(exc.sentence + "\n")
            return EXIT_STOPPED
    if progress.signum is not None:  # arrived between syncs: nothing was interrupted
        err.write(f"Received {signal.Signals(progress.signum).name}: stopping.\n")
    return status


def _late(http: SheetsHTTPClient) -> str:
    return (
        f"Not synced: the run used up its time ({http.deadlines.run:g} s, {ENV_RUN_DEADLINE}) on the "
        "spreadsheets before it."
    )


def _emit_setup_error(message: str, targets: Sequence[str], as_json: bool, out: TextIO, err: TextIO) -> None:
    if as_json:
        for target in targets:
            _emit(SyncOutcome(target, EXIT_UNUSABLE, error=message), True, out, err)
    else:
        err.write(message + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point: `python -m addin.frontends.sync SPREADSHEET_ID ...`."""
    parser = argparse.ArgumentParser(
        prog="python -m addin sync", description="Update Google spreadsheets with the add-in."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
