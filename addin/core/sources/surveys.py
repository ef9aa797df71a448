"""Survey answers of a source file to Evidence rows: one row per answer to each listed question.

Wide exports (Qualtrics, SurveyMonkey, Google Forms, Typeform: one row per response, one column per
question) give, for each EvidenceSources row, the answers in that question's column. A long feed
(one row per answer) gives the rows whose question matches. A file in the Evidence layout gives its
rows as they are. Whatever the layout, each distinct answer is decoded once, never row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from addin.core.contract import Col, Metric, Sheet, norm
from addin.core.journey import Journey
from addin.core.rules import Rule
from addin.core.sources.dates import DEFAULT_ORDER, ColumnDates, column_dates, parse_dates
from addin.core.sources.formats import Format, Header, Question
from addin.core.sources.labels import default_labels, label_key
from addin.core.sources.spec import Field, SourceRow
from addin.core.tables import lookup_column
from addin.core.validation.evidence import EVIDENCE_COLUMNS
from addin.core.validation.findings import Findings, suggest
from addin.core.validation.references import persona_names, stage_names
from addin.core.words import counted

EVIDENCE_ROW_COLUMNS = tuple(EVIDENCE_COLUMNS)
"""The columns a source's evidence rows have: those of the Evidence sheet's validated rows."""


@dataclass
class LoadedSource:
    """A source file as read by its adapter: its display name, its header, and the columns asked for.

    `frame` holds the answers as text (blank = missing), one column per name in `header.columns`
    that was asked for; its index is the row number in the file (1-based, header rows counted).
    """

    name: str
    header: Header
    frame: pd.DataFrame
    dates: dict[str, ColumnDates] = field(default_factory=dict)
    """Per date column, the order its dates are written in, decided once from all of them (`_dates`)."""


def empty_evidence() -> pd.DataFrame:
    """No evidence rows, with the columns and dtypes of real ones."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_ROW_COLUMNS})
    return frame.astype({Col.SCORE: float, Col.DATE: "datetime64[s]"})


def find_question(header: Header, asked: str) -> Question | None:
    """The question a row names: by column name, then by the question's text, then by a unique part of it."""
    key = norm(asked)
    for q in header.questions:
        if norm(q.column) == key:
            return q
    for q in header.questions:
        if norm(q.text) == key:
            return q
    hits = [q for q in header.questions if key and key in norm(q.text)]
    return hits[0] if len(hits) == 1 else None


def columns_needed(header: Header, rows: Sequence[SourceRow]) -> list[str]:
    """Which columns of the file the rows use: reading only those keeps a large export cheap."""
    wanted: list[str | None] = [header.respondent, header.date, _channel_default(header), *header.roles.values()]
    wanted += [column for column, _ in header.leave_out]
    if header.format is Format.EVIDENCE:
        return list(header.columns)
    for row in rows:
        if header.format is not Format.LONG and row.question:
            q = find_question(header, row.question)
            wanted.append(q.column if q else None)
        for given in (row.stage, row.touchpoint, row.persona, row.channel, row.respondent, row.date):
            wanted.append(given.column)
        wanted += [lo.column for lo in row.leave_out]
    by_key = {norm(c): c for c in header.columns}
    out: list[str] = []
    for name in wanted:
        if name is not None and norm(name) in by_key and by_key[norm(name)] not in out:
            out.append(by_key[norm(name)])
    return out


def evidence_rows(source: LoadedSource, rows: Sequence[SourceRow], journey: Journey, found: Findings) -> pd.DataFrame:
    """Every answer of the listed questions as an Evidence row; what cannot be used is a finding."""
    keep = _real_answers(source, rows, found)
    parts = []
    for row in rows:
        if source.header.format is Format.EVIDENCE:
            part = _evidence_layout(source, row, keep, journey, found)
        else:
            answers = _answers(source, row, keep, found)
            if answers is None:
                continue
            part = _to_evidence(source, row, answers, journey, found)
        if part is not None and len(part):
            parts.append(part)
    if not parts:
        return empty_evidence()
    return pd.concat(parts, ignore_index=True)


def _column(source: LoadedSource, name: str | None) -> pd.Series | None:
    if name is None:
        return None
    by_key = {norm(c): c for c in source.frame.columns}
    hit = by_key.get(norm(name))
    return None if hit is None else source.frame[hit]


def _real_answers(source: LoadedSource, rows: Sequence[SourceRow], found: Findings) -> pd.Series:
    """True for the responses that count: the tool's previews, tests and unfinished ones are left out,
    and so is what each row's `Leave out` names (applied file-wide: a response left out is left out)."""
    keep = pd.Series(True, index=source.frame.index)
    rules = [(c, v) for c, v in source.header.leave_out] + [(lo.column, lo.values) for r in rows for lo in r.leave_out]
    for column, values in rules:
        series = _column(source, column)
        if series is None:
            continue
        wanted = set(values)
        codes, uniques = pd.factorize(series, sort=False)
        drop = np.array([label_key(u) in wanted or _number_key(u) in wanted for u in uniques] + [False])
        keep &= ~drop[codes]
    return keep


