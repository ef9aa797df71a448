"""Fixtures of the Excel front-end tests: the built add-in and template, and fake xlwings objects."""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.excel.build import build


def pytest_configure(config: pytest.Config) -> None:
    # oletools still uses pyparsing's old names; that is its business, not ours.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:oletools.*")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(JourneyMap.xlam, journey-map.xlsm) built once into a temporary folder."""
    return build(tmp_path_factory.mktemp("excel-build"))
