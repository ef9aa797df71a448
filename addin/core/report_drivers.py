"""Key drivers on the sheets: the stage-level importance-performance block of the Heatmap sheet (derived
importance: each stage's share of what the stages explain of the respondents' overall score) and the
Dashboard's sentence about the strongest driver. Formats `Results.key_drivers`; decides nothing."""

from __future__ import annotations

from addin.core.contract import Sheet
from addin.core.drivers import MIN_RESPONDENTS
from addin.core.model import OutputSheet, Ref
from addin.core.report import interval_text
from addin.core.results import IPAQuadrant, KeyDriverRow, KeyDrivers, Results
from addin.core.styles import Role, ipa_role

COLUMNS = ("Stage", "Importance (share)", "95 % interval (%)", "Performance (mean CSAT 1-5)", "Quadrant")
NO_RESPONDENT = (
    f"Key drivers: not enough respondents. They need at least {MIN_RESPONDENTS} respondents with NPS (or CSAT) "
    "and a CSAT answer at every stage analysed; no Evidence row has a Respondent (a Respondent column, or a "
    "survey's response ID through EvidenceSources)."
)


def title(k: KeyDrivers | None) -> str:
    """ "Key drivers: importance by stage (derived from 267 respondents' NPS)"."""
    if k is None or not k.enough:
        return "Key drivers: importance by stage"
    return f"Key drivers: importance by stage (derived from {k.respondents:,} respondents' {k.outcome})"


def drivers_block(sheet: OutputSheet, row: int, a: Results) -> int:
    """The key-drivers block from `row` on (quadrants coloured as in the touchpoint table); returns the last
    row used."""
    k = a.key_drivers
    sheet.put(row, 1, title(k), Role.SUBTITLE)
    if k is None or not k.enough:
        sheet.put(row + 1, 1, NO_RESPONDENT if k is None else k.reason, Role.NOTE)
        return _left_out(sheet, row + 1, k)
    sheet.put(row + 1, 1, _note(k), Role.NOTE)
    header = row + 2
    sheet.put_row(header, 1, list(COLUMNS), Role.HEADER)
    sheet.put(header, 7, "What it means", Role.HEADER)
    sheet.merges += [Ref(sheet.name, header, 5, header, 6), Ref(sheet.name, header, 7, header, 11)]
    r = header
    for r, d in enumerate(k.rows, start=header + 1):
        sheet.put(r, 1, d.stage, Role.ROWHEAD)
        sheet.put(r, 2, round(d.importance, 4), Role.PCT)
        sheet.put(r, 3, interval_text(d.low, d.high, k.respondents, ".0f", 100), Role.RIGHT)
        sheet.put(r, 4, round(d.performance, 2), Role.NUM2)
        sheet.put(r, 5, d.quadrant.value, ipa_role(d.quadrant.value))
        sheet.put(r, 7, d.advice, Role.WRAP)
        sheet.merges += [Ref(sheet.name, r, 5, r, 6), Ref(sheet.name, r, 7, r, 11)]
    return _left_out(sheet, r, k)


def _note(k: KeyDrivers) -> str:
    r2 = f" of R² {k.r2:.2f}" if k.r2 is not None else ""
    note = (
        f"Derived importance: the stage's share{r2} (LMG) in explaining {k.outcome}, with a 95 % bootstrap "
        f"interval; performance: the same respondents' mean CSAT."
    )
    if k.importance_threshold is not None and k.performance_threshold is not None:
        note += (
            f" High = at least the median: importance {100 * k.importance_threshold:.0f} %, performance "
            f"{k.performance_threshold:.2f}."
        )
    return note


def _left_out(sheet: OutputSheet, row: int, k: KeyDrivers | None) -> int:
    if k is None or not k.left_out:
        return row
    names = ", ".join(k.left_out)
    sheet.put(row + 1, 1, f"Left out: {names} (fewer than half of the respondents answered CSAT there).", Role.NOTE)
    return row + 1


def driver_fact(a: Results) -> str | None:
    """The Dashboard's sentence about the strongest driver, or why there is none when Evidence rows carry
    respondents; None when none does."""
    k = a.key_drivers
    if k is None:
        return None
    if not k.enough or not k.rows:
        if k.respondents < k.min_respondents:
            return (
                f"Key drivers: not enough respondents yet ({k.respondents:,} with {k.outcome} and a CSAT answer at "
                f"every stage; at least {k.min_respondents:,} are needed, see {Sheet.HEATMAP.value})."
            )
        return k.reason
    top = k.rows[0]
    return (
        f"Key driver: {top.stage} explains {100 * top.importance:.0f} % of what the stages explain of {k.outcome} "
        f"(95 % interval {100 * top.low:.0f} to {100 * top.high:.0f} %; {k.respondents:,} respondents)"
        + _standing(top, k)
        + "."
    )


def _standing(d: KeyDriverRow, k: KeyDrivers) -> str:
    if d.quadrant is IPAQuadrant.NOT_ENOUGH or k.performance_threshold is None:
        return ""
    below = d.performance < k.performance_threshold - 1e-9
    return f" and performs {'below' if below else 'at or above'} the median: {d.quadrant.value.lower()}"
