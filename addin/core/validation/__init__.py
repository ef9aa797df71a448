"""Read a raw workbook into a clean `Journey`, collecting every finding on the way (lazy, never stops early).

Each finding names the sheet and the cell, says what is wrong and how to fix it.
Rows with an error are left out of the analysis; warnings keep the row. Evidence,
which may hold hundreds of thousands of rows, is checked column by column, never
row by row; repeats of one rule on one sheet are capped so the report stays readable.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import (
    COLUMNS,
    EMOTION_LANE_PREFIX,
    EMOTION_RANGE,
    INPUT_SHEETS,
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
    date_column_ok,
    empty_table,
    is_blank,
    lookup_column,
    numeric_column,
    percent_text,
    read_table,
    to_number,
    to_percent,
)

MAX_ROWS_PER_RULE = 25
"""Per sheet and rule, more findings are summed up in one line (500,000 bad rows stay readable)."""

KNOWN_LANES = {norm(lane.value) for lane in Lane}
OPTIONAL_COLUMNS = {Col.WEIGHT, Col.DESCRIPTION, Col.OWNER, Col.STATUS, Col.COMMENT, Col.DATE, Col.IMPACT}
"""Columns a sheet may leave out: they read as blank."""
OPTIONAL_IN_OPTIONAL_SHEETS = {Col.PERSONA, Col.CHANNEL, Col.TOUCHPOINT}
IMPACT_WORDS = {"massive": 3.0, "high": 2.0, "medium": 1.0, "low": 0.5, "minimal": 0.25}
"""RICE impact written as a word, as the template's note names the levels."""


