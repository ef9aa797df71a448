"""Which tool exported a file, recognised from its first rows, and how that tool lays a file out.

Each layout is one `Layout`: how many header rows it has, how column names and question texts are
read from them, which columns hold the respondent and the date, and which answers the tool marks
as not real (previews, tests, unfinished). `detect` tries them in turn, most specific first
(the way tox tries its config sources), and the first that recognises the rows wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from addin.core.contract import norm


class Format(StrEnum):
    """What a source file is, as written in the `Format` column of EvidenceSources."""

    QUALTRICS = "qualtrics"
    QUALTRICS_LEGACY = "qualtrics-legacy"
    SURVEYMONKEY = "surveymonkey"
    GOOGLE_FORMS = "google-forms"
    TYPEFORM = "typeform"
    LONG = "long"
    EVIDENCE = "evidence"
    EVENTS = "events"


@dataclass(frozen=True)
class Question:
    """One answer column of an export: its column name, the question as asked, and its sub-item."""

    column: str
    text: str


@dataclass(frozen=True)
class Header:
    """What the header rows of a file say: the column names and the questions among them."""

    format: Format
    columns: tuple[str, ...]
    header_rows: int
    questions: tuple[Question, ...]
    respondent: str | None = None
    date: str | None = None
    leave_out: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(column, values): answers whose column holds one of the values are not real answers."""
    roles: dict[str, str] = field(default_factory=dict)
    """For long feeds and event logs: role (question, answer, customer, event, time, channel) -> column."""


QUALTRICS_META = frozenset(
    norm(c)
    for c in (
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "ResponseID",
        "ResponseSet",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "ExternalDataReference",
        "LocationLatitude",
        "LocationLongitude",
        "DistributionChannel",
        "UserLanguage",
        "Name",
        "EmailAddress",
    )
)
QUALTRICS_NOT_REAL = (
    ("Status", ("1", "2", "8", "9", "12", "17", "survey preview", "survey test", "spam", "preview spam")),
    ("Finished", ("0", "false")),
)
"""Qualtrics: Status 1 = preview, 2 = test, 8/9/12/17 = spam and offline previews; Finished 0 = not finished."""

SURVEYMONKEY_META = frozenset(
    norm(c)
    for c in (
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        "Custom Data",
    )
)
TYPEFORM_META = frozenset(
    norm(c) for c in ("#", "Start Date (UTC)", "Submit Date (UTC)", "Submitted At", "Network ID", "Tags")
)
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "respondent": ("submission id", "response id", "respondent id", "respondent", "submission", "response"),
    "question": ("question text", "question", "question title", "item"),
    "answer": ("answer text", "answer", "response text", "value", "answer value"),
    "time": ("created at", "created_at", "timestamp", "submitted at", "date", "time", "event time", "occurred at"),
    "customer": ("customer id", "user id", "visitor id", "anonymous id", "client id", "customer", "user", "visitor"),
    "event": ("event name", "event", "page", "page path", "page name", "action", "step", "screen"),
    "channel": ("channel", "source / medium", "medium", "platform", "device"),
}
"""Header words that say what a column of a long feed or an event log holds, best first."""


def _keys(row: Sequence[object]) -> list[str]:
    return [norm(v) if v is not None else "" for v in row]


