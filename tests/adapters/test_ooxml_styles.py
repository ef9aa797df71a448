"""Merging a donor's styles.xml into a target's: append-only, de-duplicated, indices remapped."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from addin.adapters.ooxml_styles import StyleMap, merge_styles, schema_ordered_styles, structure_key

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"

fonts = st.tuples(st.booleans(), st.booleans(), st.sampled_from([9, 11, 14]), st.sampled_from(["000000", "FF0000"]))
fills = st.sampled_from(["FFFFFF", "1F3864", "FFC7CE"])
formats = st.sampled_from(["0", "0.0", "0.0%", "yyyy-mm-dd", '#,##0 "pts"'])
xfs = st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 4))


def stylesheet(font_list, fill_list, fmt_list, xf_list, dxf_fills=()) -> bytes:  # type: ignore[no-untyped-def]
    def font(bold: bool, italic: bool, size: int, color: str) -> str:
        flags = ("<b/>" if bold else "") + ("<i/>" if italic else "")
        return f'<font>{flags}<sz val="{size}"/><color rgb="FF{color}"/></font>'

    fill = '<fill><patternFill patternType="solid"><fgColor rgb="FF{}"/></patternFill></fill>'
    numfmts = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{f.replace(chr(34), "&quot;")}"/>' for i, f in enumerate(fmt_list)
    )
    xf = '<xf numFmtId="{}" fontId="{}" fillId="{}" borderId="0" xfId="0"/>'
    return (
        f'<styleSheet xmlns="{MAIN}"><numFmts count="{len(fmt_list)}">{numfmts}</numFmts>'
        f'<fonts count="{len(font_list)}">{"".join(font(*f) for f in font_list)}</fonts>'
        f'<fills count="{len(fill_list) + 2}"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        f"{''.join(fill.format(c) for c in fill_list)}</fills>"
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        f'<cellXfs count="{len(xf_list)}">'
        + "".join(xf.format(164 + n % max(len(fmt_list), 1) if fmt_list else 0, f, i) for f, i, n in xf_list)
        + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        f'<dxfs count="{len(dxf_fills)}">'
        + "".join(f'<dxf><fill><patternFill><bgColor rgb="FF{c}"/></patternFill></fill></dxf>' for c in dxf_fills)
        + "</dxfs></styleSheet>"
    ).encode()


def resolved_xf(root: etree._Element, index: int) -> tuple[object, ...]:
    """What a cell style index means: its font, fill and number format code, all resolved."""
    xf = root.find(f"{{{MAIN}}}cellXfs")[index]  # type: ignore[index]
    font = root.find(f"{{{MAIN}}}fonts")[int(xf.get("fontId"))]  # type: ignore[index, arg-type]
    fill = root.find(f"{{{MAIN}}}fills")[int(xf.get("fillId"))]  # type: ignore[index, arg-type]
    codes = {nf.get("numFmtId"): nf.get("formatCode") for nf in root.iter(f"{{{MAIN}}}numFmt")}
    return structure_key(font), structure_key(fill), codes.get(xf.get("numFmtId"), xf.get("numFmtId"))


@settings(max_examples=60, deadline=None)
@given(
    t_fonts=st.lists(fonts, min_size=1, max_size=4), t_fills=st.lists(fills, max_size=3),
    t_fmts=st.lists(formats, max_size=3, unique=True), d_fonts=st.lists(fonts, min_size=4, max_size=4),
    d_fmts=st.lists(formats, min_size=1, max_size=3, unique=True),
    d_xfs=st.lists(xfs, min_size=1, max_size=6), t_xf_count=st.integers(1, 3),
)  # fmt: skip
def test_merge_keeps_target_indices_and_donor_meaning(  # type: ignore[no-untyped-def]
    t_fonts, t_fills, t_fmts, d_fonts, d_fmts, d_xfs, t_xf_count
) -> None:
    target = stylesheet(t_fonts, t_fills, t_fmts, [(0, 0, 0)] * t_xf_count)
    donor = stylesheet(d_fonts, ["FFFFFF", "1F3864", "FFC7CE"], d_fmts, d_xfs)
    merged, smap = merge_styles(target, donor)
    result = etree.fromstring(merged if merged is not None else target)
    before, d_root = etree.fromstring(target), etree.fromstring(donor)
    for section in ("fonts", "fills", "cellXfs", "numFmts"):
        old, new = before.find(f"{{{MAIN}}}{section}"), result.find(f"{{{MAIN}}}{section}")
        assert [etree.tostring(e) for e in new[: len(old)]] == [etree.tostring(e) for e in old]  # type: ignore[arg-type, index]
    for i in range(len(d_xfs)):
        assert resolved_xf(result, smap.xf[i]) == resolved_xf(d_root, i)
    again, smap2 = merge_styles(merged if merged is not None else target, donor)
    assert again is None and smap2 == smap  # a second run adds nothing and maps the same way


def test_dxf_ids_are_remapped_in_x14_and_table_attributes() -> None:
    target = stylesheet([(False, False, 11, "000000")], [], [], [(0, 0, 0)], dxf_fills=["FF0000", "00FF00"])
    donor = stylesheet([(False, False, 11, "000000")], [], [], [(0, 0, 0)], dxf_fills=["0000FF", "FF0000"])
    merged, smap = merge_styles(target, donor)
    assert merged is not None and smap.dxf == {0: 2, 1: 0}
    sheet = etree.fromstring(
        f'<worksheet xmlns="{MAIN}" xmlns:x14="{X14}"><cols><col min="1" max="1" style="0"/></cols>'
        '<sheetData><row r="1" s="0" customFormat="1"><c r="A1" s="0"/></row></sheetData>'
        '<conditionalFormatting><cfRule type="expression" dxfId="0"/></conditionalFormatting>'
        '<extLst><ext><x14:conditionalFormattings><x14:conditionalFormatting><x14:cfRule dxfId="1"/>'
        "</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst></worksheet>"
    )
    StyleMap(xf={0: 5}, dxf=smap.dxf).apply(sheet)
    xml = etree.tostring(sheet).decode()
    assert 'dxfId="2"' in xml and 'x14:cfRule dxfId="0"' in xml
    assert 'style="5"' in xml and 'row r="1" s="5"' in xml and 'c r="A1" s="5"' in xml
    table = etree.fromstring(f'<table xmlns="{MAIN}" headerRowDxfId="1" dataDxfId="0"/>')
    smap.apply(table)
    assert table.get("headerRowDxfId") == "0" and table.get("dataDxfId") == "2"


def test_colliding_custom_number_format_ids_move_up() -> None:
    target = stylesheet([(False, False, 11, "000000")], [], ["yyyy-mm-dd"], [(0, 0, 0)])
    donor = stylesheet([(False, False, 11, "000000")], [], ["0.0%", "yyyy-mm-dd"], [(0, 0, 0), (0, 0, 1)])
    merged, smap = merge_styles(target, donor)
    assert merged is not None
    root = etree.fromstring(merged)
    codes = {nf.get("formatCode"): nf.get("numFmtId") for nf in root.iter(f"{{{MAIN}}}numFmt")}
    assert codes == {"yyyy-mm-dd": "164", "0.0%": "165"}  # the shared code is reused, not duplicated
    assert [resolved_xf(root, smap.xf[i])[2] for i in (0, 1)] == ["0.0%", "yyyy-mm-dd"]


OPENPYXL_FONT = '<font><name val="Arial"/><b val="1"/><color rgb="00FFFFFF"/><sz val="12"/><u val="single"/></font>'
FONT_ORDER = ["b", "u", "sz", "color", "name"]


def font_children(root: etree._Element, path: str) -> list[list[str]]:
    return [[etree.QName(c).localname for c in f] for f in root.iterfind(path, {"m": MAIN})]


def test_appended_fonts_follow_the_schema_order() -> None:
    # openpyxl writes a font's children as name, b, color, sz, u; CT_Font is a sequence b ... u, sz, color, name
    target = f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    target += '<cellXfs count="1"><xf fontId="0"/></cellXfs><dxfs count="0"/></styleSheet>'
    donor = (
        f'<styleSheet xmlns="{MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        f'{OPENPYXL_FONT}</fonts><cellXfs count="2"><xf fontId="0"/><xf fontId="1"/></cellXfs>'
        f'<dxfs count="1"><dxf>{OPENPYXL_FONT}</dxf></dxfs></styleSheet>'
    )
    merged, smap = merge_styles(target.encode(), donor.encode())
    assert merged is not None
    root = etree.fromstring(merged)
    assert font_children(root, "m:fonts/m:font") == [["sz", "name"], FONT_ORDER]
    assert font_children(root, "m:dxfs/m:dxf/m:font") == [FONT_ORDER]
    assert smap.xf == {0: 0, 1: 1}
    # the same donor again adds nothing: equal fonts are found whatever their children's order
    again, _ = merge_styles(merged, donor.encode())
    assert again is None


def test_schema_ordered_styles_sorts_fonts_and_keeps_ordered_bytes() -> None:
    unordered = f'<styleSheet xmlns="{MAIN}"><fonts count="1">{OPENPYXL_FONT}</fonts></styleSheet>'.encode()
    ordered = schema_ordered_styles(unordered)
    assert font_children(etree.fromstring(ordered), "m:fonts/m:font") == [FONT_ORDER]
    assert schema_ordered_styles(ordered) is ordered  # nothing to move: the very same bytes
