"""Zip-level OOXML work for the Excel build: a minimal workbook, and macros plus ribbon put into one.

openpyxl drops a custom ribbon when it saves, so nothing here round-trips a workbook
through it: parts are written or patched directly in the zip. `minimal_workbook` writes
a small SpreadsheetML package from sheets of values; `add_macros` takes any .xlsx
package and returns it macro-enabled (as a workbook or an add-in) with a
`vbaProject.bin`, a `customUI/customUI14.xml` ribbon, and code names on the workbook
and its sheets that match the project's document modules.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from addin.adapters.ooxml import rels_path
from addin.core.errors import PackageError
from addin.core.model import RawSheet, a1

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_XLAM = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"

REL_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
REL_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_UI = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"

VBA_PART = "xl/vbaProject.bin"
UI_PART = "customUI/customUI14.xml"

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Elements of CT_Workbook that may come before workbookPr (ECMA-376 order).
_BEFORE_WORKBOOK_PR = {"fileVersion", "fileSharing"}


@dataclass(frozen=True)
class CodeNames:
    """The code names `add_macros` set: the workbook's, and each sheet's in workbook order."""

    workbook: str
    sheets: tuple[str, ...]


# ---------------------------------------------------------------- a minimal workbook


def _cell(row: int, col: int, value: Any) -> str:
    ref = a1(row, col)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def _sheet_xml(sheet: RawSheet) -> str:
    rows = []
    for r, values in enumerate(sheet.rows, start=1):
        cells = "".join(_cell(r, c, v) for c, v in enumerate(values, start=1))
        if cells:
            rows.append(f'<row r="{r}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    )


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{NS_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _core_xml(title: str, description: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title><dc:description>{escape(description)}</dc:description>"
        "</cp:coreProperties>"
    )


def minimal_workbook(sheets: Sequence[RawSheet], title: str = "", description: str = "") -> bytes:
    """An .xlsx package with `sheets` (values only, one default style) and a title for Excel's dialogs."""
    if not sheets:
        raise PackageError("A workbook needs at least one sheet.")
    overrides = [
        ("/xl/workbook.xml", CT_XLSX),
        ("/xl/styles.xml", CT_STYLES),
        ("/xl/theme/theme1.xml", CT_THEME),
        ("/docProps/core.xml", CT_CORE),
    ]
    overrides += [(f"/xl/worksheets/sheet{i}.xml", CT_WORKSHEET) for i in range(1, len(sheets) + 1)]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Types xmlns="{NS_CT}"><Default Extension="rels" ContentType="{CT_RELS}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    )
    root_rels = _rels_xml([("rId1", REL_OFFICE_DOCUMENT, "xl/workbook.xml"), ("rId2", REL_CORE, "docProps/core.xml")])
    sheet_tags = "".join(
        f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><workbookPr/>'
        f"<bookViews><workbookView/></bookViews><sheets>{sheet_tags}</sheets></workbook>"
    )
    wb_rels = [(f"rId{i}", REL_WORKSHEET, f"worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)]
    wb_rels.append((f"rId{len(sheets) + 1}", REL_STYLES, "styles.xml"))
    wb_rels.append((f"rId{len(sheets) + 2}", REL_THEME, "theme/theme1.xml"))  # a workbook part must have one
    parts = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": root_rels,
        "docProps/core.xml": _core_xml(title, description),
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": _rels_xml(wb_rels),
        "xl/styles.xml": _STYLES,
        "xl/theme/theme1.xml": _theme(),
    }
    for i, sheet in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheet)
    return _zip({name: text.encode("utf-8") for name, text in parts.items()})


def _theme() -> str:
    """The Office theme (openpyxl's copy of Excel's default), which the Open XML SDK requires."""
    from openpyxl.writer.theme import theme_xml

    return str(theme_xml)


def _rels_xml(rels: Sequence[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{escape(x)}"/>' for i, t, x in rels)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{NS_PKG_REL}">{body}</Relationships>'
    )


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    order = ["[Content_Types].xml"] + [n for n in parts if n != "[Content_Types].xml"]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, parts[name])
    return buf.getvalue()


# ---------------------------------------------------------------- making a package macro-enabled


