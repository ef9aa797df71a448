"""The README's import section lists the synonym table, the emotion words and the level words as the code has them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from addin.core.contract import Lane
from addin.core.importing.emotion import EMOJI, EMOTION_WORDS
from addin.core.importing.vocabulary import (
    FREQUENCY_WORDS,
    LANE_KEYWORDS,
    LANE_SYNONYMS,
    NOT_PERSONAS,
    PLACEHOLDERS,
    SEVERITY_WORDS,
)

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def lanes_table() -> str:
    lines = ["| lane | synonyms (whole label) | keywords (part of the label) |", "|---|---|---|"]
    for lane in Lane:
        words = ", ".join(LANE_SYNONYMS[lane])
        keys = ", ".join(k for k, target in LANE_KEYWORDS if target is lane) or "-"
        lines.append(f"| {lane.value} | {words} | {keys} |")
    return "\n".join(lines)


def emotions_table() -> str:
    lines = ["| emotion | words | emoji and smileys |", "|---|---|---|"]
    for value in (2, 1, 0, -1, -2):
        words = ", ".join(w for w, v in EMOTION_WORDS.items() if v == value)
        emoji = " ".join(e for e, v in EMOJI.items() if v == value).replace("|", "\\|")
        lines.append(f"| {value:+d} | {words} | {emoji} |".replace("| +0 |", "| 0 |"))
    return "\n".join(lines)


def levels_table() -> str:
    lines = ["| level | Severity words | Frequency words |", "|---|---|---|"]
    for level in (5, 4, 3, 2, 1):
        sev = ", ".join(w for w, v in SEVERITY_WORDS.items() if v == level)
        freq = ", ".join(w for w, v in FREQUENCY_WORDS.items() if v == level)
        lines.append(f"| {level} | {sev} | {freq} |")
    return "\n".join(lines)


def placeholders_line() -> str:
    return ", ".join(f"`{p}`" for p in PLACEHOLDERS)


def not_personas_line() -> str:
    return ", ".join(f"`{p}`" for p in NOT_PERSONAS)


@pytest.mark.parametrize(
    ("marker", "make"),
    [
        ("import-lanes", lanes_table),
        ("import-emotions", emotions_table),
        ("import-levels", levels_table),
        ("import-placeholders", placeholders_line),
        ("import-not-personas", not_personas_line),
    ],
)
def test_readme_lists_the_import_words_as_the_code_has_them(marker: str, make: object) -> None:
    assert callable(make)
    block = README.split(f"<!-- {marker}:start -->")[1].split(f"<!-- {marker}:end -->")[0].strip()
    assert block == make(), f"Paste the output of tests.importing.test_docs_import.{make.__name__}() into the README"


def test_readme_before_and_after_is_what_import_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from addin.frontends.cli import main
    from tests.importing.corpus import write_title_grid

    (src,) = write_title_grid(tmp_path)
    assert main(["import", str(src), "--out", str(tmp_path / "journey.xlsx"), "--json"]) == 0
    decisions = json.loads(capsys.readouterr().out)
    section = README.split("### Before and after")[1].split("### What import cannot know")[0]
    confirm = sum(1 for d in decisions if d["confirm"])
    assert f"{len(decisions)} decisions on the Import sheet ({confirm} to confirm)" in section
    for d in decisions:
        row = f"| {d['from']} | {d['to']} | {d['decision']} | {d['confirm']} |".replace("|  |", "| |")
        if d["from"].endswith(("!C4", "!B10", "!E10", "!E9")) or d["decision"].startswith("read as"):
            assert row in section, row


def test_readme_documents_the_import_command() -> None:
    assert "| `import SOURCE... --out NEW.xlsx" in README
    assert "## Import a journey you already have" in README
