"""The ID column of the pain points and the recommendations: every row needs an ID, and each ID is given once."""

from __future__ import annotations

from typing import Any

from addin.core.contract import Col, norm
from addin.core.rules import Rule
from addin.core.tables import Table
from addin.core.validation.cells import cell_text
from addin.core.validation.findings import Findings, flag


class UniqueIds:
    """Checks the IDs of a sheet row by row: a blank or repeated ID is an error; the first row with an ID keeps it.

    `thing` names a row in messages ("pain point"); `blank_fix` says what kind of ID to type.
    """

    def __init__(self, found: Findings, table: Table, thing: str, blank: Rule, duplicate: Rule, blank_fix: str) -> None:
        self.found, self.table, self.thing = found, table, thing
        self.blank, self.duplicate, self.blank_fix = blank, duplicate, blank_fix
        self.rows: dict[str, int] = {}
        """The first row of each ID, by its normalised text."""

    def check(self, r: int, value: Any) -> tuple[str | None, bool]:
        """(the ID of row `r` as typed, or None when blank; True when it is not taken by an earlier row)."""
        given = cell_text(value)
        if given is None:
            flag(self.found, self.blank, self.table, r, Col.ID, f"This {self.thing} has no ID.", self.blank_fix)
            return None, False
        key = norm(given)
        if key in self.rows:
            flag(
                self.found,
                self.duplicate,
                self.table,
                r,
                Col.ID,
                f"The ID '{given}' is already used in row {self.rows[key]}; this row is left out.",
                f"Give every {self.thing} its own ID.",
            )
            return given, False
        self.rows[key] = r
        return given, True
