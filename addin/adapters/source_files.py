"""Evidence source files on disk: CSV (any delimiter, UTF-8 with or without BOM, or Windows-1252) and
.xlsx/.xlsm exports, found by path or pattern relative to the workbook's folder.

Only the first rows are read to recognise the layout; then only the columns the EvidenceSources
rows use are read, as text, by pandas' C parser, so a million-row export costs about what reading
those columns costs.
"""

from __future__ import annotations

import csv
import functools
import glob
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from addin.core.errors import SourceError
from addin.core.sources.aggregated import AggregatedSource
from addin.core.sources.formats import LOOKED_FOR, Format, Header, detect, read_as
from addin.core.sources.gather import SourceReader
from addin.core.sources.spec import SourceRow
from addin.core.sources.surveys import LoadedSource, columns_needed

HEAD_ROWS = 5
"""Rows read to recognise a layout."""
ENCODINGS = ("utf-8-sig", "cp1252")
"""Tried in turn: UTF-8 (a BOM is dropped), then Windows' Western encoding, which reads any byte."""
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")


def reader(base: Path) -> SourceReader:
    """The SourceReader the core is handed: files relative to `base` (the workbook's folder)."""
    return functools.partial(load, base=base)


def find_files(pattern: str, base: Path) -> list[Path]:
    """The files a File cell names: a path or a glob, relative to `base` unless absolute; sorted."""
    expanded = os.path.expanduser(pattern.strip())
    full = expanded if os.path.isabs(expanded) else str(base / expanded)
    if glob.has_magic(full):
        return sorted(Path(p) for p in glob.glob(full, recursive=True) if os.path.isfile(p))
    return [Path(full)]


def display_name(path: Path, base: Path) -> str:
    """How a source file is named in messages: relative to the workbook's folder where it is inside it."""
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def load(
    pattern: str, fmt: Format | None, rows: Sequence[SourceRow], base: Path
) -> list[LoadedSource | AggregatedSource]:
    """Every file of a File cell, read for the rows that list it. Raises SourceError with one sentence."""
    from addin.adapters.evidence_engines import TABLE_PREFIX

    if pattern.strip().casefold().startswith(TABLE_PREFIX):
        return [_aggregate(pattern, [], row, base) for row in rows]
    paths = find_files(pattern, base)
    if not paths or (len(paths) == 1 and not paths[0].exists()):
        where = paths[0] if paths else base / pattern
        raise SourceError(
            f"The evidence source '{pattern}' (EvidenceSources) was not found: there is no {where}. "
            "Put the file there, or correct the File cell; the workbook was left as it was.",
            path=str(where),
        )
    if _aggregated(pattern, fmt, paths, rows):
        return [_aggregate(pattern, paths, row, base) for row in rows]
    return [_load_one(path, fmt, rows, base) for path in paths]


def _aggregated(pattern: str, fmt: Format | None, paths: Sequence[Path], rows: Sequence[SourceRow]) -> bool:
    """Evidence-layout data is aggregated where it lives: a table, Parquet files, a row that names an
    engine, or a CSV file whose header is the Evidence layout."""
    from addin.adapters.evidence_engines import TABLE_PREFIX

    if pattern.strip().casefold().startswith(TABLE_PREFIX) or any(r.engine for r in rows):
        return True
    if fmt is Format.EVIDENCE or all(p.suffix.lower() == ".parquet" for p in paths):
        return True
    if fmt is None and all(p.suffix.lower() == ".csv" for p in paths):
        try:
            header = detect(_sniff(paths[0])[2])
        except (OSError, UnicodeError, csv.Error):
            return False
        return header is not None and header.format is Format.EVIDENCE
    return False


def _aggregate(pattern: str, paths: Sequence[Path], row: SourceRow, base: Path) -> AggregatedSource:
    from addin.adapters.evidence_engines import aggregate

    name = pattern if len(paths) != 1 else display_name(paths[0], base)
    return aggregate(pattern, paths, row, row.engine, name)


def _load_one(path: Path, fmt: Format | None, rows: Sequence[SourceRow], base: Path) -> LoadedSource:
    name = display_name(path, base)
    try:
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            return _load_spreadsheet(path, name, fmt, rows)
        return _load_csv(path, name, fmt, rows)
    except SourceError:
        raise
    except (OSError, UnicodeError, csv.Error, pd.errors.ParserError, ValueError) as exc:
        raise SourceError(
            f"The evidence source {name} could not be read ({exc.__class__.__name__}: {exc}); "
            "the workbook was left as it was.",
            path=str(path),
        ) from exc


