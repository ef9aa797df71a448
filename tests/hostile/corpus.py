"""Hostile workbooks, made by code: bombs, far extents, absurd merges, shared r:ids, deep nesting, extreme numbers.

Each case starts from the committed online-shop example and changes one part, so everything else in the
file is a journey the add-in reads happily. The zip is written by hand (`_RawZip`): a bomb's part is a
deflate stream of one compressed block repeated, so 2 GiB of XML costs a few MB and well under a second
to write, and a case can lie about its sizes in the zip headers.

`CASES` lists every case with what a run must end in; `tests/hostile/test_hostile.py` runs each one and
`benchmarks/bench_hostile.py` measures each one in a fresh process.

    python tests/hostile/corpus.py DIR      # write the whole corpus into DIR
"""

from __future__ import annotations

import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "templates" / "examples" / "online-shop.xlsx"
"""The committed example; a test keeps it equal to what `python -m addin new --example online-shop` writes."""
MiB = 1 << 20
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]
    statuses: frozenset[int]
    """Exit statuses of `check` and `regenerate` that are right for this file."""
    says: str = ""
    """Text the one sentence of a refusal (exit 2) must contain ("" when the file is read)."""
    cell: str = ""
    """The cell the sentence must name, when the problem sits in one."""


# --- writing a zip by hand -----------------------------------------------------------------------------


class _RawZip:
    """A zip writer that takes either bytes or an already-deflated stream with its CRC and sizes (zip64 free:
    every case stays below 4 GiB of declared size)."""

    def __init__(self, path: Path) -> None:
        self.fh = path.open("wb")
        self.central: list[bytes] = []

    def add(self, name: str, data: bytes) -> None:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        comp = packer.compress(data) + packer.flush()
        self.add_raw(name, [comp], zlib.crc32(data), len(data))

    def add_raw(self, name: str, deflated: Iterable[bytes], crc: int, size: int, declared: int | None = None) -> None:
        """`deflated`: the raw deflate stream in pieces; `declared`: the size the headers state (default: the truth)."""
        raw_name = name.encode()
        offset = self.fh.tell()
        usize = size if declared is None else declared
        self.fh.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0x21, crc, 0, usize, len(raw_name), 0))
        self.fh.write(raw_name)
        csize = 0
        for piece in deflated:
            self.fh.write(piece)
            csize += len(piece)
        end = self.fh.tell()
        self.fh.seek(offset + 18)
        self.fh.write(struct.pack("<I", csize))
        self.fh.seek(end)
        self.central.append(
            b"PK\x01\x02"
            + struct.pack(
                "<HHHHHHIIIHHHHHII", 20, 20, 0, 8, 0, 0x21, crc, csize, usize, len(raw_name), 0, 0, 0, 0, 0, offset
            )
            + raw_name
        )

    def close(self) -> None:
        start = self.fh.tell()
        for record in self.central:
            self.fh.write(record)
        size = self.fh.tell() - start
        n = len(self.central)
        self.fh.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n, size, start, 0))
        self.fh.close()


@dataclass
class Stream:
    """A part made of `head`, then `block` repeated `times` times, then `tail`: written as a deflate stream
    without ever holding the whole part (the repeated block is compressed once)."""

    head: bytes
    block: bytes
    times: int
    tail: bytes

    def deflated(self) -> Iterator[bytes]:
        def flushed(data: bytes) -> bytes:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            return packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, no back-references

        yield flushed(self.head)
        once = flushed(self.block)
        for _ in range(self.times):
            yield once
        yield flushed(self.tail)
        yield b"\x03\x00"  # a final empty block

    def crc_and_size(self) -> tuple[int, int]:
        crc = zlib.crc32(self.head)
        for _ in range(self.times):
            crc = zlib.crc32(self.block, crc)
        return zlib.crc32(self.tail, crc), len(self.head) + len(self.block) * self.times + len(self.tail)


