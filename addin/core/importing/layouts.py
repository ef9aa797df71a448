"""One translator per layout, tried in order on every table found (like tox's discovered config sources).

Each turns a `Block` into a `Part` (stages, lanes, pain points, each value with its cell) or says
it is not its layout (None). `LAYOUTS` is the order they are tried in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from addin.core.contract import Lane, Source, norm, persona_emotion_lane
from addin.core.importing.model import Block, Decision, LaneData, Origin, Pain, Part, Value
from addin.core.importing.pains import split_items
from addin.core.importing.vocabulary import (
    FREQUENCY_WORDS,
    SEVERITY_WORDS,
    clean_stage,
    column_role,
    is_placeholder,
    is_stage_header,
    lane_of,
    level_of,
    persona_of_emotion_label,
)
from addin.core.tables import to_number

TEXT_MERGED_LANES = {lane.value for lane in Lane} - {Lane.EMOTION.value}


@dataclass
class Context:
    """What every translator may use: the user's extra lane synonyms."""

    synonyms: Mapping[str, Lane] = field(default_factory=dict)


class Layout(Protocol):
    name: str

    def read(self, block: Block, ctx: Context) -> Part | None: ...


def _lane_score(labels: list[Any], ctx: Context) -> int:
    """How strongly a row or column of labels looks like lane names: 2 per synonym, 1 per keyword match."""
    score = 0
    for label in labels:
        lane, how = lane_of(label, ctx.synonyms)
        if lane is not None:
            score += 1 if how.startswith("keyword") else 2
    return score


def orientation(block: Block, ctx: Context) -> tuple[int, int]:
    """(lanes down the first column, lanes across the first row) scores of a block."""
    down = _lane_score([block.at(r, 0) for r in range(1, len(block.cells))], ctx)
    across = _lane_score([block.at(0, c) for c in range(1, block.width)], ctx)
    return down, across


def _cell(block: Block, r: int, c: int, part: Part) -> Value | None:
    """The value at (r, c), None when blank; a placeholder is blanked and the decision recorded."""
    v = block.at(r, c)
    if v is None:
        return None
    if is_placeholder(v):
        part.decisions.append(Decision(str(block.origin(r, c)), "", f"'{v}' is a placeholder: read as blank"))
        return None
    return Value(v, block.origin(r, c))


def _stage_name(raw: Any, origin: Origin, seen: set[str], part: Part, index: int) -> str:
    if raw is None or is_placeholder(raw):
        name = f"Stage {index}"
        part.decisions.append(
            Decision(str(origin), f"Journey stage '{name}'", "the stage column has no name", "Name the stage.")
        )
    else:
        name = clean_stage(raw)
        if name != " ".join(str(raw).split()):
            part.decisions.append(Decision(str(origin), f"Journey stage '{name}'", f"'{raw}' read as '{name}'"))
    base, n = name, 2
    while norm(name) in seen:
        name = f"{base} ({n})"
        n += 1
    if name != base:
        part.decisions.append(
            Decision(str(origin), f"Journey stage '{name}'", f"a second stage named '{base}'", "Rename or merge it.")
        )
    seen.add(norm(name))
    return name


def _lane(label: Any, origin: Origin, part: Part, ctx: Context, values: list[list[Value]]) -> LaneData:
    lane, how = lane_of(label, ctx.synonyms)
    text = " ".join(str(label).split()) if label is not None else f"(no label) {origin}"
    taken = {norm(ld.name) for ld in part.lanes}
    persona = persona_of_emotion_label(label, ctx.synonyms) if how != "your synonyms" else None
    if persona is not None:
        name = persona_emotion_lane(persona)
        if norm(name) not in taken:
            if norm(text) != norm(name):
                part.decisions.append(
                    Decision(str(origin), f"Journey lane '{name}'", f"'{text}' read as {name} (a persona's emotion)")
                )
            return LaneData(name, text, origin, values, "a persona's emotion", persona)
        why = f"a second emotion lane of {persona}"
    elif lane is not None and (norm(lane.value) not in taken or lane.value in TEXT_MERGED_LANES):
        confirm = "Check that this lane is meant." if how.startswith("keyword") else ""
        if norm(text) != norm(lane.value):
            part.decisions.append(
                Decision(str(origin), f"Journey lane '{lane.value}'", f"'{text}' read as {lane.value} ({how})", confirm)
            )
        return LaneData(lane.value, text, origin, values, how)
    else:
        why = f"a second {lane.value} lane" if lane is not None else "no lane of the contract"
    part.decisions.append(Decision(str(origin), f"Journey lane '{text}'", f"'{text}' kept as written ({why})"))
    return LaneData(text, text, origin, values)


