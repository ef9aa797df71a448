"""Give each legacy VML drawing of cell notes its own block of shape ids, as Excel numbers them.

Excel numbers VML shapes in blocks of 1024 per drawing: the drawing's `<o:idmap data="N">` names its
blocks and its shapes are `_x0000_s{N*1024+1}`, `_x0000_s{N*1024+2}`, ... openpyxl gives every
drawing `data="1"` and the same shape ids (and `ns0:`-style prefixes, declared again on every shape);
LibreOffice writes no idmap, `shape_0` for every note and the shape type once per note. Excel may
then offer to "repair" the file, and the Open XML SDK reports the duplicate ids.

`number_notes` renumbers the drawings that hold only notes, when the package's ids clash: one block
(or more, past 1024 notes) per drawing, in name order, skipping the blocks of other VML drawings
(form controls, whose shape ids the sheets refer to, are never renumbered). The add-in's own
drawings give way to the user's. Besides the ids and the idmap, a renumbered drawing loses only a
shape type defined twice, and gets Excel's namespace prefixes (v, o, x, declared once).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

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
_TAG = re.compile(rb"<(?:[\w.-]+:)?(shape|rect|oval|line|group|shapetype)\b([^>]*)>")
_ID = re.compile(rb"\sid=\"([^\"]*)\"")
_OBJECT_TYPE = re.compile(rb"ObjectType=\"([^\"]*)\"")
_SHAPES = (f"{{{NS_V}}}shape", f"{{{NS_V}}}rect", f"{{{NS_V}}}oval", f"{{{NS_V}}}line", f"{{{NS_V}}}group")


def is_vml(name: str) -> bool:
    """Whether zip entry `name` is a legacy VML drawing."""
    return name.lower().endswith(".vml")


@dataclass
class _Summary:
    """What the numbering depends on: notes only (None: unclear), idmap blocks, shape ids, shape types."""

    notes: bool | None
    blocks: list[int]
    ids: list[str]
    types: list[str]

    def own_ids_sound(self) -> bool:
        """Each shape id in one of the drawing's blocks, and no shape type defined twice."""
        if not self.ids:
            return True
        for shape_id in self.ids:
            m = _SHAPE_ID.match(shape_id)
            if m is None or (int(m.group(1)) - 1) // BLOCK not in self.blocks:
                return False
        return len(self.types) == len(set(self.types))


def _sound(summaries: list[_Summary]) -> bool:
    """Every notes drawing numbered inside its own blocks, which no other drawing uses, with shape ids
    no other drawing uses. (Clashes among other drawings, such as form controls, are not ours to fix.)"""
    if any(s.notes is None for s in summaries):
        return False
    notes = [s for s in summaries if s.notes]
    if not all(s.own_ids_sound() for s in notes):
        return False
    note_blocks = [b for s in notes for b in s.blocks]
    other_blocks = {b for s in summaries if not s.notes for b in s.blocks}
    if len(note_blocks) != len(set(note_blocks)) or other_blocks & set(note_blocks):
        return False
    every_id = Counter(i for s in summaries for i in s.ids)
    return all(every_id[i] == 1 for s in notes for i in s.ids)


def _scan(data: bytes) -> _Summary:
    """A drawing's summary read from its tags' text, without parsing; `notes` is None when unclear."""
    found = _IDMAP.search(data)
    blocks = [int(b) for b in re.split(rb"[,\s]+", found.group(1)) if b.isdigit()] if found else []
    ids: list[str] = []
    types: list[str] = []
    for tag, attrs in _TAG.findall(data):
        m = _ID.search(attrs)
        (types if tag == b"shapetype" else ids).append(m.group(1).decode("utf-8", "replace") if m else "")
    kinds = _OBJECT_TYPE.findall(data)
    notes: bool | None = bool(ids) and len(kinds) == len(ids) and all(k == b"Note" for k in kinds)
    if not notes and b"Note" in kinds:
        notes = None  # notes mixed with something else, or tags this scan may have miscounted: parse
    return _Summary(notes, blocks, ids, types)


class _Drawing:
    """A parsed drawing (`summary.notes` False for one that is not well-formed XML: it is kept as it is)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data
        try:
            self.root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:  # old Excel VML is not always well-formed: keep it, and its blocks
            self.root = etree.Element("xml")
            self.shapes: list[etree._Element] = []
            self.summary = _Summary(False, _scan(data).blocks, [], [])
            return
        self.shapes = list(self.root.iter(*_SHAPES))
        client = [s.find(f"{{{NS_X}}}ClientData") for s in self.shapes]
        notes = bool(client) and all(c is not None and c.get("ObjectType") == "Note" for c in client)
        idmap = self.root.find(f"{{{NS_O}}}shapelayout/{{{NS_O}}}idmap")
        data_attr = idmap.get("data", "") if idmap is not None else ""
        blocks = [int(b) for b in re.split(r"[,\s]+", data_attr) if b.isdigit()]
        types = [el.get("id", "") for el in self.root.iter(f"{{{NS_V}}}shapetype")]
        self.summary = _Summary(notes, blocks, [s.get("id", "") for s in self.shapes], types)

    @property
    def notes(self) -> bool:
        return bool(self.summary.notes)


def number_notes(parts: dict[str, bytes], ours: Collection[str] = ()) -> dict[str, bytes]:
    """The notes drawings among `parts` (zip entry name -> bytes) renumbered where ids clash; only the
    changed entries are returned (none when every notes drawing already has its own blocks and ids).

    Drawings named in `ours` (the add-in's own) move out of the way first: the others (the user's)
    are renumbered only when they clash among themselves.
    """
    names = sorted((n for n in parts if is_vml(n)), key=_natural)
    if _sound([_scan(parts[n]) for n in names]):
        return {}  # the common case, decided without parsing (a workbook can hold megabytes of notes)
    drawings = [_Drawing(n, parts[n]) for n in names]
    if _sound([d.summary for d in drawings]):
        return {}
    changed: dict[str, bytes] = {}
    theirs = [d for d in drawings if d.name not in ours]
    mine = [d for d in drawings if d.name in ours]
    if not _sound([d.summary for d in theirs]):
        changed.update(_assign([d for d in theirs if d.notes], _blocks(d for d in theirs if not d.notes)))
    if not _sound([d.summary for d in drawings]):
        reserved = _blocks(theirs) | _blocks(d for d in mine if not d.notes)
        changed.update(_assign([d for d in mine if d.notes], reserved))
    return changed


def _blocks(drawings: Iterable[_Drawing]) -> set[int]:
    return {b for d in drawings for b in d.summary.blocks}


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
    d.summary.blocks = list(range(first_block, first_block + blocks))
    d.summary.ids = [s.get("id", "") for s in d.shapes]
    d.summary.types = list(dict.fromkeys(d.summary.types))
    idmap.set("data", ",".join(str(b) for b in d.summary.blocks))
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
