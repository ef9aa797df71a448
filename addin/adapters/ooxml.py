"""Replace only the add-in's own sheets inside an .xlsx/.xlsm package, copying everything else byte for byte.

openpyxl's load+save drops what it does not model (shapes, form controls, sparklines, slicers, x14 data
bars, threaded comments, VBA and ribbon parts) and is slow on big books. So the output sheets are rendered
with openpyxl into a small "donor" workbook, and `replace_sheets` splices the donor's sheets into the user's
package at the zip level:

* untouched zip entries are streamed as raw compressed bytes, never decompressed or parsed;
* the parts owned only by a replaced sheet (its worksheet, rels, drawing, charts, pictures, comments,
  tables) are dropped; parts still reachable from anything else are kept;
* the donor's parts get fresh names in the target, with relationship targets rewritten;
* the only parts edited are the workbook's `<sheets>`, the workbook rels, `[Content_Types].xml`,
  `styles.xml` (donor styles appended, de-duplicated, fonts in schema order) and `calcChain.xml`
  (entries of replaced sheets); and two repairs Excel and the Open XML SDK ask for: notes drawings
  whose shape ids clash are numbered as Excel numbers them (`ooxml_vml`), and a workbook without a
  theme (LibreOffice saves none) gets the default Office theme;
* donor shared strings become inline strings, so the target's sharedStrings part stays byte-identical.
"""

from __future__ import annotations

import copy
import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from addin.adapters.ooxml_styles import StyleMap, merge_styles, serialize
from addin.adapters.ooxml_vml import is_vml, number_notes
from addin.core.errors import PackageError

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_STYLES = NS_R + "/styles"
REL_SST = NS_R + "/sharedStrings"
REL_CALC = NS_R + "/calcChain"
REL_THEME = NS_R + "/theme"
CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
_STRICT = "purl.oclc.org/ooxml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # new entries get a fixed time so two runs write identical bytes
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=False)  # libxml2 limits kept: depth 256
_NUMBERED = re.compile(r"^(?P<stem>.*?)\d*(?P<ext>\.[^.]*)?$")
_CODENAME = re.compile(rb'<(?:\w+:)?sheetPr\b[^>]*?\bcodeName="([^"]*)"')


@dataclass(frozen=True)
class Rel:
    """One relationship: `target` is a resolved part name for internal ones, the raw URI for external."""

    id: str
    type: str
    target: str
    external: bool
    absolute: bool


def replace_sheets(
    target: str | os.PathLike[str], donor: bytes, sheet_names: Sequence[str], dest: str | os.PathLike[str]
) -> None:
    """Write to `dest` a copy of the package `target` in which every sheet named in `sheet_names`
    is the donor's sheet of that name: an existing sheet of that name (matched case-insensitively)
    is replaced in place (same position in the tab order, same sheetId), a missing one is appended
    at the end of the tab order. Every other part of the package is copied byte-identical.

    Raises PackageError when `target` or `donor` is not a usable OOXML spreadsheet zip, ValueError when
    `sheet_names` repeats a name or names a sheet the donor lacks.
    """
    lowered = [n.lower() for n in sheet_names]
    if len(set(lowered)) != len(lowered):
        raise ValueError(f"sheet_names repeats a name: {list(sheet_names)}")
    if os.path.abspath(target) == os.path.abspath(dest):
        raise ValueError("dest must be another file than target (write to a temporary file, then os.replace)")
    donor_label = "the donor workbook"
    with _open_zip(target, "the workbook") as t_zip, _open_zip(io.BytesIO(donor), donor_label) as d_zip:
        t_pkg, d_pkg = _Package(t_zip, str(target)), _Package(d_zip, donor_label)
        plan = _Splice(t_pkg, d_pkg).run(list(sheet_names))
        with open(target, "rb") as src, open(dest, "wb") as out:
            writer = _ZipWriter(out)
            for info in t_zip.infolist():
                key = info.filename.lower()
                if key in plan.removed:
                    continue
                if key in plan.edited:
                    writer.add(
                        info.filename,
                        plan.edited[key],
                        info.date_time,
                        info.external_attr,
                        info.create_system,
                    )
                else:
                    writer.copy_raw(src, info)
            for name, data in plan.added:
                writer.add(name, data, _FIXED_TIME, 0, 0)
            writer.close()


# --- reading a package -------------------------------------------------------------------------------


