"""Each survey platform's export, with its quirks, gives exactly the real answers as Evidence rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from addin.adapters.source_files import read_head
from addin.core import analysis
from addin.core.contract import Col
from addin.core.sources.formats import Format, detect
from tests.sources import exports
from tests.sources.conftest import read, scores

QUESTIONS = {
    "Q1": "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?",
    "Q5_1": "How satisfied were you with... - Checkout",
    "Q5_2": "How satisfied were you with... - Help centre",
}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_qualtrics_leaves_out_previews_and_unfinished_and_reads_labels(tmp_path: Path) -> None:
    responses = [
        {"Q1": "9 - Extremely likely", "Q5_1": "Very satisfied", "Q5_2": "Dissatisfied", "Persona": "Alex"},
        {"Q1": "10", "Q5_1": "Satisfied", "Q5_2": None, "Persona": "Bo"},
        {"Q1": "0 - Not at all likely", "Q5_1": "Very dissatisfied", "Q5_2": "Neither satisfied nor dissatisfied"},
        {"Q1": "7", "Q5_1": "4", "Q5_2": "Very satisfied", "Persona": "Alex"},
        {"Q1": "10", "Q5_1": "Very satisfied", "Status": 1},  # a preview: left out
        {"Q1": "3", "Q5_1": "Very dissatisfied", "Finished": 0},  # unfinished: left out
    ]
    _write(tmp_path, "q3.csv", exports.qualtrics(responses, QUESTIONS, embedded=["Persona"]))
    journey, findings = read(
        tmp_path,
        [
            {"File": "q3.csv", "Question": "Q1", "Metric": "NPS", "Stage": "Use", "Persona": "column: Persona"},
            {"File": "q3.csv", "Question": "Checkout", "Metric": "CSAT", "Stage": "Buy", "Touchpoint": "Checkout"},
            {"File": "q3.csv", "Question": "Q5_2", "Metric": "CSAT", "Stage": "Use", "Touchpoint": "Help centre"},
        ],
    )
    assert [f for f in findings if f.rule.startswith("V")] == []
    assert scores(journey, "NPS") == [0, 7, 9, 10]
    assert scores(journey, "CSAT", "Buy") == [1, 4, 4, 5]
    assert scores(journey, "CSAT", "Use") == [2, 3, 5]
    nps = journey.evidence[journey.evidence[Col.METRIC] == "NPS"]
    assert sorted(nps[Col.PERSONA].dropna()) == ["Alex", "Alex", "Bo"]
    assert set(nps[Col.RESPONDENT]) == {"R_00000", "R_00001", "R_00002", "R_00003"}
    assert set(nps[Col.CHANNEL]) == {"anonymous"}  # DistributionChannel is the channel unless a row says otherwise
    metrics = analysis.analyse_evidence(journey.evidence, journey.stages, ["Alex", "Bo"])
    buy = metrics.by_stage
    assert buy is not None


def test_qualtrics_legacy_with_bom_and_trailing_column(tmp_path: Path) -> None:
    responses = [
        {"Q1": "8", "Status": 0},
        {"Q1": "9", "Status": 0},
        {"Q1": "2", "Status": 1},  # preview
    ]
    path = _write(
        tmp_path, "legacy.csv", exports.qualtrics_legacy(responses, {"Q1": "How likely are you to recommend us?"})
    )
    header = detect(read_head(path))
    assert header is not None and header.format is Format.QUALTRICS_LEGACY
    assert header.respondent == "ResponseID"
    journey, findings = read(
        tmp_path, [{"File": "legacy.csv", "Question": "recommend us", "Metric": "NPS", "Stage": "Browse"}]
    )
    assert [f.rule for f in findings if f.rule.startswith("V")] == []
    assert scores(journey, "NPS") == [8, 9]


def test_surveymonkey_matrix_columns_are_questions(tmp_path: Path) -> None:
    matrix = {"How easy was it to...": ["Find a product", "Pay"]}
    responses = [
        {
            "How easy was it to... - Find a product": "Very easy",
            "How easy was it to... - Pay": "Somewhat difficult",
            "q": "Satisfied",
        },
        {
            "How easy was it to... - Find a product": "Easy",
            "How easy was it to... - Pay": "Very difficult",
            "q": "Very satisfied",
        },
    ]
    _write(tmp_path, "sm.csv", exports.surveymonkey(responses, {"q": "Overall, how satisfied are you?"}, matrix))
    journey, findings = read(
        tmp_path,
        [
            {
                "File": "sm.csv",
                "Question": "How easy was it to... - Find a product",
                "Metric": "CES",
                "Stage": "Browse",
            },
            {"File": "sm.csv", "Question": "How easy was it to... (Pay)", "Metric": "CES", "Stage": "Buy"},
            {"File": "sm.csv", "Question": "Overall, how satisfied are you?", "Metric": "CSAT", "Stage": "Use"},
        ],
    )
    assert [f.rule for f in findings if f.rule.startswith("V")] == []
    assert scores(journey, "CES", "Browse") == [1, 2]  # CES: 1 = least effort
    assert scores(journey, "CES", "Buy") == [5, 7]
    assert scores(journey, "CSAT", "Use") == [4, 5]
    assert set(journey.evidence[Col.RESPONDENT]) == {"11000", "11001"}


def test_google_forms_and_typeform(tmp_path: Path) -> None:
    question = "How satisfied are you with checkout?"
    _write(
        tmp_path, "forms.csv", exports.google_forms([{question: "5"}, {question: "Very dissatisfied"}, {}], [question])
    )
    _write(
        tmp_path,
        "tf.csv",
        exports.typeform([{"Rate the help centre": 3}, {"Rate the help centre": "4"}], ["Rate the help centre"]),
    )
    journey, findings = read(
        tmp_path,
        [
            {"File": "forms.csv", "Question": question, "Metric": "CSAT", "Stage": "Buy"},
            {"File": "tf.csv", "Question": "Rate the help centre", "Metric": "CSAT", "Stage": "Use"},
        ],
    )
    assert [f.rule for f in findings if f.rule.startswith("V")] == []
    assert scores(journey, "CSAT", "Buy") == [1, 5]  # the blank answer is no answer
    assert scores(journey, "CSAT", "Use") == [3, 4]
    assert set(journey.evidence[Col.RESPONDENT].dropna()) == {"tf0000", "tf0001"}


def test_long_feed_one_answer_per_row(tmp_path: Path) -> None:
    answers = [
        ("s1", "Overall satisfaction", "Very satisfied", "2026-03-01T10:00:00Z"),
        ("s1", "Was it easy?", "Agree", "2026-03-01T10:00:00Z"),
        ("s2", "Overall satisfaction", "Dissatisfied", "2026-03-02T10:00:00Z"),
        ("s2", "Was it easy?", "Strongly agree", "2026-03-02T10:00:00Z"),
        ("s3", "Overall satisfaction", "", "2026-03-03T10:00:00Z"),
    ]
    _write(tmp_path, "feed.csv", exports.long_feed(answers))
    journey, findings = read(
        tmp_path,
        [
            {"File": "feed.csv", "Question": "overall satisfaction", "Metric": "CSAT", "Stage": "Use"},
            {
                "File": "feed.csv",
                "Question": "Was it easy?",
                "Metric": "CES",
                "Labels": "agreement-7-easy",
                "Stage": "Use",
            },
        ],
    )
    assert [f.rule for f in findings if f.rule.startswith("V")] == []
    assert scores(journey, "CSAT") == [2, 5]
    assert scores(journey, "CES") == [1, 2]
    assert set(journey.evidence[Col.RESPONDENT]) == {"s1", "s2"}


def test_unknown_label_is_a_finding_naming_file_row_and_column(tmp_path: Path) -> None:
    responses = [{"Q5_1": "Very satisfied"}, {"Q5_1": "Kinda ok"}, {"Q5_1": "Kinda ok"}, {"Q5_1": "Satisfied"}]
    _write(tmp_path, "q.csv", exports.qualtrics(responses, {"Q5_1": "Satisfaction - Checkout"}))
    journey, findings = read(tmp_path, [{"File": "q.csv", "Question": "Q5_1", "Metric": "CSAT", "Stage": "Buy"}])
    v03 = [f for f in findings if f.rule == "V03"]
    assert len(v03) == 1
    assert "q.csv row 5, column Q5_1" in v03[0].message and "'Kinda ok'" in v03[0].message
    assert "2 answers left out" in v03[0].message
    assert v03[0].sheet == "EvidenceSources" and v03[0].cell == "E2"
    assert scores(journey, "CSAT") == [4, 5]


def test_own_labels_and_leave_out(tmp_path: Path) -> None:
    responses = [
        {"Q5_1": "Kinda ok", "Team": "staff"},
        {"Q5_1": "Loved it", "Team": "customer"},
        {"Q5_1": "Kinda ok", "Team": "customer"},
    ]
    _write(tmp_path, "q.csv", exports.qualtrics(responses, {"Q5_1": "Satisfaction"}, embedded=["Team"]))
    journey, findings = read(
        tmp_path,
        [
            {
                "File": "q.csv",
                "Question": "Q5_1",
                "Metric": "CSAT",
                "Stage": "Buy",
                "Labels": "Loved it=5; Kinda ok=3",
                "Leave out": "Team=staff",
            }
        ],
    )
    assert [f.rule for f in findings if f.rule.startswith("V")] == []
    assert scores(journey, "CSAT") == [3, 5]


@pytest.mark.parametrize(
    ("row", "rule", "column"),
    [
        ({"File": None, "Question": "Q1"}, "V01", "A"),
        ({"File": "q.csv", "Format": "qualtricks", "Question": "Q1", "Metric": "NPS"}, "V01", "B"),
        ({"File": "q.csv", "Question": "Q1", "Metric": "Happiness"}, "V01", "D"),
        ({"File": "q.csv", "Question": "Q1", "Metric": "NPS", "Labels": "bogus-scale"}, "V01", "E"),
        ({"File": "q.csv", "Question": "Q1", "Metric": "NPS", "Leave out": "Status"}, "V01", "L"),
        ({"File": "q.csv", "Question": "Q99", "Metric": "NPS", "Stage": "Buy"}, "V02", "C"),
        ({"File": "q.csv", "Question": "Q1", "Metric": "NPS", "Stage": "Checkout"}, "V04", "F"),
    ],
)
def test_bad_rows_are_findings_at_their_cell(tmp_path: Path, row: dict[str, str], rule: str, column: str) -> None:
    _write(tmp_path, "q.csv", exports.qualtrics([{"Q1": "9"}], {"Q1": "Recommend?"}))
    _, findings = read(tmp_path, [row])
    hits = [f for f in findings if f.rule == rule]
    assert hits and hits[0].cell == f"{column}2", findings


# ------------------------------------------------------------------ dates: day or month first, per column

CSAT = "How satisfied are you with checkout?"


def _dates(journey: Any) -> list[str]:
    return sorted(str(d)[:10] for d in journey.evidence[Col.DATE])


def _forms(tmp_path: Path, stamps: list[str]) -> tuple[Any, list[Any]]:
    _write(tmp_path, "forms.csv", exports.google_forms([{CSAT: "5"}] * len(stamps), [CSAT], stamps))
    return read(tmp_path, [{"File": "forms.csv", "Question": CSAT, "Metric": "CSAT", "Stage": "Buy"}])


def test_a_day_first_export_is_read_day_first_from_one_date_past_the_12th(tmp_path: Path) -> None:
    """A UK Google Forms export: 05/03 is 5 March, because 25/03 in the same column can only be day first."""
    journey, findings = _forms(tmp_path, ["05/03/2026 09:00:00", "11/03/2026 10:00:00", "25/03/2026 18:30:00"])
    assert _dates(journey) == ["2026-03-05", "2026-03-11", "2026-03-25"]
    assert not [f for f in findings if f.rule.startswith("V")]


def test_a_month_first_export_is_read_month_first_from_one_date_past_the_12th(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "sm.csv",
        exports.surveymonkey(
            [{"q": "Satisfied"}, {"q": "Very satisfied"}, {"q": "Satisfied"}],
            {"q": "Overall, how satisfied are you?"},
            {},
            ended=["05/03/2026 10:05:00 AM", "03/25/2026 02:30:00 PM", "11/03/2026 10:05:00 PM"],
        ),
    )
    journey, findings = read(
        tmp_path, [{"File": "sm.csv", "Question": "Overall, how satisfied are you?", "Metric": "CSAT", "Stage": "Use"}]
    )
    assert _dates(journey) == ["2026-03-25", "2026-05-03", "2026-11-03"]
    assert sorted(str(d)[11:16] for d in journey.evidence[Col.DATE]) == ["10:05", "14:30", "22:05"]
    assert not [f for f in findings if f.rule.startswith("V")]


def test_a_day_first_surveymonkey_export_is_read_day_first(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "sm.csv",
        exports.surveymonkey(
            [{"q": "Satisfied"}, {"q": "Satisfied"}],
            {"q": "Overall?"},
            {},
            ended=["02/04/2026 10:05:00", "30/04/2026 17:00:00"],
        ),
    )
    journey, _ = read(tmp_path, [{"File": "sm.csv", "Question": "Overall?", "Metric": "CSAT", "Stage": "Use"}])
    assert _dates(journey) == ["2026-04-02", "2026-04-30"]


def test_dates_that_could_be_either_keep_the_month_first_default(tmp_path: Path) -> None:
    journey, findings = _forms(tmp_path, ["05/03/2026 09:00:00", "11/03/2026 10:00:00"])
    assert _dates(journey) == ["2026-05-03", "2026-11-03"]  # SurveyMonkey's and Google Forms' US default
    assert not [f for f in findings if f.rule.startswith("V")]


def test_a_column_of_both_orders_is_a_finding_naming_file_and_column(tmp_path: Path) -> None:
    journey, findings = _forms(tmp_path, ["25/03/2026 09:00:00", "03/26/2026 10:00:00", "04/03/2026 11:00:00"])
    v08 = [f for f in findings if f.rule == "V08"]
    assert len(v08) == 1 and v08[0].sheet == "EvidenceSources" and v08[0].cell == "A2"
    assert "forms.csv, column Timestamp" in v08[0].message
    assert "25/03/2026 09:00:00" in v08[0].message and "03/26/2026 10:00:00" in v08[0].message
    assert "All are read month first, so no date is read for 1 answer dated the other way." in v08[0].message
    assert len(journey.evidence) == 3, "the answers still count; only the date is unknown"
    assert _dates(journey) == ["2026-03-26", "2026-04-03", "NaT"]


def test_the_order_is_decided_once_per_column_not_per_question(tmp_path: Path) -> None:
    other = "How easy was it?"
    stamps = ["25/03/2026 09:00:00", "03/26/2026 10:00:00"]
    _write(tmp_path, "forms.csv", exports.google_forms([{CSAT: "5", other: "Easy"}] * 2, [CSAT, other], stamps))
    _, findings = read(
        tmp_path,
        [
            {"File": "forms.csv", "Question": CSAT, "Metric": "CSAT", "Stage": "Buy"},
            {"File": "forms.csv", "Question": other, "Metric": "CES", "Stage": "Buy"},
        ],
    )
    assert [f.rule for f in findings if f.rule == "V08"] == ["V08"]


def test_dates_of_numbers_in_other_spellings_follow_the_same_rule() -> None:
    import pandas as pd

    from addin.core.sources.dates import DateOrder, column_dates, parse_dates

    german = pd.Series(["01.04.26", "30.04.26 17:00", None, "01.04.26"])
    told = column_dates(german)
    assert told.order is DateOrder.DAY_FIRST and told.day_first == "30.04.26 17:00"
    assert [str(d) for d in parse_dates(german, told.order)] == [
        "2026-04-01 00:00:00",
        "2026-04-30 17:00:00",
        "NaT",
        "2026-04-01 00:00:00",
    ]
    iso = pd.Series(["2026-03-05T10:00:00Z", "2026-03-25"])
    assert column_dates(iso).order is DateOrder.ISO
    assert [str(d)[:10] for d in parse_dates(iso, DateOrder.ISO)] == ["2026-03-05", "2026-03-25"]
    assert not column_dates(pd.Series(["1/2/2026", "3/4/2026"])).decided
