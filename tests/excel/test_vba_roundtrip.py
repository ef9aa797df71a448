"""olevba reads every module back from the built files, equal to its source (macros/ and xlwings')."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser

from addin.excel import build, ooxml

_ATTR = re.compile(r"^Attribute VB_\w+ = .*$")


def _normal(code: str) -> list[str]:
    """Lines without line-ending differences, leading attribute lines, and trailing blank lines."""
    lines = code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and _ATTR.match(lines[0]):
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _stored(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.mark.parametrize("index", [0, 1])
def test_every_macros_module_reads_back_as_its_source(built: tuple[Path, Path], index: int) -> None:
    stored = _stored(built[index])
    sources = sorted(build.macros_dir().glob("*.bas"))
    assert sources, "macros/ has no .bas file"
    for path in sources:
        name = path.stem
        assert name in stored, f"{name} is not in the project"
        code = stored[name]
        assert code.startswith(f'Attribute VB_Name = "{name}"'), "a stored module starts with its name"
        assert _normal(code) == _normal(path.read_text(encoding="cp1252"))


@pytest.mark.parametrize("index", [0, 1])
def test_xlwings_module_reads_back_as_the_installed_one(built: tuple[Path, Path], index: int) -> None:
    stored = _stored(built[index])
    original = (build.xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="cp1252")
    line = 'Public Const PROJECT_NAME As String = "{}"'
    expected = original.replace(line.format("myaddin"), line.format("journeymap"))
    assert expected != original
    assert _normal(stored["xlwings"]) == _normal(expected)
    dictionary = (build.xlwings_dir() / "addin" / "Dictionary.cls").read_text(encoding="cp1252")
    lines = dictionary.replace("\r\n", "\n").split("\n")
    after_header = "\n".join(lines[lines.index("END") + 1 :])
    assert _normal(stored["Dictionary"]) == _normal(after_header)


def test_document_modules_match_the_code_names(built: tuple[Path, Path]) -> None:
    stored = _stored(built[1])
    names = ooxml.code_names(built[1].read_bytes())
    assert names.workbook == "ThisWorkbook"
    assert len(names.sheets) >= 7
    assert {names.workbook, *names.sheets} <= set(stored)
