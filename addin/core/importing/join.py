"""Join the translated parts of every source into one journey: one grid per file (the most complete), stages
matched by name, lanes merged, emotions scored, pain points numbered, and each decision written down."""

from __future__ import annotations

import re
from typing import Any

from addin.core.contract import Lane, norm, persona_emotion_lane
from addin.core.importing.emotion import Reading, label_scale_hint, read_emotion, scale_of
from addin.core.importing.model import Decision, ImportedJourney, LaneData, Origin, Pain, Part
from addin.core.importing.pains import split_items
from addin.core.importing.vocabulary import DEFAULT_FREQUENCY, DEFAULT_SEVERITY, clean_stage
from addin.core.tables import to_number
from addin.core.validation.assumed import assumed_note
from addin.core.words import counted

WRITTEN_EMOTION_LANE = "Feelings (as written)"
"""Where emotions written as words, emoji or sentences are kept, as written, next to their score."""
_PERSONA = re.compile(r"\bpersona\s*[:\-–—]\s*(.+)$", re.I)


def choose_grid(file: str, parts: list[Part], decisions: list[Decision]) -> list[Part]:
    """The parts of one file to use: every non-grid table, and of several grids the most complete one."""
    grids = [p for p in parts if p.is_grid]
    if len(grids) <= 1:
        return parts
    best = max(grids, key=lambda p: p.filled)
    others = "; ".join(f"{p.block.where} ({counted(p.filled, 'filled cell')})" for p in grids if p is not best)
    decisions.append(
        Decision(
            best.block.where,
            "Journey",
            f"{file} has {len(grids)} journey grids: took {best.block.where} ({counted(best.filled, 'filled cell')}),"
            f" the most complete; left out {others}",
            "If another one is meant, run import again with --sheet NAME.",
        )
    )
    return [p for p in parts if not p.is_grid or p is best]


def join(parts: list[Part], name: str, decisions: list[Decision]) -> ImportedJourney:
    """One journey from all parts, the first grid (else the first table with stages) giving the stage order."""
    base = next((p for p in parts if p.is_grid), None) or next((p for p in parts if p.stages), parts[0])
    ordered = [base] + [p for p in parts if p is not base]
    stages: list[str] = []
    keys: dict[str, str] = {}
    lanes: dict[str, list[list[tuple[Any, LaneData]]]] = {}
    names: dict[str, str] = {}
    spelled = {norm(name): name for _, name, _ in _titled(ordered)}
    curves: dict[str, LaneData] = {}
    """The persona emotion lanes by their name in the new workbook, each with the first label that gave it."""
    pains: list[Pain] = []
    for part in ordered:
        decisions.append(
            Decision(
                part.block.where,
                "Journey" if part.is_grid else "",
                f"read as a {part.layout}: {counted(len(part.stages), 'stage')}, "
                f"{counted(len(part.lanes), 'lane')}, {counted(len(part.pains), 'pain point')}",
            )
        )
        decisions.extend(part.decisions)
        mapping: list[str] = []
        for stage, origin in zip(part.stages, part.stage_origins, strict=True):
            key = norm(clean_stage(stage))
            if key not in keys:
                keys[key] = stage
                stages.append(stage)
                if part is not base:
                    decisions.append(
                        Decision(
                            str(origin),
                            f"Journey stage '{stage}'",
                            "a stage the grid does not have: added at the end",
                            "Move the column to where the stage belongs, or rename it to a stage of the grid.",
                        )
                    )
            elif part is not base:
                decisions.append(Decision(str(origin), f"Journey stage '{keys[key]}'", "matched by stage name"))
            mapping.append(keys[key])
        for lane in part.lanes:
            name = lane.name
            if lane.persona is not None:
                name = persona_emotion_lane(spelled.setdefault(norm(lane.persona), lane.persona))
                curves.setdefault(name, lane)
            name = names.setdefault(norm(name), name)
            per_stage = lanes.setdefault(name, [])
            for stage, values in zip(mapping, lane.values, strict=True):
                i = stages.index(stage)
                while len(per_stage) <= i:
                    per_stage.append([])
                per_stage[i].extend((v, lane) for v in values)
        for pain in part.pains:
            if pain.stage is not None:
                pain.stage = keys.get(norm(clean_stage(pain.stage)), pain.stage)
        pains.extend(part.pains)
    out_lanes: dict[str, list[Any]] = {}
    for name_of_lane, per_stage in lanes.items():
        per_stage += [[] for _ in range(len(stages) - len(per_stage))]
        if name_of_lane == Lane.EMOTION.value or name_of_lane in curves:
            who = curves[name_of_lane].persona if name_of_lane in curves else None
            kept = WRITTEN_EMOTION_LANE if who is None else f"{WRITTEN_EMOTION_LANE}: {spelled[norm(who)]}"
            scores, written, doubtful = _emotions(per_stage, stages, decisions, f"Journey {name_of_lane}", kept)
            out_lanes[name_of_lane] = scores
            if doubtful:
                out_lanes[kept] = written
        else:
            out_lanes[name_of_lane] = [_text(cells) for cells in per_stage]
    rows, assumed = _number(pains, stages, out_lanes, decisions)
    personas = _personas(ordered, rows, list(curves.values()), decisions)
    return ImportedJourney(name, stages, out_lanes, rows, personas, decisions, assumed)


