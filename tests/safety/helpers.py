"""Helpers for the safety tests (tests/safety): running the command line as an unprivileged user, and temp-file checks.

CI runs as root, and root reads and writes any file whatever its permissions, so the permission cases
run the command line in a forked child that has dropped to an unprivileged user id (no passwd entry is
needed, so nothing on the machine is changed). The child inherits the imported interpreter, so it
works even where the interpreter lives in a folder that user cannot read (/root/.pyenv). When the
tests do not run as root they are already unprivileged and the child keeps its ids.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

USER, OTHER, GROUP = 54321, 54322, 54323
"""Numeric ids of the unprivileged test user, another user, and a group both belong to."""


@dataclass
class Run:
    status: int
    out: str
    err: str


def run_as(uid: int | None, args: Sequence[str], *, groups: Sequence[int] = (), timeout: float = 180) -> Run:
    """`python -m addin ARGS` in a forked child running as `uid` (None: as we are)."""
    from addin.frontends import cli

    _warm()
    with tempfile.TemporaryDirectory() as logs:
        out_path, err_path = os.path.join(logs, "out"), os.path.join(logs, "err")
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 99
            try:
                out = os.open(out_path, os.O_WRONLY | os.O_CREAT, 0o600)
                err = os.open(err_path, os.O_WRONLY | os.O_CREAT, 0o600)
                os.dup2(out, 1)
                os.dup2(err, 2)
                sys.stdout = os.fdopen(1, "w", closefd=False)
                sys.stderr = os.fdopen(2, "w", closefd=False)
                if uid is not None:
                    _keep_fonts()
                    os.setgroups(list(groups))
                    os.setgid(groups[0] if groups else uid)
                    os.setuid(uid)
                code = cli.main(list(args))
            except BaseException as exc:
                print(f"child failed: {exc!r}", file=sys.stderr)
            finally:
                with contextlib.suppress(Exception):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                pytest.fail(f"python -m addin {' '.join(args)} did not end within {timeout} s")
            time.sleep(0.05)
        return Run(os.waitstatus_to_exitcode(status), Path(out_path).read_text(), Path(err_path).read_text())


_warmed: list[bool] = []


def _warm() -> None:
    """Import and load (fonts, templates) everything a run uses, once: the forked child inherits it, as
    it may not be able to read the interpreter's folder (/root/.pyenv is root's own)."""
    if _warmed:
        return
    import contextlib as _c
    import io

    import tqdm  # noqa: F401

    from addin.adapters.xlsx_reader import read_workbook
    from addin.authoring import template
    from addin.core.pipeline import run
    from addin.frontends import batch, cli

    batch._warm_imports()
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "warm.xlsx"
        template.save(template.build("online-shop"), book)
        _pictures.extend(p for sheet in run(read_workbook(book)).outputs for p in sheet.pictures)
        shutil.copyfile(book, Path(folder) / "warm-2.xlsx")
        with _c.redirect_stdout(io.StringIO()), _c.redirect_stderr(io.StringIO()):
            cli.main(["regenerate", str(book), "--png", str(Path(folder) / "png")])
            cli.main(["regenerate", folder, "--jobs", "2"])  # the modules of a pool of workers
            cli.main(["check", "--json", str(book)])
    _warmed.append(True)


_pictures: list[object] = []


def _keep_fonts() -> None:
    """matplotlib empties its font cache in every forked child and then reopens the font files, which the
    test user may not read: give the child (and the workers it forks) a cache of their own, filled now."""
    import functools

    from matplotlib import font_manager

    original = getattr(font_manager._get_font, "__wrapped__", None)
    if original is not None:
        font_manager._get_font = functools.lru_cache(64)(original)
    for picture in _pictures:
        picture._png = None  # type: ignore[attr-defined]
        picture.png()  # type: ignore[attr-defined]


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


needs_root = pytest.mark.skipif(not is_root(), reason="only root can give a test file to another user")
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the permission cases fork a child (POSIX only)")


def unprivileged() -> int | None:
    """The uid to run permission cases as: the test user when we are root, else ourselves (None)."""
    return USER if is_root() else None


def give(path: Path, uid: int, gid: int, mode: int) -> None:
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~addin-"))
