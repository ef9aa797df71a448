"""Read a raw workbook into a clean `Journey`, collecting every finding on the way (lazy, never stops early).

Each finding names the sheet and the cell, says what is wrong and how to fix it.
Rows with an error are left out of the analysis; warnings keep the row.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import (
    COLUMNS,
    EMOTION_LANE_PREFIX,
    EMOTION_RANGE,
    METRIC_SCALE,
    OPTIONAL_SHEETS,
    REQUIRED_SHEETS,
    RICE_IMPACTS,
    SETTINGS_BY_KEY,
    Col,
    Lane,
    Metric,
    SettingKind,
    Severity,
    Sheet,
    Source,
    norm,
)
from addin.core.journey import ALL_CUSTOMERS, Journey, Settings
from addin.core.model import Finding, RawSheet, RawWorkbook, a1
from addin.core.rules import RULE_INFO, Rule
from addin.core.tables import (
    Table,
    empty_table,
    is_blank,
    numeric_column,
    read_table,
    to_date,
    to_number,
    to_percent,
)

MAX_ROWS_PER_RULE = 25
"""Per sheet and rule, findings beyond this many are summed up in one line (500,000 bad rows stay readable)."""

KNOWN_LANES = {norm(lane.value) for lane in Lane}


class Findings:
    """Collects findings; caps repeats of one rule on one sheet."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self._counts: Counter[tuple[Rule, str]] = Counter()

    def add(self, rule: Rule, sheet: str, cell: str, message: str, fix: str) -> None:
        key = (rule, sheet)
        self._counts[key] += 1
        if self._counts[key] <= MAX_ROWS_PER_RULE:
            self.items.append(Finding(RULE_INFO[rule][0], rule.value, sheet, cell, message, fix))

    def count(self, rule: Rule, sheet: str) -> int:
        return self._counts[(rule, sheet)]

    def count_more(self, rule: Rule, sheet: str, n: int) -> None:
        self._counts[(rule, sheet)] += n

    def finish(self) -> list[Finding]:
        out = list(self.items)
        for (rule, sheet), count in self._counts.items():
            if count > MAX_ROWS_PER_RULE:
                more = count - MAX_ROWS_PER_RULE
                out.append(
                    Finding(
                        RULE_INFO[rule][0],
                        rule.value,
                        sheet,
                        "",
                        f"... and {more:,} more rows with the same problem ({count:,} in all).",
                        "Filter the sheet on this column to find them all.",
                    )
                )
        return out


def suggest(value: str, choices: Iterable[str]) -> str:
    """' Did you mean 'Checkout'?' or ''."""
    options = list(choices)
    lowered = {c.casefold(): c for c in options}
    match = difflib.get_close_matches(value.casefold(), list(lowered), n=1, cutoff=0.6)
    return f" Did you mean '{lowered[match[0]]}'?" if match else ""


def validate(raw: RawWorkbook) -> tuple[Journey, list[Finding]]:
    """Validate every input sheet; return the clean journey and all findings, errors first."""
    found = Findings()
    for sheet in raw.sheets.values():
        for row, col in sheet.formulas_without_value[:MAX_ROWS_PER_RULE]:
            found.add(
                Rule.FORMULA_NO_VALUE,
                sheet.name,
                a1(row, col),
                "This formula has no saved result, so the add-in reads it as blank.",
                "Open the file in Excel or LibreOffice, let it calculate, and save it.",
            )
    tables = _read_tables(raw, found)
    journey_sheet = raw.find(Sheet.JOURNEY)
    assert journey_sheet is not None, "the caller checks that a Journey sheet exists"
    settings = _settings(tables[Sheet.SETTINGS], found)
    personas = _personas(tables[Sheet.PERSONAS], found)
    journey = _grid(journey_sheet, personas, found)
    journey.settings = settings
    journey.personas = personas
    journey.pain_points = _pain_points(tables[Sheet.PAIN_POINTS], journey, found)
    journey.recommendations = _recommendations(tables[Sheet.RECOMMENDATIONS], journey, found)
    journey.evidence = _evidence(tables[Sheet.EVIDENCE], journey, found)
    journey.funnel = _funnel(tables[Sheet.FUNNEL], journey, found)
    findings = found.finish()
    findings.sort(key=lambda f: (f.severity is not Severity.ERROR,))
    return journey, findings


