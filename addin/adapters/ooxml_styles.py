"""Merge a donor workbook's styles.xml into a target's, and remap style indices in the donor's sheets.

Only appends: every index that the target's own sheets use keeps its meaning. Entries are de-duplicated
by their structure (tag, attributes, text, children; namespace prefixes and attribute order ignored), so
merging the same donor twice adds nothing the second time.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

# Children of <styleSheet>, in schema order (CT_Stylesheet); new sections are inserted in this order.
_ORDER = (
    "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs",
    "cellStyles", "dxfs", "tableStyles", "colors", "extLst",
)  # fmt: skip
# Children of <font> (CT_Font) and of a rich-text run's <rPr> (CT_RPrElt), in schema order. The schema
# text allows any order, but the Open XML SDK validates them as this sequence (openpyxl writes name, b,
# color, sz, u...); `rFont` is rPr's name.
FONT_ORDER = (
    "b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign",
    "sz", "color", "name", "rFont", "family", "charset", "scheme",
)  # fmt: skip
FIRST_CUSTOM_NUMFMT = 164  # ids below are built in; custom number formats start here
_PARSER = etree.XMLParser(resolve_entities=False, remove_blank_text=False, huge_tree=False)


@dataclass
class StyleMap:
    """Where each donor style index lands in the merged target styles."""

    xf: dict[int, int] = field(default_factory=dict)
    dxf: dict[int, int] = field(default_factory=dict)

    def apply(self, sheet: etree._Element) -> None:
        """Rewrite cell and row `s`, column `style` and every `*dxfId` of a donor sheet or table in place."""
        self._restyle(sheet)
        for part in sheet:
            if isinstance(part.tag, str) and etree.QName(part).localname == "sheetData":
                for el in part.iter("{*}row", "{*}c"):  # filtered in lxml: the cells' values are not visited
                    if el.get("s") is not None:
                        el.set("s", str(self.xf.get(_int(el.get("s")), 0)))
            else:  # the rest is small: columns, conditional formats, a table's columns
                for el in part.iter():
                    self._restyle(el)

    def _restyle(self, el: etree._Element) -> None:
        if not isinstance(el.tag, str):
            return
        local = etree.QName(el).localname
        if local in ("c", "row") and el.get("s") is not None:
            el.set("s", str(self.xf.get(_int(el.get("s")), 0)))
        elif local == "col" and el.get("style") is not None:
            el.set("style", str(self.xf.get(_int(el.get("style")), 0)))
        for name in el.attrib:
            local_attr = etree.QName(name).localname
            if local_attr == "dxfId" or local_attr.endswith("DxfId"):
                el.set(name, str(self.dxf.get(_int(el.get(name)), 0)))


def merge_styles(target: bytes, donor: bytes) -> tuple[bytes | None, StyleMap]:
    """Append the donor's styles to the target's; return the new styles.xml (None if nothing was added)."""
    t_root = etree.fromstring(target, _PARSER)
    d_root = etree.fromstring(donor, _PARSER)
    grew = False

    numfmt: dict[int, int] = {}
    t_codes: dict[str, int] = {}
    for nf in _children(_section(t_root, "numFmts")):
        t_codes.setdefault(nf.get("formatCode", ""), _int(nf.get("numFmtId")))
    for nf in _children(_section(d_root, "numFmts")):
        code, old = nf.get("formatCode", ""), _int(nf.get("numFmtId"))
        if code not in t_codes:
            t_codes[code] = max([FIRST_CUSTOM_NUMFMT - 1, *t_codes.values()]) + 1
            new = copy.deepcopy(nf)
            new.set("numFmtId", str(t_codes[code]))
            _append(t_root, "numFmts", new)
            grew = True
        numfmt[old] = t_codes[code]

    maps: dict[str, dict[int, int]] = {}
    for name in ("fonts", "fills", "borders"):
        maps[name], added = _merge_list(t_root, d_root, name, None)
        grew |= added
    xf_id = _named_style_map(t_root, d_root)

    def remap_xf(xf: etree._Element) -> None:
        _remap_attr(xf, "numFmtId", lambda v: numfmt.get(v, v))
        _remap_attr(xf, "fontId", lambda v: maps["fonts"].get(v, 0))
        _remap_attr(xf, "fillId", lambda v: maps["fills"].get(v, 0))
        _remap_attr(xf, "borderId", lambda v: maps["borders"].get(v, 0))
        _remap_attr(xf, "xfId", lambda v: xf_id.get(v, 0))

    xf_map, added = _merge_list(t_root, d_root, "cellXfs", remap_xf)
    grew |= added
    dxf_map, added = _merge_list(t_root, d_root, "dxfs", None)
    grew |= added
    smap = StyleMap(xf=xf_map, dxf=dxf_map)
    return (serialize(t_root) if grew else None), smap


def order_fonts(root: etree._Element) -> bool:
    """Put the children of every <font> under `root` (fonts, dxfs) in schema order; True if any moved."""
    moved = False
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname == "font":
            moved |= _order_children(el, FONT_ORDER)
    return moved


def schema_ordered_styles(data: bytes) -> bytes:
    """A styles.xml with its fonts' children in schema order (the bytes unchanged if they already are)."""
    root = etree.fromstring(data, _PARSER)
    return serialize(root) if order_fonts(root) else data