def rewrite(
    out: Path,
    parts: dict[str, bytes | Stream],
    *,
    declared: dict[str, int] | None = None,
    base: Path = BASE,
) -> Path:
    """A copy of `base` with the given parts replaced or added (a `Stream` is written without being held)."""
    declared = declared or {}
    z = _RawZip(out)
    with zipfile.ZipFile(base) as src:
        names = [i.filename for i in src.infolist()]
        for name in names + [n for n in parts if n not in names]:
            new = parts.get(name)
            if new is None:
                z.add(name, src.read(name))
            elif isinstance(new, Stream):
                crc, size = new.crc_and_size()
                z.add_raw(name, new.deflated(), crc, size, declared.get(name))
            else:
                z.add(name, new)
    z.close()
    return out


def sheet_part(title: str, base: Path = BASE) -> str:
    """The worksheet part of the sheet `title` in `base`."""
    with zipfile.ZipFile(base) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet\b[^>]*name="{title}"[^>]*r:id="([^"]+)"', wb)
    assert rid, title
    target = re.search(rf'<Relationship\b[^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship\b[^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target, rid.group(1)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def _read(part: str) -> bytes:
    with zipfile.ZipFile(BASE) as zf:
        return zf.read(part)


def _split_sheet(title: str) -> tuple[str, bytes, bytes]:
    """The sheet's part, its XML up to the end of sheetData (exclusive) and the rest."""
    part = sheet_part(title)
    xml = _read(part)
    cut = xml.index(b"</sheetData>")
    return part, xml[:cut], xml[cut:]


def with_cells(title: str, rows_xml: bytes) -> dict[str, bytes]:
    """The sheet `title` with `rows_xml` appended at the end of its sheetData."""
    part, head, tail = _split_sheet(title)
    return {part: head + rows_xml + tail}


def inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


# --- the cases -------------------------------------------------------------------------------------------


def far_cell(out: Path) -> Path:
    """A value in XFD1048576, the last cell Excel has (Excel saves such files)."""
    row = b'<row r="1048576">' + inline("XFD1048576", "far away") + b"</row>"
    return rewrite(out, with_cells("Evidence", row))


def far_cell_journey(out: Path) -> Path:
    """A value in the last cell of the Journey grid's sheet: a million rows and 16,384 columns apart."""
    row = b'<row r="1048576">' + inline("XFD1048576", "far away") + b"</row>"
    return rewrite(out, with_cells("Journey", row))


def lying_dimension(out: Path) -> Path:
    """The Evidence sheet's <dimension> claims A1:XFD1048576 while its cells fill a few rows: the claim is
    not what a reader may allocate by."""
    part = sheet_part("Evidence")
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', _read(part))
    return rewrite(out, {part: xml})


def row_beyond_limit(out: Path) -> Path:
    """A cell at row 99,999,999: no spreadsheet program has such a row; a hand-made file can say so."""
    row = b'<row r="99999999">' + inline("A99999999", "too far") + b"</row>"
    return rewrite(out, with_cells("Evidence", row))


def column_beyond_limit(out: Path) -> Path:
    """A cell in column XFE, one past Excel's last column XFD."""
    row = b'<row r="400">' + inline("XFE400", "too wide") + b"</row>"
    return rewrite(out, with_cells("PainPoints", row))


def long_text(out: Path) -> Path:
    """A cell of 40,000 characters: Excel holds at most 32,767 in a cell."""
    row = b'<row r="300">' + inline("B300", "x" * 40_000) + b"</row>"
    return rewrite(out, with_cells("Recommendations", row))


def long_shared_string(out: Path) -> Path:
    """A shared string of 40,000 characters shown in the Journey sheet's cell B3."""
    sst = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        + b"<si><t>" + b"y" * 40_000 + b"</t></si></sst>"
    )  # fmt: skip
    rel = (
        f'<Relationship Id="rIdHostileSst" Type="{NS_R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ).encode()
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    part = sheet_part("Journey")
    journey, n = re.subn(
        rb'<c r="B3"([^>]*?) t="inlineStr"><is><t>[^<]*</t></is></c>', rb'<c r="B3"\1 t="s"><v>0</v></c>', _read(part)
    )
    assert n == 1
    return rewrite(
        out,
        {
            "xl/sharedStrings.xml": sst,
            "xl/_rels/workbook.xml.rels": _read("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", rel),
            "[Content_Types].xml": _read("[Content_Types].xml").replace(b"</Types>", override),
            part: journey,
        },
    )


def rows_without_r(out: Path) -> Path:
    """1.2 million rows without row numbers (the numbers are optional in the format): past Excel's last row."""
    part, head, tail = _split_sheet("Evidence")
    return rewrite(out, {part: Stream(head, b"<row><c><v>1</v></c></row>" * 1000, 1200, tail)})


def whitespace_bomb(out: Path) -> Path:
    """2 GiB of blanks inside the Evidence sheet's XML, from a file of a few MB."""
    part, head, tail = _split_sheet("Evidence")
    return rewrite(out, {part: Stream(head, b" " * MiB, 2048, tail)})


def lying_bomb(out: Path) -> Path:
    """The same 2 GiB of blanks, but the zip headers claim the part is 9,000 bytes: only counting what is
    actually inflated catches it."""
    part, head, tail = _split_sheet("Evidence")
    return rewrite(out, {part: Stream(head, b" " * MiB, 2048, tail)}, declared={part: 9_000})


def cell_bomb(out: Path) -> Path:
    """600 MB of real cells in a 1 MB file (rows without numbers, each row the same bytes)."""
    part, head, tail = _split_sheet("Evidence")
    block = b"<row>" + b"<c><v>1</v></c>" * 400 + b"</row>"
    return rewrite(out, {part: Stream(head, block, 600 * MiB // len(block), tail)})


def strings_bomb(out: Path) -> Path:
    """A shared-strings part of 1.5 GiB that no sheet needs: a part is refused by its size, used or not."""
    xml = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    si = b"<si><t>" + b"y" * 1000 + b"</t></si>"
    return rewrite(out, {"xl/sharedStrings.xml": Stream(xml, si * 1000, 1536 * MiB // (len(si) * 1000), b"</sst>")})


def many_parts(out: Path) -> Path:
    """Many parts of 100 MiB of blanks each, every one under the per-part cap, together over the workbook cap."""
    parts: dict[str, bytes | Stream] = {
        f"customXml/item{k}.xml": Stream(b"<a>", b" " * MiB, 100, b"</a>") for k in range(1, 31)
    }
    return rewrite(out, parts)


def entity_bomb(out: Path) -> Path:
    """A billion-laughs DOCTYPE in the workbook part: entities must never be expanded."""
    wb = _read("xl/workbook.xml")
    lol = ['<!ENTITY a0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY a{k} "{("&a" + str(k - 1) + ";") * 10}">' for k in range(1, 10)
    ]
    doctype = ("<!DOCTYPE workbook [" + "".join(lol) + "]>").encode()
    wb = doctype + wb.replace(b"<workbookPr/>", b'<workbookPr codeName="&a9;"/>', 1)
    return rewrite(out, {"xl/workbook.xml": wb})


def deep_styles(out: Path) -> Path:
    """styles.xml with one element nested 100,000 deep (an extension list nobody reads)."""
    styles = _read("xl/styles.xml")
    depth = 100_000
    nest = b"<extLst>" + b"<x>" * depth + b"</x>" * depth + b"</extLst>"
    return rewrite(out, {"xl/styles.xml": styles.replace(b"</styleSheet>", nest + b"</styleSheet>")})


def overlapping_merges(out: Path) -> Path:
    """5,000 merged ranges of the Journey sheet, each overlapping the others (Excel never writes this)."""
    part, head, tail = _split_sheet("Journey")
    merges = b"".join(f'<mergeCell ref="B{2 + k % 10}:CV{900 + k % 100}"/>'.encode() for k in range(5000))
    block = b'<mergeCells count="5000">' + merges + b"</mergeCells>"
    tail = tail.replace(b"</sheetData>", b"</sheetData>" + block, 1)
    return rewrite(out, {part: head + tail})


def shared_rid(out: Path) -> Path:
    """workbook.xml lists Journey and a sheet named Heatmap with the same r:id (issue 12, item 3)."""
    wb = _read("xl/workbook.xml")
    journey = re.search(rb'<sheet\b[^>]*name="Journey"[^>]*/>', wb)
    assert journey
    twin = re.sub(rb'name="Journey"', b'name="Heatmap"', journey.group(0))
    twin = re.sub(rb'sheetId="\d+"', b'sheetId="99"', twin)
    return rewrite(out, {"xl/workbook.xml": wb.replace(b"</sheets>", twin + b"</sheets>", 1)})


def _number_cells(title: str, values: dict[str, str]) -> dict[str, bytes]:
    """Change number cells of `title` in place (ref -> the text of <v>)."""
    part = sheet_part(title)
    xml = _read(part)
    for ref, v in values.items():
        xml, n = re.subn(
            rf'<c r="{ref}"([^>]*)>(?:<v>[^<]*</v>)?</c>'.encode(), f'<c r="{ref}"\\1><v>{v}</v></c>'.encode(), xml
        )
        assert n == 1, ref
    return {part: xml}


def huge_reach(out: Path) -> Path:
    """Reach 1e308 and an Effort of 1e-300 (a value no chart axis can hold)."""
    return rewrite(out, _number_cells("Recommendations", {"D2": "1E+308", "G2": "1E-300"}))


def huge_everything(out: Path) -> Path:
    """The largest and smallest doubles in every number of the first recommendations."""
    return rewrite(
        out,
        _number_cells(
            "Recommendations",
            {
                "D2": "1.7976931348623157E+308",
                "G2": "4.9E-324",
                "D3": "1.7976931348623157E+308",
                "G3": "1E+308",
                "F4": "1E-300",
                "G4": "1E-300",
            },
        ),
    )


OK_OR_FINDINGS = frozenset({0, 1})
REFUSED = frozenset({2})
CASES: list[Case] = [
    Case("far-cell-xfd1048576", far_cell, OK_OR_FINDINGS),
    Case("far-cell-journey", far_cell_journey, OK_OR_FINDINGS),
    Case("dimension-claims-xfd1048576", lying_dimension, OK_OR_FINDINGS),
    Case("row-99999999", row_beyond_limit, REFUSED, "1,048,576 rows", "A99999999"),
    Case("column-xfe", column_beyond_limit, REFUSED, "16,384 columns", "XFE400"),
    Case("text-40000-chars", long_text, REFUSED, "32,767 characters", "B300"),
    Case("shared-string-40000-chars", long_shared_string, REFUSED, "32,767 characters", "B3"),
    Case("rows-without-numbers", rows_without_r, REFUSED, "1,048,576 rows"),
    Case("whitespace-bomb-2gib", whitespace_bomb, REFUSED, "uncompressed"),
    Case("lying-zip-header-bomb", lying_bomb, REFUSED, "damaged"),
    Case("cell-bomb-600mb", cell_bomb, REFUSED, "uncompressed"),
    Case("shared-strings-bomb", strings_bomb, REFUSED, "uncompressed"),
    Case("many-parts-3gib", many_parts, REFUSED, "uncompressed"),
    Case("entity-bomb", entity_bomb, REFUSED, "XML bomb"),
    Case("styles-nested-100000", deep_styles, REFUSED, "nested"),
    Case("merges-5000-overlapping", overlapping_merges, OK_OR_FINDINGS),
    Case("shared-rid-journey-heatmap", shared_rid, REFUSED, "inconsistent"),
    Case("reach-1e308-effort-tiny", huge_reach, OK_OR_FINDINGS),
    Case("extreme-doubles", huge_everything, OK_OR_FINDINGS),
]
BY_NAME = {c.name: c for c in CASES}


def build(name: str, folder: Path) -> Path:
    """Write the case `name` as `folder/<name>.xlsx`."""
    return BY_NAME[name].build(folder / f"{name}.xlsx")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    target.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        print(build(case.name, target))
