"""One feeling row per persona ("Feeling – Anna", "Emotion (Ben)", "Carla's mood") is imported as the contract's
`Emotion: <persona>` lane, scored as the Emotion lane is, with the persona added to Personas (to confirm), so
the regenerated workbook has one emotion curve per persona."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from addin.adapters.xlsx_reader import read_workbook
from addin.core import pipeline
from addin.core.contract import Sheet
from addin.core.importing.vocabulary import persona_of_emotion_label
from addin.core.results import CurveSource
from addin.frontends.batch import check_one, regenerate_one
from addin.frontends.cli import main


@pytest.mark.parametrize(
    ("label", "persona"),
    [
        ("Feeling – Anna", "Anna"),
        ("Emotion (Ben)", "Ben"),
        ("Anna's mood", "Anna"),
        ("Anna’s Mood", "Anna"),
        ("FEELING: ANNA", "ANNA"),
        ("Emotion: Busy parent", "Busy parent"),
        ("Anna - Feeling", "Anna"),
        ("Mood — Jean-Luc (1-5)", "Jean-Luc"),
        ("Feeling (emoji) – Anna", "Anna"),
        ("Sentiment (Mary Ann) /10", "Mary Ann"),
        ("Feeling", None),
        ("Feeling (emoji)", None),
        ("Emotion (1-5)", None),
        ("Score (1-10)", None),
        ("Customer mood", None),
        ("Customer's feeling", None),
        ("Mood - overall", None),
        ("Feeling - happy", None),
        ("Emotion - TBD", None),
        ("Feeling: how they feel", None),
        ("Thoughts – Anna", None),
        ("Feeling - Anna - Ben", None),
    ],
)
def test_an_emotion_word_and_a_name_make_a_persona_emotion_lane(label: str, persona: str | None) -> None:
    assert persona_of_emotion_label(label) == persona


def test_your_own_emotion_synonym_names_a_persona_lane_too() -> None:
    from addin.core.contract import Lane

    assert persona_of_emotion_label("Vibe – Anna") is None
    assert persona_of_emotion_label("Vibe – Anna", {"vibe": Lane.EMOTION}) == "Anna"


def test_your_synonym_for_the_whole_label_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _across(tmp_path / "map.xlsx")
    synonyms = tmp_path / "synonyms.csv"
    synonyms.write_text("label,lane\nFeeling – Anna,Thoughts\n", encoding="utf-8")
    out = tmp_path / "journey.xlsx"
    assert main(["import", str(src), "--out", str(out), "--synonyms", str(synonyms), "--json"]) == 0
    decisions = json.loads(capsys.readouterr().out)
    (lane,) = [d for d in decisions if d["from"] == "map.xlsx Sheet1!B6"]
    assert lane["to"] == "Journey lane 'Thoughts'" and "your synonyms" in lane["decision"]
    assert "Personas Ben" in {d["to"] for d in decisions}


def _across(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["B1"] = "Journey - Persona: Anna, first-time buyer"
    rows: list[list[Any]] = [
        ["Stage", "Research >>", "Compare >>", "Buy"],
        ["Touchpoints", "Search ad", "Review site", "Checkout"],
        ["Feeling (emoji)", "🙂", "😕", "😡"],
        ["Feeling – Anna", "Curious", "very happy", "😡"],
        ["Emotion (Ben)", 1, 10, 7],
        ["carla's MOOD", 4, 2, 5],
        ["Pain points", "Ads look fake", "Too many options", "Fees shown late"],
    ]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=2):
            ws.cell(r, c, value)
    wb.save(path)
    return path


def _curves(raw: Any) -> dict[str | None, list[float | None]]:
    result = pipeline.results(raw)
    return {c.persona: list(c.values) for c in result.emotion if c.source is CurveSource.MAP}


def _import(src: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    assert main(["import", str(src), "--out", str(out), "--json"]) == 0
    decisions: list[dict[str, str]] = json.loads(capsys.readouterr().out)
    sheet = read_workbook(out, (Sheet.IMPORT.value,)).sheets[Sheet.IMPORT.value]
    assert [[cell or "" for cell in row] for row in sheet.rows[1:]] == [
        [d["from"], d["to"], d["decision"], d["confirm"]] for d in decisions
    ]
    return decisions


def test_stages_across_persona_lanes_become_persona_curves(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _across(tmp_path / "map.xlsx")
    out = tmp_path / "journey.xlsx"
    decisions = _import(src, out, capsys)
    by_from = {(d["from"], d["to"]): d for d in decisions}
    lane = by_from[("map.xlsx Sheet1!B6", "Journey lane 'Emotion: Anna'")]
    assert lane["decision"] == "'Feeling – Anna' read as Emotion: Anna (a persona's emotion)"
    assert by_from[("map.xlsx Sheet1!B7", "Journey lane 'Emotion: Ben'")]
    assert by_from[("map.xlsx Sheet1!B8", "Journey lane 'Emotion: carla'")]
    ben = by_from[("map.xlsx Sheet1!B7", "Journey Emotion: Ben")]
    assert ben["decision"].startswith("3 numbers of 'Emotion (Ben)' read on the scale 1-10") and ben["confirm"]
    assert by_from[("map.xlsx Sheet1!E6", "Journey Emotion: Anna")]["decision"] == "'😡' read as -2 (emoji list)"
    added = {d["to"]: d for d in decisions if d["to"].startswith("Personas ")}
    assert sorted(added) == ["Personas Anna", "Personas Ben", "Personas carla"]
    assert added["Personas Anna"]["from"] == "map.xlsx Sheet1!B1"  # the title named her first: not added twice
    assert added["Personas Ben"]["decision"] == "a persona named by the emotion lane 'Emotion (Ben)'"
    assert all(d["confirm"] for d in added.values())

    raw = read_workbook(out)
    personas = [row[:2] for row in raw.sheets[Sheet.PERSONAS.value].rows[1:]]
    assert personas == [["Anna", "first-time buyer"], ["Ben", None], ["carla", None]]
    assert regenerate_one(out, None, None).status == 0
    assert not [f for f in check_one(out).findings if f["sheet"] == Sheet.JOURNEY.value]
    assert _curves(read_workbook(out)) == {
        None: [1.0, -1.0, -2.0],
        "Anna": [1.0, 2.0, -2.0],
        "Ben": [-2.0, 2.0, 0.67],
        "carla": [1.0, -1.0, 2.0],
    }


def _transposed(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Stages"
    for row in (
        ["Journey stage", "Customer Goal", "Feeling", "Emotion: Dana", "Feeling — Eve (1-5)", "Finn - mood"],
        ["Plan", "Know the options", 2, "nervous", 5, "🙂"],
        ["Try", "See it work", 0, "it was a long day", 3, "😍"],
        ["Buy", "Pay once", -1, "Relieved", 1, "😡"],
    ):
        ws.append(row)
    wb.save(path)
    return path


def test_transposed_persona_columns_become_persona_curves(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _transposed(tmp_path / "stages.xlsx")
    out = tmp_path / "journey.xlsx"
    decisions = _import(src, out, capsys)
    lanes = {d["to"]: d["decision"] for d in decisions if d["to"].startswith("Journey lane ")}
    assert lanes["Journey lane 'Emotion: Eve'"] == "'Feeling — Eve (1-5)' read as Emotion: Eve (a persona's emotion)"
    assert lanes["Journey lane 'Emotion: Finn'"] == "'Finn - mood' read as Emotion: Finn (a persona's emotion)"
    assert "Journey lane 'Emotion: Dana'" not in lanes  # written as the contract has it: nothing to say
    (unscored,) = [d for d in decisions if d["from"] == "stages.xlsx Stages!D3"]
    assert unscored["to"] == "Journey Emotion: Dana" and unscored["confirm"]
    assert "kept in the 'Feelings (as written): Dana' lane" in unscored["decision"]
    added = sorted(d["to"] for d in decisions if d["to"].startswith("Personas "))
    assert added == ["Personas Dana", "Personas Eve", "Personas Finn"]

    assert regenerate_one(out, None, None).status == 0
    assert main(["results", str(out)]) == 0
    emotion = json.loads(capsys.readouterr().out)["emotion"]
    curves = {c["persona"]: c["values"] for c in emotion if c["source"] == "map"}
    assert curves == {
        None: [2.0, 0.0, -1.0],
        "Dana": [-1.0, None, 1.0],
        "Eve": [2.0, 0.0, -2.0],
        "Finn": [1.0, 2.0, -2.0],
    }
    journey = read_workbook(out).sheets[Sheet.JOURNEY.value].rows
    written = next(row for row in journey if row[0] == "Feelings (as written): Dana")
    assert written[1:] == ["nervous", "it was a long day", "Relieved"]