# ---------------------------------------------------------------- structure


def _read_tables(raw: RawWorkbook, found: Findings) -> dict[Sheet, Table]:
    tables: dict[Sheet, Table] = {}
    for name, expected in COLUMNS.items():
        sheet = raw.find(name)
        if sheet is None:
            if name in REQUIRED_SHEETS:
                found.add(
                    Rule.MISSING_SHEET,
                    name.value,
                    "A1",
                    f"The workbook has no '{name}' sheet.",
                    f"Add a sheet named '{name}' with the header row: {', '.join(expected)}.",
                )
            tables[name] = empty_table(name.value, expected)
            continue
        table = read_table(sheet, expected)
        tables[name] = table
        optional = {Col.WEIGHT, Col.DESCRIPTION, Col.OWNER, Col.STATUS, Col.COMMENT, Col.DATE, Col.IMPACT}
        for col in expected:
            if col not in table.columns:
                if col in optional or name in OPTIONAL_SHEETS and col in {Col.PERSONA, Col.CHANNEL}:
                    table.columns[col] = 0
                    table.frame[col] = None
                    continue
                found.add(
                    Rule.MISSING_COLUMN,
                    sheet.name,
                    a1(1, len(sheet.rows[0]) + 1 if sheet.rows else 1),
                    f"The '{sheet.name}' sheet has no '{col}' column.",
                    f"Add a column headed '{col}' to the first row.",
                )
                table.columns[col] = 0
                table.frame[col] = None
        for header, idx in table.unknown_headers.items():
            found.add(
                Rule.UNKNOWN_COLUMN,
                sheet.name,
                a1(1, idx),
                f"The column '{header}' is not one the add-in reads; it is kept and ignored.",
                f"If it is meant to be one of {', '.join(expected)}, rename the header.",
            )
        for header, idx in table.duplicate_headers.items():
            found.add(
                Rule.DUPLICATE_COLUMN,
                sheet.name,
                a1(1, idx),
                f"The column '{header}' appears twice; only the first one is read.",
                "Delete or rename the second column.",
            )
    return tables


def _settings(table: Table, found: Findings) -> Settings:
    values: dict[str, Any] = {}
    for row, rec in table.frame.iterrows():
        key_text = rec.get(Col.KEY)
        if is_blank(key_text):
            continue
        spec = SETTINGS_BY_KEY.get(norm(key_text))
        cell = table.cell(int(row), Col.KEY)  # type: ignore[call-overload]
        if spec is None:
            found.add(
                Rule.SETTING_UNKNOWN_KEY,
                table.sheet,
                cell,
                f"The setting '{key_text}' is not known; it is ignored.",
                "Known settings: " + ", ".join(s.key for s in SETTINGS_BY_KEY.values()) + ".",
            )
            continue
        if spec.key in values:
            found.add(
                Rule.SETTING_DUPLICATE_KEY,
                table.sheet,
                cell,
                f"The setting '{spec.key}' appears twice; the first one is used.",
                "Delete one of the two rows.",
            )
            continue
        value = rec.get(Col.VALUE)
        vcell = table.cell(int(row), Col.VALUE)  # type: ignore[call-overload]
        if is_blank(value):
            continue
        if spec.kind is SettingKind.NUMBER:
            number = to_number(value)
            if number is None or (spec.minimum is not None and number < spec.minimum):
                found.add(
                    Rule.SETTING_BAD_VALUE,
                    table.sheet,
                    vcell,
                    f"'{spec.key}' should be a number of at least {spec.minimum:g}, not '{value}'. "
                    f"The default is used.",
                    f"Type a number, or leave it blank for the default ({spec.default}).",
                )
                continue
            values[spec.key] = number
        elif spec.kind is SettingKind.CHOICE:
            match = {c.casefold(): c for c in spec.choices}.get(str(value).strip().casefold())
            if match is None:
                found.add(
                    Rule.SETTING_BAD_VALUE,
                    table.sheet,
                    vcell,
                    f"'{spec.key}' is '{value}', which is not one of {', '.join(spec.choices)}. "
                    f"The default ({spec.default}) is used.",
                    f"Pick one of: {', '.join(spec.choices)}.{suggest(str(value), spec.choices)}",
                )
                continue
            values[spec.key] = match
        else:
            values[spec.key] = str(value)
    return Settings.from_mapping(values)