def _text(cells: list[tuple[Any, LaneData]]) -> Any:
    values: list[Any] = []
    for v, _ in cells:
        if v.value not in values:
            values.append(v.value)
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return "\n".join(" ".join(str(x).split()) if not isinstance(x, str) else x.strip() for x in values)


def _emotions(
    per_stage: list[list[tuple[Any, LaneData]]],
    stages: list[str],
    decisions: list[Decision],
    target: str,
    kept: str,
) -> tuple[list[Any], list[Any], bool]:
    """Each stage's emotion on -2..+2 (the mean where several cells give one), the words as written, and whether
    any cell was not scored or needs confirming (then the words are kept in the map, in the lane `kept`).
    `target` names the lane on the Import sheet: "Journey Emotion", or a persona's "Journey Emotion: Anna"."""
    doubtful = False
    numbers_of: dict[int, list[float]] = {}
    for cells in per_stage:
        for v, lane in cells:
            if (n := to_number(v.value)) is not None:
                numbers_of.setdefault(id(lane), []).append(n)
    lanes = {id(lane): lane for cells in per_stage for _, lane in cells}
    scales = {key: scale_of(lane.label, numbers_of.get(key, [])) for key, lane in lanes.items()}
    for key, lane in lanes.items():
        low, high = scales[key]
        if key in numbers_of and (low, high) != (-2.0, 2.0):
            middle = (low + high) / 2
            decisions.append(
                Decision(
                    str(lane.origin),
                    target,
                    f"{counted(len(numbers_of[key]), 'number')} of '{lane.label}' read on the scale {low:g}-{high:g}: "
                    f"{low:g} is -2, {middle:g} is 0, {high:g} is +2",
                    "" if label_scale_hint(lane.label) else "Check the scale.",
                )
            )
    scores: list[Any] = []
    written: list[Any] = []
    for cells in per_stage:
        found: list[float] = []
        words: list[str] = []
        for v, lane in cells:
            reading: Reading = read_emotion(v.value, scales[id(lane)])
            if isinstance(v.value, str) and to_number(v.value) is None:
                words.append(" ".join(v.value.split()))
            doubtful |= not reading.sure
            if reading.value is None:
                decisions.append(
                    Decision(
                        str(v.origin),
                        target,
                        f"'{v.value}' not scored: {reading.how}; kept in the '{kept}' lane",
                        "Type the emotion as a number from -2 to +2.",
                    )
                )
                continue
            found.append(reading.value)
            if to_number(v.value) is not None and reading.sure:
                continue  # numbers: one decision per lane, below
            confirm = "" if reading.sure else "Check the score."
            decisions.append(
                Decision(str(v.origin), target, f"'{v.value}' read as {reading.value:+g} ({reading.how})", confirm)
            )
        scores.append(round(sum(found) / len(found), 2) if found else None)
        if len(found) > 1:
            decisions.append(
                Decision(
                    "",
                    f"{target}, {stages[len(scores) - 1]}",
                    f"{len(found):,} emotions for this stage (one per row): their mean, {scores[-1]:+g}",
                    "Check the score.",
                )
            )
        written.append("\n".join(dict.fromkeys(words)) or None)
    return scores, written, doubtful


