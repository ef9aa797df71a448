"""Independent checks of a written workbook: the Open XML SDK's rules (openxml-audit), Excel's numbering
of notes drawings, and cells that promise text without holding any.

Each returns a list of readable problems; an empty list means the file passes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree
from openxml_audit import OpenXmlValidator, ValidationSeverity

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_V = "urn:schemas-microsoft-com:vml"
NS_O = "urn:schemas-microsoft-com:office:office"
_VALIDATOR = OpenXmlValidator(max_errors=1000)


def audit_errors(path: Path) -> list[str]:
    """openxml-audit's errors (warnings, such as "inline strings, no shared strings", are left out)."""
    result = _VALIDATOR.validate(str(path))
    return [
        f"{e.part_uri} {e.path}: {e.description} [{e.id or e.error_type.value}]"
        for e in result.errors
        if e.severity is ValidationSeverity.ERROR
    ]


def vml_problems(path: Path) -> list[str]:
    """Notes drawings that share an idmap block or a shape id, or whose shape ids lie outside their block."""
    problems: list[str] = []
    owner: dict[int, str] = {}
    ids: dict[str, str] = {}
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if n.endswith(".vml")):
            root = etree.fromstring(zf.read(name))
            idmap = root.find(f"{{{NS_O}}}shapelayout/{{{NS_O}}}idmap")
            if idmap is None:
                problems.append(f"{name}: no o:idmap")
                continue
            blocks = [int(b) for b in idmap.get("data", "").split(",") if b.strip().isdigit()]
            for b in blocks:
                if b in owner:
                    problems.append(f"{name}: idmap block {b} is also {owner[b]}'s")
                owner.setdefault(b, name)
            for shape in root.iter(f"{{{NS_V}}}shape"):
                sid = shape.get("id", "")
                m = re.fullmatch(r"_x0000_s(\d+)", sid)
                if m is None or (int(m.group(1)) - 1) // 1024 not in blocks:
                    problems.append(f"{name}: shape id {sid!r} is not in its blocks {blocks}")
                if sid in ids:
                    problems.append(f"{name}: shape id {sid} is also in {ids[sid]}")
                ids.setdefault(sid, name)
            types = [t.get("id") for t in root.iter(f"{{{NS_V}}}shapetype")]
            if len(types) != len(set(types)):
                problems.append(f"{name}: a shape type is defined twice ({types})")
    return problems


def empty_inline_strings(path: Path) -> list[str]:
    """Cells typed `inlineStr` that hold no `<is>`."""
    found: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)):
            for _, cell in etree.iterparse(zf.open(name), tag=f"{{{NS_MAIN}}}c"):
                if cell.get("t") == "inlineStr" and cell.find(f"{{{NS_MAIN}}}is") is None:
                    found.append(f"{name} {cell.get('r')}")
                cell.clear()
    return found


def all_problems(path: Path) -> list[str]:
    """Every problem the three checks find."""
    return audit_errors(path) + vml_problems(path) + empty_inline_strings(path)
