"""Small journeys built in code, as the raw sheets a reader would produce."""

from __future__ import annotations

from typing import Any

from addin.core.contract import COLUMNS, Sheet
from addin.core.model import RawSheet, RawWorkbook


def raw_workbook(
    stages: list[str],
    lanes: dict[str, list[Any]] | None = None,
    personas: list[list[Any]] | None = None,
    pain_points: list[list[Any]] | None = None,
    recommendations: list[list[Any]] | None = None,
    evidence: list[list[Any]] | None = None,
    funnel: list[list[Any]] | None = None,
    settings: list[list[Any]] | None = None,
) -> RawWorkbook:
    """A RawWorkbook whose sheets hold a header row and the given rows (row 2 on)."""
    grid = [["Lane", *stages]] + [[lane, *values] for lane, values in (lanes or {}).items()]
    sheets = {Sheet.JOURNEY.value: RawSheet(Sheet.JOURNEY.value, grid)}

    def table(sheet: Sheet, rows: list[list[Any]] | None) -> None:
        if rows is None:
            return
        header = [c.value for c in COLUMNS[sheet]]
        sheets[sheet.value] = RawSheet(sheet.value, [header, *[list(r) for r in rows]])

    table(Sheet.PERSONAS, personas if personas is not None else [])
    table(Sheet.PAIN_POINTS, pain_points if pain_points is not None else [])
    table(Sheet.RECOMMENDATIONS, recommendations if recommendations is not None else [])
    table(Sheet.EVIDENCE, evidence)
    table(Sheet.FUNNEL, funnel)
    table(Sheet.SETTINGS, settings if settings is not None else [])
    return RawWorkbook("test.xlsx", sheets)


def worked_example() -> RawWorkbook:
    """The README's worked example (keep the two in step)."""
    return raw_workbook(
        stages=["Browse", "Buy", "Use"],
        lanes={"Emotion": [1, -2, 0], "Touchpoints": ["Website", "Checkout", "Help centre"]},
        personas=[["Alex", "Shops often", 60], ["Bo", "Shops rarely", 40]],
        pain_points=[
            ["P1", "Buy", "Checkout", "Web", "Alex", "Shipping cost shown late", 5, 4, "analytics"],
            ["P2", "Buy", "Payment", "App", "Bo", "Card declined", 3, 5, "support"],
            ["P3", "Use", "Help centre", "Chat", None, "Slow answers", 2, 3, "survey"],
        ],
        recommendations=[
            ["R1", "Show shipping cost early", "P1", 1000, None, 80, 2, "Web team", "Idea"],
            ["R2", "Retry payments", "P2, P3", 500, 2, "50%", 1, "Payments", "Idea"],
            ["R3", "Chatbot for FAQs", "P3", 2000, None, 1.0, 4, "Support", "Idea"],
        ],
    )