def _number_key(value: object) -> str:
    """'1.0' and '1' compare equal in Leave out (spreadsheets save whole numbers as either)."""
    try:
        number = float(str(value))
    except ValueError:
        return ""
    return f"{number:g}"


def _answers(source: LoadedSource, row: SourceRow, keep: pd.Series, found: Findings) -> pd.DataFrame | None:
    """The answers (text) to the row's question with their file rows, or None (with a finding)."""
    header = source.header
    sheet = Sheet.EVIDENCE_SOURCES.value
    if header.format is Format.LONG:
        question_col = _column(source, header.roles["question"])
        answer_col = _column(source, header.roles["answer"])
        assert question_col is not None and answer_col is not None, "detect() found both columns"
        asked = norm(row.question)
        codes, uniques = pd.factorize(question_col, sort=False)
        match = np.array([norm(u) == asked for u in uniques] + [False])
        mask = match[codes] & keep.to_numpy()
        if not match.any():
            sample = ", ".join(f"'{u}'" for u in list(uniques)[:5])
            hint = suggest(row.question, map(str, uniques))
            found.add(
                Rule.SOURCE_UNKNOWN_QUESTION,
                sheet,
                row.cell(Col.QUESTION),
                f"{source.name} has no answers to the question '{row.question}'.{hint}",
                f"Copy the question as the file writes it, e.g. {sample}.",
            )
            return None
        return pd.DataFrame({"answer": answer_col[mask]})
    question = find_question(header, row.question) if row.question else None
    if question is None:
        listed = "; ".join(f"{q.column} ({q.text})" if q.text != q.column else q.column for q in header.questions[:6])
        more = f" and {len(header.questions) - 6} more" if len(header.questions) > 6 else ""
        said = f"the question '{row.question}'" if row.question else "no question"
        found.add(
            Rule.SOURCE_UNKNOWN_QUESTION,
            sheet,
            row.cell(Col.QUESTION),
            f"This row names {said}, and {source.name} has no such question.",
            f"Write the question's column or its text: {listed}{more}.",
        )
        return None
    series = _column(source, question.column)
    assert series is not None, "columns_needed asked for it"
    return pd.DataFrame({"answer": series[keep.to_numpy()]}, index=series.index[keep.to_numpy()])


def _dates(source: LoadedSource, row: SourceRow, index: pd.Index, found: Findings) -> pd.Series:
    """The dates of the answers at `index` (datetime64[s], as the Evidence sheet's Date), in the order the
    whole date column is written in (`dates.column_dates`, decided once per file and column). A column of
    day-first and month-first dates together is a finding naming the file and the column."""
    if row.date.value is not None:
        values = pd.Series(row.date.value, index=index, dtype=object)
        return parse_dates(values, column_dates(values).order)
    name = row.date.column or source.header.date
    column = _column(source, name)
    if column is None or name is None:
        return parse_dates(pd.Series(None, index=index, dtype=object), DEFAULT_ORDER)
    if name not in source.dates:
        source.dates[name] = told = column_dates(column)
        if told.mixed:
            found.add(
                Rule.SOURCE_MIXED_DATES,
                Sheet.EVIDENCE_SOURCES.value,
                row.cell(Col.DATE) if row.date.column else row.cell(Col.FILE),
                f"{source.name}, column {name}: some dates can only be day first ({told.day_first}), others only "
                f"month first ({told.month_first}). All are read {told.order}, so no date is read for "
                f"{counted(told.unreadable, 'answer')} dated the other way.",
                f"Export the file again with one date format (ISO 8601, 2026-03-25, where the tool offers it), "
                f"or correct the dates in column {name}.",
            )
    return parse_dates(column.reindex(index), source.dates[name].order)


def _field(source: LoadedSource, field: Field, default: str | None, index: pd.Index) -> pd.Series:
    """A Field's values for the answers at `index`: one value, a column, the layout's default column, or blank."""
    if field.value is not None:
        return pd.Series(field.value, index=index, dtype=object)
    series = _column(source, field.column or default)
    if series is None:
        return pd.Series(None, index=index, dtype=object)
    return series.reindex(index)


def _to_evidence(
    source: LoadedSource, row: SourceRow, answers: pd.DataFrame, journey: Journey, found: Findings
) -> pd.DataFrame | None:
    assert row.metric is not None, "validation requires a metric for a question"
    labels = row.labels or default_labels(row.metric)
    scores, unknown = labels.decode(answers["answer"], row.metric)
    sheet = Sheet.EVIDENCE_SOURCES.value
    if unknown:
        first_label, position = next(iter(unknown.items()))
        left = int(np.isin(answers["answer"].to_numpy(dtype=object), list(unknown)).sum())
        others = f" (and {len(unknown) - 1} other answers)" if len(unknown) > 1 else ""
        found.add(
            Rule.SOURCE_UNKNOWN_LABEL,
            sheet,
            row.cell(Col.LABELS),
            f"{source.name} row {answers.index[position]}, column {_question_column(source, row)}: the answer "
            f"'{first_label}'{others} is neither {labels.description}; {left:,} answers left out.",
            f"Add it to this row's Labels, e.g. '{first_label}=<score>', or leave it out.",
        )
    index = answers.index
    out = pd.DataFrame(
        {
            Col.STAGE: _field(source, row.stage, None, index),
            Col.TOUCHPOINT: _field(source, row.touchpoint, None, index),
            Col.CHANNEL: _field(source, row.channel, _channel_default(source.header), index),
            Col.PERSONA: _field(source, row.persona, None, index),
            Col.METRIC: row.metric.value,
            Col.SCORE: scores,
            Col.DATE: _dates(source, row, index, found),
            Col.RESPONDENT: _field(source, row.respondent, source.header.respondent, index),
        },
        index=index,
    )
    out = out[~np.isnan(scores)]
    return _checked_names(source, row, out, journey, found)