def _personas(table: Table, found: Findings) -> pd.DataFrame:
    frame = table.frame
    names: list[str] = []
    weights: list[float] = []
    descriptions: list[Any] = []
    seen: set[str] = set()
    for row, rec in frame.iterrows():
        r = int(row)  # type: ignore[call-overload]
        name = rec.get(Col.PERSONA)
        if is_blank(name):
            found.add(
                Rule.PERSONA_BLANK,
                table.sheet,
                table.cell(r, Col.PERSONA),
                "This persona row has no name.",
                "Type the persona's name, or clear the row.",
            )
            continue
        name = str(name).strip()
        if name.casefold() in seen:
            found.add(
                Rule.PERSONA_DUPLICATE,
                table.sheet,
                table.cell(r, Col.PERSONA),
                f"The persona '{name}' is listed twice; the first row is used.",
                "Give each persona one row, or rename one of them.",
            )
            continue
        seen.add(name.casefold())
        raw_weight = rec.get(Col.WEIGHT)
        weight = np.nan
        if not is_blank(raw_weight):
            share, _ = to_percent(raw_weight) if isinstance(raw_weight, str) else (None, "")
            number = share * 100 if share is not None else to_number(raw_weight)
            if number is None or number < 0:
                found.add(
                    Rule.PERSONA_BAD_WEIGHT,
                    table.sheet,
                    table.cell(r, Col.WEIGHT),
                    f"The weight of '{name}' is '{raw_weight}'; it should be a share of customers in % "
                    f"(0 or more). It is treated as blank (equal weight).",
                    "Type a percentage such as 40, or leave it blank.",
                )
            else:
                weight = float(number)
        names.append(name)
        weights.append(weight)
        descriptions.append(rec.get(Col.DESCRIPTION))
    result = pd.DataFrame(
        {Col.PERSONA: names, Col.DESCRIPTION: descriptions, Col.WEIGHT: np.array(weights, dtype=float)}
    )
    given = result[Col.WEIGHT].dropna()
    if len(given) == len(result) and len(result) > 0 and abs(given.sum() - 100) > 0.5:
        found.add(
            Rule.PERSONA_WEIGHTS_NOT_100,
            table.sheet,
            a1(1, table.columns.get(Col.WEIGHT, 3) or 3),
            f"The persona weights add up to {given.sum():g} %, not 100 %. They are used as relative weights.",
            "Make the weights add up to 100, or leave them all blank for equal weights.",
        )
    return result


