"""Validation rule codes: stable identifiers, each with its severity and a one-line meaning.

The README lists every code (a test keeps the two in step).
"""

from __future__ import annotations

from enum import StrEnum

from addin.core.contract import Severity


class Rule(StrEnum):
    """Stable codes of the validation rules."""

    # structure
    MISSING_SHEET = "S01"
    MISSING_COLUMN = "S02"
    UNKNOWN_COLUMN = "S03"
    DUPLICATE_COLUMN = "S04"
    UNKNOWN_LANE = "S05"
    BLANK_STAGE = "S06"
    DUPLICATE_STAGE = "S07"
    STAGE_ORDER = "S08"
    FORMULA_NO_VALUE = "S09"
    NO_STAGES = "S10"
    OVERLAPPING_MERGE = "S11"
    # journey grid
    EMOTION_NOT_NUMBER = "J01"
    EMOTION_OUT_OF_RANGE = "J02"
    EMPTY_STAGE = "J03"
    EMOTION_UNKNOWN_PERSONA = "J04"
    DUPLICATE_LANE = "J05"
    # pain points
    PAIN_BLANK_ID = "P01"
    PAIN_DUPLICATE_ID = "P02"
    PAIN_UNKNOWN_STAGE = "P03"
    PAIN_BAD_SEVERITY = "P04"
    PAIN_BAD_FREQUENCY = "P05"
    PAIN_UNKNOWN_PERSONA = "P06"
    PAIN_UNKNOWN_SOURCE = "P07"
    PAIN_BLANK_DESCRIPTION = "P08"
    # recommendations
    REC_BLANK_ID = "R01"
    REC_DUPLICATE_ID = "R02"
    REC_UNKNOWN_PAIN = "R03"
    REC_BAD_REACH = "R04"
    REC_BAD_IMPACT = "R05"
    REC_BAD_CONFIDENCE = "R06"
    REC_BAD_EFFORT = "R07"
    REC_CONFIDENCE_READ_AS = "R08"
    REC_NO_VALUE = "R09"
    REC_EFFORT_WITH_UNIT = "R10"
    # evidence
    EVIDENCE_UNKNOWN_METRIC = "E01"
    EVIDENCE_BAD_SCORE = "E02"
    EVIDENCE_UNKNOWN_STAGE = "E03"
    EVIDENCE_BAD_DATE = "E04"
    EVIDENCE_UNKNOWN_PERSONA = "E05"
    # funnel
    FUNNEL_COMPLETED_OVER_ENTERED = "F01"
    FUNNEL_BAD_COUNT = "F02"
    FUNNEL_UNKNOWN_STAGE = "F03"
    # personas
    PERSONA_BLANK = "W01"
    PERSONA_DUPLICATE = "W02"
    PERSONA_BAD_WEIGHT = "W03"
    PERSONA_WEIGHTS_NOT_100 = "W04"
    # settings
    SETTING_UNKNOWN_KEY = "T01"
    SETTING_BAD_VALUE = "T02"
    SETTING_DUPLICATE_KEY = "T03"
    # evidence sources
    SOURCE_BAD_ROW = "V01"
    SOURCE_UNKNOWN_QUESTION = "V02"
    SOURCE_UNKNOWN_LABEL = "V03"
    SOURCE_UNKNOWN_STAGE = "V04"
    SOURCE_UNKNOWN_PERSONA = "V05"
    SOURCE_UNMAPPED_EVENT = "V06"
    SOURCE_FUNNEL_REPLACED = "V07"
    SOURCE_MIXED_DATES = "V08"
    # coverage
    UNADDRESSED_PAIN = "C01"
    ASSUMED_LEVELS = "C02"
    # the file as a whole (reported by `check --json` for a file it could not use; exit status 2)
    UNUSABLE_FILE = "U01"


