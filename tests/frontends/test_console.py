"""What the command line says: regenerate names its findings as check does, help has a description, options
are checked, scores read as a person reads them, and the console never says "nan" for a blank cell."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from addin.frontends.cli import main

MISSING = re.compile(r"\b(nan|NaN|None|NaT)\b")


def broken_evidence(shop: Path, bad_rows: int) -> Path:
    """The example with `bad_rows` evidence scores off the scale (E02, an error each) and R01's title blank."""
    wb = openpyxl.load_workbook(shop)
    ws = wb["Evidence"]
    for r in range(2, 2 + bad_rows):
        ws.cell(r, 7).value = 99
    wb["Recommendations"]["B2"] = None
    wb.save(shop)
    return shop


def finding_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("    ")]


def test_regenerate_prints_the_findings_as_check_does_capped_the_same(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_evidence(shop, 30)
    assert main(["check", str(shop)]) == 1
    checked = capsys.readouterr().out
    assert main(["regenerate", str(shop)]) == 1
    regenerated = capsys.readouterr().out
    lines = finding_lines(regenerated)
    assert lines and lines == finding_lines(checked)
    e02 = [line for line in lines if " E02 " in line]
    assert len(e02) == 26, "25 shown, then one line with the count"
    assert e02[0].startswith("    error   E02 G2: ")
    assert "... and 5 more rows with the same problem (30 in all)." in e02[-1]
    assert "  Evidence:" in regenerated.splitlines()
    head = regenerated.splitlines()[0]
    assert head.startswith(f"{shop}: ") and " errors, " in head
    assert "30 evidence rows left out because of errors: see Validation (E02)." in head
    assert not MISSING.search(regenerated) and not MISSING.search(checked)


def test_quiet_regenerate_still_prints_errors_but_not_a_clean_file(
    shop: Path, example_files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = tmp_path / "clean.xlsx"
    clean.write_bytes(example_files["saas-onboarding"].read_bytes())
    broken_evidence(shop, 1)
    assert main(["regenerate", "--quiet", str(shop), str(clean)]) == 1
    out = capsys.readouterr().out
    assert " E02 G2: " in out
    assert str(clean) not in out


def test_check_json_and_console_say_nothing_of_nan_for_a_blank_title(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_evidence(shop, 0)
    assert main(["check", "--json", str(shop)]) == 0
    text = capsys.readouterr().out
    json.loads(text)
    assert not MISSING.search(text)
    assert main(["regenerate", str(shop)]) == 0
    out = capsys.readouterr().out
    assert not MISSING.search(out)
    wb = openpyxl.load_workbook(shop)
    for name in ("Validation", "Heatmap", "Priorities", "Dashboard"):
        for row in wb[name].iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and MISSING.search(value)), (name, value)
    dashboard = [v for row in wb["Dashboard"].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert "Fix first: R01 (no title) (score 56,700, quick win)." in dashboard
    assert "R01" in dashboard


@pytest.mark.parametrize("command", ["demo", "new", "check", "regenerate"])
def test_help_of_each_command_has_a_description(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    paragraphs = [p for p in out.split("\n\n") if p.strip()]
    assert paragraphs[0].startswith(f"usage: python -m addin {command}")
    description = " ".join(paragraphs[1].split())
    assert not description.startswith(("positional arguments", "options")), out
    assert description.endswith(".") and len(description) > 60, description


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_jobs_must_be_one_or_more(jobs: str, shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = shop.read_bytes()
    with pytest.raises(SystemExit) as stop:
        main(["regenerate", "--jobs", jobs, str(shop)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --jobs: '{jobs}' is not a number of workbooks to process at once; use 1 or more" in err
    assert shop.read_bytes() == before


def test_new_example_does_not_ask_to_fill_in_what_is_filled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / "shop.xlsx"), "--example", "online-shop"]) == 0
    said = capsys.readouterr().out
    assert "fill in" not in said.lower()
    assert "already filled in" in said and "python -m addin regenerate" in said
    assert main(["new", str(tmp_path / "blank.xlsx")]) == 0
    assert "Fill in the input sheets" in capsys.readouterr().out


def test_demo_prints_scores_as_a_person_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "(score 56,700, quick win)" in out
    assert not re.search(r"\d,\d{3}\.0\b", out), out


@pytest.mark.parametrize(
    ("x", "said"),
    [(56700.0, "56,700"), (1152.4, "1,152"), (12.5, "12.5"), (12.0, "12"), (0.75, "0.75"), (3.0, "3"), (0.0, "0")],
)
def test_numbers_keep_decimals_only_where_they_mean_something(x: float, said: str) -> None:
    from addin.core.words import number

    assert number(x) == said


def test_drop_down_prompts_use_a_or_an_by_the_word(example_files: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(example_files["blank"])
    errors = {dv.error for ws in wb.worksheets for dv in ws.data_validations.dataValidation if dv.error}
    assert "Pick an Impact from the list (you can keep your value)." in errors
    assert "Pick a Severity from the list (you can keep your value)." in errors
    assert not [e for e in errors if re.search(r"\ba [AEIOUaeiou]", e)], errors


def test_readme_set_up_starts_from_nothing() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    assert "git clone" in setup and "cd addin" in setup
    assert "python3 -m venv .venv" in setup and "PEP 668" in setup
    assert re.search(r"about \d+ minutes", setup), "how long the tests take"
    assert "(docs/CONTRACT.md)" in setup and (Path(__file__).resolve().parents[2] / "docs" / "CONTRACT.md").is_file()
    assert "../shared" not in readme
