"""`check` only reads: every input keeps its bytes and its modification time, and nothing appears beside it."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl.workbook.workbook import Workbook

from addin.frontends.cli import main
from tests.validation.conftest import Mutation


def fingerprint(folder: Path) -> dict[str, tuple[str, int, int]]:
    """name -> (sha256, size, mtime in ns) of every file in the folder."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def nothing(wb: Workbook, _: Path) -> None:
    pass


def many_mistakes(wb: Workbook, _: Path) -> None:
    wb["PainPoints"]["G2"] = "=2+2"  # a formula openpyxl saves without a value
    wb["PainPoints"]["B3"] = "Purchse"
    wb["Recommendations"]["F2"] = 0.9
    wb["Journey"]["B8"] = "happy"
    wb["Journey"].merge_cells("B5:C5")
    wb["Evidence"]["A2"] = "someday"
    del wb["Settings"]


@pytest.mark.parametrize("mutate", [nothing, many_mistakes], ids=["clean", "broken"])
@pytest.mark.parametrize("args", [[], ["--json"]], ids=["text", "json"])
def test_check_leaves_the_workbook_and_its_folder_as_they_were(
    broken: Callable[[Mutation], Path], mutate: Mutation, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken(mutate)
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))  # a distinct, old timestamp
    before = fingerprint(path.parent)
    status = main(["check", *args, str(path)])
    assert status == (0 if mutate is nothing else 1)
    assert fingerprint(path.parent) == before
    capsys.readouterr()


def test_check_reads_a_read_only_workbook(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop.chmod(stat.S_IRUSR)
    try:
        before = fingerprint(shop.parent)
        assert main(["check", str(shop)]) == 0
        assert fingerprint(shop.parent) == before
        assert "0 errors" in capsys.readouterr().out
    finally:
        shop.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_check_of_a_folder_writes_nothing_into_it(
    example_files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        (folder / name).write_bytes(example_files["saas-onboarding"].read_bytes())
    (folder / "c.xlsx").write_bytes(b"not a workbook")
    before = fingerprint(folder)
    assert main(["check", str(folder)]) == 2
    assert fingerprint(folder) == before
    capsys.readouterr()