def _number(
    pains: list[Pain], stages: list[str], lanes: dict[str, list[Any]], decisions: list[Decision]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Merge repeats (the same text at the same stage), give IDs P01, P02 ... in stage order, fill defaults."""
    merged: dict[tuple[str, str], Pain] = {}
    for pain in pains:
        if pain.stage is None:
            decisions.append(
                Decision(
                    str(pain.origin),
                    "",
                    f"pain point '{pain.description}' has no stage: not imported",
                    "Add it to PainPoints with its stage.",
                )
            )
            continue
        key = (norm(pain.description), norm(pain.stage))
        if key in merged:
            first = merged[key]
            for attr in ("touchpoint", "channel", "persona", "severity", "frequency", "source"):
                if getattr(first, attr) is None and getattr(pain, attr) is not None:
                    setattr(first, attr, getattr(pain, attr))
            decisions.append(Decision(str(pain.origin), "", f"the same pain point as {first.origin}: merged"))
            continue
        merged[key] = pain
    order = {norm(s): i for i, s in enumerate(stages)}
    kept = sorted(merged.values(), key=lambda p: order.get(norm(p.stage or ""), len(stages)))
    width = max(2, len(str(len(kept))))
    touchpoints = lanes.get(Lane.TOUCHPOINTS.value, [None] * len(stages))
    rows: list[dict[str, Any]] = []
    assumed = {"Severity": 0, "Frequency": 0}
    for n, pain in enumerate(kept, start=1):
        pid = f"P{n:0{width}d}"
        extra = ""
        if pain.touchpoint is None and (tp := touchpoints[order[norm(pain.stage or "")]]) is not None:
            items, _ = split_items(str(tp))
            if len(items) == 1:
                pain.touchpoint = items[0]
                extra = f"; touchpoint '{items[0]}', the stage's only one"
        confirm = []
        for col, value, default in (
            ("Severity", pain.severity, DEFAULT_SEVERITY),
            ("Frequency", pain.frequency, DEFAULT_FREQUENCY),
        ):
            if value is None:
                assumed[col] += 1
                confirm.append(col)
                setattr(pain, col.lower(), default)
        decisions.append(
            Decision(
                str(pain.origin),
                f"PainPoints {pid}",
                f"'{pain.description}' ({pain.how}, stage {pain.stage}{extra})",
                assumed_note(confirm) if confirm else "",
            )
        )
        rows.append(
            {
                "ID": pid,
                "Stage": pain.stage,
                "Touchpoint": pain.touchpoint,
                "Channel": pain.channel,
                "Persona": pain.persona,
                "Description": pain.description,
                "Severity": pain.severity,
                "Frequency": pain.frequency,
                "Source": pain.source,
            }
        )
    return rows, assumed


def _titled(parts: list[Part]) -> list[tuple[Origin, str, str]]:
    """The personas titles name ("Persona: Anna, first-time buyer"): where, the name, the description."""
    out: list[tuple[Origin, str, str]] = []
    for part in parts:
        for origin, title in part.block.titles:
            if m := _PERSONA.search(title):
                name, _, desc = m.group(1).partition(",")
                out.append((origin, name.strip(), desc.strip() or title))
    return out


def _personas(
    parts: list[Part], rows: list[dict[str, Any]], curves: list[LaneData], decisions: list[Decision]
) -> list[tuple[str, str, float | None]]:
    """Personas named by a title ("Persona: Anna, first-time buyer"), by an emotion lane ("Feeling – Ben") or by a
    pain-point table; those of titles and lanes are listed on the Import sheet, to confirm."""
    out: dict[str, tuple[str, str, float | None]] = {}
    check = "Check the persona; give it a Weight if you have several."
    for origin, name, desc in _titled(parts):
        if norm(name) not in out:
            out[norm(name)] = (name, desc, None)
            decisions.append(Decision(str(origin), f"Personas {name}", "a persona named in the title", check))
    for lane in curves:
        name = lane.persona or ""
        if norm(name) not in out:
            out[norm(name)] = (name, "", None)
            decisions.append(
                Decision(
                    str(lane.origin), f"Personas {name}", f"a persona named by the emotion lane '{lane.label}'", check
                )
            )
    for row in rows:
        if row["Persona"]:
            out.setdefault(norm(row["Persona"]), (row["Persona"], "", None))
    return list(out.values())
