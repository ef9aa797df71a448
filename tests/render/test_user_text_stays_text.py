"""Text from users is written back as text, never as a formula, even when it starts with = + - @."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

import openpyxl
import pytest
from lxml import etree

from addin.frontends.cli import main

HYPERLINK = '=HYPERLINK("http://x","y")'
AT_SUM = "@SUM(A1)"
PLUS = "+1+1"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def put_text(ws: openpyxl.worksheet.worksheet.Worksheet, row: int, header: str, text: str) -> None:
    """Type `text` into the column headed `header`, as text (as a user who types '=... or pastes a CSV)."""
    col = next(c.column for c in ws[1] if c.value == header)
    cell = ws.cell(row, col)
    cell.value = text
    cell.data_type = "s"


def row_of(ws: openpyxl.worksheet.worksheet.Worksheet, ident: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == ident)


@pytest.fixture
def injected(shop: Path) -> Path:
    """The online-shop example with formula-like text in descriptions, titles, a touchpoint, a channel
    and a source, regenerated.
    """
    wb = openpyxl.load_workbook(shop)
    pains, recs = wb["PainPoints"], wb["Recommendations"]
    put_text(pains, row_of(pains, "P13"), "Description", HYPERLINK)  # unaddressed: listed on Priorities
    put_text(pains, row_of(pains, "P21"), "Description", AT_SUM)
    put_text(pains, row_of(pains, "P01"), "Touchpoint", AT_SUM)  # a Heatmap row
    put_text(pains, row_of(pains, "P02"), "Channel", HYPERLINK)
    put_text(pains, row_of(pains, "P03"), "Source", HYPERLINK)  # quoted in a Validation message
    put_text(recs, row_of(recs, "R01"), "Title", HYPERLINK)
    put_text(recs, row_of(recs, "R02"), "Title", AT_SUM)
    put_text(recs, row_of(recs, "R03"), "Title", PLUS)
    wb.save(shop)
    assert main(["regenerate", str(shop)]) in (0, 1)
    return shop


def sheet_parts(path: Path) -> dict[str, bytes]:
    """Worksheet XML of each sheet, by sheet name."""
    with zipfile.ZipFile(path) as zf:
        book = etree.fromstring(zf.read("xl/workbook.xml"))
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        out = {}
        for sheet in book.find("m:sheets", NS):
            target = targets[sheet.get(REL)]
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            out[sheet.get("name")] = zf.read(part)
        return out


def shared_strings(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        if "xl/sharedStrings.xml" not in zf.namelist():
            return []
        root = etree.fromstring(zf.read("xl/sharedStrings.xml"))
    return ["".join(si.itertext()) for si in root.findall("m:si", NS)]


@pytest.mark.parametrize(
    ("sheet", "texts", "leading"),
    [
        ("Priorities", [HYPERLINK, AT_SUM, PLUS], True),  # titles and descriptions as they are
        ("Heatmap", [AT_SUM, HYPERLINK], True),  # a touchpoint and a channel as row labels
        ("Validation", [HYPERLINK], False),  # quoted inside a message
    ],
)
def test_formula_like_text_is_written_as_text(injected: Path, sheet: str, texts: list[str], leading: bool) -> None:
    # openpyxl reads every cell holding the text as a string, none as a formula
    ws = openpyxl.load_workbook(injected)[sheet]
    found = {t: [] for t in texts}  # type: dict[str, list[str]]
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{sheet}!{cell.coordinate} is a formula: {cell.value}"
            for t in texts:
                if isinstance(cell.value, str) and t in cell.value:
                    assert cell.data_type == "s"
                    found[t].append(cell.coordinate)
    assert all(found.values()), f"not all texts reached {sheet}: {found}"
    # the sheet's XML: no <f> at all, and the cells starting with the text are string cells
    xml = etree.fromstring(sheet_parts(injected)[sheet])
    assert xml.findall(".//m:f", NS) == []
    strings = shared_strings(injected)
    starts = [t for t in texts if any(ws[c].value.startswith(t) for c in found[t])]
    assert bool(starts) == leading, "cells that start with the formula-like text are the ones that matter"
    for t in texts:
        for coordinate in found[t]:
            c = xml.find(f".//m:c[@r='{coordinate}']", NS)
            assert c is not None
            kind = c.get("t")
            assert kind in ("s", "inlineStr"), f"{sheet}!{coordinate} has type {kind}"
            text = strings[int(c.findtext("m:v", namespaces=NS))] if kind == "s" else "".join(c.itertext())
            assert t in text


def test_no_output_sheet_holds_a_formula(injected: Path) -> None:
    parts = sheet_parts(injected)
    for name in ("Validation", "Heatmap", "Priorities", "Dashboard"):
        assert not re.search(rb"<(\w+:)?f[ >]", parts[name]), f"{name} holds a formula"
