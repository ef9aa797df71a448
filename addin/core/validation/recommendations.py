"""The Recommendations sheet: unique IDs, the pain points each addresses, and its RICE inputs."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import COLUMNS, RICE_IMPACTS, Col, Sheet, norm
from addin.core.journey import Journey
from addin.core.rules import Rule
from addin.core.tables import Table, is_blank, percent_text, to_number, to_percent, typed_frame
from addin.core.validation.cells import cell_text, quoted, rows_of
from addin.core.validation.findings import Findings, flag, suggest
from addin.core.validation.ids import UniqueIds

IMPACT_WORDS = {"massive": 3.0, "high": 2.0, "medium": 1.0, "low": 0.5, "minimal": 0.25}
"""RICE impact written as a word, as the template's note names the levels."""


def read_recommendations(
    table: Table, journey: Journey, every_pain_id: dict[str, str], found: Findings
) -> pd.DataFrame:
    """The recommendations without errors, one row each.

    `every_pain_id` maps the `norm` of every pain-point ID typed to the ID, also of rows left out for an error of
    their own: addressing one of those is reported on the pain point, not here, and the ID stays in Addresses
    (it scores no pain while its row is left out).
    """
    valid_ids = {norm(p): p for p in journey.pain_points[Col.ID]}
    typed_ids = {**every_pain_id, **valid_ids}
    records: list[dict[str, Any]] = []
    ids = UniqueIds(
        found,
        table,
        "recommendation",
        Rule.REC_BLANK_ID,
        Rule.REC_DUPLICATE_ID,
        "Give it a short unique ID such as R7.",
    )
    forms = _ConfidenceForms()
    for r, rec in rows_of(table):
        mark = found.mark()
        rid, ok = ids.check(r, rec.get(Col.ID))
        name = f"Recommendation {rid}" if rid else "This recommendation"
        addresses, unknown = _addresses(table, r, rec.get(Col.ADDRESSES), name, typed_ids, valid_ids, found)
        reach = _reach(table, r, rec.get(Col.REACH), rid, found)
        impact = _impact(table, r, rec.get(Col.IMPACT), found)
        confidence = _confidence(table, r, rec.get(Col.CONFIDENCE), forms, found)
        effort = _effort(table, r, rec.get(Col.EFFORT), found)
        if reach is None or impact is None or confidence is None or effort is None:
            ok = False
        if not addresses and not unknown and impact is not None and np.isnan(impact) and ok:
            flag(
                found,
                Rule.REC_NO_VALUE,
                table,
                r,
                Col.ADDRESSES,
                f"{name} addresses no pain point and has no Impact, so its value is 0.",
                "List the pain-point IDs it fixes in Addresses, or give an Impact.",
            )
        if ok:
            records.append(
                {
                    Col.ID: rid,
                    Col.TITLE: cell_text(rec.get(Col.TITLE)),
                    Col.ADDRESSES: tuple(addresses),
                    Col.REACH: reach,
                    Col.IMPACT: impact,
                    Col.CONFIDENCE: confidence,
                    Col.EFFORT: effort,
                    Col.OWNER: cell_text(rec.get(Col.OWNER)),
                    Col.STATUS: cell_text(rec.get(Col.STATUS)),
                    "row": r,
                }
            )
        else:
            found.leave_out(table.sheet, 1, found.errors_since(mark))
    forms.check(table, found)
    return typed_frame(Sheet.RECOMMENDATIONS, records, [*COLUMNS[Sheet.RECOMMENDATIONS], "row"])


def _addresses(
    table: Table,
    r: int,
    value: Any,
    name: str,
    typed_ids: dict[str, str],
    valid_ids: dict[str, str],
    found: Findings,
) -> tuple[list[str], bool]:
    """The pain points an Addresses cell names that exist (also one left out for an error of its own), each once
    in the order typed, and whether it named one that does not exist (reported and ignored)."""
    addresses: list[str] = []
    unknown = False
    parts = split_ids(value, typed_ids)
    for part in parts:
        match = typed_ids.get(norm(part))
        if match is not None:
            if match not in addresses:
                addresses.append(match)
        else:
            flag(
                found,
                Rule.REC_UNKNOWN_PAIN,
                table,
                r,
                Col.ADDRESSES,
                f"{name} addresses '{part}', which is not a pain-point ID; it is ignored"
                + (" and the other IDs are kept." if len(parts) > 1 else ".")
                + suggest(part, valid_ids.values()),
                "List existing pain-point IDs separated by commas, e.g. P1, P4.",
            )
            unknown = True
    return addresses, unknown


def _reach(table: Table, r: int, value: Any, rid: str | None, found: Findings) -> float | None:
    """The Reach as a number of customers (0 or more), or None after reporting why it is not one."""
    reach = to_number(value)
    if reach is None or reach < 0:
        flag(
            found,
            Rule.REC_BAD_REACH,
            table,
            r,
            Col.REACH,
            f"Reach of {rid or 'this recommendation'} is {quoted(value)}; "
            "it should be how many customers this reaches per period (0 or more).",
            "Type a number of customers, e.g. 1200.",
        )
        return None
    return reach


