"""Guards around a workbook file on disk: other programs' lock files, our own run lock, proof that the
file is still the one that was read, and the removal of temporary files a killed run left behind.

* Excel (and PowerPoint) keep `~$` + the whole file name next to an open workbook; only Word drops the
  first one or two characters of long names (LibreOffice's `MSODocumentLockFile::GenerateURL` writes
  the same names, for the same reason). LibreOffice keeps `.~lock.` + name + `#`. Both are looked for
  next to the name given and next to the file a symbolic link points at.
* A run that writes a workbook holds `.~addin-<name>.lock` (an OS lock: `flock`, or `msvcrt.locking` on
  Windows), so a second run on the same file is told so instead of racing the first.
* Temporary files are named `.~addin-*`. One is *stale* when it is older than `STALE_AFTER` seconds
  and no process holds its OS lock (a run holds the lock on its temporary file while it writes);
  every write sweeps its folder of stale ones.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from addin.core.errors import UnusableWorkbook

TEMP_PREFIX = ".~addin-"
STALE_AFTER = 15 * 60
"""Seconds after which an unlocked `.~addin-*` file is a leftover of a killed run."""

LIVE: set[Path] = set()
"""Temporary and lock files this process holds now; a worker stopped by SIGTERM removes them."""

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def real_path(path: Path) -> Path:
    """The file `path` names, through any symbolic links (the file itself when there are none)."""
    return Path(os.path.realpath(path))


# ---------------------------------------------------------------- other programs' lock files


def office_lock(path: Path) -> tuple[str, Path] | None:
    """(program, lock file) when Excel or LibreOffice has `path` open, judged by their lock files."""
    seen = []
    for p in (path, real_path(path)):
        if p in seen:
            continue
        seen.append(p)
        for program, name in (("Excel", "~$" + p.name), ("LibreOffice", f".~lock.{p.name}#")):
            lock = p.with_name(name)
            if lock.exists():
                return program, lock
    return None


def refuse_if_open(path: Path) -> None:
    """Raise `UnusableWorkbook` when another program has `path` open."""
    found = office_lock(path)
    if found is not None:
        program, lock = found
        raise UnusableWorkbook(
            f"{path} is open in {program} (its lock file {lock.name} is present). "
            f"Save and close it in {program}, then run again.",
            path=str(path),
        )


# ---------------------------------------------------------------- the file as it was read


@dataclass(frozen=True)
class Snapshot:
    """What identifies the bytes a run read: device, inode, size, modification time and a SHA-256."""

    dev: int
    ino: int
    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def take(cls, path: Path) -> Snapshot:
        with open(real_path(path), "rb") as fh:
            st = os.fstat(fh.fileno())
            h = hashlib.sha256()
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, h.hexdigest())

    def still(self, path: Path) -> bool:
        """True when `path` is still exactly the file that was read."""
        try:
            now = Snapshot.take(path)
        except OSError:
            return False
        return now == self


def changed_sentence(path: Path) -> str:
    return (
        f"{path} was changed by another program (saved, most likely) while the add-in was working on it; "
        "that version was kept and no results were written. Run again to update it."
    )


# ---------------------------------------------------------------- our own run lock


@contextlib.contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold the add-in's lock on the workbook `path` (through links) while the block runs.

    Raises `UnusableWorkbook` when another run holds it. Where no lock can be made (a folder that is
    not writable: then nothing can be written there anyway) the block runs without one.
    """
    real = real_path(path)
    lock = real.with_name(f"{TEMP_PREFIX}{real.name}.lock")
    fd = _acquire(lock, path)
    if fd is None:
        yield
        return
    LIVE.add(lock)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(fd)
        LIVE.discard(lock)


def _acquire(lock: Path, path: Path) -> int | None:
    for _ in range(20):  # the lock file can be removed (by the run that held it) between open and lock
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            return None
        held = hold(fd)
        if held is None:  # no OS locks here: go on without one
            os.close(fd)
            return None
        if not held:
            other = _read_pid(fd)
            os.close(fd)
            who = f" (process {other})" if other else ""
            raise UnusableWorkbook(
                f"{path} is being regenerated by another run of the add-in right now{who}; this run left it "
                "alone. Wait for that run to finish, then run again if needed.",
                path=str(path),
            )
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except OSError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            return fd
        os.close(fd)
    return None


def hold(fd: int) -> bool | None:
    """Take an exclusive OS lock on the open file `fd` without waiting: True when taken, False when
    another process holds it, None when this file system has no such locks (some network shares)."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as exc:
        return False if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK) else None
    return True


def _read_pid(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""


# ---------------------------------------------------------------- leftovers of killed runs


def sweep_stale(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the `.~addin-*` files in `folder` that are stale (see the module docstring). Returns them."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or now - entry.stat().st_mtime < STALE_AFTER:
                continue
            fd = os.open(entry.path, os.O_RDONLY)
        except OSError:
            continue
        try:
            if hold(fd) is not False:  # nobody holds it (or no locks here: its age decides)
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def remove_live() -> None:
    """Remove this process's temporary and lock files (a worker does this when it is stopped)."""
    for p in list(LIVE):
        with contextlib.suppress(OSError):
            p.unlink()
        LIVE.discard(p)
