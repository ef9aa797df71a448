"""The OOXML splicer: output sheets replaced, everything of the user's kept byte for byte."""

from __future__ import annotations

import io
import posixpath
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from lxml import etree

from addin.adapters.ooxml import PackageError, replace_sheets
from tests.compat.checks import audit_errors, empty_inline_strings, vml_problems

from .ooxml_builders import CUSTOM_UI, FAKE_VBA, OUTPUT_SHEETS, UI_REL, build_target, rezip

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
EDITED = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/calcChain.xml",
}
# What the old Heatmap (sheet2) and Validation (sheet4) owned in the XlsxWriter target.
OWNED = {
    "xl/worksheets/sheet2.xml", "xl/worksheets/_rels/sheet2.xml.rels", "xl/worksheets/sheet4.xml",
    "xl/drawings/drawing2.xml", "xl/drawings/_rels/drawing2.xml.rels", "xl/charts/chart2.xml",
    "xl/drawings/vmlDrawing2.vml", "xl/comments2.xml",
}  # fmt: skip


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rels_of(files: dict[str, bytes], part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, resolved target or external URI) of a part's relationships."""
    folder, base = posixpath.split(part)
    path = posixpath.join(folder, "_rels", base + ".rels")
    if path not in files:
        return []
    out = []
    for el in etree.fromstring(files[path]).iter(f"{{{PR}}}Relationship"):
        target = el.get("Target", "")
        if el.get("TargetMode") != "External":
            joined = target if target.startswith("/") else posixpath.join(folder, target)
            target = posixpath.normpath(joined).lstrip("/")
        out.append((el.get("Id", ""), el.get("Type", ""), target))
    return out


