"""The Personas sheet: named once each, with weights that are shares of customers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import Col, Sheet, norm
from addin.core.rules import Rule
from addin.core.tables import Table, is_blank, percent_text, to_number, typed_frame
from addin.core.validation.cells import quoted, rows_of
from addin.core.validation.findings import Findings, flag


def read_personas(table: Table, found: Findings) -> pd.DataFrame:
    """The personas (name, description, weight in % or NaN), each named once; checks the weights add up."""
    names: list[str] = []
    weights: list[float] = []
    descriptions: list[Any] = []
    seen: set[str] = set()
    for r, rec in rows_of(table):
        name = rec.get(Col.PERSONA)
        if is_blank(name):
            flag(
                found,
                Rule.PERSONA_BLANK,
                table,
                r,
                Col.PERSONA,
                "This persona row has a description or weight but no name; it is ignored.",
                "Type the persona's name, or clear the row.",
            )
            found.leave_out(table.sheet, 1, [Rule.PERSONA_BLANK.value])
            continue
        name = " ".join(str(name).split())
        if norm(name) in seen:
            flag(
                found,
                Rule.PERSONA_DUPLICATE,
                table,
                r,
                Col.PERSONA,
                f"The persona '{name}' is listed twice; the first row is used.",
                "Give each persona one row, or rename one of them.",
            )
            found.leave_out(table.sheet, 1, [Rule.PERSONA_DUPLICATE.value])
            continue
        seen.add(norm(name))
        raw_weight = rec.get(Col.WEIGHT)
        weight = np.nan
        if not is_blank(raw_weight):
            number = percent_text(raw_weight)
            number = number if number is not None else to_number(raw_weight)
            if number is None or number < 0:
                flag(
                    found,
                    Rule.PERSONA_BAD_WEIGHT,
                    table,
                    r,
                    Col.WEIGHT,
                    f"The weight of '{name}' is {quoted(raw_weight)}; it should be a share of customers in % "
                    "(0 or more). It is treated as blank (average weight).",
                    "Type a percentage such as 40, or leave it blank.",
                )
            else:
                weight = float(number)
        names.append(name)
        weights.append(weight)
        descriptions.append(rec.get(Col.DESCRIPTION))
    result = typed_frame(Sheet.PERSONAS, {Col.PERSONA: names, Col.DESCRIPTION: descriptions, Col.WEIGHT: weights})
    given = result[Col.WEIGHT].dropna()
    where = table.header_cell(Col.WEIGHT) if table.columns.get(Col.WEIGHT) else "A1"
    if len(given) == len(result) and len(result) > 0 and abs(given.sum() - 100) > 0.5:
        found.add(
            Rule.PERSONA_WEIGHTS_NOT_100,
            table.sheet,
            where,
            f"The persona weights add up to {given.sum():g} %, not 100 %. They are used as relative weights.",
            "Make the weights add up to 100, or leave them all blank for equal weights.",
        )
    elif 0 < len(given) < len(result):
        blank = [n for n, w in zip(names, weights, strict=True) if np.isnan(w)]
        found.add(
            Rule.PERSONA_WEIGHTS_NOT_100,
            table.sheet,
            where,
            f"Only {len(given)} of {len(result)} personas have a weight (they add up to {given.sum():g} %); "
            f"{', '.join(blank)} count as the average of the weights given.",
            "Give every persona a weight so they add up to 100, or leave them all blank for equal weights.",
        )
    return result
