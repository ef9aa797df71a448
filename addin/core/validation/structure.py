"""The shape of the workbook: its table sheets, their header rows and columns, formulas without a saved result
and merged ranges read as separate cells."""

from __future__ import annotations

from addin.core.contract import COLUMNS, OPTIONAL_SHEETS, REQUIRED_SHEETS, Col, Sheet, norm
from addin.core.model import RawSheet, RawWorkbook, a1, quote_sheet
from addin.core.rules import Rule
from addin.core.tables import Table, empty_table, is_blank, read_table
from addin.core.validation.findings import Findings, suggest

OPTIONAL_COLUMNS = {
    Col.WEIGHT,
    Col.DESCRIPTION,
    Col.OWNER,
    Col.STATUS,
    Col.COMMENT,
    Col.DATE,
    Col.IMPACT,
    Col.RESPONDENT,
}
"""Columns a sheet may leave out: they read as blank."""
OPTIONAL_IN_OPTIONAL_SHEETS = {Col.PERSONA, Col.CHANNEL, Col.TOUCHPOINT}
OPTIONAL_BY_SHEET = {Sheet.EVIDENCE_SOURCES: set(COLUMNS[Sheet.EVIDENCE_SOURCES]) - {Col.FILE}}
"""EvidenceSources needs only File: the add-in recognises the rest or the user adds columns as needed."""


def check_formulas(raw: RawWorkbook, found: Findings) -> None:
    """Every formula cell without a saved result, on any sheet: the add-in reads it as blank."""
    for sheet in raw.sheets.values():
        for row, col in sheet.formulas_without_value:
            found.add(
                Rule.FORMULA_NO_VALUE,
                sheet.name,
                a1(row, col),
                "This formula has no saved result (the program that saved the file did not calculate it), "
                "so the add-in reads the cell as blank.",
                "Open the file in Excel or LibreOffice, let it calculate, and save it.",
            )


def check_merges(raw: RawWorkbook, found: Findings) -> None:
    """Every merged range the reader left as separate cells because it overlaps an earlier one, on any sheet:
    its value is only in its top-left cell, where a person may read it as filling the range."""
    for sheet in raw.sheets.values():
        for skipped, earlier in sheet.overlapping_merges:
            found.add(
                Rule.OVERLAPPING_MERGE,
                sheet.name,
                skipped.split(":")[0],
                f"{quote_sheet(sheet.name)}!{skipped} overlaps {earlier}, merged earlier; it was read as separate "
                f"cells (its value only in {skipped.split(':')[0]}), as Excel would repair it.",
                f"Unmerge {skipped} and {earlier} and merge again so that no cell is in two merged ranges.",
            )
        more = sheet.overlapping_merges_total - len(sheet.overlapping_merges)
        if more > 0:
            found.count_more(Rule.OVERLAPPING_MERGE, sheet.name, more)


def read_tables(raw: RawWorkbook, found: Findings) -> dict[Sheet, Table]:
    """Every table sheet of the contract, read by its header; a missing one reads as empty (with a warning, except
    the optional ones). Missing, unknown and repeated columns are reported; a missing column reads as blank."""
    tables: dict[Sheet, Table] = {}
    for name, expected in COLUMNS.items():
        sheet = raw.find(name)
        if sheet is None:
            if name in REQUIRED_SHEETS:
                found.add(
                    Rule.MISSING_SHEET,
                    name.value,
                    "",
                    f"The workbook has no '{name}' sheet; it reads as empty.",
                    f"Add a sheet named '{name}' whose first row is the header: {', '.join(expected)}.",
                )
            tables[name] = empty_table(name.value, expected)
            continue
        table = read_table(sheet, expected)
        tables[name] = table
        _check_header(name, sheet, table, expected, found)
    return tables


def _check_header(name: Sheet, sheet: RawSheet, table: Table, expected: tuple[str, ...], found: Findings) -> None:
    optional = (
        OPTIONAL_COLUMNS
        | (OPTIONAL_IN_OPTIONAL_SHEETS if name in OPTIONAL_SHEETS else set())
        | OPTIONAL_BY_SHEET.get(name, set())
    )
    missing = [col for col in expected if col not in table.columns]
    required = [col for col in missing if col not in optional]
    lower = _header_row_below(sheet, expected) if required else None
    if lower is not None:
        found.add(
            Rule.MISSING_COLUMN,
            sheet.name,
            "A1",
            f"The first row of '{sheet.name}' is not its header row: the headers seem to be in row {lower}.",
            f"Delete the rows above row {lower}, so that the headers ({', '.join(expected)}) are in the first row.",
        )
        required = []
    elif table.width == 0 and required:
        found.add(
            Rule.MISSING_COLUMN,
            sheet.name,
            "A1",
            f"The '{sheet.name}' sheet has no header row (its first row is empty).",
            f"Type the headers in the first row: {', '.join(expected)}.",
        )
        required = []
    for col in required:
        near = [
            (header, idx) for header, idx in table.unknown_headers.items() if suggest(header, [col])
        ]  # a misspelt header for this column
        hint = f" Is '{near[0][0]}' ({a1(1, near[0][1])}) meant to be it?" if near else ""
        found.add(
            Rule.MISSING_COLUMN,
            sheet.name,
            a1(1, table.width + 1),
            f"The '{sheet.name}' sheet has no '{col}' column.{hint}",
            f"Add a column headed '{col}' to the first row, or rename the column meant to be it.",
        )
    for col in missing:
        table.columns[col] = 0
        table.frame[col] = None
    for header, idx in table.unknown_headers.items():
        found.add(
            Rule.UNKNOWN_COLUMN,
            sheet.name,
            a1(1, idx),
            f"The column '{header}' is not one the add-in reads; it is kept and ignored.{suggest(header, expected)}",
            f"If it is meant to be one of {', '.join(expected)}, rename the header.",
        )
    for header, idx in table.duplicate_headers.items():
        found.add(
            Rule.DUPLICATE_COLUMN,
            sheet.name,
            a1(1, idx),
            f"The column '{header}' appears twice (also in {table.header_cell(header)}); only the first one is read.",
            "Delete or rename the second column.",
        )


def _header_row_below(sheet: RawSheet, expected: tuple[str, ...], look: int = 10) -> int | None:
    """The row (2..look) that holds most of the expected headers, when someone typed a title above the table."""
    wanted = {norm(c) for c in expected}
    for r, values in enumerate(sheet.rows[1:look], start=2):
        if len(wanted & {norm(v) for v in values if not is_blank(v)}) * 2 > len(wanted):
            return r
    return None