def check_package(path: Path) -> dict[str, bytes]:
    """Assert the package hangs together; return its parts."""
    files = parts(path)
    types = etree.fromstring(files["[Content_Types].xml"])
    defaults = {el.get("Extension", "").lower() for el in types.iter(f"{{{CT}}}Default")}
    overrides = {el.get("PartName", "").lstrip("/") for el in types.iter(f"{{{CT}}}Override")}
    assert overrides <= set(files), f"overrides for missing parts: {overrides - set(files)}"
    seen, stack = set(), [""]
    while stack:
        part = stack.pop()
        for _, rel_type, target in rels_of(files, part):
            if target.startswith(("http", "#", "mailto")) or "External" in rel_type:
                continue
            if rel_type.endswith("/hyperlink"):
                continue
            assert target in files, f"{part or 'package'} points at missing part {target}"
            if target not in seen:
                seen.add(target)
                stack.append(target)
    for name in files:
        if name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        assert name in seen, f"{name} is not referenced by any relationship"
        assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, f"{name} has no content type"
    wb = etree.fromstring(files["xl/workbook.xml"])
    sheets = wb.findall(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet")
    for attr in ("name", "sheetId", f"{{{R}}}id"):
        values = [s.get(attr, "").lower() for s in sheets]
        assert len(values) == len(set(values)), f"duplicate {attr}: {values}"
    wb_rels = {rid: (t, target) for rid, t, target in rels_of(files, "xl/workbook.xml")}
    sheet_types = {el.get("PartName", "").lstrip("/"): el.get("ContentType") for el in types.iter(f"{{{CT}}}Override")}
    for s in sheets:
        rel_type, target = wb_rels[s.get(f"{{{R}}}id", "")]
        assert rel_type.endswith("/worksheet") and target in files
        assert sheet_types[target] == "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    return files


def sheet_part(files: dict[str, bytes], name: str) -> str:
    wb = etree.fromstring(files["xl/workbook.xml"])
    wb_rels = {rid: target for rid, _, target in rels_of(files, "xl/workbook.xml")}
    for s in wb.iter(f"{{{MAIN}}}sheet"):
        if s.get("name") == name:
            return wb_rels[s.get(f"{{{R}}}id", "")]
    raise KeyError(name)


def load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about the x14 extensions it cannot keep
        return openpyxl.load_workbook(path)


@pytest.fixture
def spliced(target: Path, donor: bytes, tmp_path: Path) -> Path:
    out = tmp_path / "out.xlsx"
    replace_sheets(target, donor, OUTPUT_SHEETS, out)
    return out


def test_untouched_parts_are_byte_identical_and_still_referenced(target: Path, spliced: Path) -> None:
    before, after = parts(target), check_package(spliced)
    assert set(before) >= OWNED
    for name, data in before.items():
        if name in EDITED or name in OWNED:
            continue
        assert after.get(name) == data, f"{name} changed or vanished"
    for name in OWNED:
        assert after.get(name) != before[name], f"{name} of a replaced sheet survived"
    with zipfile.ZipFile(target) as a, zipfile.ZipFile(spliced) as b:
        for info in a.infolist():  # raw copies: the compressed bytes are the same too
            if info.filename not in EDITED | OWNED:
                assert b.getinfo(info.filename).compress_size == info.compress_size
                assert b.getinfo(info.filename).CRC == info.CRC
    assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
    assert "xl/media/image1.png" in after  # also used by Journey, so kept although the old Heatmap had it


def test_user_features_stay_where_they_were(spliced: Path) -> None:
    files = parts(spliced)
    journey = files[sheet_part(files, "Journey")]
    assert b"x14:sparklineGroups" in journey and b"x14:dataBar" in journey and b"<dataValidations" in journey
    drawing = next(files[t] for _, rt, t in rels_of(files, "xl/worksheets/sheet1.xml") if rt.endswith("/drawing"))
    assert b"Hand-drawn note: keep me" in drawing and b"<c:chart" in drawing
    vml = next(files[t] for _, rt, t in rels_of(files, "xl/worksheets/sheet1.xml") if rt.endswith("/vmlDrawing"))
    assert b"Run analysis" in vml and b"User comment" not in vml  # button and comment box
    assert any(t.endswith("/table") for _, t, _ in rels_of(files, "xl/worksheets/sheet1.xml"))


def test_sheets_replaced_in_place_and_appended(target: Path, spliced: Path) -> None:
    before, after = parts(target), parts(spliced)
    old = etree.fromstring(before["xl/workbook.xml"])
    new = etree.fromstring(after["xl/workbook.xml"])
    sheets = [(s.get("name"), s.get("sheetId")) for s in new.iter(f"{{{MAIN}}}sheet")]
    assert sheets == [
        ("Journey", "1"), ("Heatmap", "2"), ("Notes", "3"), ("Validation", "4"),
        ("Priorities", "5"), ("Dashboard", "6"),
    ]  # fmt: skip
    # everything but <sheets> is untouched: defined names (localSheetId 1 is still Heatmap), views,
    # mc:AlternateContent, revision pointer, extLst and every namespace declaration
    for book in (old, new):
        sheets_el = book.find(f"{{{MAIN}}}sheets")
        assert sheets_el is not None
        book.remove(sheets_el)
    assert etree.tostring(old, method="c14n") == etree.tostring(new, method="c14n")
    assert new.nsmap == etree.fromstring(before["xl/workbook.xml"]).nsmap
    assert b"mc:AlternateContent" in after["xl/workbook.xml"] and b"x15:workbookPr" in after["xl/workbook.xml"]
    local = new.find(f"{{{MAIN}}}definedNames/{{{MAIN}}}definedName[@name='HeatLocal']")
    assert local is not None and local.get("localSheetId") == "1"


def test_donor_values_styles_and_features_survive(spliced: Path) -> None:
    wb = load(spliced)
    assert wb.sheetnames == ["Journey", "Heatmap", "Notes", "Validation", "Priorities", "Dashboard"]
    val = wb["Validation"]
    assert val["A1"].value == "Severity" and val["A1"].font.b and val["A1"].fill.fgColor.rgb.endswith("1F3864")
    assert val["A1"].font.color.rgb.endswith("FFFFFF") and val["A1"].alignment.wrap_text
    assert val["A1"].border.left.style == "thin"
    assert val["A2"].font.b and val["A2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert val["D2"].hyperlink is not None and val["D2"].hyperlink.location == "'Journey'!C3"
    assert val["E2"].comment is not None and "explains" in val["E2"].comment.text
    assert val.freeze_panes == "A2" and val.column_dimensions["E"].width == 42
    heat = wb["Heatmap"]
    assert heat["A1"].value == "Stage" and heat["A1"].font.sz == 14 and heat["A1"].font.b
    assert heat["B2"].value == 3.0 and heat["B2"].number_format == "0.0"
    assert "A6:D6" in {str(r) for r in heat.merged_cells.ranges}
    assert heat.freeze_panes == "B2" and heat.column_dimensions["A"].width == 24
    rules = [r for rng in heat.conditional_formatting for r in rng.rules]
    assert {r.type for r in rules} == {"colorScale", "cellIs"}
    cell_is = next(r for r in rules if r.type == "cellIs")
    assert cell_is.dxf is not None and cell_is.dxf.fill.bgColor.rgb.endswith("BD0026")
    assert heat["A7"].hyperlink is not None and "Journey" in (heat["A7"].hyperlink.target or "")
    assert len(heat._images) == 1
    pri = wb["Priorities"]
    assert pri["D2"].number_format == "0.0%" and pri["C2"].number_format == '#,##0.00 "pts"'
    assert pri["B3"].value == "Recommendation 2"
    assert len(wb["Dashboard"]._charts) == 3
    journey = wb["Journey"]  # the user's own formats still point at the right styles
    assert journey["E2"].number_format == "yyyy-mm-dd" and journey["E2"].font.i
    assert wb["Notes"]["A1"].value == "my own notes"


def test_donor_charts_and_picture_parts_are_wired(spliced: Path) -> None:
    files = check_package(spliced)
    types = etree.fromstring(files["[Content_Types].xml"])
    overrides = {el.get("PartName", "").lstrip("/"): el.get("ContentType") for el in types.iter(f"{{{CT}}}Override")}
    dash = sheet_part(files, "Dashboard")
    drawing = next(t for _, rt, t in rels_of(files, dash) if rt.endswith("/drawing"))
    charts = [t for _, rt, t in rels_of(files, drawing) if rt.endswith("/chart")]
    assert len(charts) == 3 and all(overrides[c].endswith("drawingml.chart+xml") for c in charts)
    assert len({c.lower() for c in charts} | {"xl/charts/chart1.xml"}) == 4  # no clash with the user's chart
    heat = sheet_part(files, "Heatmap")
    heat_drawing = next(t for _, rt, t in rels_of(files, heat) if rt.endswith("/drawing"))
    images = [t for _, rt, t in rels_of(files, heat_drawing) if rt.endswith("/image")]
    assert len(images) == 1 and images[0] != "xl/media/image1.png" and files[images[0]].startswith(b"\x89PNG")
    media = [n for n in files if n.startswith("xl/media/")]
    assert len(media) == 2


def test_running_twice_is_stable(target: Path, donor: bytes, tmp_path: Path) -> None:
    out1, out2 = tmp_path / "out1.xlsx", tmp_path / "out2.xlsx"
    replace_sheets(target, donor, OUTPUT_SHEETS, out1)
    replace_sheets(out1, donor, OUTPUT_SHEETS, out2)
    a, b = parts(out1), check_package(out2)
    assert list(a) == list(b)
    assert len(b["xl/styles.xml"]) == len(a["xl/styles.xml"])
    assert out1.read_bytes() == out2.read_bytes()


def test_styles_are_merged_not_duplicated(target: Path, donor: bytes, spliced: Path) -> None:
    before = etree.fromstring(parts(target)["xl/styles.xml"])
    after = etree.fromstring(parts(spliced)["xl/styles.xml"])
    for section in ("fonts", "fills", "borders", "cellXfs", "dxfs", "numFmts"):
        old = before.find(f"{{{MAIN}}}{section}")
        new = after.find(f"{{{MAIN}}}{section}")
        assert new is not None and new.get("count") == str(len(new))
        if old is not None:  # append only: the user's indices keep their meaning
            assert [etree.tostring(e) for e in new[: len(old)]] == [etree.tostring(e) for e in old]
        keys = [etree.tostring(e, method="c14n") for e in new]
        assert len(keys) == len(set(keys)) or section == "cellXfs", f"duplicates in {section}"
    codes = {nf.get("numFmtId"): nf.get("formatCode") for nf in after.iter(f"{{{MAIN}}}numFmt")}
    assert codes["164"] == "yyyy-mm-dd"  # the user's custom format keeps its id; the donor's moved up
    assert {"0.0%", '#,##0.00 "pts"'} <= set(codes.values()) and len(codes) == len(set(codes.values()))
    files = parts(spliced)
    heat = etree.fromstring(files[sheet_part(files, "Heatmap")])
    dxf_ids = [int(r.get("dxfId")) for r in heat.iter(f"{{{MAIN}}}cfRule") if r.get("dxfId")]
    assert dxf_ids == [1]  # the user's red cell rule owns dxf 0


def test_calc_chain_loses_only_the_replaced_sheets_entries(spliced: Path) -> None:
    files = parts(spliced)
    entries = [(c.get("r"), c.get("i")) for c in etree.fromstring(files["xl/calcChain.xml"])]
    assert entries == [("D12", "1"), ("D13", None), ("A2", "3")]


def test_calc_chain_with_only_replaced_entries_is_dropped(tmp_path: Path, donor: bytes) -> None:
    target = build_target(tmp_path / "t.xlsx")

    def only_heatmap(files: dict[str, bytes]) -> None:
        files["xl/calcChain.xml"] = (
            b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<c r="A2" i="2"/><c r="A3"/></calcChain>'
        )

    rezip(target, only_heatmap)
    out = tmp_path / "out.xlsx"
    replace_sheets(target, donor, OUTPUT_SHEETS, out)
    files = check_package(out)
    assert "xl/calcChain.xml" not in files
    assert b"calcChain" not in files["xl/_rels/workbook.xml.rels"] + files["[Content_Types].xml"]


def test_xlsm_keeps_vba_ribbon_and_code_names(target_xlsm: Path, donor: bytes, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsm"
    replace_sheets(target_xlsm, donor, OUTPUT_SHEETS, out)
    before, after = parts(target_xlsm), check_package(out)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"] == FAKE_VBA
    assert after["customUI/customUI14.xml"] == CUSTOM_UI
    assert after["_rels/.rels"] == before["_rels/.rels"]
    assert any(t == UI_REL and target == "customUI/customUI14.xml" for _, t, target in rels_of(after, ""))
    types = after["[Content_Types].xml"]
    assert b"ms-excel.sheet.macroEnabled.main+xml" in types and b"vbaProject" in types
    assert any(t.endswith("/vbaProject") for _, t, _ in rels_of(after, "xl/workbook.xml"))
    heat = etree.fromstring(after[sheet_part(after, "Heatmap")])
    sheet_pr = heat.find(f"{{{MAIN}}}sheetPr")
    assert sheet_pr is not None and sheet_pr.get("codeName") == "HeatCode"  # VBA's module stays bound


def test_shared_strings_donor_becomes_inline(target: Path, tmp_path: Path) -> None:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("Validation")
    bold = book.add_format({"bold": True, "bg_color": "#C6EFCE"})
    sheet.write("A1", "  padded  ", bold)
    sheet.write_rich_string("A2", "plain ", bold, "bold", " tail")
    sheet.write("A3", 42)
    book.close()
    out = tmp_path / "out.xlsx"
    replace_sheets(target, buf.getvalue(), ["validation"], out)
    files = check_package(out)
    assert files["xl/sharedStrings.xml"] == parts(target)["xl/sharedStrings.xml"]
    xml = etree.fromstring(files[sheet_part(files, "Validation")])
    assert all(c.get("t") != "s" for c in xml.iter(f"{{{MAIN}}}c"))
    padded = xml.find(f".//{{{MAIN}}}c[@r='A1']/{{{MAIN}}}is/{{{MAIN}}}t")
    assert padded is not None and padded.text == "  padded  "
    assert padded.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    ws = load(out)["Validation"]
    assert ws["A1"].value == "  padded  " and ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("C6EFCE")
    assert str(ws["A2"].value) == "plain bold tail" and ws["A3"].value == 42


def test_names_match_case_insensitively(tmp_path: Path, donor: bytes) -> None:
    target = build_target(tmp_path / "t.xlsx", heatmap_name="HEATMAP")
    out = tmp_path / "out.xlsx"
    replace_sheets(target, donor, OUTPUT_SHEETS, out)
    files = check_package(out)
    names = [s.get("name") for s in etree.fromstring(files["xl/workbook.xml"]).iter(f"{{{MAIN}}}sheet")]
    assert names == ["Journey", "Heatmap", "Notes", "Validation", "Priorities", "Dashboard"]


def test_table_names_stay_unique(spliced: Path) -> None:
    files = parts(spliced)
    tables = [etree.fromstring(d) for n, d in files.items() if n.startswith("xl/tables/")]
    assert len(tables) == 2
    for attr in ("id", "name", "displayName"):
        values = [t.get(attr, "").lower() for t in tables]
        assert len(set(values)) == 2, f"table {attr} clash: {values}"


def test_active_tab_and_views(tmp_path: Path, donor: bytes) -> None:
    target = build_target(tmp_path / "t.xlsx")

    def views(files: dict[str, bytes]) -> None:
        files["xl/workbook.xml"] = files["xl/workbook.xml"].replace(
            b"<workbookView ", b'<workbookView activeTab="1" firstSheet="9" '
        )

    rezip(target, views)
    out = tmp_path / "out.xlsx"
    replace_sheets(target, donor, OUTPUT_SHEETS, out)
    files = check_package(out)
    view = etree.fromstring(files["xl/workbook.xml"]).find(f".//{{{MAIN}}}workbookView")
    assert view is not None and view.get("activeTab") == "1" and view.get("firstSheet") == "5"
    selected = [
        name for name in OUTPUT_SHEETS
        if b'tabSelected="1"' in files[sheet_part(files, name)]
    ]  # fmt: skip
    assert selected == ["Heatmap"]


def test_every_written_part_is_well_formed(target: Path, spliced: Path) -> None:
    before, after = parts(target), parts(spliced)
    written = [n for n, d in after.items() if before.get(n) != d]
    assert written
    for name in written:
        if name.endswith((".xml", ".rels", ".vml")):
            etree.fromstring(after[name])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip at all", "not an Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted"),
    ],
)
def test_unusable_targets_are_explained(tmp_path: Path, donor: bytes, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    with pytest.raises(PackageError, match=message):
        replace_sheets(bad, donor, OUTPUT_SHEETS, tmp_path / "out.xlsx")


def test_zip_that_is_not_a_workbook(tmp_path: Path, donor: bytes) -> None:
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(PackageError, match="Content_Types"):
        replace_sheets(bad, donor, OUTPUT_SHEETS, tmp_path / "out.xlsx")
    with pytest.raises(PackageError, match="not found"):
        replace_sheets(tmp_path / "missing.xlsx", donor, OUTPUT_SHEETS, tmp_path / "out.xlsx")


def test_strict_open_xml_is_refused_with_advice(target: Path, donor: bytes, tmp_path: Path) -> None:
    def strict(files: dict[str, bytes]) -> None:
        files["_rels/.rels"] = files["_rels/.rels"].replace(
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
            b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
        )

    rezip(target, strict)
    with pytest.raises(PackageError, match="Strict Open XML; save it as"):
        replace_sheets(target, donor, OUTPUT_SHEETS, tmp_path / "out.xlsx")


def test_bad_sheet_names(target: Path, donor: bytes, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no sheet named 'Funnel'"):
        replace_sheets(target, donor, ["Funnel"], tmp_path / "out.xlsx")
    with pytest.raises(ValueError, match="repeats"):
        replace_sheets(target, donor, ["Heatmap", "heatmap"], tmp_path / "out.xlsx")


@pytest.mark.libreoffice
def test_libreoffice_opens_the_result(spliced: Path, soffice_pdf) -> None:  # type: ignore[no-untyped-def]
    pdf = soffice_pdf(spliced)
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=False).stdout
    # the donor's text and number formats are rendered, and the user's sheets are still there
    assert b"Severity out of range" in text and b"92.50 pts" in text and b"my own notes" in text
    assert b"Hand-drawn note: keep me" in text


@pytest.mark.libreoffice
def test_libreoffice_opens_the_xlsm_result(target_xlsm: Path, donor: bytes, tmp_path: Path, soffice_pdf) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.xlsm"
    replace_sheets(target_xlsm, donor, OUTPUT_SHEETS, out)
    soffice_pdf(out)


def test_untouched_parts_are_never_decompressed(
    target: Path, donor: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(self.filename) == str(target):
            opened.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    replace_sheets(target, donor, OUTPUT_SHEETS, tmp_path / "out.xlsx")
    data_parts = {n for n in opened if not n.endswith(".rels")}
    assert "xl/workbook.xml" in data_parts  # the spy saw the reads
    # package bookkeeping, the parts it edits, the user's table names, the old sheets' first bytes, and the
    # kept notes drawings (small; read to check that their shape ids do not clash)
    assert data_parts <= EDITED | {
        "xl/drawings/vmlDrawing1.vml",
        "xl/tables/table1.xml",
        "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet4.xml",
    }
    assert "xl/worksheets/sheet1.xml" not in opened and "xl/sharedStrings.xml" not in opened


def test_plain_target_gets_new_content_type_defaults(tmp_path: Path, donor: bytes) -> None:
    target = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(str(target))
    book.add_worksheet("Journey").write("A1", "Stage")
    book.close()
    assert b'Extension="png"' not in parts(target)["[Content_Types].xml"]
    out = tmp_path / "out.xlsx"
    replace_sheets(target, donor, OUTPUT_SHEETS, out)
    files = check_package(out)  # every new picture and vml part has a content type
    types = files["[Content_Types].xml"]
    assert b'Extension="png"' in types and b'Extension="vml"' in types
    assert load(out).sheetnames == ["Journey", *OUTPUT_SHEETS]


def test_no_sheet_names_copies_the_package(target: Path, donor: bytes, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    replace_sheets(target, donor, [], out)
    assert parts(out) == parts(target)


def test_dest_must_not_be_the_target(target: Path, donor: bytes) -> None:
    with pytest.raises(ValueError, match="another file"):
        replace_sheets(target, donor, OUTPUT_SHEETS, target)


@pytest.mark.slow
def test_big_target_is_streamed(tmp_path: Path, donor: bytes) -> None:
    import time

    target = tmp_path / "big.xlsx"
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = book.add_worksheet("Journey")
    for r in range(150_000):
        sheet.write_row(r, 0, [r, r * 0.5, f"Touchpoint {r % 300}", r % 5])
    book.add_worksheet("Heatmap").write("A1", "old")
    book.close()
    start = time.perf_counter()
    replace_sheets(target, donor, OUTPUT_SHEETS, tmp_path / "out.xlsx")
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"splice took {elapsed:.1f} s"  # measured ~0.02 s; openpyxl needs minutes
    with zipfile.ZipFile(target) as a, zipfile.ZipFile(tmp_path / "out.xlsx") as b:
        big = a.getinfo("xl/worksheets/sheet1.xml")
        assert b.getinfo("xl/worksheets/sheet1.xml").CRC == big.CRC


@pytest.mark.libreoffice
def test_libreoffice_saved_target(target: Path, donor: bytes, tmp_path: Path) -> None:
    """A book last saved by LibreOffice (other part names, ctrlProps, custom properties) splices cleanly."""
    exe = shutil.which("soffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not on PATH")
    resaved = tmp_path / "resaved"
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(resaved), str(target)],
        capture_output=True, timeout=240, check=True,
    )  # fmt: skip
    book = resaved / target.name
    out1, out2 = tmp_path / "out1.xlsx", tmp_path / "out2.xlsx"
    replace_sheets(book, donor, OUTPUT_SHEETS, out1)
    replace_sheets(out1, donor, OUTPUT_SHEETS, out2)
    check_package(out1)
    assert out1.read_bytes() == out2.read_bytes()
    assert load(out1).sheetnames == ["Journey", "Heatmap", "Notes", "Validation", "Priorities", "Dashboard"]


def test_donor_notes_make_way_for_the_users(target: Path, spliced: Path) -> None:
    # XlsxWriter numbered the user's Journey notes in block 1; openpyxl numbered the donor's in block 1 too
    before, after = parts(target), parts(spliced)
    assert after["xl/drawings/vmlDrawing1.vml"] == before["xl/drawings/vmlDrawing1.vml"]
    assert vml_problems(spliced) == []


def test_users_clashing_notes_are_numbered_like_excel(tmp_path: Path, donor: bytes) -> None:
    # an old template: openpyxl gave both sheets' notes data="1" and _x0000_s1026
    book = tmp_path / "old.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Journey"  # type: ignore[union-attr]
    wb.create_sheet("Notes")
    for ws in wb.worksheets:
        ws["A1"].comment = openpyxl.comments.Comment(f"note on {ws.title}", "me")
    wb.save(book)
    assert vml_problems(book) != []
    out = tmp_path / "out.xlsx"
    replace_sheets(book, donor, OUTPUT_SHEETS, out)
    assert vml_problems(out) == []
    reopened = openpyxl.load_workbook(out)
    assert reopened["Notes"]["A1"].comment.text == "note on Notes"  # type: ignore[union-attr]


def test_empty_inline_strings_become_blank_cells(target: Path, donor: bytes, tmp_path: Path) -> None:
    # openpyxl writes a cell holding "" as <c t="inlineStr"/>, a text cell without its text
    empty = tmp_path / "donor.xlsx"
    empty.write_bytes(donor)
    rezip(
        empty,
        lambda p: p.update(
            {
                "xl/worksheets/sheet1.xml": p["xl/worksheets/sheet1.xml"].replace(
                    b"</row>", b'<c r="Z1" t="inlineStr"/></row>', 1
                )
            }
        ),
    )
    assert empty_inline_strings(empty) == ["xl/worksheets/sheet1.xml Z1"]
    out = tmp_path / "out.xlsx"
    replace_sheets(target, empty.read_bytes(), OUTPUT_SHEETS, out)
    assert empty_inline_strings(out) == []
    validation = openpyxl.load_workbook(out)["Validation"]
    assert validation["Z1"].value is None and validation["A1"].value == "Severity"


def test_a_workbook_without_a_theme_gets_one_once(target: Path, donor: bytes, tmp_path: Path) -> None:
    def drop_theme(p: dict[str, bytes]) -> None:
        del p["xl/theme/theme1.xml"]
        rels = etree.fromstring(p["xl/_rels/workbook.xml.rels"])
        for el in list(rels):
            if el.get("Type", "").endswith("/theme"):
                rels.remove(el)
        p["xl/_rels/workbook.xml.rels"] = etree.tostring(rels)
        p["[Content_Types].xml"] = p["[Content_Types].xml"].replace(
            b'<Override PartName="/xl/theme/theme1.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>',
            b"",
        )

    rezip(target, drop_theme)  # as LibreOffice saves a workbook
    assert "Sem_MissingRelationshipType" in " ".join(audit_errors(target))
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    replace_sheets(target, donor, OUTPUT_SHEETS, first)
    files = check_package(first)
    assert [t for _, t, t in rels_of(files, "xl/workbook.xml") if "theme" in t] == ["xl/theme/theme1.xml"]
    assert "Sem_MissingRelationshipType" not in " ".join(audit_errors(first))
    replace_sheets(first, donor, OUTPUT_SHEETS, second)
    assert second.read_bytes() == first.read_bytes()  # added once; a second run changes nothing
