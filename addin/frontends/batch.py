"""Batch work on workbook files: expand folders, check or regenerate each file, in parallel if asked.

Each file is handled by a plain function returning a small picklable outcome, so `--jobs N`
can hand files to worker processes.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.core.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, AddinError, UnusableWorkbook
from addin.core.words import counted

if TYPE_CHECKING:  # pragma: no cover
    from addin.core.model import RunResult

SUFFIXES = (".xlsx", ".xlsm")
OTHER_FORMATS = {".xls": "old .xls", ".xlsb": "Excel Binary .xlsb", ".ods": "OpenDocument .ods"}
"""Workbooks the add-in cannot read, named as a folder's message counts them."""
DEBUG = False
"""True (`--debug`): an unexpected error stops the batch with its traceback instead of being one file's outcome."""


@dataclass
class CheckOutcome:
    path: str
    status: int
    message: str = ""
    findings: list[dict[str, str | int]] = field(default_factory=list)


@dataclass
class RegenerateOutcome:
    path: str
    status: int
    message: str
    written: str | None = None
    errors: int = 0
    warnings: int = 0
    key_facts: list[str] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)
    findings: list[dict[str, str | int]] = field(default_factory=list)
    """Every finding as `check` reports it (capped per rule and sheet), for the console."""


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders become the workbooks directly inside them (lock and temp files skipped).

    A folder with no workbooks is kept as is, so the check reports it as unusable.
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.suffix.lower() in SUFFIXES and f.is_file() and not f.name.startswith(("~$", ".~addin-"))
            )
            out.extend(found or [p])
        else:
            out.append(p)
    return out


def _unusable_folder(path: Path) -> str:
    """Why a folder gave no workbooks to work on, and what to do when it holds workbooks of another format."""
    found = Counter(
        f.suffix.lower()
        for f in path.iterdir()
        if f.suffix.lower() in OTHER_FORMATS and f.is_file() and not f.name.startswith(("~$", ".~addin-"))
    )
    if not found:
        return f"{path} is a folder with no workbooks (.xlsx or .xlsm) in it."
    kinds = []
    for suffix, name in OTHER_FORMATS.items():
        if n := found[suffix]:
            kinds.append(f"{n} {name} workbook" + ("s" if n > 1 else ""))
    held = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    them = "them" if sum(found.values()) > 1 else "it"
    return (
        f"{path} is a folder with no .xlsx or .xlsm workbooks in it: it holds {held}. "
        f"Open {them} in Excel and save {them} as .xlsx (Excel Workbook), then run again."
    )


def check_one(path: Path) -> CheckOutcome:
    """Validate one file; never writes. Whatever goes wrong is this file's outcome, never the batch's."""
    from addin.adapters.source_files import reader
    from addin.adapters.xlsx_reader import read_workbook
    from addin.core.pipeline import check

    if path.is_dir():
        return CheckOutcome(str(path), EXIT_UNUSABLE, _unusable_folder(path))
    try:
        findings = check(read_workbook(path), sources=reader(path.resolve().parent))
    except UnusableWorkbook as exc:
        return CheckOutcome(str(path), EXIT_UNUSABLE, exc.message)
    except OSError as exc:
        return CheckOutcome(str(path), EXIT_UNUSABLE, _os_error(path, exc))
    except Exception as exc:  # one file's surprise must not stop the others (see DEBUG)
        if DEBUG:
            raise
        return CheckOutcome(str(path), EXIT_UNUSABLE, _unexpected(path, exc))
    status = EXIT_FINDINGS if any(f.severity.value == "error" for f in findings) else EXIT_OK
    return CheckOutcome(str(path), status, "", [f.as_dict() for f in findings])


def regenerate_one(
    path: Path, out_dir: Path | None, png_dir: Path | None, pdf_dir: Path | None = None
) -> RegenerateOutcome:
    """Validate, analyse and write the output sheets of one file (in place or into `out_dir`); with
    `pdf_dir`, also its stakeholder PDF there (`<name>.pdf`: the map, then the charts and priorities).

    Every place written to is checked first, so a status of 2 means nothing was written. Whatever goes
    wrong is this file's outcome and sentence, never the batch's.
    """
    if path.is_dir():
        return RegenerateOutcome(str(path), EXIT_UNUSABLE, _unusable_folder(path))
    try:
        return _regenerate(path, out_dir, png_dir, pdf_dir)
    except AddinError as exc:
        return RegenerateOutcome(str(path), EXIT_UNUSABLE, exc.message)
    except OSError as exc:
        return RegenerateOutcome(str(path), EXIT_UNUSABLE, _os_error(path, exc))
    except Exception as exc:
        if DEBUG:
            raise
        return RegenerateOutcome(str(path), EXIT_UNUSABLE, _unexpected(path, exc))