def detect_or_explain(rows_head: Sequence[Sequence[object]], name: str, fmt: Format | None = None) -> Header:
    """The layout of a file's first rows, or SourceError saying what was looked for and not found."""
    header = read_as(rows_head, fmt) if fmt is not None else detect(rows_head)
    if header is None:
        said = f"a {fmt.value} file" if fmt is not None else "a layout the add-in reads"
        raise SourceError(
            f"The evidence source {name} is not {said}: its first rows have none of the columns of "
            f"{LOOKED_FOR if fmt is None else 'that layout'}. Check the file or its Format cell; "
            "the workbook was left as it was.",
            path=name,
        )
    return header


def _sniff(path: Path) -> tuple[str, str, list[list[str]]]:
    """Encoding, delimiter and the first rows of a CSV file."""
    raw = path.read_bytes()[: 1 << 20] if path.stat().st_size else b""
    if not raw.strip():
        raise SourceError(f"The evidence source {path.name} is empty; the workbook was left as it was.", path=str(path))
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    lines = text.splitlines(keepends=True)[: HEAD_ROWS * 4]
    sample = "".join(lines)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    head = list(csv.reader(io.StringIO(sample), delimiter=delimiter))[:HEAD_ROWS]
    return encoding, delimiter, head


def _load_csv(path: Path, name: str, fmt: Format | None, rows: Sequence[SourceRow]) -> LoadedSource:
    header = detect_or_explain(_sniff(path)[2], name, fmt)
    wanted = columns_needed(header, rows)
    frame = _read_csv(path, header, usecols=wanted, on_bad_lines="error")
    frame.index = pd.RangeIndex(header.header_rows + 1, header.header_rows + 1 + len(frame))
    return LoadedSource(name, header, frame[wanted])


def _load_spreadsheet(path: Path, name: str, fmt: Format | None, rows: Sequence[SourceRow]) -> LoadedSource:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    values = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    head = [list(r) for r in values[:HEAD_ROWS]]
    header = detect_or_explain(head, name, fmt)
    wanted = columns_needed(header, rows)
    position = {c: i for i, c in enumerate(header.columns)}
    body = values[header.header_rows :]
    data = {
        c: pd.Series([_text(r[position[c]]) if position[c] < len(r) else None for r in body], dtype=object)
        for c in wanted
    }
    frame = pd.DataFrame(data)
    frame.index = pd.RangeIndex(header.header_rows + 1, header.header_rows + 1 + len(frame))
    return LoadedSource(name, header, frame)


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@functools.lru_cache(maxsize=1)
def _first_sheet(path: str, stamp: tuple[int, int]) -> list[list[Any]]:
    """The values of a spreadsheet source's first sheet, read once for `read_head` and `sample` (`stamp`: the
    file's size and modification time, so a changed file is read again)."""
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False)


def _spreadsheet_values(path: Path) -> list[list[Any]]:
    stat = path.stat()
    return _first_sheet(str(path.resolve()), (stat.st_size, stat.st_mtime_ns))


def read_head(path: Path) -> list[list[object]]:
    """The first rows of a source file, for `sources add` to recognise it."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return [list(r) for r in _spreadsheet_values(path)[:HEAD_ROWS]]
    return [list(r) for r in _sniff(path)[2]]


def sample(path: Path, header: Header, rows: int = 5000) -> pd.DataFrame:
    """The first `rows` answers of a source file, every column as text (for `sources add` to look at)."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        body = _spreadsheet_values(path)[header.header_rows : header.header_rows + rows]
        width = len(header.columns)
        return pd.DataFrame(
            [[_text(v) for v in (list(r) + [None] * width)[:width]] for r in body], columns=list(header.columns)
        )
    return _read_csv(path, header, nrows=rows)[list(header.columns)]


def _read_csv(path: Path, header: Header, **options: Any) -> pd.DataFrame:
    """The body of a CSV source as text (blank = missing), by pandas' C parser. A row may be wider than
    the header row (the legacy Qualtrics export's trailing comma): the extra columns get names of their own."""
    encoding, delimiter, head = _sniff(path)
    width = max(len(r) for r in head[: header.header_rows]) if head else len(header.columns)
    names = list(header.columns) + [f"__extra {i}" for i in range(len(header.columns), width)]
    return pd.read_csv(
        path,
        header=None,
        names=names,
        skiprows=header.header_rows,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        encoding=encoding,
        sep=delimiter,
        engine="c",
        index_col=False,
        **options,
    )