def _grid(sheet: RawSheet, personas: pd.DataFrame, found: Findings) -> Journey:
    rows = sheet.rows
    header = rows[0] if rows else []
    stages: list[str] = []
    stage_cols: list[int] = []
    lane_col = 1
    for idx, value in enumerate(header, start=1):
        if norm(value) == norm(Col.LANE):
            lane_col = idx
            break
    last = max((i for i, v in enumerate(header, start=1) if not is_blank(v)), default=0)
    seen: dict[str, int] = {}
    for idx in range(lane_col + 1, last + 1):
        value = header[idx - 1]
        if is_blank(value):
            found.add(
                Rule.BLANK_STAGE,
                sheet.name,
                a1(1, idx),
                "This stage column has no name; its cells are ignored.",
                "Type the stage name in the header row, or delete the empty column.",
            )
            continue
        name = " ".join(str(value).split())
        if name.casefold() in seen:
            found.add(
                Rule.DUPLICATE_STAGE,
                sheet.name,
                a1(1, idx),
                f"The stage '{name}' appears twice (also in {a1(1, seen[name.casefold()])}); "
                f"this column is ignored.",
                "Give each stage one column, or rename one of them.",
            )
            continue
        seen[name.casefold()] = idx
        stages.append(name)
        stage_cols.append(idx)
    if not stages:
        found.add(
            Rule.NO_STAGES,
            sheet.name,
            a1(1, lane_col + 1),
            "The Journey sheet has no stage columns.",
            "Type the stages (e.g. Awareness, Consideration, Purchase) across the first row, after 'Lane'.",
        )
    journey = Journey(stages=stages)
    persona_names = {p.casefold(): p for p in personas.get(Col.PERSONA, pd.Series(dtype=object))}
    emotion_rows: dict[str, list[float]] = {}
    has_content = [False] * len(stages)
    for r, values in enumerate(rows[1:], start=2):
        lane = values[lane_col - 1] if lane_col - 1 < len(values) else None
        cells = [values[c - 1] if c - 1 < len(values) else None for c in stage_cols]
        if is_blank(lane):
            if any(not is_blank(v) for v in cells):
                found.add(
                    Rule.UNKNOWN_LANE,
                    sheet.name,
                    a1(r, lane_col),
                    "This row has content but no lane name; it is kept but not analysed.",
                    "Type the lane name (e.g. Touchpoints) in the first column.",
                )
            continue
        lane_name = " ".join(str(lane).split())
        for i, v in enumerate(cells):
            if not is_blank(v):
                has_content[i] = True
        journey.lanes[lane_name] = [None if is_blank(v) else v for v in cells]
        key = norm(lane_name)
        curve: str | None = None
        if key == norm(Lane.EMOTION):
            curve = ALL_CUSTOMERS
        elif key.startswith(norm(EMOTION_LANE_PREFIX)):
            persona = lane_name.split(":", 1)[1].strip()
            curve = persona_names.get(persona.casefold(), persona)
            if persona.casefold() not in persona_names:
                found.add(
                    Rule.EMOTION_UNKNOWN_PERSONA,
                    sheet.name,
                    a1(r, lane_col),
                    f"The lane '{lane_name}' names the persona '{persona}', who is not in Personas."
                    + suggest(persona, persona_names.values()),
                    "Spell the persona as in the Personas sheet, or add the persona there.",
                )
        elif key not in KNOWN_LANES:
            found.add(
                Rule.UNKNOWN_LANE,
                sheet.name,
                a1(r, lane_col),
                f"'{lane_name}' is not a lane the add-in knows; it is kept as is."
                + suggest(lane_name, [lane.value for lane in Lane]),
                "Known lanes: " + ", ".join(lane.value for lane in Lane) + ".",
            )
        if curve is not None:
            emotion_rows[curve] = _emotion_row(sheet.name, r, stage_cols, cells, lane_name, found)
    for i, stage in enumerate(stages):
        if not has_content[i]:
            found.add(
                Rule.EMPTY_STAGE,
                sheet.name,
                a1(1, stage_cols[i]),
                f"The stage '{stage}' has nothing in any lane.",
                "Fill in at least the touchpoints and the emotion, or delete the column.",
            )
    journey.emotions = pd.DataFrame.from_dict(emotion_rows, orient="index", columns=stages, dtype=float)
    return journey


def _emotion_row(
    sheet: str, r: int, cols: list[int], cells: list[Any], lane: str, found: Findings
) -> list[float]:
    out: list[float] = []
    low, high = EMOTION_RANGE
    for col, value in zip(cols, cells, strict=True):
        if is_blank(value):
            out.append(np.nan)
            continue
        number = to_number(value)
        if number is None:
            found.add(
                Rule.EMOTION_NOT_NUMBER,
                sheet,
                a1(r, col),
                f"'{lane}' should be a number from -2 (very negative) to +2 (very positive), not '{value}'.",
                "Type a number from -2 to 2.",
            )
            out.append(np.nan)
        elif not low <= number <= high:
            found.add(
                Rule.EMOTION_OUT_OF_RANGE,
                sheet,
                a1(r, col),
                f"'{lane}' is {number:g}, outside the scale -2..+2.",
                "Type a number from -2 to 2.",
            )
            out.append(np.nan)
        else:
            out.append(number)
    return out


# ---------------------------------------------------------------- tables


def _stage_lookup(journey: Journey) -> dict[str, str]:
    return {s.casefold(): s for s in journey.stages}


def _whole_1_5(value: Any) -> int | None:
    number = to_number(value)
    if number is None or number != int(number) or not 1 <= number <= 5:
        return None
    return int(number)