class Findings:
    """Collects findings; caps repeats of one rule on one sheet at `MAX_ROWS_PER_RULE`."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self._counts: Counter[tuple[Rule, str]] = Counter()

    def add(self, rule: Rule, sheet: str, cell: str, message: str, fix: str) -> None:
        key = (rule, sheet)
        self._counts[key] += 1
        if self._counts[key] <= MAX_ROWS_PER_RULE:
            self.items.append(Finding(RULE_INFO[rule][0], rule.value, sheet, cell, message, fix))

    def full(self, rule: Rule, sheet: str) -> bool:
        """True once this rule has as many findings on this sheet as are shown."""
        return self._counts[(rule, sheet)] >= MAX_ROWS_PER_RULE

    def count_more(self, rule: Rule, sheet: str, n: int) -> None:
        """Count `n` more occurrences without building their messages."""
        self._counts[(rule, sheet)] += n

    def finish(self) -> list[Finding]:
        """Every finding: errors first, then by sheet in contract order; a capped rule gets one '... and N more'
        line after its last shown row."""
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


def validate(raw: RawWorkbook) -> tuple[Journey, list[Finding]]:
    """Validate every input sheet; return the clean journey and all findings, errors first."""
    found = Findings()
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
    tables = _read_tables(raw, found)
    journey_sheet = raw.find(Sheet.JOURNEY)
    assert journey_sheet is not None, "the caller checks that a Journey sheet exists"
    settings = _settings(tables[Sheet.SETTINGS], found)
    personas = _personas(tables[Sheet.PERSONAS], found)
    journey = _grid(journey_sheet, personas, found)
    journey.settings = settings
    journey.personas = personas
    journey.pain_points = _pain_points(tables[Sheet.PAIN_POINTS], journey, found)
    every_pain_id = _texts(tables[Sheet.PAIN_POINTS].frame[Col.ID])
    journey.recommendations = _recommendations(tables[Sheet.RECOMMENDATIONS], journey, every_pain_id, found)
    journey.evidence = _evidence(tables[Sheet.EVIDENCE], journey, found)
    journey.funnel = _funnel(tables[Sheet.FUNNEL], journey, found)
    return journey, found.finish()


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
                    "",
                    f"The workbook has no '{name}' sheet.",
                    f"Add a sheet named '{name}' whose first row is the header: {', '.join(expected)}.",
                )
            tables[name] = empty_table(name.value, expected)
            continue
        table = read_table(sheet, expected)
        tables[name] = table
        _check_header(name, sheet, table, expected, found)
    return tables


def _check_header(name: Sheet, sheet: RawSheet, table: Table, expected: tuple[str, ...], found: Findings) -> None:
    optional = OPTIONAL_COLUMNS | (OPTIONAL_IN_OPTIONAL_SHEETS if name in OPTIONAL_SHEETS else set())
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


def _settings(table: Table, found: Findings) -> Settings:
    values: dict[str, Any] = {}
    keys = [s.key for s in SETTINGS_BY_KEY.values()]
    known = ", ".join(keys)
    for r, rec in _records(table):
        key_text = rec.get(Col.KEY)
        if is_blank(key_text):
            continue
        spec = SETTINGS_BY_KEY.get(norm(key_text))
        cell = table.cell(r, Col.KEY)
        if spec is None:
            found.add(
                Rule.SETTING_UNKNOWN_KEY,
                table.sheet,
                cell,
                f"The setting '{key_text}' is not known; it is ignored.{suggest(str(key_text), keys)}",
                f"Known settings: {known}.",
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
        vcell = table.cell(r, Col.VALUE)
        if is_blank(value):
            continue
        if spec.kind is SettingKind.NUMBER:
            number = to_number(value)
            if number is None or (spec.minimum is not None and number < spec.minimum):
                least = f" of at least {spec.minimum:g}" if spec.minimum is not None else ""
                default = f"{spec.default:g}" if isinstance(spec.default, float) else "blank (automatic)"
                found.add(
                    Rule.SETTING_BAD_VALUE,
                    table.sheet,
                    vcell,
                    f"'{spec.key}' should be a number{least}, not {_quoted(value)}. The default ({default}) is used.",
                    f"Type a number, or leave it blank for the default ({default}).",
                )
                continue
            values[spec.key] = number
        elif spec.kind is SettingKind.CHOICE:
            match = {norm(c): c for c in spec.choices}.get(norm(value))
            if match is None:
                found.add(
                    Rule.SETTING_BAD_VALUE,
                    table.sheet,
                    vcell,
                    f"'{spec.key}' is {_quoted(value)}, which is not one of {', '.join(spec.choices)}. "
                    f"The default ({spec.default}) is used.{suggest(str(value), spec.choices)}",
                    f"Pick one of: {', '.join(spec.choices)}.",
                )
                continue
            values[spec.key] = match
        else:
            values[spec.key] = str(value)
    return Settings.from_mapping(values)


def _personas(table: Table, found: Findings) -> pd.DataFrame:
    names: list[str] = []
    weights: list[float] = []
    descriptions: list[Any] = []
    seen: set[str] = set()
    for r, rec in _records(table):
        name = rec.get(Col.PERSONA)
        if is_blank(name):
            _flag(
                found,
                Rule.PERSONA_BLANK,
                table,
                r,
                Col.PERSONA,
                "This persona row has a description or weight but no name; it is ignored.",
                "Type the persona's name, or clear the row.",
            )
            continue
        name = " ".join(str(name).split())
        if norm(name) in seen:
            _flag(
                found,
                Rule.PERSONA_DUPLICATE,
                table,
                r,
                Col.PERSONA,
                f"The persona '{name}' is listed twice; the first row is used.",
                "Give each persona one row, or rename one of them.",
            )
            continue
        seen.add(norm(name))
        raw_weight = rec.get(Col.WEIGHT)
        weight = np.nan
        if not is_blank(raw_weight):
            number = percent_text(raw_weight)
            number = number if number is not None else to_number(raw_weight)
            if number is None or number < 0:
                _flag(
                    found,
                    Rule.PERSONA_BAD_WEIGHT,
                    table,
                    r,
                    Col.WEIGHT,
                    f"The weight of '{name}' is {_quoted(raw_weight)}; it should be a share of customers in % "
                    "(0 or more). It is treated as blank (average weight).",
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


def _grid(sheet: RawSheet, personas: pd.DataFrame, found: Findings) -> Journey:
    rows = sheet.rows
    header = rows[0] if rows else []
    stages: list[str] = []
    stage_cols: list[int] = []
    lane_col = next((i for i, v in enumerate(header, start=1) if norm(v) == norm(Col.LANE)), 1)
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
        if norm(name) in seen:
            found.add(
                Rule.DUPLICATE_STAGE,
                sheet.name,
                a1(1, idx),
                f"The stage '{name}' appears twice (also in {a1(1, seen[norm(name)])}); this column is ignored.",
                "Give each stage one column, or rename one of them (if the two header cells are merged, unmerge them).",
            )
            continue
        seen[norm(name)] = idx
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
    persona_names = {norm(p): p for p in personas.get(Col.PERSONA, pd.Series(dtype=object))}
    emotion_rows: dict[str, list[float]] = {}
    has_content = [False] * len(stages)
    lane_rows: dict[str, int] = {}
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
        key = norm(lane_name)
        if key in lane_rows:
            found.add(
                Rule.DUPLICATE_LANE,
                sheet.name,
                a1(r, lane_col),
                f"The lane '{lane_name}' appears twice (also in {a1(lane_rows[key], lane_col)}); "
                "this row is not analysed.",
                "Merge the two rows into one, or rename one of them.",
            )
            continue
        lane_rows[key] = r
        for i, v in enumerate(cells):
            if not is_blank(v):
                has_content[i] = True
        journey.lanes[lane_name] = [None if is_blank(v) else v for v in cells]
        curve: str | None = None
        if key == norm(Lane.EMOTION):
            curve = ALL_CUSTOMERS
        elif key.startswith(norm(EMOTION_LANE_PREFIX)):
            persona = " ".join(lane_name.split(":", 1)[1].split())
            curve = persona_names.get(norm(persona), persona)
            if norm(persona) not in persona_names:
                who = f"the persona '{persona}', who is not in Personas" if persona else "no persona"
                found.add(
                    Rule.EMOTION_UNKNOWN_PERSONA,
                    sheet.name,
                    a1(r, lane_col),
                    f"The lane '{lane_name}' names {who}.{suggest(persona, persona_names.values())}",
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


def _emotion_row(sheet: str, r: int, cols: list[int], cells: list[Any], lane: str, found: Findings) -> list[float]:
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
                f"'{lane}' should be a number from -2 (very negative) to +2 (very positive), not {_quoted(value)}.",
                "Type a number from -2 to 2.",
            )
            out.append(np.nan)
        elif not low <= number <= high:
            found.add(
                Rule.EMOTION_OUT_OF_RANGE,
                sheet,
                a1(r, col),
                f"'{lane}' is {number:g}, outside the scale -2..+2.",
                "Type a number from -2 (very negative) to 2 (very positive).",
            )
            out.append(np.nan)
        else:
            out.append(number)
    return out


# ---------------------------------------------------------------- tables


def _stage_lookup(journey: Journey) -> dict[str, str]:
    return {norm(s): s for s in journey.stages}


def _whole_1_5(value: Any) -> int | None:
    number = to_number(value)
    if number is None or number != int(number) or not 1 <= number <= 5:
        return None
    return int(number)


def _pain_points(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    stages = _stage_lookup(journey)
    personas = {norm(p): p for p in journey.personas[Col.PERSONA]}
    sources = {s.value for s in Source}
    records: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    for r, rec in _records(table):
        ok = True
        pid = _text(rec.get(Col.ID))
        if pid is None:
            _flag(
                found,
                Rule.PAIN_BLANK_ID,
                table,
                r,
                Col.ID,
                "This pain point has no ID.",
                "Give it a short unique ID such as P12, so recommendations can refer to it.",
            )
            ok = False
        elif norm(pid) in ids:
            _flag(
                found,
                Rule.PAIN_DUPLICATE_ID,
                table,
                r,
                Col.ID,
                f"The ID '{pid}' is already used in row {ids[norm(pid)]}; this row is left out.",
                "Give every pain point its own ID.",
            )
            ok = False
        else:
            ids[norm(pid)] = r
            journey.pain_cells[pid] = table.cell(r, Col.ID)
        name = f"Pain point {pid}" if pid else "This pain point"
        stage_raw = rec.get(Col.STAGE)
        stage = stages.get(norm(stage_raw)) if not is_blank(stage_raw) else None
        if stage is None:
            what = "no stage" if is_blank(stage_raw) else f"the stage '{stage_raw}', which is not in the Journey grid"
            hint = suggest(str(stage_raw), journey.stages) if not is_blank(stage_raw) else ""
            _flag(
                found,
                Rule.PAIN_UNKNOWN_STAGE,
                table,
                r,
                Col.STAGE,
                f"{name} has {what}.{hint}",
                "Pick one of the stages of the Journey sheet: " + ", ".join(journey.stages) + ".",
            )
            ok = False
        severity = _whole_1_5(rec.get(Col.SEVERITY))
        if severity is None:
            _flag(
                found,
                Rule.PAIN_BAD_SEVERITY,
                table,
                r,
                Col.SEVERITY,
                f"Severity of {pid or 'this pain point'} is {_quoted(rec.get(Col.SEVERITY))}; it should be "
                "a whole number from 1 (minor) to 5 (blocks the customer).",
                "Type 1, 2, 3, 4 or 5.",
            )
            ok = False
        frequency = _whole_1_5(rec.get(Col.FREQUENCY))
        if frequency is None:
            _flag(
                found,
                Rule.PAIN_BAD_FREQUENCY,
                table,
                r,
                Col.FREQUENCY,
                f"Frequency of {pid or 'this pain point'} is {_quoted(rec.get(Col.FREQUENCY))}; it should "
                "be a whole number from 1 (rare) to 5 (almost every customer).",
                "Type 1, 2, 3, 4 or 5.",
            )
            ok = False
        persona_raw = rec.get(Col.PERSONA)
        persona = None
        if not is_blank(persona_raw):
            persona = personas.get(norm(persona_raw))
            if persona is None:
                _flag(
                    found,
                    Rule.PAIN_UNKNOWN_PERSONA,
                    table,
                    r,
                    Col.PERSONA,
                    f"The persona '{persona_raw}' is not in the Personas sheet."
                    + suggest(str(persona_raw), personas.values()),
                    "Spell it as in Personas, add the persona there, or leave the cell blank (all customers).",
                )
                ok = False
        source_raw = rec.get(Col.SOURCE)
        source = None if is_blank(source_raw) else norm(source_raw)
        if source is not None and source not in sources:
            _flag(
                found,
                Rule.PAIN_UNKNOWN_SOURCE,
                table,
                r,
                Col.SOURCE,
                f"The source '{source_raw}' is not one of: {', '.join(s.value for s in Source)}; it is kept as is."
                + suggest(str(source_raw), sources),
                "Pick a source from the list.",
            )
        if is_blank(rec.get(Col.DESCRIPTION)):
            _flag(
                found,
                Rule.PAIN_BLANK_DESCRIPTION,
                table,
                r,
                Col.DESCRIPTION,
                f"{name} has no description.",
                "Say in a sentence what hurts, in the customer's words if you have them.",
            )
        if ok:
            records.append(
                {
                    Col.ID: pid,
                    Col.STAGE: stage,
                    Col.TOUCHPOINT: _text(rec.get(Col.TOUCHPOINT)),
                    Col.CHANNEL: _text(rec.get(Col.CHANNEL)),
                    Col.PERSONA: persona,
                    Col.DESCRIPTION: _text(rec.get(Col.DESCRIPTION)),
                    Col.SEVERITY: severity,
                    Col.FREQUENCY: frequency,
                    Col.SOURCE: source,
                    "row": r,
                }
            )
    columns = [*COLUMNS[Sheet.PAIN_POINTS], "row"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame[Col.SEVERITY] = frame[Col.SEVERITY].astype(int)
    frame[Col.FREQUENCY] = frame[Col.FREQUENCY].astype(int)
    return frame


def _recommendations(table: Table, journey: Journey, every_pain_id: set[str], found: Findings) -> pd.DataFrame:
    valid_ids = {norm(p): p for p in journey.pain_points[Col.ID]}
    records: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    fractions: list[tuple[int, str]] = []  # confidence written as 0.8
    percents = 0  # confidence written as 80 or "80%"
    for r, rec in _records(table):
        ok = True
        rid = _text(rec.get(Col.ID))
        if rid is None:
            _flag(
                found,
                Rule.REC_BLANK_ID,
                table,
                r,
                Col.ID,
                "This recommendation has no ID.",
                "Give it a short unique ID such as R7.",
            )
            ok = False
        elif norm(rid) in ids:
            _flag(
                found,
                Rule.REC_DUPLICATE_ID,
                table,
                r,
                Col.ID,
                f"The ID '{rid}' is already used in row {ids[norm(rid)]}; this row is left out.",
                "Give every recommendation its own ID.",
            )
            ok = False
        else:
            ids[norm(rid)] = r
        name = f"Recommendation {rid}" if rid else "This recommendation"
        addresses: list[str] = []
        with_errors = 0  # addressed pain points that exist but have an error of their own (reported there)
        for part in _split_ids(rec.get(Col.ADDRESSES)):
            match = valid_ids.get(norm(part))
            if match is not None:
                if match not in addresses:
                    addresses.append(match)
            elif norm(part) in every_pain_id:
                with_errors += 1
            else:
                _flag(
                    found,
                    Rule.REC_UNKNOWN_PAIN,
                    table,
                    r,
                    Col.ADDRESSES,
                    f"{name} addresses '{part}', which is not a pain-point ID." + suggest(part, valid_ids.values()),
                    "List existing pain-point IDs separated by commas, e.g. P1, P4.",
                )
                ok = False
        reach = to_number(rec.get(Col.REACH))
        if reach is None or reach < 0:
            _flag(
                found,
                Rule.REC_BAD_REACH,
                table,
                r,
                Col.REACH,
                f"Reach of {rid or 'this recommendation'} is {_quoted(rec.get(Col.REACH))}; "
                "it should be how many customers this reaches per period (0 or more).",
                "Type a number of customers, e.g. 1200.",
            )
            ok = False
        impact_raw = rec.get(Col.IMPACT)
        impact = np.nan
        if not is_blank(impact_raw):
            number = IMPACT_WORDS.get(norm(impact_raw)) if isinstance(impact_raw, str) else None
            number = number if number is not None else to_number(impact_raw)
            if number is None or not any(abs(number - x) < 1e-9 for x in RICE_IMPACTS):
                _flag(
                    found,
                    Rule.REC_BAD_IMPACT,
                    table,
                    r,
                    Col.IMPACT,
                    f"Impact is {_quoted(impact_raw)}, which is not on the RICE scale.",
                    "Type 3 (massive), 2 (high), 1 (medium), 0.5 (low) or 0.25 (minimal), or leave it "
                    "blank to derive it from the pain points addressed.",
                )
                ok = False
            else:
                impact = number
        conf_raw = rec.get(Col.CONFIDENCE)
        confidence, how = to_percent(conf_raw)
        if confidence is None or not 0 <= confidence <= 1:
            _flag(
                found,
                Rule.REC_BAD_CONFIDENCE,
                table,
                r,
                Col.CONFIDENCE,
                f"Confidence is {_quoted(conf_raw)}; it should be a percentage from 0 to 100.",
                "Type e.g. 80 or 80%.",
            )
            ok = False
        elif confidence > 0:
            if percent_text(conf_raw) is not None or (to_number(conf_raw) or 0) > 1:
                percents += 1
            else:
                fractions.append((r, how))
        effort = to_number(rec.get(Col.EFFORT))
        if effort is None or effort <= 0:
            _flag(
                found,
                Rule.REC_BAD_EFFORT,
                table,
                r,
                Col.EFFORT,
                f"Effort is {_quoted(rec.get(Col.EFFORT))}; it should be the person-weeks needed (more than 0).",
                "Type an estimate in person-weeks, e.g. 2 or 0.5.",
            )
            ok = False
        if not addresses and not with_errors and np.isnan(impact) and ok:
            _flag(
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
                    Col.TITLE: _text(rec.get(Col.TITLE)),
                    Col.ADDRESSES: tuple(addresses),
                    Col.REACH: reach,
                    Col.IMPACT: impact,
                    Col.CONFIDENCE: confidence,
                    Col.EFFORT: effort,
                    Col.OWNER: _text(rec.get(Col.OWNER)),
                    Col.STATUS: _text(rec.get(Col.STATUS)),
                    "row": r,
                }
            )
    if fractions and percents:
        for r, how in fractions:
            _flag(
                found,
                Rule.REC_CONFIDENCE_READ_AS,
                table,
                r,
                Col.CONFIDENCE,
                f"Confidence {how}. This column also has percentages (80 or 80%), so check that this one "
                "is meant as a fraction.",
                "Write every confidence the same way, e.g. 80 or 80%.",
            )
    columns = [*COLUMNS[Sheet.RECOMMENDATIONS], "row"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for col in (Col.REACH, Col.IMPACT, Col.CONFIDENCE, Col.EFFORT):
        frame[col] = frame[col].astype(float)
    return frame


EVIDENCE_COLUMNS = [Col.STAGE, Col.TOUCHPOINT, Col.CHANNEL, Col.PERSONA, Col.METRIC, Col.SCORE]


def _evidence(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    """Column by column, once per distinct value: the Evidence sheet may hold hundreds of thousands of rows."""
    frame = table.frame
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS}).astype({Col.SCORE: float})
    metric = lookup_column(frame[Col.METRIC], {norm(m.value): m.value for m in Metric})
    bad_metric = metric.isna()
    scales = ", ".join(f"{m.value} ({_scale(m)})" for m in Metric)
    _report_rows(
        found,
        Rule.EVIDENCE_UNKNOWN_METRIC,
        table,
        Col.METRIC,
        bad_metric,
        lambda v, _: (
            "This row has no metric." if v is None else f"The metric '{v}' is not one of CSAT, CES, NPS, Emotion."
        ),
        f"Pick one of: {scales}.",
    )
    score = numeric_column(frame[Col.SCORE])
    low = metric.map({m.value: METRIC_SCALE[m][0] for m in Metric}).astype(float)
    high = metric.map({m.value: METRIC_SCALE[m][1] for m in Metric}).astype(float)
    bad_score = ~bad_metric & (score.isna() | (score < low) | (score > high))
    _report_rows(
        found,
        Rule.EVIDENCE_BAD_SCORE,
        table,
        Col.SCORE,
        bad_score,
        lambda v, r: (
            "This row has no score."
            if v is None
            else f"The {metric[r]} score is '{v}', which is not on its scale ({_scale(Metric(metric[r]))})."
        ),
        f"Scales: {scales}.",
    )
    stage = lookup_column(frame[Col.STAGE], _stage_lookup(journey))
    bad_stage = stage.isna()
    _report_rows(
        found,
        Rule.EVIDENCE_UNKNOWN_STAGE,
        table,
        Col.STAGE,
        bad_stage,
        lambda v, _: (
            "This row has no stage."
            if v is None
            else f"The stage '{v}' is not in the Journey grid.{suggest(str(v), journey.stages)}"
        ),
        "Use the stage names of the Journey sheet: " + ", ".join(journey.stages) + ".",
    )
    if table.columns.get(Col.DATE):
        _report_rows(
            found,
            Rule.EVIDENCE_BAD_DATE,
            table,
            Col.DATE,
            ~date_column_ok(frame[Col.DATE]),
            lambda v, _: f"'{v}' is not a date; the row is kept.",
            "Type a date such as 2026-03-31, or format the cell as a date.",
        )
    persona = lookup_column(frame[Col.PERSONA], {norm(p): p for p in journey.personas[Col.PERSONA]})
    bad_persona = frame[Col.PERSONA].notna() & persona.isna()
    _report_rows(
        found,
        Rule.EVIDENCE_UNKNOWN_PERSONA,
        table,
        Col.PERSONA,
        bad_persona,
        lambda v, _: f"The persona '{v}' is not in the Personas sheet; the row counts for all customers only.",
        "Spell it as in Personas, or leave it blank.",
    )
    keep = ~(bad_metric | bad_score | bad_stage)
    return pd.DataFrame(
        {
            Col.STAGE: stage[keep],
            Col.TOUCHPOINT: frame[Col.TOUCHPOINT][keep],
            Col.CHANNEL: frame[Col.CHANNEL][keep],
            Col.PERSONA: persona[keep],
            Col.METRIC: metric[keep],
            Col.SCORE: score[keep],
        }
    )


def _funnel(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    stages = _stage_lookup(journey)
    records = []
    sheet = table.sheet
    order: list[str] = []
    for r, rec in _records(table):
        stage_raw = rec.get(Col.STAGE)
        stage = stages.get(norm(stage_raw)) if not is_blank(stage_raw) else None
        ok = True
        if stage is None:
            _flag(
                found,
                Rule.FUNNEL_UNKNOWN_STAGE,
                table,
                r,
                Col.STAGE,
                "This funnel row has no stage."
                if is_blank(stage_raw)
                else f"The stage '{stage_raw}' is not in the Journey grid.{suggest(str(stage_raw), journey.stages)}",
                "Use the stage names of the Journey sheet: " + ", ".join(journey.stages) + ".",
            )
            ok = False
        counts = {}
        for col in (Col.ENTERED, Col.COMPLETED):
            number = to_number(rec.get(col))
            if number is None or number < 0:
                _flag(
                    found,
                    Rule.FUNNEL_BAD_COUNT,
                    table,
                    r,
                    col,
                    f"{col} is {_quoted(rec.get(col))}; it should be a count of customers (0 or more).",
                    "Type the number of customers from your analytics.",
                )
                ok = False
            counts[col] = number
        entered, completed = counts[Col.ENTERED], counts[Col.COMPLETED]
        if ok and entered is not None and completed is not None and completed > entered:
            _flag(
                found,
                Rule.FUNNEL_COMPLETED_OVER_ENTERED,
                table,
                r,
                Col.COMPLETED,
                f"{completed:,.0f} customers completed '{stage}' but only {entered:,.0f} entered it.",
                "Check both counts: Completed cannot be more than Entered.",
            )
            ok = False
        if stage is not None:
            order.append(stage)
        if ok:
            records.append({Col.STAGE: stage, Col.ENTERED: entered, Col.COMPLETED: completed})
    grid_order = [s for s in journey.stages if s in order]
    listed = list(dict.fromkeys(order))
    if listed != grid_order:
        found.add(
            Rule.STAGE_ORDER,
            sheet,
            table.header_cell(Col.STAGE),
            "The Funnel lists the stages in another order than the Journey grid ("
            + ", ".join(listed)
            + "); drop-off is shown in the grid's order.",
            "Sort the Funnel rows in journey order: " + ", ".join(journey.stages) + ".",
        )
    frame = pd.DataFrame.from_records(records, columns=[Col.STAGE, Col.ENTERED, Col.COMPLETED])
    frame[Col.ENTERED] = frame[Col.ENTERED].astype(float)
    frame[Col.COMPLETED] = frame[Col.COMPLETED].astype(float)
    return frame


# ---------------------------------------------------------------- helpers


def _records(table: Table) -> Iterable[tuple[int, dict[str, Any]]]:
    """(spreadsheet row, {column: value}) for the small sheets read row by row."""
    columns = list(table.frame.columns)
    for r, values in zip(table.frame.index, table.frame.itertuples(index=False, name=None), strict=True):
        yield int(r), dict(zip(columns, values, strict=True))


def _flag(found: Findings, rule: Rule, table: Table, r: int, col: str, message: str, fix: str) -> None:
    """A finding about the value in `col` of row `r`; none when the column is missing (S02 says so once)."""
    if table.columns.get(col):
        found.add(rule, table.sheet, table.cell(r, col), message, fix)


def _report_rows(
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


def _split_ids(value: Any) -> list[str]:
    """Pain-point IDs in an Addresses cell: separated by commas, semicolons or line breaks."""
    if is_blank(value):
        return []
    text = str(value).replace(";", ",").replace("\n", ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def _texts(values: pd.Series) -> set[str]:
    return {norm(v) for v in values if not is_blank(v)}


def _scale(metric: Metric) -> str:
    low, high = METRIC_SCALE[metric]
    return f"{low:+g}..{high:+g}" if low < 0 else f"{low:g}-{high:g}"


def _quoted(value: Any) -> str:
    """How a cell's value is named in a message: 'blank', or the value in quotes."""
    if is_blank(value):
        return "blank"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"'{value}'"


def _text(value: Any) -> str | None:
    return None if is_blank(value) else str(value).strip()
