"""The built add-in and template are macro-enabled packages with the ribbon and VBA parts in place."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from addin.excel import build, ooxml
from addin.excel.build import ADDIN_FILE, TEMPLATE_FILE

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read(part))


def _overrides(path: Path) -> dict[str, str]:
    types = _xml(path, "[Content_Types].xml")
    return {el.get("PartName"): el.get("ContentType") for el in types.iter(f"{CT}Override")}


def _rels(path: Path, part: str) -> dict[str, str]:
    return {str(rel.get("Type")): str(rel.get("Target")) for rel in _xml(path, part)}


def test_file_names(built: tuple[Path, Path]) -> None:
    xlam, xlsm = built
    assert xlam.name == ADDIN_FILE == "JourneyMap.xlam"
    assert xlsm.name == TEMPLATE_FILE == "journey-map.xlsm"


@pytest.mark.parametrize(
    ("index", "content_type"),
    [
        (0, "application/vnd.ms-excel.addin.macroEnabled.main+xml"),
        (1, "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
    ],
)
def test_content_types(built: tuple[Path, Path], index: int, content_type: str) -> None:
    overrides = _overrides(built[index])
    assert overrides["/xl/workbook.xml"] == content_type
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"


@pytest.mark.parametrize("index", [0, 1])
def test_ribbon_is_referenced_from_the_package_rels(built: tuple[Path, Path], index: int) -> None:
    path = built[index]
    rels = _rels(path, "_rels/.rels")
    ui_type = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
    assert rels[ui_type] == "customUI/customUI14.xml"
    with zipfile.ZipFile(path) as zf:
        ui = zf.read("customUI/customUI14.xml")
    assert ui == (build.macros_dir() / "customUI14.xml").read_bytes()
    assert etree.fromstring(ui).tag == "{http://schemas.microsoft.com/office/2009/07/customui}customUI"


@pytest.mark.parametrize("index", [0, 1])
def test_vba_project_is_related_from_the_workbook(built: tuple[Path, Path], index: int) -> None:
    path = built[index]
    rels = _rels(path, "xl/_rels/workbook.xml.rels")
    assert rels["http://schemas.microsoft.com/office/2006/relationships/vbaProject"] == "vbaProject.bin"
    with zipfile.ZipFile(path) as zf:
        assert zf.read("xl/vbaProject.bin")[:8] == bytes.fromhex("D0CF11E0A1B11AE1")


@pytest.mark.parametrize("index", [0, 1])
def test_code_names_are_set(built: tuple[Path, Path], index: int) -> None:
    path = built[index]
    workbook = _xml(path, "xl/workbook.xml")
    assert workbook.find(f"{MAIN}workbookPr").get("codeName") == "ThisWorkbook"
    with zipfile.ZipFile(path) as zf:
        sheets = sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
    for part in sheets:
        first = _xml(path, part)[0]
        assert first.tag == f"{MAIN}sheetPr" and first.get("codeName", "").startswith("Sheet")


def test_addin_holds_the_xlwings_settings_sheet(built: tuple[Path, Path]) -> None:
    # openpyxl will not open an add-in, so read the one sheet's inline strings directly.
    workbook = _xml(built[0], "xl/workbook.xml")
    assert [s.get("name") for s in workbook.iter(f"{MAIN}sheet")] == ["journeymap.conf"]
    sheet = _xml(built[0], "xl/worksheets/sheet1.xml")
    rows = [tuple("".join(c.itertext()) for c in row) for row in sheet.iter(f"{MAIN}row")]
    assert ("ADD_WORKBOOK_TO_PYTHONPATH", "false") in rows
    keys = {r[0].upper() for r in rows}
    assert not keys & {"INTERPRETER", "INTERPRETER_WIN", "INTERPRETER_MAC"}, (
        "an interpreter in the add-in's sheet would hide the one `excel install` writes"
    )


def test_template_has_the_input_sheets(built: tuple[Path, Path]) -> None:
    import openpyxl

    from addin.core.contract import INPUT_SHEETS

    book = openpyxl.load_workbook(built[1])
    for sheet in INPUT_SHEETS:
        assert sheet.value in book.sheetnames


def test_existing_code_names_are_kept() -> None:
    sheet = ooxml.minimal_workbook([ooxml.RawSheet("Data", [["x"]])])
    patched, names = ooxml.add_macros(sheet, b"vba", b"<ui/>", addin=False)
    again, names2 = ooxml.add_macros(patched, b"vba2", b"<ui/>", addin=True)
    assert names == names2 == ooxml.CodeNames("ThisWorkbook", ("Sheet1",))
    with zipfile.ZipFile(io.BytesIO(again)) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        # rebuilding must replace the relationship, not add a second one
        assert rels.count("relationships/vbaProject") == 1
        assert zf.read("xl/vbaProject.bin") == b"vba2"


def test_not_a_package_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ooxml.PackageError):
        ooxml.add_macros(buf.getvalue(), b"", b"", addin=False)


def test_build_is_reproducible(tmp_path: Path, built: tuple[Path, Path]) -> None:
    again = build.build(tmp_path)
    assert again[0].read_bytes() == built[0].read_bytes()
    assert again[1].read_bytes() == built[1].read_bytes()


def test_template_dir_is_separate(tmp_path: Path) -> None:
    xlam, xlsm = build.build(tmp_path / "dist", tmp_path / "templates")
    assert xlam.parent == tmp_path / "dist" and xlsm.parent == tmp_path / "templates"
    assert not list((tmp_path / "dist").glob("*.tmp"))
