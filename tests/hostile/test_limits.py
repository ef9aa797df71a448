"""The limits behind the hostile corpus, one at a time and in-process: Excel's row, column and text limits
at their boundaries, the caps on uncompressed size, the sparse reader against python-calamine, merged
ranges that overlap, and numbers no chart axis can hold."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from addin.adapters import xlsx_limits
from addin.adapters.xlsx_limits import MAX_CELL_CHARS, check_package, sheet_extent
from addin.adapters.xlsx_reader import fill_merged, read_workbook
from addin.adapters.xlsx_sparse import date_styles, read_sparse, shared_strings
from addin.core.errors import UnusableWorkbook
from tests.hostile.corpus import BASE, MiB, Stream, rewrite, sheet_part

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def extent_of(rows_xml: str) -> xlsx_limits.Extent:
    xml = f'<?xml version="1.0"?><worksheet {NS}><sheetData>{rows_xml}</sheetData></worksheet>'.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("s.xml", xml)
    with zipfile.ZipFile(buf) as zf:
        return sheet_extent("book.xlsx", zf, "s.xml", "Evidence")


def cell(ref: str, text: str = "x") -> str:
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'


def test_excel_last_cell_is_read_sparsely_not_refused() -> None:
    ext = extent_of(cell("A1") + cell("XFD1048576"))
    assert (ext.rows, ext.columns, ext.implicit) == (1_048_576, 16_384, False)
    assert not ext.dense  # python-calamine would hold 17 billion cells: the sparse reader takes it


@pytest.mark.parametrize(
    ("ref", "says"),
    [("A1048577", "1,048,576 rows"), ("XFE1", "16,384 columns"), ("A99999999", "1,048,576 rows"), ("AAAA1", "columns")],
)
def test_cells_past_excel_limits_are_refused_naming_the_cell(ref: str, says: str) -> None:
    with pytest.raises(UnusableWorkbook) as err:
        extent_of(cell("A1") + cell(ref))
    assert says in str(err.value) and ref in str(err.value) and "'Evidence'" in str(err.value)
    assert err.value.sheet == "Evidence" and err.value.cell == ref


def test_text_limit_counts_characters_not_bytes() -> None:
    at_limit = "é" * MAX_CELL_CHARS  # twice as many bytes as characters
    assert extent_of(cell("B2", at_limit)).rows == 2
    entities = "&amp;" * MAX_CELL_CHARS  # five bytes each, one character each
    assert extent_of(cell("B2", entities)).rows == 2
    with pytest.raises(UnusableWorkbook, match=r"B2 .*32,767 characters"):
        extent_of(cell("B2", "x" * (MAX_CELL_CHARS + 1)))


def test_blanks_between_tags_are_not_a_long_text() -> None:
    assert extent_of("<row r='1'>" + " " * 200_000 + "</row>" + cell("C3")).columns == 3


def test_rows_without_numbers_are_counted() -> None:
    ext = extent_of("<row><c><v>1</v></c></row>" * 3)
    assert ext.implicit and not ext.dense


def test_declared_and_real_sizes_are_both_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_limits, "MAX_PART_BYTES", 8 * MiB)
    part = sheet_part("Evidence")
    honest = rewrite(tmp_path / "honest.xlsx", {part: Stream(b"<a>", b" " * MiB, 9, b"</a>")})
    with zipfile.ZipFile(honest) as zf, pytest.raises(UnusableWorkbook, match="uncompressed"):
        check_package(str(honest), zf)
    lying = rewrite(tmp_path / "lying.xlsx", {part: Stream(b"<a>", b" " * MiB, 9, b"</a>")}, declared={part: 1000})
    with zipfile.ZipFile(lying) as zf:
        assert check_package(str(lying), zf) == part  # stops once past the 1000 bytes it claims
    with zipfile.ZipFile(BASE) as zf:
        assert check_package(str(BASE), zf) is None


def test_workbook_cap_counts_all_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_limits, "MAX_PACKAGE_BYTES", 16 * MiB)
    parts: dict[str, bytes | Stream] = {f"customXml/i{k}.xml": Stream(b"<a>", b" " * MiB, 6, b"</a>") for k in range(3)}
    path = rewrite(tmp_path / "many.xlsx", parts)
    with zipfile.ZipFile(path) as zf, pytest.raises(UnusableWorkbook, match="its parts hold"):
        check_package(str(path), zf)


def _trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    out = [list(r) for r in rows]
    for r in out:
        while r and r[-1] is None:
            r.pop()
    while out and not out[-1]:
        out.pop()
    return out


def test_sparse_reader_reads_what_calamine_reads(example_files: dict[str, Path]) -> None:
    """Every input sheet of the examples: texts, numbers, dates, blanks, the same values in the same cells."""
    from addin.adapters.xlsx_reader import _book_parts, _sheet_parts

    for key in ("online-shop", "saas-onboarding"):
        path = example_files[key]
        raw = read_workbook(path)
        parts = _sheet_parts(path)
        strings_part, styles_part = _book_parts(path)
        with zipfile.ZipFile(path) as zf:
            strings, dates = shared_strings(zf, strings_part), date_styles(zf, styles_part)
            for title, sheet in raw.sheets.items():
                sparse = read_sparse(str(path), zf, parts[title], title, strings, dates)
                assert _trimmed(sparse) == _trimmed(sheet.rows), (key, title)


def test_far_cell_keeps_the_rest_of_the_sheet(tmp_path: Path) -> None:
    from tests.hostile.corpus import far_cell

    path = far_cell(tmp_path / "far.xlsx")
    raw = read_workbook(path)
    evidence = raw.sheets["Evidence"].rows
    assert len(evidence) == 1_048_576 and evidence[-1][16_383] == "far away"
    plain = read_workbook(BASE).sheets["Evidence"].rows
    assert _trimmed(evidence[: len(plain)]) == _trimmed(plain)


def test_overlapping_merges_fill_the_first_and_skip_the_rest_saying_which() -> None:
    rows: list[list[Any]] = [["a", None, None], [None, "b", None], [None, None, None]]
    skipped = fill_merged(rows, [(1, 1, 2, 2), (2, 2, 3, 3), (3, 1, 3, 1)])
    assert rows == [["a", "a", None], ["a", "a", None], [None, None, None]]  # (2,2)-(3,3) overlaps: skipped
    assert skipped == ([((2, 2, 3, 3), (1, 1, 2, 2))], 1), "the skipped range, with the earlier one it meets"


def test_an_overlap_names_the_range_it_meets_not_just_any_earlier_one() -> None:
    rows: list[list[Any]] = [["a", "b", "c", "d"], [None] * 4]
    overlaps, total = fill_merged(rows, [(1, 1, 1, 1), (1, 3, 2, 4), (1, 2, 2, 3)])
    assert overlaps == [((1, 2, 2, 3), (1, 3, 2, 4))] and total == 1


def test_thousands_of_overlapping_merges_do_bounded_work() -> None:
    from addin.adapters.xlsx_reader import MAX_OVERLAPS_KEPT

    rows: list[list[Any]] = [[f"v{r}"] + [f"c{r}"] * 99 for r in range(1000)]
    ranges = [(1 + k % 10, 1, 900 + k % 100, 99) for k in range(5000)]
    overlaps, total = fill_merged(rows, ranges)  # each range is 88,000+ cells: unbounded, this was 440 million
    assert rows[899][98] == "v0"  # the first range is filled
    assert rows[950][5] == "c950"  # the later ones overlap it: Excel drops them when it repairs such a file
    assert len(overlaps) == MAX_OVERLAPS_KEPT < total, "a few named, all counted (as far as the work cap looks)"
    assert all(earlier == ranges[0] for _, earlier in overlaps)


def test_overlapping_merges_are_reported_from_the_sparse_reader_too(tmp_path: Path) -> None:
    from addin.core import pipeline
    from tests.hostile.corpus import _split_sheet, inline

    part, head, tail = _split_sheet("Evidence")  # a far cell: this sheet is read from its XML, not by calamine
    far = b'<row r="1048576">' + inline("XFD1048576", "far away") + b"</row>"
    block = b'<mergeCells count="2"><mergeCell ref="J2:K3"/><mergeCell ref="K3:L4"/></mergeCells>'
    path = rewrite(
        tmp_path / "sparse-merges.xlsx", {part: head + far + tail.replace(b"</sheetData>", b"</sheetData>" + block, 1)}
    )
    raw = read_workbook(path)
    assert raw.sheets["Evidence"].overlapping_merges == [("K3:L4", "J2:K3")]
    s11 = [f for f in pipeline.check(raw) if f.rule == "S11"]
    assert [(f.sheet, f.cell, f.count) for f in s11] == [("Evidence", "K3", 1)]
    assert "Evidence!K3:L4 overlaps J2:K3" in s11[0].message


def test_many_overlapping_merges_are_one_finding_each_capped_and_counted(tmp_path: Path) -> None:
    from addin.core import pipeline
    from addin.core.model import column_letter, tally
    from addin.core.validation import MAX_ROWS_PER_RULE
    from tests.hostile.corpus import _split_sheet

    part, head, tail = _split_sheet("Settings")
    cols = [column_letter(10 + k) for k in range(81)]  # J, K, L, ...
    merges = b"".join(f'<mergeCell ref="{cols[k]}2:{cols[k + 1]}2"/>'.encode() for k in range(80))  # meets the last
    block = b'<mergeCells count="80">' + merges + b"</mergeCells>"
    path = rewrite(tmp_path / "chain.xlsx", {part: head + tail.replace(b"</sheetData>", b"</sheetData>" + block, 1)})
    s11 = [f for f in pipeline.check(read_workbook(path)) if f.rule == "S11"]
    assert len(s11) == MAX_ROWS_PER_RULE + 1 and s11[-1].cell == ""
    assert tally(s11) == (0, 40), "J2:K2, L2:M2, ... are merged; the 40 between them overlap one each"


def test_no_number_breaks_the_priority_matrix() -> None:
    from addin.core.contract import Quadrant
    from addin.core.figures import PLOT_LIMIT, priority_matrix_figure
    from addin.core.results import Recommendation

    numbers = [  # (effort, value, reach)
        (1e-300, np.inf, 1e308),
        (1e308, 3.0, np.inf),
        (2.0, 5.0, 10.0),
        (np.nan, 1.0, -5.0),
    ]
    quadrants = [Quadrant.QUICK_WIN, Quadrant.MONEY_PIT, Quadrant.FILL_IN, Quadrant.BIG_BET]
    frame = [
        Recommendation(i, f"R{i}", None, v, v, e, q, (), "", 0.0, r, 1.0, False, 1.0)
        for i, ((e, v, r), q) in enumerate(zip(numbers, quadrants, strict=True), start=1)
    ]
    fig = priority_matrix_figure(frame, float("inf"), float("nan"), "t")
    fig.canvas.draw()  # what saving the picture does
    ax = fig.axes[0]
    assert all(np.isfinite(ax.get_xlim())) and max(ax.get_ylim()) <= PLOT_LIMIT
    assert any("3 not shown" in t.get_text() for t in ax.texts)


def test_long_shared_string_is_found_by_its_index() -> None:
    from addin.adapters.xlsx_limits import long_shared_string

    items = ["<si><t>a</t></si>", "<si><r><t>b</t></r></si>", f"<si><t>{'z' * (MAX_CELL_CHARS + 1)}</t></si>"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("sst.xml", f"<sst {NS}>{''.join(items)}</sst>")
        zf.writestr("ok.xml", f"<sst {NS}>{''.join(items[:2])}<si><t>{'z' * MAX_CELL_CHARS}</t></si></sst>")
    with zipfile.ZipFile(buf) as zf:
        assert long_shared_string(zf, "sst.xml") == 2
        assert long_shared_string(zf, "ok.xml") is None


def test_a_broken_far_sheet_is_one_sentence(tmp_path: Path) -> None:
    """A sheet that goes to the streaming reader and is not well-formed: damaged, naming the sheet."""
    from tests.hostile.corpus import _split_sheet

    part, head, tail = _split_sheet("Evidence")
    path = rewrite(tmp_path / "broken.xlsx", {part: head + b'<row r="1048576"><c r="XFD1048576"><v>1</v></row>' + tail})
    with pytest.raises(UnusableWorkbook, match="the sheet 'Evidence' is damaged"):
        read_workbook(path)


def test_sparse_reader_knows_the_1904_date_system(tmp_path: Path) -> None:
    """Dates of a workbook saved with the 1904 date system (old Mac Excel) read the same on both paths."""
    from addin.adapters.xlsx_reader import _book_parts, _sheet_parts
    from addin.adapters.xlsx_sparse import epoch
    from tests.hostile.corpus import _read

    wb = _read("xl/workbook.xml").replace(b"<workbookPr/>", b'<workbookPr date1904="1"/>', 1)
    path = rewrite(tmp_path / "mac.xlsx", {"xl/workbook.xml": wb})
    dense = read_workbook(path).sheets["Evidence"].rows
    strings_part, styles_part = _book_parts(path)
    with zipfile.ZipFile(path) as zf:
        assert epoch(zf).year == 1904
        sparse = read_sparse(
            str(path), zf, _sheet_parts(path)["Evidence"], "Evidence", shared_strings(zf, strings_part),
            date_styles(zf, styles_part), epoch(zf),
        )  # fmt: skip
    assert _trimmed(sparse) == _trimmed(dense)
    assert any(isinstance(v, dt.date) and v.year >= 2020 for row in sparse for v in row[:1])
