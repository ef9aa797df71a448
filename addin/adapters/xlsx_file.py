"""Write the output sheets into a workbook file, atomically (temporary file in the same folder, then replace).

The original file is never left half-written: if anything fails, it is untouched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from addin.core.contract import OUTPUT_SHEETS
from addin.core.errors import WriteError
from addin.core.model import OutputSheet


@contextlib.contextmanager
def atomic_path(dest: Path, like: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path next to `dest`; on success it replaces `dest` (mode of `like` kept)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".~addin-", suffix=dest.suffix, dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        source_mode = like if like is not None and like.exists() else dest if dest.exists() else None
        if source_mode is not None:
            shutil.copymode(source_mode, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def render_donor(outputs: list[OutputSheet]) -> bytes:
    """A small workbook holding only the output sheets (what the package splice inserts)."""
    import io

    from openpyxl import Workbook

    from addin.adapters.xlsx_render import render

    wb = Workbook()
    wb.remove(wb.active)
    render(wb, outputs)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_results(source: Path, outputs: list[OutputSheet], dest: Path | None = None) -> Path:
    """Write `outputs` into a copy of `source` at `dest` (default: in place). Returns the path written."""
    target = dest or source
    names = [o.name for o in outputs]
    try:
        with atomic_path(target, like=source) as tmp:
            _write_with_openpyxl(source, outputs, tmp, names)
    except OSError as exc:
        raise WriteError(f"Could not write {target}: {exc.strerror or exc}. The workbook was not changed.",
                         path=str(target)) from exc
    return target


def _write_with_openpyxl(source: Path, outputs: list[OutputSheet], tmp: Path, names: list[str]) -> None:
    from openpyxl import load_workbook

    from addin.adapters.xlsx_render import render

    wb = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm", keep_links=True, rich_text=True)
    wanted = {n.casefold() for n in names} | {s.value.casefold() for s in OUTPUT_SHEETS if s.value in names}
    positions: dict[str, int] = {}
    for ws in list(wb.worksheets):
        if ws.title.casefold() in wanted:
            positions[next(n for n in names if n.casefold() == ws.title.casefold())] = wb.index(ws)
            wb.remove(ws)
    render(wb, outputs, positions)
    wb.save(tmp)
