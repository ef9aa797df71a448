"""The results of a run as one typed value: what every writer formats and `python -m addin results` prints.

Frozen dataclasses of plain values (str, int, float, None, enums, tuples), so a `Results` pickles, compares
and serialises to JSON (`addin.core.results_json`, schema in docs/results.schema.json). A number that does
not exist (a share of no answers, an interval of one answer) is None, never NaN. Sequences follow the
journey's stage order, or the order the sheets show.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from addin.core.contract import HeatmapDimension, Quadrant, ScoringMethod
from addin.core.model import Finding, LeftOut

SCHEMA_VERSION = 1
"""Version of the results JSON; raised when a field changes meaning or goes away (a new field keeps it)."""


class CurveSource(StrEnum):
    """Where an emotion curve comes from."""

    MAP = "map"
    """An `Emotion` or `Emotion: <persona>` lane of the Journey grid."""
    EVIDENCE = "evidence"
    """The mean of the Evidence answers with Metric = Emotion."""


class IPAQuadrant(StrEnum):
    """Importance-performance quadrants (Martilla and James), or too little evidence to say."""

    CONCENTRATE = "Concentrate here"
    KEEP_UP = "Keep up the good work"
    LOW_PRIORITY = "Low priority"
    OVERKILL = "Possible overkill"
    NOT_ENOUGH = "Not enough evidence"


@dataclass(frozen=True)
class Estimate:
    """A metric of a group of answers: its value, the number of answers and the 95 % interval.

    `value` is None without answers; `low`/`high` are None below two answers.
    """

    value: float | None
    n: int
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Metrics:
    """Evidence metrics of one stage or touchpoint. `csat` is the share satisfied (0..1, answers 4-5);
    `csat_mean` the mean answer (1-5); `ces` the mean effort (1-7); `nps` -100..100; `emotion` -2..+2.
    """

    csat: Estimate
    csat_mean: Estimate
    ces: Estimate
    nps: Estimate
    emotion: Estimate


@dataclass(frozen=True)
class PainPoint:
    """A pain point that passed validation, its score, and where each input number came from."""

    id: str
    stage: str
    touchpoint: str | None
    channel: str | None
    persona: str | None
    description: str | None
    severity: int
    frequency: int
    persona_factor: float
    """The persona's weight over the mean weight (1 without weights or persona)."""
    score: float
    """100 x (severity / 5) x (frequency / 5) x persona factor."""
    cell: str
    """A1 reference of its ID cell on the PainPoints sheet."""
    assumed: tuple[str, ...] = ()
    """The levels ("Severity", "Frequency") that are assumed, not rated: read from the grid without a PainPoints
    sheet, or imported without them and not yet rated or confirmed (the Import sheet's Confirm cell)."""


@dataclass(frozen=True)
class HeatmapRow:
    label: str
    pain: tuple[float, ...]
    """Summed pain per stage, in stage order (0 = no pain point)."""
    total: float


@dataclass(frozen=True)
class Heatmap:
    """Summed pain per (row of `dimension`, stage); rows by total pain, highest first, then by name."""

    dimension: HeatmapDimension
    rows: tuple[HeatmapRow, ...]
    scale: tuple[float, float, float]
    """Where the colours sit: 0, half the worst cell, the worst cell (1 when there is no pain)."""


@dataclass(frozen=True)
class EmotionCurve:
    """One emotion curve: `persona` None = all customers. `answers` (Evidence curves only) per stage."""

    source: CurveSource
    persona: str | None
    values: tuple[float | None, ...]
    answers: tuple[int, ...] | None = None


@dataclass(frozen=True)
class FunnelStage:
    entered: float
    completed: float
    conversion: float | None
    """Completed / entered (None when nobody entered)."""
    drop_off: float
    drop_off_share: float | None


@dataclass(frozen=True)
class MomentOfTruth:
    stage: str
    pain_index: float
    emotion: float
    reason: str


@dataclass(frozen=True)
class StageResult:
    """Everything per stage: pain, pain index (worst stage = 100), evidence metrics, funnel, your lane."""

    stage: str
    pain: float
    pain_index: float
    pain_points: int
    metrics: Metrics
    funnel: FunnelStage | None = None
    your_moment_of_truth: str | None = None
    """The `Moments of truth` lane's text for this stage."""


@dataclass(frozen=True)
class TouchpointResult:
    """Evidence per touchpoint (spellings differing only in case or spaces are one), with its pain."""

    touchpoint: str
    pain: float
    metrics: Metrics


@dataclass(frozen=True)
class IPARow:
    touchpoint: str
    importance: float
    """The touchpoint's summed pain."""
    performance: float
    """Its CSAT share satisfied, in % (0..100)."""
    answers: int
    quadrant: IPAQuadrant
    advice: str