def _regenerate(
    path: Path, out_dir: Path | None, png_dir: Path | None, pdf_dir: Path | None = None
) -> RegenerateOutcome:
    from addin.adapters.file_guard import Snapshot, run_lock
    from addin.adapters.source_files import reader
    from addin.adapters.xlsx_file import prepare_folder, write_results
    from addin.adapters.xlsx_reader import check_usable, read_workbook
    from addin.core.pipeline import run
    from addin.frontends.clock import now_utc

    check_usable(path, for_writing=out_dir is None)
    if out_dir is not None:
        prepare_folder(out_dir, "the copies (--out)")
    if png_dir is not None:
        prepare_folder(png_dir, "the pictures (--png)")
    if pdf_dir is not None:
        prepare_folder(pdf_dir, "the stakeholder PDFs (--pdf)")
    dest = (out_dir / path.name) if out_dir else path
    with run_lock(dest):
        read = Snapshot.take(path)
        raw = read_workbook(path, checked=True)
        result = run(raw, sources=reader(path.resolve().parent), taken=now_utc())
        pictures = _draw_pictures(result.outputs, path.stem) if png_dir else []
        written = write_results(path, result.outputs, dest, read=read)
    try:
        saved = save_pictures(pictures, png_dir) if png_dir else []
    except OSError as exc:
        return RegenerateOutcome(
            str(path),
            EXIT_UNUSABLE,
            f"{written} was written, but its pictures could not be saved in {png_dir}: {exc.strerror or exc}.",
            str(written),
        )
    if pdf_dir is not None:
        try:
            saved.append(str(_stakeholder_pdf(result, pdf_dir / f"{path.stem}.pdf")))
        except OSError as exc:
            return RegenerateOutcome(
                str(path),
                EXIT_UNUSABLE,
                f"{written} was written, but its stakeholder PDF could not be saved in {pdf_dir}: "
                f"{exc.strerror or exc}.",
                str(written),
            )
    return regenerated(path, written, result, saved)


def regenerated(path: Path, written: Path, result: RunResult, pictures: list[str]) -> RegenerateOutcome:
    """What the console says about one regenerated file: counts, rows left out, the first key fact, findings."""
    errors, warnings = result.summary.errors, result.summary.warnings  # true numbers; the lines are capped
    status = EXIT_FINDINGS if errors else EXIT_OK
    facts = list(result.summary.key_facts)
    where = "" if written == path else f" -> {written}"
    message = f"{path}{where}: {counted(errors, 'error')}, {counted(warnings, 'warning')}."
    for left in result.left_out:
        message += " " + left.sentence()
    if facts:
        message += " " + facts[0]
    findings = [f.as_dict() for f in result.findings]
    return RegenerateOutcome(str(path), status, message, str(written), errors, warnings, facts, pictures, findings)


def _stakeholder_pdf(result: RunResult, dest: Path) -> Path:
    """The PDF of the run just written: the same journey and results, not a second reading and validation
    (which would also read every evidence source again)."""
    from addin.frontends.map_command import stakeholder_pdf

    assert result.journey is not None and result.results is not None, "pipeline.run keeps both"
    return stakeholder_pdf(result.journey, result.results, dest)


def _os_error(path: Path, exc: OSError) -> str:
    """One sentence for a file system error met while working on `path` (naming the file it concerns)."""
    where = Path(exc.filename) if exc.filename else path
    if where != path:
        return f"{path}: could not use {where} ({exc.strerror or exc}). Nothing was written to {path}."
    if isinstance(exc, PermissionError):
        return f"{path} cannot be read: permission denied. Ask its owner for access, then run again."
    return f"{path} cannot be read ({exc.strerror or exc}). Nothing was written to it."


def _unexpected(path: Path, exc: Exception) -> str:
    return (
        f"{path}: unexpected error ({type(exc).__name__}: {exc}); nothing was written to it. "
        "Run again with --debug for details."
    )