def _pains_of_lane(part: Part, lane: LaneData) -> None:
    """Pain points from the cells of a grid's Pain points lane, one per item, with the stage of their cell."""
    for s, cells in enumerate(lane.values):
        for v in cells:
            if not isinstance(v.value, str) and to_number(v.value) is not None:
                continue
            items, how = split_items(str(v.value))
            part.pains.extend(Pain(item, part.stages[s], v.origin, how=how) for item in items)


class StagesAcross:
    """A grid: stages across the first row, lanes down the first column (the contract's own shape)."""

    name = "grid with stages across"

    def read(self, block: Block, ctx: Context) -> Part | None:
        down, across = orientation(block, ctx)
        if down < 2 or across > down:
            return None
        part = Part(self.name, block, [], [])
        seen: set[str] = set()
        cols = [c for c in range(1, block.width) if any(block.at(r, c) is not None for r in range(len(block.cells)))]
        for c in cols:
            part.stages.append(_stage_name(block.at(0, c), block.origin(0, c), seen, part, len(part.stages) + 1))
            part.stage_origins.append(block.origin(0, c))
        for r in range(1, len(block.cells)):
            label = block.at(r, 0)
            if label is None and all(block.at(r, c) is None for c in cols):
                continue
            lane = _lane(label, block.origin(r, 0), part, ctx, [])
            lane.values = [[v] if (v := _cell(block, r, c, part)) else [] for c in cols]
            part.lanes.append(lane)
        _finish_grid(part)
        return part


class StagesDown:
    """A table with one row per stage (a transposed grid), or one row per touchpoint with the stage repeated."""

    name = "table with stages down"

    def read(self, block: Block, ctx: Context) -> Part | None:
        down, across = orientation(block, ctx)
        header = [block.at(0, c) for c in range(block.width)]
        stage_col = next((c for c, h in enumerate(header) if is_stage_header(h)), None)
        if stage_col is None and (header[0] is None or lane_of(header[0], ctx.synonyms)[0] is None):
            stage_col = 0
        if stage_col is None or (across < 2 and not (across >= 1 and is_stage_header(header[stage_col]))):
            return None
        if down > across:
            return None
        part = Part(self.name, block, [], [])
        seen: set[str] = set()
        by_stage: dict[str, int] = {}
        rows_of_stage: list[list[int]] = []
        current: str | None = None
        repeated = False
        for r in range(1, len(block.cells)):
            raw = block.at(r, stage_col)
            if not any(v is not None for c, v in enumerate(block.cells[r]) if c != stage_col):
                continue
            if raw is None or is_placeholder(raw):
                if current is None:
                    continue
                part.decisions.append(
                    Decision(
                        str(block.origin(r, stage_col)),
                        f"Journey stage '{current}'",
                        f"no stage given: read as '{current}', the stage above",
                        "Check the stage.",
                    )
                )
                repeated = True
            else:
                key = norm(clean_stage(raw))
                if key in by_stage:
                    current = part.stages[by_stage[key]]
                    repeated = True
                else:
                    current = _stage_name(raw, block.origin(r, stage_col), seen, part, len(part.stages) + 1)
                    by_stage[key] = len(part.stages)
                    part.stages.append(current)
                    part.stage_origins.append(block.origin(r, stage_col))
                    rows_of_stage.append([])
            rows_of_stage[part.stages.index(current)].append(r)
        if not part.stages:
            return None
        if repeated:
            part.layout = "table with one row per touchpoint"
        touchpoints: list[list[Value | None]] | None = None
        pain_cells: list[list[list[Value | None]]] = []
        for c in range(block.width):
            if c == stage_col:
                continue
            label = header[c]
            cells = [[_cell(block, r, c, part) for r in rows] for rows in rows_of_stage]
            if label is None and not any(v for stage in cells for v in stage):
                continue
            lane = _lane(label, block.origin(0, c), part, ctx, [[v for v in stage if v] for stage in cells])
            part.lanes.append(lane)
            if lane.name == Lane.TOUCHPOINTS.value and touchpoints is None:
                touchpoints = cells
            elif lane.name == Lane.PAIN_POINTS.value:
                pain_cells.append(cells)
        for cells in pain_cells:
            for s, stage_cells in enumerate(cells):
                for i, v in enumerate(stage_cells):
                    if v is None:
                        continue
                    tp = touchpoints[s][i] if touchpoints else None
                    items, how = split_items(str(v.value))
                    for item in items:
                        touchpoint = str(tp.value) if tp else None
                        part.pains.append(Pain(item, part.stages[s], v.origin, touchpoint=touchpoint, how=how))
        part.is_grid = not repeated and _content_lanes(part) >= 2
        return part