@dataclass(frozen=True)
class ImportancePerformance:
    """Importance-performance per touchpoint with CSAT answers; thresholds are the medians.

    `enough` is False below the minimum (`min_touchpoints` touchpoints with at least
    `min_answers` CSAT answers each): then no quadrant is claimed.
    """

    rows: tuple[IPARow, ...] = ()
    importance_threshold: float | None = None
    performance_threshold: float | None = None
    enough: bool = False
    min_touchpoints: int = 0
    min_answers: int = 0


@dataclass(frozen=True)
class KeyDriverRow:
    """One stage's derived importance and where it sits in the stage-level importance-performance."""

    stage: str
    importance: float
    """Its share of what the stages explain (LMG share of R², 0..1; the stages add up to 1)."""
    low: float
    high: float
    """The share's 95 % bootstrap interval (0..1)."""
    r2_part: float
    """The same in R² units (the parts add up to `KeyDrivers.r2`)."""
    performance: float
    """The complete respondents' mean CSAT answer at the stage (1-5)."""
    quadrant: IPAQuadrant
    """Against the medians of importance and performance of the stages analysed (as per touchpoint)."""
    advice: str


@dataclass(frozen=True)
class KeyDrivers:
    """Key drivers: how much each stage's CSAT explains the same respondents' overall score (LMG), and the
    stage-level importance-performance that uses it as derived importance.

    `enough` False: no rows, and `reason` says why ("not enough respondents" below `min_respondents`).
    Rows: highest importance first.
    """

    outcome: str
    """ "NPS", or "overall CSAT" when no respondent gave NPS."""
    respondents: int
    """Complete respondents: the overall score and a CSAT answer at every stage analysed."""
    min_respondents: int
    """The stated n: max(30, stages analysed + 10)."""
    enough: bool
    reason: str
    r2: float | None
    """R² of the overall score on the stages (None when not computed)."""
    resamples: int
    """Bootstrap resamples behind the intervals."""
    left_out: tuple[str, ...] = ()
    """Stages fewer than half of the respondents answered CSAT at."""
    rows: tuple[KeyDriverRow, ...] = ()
    importance_threshold: float | None = None
    performance_threshold: float | None = None
    """The medians the quadrants are judged by (None when there are too few stages for quadrants)."""


@dataclass(frozen=True)
class Recommendation:
    """A ranked recommendation and the numbers behind its score."""

    rank: int
    id: str
    title: str | None
    score: float
    value: float
    effort: float
    quadrant: Quadrant
    addresses: tuple[str, ...]
    rationale: str
    pain_addressed: float
    reach: float
    impact: float
    impact_derived: bool
    """True when Impact was blank and derived from the pain addressed."""
    confidence: float
    """A fraction, 0..1."""
    assumed: tuple[str, ...] = ()
    """The pain points it addresses whose Severity or Frequency is assumed: its score rests on them."""


@dataclass(frozen=True)
class Priorities:
    method: ScoringMethod
    value_threshold: float
    effort_threshold: float
    recommendations: tuple[Recommendation, ...] = ()


@dataclass(frozen=True)
class Unaddressed:
    """A pain point no recommendation addresses (coverage)."""

    id: str
    score: float
    stage: str | None
    description: str | None


@dataclass(frozen=True)
class Transition:
    """Customers who went from one stage on to the next one of the map, and how long they took (hours)."""

    from_stage: str
    to_stage: str
    customers: int
    median_hours: float
    p90_hours: float


@dataclass(frozen=True)
class Path:
    """One sequence of stages as customers really took it (a stage repeated in a row counts once)."""

    stages: tuple[str, ...]
    customers: int
    share: float
    in_map_order: bool
    """From the map's first stage on, stage after stage (it may end before the last)."""


@dataclass(frozen=True)
class EventJourney:
    """What an event log says about the journey."""

    source: str
    customers: int
    events: int
    funnel: tuple[tuple[str, int, int], ...]
    """(stage, entered, completed) in the journey's order; the last stage counts as completed by all who reach it."""
    transitions: tuple[Transition, ...]
    paths: tuple[Path, ...]
    skipped: tuple[tuple[str, int], ...]
    """(stage, customers who reached a later stage without ever reaching this one)."""
    went_back: int
    """Customers who returned to an earlier stage after a later one."""
    in_order: int
    """Customers whose path follows the map's order: from the first stage on, stage after stage, without
    skipping or going back (they may stop at any stage)."""


