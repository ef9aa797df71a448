"""Cell values as the row-by-row checks read them and as messages name them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from addin.core.contract import norm
from addin.core.tables import Table, is_blank


def rows_of(table: Table) -> Iterable[tuple[int, dict[str, Any]]]:
    """(spreadsheet row, {column: value}) for the small sheets read row by row."""
    columns = list(table.frame.columns)
    for r, values in zip(table.frame.index, table.frame.itertuples(index=False, name=None), strict=True):
        yield int(r), dict(zip(columns, values, strict=True))


def typed_texts(values: pd.Series) -> dict[str, str]:
    """The non-blank values by their `norm` (the first spelling of each), as typed without outer spaces."""
    out: dict[str, str] = {}
    for v in values:
        if not is_blank(v):
            out.setdefault(norm(v), str(v).strip())
    return out


def quoted(value: Any) -> str:
    """How a cell's value is named in a message: 'blank', or the value in quotes."""
    if is_blank(value):
        return "blank"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"'{value}'"


def cell_text(value: Any) -> str | None:
    """A cell as text with outer spaces dropped; None when blank."""
    return None if is_blank(value) else str(value).strip()
