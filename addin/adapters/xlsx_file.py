"""Write the output sheets into a workbook file, atomically (temporary file in the same folder, then replace).

The output sheets are rendered by openpyxl into a small donor workbook, then spliced into the user's
package (`addin.adapters.ooxml`): every part the user made stays byte-identical. The original file is
never left half-written: if anything fails, it is untouched. A symbolic link is written through (the
link stays, its target gets the results); the file's owner, group, mode and extended attributes are
kept; the file is replaced only if it is still the one that was read (`file_guard.Snapshot`) and no
other program has it open.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from addin.adapters.file_guard import (
    LIVE,
    TEMP_PREFIX,
    Snapshot,
    changed_sentence,
    hold,
    real_path,
    refuse_if_open,
    sweep_stale,
)
from addin.core.errors import UnusableWorkbook, WriteError
from addin.core.model import OutputSheet


@contextlib.contextmanager
def atomic_path(
    dest: Path,
    like: Path | None = None,
    *,
    overwrite: bool = True,
    before_replace: Callable[[], None] | None = None,
) -> Iterator[Path]:
    """Yield a temporary path next to the file `dest` names (through symbolic links); on success it
    replaces that file. An existing file keeps its owner, group, mode and extended attributes; a new one
    takes the mode of `like`, if given. `overwrite=False`: an existing `dest` is never replaced
    (`FileExistsError`). `before_replace` runs last, just before the replace, and may refuse it by raising.
    """
    real = real_path(dest)
    real.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(real.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=real.suffix, dir=real.parent)
    tmp = Path(tmp_name)
    LIVE.add(tmp)
    if os.name == "nt":  # Windows cannot rename a file that is open
        os.close(fd)
        fd = -1
    else:
        hold(fd)  # a later run's sweep sees a live temporary file
    try:
        yield tmp
        _keep_metadata(real, like, tmp)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        if overwrite:
            os.replace(tmp, real)
        else:
            _publish_new(tmp, real)
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp.exists():
            tmp.unlink()
        LIVE.discard(tmp)


def _publish_new(tmp: Path, real: Path) -> None:
    """Put `tmp` at `real` only if nothing is there (a hard link fails on an existing name)."""
    try:
        os.link(tmp, real)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if real.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(real)) from None
        os.replace(tmp, real)


def _keep_metadata(real: Path, like: Path | None, tmp: Path) -> None:
    """Give `tmp` the owner, group, mode and extended attributes of the file it replaces."""
    try:
        st = os.stat(real)
    except FileNotFoundError:
        source = like if like is not None and like.exists() else None
        os.chmod(tmp, stat.S_IMODE(os.stat(source).st_mode) if source else 0o666 & ~_umask())
        return
    mine = os.stat(tmp)
    if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (mine.st_uid, mine.st_gid):
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except PermissionError as exc:
            whose = _owner(st) if st.st_uid != mine.st_uid else f"the group with id {st.st_gid}, which you are not in"
            raise WriteError(
                f"{real} belongs to {whose}; writing the results would make it yours, so it was not "
                "changed. Ask its owner to run the add-in, or use --out DIR to write a copy.",
                path=str(real),
            ) from exc
    os.chmod(tmp, stat.S_IMODE(st.st_mode))
    _copy_xattrs(real, tmp)


def _copy_xattrs(src: Path, dst: Path) -> None:
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(src)
    except OSError:
        return
    for name in names:
        try:
            os.setxattr(dst, name, os.getxattr(src, name))
        except OSError as exc:  # a namespace this user may not set (security.*, trusted.*)
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EACCES):
                raise


def _owner(st: os.stat_result) -> str:
    try:
        import pwd

        return f"the user {pwd.getpwuid(st.st_uid).pw_name}"
    except (ImportError, KeyError):
        return f"the user with id {st.st_uid}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare_folder(folder: Path, what: str) -> None:
    """Make `folder` and prove a file can be written in it, before anything else is written.

    Raises `WriteError` (one sentence naming `what` goes there) when it cannot.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".probe", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise WriteError(
            f"Cannot write {what} into {folder}: {exc.strerror or exc}. Nothing was written; "
            "choose a folder you can write to.",
            path=str(folder),
        ) from exc


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


def write_results(
    source: Path, outputs: list[OutputSheet], dest: Path | None = None, *, read: Snapshot | None = None
) -> Path:
    """Write `outputs` into a copy of `source` at `dest` (default: in place). Returns the path written.

    `read`: the snapshot taken before `source` was read (default: now). If `source` is no longer that
    file when the results are ready, or another program opened it meanwhile, nothing is written.
    """
    from addin.adapters.ooxml import PackageError, replace_sheets

    target = dest or source
    in_place = real_path(target) == real_path(source)
    names = [o.name for o in outputs]
    snap = read or Snapshot.take(source)
    donor = render_donor(outputs)

    def still_the_file_read() -> None:
        refuse_if_open(source if in_place else target)  # a copy open in Excel is not replaced either
        if not snap.still(source):
            raise UnusableWorkbook(changed_sentence(source), path=str(source))

    try:
        with atomic_path(target, like=source, before_replace=still_the_file_read) as tmp:
            replace_sheets(real_path(source), donor, names, tmp)
    except PackageError as exc:
        if not snap.still(source):  # it was replaced while being read: that is why it looked damaged
            raise UnusableWorkbook(changed_sentence(source), path=str(source)) from exc
        raise UnusableWorkbook(f"{source}: {exc}", path=str(source)) from exc
    except OSError as exc:
        raise WriteError(
            f"Could not write {target}: {exc.strerror or exc}. The workbook was not changed.",
            path=str(target),
        ) from exc
    return target