def _channel_default(header: Header) -> str | None:
    """The column a layout gives the channel in (Qualtrics' DistributionChannel), used unless a row says otherwise."""
    for name in header.columns:
        if norm(name) in ("distributionchannel", "channel"):
            return name
    return None


def _question_column(source: LoadedSource, row: SourceRow) -> str:
    if source.header.format is Format.LONG:
        return source.header.roles["answer"]
    q = find_question(source.header, row.question)
    return q.column if q else row.question


def _checked_names(
    source: LoadedSource, row: SourceRow, out: pd.DataFrame, journey: Journey, found: Findings
) -> pd.DataFrame:
    """Stages matched to the grid (answers of no stage are left out, with a finding); unknown personas blanked."""
    sheet = Sheet.EVIDENCE_SOURCES.value
    stage = lookup_column(out[Col.STAGE], stage_names(journey))
    bad = stage.isna()
    if bad.any():
        values = out[Col.STAGE][bad]
        named = values.dropna()
        where = f"column {row.stage.column}" if row.stage.column else "this row's Stage"
        if len(named):
            what = f"name the stage '{named.iloc[0]}', which is not in the Journey grid"
            what += suggest(str(named.iloc[0]), journey.stages)
        else:
            what = "have no stage" + (" (this row's Stage is blank)" if not row.stage.given else "")
        found.add(
            Rule.SOURCE_UNKNOWN_STAGE,
            sheet,
            row.cell(Col.STAGE),
            f"{bad.sum():,} answers from {source.name} ({where}) {what}; they are left out.",
            "Give this row a Stage (a stage name, or column: NAME of a column holding stage names).",
        )
    out = out.assign(**{Col.STAGE: stage})[~bad]
    persona = lookup_column(out[Col.PERSONA], persona_names(journey.personas))
    unknown = out[Col.PERSONA].notna() & persona.isna()
    if unknown.any():
        found.add(
            Rule.SOURCE_UNKNOWN_PERSONA,
            sheet,
            row.cell(Col.PERSONA),
            f"{unknown.sum():,} answers from {source.name} name the persona '{out[Col.PERSONA][unknown].iloc[0]}', "
            "which is not in Personas; they count for all customers only.",
            "Spell the persona as in Personas, or leave Persona blank.",
        )
    return out.assign(**{Col.PERSONA: persona})


def _evidence_layout(
    source: LoadedSource, row: SourceRow, keep: pd.Series, journey: Journey, found: Findings
) -> pd.DataFrame | None:
    """A file in the Evidence layout: its rows as they are; the row's fields fill in what the file leaves out."""
    frame = source.frame[keep.to_numpy()]
    index = frame.index
    metric = lookup_column(
        _field(source, Field(value=row.metric.value) if row.metric else Field(), Col.METRIC, index),
        {norm(m.value): m.value for m in Metric},
    )
    scores = np.full(len(frame), np.nan)
    raw = _field(source, Field(), Col.SCORE, index)
    for m in Metric:
        mask = (metric == m.value).to_numpy()
        if mask.any():
            labels = row.labels if row.labels is not None and row.metric is m else default_labels(m)
            decoded, _ = labels.decode(raw[mask], m)
            scores[mask] = decoded
    out = pd.DataFrame(
        {
            Col.STAGE: _field(source, row.stage, Col.STAGE, index),
            Col.TOUCHPOINT: _field(source, row.touchpoint, Col.TOUCHPOINT, index),
            Col.CHANNEL: _field(source, row.channel, Col.CHANNEL, index),
            Col.PERSONA: _field(source, row.persona, Col.PERSONA, index),
            Col.METRIC: metric,
            Col.SCORE: scores,
            Col.DATE: _dates(source, row, index, found),
            Col.RESPONDENT: _field(source, row.respondent, source.header.respondent, index),
        },
        index=index,
    )
    unusable = metric.isna().to_numpy() | np.isnan(scores)
    if unusable.any():
        first = int(np.flatnonzero(unusable)[0])
        found.add(
            Rule.SOURCE_UNKNOWN_LABEL,
            Sheet.EVIDENCE_SOURCES.value,
            row.cell(Col.FILE),
            f"{source.name} row {index[first]}: {int(unusable.sum()):,} rows have no metric of CSAT, CES, NPS, "
            "Emotion or no score on its scale; they are left out.",
            "Correct those rows in the file (Metric and Score columns).",
        )
    return _checked_names(source, row, out[~unusable], journey, found)
