"""The findings of one validation: collected lazily, capped per rule and sheet, and how a check adds to them."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from addin.core.contract import INPUT_SHEETS, Severity, norm
from addin.core.model import Finding, LeftOut
from addin.core.rules import RULE_INFO, Rule
from addin.core.tables import Table

MAX_ROWS_PER_RULE = 25
"""Per sheet and rule, more findings are summed up in one line (500,000 bad rows stay readable)."""


class Findings:
    """Collects findings; caps repeats of one rule on one sheet at `MAX_ROWS_PER_RULE`. Also counts, per input
    table, the rows left out of the analysis because of an error (`leave_out`, `left_out`)."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self._counts: Counter[tuple[Rule, str]] = Counter()
        self._errors: list[str] = []  # rule of every error added, in order (for `mark` and `errors_since`)
        self._left: dict[str, tuple[int, Counter[str]]] = {}

    def mark(self) -> int:
        """Where the errors found from now on start (see `errors_since`)."""
        return len(self._errors)

    def errors_since(self, mark: int) -> list[str]:
        """The rules of the errors added since `mark`."""
        return self._errors[mark:]

    def leave_out(self, sheet: str, rows: int, rules: Iterable[str]) -> None:
        """Count `rows` rows of `sheet` left out of the analysis because of errors of `rules`."""
        if rows <= 0:
            return
        count, why = self._left.get(sheet, (0, Counter()))
        why.update(rules)
        self._left[sheet] = (count + rows, why)

    def left_out(self) -> list[LeftOut]:
        """Per input table with rows left out: how many, and the rules why (sorted), in contract order."""
        rank = {norm(name): i for i, name in enumerate(INPUT_SHEETS)}
        return [
            LeftOut(sheet, count, tuple(sorted(why)))
            for sheet, (count, why) in sorted(self._left.items(), key=lambda kv: rank.get(norm(kv[0]), len(rank)))
        ]

    def add(self, rule: Rule, sheet: str, cell: str, message: str, fix: str) -> None:
        key = (rule, sheet)
        self._counts[key] += 1
        if RULE_INFO[rule][0] is Severity.ERROR:
            self._errors.append(rule.value)
        if self._counts[key] <= MAX_ROWS_PER_RULE:
            self.items.append(Finding(RULE_INFO[rule][0], rule, sheet, cell, message, fix))

    def full(self, rule: Rule, sheet: str) -> bool:
        """True once this rule has as many findings on this sheet as are shown."""
        return self._counts[(rule, sheet)] >= MAX_ROWS_PER_RULE

    def count_more(self, rule: Rule, sheet: str, n: int) -> None:
        """Count `n` more occurrences without building their messages."""
        self._counts[(rule, sheet)] += n

    def finish(self) -> list[Finding]:
        """Every finding: errors first, then by sheet in contract order; a capped rule gets one '... and N more'
        line after its last shown row, which stands for those N (`Finding.count`)."""
        out: list[Finding] = []
        last = {(f.rule, f.sheet): i for i, f in enumerate(self.items)}
        capped = {
            (rule.value, sheet): count for (rule, sheet), count in self._counts.items() if count > MAX_ROWS_PER_RULE
        }
        for i, f in enumerate(self.items):
            out.append(f)
            key = (f.rule, f.sheet)
            if key in capped and last[key] == i:
                count = capped[key]
                out.append(
                    Finding(
                        f.severity,
                        f.rule,
                        f.sheet,
                        "",
                        f"... and {count - MAX_ROWS_PER_RULE:,} more rows with the same problem ({count:,} in all).",
                        "Filter the sheet on this column to find them all.",
                        count - MAX_ROWS_PER_RULE,
                    )
                )
        rank = {norm(name): i for i, name in enumerate(INPUT_SHEETS)}
        out.sort(key=lambda f: (f.severity is not Severity.ERROR, rank.get(norm(f.sheet), len(rank))))
        return out  # stable sort: in order of discovery (row by row) within a sheet


def suggest(value: str, choices: Iterable[str]) -> str:
    """' Did you mean 'Checkout'?' or ''."""
    options = [c for c in choices if c]
    lowered = {norm(c): c for c in options}
    match = difflib.get_close_matches(norm(value), list(lowered), n=1, cutoff=0.6)
    return f" Did you mean '{lowered[match[0]]}'?" if match else ""


def flag(found: Findings, rule: Rule, table: Table, r: int, col: str, message: str, fix: str) -> None:
    """A finding about the value in `col` of row `r`; none when the column is missing (S02 says so once)."""
    if table.columns.get(col):
        found.add(rule, table.sheet, table.cell(r, col), message, fix)


def report_rows(
    found: Findings,
    rule: Rule,
    table: Table,
    col: str,
    mask: pd.Series,
    message: Callable[[Any, Any], str],
    fix: str,
) -> None:
    """One finding per flagged row up to the cap; the rest are only counted (no messages built).

    `message(value, row)` gets the cell's value and the row label of `table.frame`.
    """
    if not mask.any() or not table.columns.get(col):
        return
    rows = mask.index[mask.to_numpy()]
    for k, r in enumerate(rows):
        if found.full(rule, table.sheet):
            found.count_more(rule, table.sheet, len(rows) - k)
            break
        found.add(rule, table.sheet, table.cell(int(r), col), message(table.frame.at[r, col], r), fix)