def _impact(table: Table, r: int, value: Any, found: Findings) -> float | None:
    """The Impact on the RICE scale (a number or a level's word), NaN when blank (derived later from the pain
    points addressed), or None after reporting that it is off the scale."""
    if is_blank(value):
        return np.nan
    number = IMPACT_WORDS.get(norm(value)) if isinstance(value, str) else None
    number = number if number is not None else to_number(value)
    if number is None or not any(abs(number - x) < 1e-9 for x in RICE_IMPACTS):
        flag(
            found,
            Rule.REC_BAD_IMPACT,
            table,
            r,
            Col.IMPACT,
            f"Impact is {quoted(value)}, which is not on the RICE scale.",
            "Type 3 (massive), 2 (high), 1 (medium), 0.5 (low) or 0.25 (minimal), or leave it "
            "blank to derive it from the pain points addressed.",
        )
        return None
    return number


class _ConfidenceForms:
    """How the confidences of one sheet are written: as percentages (80, "80%") or as fractions (0.8). A sheet
    that mixes both gets a note on each fraction, since one of the two forms is likely a slip."""

    def __init__(self) -> None:
        self.fractions: list[tuple[int, str]] = []  # row and how its confidence was read
        self.percents = 0

    def note(self, r: int, value: Any, how: str) -> None:
        """Count the form of the (valid, non-zero) confidence `value` of row `r`."""
        if percent_text(value) is not None or (to_number(value) or 0) > 1:
            self.percents += 1
        else:
            self.fractions.append((r, how))

    def check(self, table: Table, found: Findings) -> None:
        """Note every fraction when the sheet also has percentages."""
        if not (self.fractions and self.percents):
            return
        for r, how in self.fractions:
            flag(
                found,
                Rule.REC_CONFIDENCE_READ_AS,
                table,
                r,
                Col.CONFIDENCE,
                f"Confidence {how}. This column also has percentages (80 or 80%), so check that this one "
                "is meant as a fraction.",
                "Write every confidence the same way, e.g. 80 or 80%.",
            )


def _confidence(table: Table, r: int, value: Any, forms: _ConfidenceForms, found: Findings) -> float | None:
    """The Confidence as a fraction from 0 to 1 (its form counted in `forms`), or None after reporting why it is
    not one."""
    confidence, how = to_percent(value)
    if confidence is None or not 0 <= confidence <= 1:
        flag(
            found,
            Rule.REC_BAD_CONFIDENCE,
            table,
            r,
            Col.CONFIDENCE,
            f"Confidence is {quoted(value)}; it should be a percentage from 0 to 100.",
            "Type e.g. 80 or 80%.",
        )
        return None
    if confidence > 0:
        forms.note(r, value, how)
    return confidence


def _effort(table: Table, r: int, value: Any, found: Findings) -> float | None:
    """The Effort in person-weeks (more than 0; a unit of weeks typed with it is noted and dropped), or None
    after reporting why it is not one."""
    effort = to_number(value)
    weeks = _weeks(value) if effort is None else None
    if weeks is not None and weeks > 0:
        effort = weeks
        flag(
            found,
            Rule.REC_EFFORT_WITH_UNIT,
            table,
            r,
            Col.EFFORT,
            f"Effort is {quoted(value)}; it is read as {weeks:g} person-week" + ("" if weeks == 1 else "s") + ".",
            f"Type only the number of person-weeks ({weeks:g}): Effort is always in person-weeks.",
        )
    if effort is None or effort <= 0:
        flag(
            found,
            Rule.REC_BAD_EFFORT,
            table,
            r,
            Col.EFFORT,
            f"Effort is {quoted(value)}; it should be the person-weeks needed (more than 0).",
            "Type an estimate in person-weeks, e.g. 2 or 0.5.",
        )
        return None
    return effort


_LIST_SEPARATORS = re.compile(r"[,;\r\n]+")
_WORD_SEPARATORS = re.compile(r"[/\s]+")
_WEEKS = re.compile(r"^\s*(.+?)\s*(?:person[- ]?weeks?|p/?w|weeks?|wks?|w)\s*$", re.IGNORECASE)


def split_ids(value: Any, known: dict[str, str]) -> list[str]:
    """Pain-point IDs in an Addresses cell, as a person lists them: separated by commas, semicolons or line
    breaks, and also by slashes or spaces ("P2/P3", "P2 P3") where a part is not itself an ID (IDs with a
    space or slash in them stay whole). `known` maps the `norm` of each ID to it."""
    if is_blank(value):
        return []
    out: list[str] = []
    for part in _LIST_SEPARATORS.split(str(value)):
        part = part.strip()
        if not part:
            continue
        words = [w for w in _WORD_SEPARATORS.split(part) if w]
        if norm(part) in known or len(words) < 2 or not any(norm(w) in known for w in words):
            out.append(part)
        else:
            out.extend(words)
    return out


def _weeks(value: Any) -> float | None:
    """The number of an Effort written with a unit of weeks ("2 weeks", "1.5 wk", "3 person-weeks"), or None."""
    if not isinstance(value, str):
        return None
    m = _WEEKS.match(value)
    return to_number(m.group(1)) if m else None
