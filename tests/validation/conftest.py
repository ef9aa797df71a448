"""Fixtures for the validation tests: a broken copy of an example workbook, and `check --json` run for real."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from addin.frontends.cli import main

Mutation = Callable[[Workbook, Path], None]
"""Changes a loaded workbook (and may write files beside `path`, such as a lock file) before it is saved."""


@pytest.fixture
def broken(shop: Path) -> Callable[[Mutation], Path]:
    """`broken(mutate)`: the online-shop example, changed by `mutate` with openpyxl and saved in a temp folder."""

    def make(mutate: Mutation) -> Path:
        wb = openpyxl.load_workbook(shop)
        mutate(wb, shop)
        wb.save(shop)
        return shop

    return make


@pytest.fixture
def check_json(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, list[dict[str, Any]]]]:
    """`check_json(*paths)`: runs `python -m addin check --json PATH...` in-process; (exit status, findings).

    What it printed on stderr is kept in `check_json.err`.
    """

    def run(*paths: Path) -> tuple[int, list[dict[str, Any]]]:
        capsys.readouterr()
        status = main(["check", "--json", *map(str, paths)])
        out, run.err = capsys.readouterr()  # type: ignore[attr-defined]
        return status, json.loads(out)

    return run