@contextmanager
def _open_zip(source: str | os.PathLike[str] | BinaryIO, label: str) -> Iterator[zipfile.ZipFile]:
    try:
        if isinstance(source, str | os.PathLike):
            with open(source, "rb") as fh:
                head = fh.read(8)
        else:
            head = source.read(8)
            source.seek(0)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise PackageError(
                f"{label} is encrypted (password to open) or an old .xls file; save it as an unprotected "
                "Excel Workbook (.xlsx or .xlsm) and try again"
            )
        zf = zipfile.ZipFile(source)
    except FileNotFoundError as exc:
        raise PackageError(f"{label} was not found: {source}") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"{label} is not an Excel .xlsx/.xlsm file (not a zip package): {exc}") from exc
    with zf:
        yield zf


class _Package:
    """Read access to a zip package by case-insensitive part name, with parsed relationships."""

    def __init__(self, zf: zipfile.ZipFile, label: str) -> None:
        self.zf, self.label = zf, label
        self.names = {i.filename.lower(): i.filename for i in zf.infolist() if not i.is_dir()}
        self._rels: dict[str, list[Rel]] = {}
        if "[content_types].xml" not in self.names:
            raise PackageError(f"{label} is a zip but not an Office package: [Content_Types].xml is missing")
        self.types = self.xml("[Content_Types].xml")
        doc = [r for r in self.rels("") if r.type.endswith("/officeDocument") and not r.external]
        if not doc or _STRICT in doc[0].type:
            raise PackageError(
                f"{label} has no workbook part"
                if not doc
                else f"{label} is saved as Strict Open XML; save it as an ordinary Excel Workbook (.xlsx)"
            )
        self.workbook = doc[0].target
        main_type = self.content_type(self.workbook) if self.has(self.workbook) else ""
        if "spreadsheetml" not in main_type and "ms-excel" not in main_type:  # .xlsx/.xltx or .xlsm/.xltm
            raise PackageError(f"{label} is an Office package but not an Excel workbook")
        if "binary" in main_type:
            raise PackageError(f"{label} is an Excel Binary Workbook (.xlsb); save it as .xlsx or .xlsm")

    def has(self, part: str) -> bool:
        return part.lower() in self.names

    def read(self, part: str) -> bytes:
        try:
            return self.zf.read(self.names[part.lower()])
        except (KeyError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise PackageError(f"{self.label} is damaged: cannot read part {part} ({exc})") from exc

    def xml(self, part: str) -> etree._Element:
        try:
            return etree.fromstring(self.read(part), _PARSER)
        except etree.XMLSyntaxError as exc:
            raise PackageError(f"{self.label} is damaged: part {part} is not well-formed XML: {exc}") from exc

    def rels(self, part: str) -> list[Rel]:
        """Relationships of `part` ("" for the package itself), resolved to part names."""
        if part not in self._rels:
            path = rels_path(part)
            found = []
            if self.has(path):
                for el in self.xml(path).iter(f"{{{NS_PR}}}Relationship"):
                    raw, external = el.get("Target", ""), el.get("TargetMode") == "External"
                    target = raw if external else resolve(part, raw)
                    target = target if external else self.names.get(target.lower(), target)
                    rel = Rel(el.get("Id", ""), el.get("Type", ""), target, external, raw.startswith("/"))
                    found.append(rel)
            self._rels[part] = found
        return self._rels[part]

    def content_type(self, part: str) -> str:
        name = "/" + part.lower()
        for el in self.types.iter(f"{{{NS_CT}}}Override"):
            if unquote(el.get("PartName", "")).lower() == name:
                return el.get("ContentType", "")
        return self.default_type(posixpath.splitext(part)[1][1:]) or ""

    def default_type(self, ext: str) -> str | None:
        for el in self.types.iter(f"{{{NS_CT}}}Default"):
            if el.get("Extension", "").lower() == ext.lower():
                return el.get("ContentType", "")
        return None

    def walk(self, starts: Iterable[str], skip: frozenset[tuple[str, str]] = frozenset()) -> list[str]:
        """Parts reachable from `starts` (included) through internal relationships, in depth-first order;
        `skip` holds (source part, relationship id) edges not to follow."""
        seen: dict[str, str] = {}
        stack = [s for s in reversed(list(starts)) if self.has(s)]
        while stack:
            part = self.names[stack.pop().lower()]
            if part.lower() in seen:
                continue
            seen[part.lower()] = part
            stack.extend(
                r.target for r in reversed(self.rels(part))
                if not r.external and (part, r.id) not in skip and self.has(r.target)
            )  # fmt: skip
        return list(seen.values())


def rels_path(part: str) -> str:
    """The relationships part of `part` ("" means the package root)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    """The part name a relationship target of `source` points at."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def relative(source: str, target: str) -> str:
    """A relationship target from `source` to part `target`, relative like Excel writes it."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


# --- consistency -------------------------------------------------------------------------------------


def sheet_list_problem(source: str | os.PathLike[str]) -> str | None:
    """What makes the workbook's sheet list contradict itself, in words, or None.

    Two sheets sharing a relationship id or a part, a relationship id listed twice, a sheet pointing
    nowhere, two sheets of one name: the splice would drop or overwrite a part a user's sheet needs.
    """
    with _open_zip(source, str(source)) as zf:
        return _sheet_list_problem(_Package(zf, str(source)))


def _sheet_list_problem(pkg: _Package) -> str | None:
    if not pkg.has(pkg.workbook) or not pkg.has(rels_path(pkg.workbook)):
        return None  # the splice reports these itself
    rels = pkg.rels(pkg.workbook)
    ids = [r.id for r in rels]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        return f"the workbook's relationships list the id {twice[0]} more than once"
    by_id = {r.id: r for r in rels}
    by_rid: dict[str, str] = {}
    by_part: dict[str, str] = {}
    names: set[str] = set()
    for el in pkg.xml(pkg.workbook).iterfind(f"{{{NS_MAIN}}}sheets/{{{NS_MAIN}}}sheet"):
        name, rid = el.get("name", ""), el.get(f"{{{NS_R}}}id", "")
        rel = by_id.get(rid)
        if rel is None or rel.external:
            return f"the sheet '{name}' points at no part of the workbook (relationship id '{rid}')"
        if rid in by_rid:
            return f"the sheets '{by_rid[rid]}' and '{name}' share one relationship id ({rid})"
        part = rel.target.lower()
        if part in by_part:
            return f"the sheets '{by_part[part]}' and '{name}' point at the same part ({rel.target})"
        if name.casefold() in names:
            return f"two sheets are named '{name}'"
        by_rid[rid], by_part[part] = name, name
        names.add(name.casefold())
    return None


# --- the splice --------------------------------------------------------------------------------------


@dataclass
class _Plan:
    removed: set[str] = field(default_factory=set)  # lower-case entry names not copied
    edited: dict[str, bytes] = field(default_factory=dict)  # lower-case entry name -> new bytes
    added: list[tuple[str, bytes]] = field(default_factory=list)  # appended entries, in order
    types: list[tuple[str, str]] = field(default_factory=list)  # (part, content type) of added non-donor parts


class _Splice:
    def __init__(self, target: _Package, donor: _Package) -> None:
        self.t, self.d = target, donor
        self.plan = _Plan()
        self.wb = target.xml(target.workbook)
        if etree.QName(self.wb).namespace != NS_MAIN:
            raise PackageError(f"{target.label}: the workbook part is not SpreadsheetML")
        if not target.has(rels_path(target.workbook)):
            raise PackageError(f"{target.label} is damaged: the workbook has no relationships part")
        self.wb_rels = target.xml(rels_path(target.workbook))

    def run(self, names: list[str]) -> _Plan:
        t, d = self.t, self.d
        sheets_el = self.wb.find(f"{{{NS_MAIN}}}sheets")
        if sheets_el is None:
            raise PackageError(f"{t.label} is damaged: the workbook lists no sheets")
        problem = _sheet_list_problem(t)
        if problem:
            raise PackageError(f"{t.label} is inconsistent inside: {problem}")
        t_sheets = {el.get("name", "").lower(): el for el in sheets_el.findall(f"{{{NS_MAIN}}}sheet")}
        t_rels = {r.id: r for r in t.rels(t.workbook)}
        d_wb = d.xml(d.workbook)
        d_rels = {r.id: r for r in d.rels(d.workbook)}
        d_sheets = {el.get("name", "").lower(): el for el in d_wb.iter(f"{{{NS_MAIN}}}sheet")}
        for name in names:
            el = d_sheets.get(name.lower())
            if el is None or d_rels.get(el.get(f"{{{NS_R}}}id", "")) is None:
                raise ValueError(f"the donor workbook has no sheet named {name!r}")
        if not names:
            return self.plan

        # 1. what the replaced sheets owned: reachable from them, unreachable once they are unhooked
        old = {n.lower(): t_sheets[n.lower()] for n in names if n.lower() in t_sheets}
        old_parts = {k: t_rels[i].target for k, el in old.items() if (i := el.get(f"{{{NS_R}}}id", "")) in t_rels}
        skip = frozenset((t.workbook, el.get(f"{{{NS_R}}}id", "")) for el in old.values())
        keep = {p.lower() for p in t.walk([r.target for r in t.rels("") if not r.external], skip)}
        owned = [p for p in t.walk(old_parts.values()) if p.lower() not in keep]
        self._drop(owned)
        self._edit_calc_chain({el.get("sheetId", "") for el in old.values()})

        # 2. fresh names for the donor's parts; a replaced sheet reuses its old worksheet name
        used = {n for n in t.names if n not in self.plan.removed}
        renamed: dict[str, str] = {}
        d_sheet_parts = [d_rels[d_sheets[n.lower()].get(f"{{{NS_R}}}id", "")].target for n in names]
        for name, part in zip(names, d_sheet_parts, strict=True):
            prev = old_parts.get(name.lower())
            if prev is not None and prev.lower() not in used and rels_path(prev).lower() not in used:
                renamed[part] = prev
                used.update({prev.lower(), rels_path(prev).lower()})
        for part in d_sheet_parts:  # sheets first, so the order of new parts never depends on the target
            if part not in renamed:
                renamed[part] = _allocate(part, used)
        for part in d.walk(d_sheet_parts):
            if part not in renamed:
                renamed[part] = _allocate(part, used)

        # 3. styles, then the workbook's sheet list, then every donor part
        smap = self._merge_styles()
        positions = self._edit_workbook(names, d_sheets, d_rels, renamed)
        sst = self._donor_strings()
        code_names = {n: self._code_name(p) for n, p in old_parts.items()}
        table_names, table_ids = self._target_tables()
        for name, part in zip(names, d_sheet_parts, strict=True):
            data = self._sheet(part, smap, sst, positions[name.lower()], code_names.get(name.lower()))
            self._add(part, renamed, data)
        for part in renamed:
            if part in d_sheet_parts:
                continue
            data = d.read(part)
            if d.content_type(part) == CT_TABLE:
                data = _fix_table(data, smap, table_names, table_ids)
            self._add(part, renamed, data)
        self._number_notes()
        self._ensure_theme(used)
        self._edit_content_types(renamed)
        return self.plan

    # -- repairs

    def _number_notes(self) -> None:
        """Renumber the notes drawings (the user's kept ones and the donor's) when their shape ids clash."""
        kept = [name for key, name in self.t.names.items() if is_vml(key) and key not in self.plan.removed]
        drawings = {name: self.t.read(name) for name in kept}
        ours = {name: data for name, data in self.plan.added if is_vml(name)}
        changed = number_notes({**drawings, **ours}, ours=set(ours))
        for i, (name, _) in enumerate(self.plan.added):
            if name in changed:
                self.plan.added[i] = (name, changed.pop(name))
        for name, data in changed.items():
            self.plan.edited[name.lower()] = data

    def _ensure_theme(self, used: set[str]) -> None:
        """Add the default Office theme to a workbook that has none (a required part for Excel's SDK)."""
        if any(r.type == REL_THEME for r in self.t.rels(self.t.workbook)):
            return
        from openpyxl.writer.theme import theme_xml

        part = _allocate(posixpath.join(posixpath.dirname(self.t.workbook), "theme", "theme.xml"), used)
        self.plan.added.insert(0, (part, str(theme_xml).encode("utf-8")))  # first: a second run keeps the order
        ids = [el.get("Id", "") for el in self.wb_rels.findall(f"{{{NS_PR}}}Relationship")]
        rel = etree.SubElement(self.wb_rels, f"{{{NS_PR}}}Relationship", Id=_fresh_id(ids))
        rel.set("Type", REL_THEME)
        rel.set("Target", relative(self.t.workbook, part))
        self._set(rels_path(self.t.workbook), self.wb_rels)
        self.plan.types.append((part, CT_THEME))

    # -- removal

    def _drop(self, parts: Iterable[str]) -> None:
        for part in parts:
            self.plan.removed.add(part.lower())
            if self.t.has(rels_path(part)):
                self.plan.removed.add(rels_path(part).lower())

    def _edit_calc_chain(self, sheet_ids: set[str]) -> None:
        rel = _workbook_rel(self.t, REL_CALC)
        if rel is None or not self.t.has(rel.target) or rel.target.lower() in self.plan.removed:
            return
        root = self.t.xml(rel.target)
        current = ""
        for c in list(root):
            current = c.get("i", current)  # an entry without i belongs to the previous entry's sheet
            if current in sheet_ids:
                root.remove(c)
        if len(root):
            self._set(rel.target, root)
            return
        self._drop([rel.target])
        for el in self.wb_rels.findall(f"{{{NS_PR}}}Relationship"):
            if el.get("Id") == rel.id:
                self.wb_rels.remove(el)
        self._set(rels_path(self.t.workbook), self.wb_rels)

    # -- the workbook part

    def _edit_workbook(
        self,
        names: list[str],
        d_sheets: dict[str, etree._Element],
        d_rels: dict[str, Rel],
        renamed: dict[str, str],
    ) -> dict[str, int]:
        sheets_el = self.wb.find(f"{{{NS_MAIN}}}sheets")
        assert sheets_el is not None
        rel_els = {el.get("Id", ""): el for el in self.wb_rels.findall(f"{{{NS_PR}}}Relationship")}
        t_sheets = sheets_el.findall(f"{{{NS_MAIN}}}sheet")
        by_name = {el.get("name", "").lower(): el for el in t_sheets}
        next_id = max([0, *(_to_int(el.get("sheetId")) for el in t_sheets)]) + 1
        positions: dict[str, int] = {}
        for name in names:
            d_el = d_sheets[name.lower()]
            d_rel = d_rels[d_el.get(f"{{{NS_R}}}id", "")]
            el = by_name.get(name.lower())
            if el is None:
                nsmap = None if NS_R in self.wb.nsmap.values() else {"r": NS_R}
                el = etree.SubElement(sheets_el, f"{{{NS_MAIN}}}sheet", nsmap=nsmap)
                el.set("name", d_el.get("name", name))
                el.set("sheetId", str(next_id))
                next_id += 1
                if d_el.get("state") not in (None, "visible"):
                    el.set("state", d_el.get("state", ""))
            el.set("name", d_el.get("name", name))
            rid = el.get(f"{{{NS_R}}}id", "")
            if rid not in rel_els:
                rid = _fresh_id(rel_els)
                rel_els[rid] = etree.SubElement(self.wb_rels, f"{{{NS_PR}}}Relationship", Id=rid)
                el.set(f"{{{NS_R}}}id", rid)
            rel_els[rid].set("Type", d_rel.type)
            rel_els[rid].set("Target", relative(self.t.workbook, renamed[d_rel.target]))
            positions[name.lower()] = sheets_el.findall(f"{{{NS_MAIN}}}sheet").index(el)
        self._print_names(names, d_sheets)
        count = len(sheets_el.findall(f"{{{NS_MAIN}}}sheet"))
        for view in self.wb.iter(f"{{{NS_MAIN}}}workbookView"):
            for attr in ("activeTab", "firstSheet"):
                if view.get(attr) is not None and not 0 <= _to_int(view.get(attr)) < count:
                    view.set(attr, str(count - 1))
        self._set(self.t.workbook, self.wb)
        self._set(rels_path(self.t.workbook), self.wb_rels)
        first_view = self.wb.find(f"{{{NS_MAIN}}}bookViews/{{{NS_MAIN}}}workbookView")
        active = _to_int(first_view.get("activeTab")) if first_view is not None else 0
        return {name: (pos if pos == active else -1) for name, pos in positions.items()}

    def _print_names(self, names: list[str], d_sheets: dict[str, etree._Element]) -> None:
        """The replaced sheets' print area and print titles (workbook-level names local to a sheet):
        the target's old ones go, the donor's come in, pointed at each sheet's place in the target.
        """
        print_names = {"_xlnm.print_area", "_xlnm.print_titles"}
        d_wb = self.d.xml(self.d.workbook)
        d_order = [el.get("name", "").lower() for el in d_wb.iter(f"{{{NS_MAIN}}}sheet")]
        t_order = [el.get("name", "").lower() for el in self.wb.iter(f"{{{NS_MAIN}}}sheet")]
        wanted = {n.lower() for n in names}
        replaced = {str(t_order.index(n)) for n in wanted if n in t_order}
        defined = self.wb.find(f"{{{NS_MAIN}}}definedNames")
        if defined is not None:
            for el in list(defined):
                if el.get("name", "").lower() in print_names and el.get("localSheetId") in replaced:
                    defined.remove(el)
        incoming = []
        for el in d_wb.iter(f"{{{NS_MAIN}}}definedName"):
            local = el.get("localSheetId")
            if el.get("name", "").lower() not in print_names or local is None or not local.isdigit():
                continue
            if int(local) < len(d_order) and d_order[int(local)] in wanted and d_order[int(local)] in t_order:
                incoming.append((el, str(t_order.index(d_order[int(local)]))))
        if incoming and defined is None:
            defined = etree.Element(f"{{{NS_MAIN}}}definedNames")
            anchor = self.wb.find(f"{{{NS_MAIN}}}externalReferences")
            if anchor is None:
                anchor = self.wb.find(f"{{{NS_MAIN}}}sheets")
            assert anchor is not None
            anchor.addnext(defined)
        for el, local in incoming:
            assert defined is not None
            copy = etree.SubElement(defined, f"{{{NS_MAIN}}}definedName", name=el.get("name", ""))
            copy.set("localSheetId", local)
            copy.text = el.text
        if defined is not None and not len(defined):
            self.wb.remove(defined)

    # -- styles, strings, tables

    def _merge_styles(self) -> StyleMap:
        t_rel, d_rel = _workbook_rel(self.t, REL_STYLES), _workbook_rel(self.d, REL_STYLES)
        if d_rel is None or not self.d.has(d_rel.target):
            return StyleMap()
        if t_rel is None or not self.t.has(t_rel.target):
            raise PackageError(f"{self.t.label} is damaged: it has no styles part")
        merged, smap = merge_styles(self.t.read(t_rel.target), self.d.read(d_rel.target))
        if merged is not None:
            self.plan.edited[self.t.names[t_rel.target.lower()].lower()] = merged
        return smap

    def _donor_strings(self) -> list[etree._Element]:
        rel = _workbook_rel(self.d, REL_SST)
        if rel is None or not self.d.has(rel.target):
            return []
        return self.d.xml(rel.target).findall(f"{{{NS_MAIN}}}si")

    def _code_name(self, part: str) -> str | None:
        """The VBA code name of an old sheet, read from the first bytes of its XML only."""
        if not self.t.has(part):
            return None
        with self.t.zf.open(self.t.names[part.lower()]) as fh:
            found = _CODENAME.search(fh.read(8192))
        return found.group(1).decode() if found else None

    def _target_tables(self) -> tuple[set[str], set[int]]:
        """Names and ids a donor table must not take: the user's tables' and the workbook's defined names."""
        names = {el.get("name", "").lower() for el in self.wb.iter(f"{{{NS_MAIN}}}definedName")}
        ids: set[int] = set()
        for el in self.t.types.iter(f"{{{NS_CT}}}Override"):
            part = unquote(el.get("PartName", "")).lstrip("/")
            if el.get("ContentType") != CT_TABLE or part.lower() in self.plan.removed:
                continue
            if self.t.has(part):
                root = self.t.xml(part)
                names.update(n.lower() for n in (root.get("name"), root.get("displayName")) if n)
                ids.add(_to_int(root.get("id")))
        return names, ids

    def _sheet(
        self, part: str, smap: StyleMap, sst: list[etree._Element], selected: int, code_name: str | None
    ) -> bytes:
        """The donor sheet's XML with target style indices, inline strings and the target's tab state."""
        root = self.d.xml(part)
        smap.apply(root)
        for cell in root.iter(f"{{{NS_MAIN}}}c"):
            if cell.get("t") == "inlineStr" and cell.find(f"{{{NS_MAIN}}}is") is None:
                del cell.attrib["t"]  # openpyxl writes "" as an inline string without its <is>: a blank cell
            if cell.get("t") != "s":
                continue
            v = cell.find(f"{{{NS_MAIN}}}v")
            idx = _to_int(v.text if v is not None else None)
            inline = etree.Element(f"{{{NS_MAIN}}}is")
            if 0 <= idx < len(sst):
                inline.extend(copy.deepcopy(c) for c in sst[idx] if isinstance(c.tag, str))
            if v is not None:
                v.addprevious(inline)
                cell.remove(v)
            else:
                cell.append(inline)
            cell.set("t", "inlineStr")
        views = root.findall(f"{{{NS_MAIN}}}sheetViews/{{{NS_MAIN}}}sheetView")
        for i, view in enumerate(views):
            if "tabSelected" in view.attrib:
                del view.attrib["tabSelected"]
            if i == 0 and selected >= 0:
                view.set("tabSelected", "1")
        pr = root.find(f"{{{NS_MAIN}}}sheetPr")
        if pr is not None and "codeName" in pr.attrib:
            del pr.attrib["codeName"]  # the donor's code name could clash with one of the user's VBA modules
        if code_name:  # a replaced sheet keeps its code name, so its VBA document module stays bound
            if pr is None:
                pr = etree.Element(f"{{{NS_MAIN}}}sheetPr")
                root.insert(0, pr)
            pr.set("codeName", code_name)
        return serialize(root)

    # -- adding parts and content types

    def _add(self, part: str, renamed: dict[str, str], data: bytes) -> None:
        new = renamed[part]
        self.plan.added.append((new, data))
        if not self.d.has(rels_path(part)):
            return
        root = self.d.xml(rels_path(part))
        by_id = {r.id: r for r in self.d.rels(part)}
        for el in root.iter(f"{{{NS_PR}}}Relationship"):
            rel = by_id.get(el.get("Id", ""))
            if rel is None or rel.external or rel.target not in renamed:
                continue
            moved = renamed[rel.target]
            el.set("Target", "/" + moved if rel.absolute else relative(new, moved))
        self.plan.added.append((rels_path(new), serialize(root)))

    def _edit_content_types(self, renamed: dict[str, str]) -> None:
        root = self.t.xml("[Content_Types].xml")
        for el in root.findall(f"{{{NS_CT}}}Override"):
            if unquote(el.get("PartName", "")).lstrip("/").lower() in self.plan.removed:
                root.remove(el)
        for part, ctype in self.plan.types:  # before the donor's, so a second run lists them in the same order
            etree.SubElement(root, f"{{{NS_CT}}}Override", PartName="/" + part, ContentType=ctype)
        for old, new in renamed.items():
            ctype = self.d.content_type(old)
            ext = posixpath.splitext(new)[1][1:]
            default = self.t.default_type(ext) if ext else None
            if default == ctype or not ctype:
                continue
            defaults = root.findall(f"{{{NS_CT}}}Default")
            if default is None and ext and self.d.default_type(ext) == ctype:
                el = etree.Element(f"{{{NS_CT}}}Default", Extension=ext, ContentType=ctype)
                if defaults:
                    defaults[-1].addnext(el)
                else:
                    root.insert(0, el)
                self.t.types = root  # later parts of the same extension now match this default
            else:
                etree.SubElement(root, f"{{{NS_CT}}}Override", PartName="/" + new, ContentType=ctype)
        self._set("[Content_Types].xml", root)

    def _set(self, part: str, root: etree._Element) -> None:
        """Record an edited part, unless its XML is unchanged (then the original bytes are kept)."""
        key = self.t.names[part.lower()].lower()
        original = self.t.read(part)
        new = serialize(root)
        if new != serialize(etree.fromstring(original, _PARSER)):
            self.plan.edited[key] = new
        else:
            self.plan.edited.pop(key, None)


def _fix_table(data: bytes, smap: StyleMap, names: set[str], ids: set[int]) -> bytes:
    """A donor table with target dxf ids and a name and id unique in the target workbook."""
    root = etree.fromstring(data, _PARSER)
    smap.apply(root)
    if _to_int(root.get("id")) in ids or not root.get("id"):
        root.set("id", str(max([0, *ids]) + 1))
    ids.add(_to_int(root.get("id")))
    for attr in ("name", "displayName"):
        base = root.get(attr)
        if not base:
            continue
        value, k = base, 1
        while value.lower() in names:
            k += 1
            value = f"{base}_{k}"
        root.set(attr, value)
    names.update(n.lower() for n in (root.get("name"), root.get("displayName")) if n)
    return serialize(root)


def _workbook_rel(pkg: _Package, rel_type: str) -> Rel | None:
    return next((r for r in pkg.rels(pkg.workbook) if r.type == rel_type and not r.external), None)


def _allocate(part: str, used: set[str]) -> str:
    """The first free `<stem>N<ext>` name in the part's folder (counting from 1), marked as used."""
    folder, base = posixpath.split(part)
    m = _NUMBERED.match(base)
    stem, ext = (m.group("stem"), m.group("ext") or "") if m else (base, "")
    k = 1
    while True:
        candidate = posixpath.join(folder, f"{stem}{k}{ext}")
        if candidate.lower() not in used and rels_path(candidate).lower() not in used:
            used.update({candidate.lower(), rels_path(candidate).lower()})
            return candidate
        k += 1


def _fresh_id(existing: Iterable[str]) -> str:
    taken = set(existing)
    k = 1
    while f"rId{k}" in taken:
        k += 1
    return f"rId{k}"


def _to_int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


# --- writing the zip ---------------------------------------------------------------------------------


class _ZipWriter:
    """A minimal zip writer that can copy an entry's compressed bytes from another zip unchanged."""

    _CHUNK = 1 << 20
    _LIMIT = 0xFFFFFFFF

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.central: list[bytes] = []

    def copy_raw(self, src: BinaryIO, info: zipfile.ZipInfo) -> None:
        """Stream `info`'s compressed data from the open source zip `src` without decompressing it."""
        if info.flag_bits & 0x1:
            raise PackageError(f"zip entry {info.filename} is encrypted")
        src.seek(info.header_offset)
        head = src.read(30)
        if head[:4] != b"PK\x03\x04":
            raise PackageError(f"the workbook's zip is damaged near entry {info.filename}")
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        src.seek(info.header_offset + 30 + name_len + extra_len)
        self._header(info.filename, info.compress_type, info.flag_bits & 0x6, info.CRC, info.compress_size,
                     info.file_size, info.date_time, info.external_attr, info.create_system)  # fmt: skip
        left = info.compress_size
        while left:
            chunk = src.read(min(left, self._CHUNK))
            if not chunk:
                raise PackageError(f"the workbook's zip is truncated in entry {info.filename}")
            self.out.write(chunk)
            left -= len(chunk)

    def add(self, name: str, data: bytes, date_time: tuple[int, ...], external_attr: int, system: int) -> None:
        """Write `data` deflated under `name`."""
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        comp = packer.compress(data) + packer.flush()
        self._header(name, zipfile.ZIP_DEFLATED, 0, zlib.crc32(data), len(comp), len(data), date_time,
                     external_attr, system)  # fmt: skip
        self.out.write(comp)

    def _header(
        self, name: str, method: int, flags: int, crc: int, csize: int, usize: int,
        date_time: tuple[int, ...], external_attr: int, system: int,
    ) -> None:  # fmt: skip
        offset = self.out.tell()
        if max(offset, csize, usize) >= self._LIMIT or len(self.central) >= 0xFFFF:
            raise PackageError("the workbook is too large to rewrite (over 4 GB or 65,535 zip entries)")
        try:
            raw_name = name.encode("ascii")
        except UnicodeEncodeError:
            raw_name, flags = name.encode("utf-8"), flags | 0x800
        year, month, day, hour, minute, second = (*date_time, 0, 0, 0, 0, 0, 0)[:6]
        dos_time = hour << 11 | minute << 5 | second // 2
        dos_date = (max(year, 1980) - 1980) << 9 | month << 5 | day
        common = struct.pack("<HHHHIII", flags, method, dos_time, dos_date, crc & 0xFFFFFFFF, csize, usize)
        self.out.write(b"PK\x03\x04" + struct.pack("<H", 20) + common + struct.pack("<HH", len(raw_name), 0))
        self.out.write(raw_name)
        self.central.append(
            b"PK\x01\x02" + struct.pack("<HH", system << 8 | 20, 20) + common
            + struct.pack("<HHHHHII", len(raw_name), 0, 0, 0, 0, external_attr & self._LIMIT, offset)
            + raw_name
        )  # fmt: skip

    def close(self) -> None:
        """Write the central directory."""
        start = self.out.tell()
        for record in self.central:
            self.out.write(record)
        size = self.out.tell() - start
        if start >= self._LIMIT:
            raise PackageError("the workbook is too large to rewrite (over 4 GB)")
        n = len(self.central)
        self.out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n, size, start, 0))
