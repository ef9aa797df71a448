"""Fixtures of the safety tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    """A folder the unprivileged test user can work in (pytest's tmp_path is root's own, mode 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="addin-safety-", dir="/tmp" if os.path.isdir("/tmp") else None))
    os.chmod(folder, 0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
