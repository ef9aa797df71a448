"""Give each legacy VML drawing of cell notes its own block of shape ids, as Excel numbers them.

Excel numbers VML shapes in blocks of 1024 per drawing: the drawing's `<o:idmap data="N">` names its
blocks and its shapes are `_x0000_s{N*1024+1}`, `_x0000_s{N*1024+2}`, ... openpyxl gives every
drawing `data="1"` and the same shape ids (and `ns0:`-style prefixes, declared again on every shape);
LibreOffice writes no idmap, `shape_0` for every note and the shape type once per note. Excel may
then offer to "repair" the file, and the Open XML SDK reports the duplicate ids.

`number_notes` renumbers the drawings that hold only notes, when the package's ids clash: one block
(or more, past 1024 notes) per drawing, in name order, skipping the blocks of other VML drawings
(form controls, whose shape ids the sheets refer to, are never renumbered). The add-in's own
drawings give way to the user's. Nothing else in a drawing changes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Iterable

from lxml import etree

NS_V = "urn:schemas-microsoft-com:vml"
NS_O = "urn:schemas-microsoft-com:office:office"
NS_X = "urn:schemas-microsoft-com:office:excel"
BLOCK = 1024
"""Shape ids per idmap block."""
_PREFIXES: dict[str | None, str] = {"v": NS_V, "o": NS_O, "x": NS_X}
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NUMBER = re.compile(r"(\d+)")
_IDMAP = re.compile(rb"<(?:\w+:)?idmap\b[^>]*?\bdata=\"([^\"]*)\"")
_SHAPE_ID = re.compile(r"^_x0000_s(\d+)$")
_SHAPES = (f"{{{NS_V}}}shape", f"{{{NS_V}}}rect", f"{{{NS_V}}}oval", f"{{{NS_V}}}line", f"{{{NS_V}}}group")


def is_vml(name: str) -> bool:
    """Whether zip entry `name` is a legacy VML drawing."""
    return name.lower().endswith(".vml")


class _Drawing:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data
        try:
            self.root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:  # old Excel VML is not always well-formed: keep it, and its blocks
            self.root = etree.Element("xml")
            self.shapes: list[etree._Element] = []
            self.notes_only = False
            found = _IDMAP.search(data)
            self.blocks = [int(b) for b in re.split(rb"[,\s]+", found.group(1)) if b.isdigit()] if found else []
            return
        self.shapes = [el for el in self.root.iter(*_SHAPES)]
        client = [s.find(f"{{{NS_X}}}ClientData") for s in self.shapes]
        self.notes_only = bool(client) and all(c is not None and c.get("ObjectType") == "Note" for c in client)
        idmap = self.root.find(f"{{{NS_O}}}shapelayout/{{{NS_O}}}idmap")
        data_attr = idmap.get("data", "") if idmap is not None else ""
        self.blocks = [int(b) for b in re.split(r"[,\s]+", data_attr) if b.isdigit()]

    def ids(self) -> list[str]:
        return [s.get("id", "") for s in self.shapes]

    def sound(self) -> bool:
        """An idmap, each shape id in one of its blocks, and no shape type defined twice."""
        if not self.shapes:
            return True
        if not self.blocks:
            return False
        for shape_id in self.ids():
            m = _SHAPE_ID.match(shape_id)
            if m is None or (int(m.group(1)) - 1) // BLOCK not in self.blocks:
                return False
        types = [el.get("id") for el in self.root.iter(f"{{{NS_V}}}shapetype")]
        return len(types) == len(set(types))


def number_notes(parts: dict[str, bytes], ours: Collection[str] = ()) -> dict[str, bytes]:
    """The notes drawings among `parts` (zip entry name -> bytes) renumbered where ids clash; only the
    changed entries are returned (none when every drawing already has its own blocks and ids).

    Drawings named in `ours` (the add-in's own) move out of the way first: the others (the user's)
    are renumbered only when they clash among themselves.
    """
    drawings = [_Drawing(n, parts[n]) for n in sorted((n for n in parts if is_vml(n)), key=_natural)]
    if _sound(drawings):
        return {}
    changed: dict[str, bytes] = {}
    theirs = [d for d in drawings if d.name not in ours]
    mine = [d for d in drawings if d.name in ours]
    if not _sound(theirs):
        changed.update(_assign([d for d in theirs if d.notes_only], _blocks(d for d in theirs if not d.notes_only)))
    if not _sound(drawings):
        reserved = _blocks(theirs) | _blocks(d for d in mine if not d.notes_only)
        changed.update(_assign([d for d in mine if d.notes_only], reserved))
    return changed


def _sound(drawings: list[_Drawing]) -> bool:
    """Every notes drawing numbered in its own blocks, and no block or shape id used twice."""
    blocks = [b for d in drawings for b in d.blocks]
    ids = [i for d in drawings for i in d.ids()]
    notes_sound = all(d.sound() for d in drawings if d.notes_only)
    return notes_sound and len(blocks) == len(set(blocks)) and len(ids) == len(set(ids))


def _blocks(drawings: Iterable[_Drawing]) -> set[int]:
    return {b for d in drawings for b in d.blocks}


def _assign(drawings: list[_Drawing], reserved: set[int]) -> dict[str, bytes]:
    """Number `drawings` in order from block 1, skipping `reserved` blocks."""
    changed, block = {}, 1
    for d in drawings:
        need = len(d.shapes) // BLOCK + 1
        while reserved & set(range(block, block + need)):
            block += 1
        changed[d.name] = _renumber(d, block, need)
        block += need
    return changed


def _natural(name: str) -> list[object]:
    return [int(t) if t.isdigit() else t.lower() for t in _NUMBER.split(name)]


def _renumber(d: _Drawing, first_block: int, blocks: int) -> bytes:
    root = d.root
    for k, shape in enumerate(d.shapes):
        shape.set("id", f"_x0000_s{first_block * BLOCK + 1 + k}")
    seen: set[str | None] = set()
    for shapetype in list(root.iter(f"{{{NS_V}}}shapetype")):
        parent = shapetype.getparent()
        if shapetype.get("id") in seen and parent is not None:
            parent.remove(shapetype)
        seen.add(shapetype.get("id"))
    layout = root.find(f"{{{NS_O}}}shapelayout")
    if layout is None:
        layout = etree.Element(f"{{{NS_O}}}shapelayout")
        layout.set(f"{{{NS_V}}}ext", "edit")
        root.insert(0, layout)
    idmap = layout.find(f"{{{NS_O}}}idmap")
    if idmap is None:
        idmap = etree.SubElement(layout, f"{{{NS_O}}}idmap")
        idmap.set(f"{{{NS_V}}}ext", "edit")
    d.blocks = list(range(first_block, first_block + blocks))
    idmap.set("data", ",".join(str(b) for b in d.blocks))
    declared = d.data.lstrip().startswith(b"<?xml")
    return (_DECLARATION if declared else b"") + _with_prefixes(root)


def _with_prefixes(root: etree._Element) -> bytes:
    """The drawing's XML with the VML namespaces declared once, on the root, as v, o and x."""
    nsmap: dict[str | None, str] = {
        p: u for p, u in root.nsmap.items() if u not in _PREFIXES.values() and p not in _PREFIXES
    }
    nsmap.update(_PREFIXES)
    new_root = etree.Element(root.tag, nsmap=nsmap)  # type: ignore[arg-type]  # lxml-stubs forbid None keys
    for key, value in root.attrib.items():
        new_root.set(key, value)
    new_root.text = root.text
    _copy_children(root, new_root)
    return etree.tostring(new_root, encoding="UTF-8", xml_declaration=False)


def _copy_children(src: etree._Element, dst: etree._Element) -> None:
    for child in src:
        if not isinstance(child.tag, str):  # comments, processing instructions
            dst.append(copy.deepcopy(child))
            continue
        new = etree.SubElement(dst, child.tag)
        for key, value in child.attrib.items():
            new.set(key, value)
        new.text, new.tail = child.text, child.tail
        _copy_children(child, new)
