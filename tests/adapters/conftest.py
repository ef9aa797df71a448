"""Fixtures for the adapter tests: user workbooks full of things openpyxl would lose, and donor workbooks."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from .ooxml_builders import build_donor, build_target


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """The user's .xlsx."""
    return build_target(tmp_path / "journey.xlsx")


@pytest.fixture
def target_xlsm(tmp_path: Path) -> Path:
    """The user's macro-enabled book with a ribbon (customUI14) part."""
    return build_target(tmp_path / "journey.xlsm", vba=True, custom_ui=True)


@pytest.fixture(scope="session")
def donor() -> bytes:
    """Donor bytes with the four output sheets."""
    return build_donor()


@pytest.fixture
def soffice_pdf(tmp_path: Path) -> Callable[[Path], Path]:
    """Convert a workbook to PDF with headless LibreOffice in a private profile; return the PDF path."""
    exe = shutil.which("soffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not on PATH")

    def convert(book: Path) -> Path:
        outdir = tmp_path / f"pdf-{uuid.uuid4().hex[:8]}"
        profile = f"file:///tmp/lo-profile-{uuid.uuid4().hex}"
        done = subprocess.run(
            [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(outdir), str(book)],
            capture_output=True, timeout=240, check=False,
        )  # fmt: skip
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        pdf = outdir / (book.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 0, f"no PDF for {book.name}: {done.stdout!r}"
        return pdf

    return convert
