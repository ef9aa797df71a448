"""What a journey map shows, as small frozen values: the input of the layout step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class MapLane:
    """A lane of text: one cell per stage (None = blank)."""

    name: str
    cells: tuple[str | None, ...]


@dataclass(frozen=True)
class MapPain:
    """One pain point as the map shows it: coloured by `score` in its stage's column."""

    id: str
    stage: str
    description: str
    score: float
    persona: str | None = None
    channel: str | None = None
    touchpoint: str | None = None


@dataclass(frozen=True)
class MapCurve:
    """An emotion curve on the -2..+2 scale, one value per stage (None = no value there).

    `dashed`: from Evidence answers rather than the map's lanes. `color`: hex RGB.
    """

    name: str
    values: tuple[float | None, ...]
    color: str
    dashed: bool = False


@dataclass(frozen=True)
class StageEvidence:
    """The evidence behind one stage: answers, CSAT (share satisfied, %), NPS, and a moment of truth."""

    answers: int = 0
    csat: float | None = None
    csat_n: int = 0
    nps: float | None = None
    nps_n: int = 0
    moment: str | None = None
    """Why the stage is a moment of truth, in words (computed, or the user's own lane); None = it is not."""


@dataclass(frozen=True)
class JourneyMap:
    """One journey map: the whole journey, or a view of one persona or one channel."""

    title: str
    view: str
    """Who the map is about: "All customers", "Persona: Busy parent (55 % of customers)", "Channel: Web"."""
    stages: tuple[str, ...]
    lanes: tuple[MapLane, ...]
    """Text lanes above the emotion curves (goals, actions, touchpoints, channels, thoughts)."""
    pains: tuple[MapPain, ...]
    curves: tuple[MapCurve, ...]
    after: tuple[MapLane, ...]
    """Text lanes below the pain points (opportunities)."""
    evidence: tuple[StageEvidence, ...]
    """One per stage."""
    dates: tuple[dt.date, dt.date] | None = None
    """First and last date of the evidence behind the map; None without dated evidence."""
    pain_max: float = 100.0
    """The pain score drawn darkest (the colour scale's top)."""

    def pains_at(self, stage: str) -> list[MapPain]:
        """The stage's pain points, highest score first, then by ID."""
        return sorted((p for p in self.pains if p.stage == stage), key=lambda p: (-round(p.score, 9), p.id))
