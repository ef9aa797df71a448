"""One row of the EvidenceSources sheet, read: which file, which question, which metric and where the
stage, touchpoint, persona, channel, respondent and date of each answer come from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from addin.core.contract import FROM_COLUMN, Metric
from addin.core.sources.formats import Format
from addin.core.sources.labels import Labels


@dataclass(frozen=True)
class Field:
    """Where a value comes from: one `value` for every answer, or a `column` of the source."""

    value: str | None = None
    column: str | None = None

    @classmethod
    def parse(cls, text: object) -> Field:
        """`column: NAME` names a column; any other text is the value for every answer; blank is neither."""
        if text is None:
            return cls()
        raw = " ".join(str(text).split())
        if not raw:
            return cls()
        if raw.casefold().startswith(FROM_COLUMN):
            return cls(column=raw[len(FROM_COLUMN) :].strip() or None)
        return cls(value=raw)

    @property
    def given(self) -> bool:
        return self.value is not None or self.column is not None


@dataclass(frozen=True)
class LeaveOut:
    """Answers not to count: those whose `column` holds one of `values` (compared as `label_key` does)."""

    column: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class SourceRow:
    """One EvidenceSources row that passed validation. `row` is its sheet row, for findings."""

    row: int
    file: str
    format: Format | None
    question: str
    metric: Metric | None
    labels: Labels | None
    stage: Field
    touchpoint: Field
    persona: Field
    channel: Field
    respondent: Field
    date: Field
    leave_out: tuple[LeaveOut, ...]
    engine: str = ""
    """Where Evidence-layout data is aggregated: blank/duckdb, or a Spark master (local[N], spark://, sc://)."""
    cells: Mapping[str, str] = field(default_factory=dict)
    """Column -> A1 reference of this row's cell in that column (findings point at the cell to fix)."""

    def cell(self, column: str) -> str:
        """Where this row's `column` is on the EvidenceSources sheet."""
        return self.cells.get(column, f"A{self.row}")

    @property
    def key(self) -> tuple[str, Format | None]:
        """Rows with the same file and format are read together, once."""
        return (self.file.strip(), self.format)
