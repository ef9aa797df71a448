"""Survey exports and event logs made by code, each with the quirks of the tool that writes it.

Every generator takes the responses as plain dicts and returns the file's bytes, so a test knows
exactly which answers are real and what the metrics must come to.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

QUALTRICS_META = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "DistributionChannel",
    "UserLanguage",
]


def _csv(rows: Sequence[Sequence[Any]], *, bom: bool = False, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = out.getvalue()
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def qualtrics(responses: list[dict[str, Any]], questions: dict[str, str], embedded: Sequence[str] = ()) -> bytes:
    """The current Qualtrics CSV: row 1 column IDs, row 2 question texts (here in German for one
    question), row 3 ImportId JSON; Status 0 = real, 1 = preview; Finished 1/0; embedded data last."""
    ids = QUALTRICS_META + list(questions) + list(embedded)
    texts = [
        "Start Date",
        "End Date",
        "Response Type",
        "IP Address",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "Recorded Date",
        "Response ID",
        "Distribution Channel",
        "User Language",
        *questions.values(),
        *embedded,
    ]
    imports = [json.dumps({"ImportId": c}) for c in ids]
    rows: list[list[Any]] = [ids, texts, imports]
    for i, r in enumerate(responses):
        rows.append(
            [
                "2026-03-01 10:00:00",
                "2026-03-01 10:05:00",
                r.get("Status", 0),
                "10.0.0.1",
                100 if r.get("Finished", 1) else 40,
                300,
                r.get("Finished", 1),
                r.get("RecordedDate", f"2026-03-{1 + i % 28:02d} 10:05:00"),
                f"R_{i:05d}",
                r.get("DistributionChannel", "anonymous"),
                "EN",
                *[r.get(q) for q in questions],
                *[r.get(e) for e in embedded],
            ]
        )
    return _csv(rows)


def qualtrics_legacy(responses: list[dict[str, Any]], questions: dict[str, str]) -> bytes:
    """The legacy Qualtrics export: V1..V10 then question IDs, a second row of names/texts, a BOM,
    and a trailing empty column on every row."""
    meta = [
        "ResponseID",
        "ResponseSet",
        "Name",
        "ExternalDataReference",
        "EmailAddress",
        "IPAddress",
        "Status",
        "StartDate",
        "EndDate",
        "Finished",
    ]
    first = [f"V{i}" for i in range(1, 11)] + list(questions) + [""]
    second = meta + list(questions.values()) + [""]
    rows: list[list[Any]] = [first, second]
    for i, r in enumerate(responses):
        rows.append(
            [
                f"R_{i:05d}",
                "Default Response Set",
                "Anonymous",
                "",
                "",
                "10.0.0.1",
                r.get("Status", 0),
                "2026-03-01 10:00:00",
                "2026-03-01 10:05:00",
                r.get("Finished", 1),
                *[r.get(q) for q in questions],
                "",
            ]
        )
    return _csv(rows, bom=True)


def surveymonkey(
    responses: list[dict[str, Any]],
    questions: dict[str, str],
    matrix: dict[str, list[str]],
    ended: Sequence[str] = (),
) -> bytes:
    """SurveyMonkey: row 1 questions (a matrix question spans several columns, blank after its first),
    row 2 'Response' or the matrix row's option. `ended`: each response's End Date as the account writes it
    (a US account 03/25/2026 10:05:00 AM, a UK one 25/03/2026 10:05:00); default 1 March, US."""
    meta = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    first, second = list(meta), [""] * len(meta)
    keys: list[str] = []
    for key, text in questions.items():
        first.append(text)
        second.append("Response")
        keys.append(key)
    for text, options in matrix.items():
        for j, option in enumerate(options):
            first.append(text if j == 0 else "")
            second.append(option)
            keys.append(f"{text} - {option}")
    rows: list[list[Any]] = [first, second]
    for i, r in enumerate(responses):
        rows.append(
            [
                11000 + i,
                4242,
                "03/01/2026 10:00:00 AM",
                ended[i] if i < len(ended) else "03/01/2026 10:05:00 AM",
                "10.0.0.1",
                "",
                "",
                "",
                "",
                *[r.get(k) for k in keys],
            ]
        )
    return _csv(rows)


def google_forms(responses: list[dict[str, Any]], questions: Sequence[str], stamps: Sequence[str] = ()) -> bytes:
    """Google Forms: one header row of full question texts, Timestamp first. `stamps`: each response's
    Timestamp as the form owner's locale writes it (UK: 25/03/2026 10:05:00); default US, 3/1/2026 on."""
    rows: list[list[Any]] = [["Timestamp", *questions]]
    for i, r in enumerate(responses):
        stamp = stamps[i] if i < len(stamps) else f"3/{1 + i % 28}/2026 10:05:00"
        rows.append([stamp, *[r.get(q) for q in questions]])
    return _csv(rows)


def typeform(responses: list[dict[str, Any]], questions: Sequence[str]) -> bytes:
    """Typeform: '#' id first, one row per response, Start/Submit dates, Network ID."""
    rows: list[list[Any]] = [["#", *questions, "Start Date (UTC)", "Submit Date (UTC)", "Network ID"]]
    for i, r in enumerate(responses):
        rows.append(
            [f"tf{i:04d}", *[r.get(q) for q in questions], "2026-03-01 10:00:00", "2026-03-01 10:05:00", "abc123"]
        )
    return _csv(rows)


def long_feed(answers: list[tuple[str, str, str, str]]) -> bytes:
    """One row per answer, as the US federal Touchpoints service exports: (submission, question, answer, created_at)."""
    rows: list[list[Any]] = [["submission_id", "question_text", "answer_text", "created_at"]]
    rows += [list(a) for a in answers]
    return _csv(rows)


def event_log(events: list[tuple[str, str, str, str]], *, delimiter: str = ",") -> bytes:
    """(customer id, event, ISO timestamp, channel) rows."""
    rows: list[list[Any]] = [["user_id", "event_name", "timestamp", "channel"]]
    rows += [list(e) for e in events]
    return _csv(rows, delimiter=delimiter)
