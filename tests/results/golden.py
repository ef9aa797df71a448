"""Golden snapshots of the five output sheets of both examples: every cell value, the charts' titles and
series, the pictures' names, as plain JSON. One snapshot per example is committed under `golden/`; the
tests compare what each writer (file, xlwings, Google Sheets) put into a workbook with it.

Regenerate (only when an output is meant to change, and say why in the commit):
    PYTHONPATH=. python -m tests.results.golden
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from addin.core.model import OutputSheet, a1

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {name: ROOT / "templates" / "examples" / f"{name}.xlsx" for name in ("online-shop", "saas-onboarding")}
GOLDEN = Path(__file__).with_name("golden")
OUTPUT_SHEETS = ("Validation", "Heatmap", "Priorities", "Dashboard", "Map")
"""The output sheets in the order a run writes them; the first four snapshots predate the results model
(issue 13), the Map's was added with the journey map (issue 15)."""


def plain(value: Any) -> Any:
    """A cell value as JSON holds it (NaN and infinities are empty cells; whole floats stay floats)."""
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(outputs: list[OutputSheet]) -> dict[str, Any]:
    """Every cell value (A1 -> value), chart and picture of each output sheet."""
    out: dict[str, Any] = {}
    for sheet in outputs:
        out[sheet.name] = {
            "cells": {
                a1(r, c): plain(cell.value) for r, c, cell in sheet.iter_cells() if plain(cell.value) is not None
            },
            "charts": [
                {
                    "name": ch.name,
                    "kind": str(ch.kind),
                    "title": ch.title,
                    "categories": ch.categories.a1() if ch.categories else None,
                    "series": [
                        {"name": s.name, "values": s.values.a1(), "x_values": s.x_values.a1() if s.x_values else None}
                        for s in ch.series
                    ],
                }
                for ch in sheet.charts
            ],
            "pictures": [{"name": p.name, "anchor": a1(*p.anchor)} for p in sheet.pictures],
        }
    return out


def load(example: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{example}.json").read_text(encoding="utf-8"))


def core_outputs(example: str) -> list[OutputSheet]:
    from addin.adapters.xlsx_reader import read_workbook
    from addin.core.pipeline import run

    return run(read_workbook(EXAMPLES[example])).outputs


# ---------------------------------------------------------------- what a written .xlsx holds, read as XML

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.rsplit("/", 1)[0].split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = part.rsplit("/", 1)
    path = f"{folder}/_rels/{name}.rels"
    if path not in z.namelist():
        return {}
    root = ET.fromstring(z.read(path))
    return {r.get("Id", ""): _resolve(part, r.get("Target", "")) for r in root.findall("rel:Relationship", _NS)}


def _text(node: ET.Element | None) -> str | None:
    if node is None:
        return None
    return "".join(t.text or "" for t in node.iter(f"{{{_NS['a']}}}t")) or None


def xlsx_snapshot(path: Path, sheets: tuple[str, ...] = OUTPUT_SHEETS) -> dict[str, Any]:
    """What a workbook file holds on `sheets`: cell values as openpyxl reads them, chart titles and series
    (read from the chart parts), and how many pictures (a file keeps no picture names of ours).
    """
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    out: dict[str, Any] = {}
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        book_rels = _rels(z, "xl/workbook.xml")
        parts = {s.get("name"): book_rels[s.get(f"{{{_NS['r']}}}id", "")] for s in book.find("m:sheets", _NS) or []}
        for name in sheets:
            cells = {}
            for row in wb[name].iter_rows():
                for cell in row:
                    value = plain(getattr(cell, "value", None))
                    if value is not None:
                        cells[cell.coordinate] = value
            charts, pictures = [], 0
            part = parts[name]
            root = ET.fromstring(z.read(part))
            drawing = root.find("m:drawing", _NS)
            if drawing is not None:
                dpart = _rels(z, part)[drawing.get(f"{{{_NS['r']}}}id", "")]
                droot = ET.fromstring(z.read(dpart))
                drels = _rels(z, dpart)
                pictures = len(droot.findall(".//xdr:pic", _NS))
                for ref in droot.iter(f"{{{_NS['c']}}}chart"):
                    croot = ET.fromstring(z.read(drels[ref.get(f"{{{_NS['r']}}}id", "")]))
                    series = []
                    for ser in croot.iter(f"{{{_NS['c']}}}ser"):
                        tx = ser.find("c:tx", _NS)
                        label = None
                        if tx is not None:
                            v = tx.find(".//c:v", _NS)
                            label = v.text if v is not None else None
                        vals = ser.find("c:val/c:numRef/c:f", _NS)
                        if vals is None:
                            vals = ser.find("c:yVal/c:numRef/c:f", _NS)
                        series.append({"name": label, "values": vals.text if vals is not None else None})
                    title = croot.find("c:chart/c:title", _NS)
                    charts.append({"title": _text(title), "series": series})
            out[name] = {"cells": cells, "charts": charts, "pictures": pictures}
    wb.close()
    return out


def xlsx_view(golden: dict[str, Any]) -> dict[str, Any]:
    """The part of a golden snapshot a file can show: values, chart titles and series, picture count."""
    return {
        name: {
            "cells": sheet["cells"],
            "charts": [
                {
                    "title": ch["title"],
                    "series": [{"name": s["name"], "values": _formula_ref(s["values"])} for s in ch["series"]],
                }
                for ch in sheet["charts"]
            ],
            "pictures": len(sheet["pictures"]),
        }
        for name, sheet in golden.items()
    }


def _formula_ref(ref: str) -> str:
    """A range as a chart formula spells it (openpyxl quotes every sheet name)."""
    sheet, _, cells = ref.rpartition("!")
    sheet = sheet.strip("'")
    return f"'{sheet}'!{cells}"


def cell_differences(got: dict[str, Any], want: dict[str, Any], rel: float = 0.0) -> list[tuple[str, Any, Any]]:
    """Cells whose values differ (numbers within `rel`: a file stores 15 significant digits)."""
    out = []
    for ref in sorted(set(got) | set(want)):
        g, w = got.get(ref), want.get(ref)
        if isinstance(g, int | float) and isinstance(w, int | float) and not isinstance(g, bool):
            if math.isclose(g, w, rel_tol=rel, abs_tol=0.0):
                continue
        elif g == w:
            continue
        out.append((ref, g, w))
    return out


def normalise_ref(text: str | None) -> str | None:
    if text is None:
        return None
    m = re.fullmatch(r"'?(.*?)'?!(.*)", text)
    return f"'{m.group(1)}'!{m.group(2)}" if m else text


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for example in EXAMPLES:
        data = snapshot(core_outputs(example))
        (GOLDEN / f"{example}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN / example}.json")


if __name__ == "__main__":
    main()
