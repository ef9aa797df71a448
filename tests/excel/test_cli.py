"""`python -m addin excel ...` through the main CLI: exit status and what it prints."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from addin.excel import cli

ROOT = Path(__file__).resolve().parents[2]


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_build_into_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(_parse(["build", "--out", str(tmp_path)])) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "JourneyMap.xlam").is_file() and (tmp_path / "journey-map.xlsm").is_file()
    assert "JourneyMap.xlam" in out and "journey-map.xlsm" in out


def test_build_default_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.run(_parse(["build"])) == 0
    assert (tmp_path / "dist" / "JourneyMap.xlam").is_file()
    assert (tmp_path / "templates" / "journey-map.xlsm").is_file()


def test_a_sub_command_is_required() -> None:
    with pytest.raises(SystemExit):
        _parse([])


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "addin", "excel", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="describes the Linux behaviour")
def test_install_dry_run_on_linux_prints_the_steps() -> None:
    done = _main("install", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "Windows:" in done.stdout and "macOS:" in done.stdout and "XLSTART" in done.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="describes the Linux behaviour")
def test_install_on_linux_exits_2_with_a_sentence() -> None:
    done = _main("install")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("Excel is not available on Linux")
    assert "Traceback" not in done.stderr
