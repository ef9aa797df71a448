"""Write the output sheets into a workbook file, atomically (temporary file in the same folder, then replace).

The output sheets are rendered by openpyxl into a small donor workbook, then spliced into the user's
package (`addin.adapters.ooxml`): every part the user made stays byte-identical. The original file is
never left half-written: if anything fails, it is untouched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from addin.core.errors import UnusableWorkbook, WriteError
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
    from addin.adapters.ooxml import PackageError, replace_sheets

    target = dest or source
    names = [o.name for o in outputs]
    donor = render_donor(outputs)
    try:
        with atomic_path(target, like=source) as tmp:
            replace_sheets(source, donor, names, tmp)
    except PackageError as exc:
        raise UnusableWorkbook(f"{source}: {exc}", path=str(source)) from exc
    except OSError as exc:
        raise WriteError(
            f"Could not write {target}: {exc.strerror or exc}. The workbook was not changed.",
            path=str(target),
        ) from exc
    return target