def _xml(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    return etree.fromstring(data, parser)


def _dump(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _workbook_part(parts: dict[str, bytes]) -> str:
    rels = _xml(parts["_rels/.rels"])
    for rel in rels:
        if rel.get("Type") == REL_OFFICE_DOCUMENT:
            return str(rel.get("Target")).lstrip("/")
    raise PackageError("This package has no workbook part (it is not a spreadsheet).")


def _set_rel(rels: etree._Element, rel_type: str, target: str) -> None:
    """Make `rels` hold exactly one relationship of `rel_type`, pointing at `target`."""
    for rel in list(rels):
        if rel.get("Type") == rel_type:
            rels.remove(rel)
    taken = {rel.get("Id") for rel in rels}
    n = 1
    while f"rIdJM{n}" in taken:
        n += 1
    etree.SubElement(rels, f"{{{NS_PKG_REL}}}Relationship", Id=f"rIdJM{n}", Type=rel_type, Target=target)


def _set_override(types: etree._Element, part: str, content_type: str) -> None:
    for el in list(types):
        if el.get("PartName") == part:
            types.remove(el)
    etree.SubElement(types, f"{{{NS_CT}}}Override", PartName=part, ContentType=content_type)


def _set_code_name(root: etree._Element, pr_tag: str, default: str, before: set[str] | None) -> str:
    """Give the workbook (workbookPr) or a sheet (sheetPr) a code name; keep one it already has."""
    pr = root.find(f"{{{NS_MAIN}}}{pr_tag}")
    if pr is None:
        pr = etree.Element(f"{{{NS_MAIN}}}{pr_tag}")
        index = 0
        if before:
            for i, child in enumerate(root):
                if etree.QName(child).localname in before:
                    index = i + 1
        root.insert(index, pr)
    name = pr.get("codeName") or default
    pr.set("codeName", name)
    return name


def add_macros(package: bytes, vba_project: bytes, custom_ui: bytes, addin: bool) -> tuple[bytes, CodeNames]:
    """`package` made macro-enabled: vbaProject.bin, the ribbon and code names added.

    `addin` chooses the add-in content type (.xlam) over the macro-enabled workbook's (.xlsm).
    Returns the new package and the code names, which the VBA project's document
    modules must match; pass a project built for them (see `addin.excel.build`).
    """
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    if "[Content_Types].xml" not in parts or "_rels/.rels" not in parts:
        raise PackageError("This file is not an Office Open XML package.")
    wb_part = _workbook_part(parts)
    wb_rels_part = rels_path(wb_part)

    types = _xml(parts["[Content_Types].xml"])
    _set_override(types, "/" + wb_part, CT_XLAM if addin else CT_XLSM)
    _set_override(types, "/" + VBA_PART, CT_VBA)
    _set_override(types, "/" + UI_PART, "application/xml")
    parts["[Content_Types].xml"] = _dump(types)

    root_rels = _xml(parts["_rels/.rels"])
    _set_rel(root_rels, REL_UI, UI_PART)
    parts["_rels/.rels"] = _dump(root_rels)

    wb_rels = _xml(parts[wb_rels_part])
    vba_target = posixpath.relpath(VBA_PART, posixpath.dirname(wb_part))
    _set_rel(wb_rels, REL_VBA, vba_target)
    parts[wb_rels_part] = _dump(wb_rels)

    workbook = _xml(parts[wb_part])
    book_name = _set_code_name(workbook, "workbookPr", "ThisWorkbook", _BEFORE_WORKBOOK_PR)
    parts[wb_part] = _dump(workbook)

    targets = {rel.get("Id"): rel.get("Target") for rel in wb_rels}
    sheet_names: list[str] = []
    sheets = workbook.find(f"{{{NS_MAIN}}}sheets")
    for i, sheet in enumerate(sheets if sheets is not None else [], start=1):
        target = str(targets[sheet.get(f"{{{NS_R}}}id")])
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(posixpath.dirname(wb_part), target))
        )
        root = _xml(parts[part])
        sheet_names.append(_set_code_name(root, "sheetPr", f"Sheet{i}", None))
        parts[part] = _dump(root)

    parts[VBA_PART] = vba_project
    parts[UI_PART] = custom_ui
    return _zip(parts), CodeNames(book_name, tuple(sheet_names))


def code_names(package: bytes) -> CodeNames:
    """The code names `add_macros` would give this package (without changing it)."""
    _, names = add_macros(package, b"", b"", addin=False)
    return names
