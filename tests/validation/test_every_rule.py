"""One broken workbook per rule, checked for real: the finding names the rule, the sheet and the cell.

Each case starts from the online-shop example, makes one mistake a person could make, saves the
file with openpyxl and runs `python -m addin check --json` on it. A rule without a case fails
`test_every_rule_has_a_case`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from openpyxl.workbook.workbook import Workbook

from addin.core.contract import Severity
from addin.core.rules import RULE_INFO, Rule
from tests.sources import exports
from tests.validation.conftest import Mutation


def put(sheet: str, **cells: Any) -> Mutation:
    """A mutation that types values into cells: put("PainPoints", G2=9)."""

    def mutate(wb: Workbook, _: Path) -> None:
        for ref, value in cells.items():
            wb[sheet][ref] = value

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(wb: Workbook, path: Path) -> None:
        for m in mutations:
            m(wb, path)

    return mutate


def delete_sheet(name: str) -> Mutation:
    def mutate(wb: Workbook, _: Path) -> None:
        del wb[name]

    return mutate


def delete_column(sheet: str, idx: int) -> Mutation:
    def mutate(wb: Workbook, _: Path) -> None:
        wb[sheet].delete_cols(idx)

    return mutate


def swap_rows(sheet: str, a: int, b: int) -> Mutation:
    def mutate(wb: Workbook, _: Path) -> None:
        ws = wb[sheet]
        for col in range(1, ws.max_column + 1):
            top, bottom = ws.cell(a, col), ws.cell(b, col)
            top.value, bottom.value = bottom.value, top.value

    return mutate


def merge(sheet: str, *ranges: str) -> Mutation:
    """Merge cells as a person selecting them would (openpyxl writes overlapping ranges as Excel never does)."""

    def mutate(wb: Workbook, _: Path) -> None:
        for ref in ranges:
            wb[sheet].merge_cells(ref)

    return mutate


def source(name: str, data: bytes, **cells: Any) -> Mutation:
    """Save `data` as `name` next to the workbook and list it in EvidenceSources: source("q.csv", ..., C2="Q1")."""

    def mutate(wb: Workbook, path: Path) -> None:
        (path.parent / name).write_bytes(data)
        put("EvidenceSources", A2=name, **cells)(wb, path)

    return mutate


SURVEY = exports.qualtrics(
    [{"Q1": "9", "Q5_1": "Kinda"}, {"Q1": "10", "Q5_1": "Satisfied"}], {"Q1": "NPS?", "Q5_1": "CSAT?"}
)
FORMS = exports.google_forms(
    [{"Satisfied?": "5"}, {"Satisfied?": "4"}], ["Satisfied?"], ["25/03/2026 09:00:00", "03/26/2026 10:00:00"]
)
EVENTS = exports.event_log(
    [("c1", "view_product", "2026-03-01T10:00:00Z", "web"), ("c1", "newsletter", "2026-03-01T11:00:00Z", "email")]
)


def open_in_excel(_: Workbook, path: Path) -> None:
    (path.parent / ("~$" + path.name)).write_bytes(b"\x05someone")


class Case(NamedTuple):
    rule: Rule
    mutate: Mutation
    sheet: str
    cell: str
    says: str = ""
    """A phrase the message must contain."""


CASES = [
    # structure
    Case(Rule.MISSING_SHEET, delete_sheet("Settings"), "Settings", "", "no 'Settings' sheet"),
    Case(Rule.MISSING_COLUMN, delete_column("PainPoints", 9), "PainPoints", "I1", "no 'Source' column"),
    Case(Rule.UNKNOWN_COLUMN, put("PainPoints", J1="Notes"), "PainPoints", "J1", "'Notes'"),
    Case(Rule.DUPLICATE_COLUMN, put("PainPoints", J1=" severity "), "PainPoints", "J1", "appears twice"),
    Case(Rule.UNKNOWN_LANE, put("Journey", A16="Feelings", B16="meh"), "Journey", "A16", "'Feelings'"),
    Case(Rule.BLANK_STAGE, put("Journey", H2="a goal", I1="Advocacy", I2="tell friends"), "Journey", "H1"),
    Case(Rule.DUPLICATE_STAGE, put("Journey", H1="purchase ", H2="again"), "Journey", "H1", "also in D1"),
    Case(Rule.STAGE_ORDER, swap_rows("Funnel", 2, 3), "Funnel", "A1", "another order"),
    Case(Rule.FORMULA_NO_VALUE, put("PainPoints", G2="=2+2"), "PainPoints", "G2", "no saved result"),
    Case(
        Rule.NO_STAGES,
        put("Journey", B1=None, C1=None, D1=None, E1=None, F1=None, G1=None),
        "Journey",
        "B1",
    ),
    # openpyxl writes the ranges in the order of their (row, column) hashes: C2:D3 comes first, B2:C2 is dropped
    Case(Rule.OVERLAPPING_MERGE, merge("Journey", "C2:D3", "B2:C2"), "Journey", "B2", "Journey!B2:C2 overlaps C2:D3"),
    # journey grid
    Case(Rule.EMOTION_NOT_NUMBER, put("Journey", B8="happy"), "Journey", "B8", "'happy'"),
    Case(Rule.EMOTION_OUT_OF_RANGE, put("Journey", C8=3), "Journey", "C8", "outside the scale"),
    Case(Rule.EMPTY_STAGE, put("Journey", H1="Advocacy"), "Journey", "H1", "'Advocacy'"),
    Case(Rule.EMOTION_UNKNOWN_PERSONA, put("Journey", A9="Emotion: Busy parnet"), "Journey", "A9", "'Busy parent'"),
    Case(Rule.DUPLICATE_LANE, put("Journey", A16="goals", B16="twice"), "Journey", "A16", "also in A2"),
    # pain points
    Case(Rule.PAIN_BLANK_ID, put("PainPoints", A3=None), "PainPoints", "A3"),
    Case(Rule.PAIN_DUPLICATE_ID, put("PainPoints", A3="p01"), "PainPoints", "A3", "row 2"),
    Case(Rule.PAIN_UNKNOWN_STAGE, put("PainPoints", B7="Purchse"), "PainPoints", "B7", "Did you mean 'Purchase'?"),
    Case(Rule.PAIN_BAD_SEVERITY, put("PainPoints", G2=9), "PainPoints", "G2", "'9'"),
    Case(Rule.PAIN_BAD_FREQUENCY, put("PainPoints", H2=2.5), "PainPoints", "H2", "'2.5'"),
    Case(Rule.PAIN_UNKNOWN_PERSONA, put("PainPoints", E2="Bargain hunters"), "PainPoints", "E2", "'Bargain hunter'?"),
    Case(Rule.PAIN_UNKNOWN_SOURCE, put("PainPoints", I2="twitter"), "PainPoints", "I2", "'twitter'"),
    Case(Rule.PAIN_BLANK_DESCRIPTION, put("PainPoints", F2=None), "PainPoints", "F2", "P01"),
    # recommendations
    Case(Rule.REC_BLANK_ID, put("Recommendations", A3=None), "Recommendations", "A3"),
    Case(Rule.REC_DUPLICATE_ID, put("Recommendations", A3="R01"), "Recommendations", "A3", "row 2"),
    Case(Rule.REC_UNKNOWN_PAIN, put("Recommendations", C2="P06, P99"), "Recommendations", "C2", "'P99'"),
    Case(Rule.REC_BAD_REACH, put("Recommendations", D2=-5), "Recommendations", "D2", "'-5'"),
    Case(Rule.REC_BAD_IMPACT, put("Recommendations", E2=4), "Recommendations", "E2", "'4'"),
    Case(Rule.REC_BAD_CONFIDENCE, put("Recommendations", F2=150), "Recommendations", "F2", "'150'"),
    Case(Rule.REC_BAD_EFFORT, put("Recommendations", G2=0), "Recommendations", "G2", "'0'"),
    Case(Rule.REC_CONFIDENCE_READ_AS, put("Recommendations", F2=0.9), "Recommendations", "F2", "0.9 read as 90 %"),
    Case(Rule.REC_NO_VALUE, put("Recommendations", C2=None), "Recommendations", "C2", "R01"),
    Case(Rule.REC_EFFORT_WITH_UNIT, put("Recommendations", G2="2 weeks"), "Recommendations", "G2", "2 person-weeks"),
    # evidence
    Case(Rule.EVIDENCE_UNKNOWN_METRIC, put("Evidence", F2="Happiness"), "Evidence", "F2", "'Happiness'"),
    Case(Rule.EVIDENCE_BAD_SCORE, put("Evidence", G2=11), "Evidence", "G2", "NPS score is '11'"),
    Case(Rule.EVIDENCE_UNKNOWN_STAGE, put("Evidence", C2="Awarness"), "Evidence", "C2", "'Awareness'?"),
    Case(Rule.EVIDENCE_BAD_DATE, put("Evidence", A2="last Tuesday"), "Evidence", "A2", "not a date"),
    Case(Rule.EVIDENCE_UNKNOWN_PERSONA, put("Evidence", B2="Stranger"), "Evidence", "B2", "'Stranger'"),
    # funnel
    Case(Rule.FUNNEL_COMPLETED_OVER_ENTERED, put("Funnel", C2=130000), "Funnel", "C2", "130,000"),
    Case(Rule.FUNNEL_BAD_COUNT, put("Funnel", B3=-1), "Funnel", "B3", "'-1'"),
    Case(Rule.FUNNEL_UNKNOWN_STAGE, put("Funnel", A4="Purchse"), "Funnel", "A4", "'Purchase'?"),
    # personas
    Case(Rule.PERSONA_BLANK, put("Personas", A3=None), "Personas", "A3"),
    Case(Rule.PERSONA_DUPLICATE, put("Personas", A3="busy parent"), "Personas", "A3", "twice"),
    Case(Rule.PERSONA_BAD_WEIGHT, put("Personas", C2=-10), "Personas", "C2", "'-10'"),
    Case(Rule.PERSONA_WEIGHTS_NOT_100, put("Personas", C2=60), "Personas", "C1", "105 %"),
    # settings
    Case(Rule.SETTING_UNKNOWN_KEY, put("Settings", A12="Colour", B12="blue"), "Settings", "A12", "'Colour'"),
    Case(Rule.SETTING_BAD_VALUE, put("Settings", B3="RICH"), "Settings", "B3", "Did you mean 'RICE'?"),
    Case(Rule.SETTING_DUPLICATE_KEY, put("Settings", A12="scoring method", B12="ICE"), "Settings", "A12", "twice"),
    # evidence sources
    Case(Rule.SOURCE_BAD_ROW, source("q.csv", SURVEY, B2="qualtricks"), "EvidenceSources", "B2", "'qualtricks'"),
    Case(
        Rule.SOURCE_UNKNOWN_QUESTION,
        source("q.csv", SURVEY, C2="Q99", D2="NPS", F2="Purchase"),
        "EvidenceSources",
        "C2",
        "no such question",
    ),
    Case(
        Rule.SOURCE_UNKNOWN_LABEL,
        source("q.csv", SURVEY, C2="Q5_1", D2="CSAT", F2="Purchase"),
        "EvidenceSources",
        "E2",
        "'Kinda'",
    ),
    Case(
        Rule.SOURCE_UNKNOWN_STAGE,
        source("q.csv", SURVEY, C2="Q1", D2="NPS", F2="Purchse"),
        "EvidenceSources",
        "F2",
        "'Purchase'?",
    ),
    Case(
        Rule.SOURCE_UNKNOWN_PERSONA,
        source("q.csv", SURVEY, C2="Q1", D2="NPS", F2="Purchase", H2="Stranger"),
        "EvidenceSources",
        "H2",
        "'Stranger'",
    ),
    Case(
        Rule.SOURCE_UNMAPPED_EVENT,
        source("ev.csv", EVENTS, B2="events", C2="view_product", F2="Awareness"),
        "EvidenceSources",
        "C2",
        "'newsletter'",
    ),
    Case(
        Rule.SOURCE_FUNNEL_REPLACED,
        source("ev.csv", EVENTS, B2="events", C2="view_product", F2="Awareness"),
        "Funnel",
        "A1",
        "event log ev.csv",
    ),
    Case(
        Rule.SOURCE_MIXED_DATES,
        source("gf.csv", FORMS, C2="Satisfied?", D2="CSAT", F2="Purchase"),
        "EvidenceSources",
        "A2",
        "gf.csv, column Timestamp",
    ),
    # coverage: P06 (severity 5, frequency 5) loses its only recommendation
    Case(Rule.UNADDRESSED_PAIN, put("Recommendations", C2="P07"), "PainPoints", "A7", "P06 (pain 100)"),
    # a grid alone is enough: without a PainPoints sheet, the grid's Pain points lane gives them, at assumed levels
    Case(Rule.ASSUMED_LEVELS, delete_sheet("PainPoints"), "Journey", "A1", "no PainPoints sheet"),
    # the file as a whole
    Case(Rule.UNUSABLE_FILE, open_in_excel, "", "", "open in Excel"),
]


def test_every_rule_has_a_case() -> None:
    covered = [case.rule for case in CASES]
    assert sorted(set(Rule) - set(covered)) == [], "write a case for each new rule"
    assert len(covered) == len(set(covered)), "one case per rule"


def test_every_rule_has_a_severity_and_a_meaning() -> None:
    assert set(RULE_INFO) == set(Rule)
    for rule, (severity, meaning) in RULE_INFO.items():
        assert isinstance(severity, Severity)
        assert meaning.endswith(".") and len(meaning) < 200, rule
    assert len({r.value for r in Rule}) == len(Rule), "codes are unique"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule.value}-{c.rule.name}" for c in CASES])
def test_rule_is_found_at_its_cell(
    case: Case,
    broken: Callable[[Mutation], Path],
    check_json: Callable[..., tuple[int, list[dict[str, Any]]]],
) -> None:
    path = broken(case.mutate)
    status, findings = check_json(path)
    hits = [f for f in findings if f["rule"] == case.rule.value]
    assert hits, f"{case.rule.value} not reported; got {[(f['rule'], f['cell']) for f in findings]}"
    assert (hits[0]["sheet"], hits[0]["cell"]) == (case.sheet, case.cell), hits[0]
    assert case.says in hits[0]["message"], hits[0]["message"]
    severity = RULE_INFO[case.rule][0].value
    assert all(f["severity"] == severity for f in hits)
    assert all(f["message"] and f["fix"] and f["file"] == str(path) for f in hits)
    expected = 2 if case.rule is Rule.UNUSABLE_FILE else int(any(f["severity"] == "error" for f in findings))
    assert status == expected


def test_the_example_itself_has_no_errors(
    shop: Path, check_json: Callable[..., tuple[int, list[dict[str, Any]]]]
) -> None:
    status, findings = check_json(shop)
    assert status == 0
    assert {f["rule"] for f in findings} == {Rule.UNADDRESSED_PAIN.value}


def test_dates_in_the_example_are_read_as_dates(shop: Path) -> None:
    from addin.adapters.xlsx_reader import read_workbook

    evidence = read_workbook(shop).find("Evidence")
    assert evidence is not None
    assert isinstance(evidence.rows[1][0], dt.date)