def _draw_pictures(outputs: Sequence[object], stem: str) -> list[tuple[str, bytes]]:
    """Every picture of the output sheets as (`<stem>-<picture>.png`, PNG bytes), drawn once."""
    from addin.core.model import OutputSheet

    drawn = []
    for sheet in outputs:
        assert isinstance(sheet, OutputSheet)
        for picture in sheet.pictures:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{stem}-{picture.name.removeprefix('addin_')}.png")
            drawn.append((name, picture.png()))
    return drawn


def save_pictures(pictures: Sequence[tuple[str, bytes]], png_dir: Path) -> list[str]:
    """Save drawn pictures into `png_dir` (each written whole, then renamed into place)."""
    from addin.adapters.xlsx_file import atomic_path

    saved = []
    for name, data in pictures:
        target = png_dir / name
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        saved.append(str(target))
    return saved


def regenerate_many(
    files: Sequence[Path], *, out_dir: Path | None, png_dir: Path | None, jobs: int, pdf_dir: Path | None = None
) -> list[RegenerateOutcome]:
    """Regenerate files in order; a progress bar on a terminal when there is more than one."""
    if out_dir is not None:
        names = [f.name.casefold() for f in files]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            return [
                RegenerateOutcome(
                    str(f),
                    EXIT_UNUSABLE,
                    f"{f}: two inputs have the name {f.name}; with --out they would overwrite "
                    "each other. Regenerate them separately.",
                )
                for f in files
                if f.name.casefold() in dupes
            ]
    outcomes: list[RegenerateOutcome] = []
    if jobs <= 1 or len(files) <= 1:
        with _progress(len(files)) as bar:
            for f in files:
                outcomes.append(regenerate_one(f, out_dir, png_dir, pdf_dir))
                bar.update()
        return outcomes
    # workers are started (forked) by the first submit, before the progress bar starts its thread
    pool = _pool(min(jobs, len(files)))
    try:
        futures = [pool.submit(regenerate_one, f, out_dir, png_dir, pdf_dir) for f in files]
        with _progress(len(files)) as bar:
            for fut in futures:
                outcomes.append(fut.result())
                bar.update()
    except BaseException:  # Ctrl+C or SIGTERM (raised as KeyboardInterrupt by the CLI): end the workers too
        _stop(pool)
        raise
    pool.shutdown()
    return outcomes


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now: each removes its temporary files on SIGTERM (`_worker_start`), none is left."""
    workers = list(getattr(pool, "_processes", {}).values())  # the executor has no public handle on them
    for w in workers:
        if w.is_alive():
            w.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for w in workers:
        w.join(timeout=10)
        if w.is_alive():
            w.kill()
            w.join(timeout=5)


def _worker_start(debug: bool) -> None:
    """In each worker: Ctrl+C is the parent's to handle; SIGTERM removes this worker's temporary files and
    ends it at once (an exception would only end the current workbook: the executor catches it)."""
    import signal

    global DEBUG
    DEBUG = debug
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)


def _worker_stop(signum: int, frame: object) -> None:
    import os

    from addin.adapters.file_guard import remove_live

    remove_live()
    os._exit(128 + signum)


def _progress(total: int) -> Any:
    """A progress bar on a terminal when there is more than one file (tqdm; hidden otherwise).

    Without tqdm's monitor thread: `--jobs` forks workers, and a process should not fork while it runs
    threads (a later run in the same process, e.g. the Excel add-in, would fork next to it).
    """
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    return Bar(total=total, unit="workbook", disable=None if total > 1 else True, leave=False)


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for `--jobs`. On Linux they are forked from this process after it has imported
    the libraries a regeneration needs, so no worker pays the import time (about half a second each)
    again; elsewhere (spawn) each worker imports them itself.
    """
    context = None
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        _warm_imports()
        context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start, initargs=(DEBUG,))


def _warm_imports() -> None:
    """Import what `regenerate_one` uses, so forked workers inherit it ready."""
    import importlib

    for module in (
        "python_calamine",
        "addin.adapters.xlsx_reader",
        "addin.core.pipeline",
        "addin.adapters.xlsx_file",
        "addin.adapters.file_guard",
        "addin.adapters.xlsx_render",
        "addin.adapters.ooxml",
        "matplotlib.figure",
        "matplotlib.backends.backend_agg",
    ):
        importlib.import_module(module)