@dataclass(frozen=True)
class TrendChange:
    """A significant change of one measure at one stage from one period of the Evidence Date to the next one
    with answers (Holm-corrected over every change tested). Values in the measure's unit: CSAT as a %
    satisfied, NPS in points, the others as means."""

    stage: str
    measure: str
    before_period: str
    after_period: str
    before: float
    after: float
    n_before: int
    n_after: int
    p_adjusted: float
    sentence: str
    """ "Delivery CSAT fell from 64 % to 51 % from Q2 to Q3 2026 (412 and 388 answers; significant)"."""


@dataclass(frozen=True)
class EvidenceTrends:
    """What the Evidence rows' dates say: how many period-to-period changes could be tested (both periods
    with at least `min_answers` answers), and the significant ones, strongest first."""

    period: str
    tested: int = 0
    min_answers: int = 0
    significant: tuple[TrendChange, ...] = ()


@dataclass(frozen=True)
class HistoryChange:
    """One thing these results change against the latest snapshot the History sheet keeps."""

    kind: str
    """ "metric moved", "pain index moved", "entered the top 5", "left the top 5", "pain point added" or
    "pain point resolved"."""
    subject: str
    """The stage, recommendation ID or pain-point ID."""
    sentence: str
    """ "Delivery CSAT fell from 64 % to 51 % (412 and 388 answers; significant)"."""


@dataclass(frozen=True)
class HistoryTrail:
    """What the workbook's History sheet holds, and what these results change against its latest snapshot:
    what a run on this input would report on the Dashboard as new, as data (for an alert, say)."""

    snapshots: int
    latest: str | None
    """When the latest snapshot was taken (UTC, ISO 8601, as History keeps it); None without snapshots."""
    appends: bool
    """A run on this input would append a snapshot: there is none yet, or these results differ from the
    latest one."""
    changes: tuple[HistoryChange, ...] = ()
    """Against the latest snapshot, in the Dashboard's order; () without snapshots or when nothing changed."""


@dataclass(frozen=True)
class Results:
    """The whole outcome of one run: analysis of the rows that passed validation, and the findings."""

    source: str
    journey_name: str
    stages: tuple[str, ...]
    heatmap_rows: HeatmapDimension
    pain_points: tuple[PainPoint, ...]
    heatmaps: tuple[Heatmap, ...]
    """By Touchpoint, Channel and Persona, the one chosen in Settings first."""
    stage_results: tuple[StageResult, ...]
    emotion: tuple[EmotionCurve, ...]
    """The grid's curves (all customers, then the persona lanes), then Evidence (all, then per persona)."""
    moments_of_truth: tuple[MomentOfTruth, ...]
    moment_basis: str
    """What the moments of truth judge emotion by ("the Emotion lane", ...)."""
    worst_pain_stage: str | None
    """The stage with the most pain (None without pain)."""
    worst_drop_stage: str | None
    """The stage with the largest drop-off rate: the share of those who entered it (None without drop-off)."""
    touchpoints: tuple[TouchpointResult, ...]
    """Evidence per touchpoint, highest pain first, "(not given)" last."""
    importance_performance: ImportancePerformance
    priorities: Priorities
    unaddressed: tuple[Unaddressed, ...]
    findings: tuple[Finding, ...]
    left_out: tuple[LeftOut, ...] = ()
    """Per input table (contract order), the rows left out because of errors."""
    evidence_rows: int = 0
    event_logs: tuple[EventJourney, ...] = ()
    """What each event log of EvidenceSources says: funnel, times between stages, real paths."""
    trends: EvidenceTrends | None = None
    """Changes in the evidence from one period to the next (None: no Evidence rows with a date)."""
    key_drivers: KeyDrivers | None = None
    """What drives the respondents' overall score, per stage (None: no Evidence row has a Respondent)."""
    fingerprint: str = ""
    """SHA-256 of the validated journey (`history.journey_fingerprint`): rows in any order give the same."""
    history: HistoryTrail | None = None
    """The workbook's History and what changed since its latest snapshot (None: results of a journey alone,
    or a History sheet that is not the add-in's)."""
    schema_version: int = SCHEMA_VERSION

    @property
    def heatmap(self) -> Heatmap:
        """The heatmap chosen in Settings."""
        return self.heatmaps[0]

    def stage(self, name: str) -> StageResult:
        return next(s for s in self.stage_results if s.stage == name)


@dataclass(frozen=True)
class TopRecommendation:
    id: str
    title: str | None
    score: float
    quadrant: Quadrant


@dataclass(frozen=True)
class RunSummary:
    """A run in a few numbers and sentences, for a console line or a sync report."""

    stages: int = 0
    pain_points: int = 0
    recommendations: int = 0
    evidence_rows: int = 0
    errors: int = 0
    warnings: int = 0
    key_facts: tuple[str, ...] = ()
    top: tuple[TopRecommendation, ...] = ()
