"""The journey as clean, typed data: what analysis sees once validation has read the workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from addin.core import names
from addin.core.contract import SETTINGS, HeatmapDimension, ScoringMethod, TrendPeriod
from addin.core.model import LeftOut


@dataclass
class Settings:
    """The Settings sheet, with every default filled in."""

    journey_name: str = "Customer journey"
    scoring_method: ScoringMethod = ScoringMethod.RICE
    heatmap_rows: HeatmapDimension = HeatmapDimension.TOUCHPOINT
    weight_pain: float = 1.0
    weight_reach: float = 1.0
    weight_impact: float = 1.0
    weight_confidence: float = 1.0
    value_threshold: float | None = None
    effort_threshold: float | None = None
    moment_of_truth_pain_index: float = 60.0
    trend_period: TrendPeriod = TrendPeriod.QUARTER
    map_views: str | None = None

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> Settings:
        """Build from {contract key: value}; keys missing take the contract default."""
        by_attr = {spec.key: _attr(spec.key) for spec in SETTINGS}
        kwargs: dict[str, Any] = {}
        for spec in SETTINGS:
            value = values.get(spec.key, spec.default)
            attr = by_attr[spec.key]
            if attr == "scoring_method":
                value = ScoringMethod(str(value))
            elif attr == "heatmap_rows":
                value = HeatmapDimension(str(value))
            elif attr == "trend_period":
                value = TrendPeriod(str(value))
            kwargs[attr] = value
        return cls(**kwargs)


def _attr(key: str) -> str:
    return {
        "Journey name": "journey_name",
        "Scoring method": "scoring_method",
        "Heatmap rows": "heatmap_rows",
        "Weight: pain": "weight_pain",
        "Weight: reach": "weight_reach",
        "Weight: impact": "weight_impact",
        "Weight: confidence": "weight_confidence",
        "Value threshold": "value_threshold",
        "Effort threshold": "effort_threshold",
        "Moment of truth pain index": "moment_of_truth_pain_index",
        "Trend period": "trend_period",
        "Map views": "map_views",
    }[key]


ALL_CUSTOMERS = "All customers"


@dataclass
class Journey:
    """Clean journey data. Frames hold only rows that passed validation; their index is the sheet row.

    - `lanes`: lane name (as the user typed it) -> one value per stage
    - `emotions`: index = curve (ALL_CUSTOMERS for the `Emotion` lane, else the persona), columns = stages
    - `personas`: Persona, Description, Weight (float, NaN = not given)
    - `pain_points`: ID, Stage, Touchpoint, Channel, Persona, Description, Severity, Frequency, Source
    - `recommendations`: ID, Title, Addresses (tuple of IDs), Reach, Impact (NaN = derive),
      Confidence (fraction 0..1), Effort, Owner, Status
    - `evidence`: Stage, Touchpoint, Channel, Persona, Metric, Score, Date (datetime64[s], NaT = blank or
      not a date), Respondent (text, None = not given)
    - `funnel`: Stage, Entered, Completed
    """

    stages: list[str]
    lanes: dict[str, list[Any]] = field(default_factory=dict)
    emotions: pd.DataFrame = field(default_factory=pd.DataFrame)
    personas: pd.DataFrame = field(default_factory=pd.DataFrame)
    pain_points: pd.DataFrame = field(default_factory=pd.DataFrame)
    recommendations: pd.DataFrame = field(default_factory=pd.DataFrame)
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    funnel: pd.DataFrame = field(default_factory=pd.DataFrame)
    settings: Settings = field(default_factory=Settings)
    sources: list[Any] = field(default_factory=list)
    """The usable EvidenceSources rows (`addin.core.sources.spec.SourceRow`)."""
    evidence_stats: pd.DataFrame | None = None
    """Evidence an engine aggregated where it lives (`addin.core.evidence.grouped_stats` columns), or None."""
    event_journeys: list[Any] = field(default_factory=list)
    """What each event log says (`addin.core.sources.events.EventJourney`), in EvidenceSources order."""
    pain_cells: dict[str, str] = field(default_factory=dict)
    """Pain-point ID -> A1 reference of its ID cell, for findings about a pain point."""
    left_out: list[LeftOut] = field(default_factory=list)
    """Per input table, the rows left out of these frames because of errors, and why (from validation)."""
    assumed: dict[str, list[str]] = field(default_factory=dict)
    """Severity / Frequency -> IDs of the pain points whose value there is assumed, not rated (from validation:
    `addin.core.validation.assumed`)."""

    def lane(self, name: str) -> list[Any] | None:
        """Values of the lane whose name matches `name` (`addin.core.names`), or None."""
        return names.find(name, self.lanes)