def _order_children(el: etree._Element, order: tuple[str, ...]) -> bool:
    """Sort `el`'s element children by their place in `order` (unknown ones last, in their order)."""
    kids = [c for c in el if isinstance(c.tag, str)]
    rank = {name: i for i, name in enumerate(order)}
    ordered = sorted(kids, key=lambda c: rank.get(etree.QName(c).localname, len(order)))
    if ordered == kids:
        return False
    for c in kids:
        el.remove(c)
    el.extend(ordered)
    return True


def serialize(root: etree._Element) -> bytes:
    """The bytes of an OOXML part as Excel writes it: UTF-8, standalone declaration, no pretty-printing."""
    body: bytes = etree.tostring(root, encoding="UTF-8")
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + body


def structure_key(el: etree._Element) -> tuple[object, ...]:
    """A hashable key for a style entry that ignores prefixes, attribute order, child order and blank text.

    Child order carries no meaning in style entries (a font's children are an unordered choice; a border's
    sides and an xf's alignment/protection are named), so two entries that differ only in it are equal.
    """
    kids = sorted((structure_key(c) for c in el if isinstance(c.tag, str)), key=repr)
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(), tuple(kids))


def _merge_list(
    t_root: etree._Element,
    d_root: etree._Element,
    name: str,
    remap: Callable[[etree._Element], None] | None,
) -> tuple[dict[int, int], bool]:
    """Append the donor section's entries missing from the target's; map donor index -> target index."""
    index: dict[tuple[object, ...], int] = {}
    existing = _children(_section(t_root, name))
    for i, el in enumerate(existing):
        index.setdefault(structure_key(el), i)
    count, mapping, added = len(existing), {}, False
    for i, el in enumerate(_children(_section(d_root, name))):
        new = copy.deepcopy(el)
        if remap is not None:
            remap(new)
        order_fonts(new)  # a donor written by openpyxl has its font children out of schema order
        key = structure_key(new)
        if key not in index:
            _append(t_root, name, new)
            index[key], count, added = count, count + 1, True
        mapping[i] = index[key]
    return mapping, added


def _named_style_map(t_root: etree._Element, d_root: etree._Element) -> dict[int, int]:
    """Donor cellStyleXfs index -> the target's index of the named style of the same name (else Normal)."""
    styles = _children(_section(t_root, "cellStyles"))
    t_names = {cs.get("name", "").lower(): _int(cs.get("xfId")) for cs in styles}
    return {
        _int(cs.get("xfId")): t_names.get(cs.get("name", "").lower(), 0)
        for cs in _children(_section(d_root, "cellStyles"))
    }


def _remap_attr(el: etree._Element, attr: str, fn: Callable[[int], int]) -> None:
    raw = el.get(attr)
    new = fn(_int(raw))
    if raw is not None or new != 0:
        el.set(attr, str(new))


def _section(root: etree._Element, name: str) -> etree._Element | None:
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return child
    return None


def _children(section: etree._Element | None) -> list[etree._Element]:
    return [] if section is None else [c for c in section if isinstance(c.tag, str)]


def _append(root: etree._Element, name: str, el: etree._Element) -> None:
    """Append `el` to section `name` of the target (created in schema order if missing); fix its count."""
    section = _section(root, name)
    if section is None:
        ns = etree.QName(root).namespace
        section = etree.Element(f"{{{ns}}}{name}" if ns else name)
        later = set(_ORDER[_ORDER.index(name) + 1 :])
        pos = next(
            (i for i, c in enumerate(root) if isinstance(c.tag, str) and etree.QName(c).localname in later),
            len(root),
        )
        root.insert(pos, section)
    section.append(el)
    section.set("count", str(len(_children(section))))


def _int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0
