"""Shared fixtures: example workbooks built in code, and a LibreOffice runner."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from addin.authoring import template

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def example_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The two examples and the blank template, written once per session (copy before changing)."""
    folder = tmp_path_factory.mktemp("examples")
    out = {}
    for key in (None, "online-shop", "saas-onboarding"):
        path = folder / f"{key or 'blank'}.xlsx"
        template.save(template.build(key), path)
        out[key or "blank"] = path
    return out


@pytest.fixture
def shop(example_files: dict[str, Path], tmp_path: Path) -> Path:
    """A fresh copy of the online-shop example in a temporary folder."""
    target = tmp_path / "shop.xlsx"
    shutil.copyfile(example_files["online-shop"], target)
    return target


def libreoffice_convert(path: Path, fmt: str, outdir: Path) -> Path:
    """Convert with headless LibreOffice (own profile, so tests never clash); returns the output path."""
    assert SOFFICE, "LibreOffice is not installed"
    profile = Path("/tmp") / f"lo-test-{uuid.uuid4().hex}"
    cmd = [
        SOFFICE,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        str(path),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    shutil.rmtree(profile, ignore_errors=True)
    ext = fmt.split(":", 1)[0]
    out = outdir / (path.stem + "." + ext)
    assert proc.returncode == 0 and out.exists(), f"LibreOffice failed: {proc.stdout} {proc.stderr}"
    return out


needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI installs it with apt-get"
)
