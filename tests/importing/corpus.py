"""A corpus of journey maps as people make them (not our contract), written by code into a folder.

Each `Layout` writes its source files and says what import must find: the stages in order, the
lanes, the number of pain points and the emotion per stage (None where the map gives none).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class Layout:
    key: str
    write: Callable[[Path], list[Path]]
    stages: list[str]
    lanes: set[str]
    pains: int
    emotion: list[float | None]
    pattern: str


def _put(ws: Worksheet, top: int, left: int, rows: list[list[Any]]) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.cell(top + r, left + c, value)


def _book(path: Path, sheets: dict[str, Callable[[Worksheet], None]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, fill in sheets.items():
        fill(wb.create_sheet(name))
    wb.save(path)
    return path


def _csv(path: Path, rows: list[list[Any]], sep: str = ",", bom: bool = False, encoding: str = "utf-8") -> Path:
    def cell(v: Any) -> str:
        text = "" if v is None else str(v)
        return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in (sep, '"', "\n")) else text

    data = "\r\n".join(sep.join(cell(v) for v in row) for row in rows).encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


# ---------------------------------------------------------------- 1. a merged title, stages across with ">>"

TITLE = "Customer Journey Map - Persona: Anna, first-time buyer"


def _title_grid(ws: Worksheet) -> None:
    ws["B1"] = TITLE
    ws.merge_cells("B1:F1")
    ws["B2"] = "Fill in each cell below. Rate nothing you did not observe."
    _put(
        ws,
        4,
        2,
        [
            ["Stage", "Research >>", "Compare >>", "Buy >>", "Use"],
            ["Customer Goal", "Find a gift", "Pick the best", "Pay safely", "Enjoy it"],
            ["Doing (tasks)", "Searches", "Reads reviews", "Checks out", "Unpacks"],
            ["Customer Interaction", "Search ad", "Review site", "Checkout page", "Box"],
            ["Thinking", "Is it legit?", "Too many options", "Hidden costs?", "Nice"],
            ["Feeling (emoji)", "🙂", "😕", "😡", "😍"],
            [
                "Painpoints in each step e.g. waiting times",
                "Fill in",
                "- Reviews look fake\n- No size guide",
                "Shipping cost shown late",
                None,
            ],
            ["Opportunity for future state e.g. chat", "Better ads", "Verified reviews", "Show costs early", None],
            ["KPI", "CTR", "Time on page", "Conversion", "Returns"],
        ],
    )


def write_title_grid(folder: Path) -> list[Path]:
    return [_book(folder / "Customer_Journey_Map.xlsx", {"Sheet1": _title_grid})]


# ---------------------------------------------------------------- 2. numbered stages, CSV with ";" and a BOM


def write_numbered_csv(folder: Path) -> list[Path]:
    rows = [
        ["Phase", "1. Plan", "2. Validate / Test", "3. Launch"],
        ["Goal or objective", "Know what to build", "Prove it works", "Get users"],
        ["Customer Actions", "Interviews", "Prototype tests", "Release"],
        ["Touchpoints", "Calls", "Prototype", "App store"],
        ["Emotion", "Curious", "Excited / Concerned", "nervous"],
        ["Pain points", "No time; unclear owner", "TBD", "Store review is slow"],
        ["Brand Opportunities", "Templates", "Fill in", "Launch kit"],
    ]
    return [_csv(folder / "product_journey.csv", rows, sep=";", bom=True)]


# ---------------------------------------------------------------- 3. transposed: stages down, scores 1-5


def _transposed(ws: Worksheet) -> None:
    _put(
        ws,
        1,
        1,
        [
            [
                "Journey stage",
                "Customer Goal",
                "Customer Thoughts",
                "Emotion (1-5)",
                "Pain points",
                "Improvement Opportunity",
            ],
            ["Discover", "Hear about us", "Sounds useful", 4, "Ads feel generic", "Referral cards"],
            ["Sign up", "Create an account", "Too many fields", 2, "Long form\nEmail not verified", "Short form"],
            ["Onboard", "Get started", "Where do I start?", 3, None, "Guided tour"],
            ["Renew", "Keep value", "Worth it", 5, "Price rise", None],
        ],
    )


def write_transposed(folder: Path) -> list[Path]:
    return [_book(folder / "transposed.xlsx", {"Map": _transposed})]


# ---------------------------------------------------------------- 4. one row per touchpoint, the stage repeated


def write_touchpoint_rows(folder: Path) -> list[Path]:
    rows = [
        ["Stage", "Touchpoint", "Channel", "Customer Actions", "Feeling", "Pain point"],
        ["Awareness", "Instagram ad", "Social", "Scrolls", "Curious", None],
        ["Awareness", "Friend", "Word of mouth", "Asks", "Happy", None],
        ["Purchase", "Checkout", "Web", "Pays", "Frustrated", "Card declined"],
        ["Purchase", "Payment page", "Web", "Retries", "Angry", "Timeout; lost basket"],
        ["Support", "Chat", "Chat", "Asks for help", "Relieved", "Slow first answer"],
    ]
    return [_csv(folder / "touchpoints.csv", rows)]


# ---------------------------------------------------------------- 5. a grid and a pain table on one sheet


def _two_tables(ws: Worksheet) -> None:
    _put(
        ws,
        1,
        1,
        [
            ["Lane", "Browse", "Checkout", "Delivery"],
            ["Actions", "Looks around", "Pays", "Waits"],
            ["Emotion", 1, -1, 0],
            ["Pain points", "Slow search", "Surprise fees; No guest checkout", "No tracking"],
            [],
            ["Pain point", "Stage", "Severity", "Frequency"],
            ["Surprise fees", "Checkout", "High", "Often"],
            ["No tracking", "Delivery", "Medium", None],
            ["Slow search", "Browse", "Low", "Rarely"],
        ],
    )


def write_two_tables(folder: Path) -> list[Path]:
    return [_book(folder / "two_tables.xlsx", {"Journey map": _two_tables})]


# ---------------------------------------------------------------- 6. a grid and a 1-10 score table side by side


def _side_by_side(ws: Worksheet) -> None:
    _put(
        ws,
        2,
        1,
        [
            ["", "Search", "Book", "Stay"],
            ["Touchpoints", "Website", "Booking form", "Hotel"],
            ["Customer Expectation", "Fast", "Simple", "Clean room"],
            ["Pain points", "Too many filters", "Form resets on error", "Noisy"],
        ],
    )
    _put(ws, 2, 6, [["Stage", "Satisfaction (1-10)"], ["Search", 8], ["Book", 3], ["Stay", 10]])


def write_side_by_side(folder: Path) -> list[Path]:
    return [_book(folder / "hotel.xlsx", {"Sheet1": _side_by_side})]


# ---------------------------------------------------------------- 7. a draft and a completed copy on two sheets


def _draft(ws: Worksheet) -> None:
    _put(
        ws,
        1,
        1,
        [
            ["", "Apply", "Wait", "Start"],
            ["Goals", "Get the job", "Fill in", "Fill in"],
            ["Touchpoints", "Careers page", "Fill in", "TBD"],
            ["Pain points", "Fill in", "Fill in", "Fill in"],
        ],
    )


def _completed(ws: Worksheet) -> None:
    _put(
        ws,
        1,
        1,
        [
            ["", "Apply", "Wait", "Start"],
            ["Goals", "Get the job", "Hear back", "Fit in"],
            ["Touchpoints", "Careers page", "Email", "Office"],
            ["Emotion", "Hopeful", "Anxious", "Excited"],
            ["Pain points", "Long form", "No news for weeks", "No laptop on day 1"],
        ],
    )


def write_draft_and_completed(folder: Path) -> list[Path]:
    return [_book(folder / "hiring.xlsx", {"Draft": _draft, "Completed": _completed})]


# ---------------------------------------------------------------- 8. a whiteboard export (CSV, Windows-1252)


def write_whiteboard(folder: Path) -> list[Path]:
    rows = [
        ["Empathy journey - exported from board"],
        [],
        ["", "Arrive", "Order", "Pay"],
        ["Saying", "“Where do I sit?”", "What’s good here?", "Can I split?"],
        ["Doing", "Looks for a table", "Reads menu", "Waits for bill"],
        ["Thinking", "None captured on board", "Too pricey?", "Hurry up"],
        ["Feeling", "nervous", "Very Happy", "impatient"],
        ["Pain points", "No host at door", "None captured on board", "Bill takes 15 min; card reader broken"],
        ["Opportunities", "Greeter", "Specials board", "Pay at table"],
    ]
    return [_csv(folder / "board_export.csv", rows, encoding="cp1252")]


# ---------------------------------------------------------------- 9. a grid file and a touchpoint table file


def _grid_only(ws: Worksheet) -> None:
    _put(
        ws,
        1,
        1,
        [
            ["", "Order", "Deliver", "Use"],
            ["Goals", "Get it cheap", "Get it fast", "Make it work"],
            ["Emotion", "Happy", "Worried", "Satisfied"],
            ["Pain points", "Coupon fails", None, "Manual unclear"],
        ],
    )


def write_grid_plus_touchpoints(folder: Path) -> list[Path]:
    grid = _book(folder / "journey_grid.xlsx", {"Journey": _grid_only})
    rows = [
        ["Phase", "Touchpoint", "Channel", "Pain points"],
        ["order", "Basket", "Web", "Coupon fails"],
        ["Deliver", "Courier", "Van", "Missed delivery"],
        ["Returns", "Returns portal", "Web", "Label does not print"],
    ]
    return [grid, _csv(folder / "touchpoint_table.csv", rows)]


# ---------------------------------------------------------------- 10. emoji, sentences and words, an unknown lane


def _sentences(ws: Worksheet) -> None:
    _put(
        ws,
        3,
        3,
        [
            ["Stages", "Explore", "Decide", "Onboard", "Grow"],
            ["Customer Thoughts", "Lots to learn", "Which plan?", "How do I invite?", "More seats"],
            ["Current Experience", "😀 I feel good about it", "It depends on the day", "Very Happy", "😢"],
            ["Marketing Channel", "Blog", "Pricing page", "Email", "In-app"],
            ["Mood board", "blue", "green", None, None],
            ["Pain points", "Jargon", "• Plans unclear • No trial", "Invite link expires", "TBC"],
        ],
    )
    ws.merge_cells("C1:G1")
    ws["C1"] = "SaaS journey"


def write_sentences(folder: Path) -> list[Path]:
    return [_book(folder / "saas.xlsx", {"Journey v2": _sentences})]


# ---------------------------------------------------------------- 11. a map and a separate 1-5 score table


def _map_no_emotion(ws: Worksheet) -> None:
    _put(
        ws,
        1,
        1,
        [
            ["", "Visit", "Treat", "Follow up"],
            ["Touchpoints", "Reception", "Doctor", "Phone"],
            ["Actions", "Checks in", "Is examined", "Calls back"],
            ["Pain points", "Queue; forms on paper", "Rushed", "Nobody answers"],
        ],
    )


def _scores(ws: Worksheet) -> None:
    _put(ws, 1, 1, [["Stage", "Score"], ["Visit", 2], ["Treat", 4], ["Follow up", 1]])


def write_score_table(folder: Path) -> list[Path]:
    return [_book(folder / "clinic.xlsx", {"Map": _map_no_emotion, "Scores": _scores})]


# ---------------------------------------------------------------- 12. an .xlsm with more lane names


def _xlsm(ws: Worksheet) -> None:
    _put(
        ws,
        1,
        1,
        [
            ["", "Step 1: Find", "Step 2: Try", "Step 3: Buy"],
            ["Marketing Channel", "Search", "Trial", "Sales call"],
            ["Customer Expectation", "Clear price", "Works at once", "Fair contract"],
            ["Moments of truth", None, "First login", None],
            ["Feelings", "interested", "confused", "confident"],
            ["Problems", "Price hidden", "Setup needs IT", "Contract 20 pages"],
        ],
    )


def write_xlsm(folder: Path) -> list[Path]:
    return [_book(folder / "b2b.xlsm", {"Tabelle1": _xlsm})]


# ---------------------------------------------------------------- 13. a pain table with 1-10 severities and a grid


def _pains_1_10(ws: Worksheet) -> None:
    _put(
        ws,
        1,
        1,
        [
            ["Stage", "Phone", "Web"],
            ["Touchpoints", "Hotline", "Portal"],
            ["Emotion", -2, 1],
        ],
    )
    _put(
        ws,
        6,
        1,
        [
            ["ID", "Issue", "Stage", "Priority", "Persona"],
            ["PP-1", "Hold music for 20 min", "Phone", 9, "Senior"],
            ["PP-2", "Password rules unclear", "Web", 4, None],
            ["PP-3", "Chat hidden", "Web", "Low", None],
        ],
    )


def write_pains_1_10(folder: Path) -> list[Path]:
    return [_book(folder / "support.xlsx", {"Support": _pains_1_10})]


LAYOUTS: list[Layout] = [
    Layout(
        "title-grid",
        write_title_grid,
        ["Research", "Compare", "Buy", "Use"],
        {"Goals", "Actions", "Touchpoints", "Thoughts", "Emotion", "Pain points", "Opportunities", "KPIs"},
        3,
        [1, -1, -2, 2],
        "merged title, title rows, header off A1, '>>' stages, emoji, newline list, 'Fill in'",
    ),
    Layout(
        "numbered-csv",
        write_numbered_csv,
        ["Plan", "Validate / Test", "Launch"],
        {"Goals", "Actions", "Touchpoints", "Emotion", "Pain points", "Opportunities"},
        3,
        [1, 0.5, -1],
        "CSV ';' with BOM, '1. Plan', emotion words, semicolon list, TBD",
    ),
    Layout(
        "transposed",
        write_transposed,
        ["Discover", "Sign up", "Onboard", "Renew"],
        {"Goals", "Thoughts", "Emotion", "Pain points", "Opportunities"},
        4,
        [1, -1, 0, 2],
        "stages down, scores 1-5, newline list",
    ),
    Layout(
        "touchpoint-rows",
        write_touchpoint_rows,
        ["Awareness", "Purchase", "Support"],
        {"Touchpoints", "Channels", "Actions", "Emotion", "Pain points"},
        4,
        [1, -1.5, 1],
        "one row per touchpoint, stage repeated, CSV",
    ),
    Layout(
        "two-tables",
        write_two_tables,
        ["Browse", "Checkout", "Delivery"],
        {"Actions", "Emotion", "Pain points"},
        4,
        [1, -1, 0],
        "grid and a pain table (High/Medium/Low) on one sheet",
    ),
    Layout(
        "side-by-side",
        write_side_by_side,
        ["Search", "Book", "Stay"],
        {"Touchpoints", "Expectations", "Pain points", "Emotion"},
        3,
        [1.11, -1.11, 2],
        "grid and a 1-10 score table side by side",
    ),
    Layout(
        "draft-and-completed",
        write_draft_and_completed,
        ["Apply", "Wait", "Start"],
        {"Goals", "Touchpoints", "Emotion", "Pain points"},
        3,
        [1, -1, 2],
        "a draft and a completed copy on two sheets",
    ),
    Layout(
        "whiteboard",
        write_whiteboard,
        ["Arrive", "Order", "Pay"],
        {"Thoughts", "Actions", "Emotion", "Pain points", "Opportunities"},
        3,
        [-1, 2, -1],
        "whiteboard CSV export (Windows-1252), 'None captured on board'",
    ),
    Layout(
        "grid-plus-touchpoints",
        write_grid_plus_touchpoints,
        ["Order", "Deliver", "Use", "Returns"],
        {"Goals", "Emotion", "Pain points", "Touchpoints", "Channels"},
        4,
        [1, -1, 1, None],
        "a grid file joined with a touchpoint table file",
    ),
    Layout(
        "sentences",
        write_sentences,
        ["Explore", "Decide", "Onboard", "Grow"],
        {"Thoughts", "Emotion", "Channels", "Pain points"},
        4,
        [1, None, 2, -2],
        "emoji, sentences, 'Very Happy', inline bullets, an unknown lane",
    ),
    Layout(
        "score-table",
        write_score_table,
        ["Visit", "Treat", "Follow up"],
        {"Touchpoints", "Actions", "Pain points", "Emotion"},
        4,
        [-1, 1, -2],
        "a map and a separate 1-5 score table on another sheet",
    ),
    Layout(
        "xlsm",
        write_xlsm,
        ["Find", "Try", "Buy"],
        {"Channels", "Expectations", "Moments of truth", "Emotion", "Pain points"},
        3,
        [1, -1, 1],
        ".xlsm, 'Step 1: Find'",
    ),
    Layout(
        "pains-1-10",
        write_pains_1_10,
        ["Phone", "Web"],
        {"Touchpoints", "Emotion"},
        3,
        [-2, 1],
        "a grid and a pain table with 1-10 priorities, words and a persona",
    ),
]
