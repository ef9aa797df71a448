"""What `sources add` proposes for a file it recognised: EvidenceSources rows, and what to confirm.

A proposal is a first draft a person checks, never a silent decision: every guess (a metric from
the question's words, a stage or touchpoint from its text, an event's stage from its name) is named
in `confirm`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from addin.core.contract import Col, Metric, norm
from addin.core.sources.formats import Format, Header
from addin.core.sources.labels import default_labels

METRIC_WORDS: tuple[tuple[Metric, tuple[str, ...]], ...] = (
    (Metric.NPS, ("recommend", "empfehl", "recomend", "nps")),
    (Metric.CES, ("easy", "effort", "difficult", "einfach")),
    (Metric.CSAT, ("satisf", "zufrieden", "csat", "rate ", "rating")),
    (Metric.EMOTION, ("feel", "emotion", "mood")),
)
"""Words in a question's text that say which metric it measures, tried in this order."""
MAX_EVENT_ROWS = 100
"""An event log gets at most this many rows proposed (its most frequent events)."""


@dataclass
class Proposal:
    """Rows for the EvidenceSources sheet (column -> text), what was recognised, and what to confirm."""

    rows: list[dict[str, str]] = field(default_factory=list)
    recognised: str = ""
    confirm: list[str] = field(default_factory=list)


def metric_of(text: str) -> Metric | None:
    """The metric a question's words name, or None."""
    key = f" {norm(text)} "
    return next((m for m, words in METRIC_WORDS if any(w in key for w in words)), None)


def _stage_in(text: str, stages: Sequence[str]) -> str | None:
    key = norm(text)
    hits = [s for s in stages if norm(s) and norm(s) in key]
    return max(hits, key=len) if hits else None


def propose(
    file: str,
    header: Header,
    sample: pd.DataFrame,
    stages: Sequence[str],
    *,
    stage: str | None = None,
    touchpoint: str | None = None,
) -> Proposal:
    """The rows to add for `file` (as the user will write it in File), from its header and a sample of rows."""
    base = {Col.FILE.value: file, Col.FORMAT.value: header.format.value}
    if stage:
        base[Col.STAGE.value] = stage
    if touchpoint:
        base[Col.TOUCHPOINT.value] = touchpoint
    if header.format is Format.EVENTS:
        return _events(base, header, sample, stages, stage)
    if header.format is Format.EVIDENCE:
        return Proposal([base], f"{file}: rows in the Evidence layout ({len(sample):,} rows looked at)", [])
    if header.format is Format.LONG:
        questions = [(str(q), str(q)) for q in sample[header.roles["question"]].dropna().unique()]
    else:
        questions = [(q.column, q.text) for q in header.questions]
    out = Proposal(recognised=f"{file}: {_what(header)}, {len(questions)} questions")
    skipped = []
    for column, text in questions:
        metric = metric_of(text)
        if metric is None:
            skipped.append(column)
            continue
        row = dict(base, **{Col.QUESTION.value: column, Col.METRIC.value: metric.value})
        number = len(out.rows) + 1
        out.confirm.append(f"row {number}: {column} ('{text}') read as {metric.value} from its words")
        if not stage:
            found = _stage_in(text, stages)
            if found:
                row[Col.STAGE.value] = found
                out.confirm.append(f"row {number}: Stage {found}, named in the question")
            else:
                out.confirm.append(f"row {number}: no Stage yet (type the stage, or column: NAME)")
        if not touchpoint and " - " in text:
            row[Col.TOUCHPOINT.value] = text.rsplit(" - ", 1)[1].strip()
            out.confirm.append(f"row {number}: Touchpoint '{row[Col.TOUCHPOINT.value]}' from the question's last part")
        answers = _answers(header, sample, column)
        if answers is not None:
            _, unknown = default_labels(metric).decode(answers, metric)
            if unknown:
                shown = ", ".join(f"'{u}'" for u in list(unknown)[:4])
                out.confirm.append(
                    f"row {number}: answers {shown} are no known {metric.value} label: add them to Labels"
                )
        out.rows.append(row)
    if skipped:
        shown = ", ".join(skipped[:8]) + (f" and {len(skipped) - 8} more" if len(skipped) > 8 else "")
        out.confirm.append(
            f"not added (no metric in their words; add a row if one measures CSAT, CES, NPS or Emotion): {shown}"
        )
    return out


def _what(header: Header) -> str:
    return {
        Format.QUALTRICS: "a Qualtrics export (3 header rows; previews, tests and unfinished responses left out)",
        Format.QUALTRICS_LEGACY: "a legacy Qualtrics export (2 header rows; previews and unfinished left out)",
        Format.SURVEYMONKEY: "a SurveyMonkey export (2 header rows)",
        Format.GOOGLE_FORMS: "a Google Forms export",
        Format.TYPEFORM: "a Typeform export",
        Format.LONG: "a feed of one answer per row",
    }.get(header.format, header.format.value)


def _answers(header: Header, sample: pd.DataFrame, column: str) -> pd.Series | None:
    if header.format is Format.LONG:
        q, a = header.roles["question"], header.roles["answer"]
        return sample[a][sample[q].map(norm) == norm(column)].dropna()
    return sample[column].dropna() if column in sample else None


def _events(
    base: dict[str, str], header: Header, sample: pd.DataFrame, stages: Sequence[str], stage: str | None
) -> Proposal:
    counts = sample[header.roles["event"]].dropna().value_counts()
    out = Proposal(
        recognised=f"{base[Col.FILE.value]}: an event log ("
        + ", ".join(f"{k} = {v}" for k, v in header.roles.items())
        + "), "
        f"{len(counts)} kinds of event in the rows looked at"
    )
    missing = []
    for event in list(counts.index)[:MAX_EVENT_ROWS]:
        row = dict(base, **{Col.QUESTION.value: str(event)})
        found = stage or next((s for s in stages if norm(s) == norm(event)), None) or _stage_in(str(event), stages)
        if found:
            row[Col.STAGE.value] = found
            out.confirm.append(f"event '{event}': Stage {found}, from its name")
        else:
            missing.append(f"'{event}'")
        out.rows.append(row)
    if missing:
        out.confirm.append("no Stage yet for the events " + ", ".join(missing) + ": type the stage each belongs to")
    if len(counts) > MAX_EVENT_ROWS:
        out.confirm.append(f"{len(counts) - MAX_EVENT_ROWS} rarer events not listed: add rows or patterns (/product/*)")
    return out