RULE_INFO: dict[Rule, tuple[Severity, str]] = {
    Rule.MISSING_SHEET: (
        Severity.WARNING,
        "An input sheet (Personas, PainPoints, Recommendations, Settings) is missing; it reads as empty.",
    ),
    Rule.MISSING_COLUMN: (Severity.ERROR, "A required column is missing from a sheet's header row."),
    Rule.UNKNOWN_COLUMN: (Severity.WARNING, "A column the add-in does not know; it is kept and ignored."),
    Rule.DUPLICATE_COLUMN: (Severity.ERROR, "The same column header appears twice; only the first is read."),
    Rule.UNKNOWN_LANE: (Severity.WARNING, "A Journey lane the add-in does not know; it is kept as is."),
    Rule.BLANK_STAGE: (Severity.ERROR, "A stage column in Journey has no name."),
    Rule.DUPLICATE_STAGE: (Severity.ERROR, "Two stage columns in Journey have the same name."),
    Rule.STAGE_ORDER: (Severity.WARNING, "Funnel lists the stages in another order than the Journey grid."),
    Rule.FORMULA_NO_VALUE: (Severity.WARNING, "A formula cell has no saved result, so it reads as blank."),
    Rule.NO_STAGES: (Severity.ERROR, "The Journey sheet has no stage columns."),
    Rule.OVERLAPPING_MERGE: (
        Severity.WARNING,
        "A merged range overlaps one merged before it; it is read as separate cells, as Excel repairs such a file.",
    ),
    Rule.EMOTION_NOT_NUMBER: (Severity.ERROR, "An Emotion cell is not a number."),
    Rule.EMOTION_OUT_OF_RANGE: (Severity.ERROR, "An Emotion cell is outside -2..+2."),
    Rule.EMPTY_STAGE: (Severity.WARNING, "A stage has no content in any lane."),
    Rule.EMOTION_UNKNOWN_PERSONA: (
        Severity.WARNING,
        "An `Emotion: <persona>` lane names an unknown persona.",
    ),
    Rule.DUPLICATE_LANE: (Severity.WARNING, "A Journey lane appears twice; only the first row is analysed."),
    Rule.PAIN_BLANK_ID: (Severity.ERROR, "A pain point has no ID."),
    Rule.PAIN_DUPLICATE_ID: (Severity.ERROR, "Two pain points share an ID."),
    Rule.PAIN_UNKNOWN_STAGE: (Severity.ERROR, "A pain point's Stage is blank or not a stage of the Journey grid."),
    Rule.PAIN_BAD_SEVERITY: (Severity.ERROR, "Severity is not a whole number from 1 to 5."),
    Rule.PAIN_BAD_FREQUENCY: (Severity.ERROR, "Frequency is not a whole number from 1 to 5."),
    Rule.PAIN_UNKNOWN_PERSONA: (Severity.ERROR, "A pain point names a persona that is not in Personas."),
    Rule.PAIN_UNKNOWN_SOURCE: (Severity.WARNING, "Source is not one of the known sources."),
    Rule.PAIN_BLANK_DESCRIPTION: (Severity.WARNING, "A pain point has no description."),
    Rule.REC_BLANK_ID: (Severity.ERROR, "A recommendation has no ID."),
    Rule.REC_DUPLICATE_ID: (Severity.ERROR, "Two recommendations share an ID."),
    Rule.REC_UNKNOWN_PAIN: (
        Severity.WARNING,
        "Addresses names a pain-point ID that does not exist; that ID is ignored, the others are kept.",
    ),
    Rule.REC_BAD_REACH: (Severity.ERROR, "Reach is not a number of customers (0 or more)."),
    Rule.REC_BAD_IMPACT: (Severity.ERROR, "Impact is not on the RICE scale 0.25, 0.5, 1, 2, 3."),
    Rule.REC_BAD_CONFIDENCE: (Severity.ERROR, "Confidence is not a percentage from 0 to 100."),
    Rule.REC_BAD_EFFORT: (Severity.ERROR, "Effort is blank, zero, negative or not a number."),
    Rule.REC_CONFIDENCE_READ_AS: (
        Severity.WARNING,
        "Confidence is written as a fraction (0.8) in a column that also has percentages (80, 80%); "
        "says how it was read.",
    ),
    Rule.REC_NO_VALUE: (Severity.WARNING, "A recommendation addresses no pain point and has no Impact."),
    Rule.REC_EFFORT_WITH_UNIT: (
        Severity.WARNING,
        'Effort is written with a unit of weeks ("2 weeks"); it is read as that many person-weeks.',
    ),
    Rule.EVIDENCE_UNKNOWN_METRIC: (Severity.ERROR, "Metric is not CSAT, CES, NPS or Emotion."),
    Rule.EVIDENCE_BAD_SCORE: (Severity.ERROR, "Score is not a number on the metric's scale."),
    Rule.EVIDENCE_UNKNOWN_STAGE: (
        Severity.ERROR,
        "An evidence row has no stage, or one that is not in the Journey grid.",
    ),
    Rule.EVIDENCE_BAD_DATE: (Severity.WARNING, "Date is not a date."),
    Rule.EVIDENCE_UNKNOWN_PERSONA: (Severity.WARNING, "An evidence row names an unknown persona."),
    Rule.FUNNEL_COMPLETED_OVER_ENTERED: (Severity.ERROR, "More customers completed a stage than entered it."),
    Rule.FUNNEL_BAD_COUNT: (Severity.ERROR, "A funnel count is negative or not a number."),
    Rule.FUNNEL_UNKNOWN_STAGE: (Severity.ERROR, "A funnel row has no stage, or one that is not in the Journey grid."),
    Rule.PERSONA_BLANK: (Severity.ERROR, "A persona row has a weight or description but no name."),
    Rule.PERSONA_DUPLICATE: (Severity.ERROR, "Two personas have the same name."),
    Rule.PERSONA_BAD_WEIGHT: (Severity.ERROR, "A persona weight is negative or not a number."),
    Rule.PERSONA_WEIGHTS_NOT_100: (
        Severity.WARNING,
        "Persona weights do not add up to 100 %, or only some personas have one.",
    ),
    Rule.SETTING_UNKNOWN_KEY: (Severity.WARNING, "A Settings key the add-in does not know."),
    Rule.SETTING_BAD_VALUE: (Severity.ERROR, "A Settings value of the wrong kind; the default is used."),
    Rule.SETTING_DUPLICATE_KEY: (Severity.WARNING, "A Settings key appears twice; the first is used."),
    Rule.SOURCE_BAD_ROW: (
        Severity.ERROR,
        "An EvidenceSources row names no file, or an unknown format or metric, or Labels or Leave out "
        "that cannot be read; the row is not used.",
    ),
    Rule.SOURCE_UNKNOWN_QUESTION: (
        Severity.ERROR,
        "An EvidenceSources row names a question (or column) the source file does not have.",
    ),
    Rule.SOURCE_UNKNOWN_LABEL: (
        Severity.WARNING,
        "A source's answer is not a number on the metric's scale nor a known label; those answers are left out.",
    ),
    Rule.SOURCE_UNKNOWN_STAGE: (
        Severity.WARNING,
        "A source's answers (or events) name no stage of the Journey grid; they are left out.",
    ),
    Rule.SOURCE_UNKNOWN_PERSONA: (
        Severity.WARNING,
        "A source names a persona that is not in Personas; those answers count for all customers only.",
    ),
    Rule.SOURCE_UNMAPPED_EVENT: (
        Severity.WARNING,
        "Events of an event log that belong to no stage; they are left out of the funnel and paths.",
    ),
    Rule.SOURCE_FUNNEL_REPLACED: (
        Severity.WARNING,
        "An event log gives the funnel, so the Funnel sheet's rows are not used.",
    ),
    Rule.SOURCE_MIXED_DATES: (
        Severity.WARNING,
        "A source's date or event-time column has day-first (25/03) and month-first (03/25) dates; the default "
        "order is kept.",
    ),
    Rule.UNADDRESSED_PAIN: (Severity.WARNING, "A pain point that no recommendation addresses."),
    Rule.ASSUMED_LEVELS: (
        Severity.WARNING,
        "Severity or Frequency of pain points is assumed (3), not rated: read from the grid, or imported "
        "(the Import sheet says which); the results rest on it.",
    ),
    Rule.UNUSABLE_FILE: (
        Severity.ERROR,
        "The file cannot be used at all (missing, empty, not a workbook, old .xls, password-protected, "
        "damaged, open in Excel, or no Journey sheet); nothing was read or written.",
    ),
}
