"""Each survey platform's export, with its quirks, gives exactly the real answers as Evidence rows."""

from __future__ import annotations

from pathlib import Path

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
