"""Notes drawings get their own idmap block and shape ids, as Excel numbers them; nothing else moves."""

from __future__ import annotations

import re

from lxml import etree

from addin.adapters.ooxml_vml import NS_O, NS_V, NS_X, number_notes

SHAPETYPE = '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"/>'


def drawing(shape_ids: list[str], data: str | None = "1", kind: str = "Note", shapetype_each: bool = False) -> bytes:
    layout = f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{data}"/></o:shapelayout>' if data else ""
    shapes = "".join(
        (SHAPETYPE if shapetype_each or i == 0 else "")
        + f'<v:shape id="{sid}" type="#_x0000_t202"><x:ClientData ObjectType="{kind}"><x:Row>{i}</x:Row>'
        "<x:Column>0</x:Column></x:ClientData></v:shape>"
        for i, sid in enumerate(shape_ids)
    )
    return f'<xml xmlns:v="{NS_V}" xmlns:o="{NS_O}" xmlns:x="{NS_X}">{layout}{shapes}</xml>'.encode()


def openpyxl_drawing(rows: int) -> bytes:
    """What openpyxl writes: data="1", ids from 1026, ns0-style prefixes declared on every shape."""
    shapes = "".join(
        f'<ns0:shape xmlns:ns0="{NS_V}" xmlns:ns1="{NS_O}" type="#_x0000_t202" id="_x0000_s{1026 + i}">'
        f'<ns2:ClientData xmlns:ns2="{NS_X}" ObjectType="Note"><ns2:Row>{i}</ns2:Row></ns2:ClientData></ns0:shape>'
        for i in range(rows)
    )
    return (
        f'<xml><ns0:shapelayout xmlns:ns0="{NS_O}" xmlns:ns1="{NS_V}" ns1:ext="edit">'
        f'<ns0:idmap ns1:ext="edit" data="1"/></ns0:shapelayout>{shapes}</xml>'
    ).encode()


def blocks_and_ids(data: bytes) -> tuple[str, list[str]]:
    root = etree.fromstring(data)
    idmap = root.find(f"{{{NS_O}}}shapelayout/{{{NS_O}}}idmap")
    assert idmap is not None
    return idmap.get("data", ""), [s.get("id", "") for s in root.iter(f"{{{NS_V}}}shape")]


def test_openpyxl_drawings_get_one_block_each_in_name_order() -> None:
    parts = {f"xl/drawings/commentsDrawing{n}.vml": openpyxl_drawing(rows=2) for n in (1, 2, 10)}
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet/>"
    changed = number_notes(parts)
    assert set(changed) == {n for n in parts if n.endswith(".vml")}
    assert blocks_and_ids(changed["xl/drawings/commentsDrawing1.vml"]) == ("1", ["_x0000_s1025", "_x0000_s1026"])
    assert blocks_and_ids(changed["xl/drawings/commentsDrawing2.vml"]) == ("2", ["_x0000_s2049", "_x0000_s2050"])
    assert blocks_and_ids(changed["xl/drawings/commentsDrawing10.vml"]) == ("3", ["_x0000_s3073", "_x0000_s3074"])


def test_written_with_excels_prefixes_declared_once() -> None:
    text = number_notes({"a.vml": openpyxl_drawing(rows=3), "b.vml": openpyxl_drawing(rows=1)})["a.vml"].decode()
    assert text.count("xmlns:v=") == 1 and text.count("xmlns:o=") == 1 and text.count("xmlns:x=") == 1
    assert "ns0:" not in text and "<v:shape " in text and "<x:ClientData" in text and "<o:idmap" in text


def test_libreoffice_drawings_get_an_idmap_ids_and_one_shape_type() -> None:
    lo = drawing(["shape_0", "shape_0"], data=None, shapetype_each=True)
    changed = number_notes({"xl/drawings/vmlDrawing1.vml": lo, "xl/drawings/vmlDrawing2.vml": lo})
    assert blocks_and_ids(changed["xl/drawings/vmlDrawing2.vml"]) == ("2", ["_x0000_s2049", "_x0000_s2050"])
    root = etree.fromstring(changed["xl/drawings/vmlDrawing1.vml"])
    assert len(list(root.iter(f"{{{NS_V}}}shapetype"))) == 1
    assert [r.text for r in root.iter(f"{{{NS_X}}}Row")] == ["0", "1"]  # the notes themselves are kept


def test_sound_drawings_are_left_alone() -> None:
    parts = {
        "xl/drawings/vmlDrawing1.vml": drawing(["_x0000_s1025", "_x0000_s1026"], data="1"),
        "xl/drawings/vmlDrawing2.vml": drawing(["_x0000_s2049"], data="2"),
    }
    assert number_notes(parts) == {}


def test_form_controls_keep_their_block_and_notes_move_around_it() -> None:
    # a button's shape id is referenced from its sheet (<control shapeId=...>): never renumbered
    button = drawing(["_x0000_s1025"], data="1", kind="Button")
    note = drawing(["_x0000_s1025"], data="1")
    changed = number_notes({"xl/drawings/vmlDrawing1.vml": button, "xl/drawings/vmlDrawing2.vml": note})
    assert set(changed) == {"xl/drawings/vmlDrawing2.vml"}
    assert blocks_and_ids(changed["xl/drawings/vmlDrawing2.vml"]) == ("2", ["_x0000_s2049"])


def test_a_drawing_that_is_not_xml_is_kept_and_its_block_reserved() -> None:
    old = b'<xml xmlns:o="urn:schemas-microsoft-com:office:office"><o:idmap v:ext="edit" data="1"/><br></xml>'
    note = drawing(["shape_0"], data=None)
    changed = number_notes({"xl/drawings/vmlDrawing1.vml": old, "xl/drawings/vmlDrawing2.vml": note})
    assert set(changed) == {"xl/drawings/vmlDrawing2.vml"}
    assert blocks_and_ids(changed["xl/drawings/vmlDrawing2.vml"])[0] == "2"


def test_more_than_1024_notes_take_more_blocks() -> None:
    many = drawing(["shape_0"] * 1500, data=None)
    changed = number_notes({"a.vml": many, "b.vml": drawing(["shape_0"], data=None)})
    data, ids = blocks_and_ids(changed["a.vml"])
    assert data == "1,2" and ids[0] == "_x0000_s1025" and ids[-1] == f"_x0000_s{1025 + 1499}"
    assert blocks_and_ids(changed["b.vml"]) == ("3", ["_x0000_s3073"])
    assert all(re.fullmatch(r"_x0000_s\d+", i) for i in ids) and len(set(ids)) == 1500


def test_a_drawing_of_notes_and_buttons_is_kept_and_the_other_notes_move() -> None:
    # Excel keeps a sheet's notes and form controls in one drawing; the controls' ids are referenced
    mixed = drawing(["_x0000_s1025"], data="1").replace(
        b"</xml>",
        b'<v:shape id="_x0000_s1026" type="#_x0000_t201"><x:ClientData ObjectType="Button"/></v:shape></xml>',
    )
    note = drawing(["_x0000_s1025"], data="1")
    changed = number_notes({"xl/drawings/vmlDrawing1.vml": mixed, "xl/drawings/vmlDrawing2.vml": note})
    assert set(changed) == {"xl/drawings/vmlDrawing2.vml"}
    assert blocks_and_ids(changed["xl/drawings/vmlDrawing2.vml"]) == ("2", ["_x0000_s2049"])