def _pain_points(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    stages = _stage_lookup(journey)
    personas = {p.casefold(): p for p in journey.personas[Col.PERSONA]}
    sources = {s.value for s in Source}
    records: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    sheet = table.sheet
    for row, rec in table.frame.iterrows():
        r = int(row)  # type: ignore[call-overload]
        ok = True
        pid = rec.get(Col.ID)
        if is_blank(pid):
            found.add(Rule.PAIN_BLANK_ID, sheet, table.cell(r, Col.ID), "This pain point has no ID.",
                      "Give it a short unique ID such as P12, so recommendations can refer to it.")
            ok = False
        else:
            pid = str(pid).strip()
            if pid.casefold() in ids:
                found.add(Rule.PAIN_DUPLICATE_ID, sheet, table.cell(r, Col.ID),
                          f"The ID '{pid}' is already used in row {ids[pid.casefold()]}.",
                          "Give every pain point its own ID.")
                ok = False
            else:
                ids[pid.casefold()] = r
                journey.pain_cells[pid] = table.cell(r, Col.ID)
        stage_raw = rec.get(Col.STAGE)
        stage = stages.get(" ".join(str(stage_raw).split()).casefold()) if not is_blank(stage_raw) else None
        if stage is None:
            what = "no stage" if is_blank(stage_raw) else f"the stage '{stage_raw}', which is not in the grid"
            hint = suggest(str(stage_raw), journey.stages) if not is_blank(stage_raw) else ""
            found.add(Rule.PAIN_UNKNOWN_STAGE, sheet, table.cell(r, Col.STAGE),
                      f"Pain point {pid or ''} has {what}.{hint}",
                      "Pick one of the stages of the Journey sheet: " + ", ".join(journey.stages) + ".")
            ok = False
        severity = _whole_1_5(rec.get(Col.SEVERITY))
        if severity is None:
            found.add(Rule.PAIN_BAD_SEVERITY, sheet, table.cell(r, Col.SEVERITY),
                      f"Severity is '{_show(rec.get(Col.SEVERITY))}'; it should be a whole number from 1 "
                      "(minor) to 5 (blocks the customer).", "Type 1, 2, 3, 4 or 5.")
            ok = False
        frequency = _whole_1_5(rec.get(Col.FREQUENCY))
        if frequency is None:
            found.add(Rule.PAIN_BAD_FREQUENCY, sheet, table.cell(r, Col.FREQUENCY),
                      f"Frequency is '{_show(rec.get(Col.FREQUENCY))}'; it should be a whole number from 1 "
                      "(rare) to 5 (almost every customer).", "Type 1, 2, 3, 4 or 5.")
            ok = False
        persona_raw = rec.get(Col.PERSONA)
        persona = None
        if not is_blank(persona_raw):
            persona = personas.get(str(persona_raw).strip().casefold())
            if persona is None:
                found.add(Rule.PAIN_UNKNOWN_PERSONA, sheet, table.cell(r, Col.PERSONA),
                          f"The persona '{persona_raw}' is not in the Personas sheet."
                          + suggest(str(persona_raw), personas.values()),
                          "Spell it as in Personas, add the persona there, or leave the cell blank.")
                ok = False
        source = rec.get(Col.SOURCE)
        if not is_blank(source) and str(source).strip().lower() not in sources:
            found.add(Rule.PAIN_UNKNOWN_SOURCE, sheet, table.cell(r, Col.SOURCE),
                      f"The source '{source}' is not one of: {', '.join(sorted(sources))}."
                      + suggest(str(source), sources), "Pick a source from the list.")
        if is_blank(rec.get(Col.DESCRIPTION)):
            found.add(Rule.PAIN_BLANK_DESCRIPTION, sheet, table.cell(r, Col.DESCRIPTION),
                      f"Pain point {pid or ''} has no description.",
                      "Say in a sentence what hurts, in the customer's words if you have them.")
        if ok:
            records.append({
                Col.ID: pid, Col.STAGE: stage,
                Col.TOUCHPOINT: _text(rec.get(Col.TOUCHPOINT)), Col.CHANNEL: _text(rec.get(Col.CHANNEL)),
                Col.PERSONA: persona, Col.DESCRIPTION: _text(rec.get(Col.DESCRIPTION)),
                Col.SEVERITY: severity, Col.FREQUENCY: frequency,
                Col.SOURCE: None if is_blank(source) else str(source).strip().lower(), "row": r,
            })
    columns = [*COLUMNS[Sheet.PAIN_POINTS], "row"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame[Col.SEVERITY] = frame[Col.SEVERITY].astype(int)
    frame[Col.FREQUENCY] = frame[Col.FREQUENCY].astype(int)
    return frame


def _recommendations(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    pain_ids = {p.casefold(): p for p in journey.pain_points[Col.ID]}
    records: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    sheet = table.sheet
    forms: dict[str, list[tuple[int, str]]] = {"fraction": [], "percent": []}
    for row, rec in table.frame.iterrows():
        r = int(row)  # type: ignore[call-overload]
        ok = True
        rid = rec.get(Col.ID)
        if is_blank(rid):
            found.add(Rule.REC_BLANK_ID, sheet, table.cell(r, Col.ID), "This recommendation has no ID.",
                      "Give it a short unique ID such as R7.")
            ok = False
        else:
            rid = str(rid).strip()
            if rid.casefold() in ids:
                found.add(Rule.REC_DUPLICATE_ID, sheet, table.cell(r, Col.ID),
                          f"The ID '{rid}' is already used in row {ids[rid.casefold()]}.",
                          "Give every recommendation its own ID.")
                ok = False
            else:
                ids[rid.casefold()] = r
        addresses: list[str] = []
        raw_addr = rec.get(Col.ADDRESSES)
        if not is_blank(raw_addr):
            for part in str(raw_addr).replace(";", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                match = pain_ids.get(part.casefold())
                if match is None:
                    found.add(Rule.REC_UNKNOWN_PAIN, sheet, table.cell(r, Col.ADDRESSES),
                              f"Recommendation {rid or ''} addresses '{part}', which is not a pain-point ID "
                              "(or that pain point has an error)." + suggest(part, pain_ids.values()),
                              "List existing pain-point IDs separated by commas, e.g. P1, P4.")
                    ok = False
                elif match not in addresses:
                    addresses.append(match)
        reach = to_number(rec.get(Col.REACH))
        if reach is None or reach < 0:
            found.add(Rule.REC_BAD_REACH, sheet, table.cell(r, Col.REACH),
                      f"Reach is '{_show(rec.get(Col.REACH))}'; it should be how many customers this reaches "
                      "per period (0 or more).", "Type a number of customers, e.g. 1200.")
            ok = False
        impact_raw = rec.get(Col.IMPACT)
        impact = np.nan
        if not is_blank(impact_raw):
            number = to_number(impact_raw)
            if number is None or not any(abs(number - x) < 1e-9 for x in RICE_IMPACTS):
                found.add(Rule.REC_BAD_IMPACT, sheet, table.cell(r, Col.IMPACT),
                          f"Impact is '{impact_raw}', which is not on the RICE scale.",
                          "Type 3 (massive), 2 (high), 1 (medium), 0.5 (low) or 0.25 (minimal), or leave it "
                          "blank to derive it from the pain points addressed.")
                ok = False
            else:
                impact = number
        conf_raw = rec.get(Col.CONFIDENCE)
        confidence, how = to_percent(conf_raw)
        if confidence is None or not 0 <= confidence <= 1:
            found.add(Rule.REC_BAD_CONFIDENCE, sheet, table.cell(r, Col.CONFIDENCE),
                      f"Confidence is '{_show(conf_raw)}'; it should be a percentage from 0 to 100.",
                      "Type e.g. 80 or 80%.")
            ok = False
        elif not isinstance(conf_raw, str):
            forms["fraction" if float(conf_raw) <= 1 else "percent"].append((r, how))
        effort = to_number(rec.get(Col.EFFORT))
        if effort is None or effort <= 0:
            found.add(Rule.REC_BAD_EFFORT, sheet, table.cell(r, Col.EFFORT),
                      f"Effort is '{_show(rec.get(Col.EFFORT))}'; it should be the person-weeks needed "
                      "(more than 0).", "Type an estimate in person-weeks, e.g. 2 or 0.5.")
            ok = False
        if not addresses and np.isnan(impact) and ok:
            found.add(Rule.REC_NO_VALUE, sheet, table.cell(r, Col.ADDRESSES),
                      f"Recommendation {rid} addresses no pain point and has no Impact, so its value is 0.",
                      "List the pain-point IDs it fixes in Addresses, or give an Impact.")
        if ok:
            records.append({
                Col.ID: rid, Col.TITLE: _text(rec.get(Col.TITLE)), Col.ADDRESSES: tuple(addresses),
                Col.REACH: reach, Col.IMPACT: impact, Col.CONFIDENCE: confidence, Col.EFFORT: effort,
                Col.OWNER: _text(rec.get(Col.OWNER)), Col.STATUS: _text(rec.get(Col.STATUS)), "row": r,
            })
    if forms["fraction"] and forms["percent"]:
        for r, how in forms["fraction"]:
            found.add(Rule.REC_CONFIDENCE_READ_AS, sheet, table.cell(r, Col.CONFIDENCE),
                      f"Confidence {how}: this column mixes fractions (0.8) and percentages (80).",
                      "Write every confidence the same way, e.g. 80 or 80%.")
    columns = [*COLUMNS[Sheet.RECOMMENDATIONS], "row"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for col in (Col.REACH, Col.IMPACT, Col.CONFIDENCE, Col.EFFORT):
        frame[col] = frame[col].astype(float)
    return frame


EVIDENCE_COLUMNS = [Col.STAGE, Col.TOUCHPOINT, Col.CHANNEL, Col.PERSONA, Col.METRIC, Col.SCORE]


def _evidence(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    """Vectorised: the Evidence sheet may hold hundreds of thousands of rows."""
    frame = table.frame
    sheet = table.sheet
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS}).astype(
            {Col.SCORE: float}
        )
    metric_map = {m.value.casefold(): m.value for m in Metric}
    metric = _lookup(frame[Col.METRIC], metric_map)
    bad_metric = metric.isna()
    _report_rows(found, Rule.EVIDENCE_UNKNOWN_METRIC, table, Col.METRIC, bad_metric,
                 lambda v: f"The metric '{_show(v)}' is not one of CSAT, CES, NPS, Emotion.",
                 "Pick CSAT (1-5), CES (1-7), NPS (0-10) or Emotion (-2..+2).")
    score = numeric_column(frame[Col.SCORE])
    low = metric.map({m.value: METRIC_SCALE[m][0] for m in Metric}).astype(float)
    high = metric.map({m.value: METRIC_SCALE[m][1] for m in Metric}).astype(float)
    bad_score = ~bad_metric & (score.isna() | (score < low) | (score > high))
    _report_rows(found, Rule.EVIDENCE_BAD_SCORE, table, Col.SCORE, bad_score,
                 lambda v: f"The score '{_show(v)}' is not on this metric's scale.",
                 "CSAT is 1-5, CES 1-7, NPS 0-10 and Emotion -2..+2.")
    stage = _lookup(frame[Col.STAGE], _stage_lookup(journey))
    bad_stage = stage.isna()
    _report_rows(found, Rule.EVIDENCE_UNKNOWN_STAGE, table, Col.STAGE, bad_stage,
                 lambda v: f"The stage '{_show(v)}' is not in the Journey grid."
                 + (suggest(str(v), journey.stages) if v is not None else ""),
                 "Use the stage names of the Journey sheet.")
    if Col.DATE in frame and table.columns.get(Col.DATE):
        dates = frame[Col.DATE]
        present = dates.notna()
        is_numeric = pd.to_numeric(dates, errors="coerce").notna()
        check = present & ~is_numeric
        bad_date = pd.Series(False, index=frame.index)
        if check.any():
            bad_date.loc[check] = dates.loc[check].map(lambda v: to_date(v) is None)
        _report_rows(found, Rule.EVIDENCE_BAD_DATE, table, Col.DATE, bad_date,
                     lambda v: f"'{_show(v)}' is not a date.", "Type a date such as 2026-03-31.")
    persona_map = {p.casefold(): p for p in journey.personas[Col.PERSONA]}
    persona = _lookup(frame[Col.PERSONA], persona_map)
    bad_persona = frame[Col.PERSONA].notna() & persona.isna()
    _report_rows(found, Rule.EVIDENCE_UNKNOWN_PERSONA, table, Col.PERSONA, bad_persona,
                 lambda v: f"The persona '{_show(v)}' is not in the Personas sheet; the row counts for all "
                 "customers only.", "Spell it as in Personas, or leave it blank.")
    keep = ~(bad_metric | bad_score | bad_stage)
    out = pd.DataFrame({
        Col.STAGE: stage[keep],
        Col.TOUCHPOINT: frame[Col.TOUCHPOINT][keep],
        Col.CHANNEL: frame[Col.CHANNEL][keep],
        Col.PERSONA: persona[keep],
        Col.METRIC: metric[keep],
        Col.SCORE: score[keep],
    })
    return out


def _funnel(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    stages = _stage_lookup(journey)
    records = []
    sheet = table.sheet
    order: list[str] = []
    for row, rec in table.frame.iterrows():
        r = int(row)  # type: ignore[call-overload]
        stage_raw = rec.get(Col.STAGE)
        stage = stages.get(" ".join(str(stage_raw).split()).casefold()) if not is_blank(stage_raw) else None
        ok = True
        if stage is None:
            found.add(Rule.FUNNEL_UNKNOWN_STAGE, sheet, table.cell(r, Col.STAGE),
                      f"The stage '{_show(stage_raw)}' is not in the Journey grid."
                      + suggest(str(stage_raw), journey.stages), "Use the stage names of the Journey sheet.")
            ok = False
        counts = {}
        for col in (Col.ENTERED, Col.COMPLETED):
            number = to_number(rec.get(col))
            if number is None or number < 0:
                found.add(Rule.FUNNEL_BAD_COUNT, sheet, table.cell(r, col),
                          f"{col} is '{_show(rec.get(col))}'; it should be a count of customers (0 or more).",
                          "Type the number of customers from your analytics.")
                ok = False
            counts[col] = number
        if ok and counts[Col.COMPLETED] is not None and counts[Col.ENTERED] is not None \
                and counts[Col.COMPLETED] > counts[Col.ENTERED]:
            found.add(Rule.FUNNEL_COMPLETED_OVER_ENTERED, sheet, table.cell(r, Col.COMPLETED),
                      f"{counts[Col.COMPLETED]:,.0f} completed '{stage}' but only {counts[Col.ENTERED]:,.0f} "
                      "entered it.", "Check both counts: Completed cannot be more than Entered.")
            ok = False
        if stage is not None:
            order.append(stage)
        if ok:
            records.append({Col.STAGE: stage, Col.ENTERED: counts[Col.ENTERED],
                            Col.COMPLETED: counts[Col.COMPLETED]})
    grid_order = [s for s in journey.stages if s in order]
    if order and [s for s in order if s in grid_order] != grid_order:
        found.add(Rule.STAGE_ORDER, sheet, table.header_cell(Col.STAGE),
                  "The Funnel lists the stages in another order than the Journey grid; the grid's order is used.",
                  "Sort the Funnel rows in journey order: " + ", ".join(journey.stages) + ".")
    frame = pd.DataFrame.from_records(records, columns=[Col.STAGE, Col.ENTERED, Col.COMPLETED])
    frame[Col.ENTERED] = frame[Col.ENTERED].astype(float)
    frame[Col.COMPLETED] = frame[Col.COMPLETED].astype(float)
    return frame


# ---------------------------------------------------------------- helpers


def _lookup(series: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Map text case-insensitively (ignoring surrounding and repeated spaces); NaN where unknown."""
    keys = series.map(lambda v: " ".join(str(v).split()).casefold() if v is not None else None)
    uniques = pd.unique(keys.dropna())
    table = {k: mapping.get(k) for k in uniques}
    return keys.map(table)


def _report_rows(found: Findings, rule: Rule, table: Table, col: str, mask: pd.Series, message: Any,
                 fix: str) -> None:
    if not mask.any():
        return
    rows = mask[mask].index
    values = table.frame.loc[rows, col]
    for k, (r, v) in enumerate(zip(rows, values, strict=True), start=1):
        found.add(rule, table.sheet, table.cell(int(r), col), message(v), fix)
        if found.count(rule, table.sheet) > MAX_ROWS_PER_RULE:
            found.count_more(rule, table.sheet, len(rows) - k)  # the rest, without building messages
            break


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def _text(value: Any) -> str | None:
    return None if is_blank(value) else str(value).strip()