class PainTable:
    """A separate table of pain points: a description column and a severity, priority or frequency column."""

    name = "pain-point table"

    def read(self, block: Block, ctx: Context) -> Part | None:
        roles: dict[str, int] = {}
        for c in range(block.width):
            role = column_role(block.at(0, c))
            if role and role not in roles:
                roles[role] = c
        if "description" not in roles or not {"severity", "frequency"} & roles.keys():
            return None
        part = Part(self.name, block, [], [])
        seen: set[str] = set()
        stage_of: dict[str, str] = {}
        scale = {
            role: 10
            if any((n := to_number(block.at(r, c))) is not None and n > 5 for r in range(1, len(block.cells)))
            else 5
            for role, c in roles.items()
            if role in ("severity", "frequency")
        }
        for r in range(1, len(block.cells)):
            desc = block.at(r, roles["description"])
            if desc is None or is_placeholder(desc):
                continue
            origin = block.origin(r, roles["description"])
            stage = None
            if "stage" in roles and (raw := block.at(r, roles["stage"])) is not None and not is_placeholder(raw):
                key = norm(clean_stage(raw))
                if key not in stage_of:
                    stage_of[key] = _stage_name(raw, block.origin(r, roles["stage"]), seen, part, len(part.stages) + 1)
                    part.stages.append(stage_of[key])
                    part.stage_origins.append(block.origin(r, roles["stage"]))
                stage = stage_of[key]
            pain = Pain(" ".join(str(desc).split()), stage, origin, how="a row of a pain-point table")
            for role, words in (("severity", SEVERITY_WORDS), ("frequency", FREQUENCY_WORDS)):
                if role not in roles or (raw := block.at(r, roles[role])) is None:
                    continue
                level = _level(raw, words, scale[role])
                where = str(block.origin(r, roles[role]))
                if level is None:
                    part.decisions.append(
                        Decision(where, "", f"{role} '{raw}' not understood: assumed", f"Rate the {role} 1-5.")
                    )
                    continue
                setattr(pain, role, level)
                part.decisions.append(Decision(where, "", f"'{raw}' read as {role.title()} {level}"))
            for role in ("touchpoint", "channel", "persona"):
                if role in roles and (raw := block.at(r, roles[role])) is not None and not is_placeholder(raw):
                    setattr(pain, role, " ".join(str(raw).split()))
            if "source" in roles and (raw := block.at(r, roles["source"])) is not None:
                known = {s.value for s in Source}
                pain.source = norm(raw) if norm(raw) in known else None
            part.pains.append(pain)
        return part if part.pains else None


def _level(raw: Any, words: Mapping[str, int], top: int) -> int | None:
    if top == 10 and (n := to_number(raw)) is not None and 1 <= n <= 10:
        return max(1, min(5, round(1 + 4 * (n - 1) / 9)))
    return level_of(raw, words)


def _content_lanes(part: Part) -> int:
    return sum(1 for lane in part.lanes if any(lane.values))


def _finish_grid(part: Part) -> None:
    """Pain points from the Pain points lane; a grid is a candidate journey when it has two lanes with content."""
    for lane in part.lanes:
        if lane.name == Lane.PAIN_POINTS.value:
            _pains_of_lane(part, lane)
    part.is_grid = _content_lanes(part) >= 2


LAYOUTS: tuple[Layout, ...] = (PainTable(), StagesAcross(), StagesDown())
"""The translators, in the order they are tried on each table."""