def _trim(row: Sequence[object]) -> list[str]:
    """Header cells as text, a trailing run of empty cells dropped (the legacy export's last comma)."""
    cells = ["" if v is None else str(v).strip() for v in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _names(cells: Sequence[str]) -> tuple[str, ...]:
    """Unique, non-empty column names (blank -> 'Column N', repeats -> 'Name (2)')."""
    seen: dict[str, int] = {}
    out = []
    for i, cell in enumerate(cells):
        name = cell or f"Column {i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return tuple(out)


def _find(keys: Sequence[str], names: Sequence[str], words: Sequence[str]) -> str | None:
    for word in words:
        for key, name in zip(keys, names, strict=False):
            if key == word:
                return name
    return None


def _qualtrics(rows: Sequence[Sequence[object]]) -> Header | None:
    if len(rows) < 3:
        return None
    first = _trim(rows[0])
    keys = _keys(first)
    if "responseid" not in keys and "status" not in keys:
        return None
    if not any(str(v or "").lstrip().startswith('{"ImportId"') for v in rows[2]):
        return None
    names = _names(first)
    texts = _trim(rows[1]) + [""] * len(names)
    questions = tuple(Question(name, texts[i] or name) for i, name in enumerate(names) if keys[i] not in QUALTRICS_META)
    return Header(
        Format.QUALTRICS,
        names,
        3,
        questions,
        respondent=_find(keys, names, ("responseid",)),
        date=_find(keys, names, ("recordeddate", "enddate", "startdate")),
        leave_out=QUALTRICS_NOT_REAL,
    )


def _qualtrics_legacy(rows: Sequence[Sequence[object]]) -> Header | None:
    if len(rows) < 2:
        return None
    first, second = _trim(rows[0]), _trim(rows[1])
    k1, k2 = _keys(first), _keys(second)
    if k1[:1] == ["v1"] and "responseid" in k2:
        names = _names(second[: len(first)] if len(second) >= len(first) else second)
        keys = _keys(names)
        texts = second
    elif "responseid" in k1 and "responseset" in k1:
        names, keys, texts = _names(first), k1, second
    else:
        return None
    texts = list(texts) + [""] * len(names)
    questions = tuple(Question(name, texts[i] or name) for i, name in enumerate(names) if keys[i] not in QUALTRICS_META)
    return Header(
        Format.QUALTRICS_LEGACY,
        names,
        2,
        questions,
        respondent=_find(keys, names, ("responseid",)),
        date=_find(keys, names, ("enddate", "startdate")),
        leave_out=QUALTRICS_NOT_REAL,
    )


def _surveymonkey(rows: Sequence[Sequence[object]]) -> Header | None:
    if len(rows) < 2:
        return None
    first = _trim(rows[0])
    keys = _keys(first)
    if "respondent id" not in keys or "collector id" not in keys:
        return None
    width = max(len(first), len(_trim(rows[1])))
    first += [""] * (width - len(first))
    second = _trim(rows[1]) + [""] * width
    cells, texts, question = [], [], ""
    for i in range(width):
        if first[i]:
            question = first[i]
        option = second[i]
        plain = norm(option) in ("response", "open-ended response", "")
        cells.append(question if plain else f"{question} - {option}")
        texts.append(question if plain else f"{question} ({option})")
    names = _names(cells)
    name_keys = _keys(first)
    questions = tuple(Question(name, texts[i]) for i, name in enumerate(names) if name_keys[i] not in SURVEYMONKEY_META)
    return Header(
        Format.SURVEYMONKEY,
        names,
        2,
        questions,
        respondent=_find(_keys(names), names, ("respondent id",)),
        date=_find(_keys(names), names, ("end date", "start date")),
    )


def _one_row(rows: Sequence[Sequence[object]]) -> tuple[tuple[str, ...], list[str]] | None:
    if not rows:
        return None
    names = _names(_trim(rows[0]))
    return names, _keys(names)


def _typeform(rows: Sequence[Sequence[object]]) -> Header | None:
    found = _one_row(rows)
    if found is None:
        return None
    names, keys = found
    if keys[:1] != ["#"] or not ({"submitted at", "submit date (utc)"} & set(keys)):
        return None
    questions = tuple(Question(n, n) for n, k in zip(names, keys, strict=True) if k not in TYPEFORM_META)
    return Header(
        Format.TYPEFORM,
        names,
        1,
        questions,
        respondent=names[0],
        date=_find(keys, names, ("submitted at", "submit date (utc)")),
    )


def _google_forms(rows: Sequence[Sequence[object]]) -> Header | None:
    found = _one_row(rows)
    if found is None:
        return None
    names, keys = found
    if keys[:1] != ["timestamp"]:
        return None
    meta = {"timestamp", "email address", "score"}
    questions = tuple(Question(n, n) for n, k in zip(names, keys, strict=True) if k not in meta)
    return Header(Format.GOOGLE_FORMS, names, 1, questions, date=names[0])


def _evidence(rows: Sequence[Sequence[object]]) -> Header | None:
    found = _one_row(rows)
    if found is None:
        return None
    names, keys = found
    if not {"stage", "metric", "score"} <= set(keys):
        return None
    return Header(
        Format.EVIDENCE,
        names,
        1,
        (),
        respondent=_find(keys, names, ("respondent",)),
        date=_find(keys, names, ("date",)),
    )


def roles_of(names: Sequence[str], wanted: Sequence[str]) -> dict[str, str]:
    """The column holding each role, by the header words of `ROLE_WORDS` (each column used once)."""
    keys = _keys(names)
    taken: set[str] = set()
    out: dict[str, str] = {}
    for role in wanted:
        for word in ROLE_WORDS[role]:
            hit = next((n for k, n in zip(keys, names, strict=True) if k == word and n not in taken), None)
            if hit is None:
                hit = next((n for k, n in zip(keys, names, strict=True) if word in k and n not in taken), None)
            if hit is not None:
                out[role] = hit
                taken.add(hit)
                break
    return out


def _long(rows: Sequence[Sequence[object]]) -> Header | None:
    found = _one_row(rows)
    if found is None:
        return None
    names, _ = found
    roles = roles_of(names, ("question", "answer", "respondent", "time"))
    if "question" not in roles or "answer" not in roles:
        return None
    return Header(Format.LONG, names, 1, (), respondent=roles.get("respondent"), date=roles.get("time"), roles=roles)


def _events(rows: Sequence[Sequence[object]]) -> Header | None:
    found = _one_row(rows)
    if found is None:
        return None
    names, _ = found
    roles = roles_of(names, ("customer", "event", "time", "channel"))
    if not {"customer", "event", "time"} <= set(roles):
        return None
    return Header(Format.EVENTS, names, 1, (), respondent=roles["customer"], date=roles["time"], roles=roles)


DETECTORS = (
    _qualtrics,
    _qualtrics_legacy,
    _surveymonkey,
    _typeform,
    _google_forms,
    _evidence,
    _long,
    _events,
)
"""Tried in turn; most specific first."""

_BY_FORMAT = {
    Format.QUALTRICS: _qualtrics,
    Format.QUALTRICS_LEGACY: _qualtrics_legacy,
    Format.SURVEYMONKEY: _surveymonkey,
    Format.TYPEFORM: _typeform,
    Format.GOOGLE_FORMS: _google_forms,
    Format.EVIDENCE: _evidence,
    Format.LONG: _long,
    Format.EVENTS: _events,
}


def detect(rows: Sequence[Sequence[object]]) -> Header | None:
    """The layout of a file from its first rows (at least three), or None if no layout fits."""
    for detector in DETECTORS:
        header = detector(rows)
        if header is not None:
            return header
    return None


def read_as(rows: Sequence[Sequence[object]], fmt: Format) -> Header | None:
    """The header as the named layout reads it, or None if the rows are not of that layout."""
    return _BY_FORMAT[fmt](rows)


LOOKED_FOR = (
    "a Qualtrics export (ResponseId, Status and an ImportId row), a SurveyMonkey export (Respondent ID, "
    "Collector ID), Typeform (# and Submitted At), Google Forms (Timestamp first), the Evidence layout "
    "(Stage, Metric, Score), a feed of one answer per row (question and answer columns) or an event log "
    "(customer, event and time columns)"
)
"""What `detect` looks for, in words, for the sentence that says a file was not recognised."""
