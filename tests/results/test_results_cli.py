"""`python -m addin results`: JSON on stdout or tidy CSV tables, nothing written into the workbook."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from addin.frontends.cli import main
from tests.results.golden import EXAMPLES, ROOT

SCHEMA = json.loads((ROOT / "docs" / "results.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.xlsx"
    shutil.copyfile(EXAMPLES["online-shop"], path)
    return path


def _broken(tmp_path: Path) -> Path:
    """The example with one pain point's Severity out of range (a P04 error)."""
    from openpyxl import load_workbook

    path = tmp_path / "broken.xlsx"
    wb = load_workbook(EXAMPLES["online-shop"])
    ws = wb["PainPoints"]
    col = [c.value for c in ws[1]].index("Severity") + 1
    ws.cell(2, col).value = 9
    wb.save(path)
    return path


def test_one_file_prints_json_that_follows_the_schema_and_leaves_the_file_alone(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (shop.read_bytes(), os.stat(shop).st_mtime_ns)
    assert main(["results", str(shop)]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, SCHEMA)
    assert data["source"] == str(shop)
    assert data["journey_name"] == "Online shop: first order to loyal customer"
    assert data["priorities"]["recommendations"][0]["rank"] == 1
    assert (shop.read_bytes(), os.stat(shop).st_mtime_ns) == before


def test_several_files_print_one_array_and_the_worst_status(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _broken(tmp_path)
    assert main(["results", str(shop), str(broken)]) == 1
    captured = capsys.readouterr()
    documents = json.loads(captured.out)
    assert [d["source"] for d in documents] == [str(shop), str(broken)]
    for d in documents:
        jsonschema.validate(d, SCHEMA)
    rules = [f["rule"] for f in documents[1]["findings"] if f["severity"] == "error"]
    assert rules == ["P04"]
    assert len(documents[1]["pain_points"]) == len(documents[0]["pain_points"]) - 1  # the row with the error is out


def test_an_unusable_file_is_one_sentence_and_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    assert main(["results", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(bad) in captured.err and "Traceback" not in captured.err


def test_json_files_into_a_folder(shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["results", str(shop), "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    (written,) = out.iterdir()
    assert written.name == "shop.results.json"
    jsonschema.validate(json.loads(written.read_text(encoding="utf-8")), SCHEMA)


def _table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_is_three_tidy_tables(shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tables"
    assert main(["results", str(shop), "--format", "csv", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["shop-heatmap.csv", "shop-recommendations.csv", "shop-stages.csv"]
    assert main(["results", str(shop)]) == 0
    data = json.loads(capsys.readouterr().out)
    stages = _table(out / "shop-stages.csv")
    # one row per stage x metric: the pain of each stage is there once, with the value the JSON holds
    pain = {r["stage"]: float(r["value"]) for r in stages if r["metric"] == "pain"}
    assert pain == {s["stage"]: s["pain"] for s in data["stage_results"]}
    keys = [(r["stage"], r["metric"], r["persona"]) for r in stages]
    assert len(keys) == len(set(keys))
    csat = {r["stage"]: (float(r["value"]), int(r["n"])) for r in stages if r["metric"] == "csat"}
    assert csat == {
        s["stage"]: (s["metrics"]["csat"]["value"], s["metrics"]["csat"]["n"])
        for s in data["stage_results"]
        if s["metrics"]["csat"]["n"]
    }
    # the key drivers' derived importance per stage, with its interval and the respondents as n
    drivers = data["key_drivers"]
    importance = {
        r["stage"]: (float(r["value"]), int(r["n"]), float(r["low"]), float(r["high"]))
        for r in stages
        if r["metric"] == "key_driver_importance"
    }
    assert importance == {
        d["stage"]: (d["importance"], drivers["respondents"], d["low"], d["high"]) for d in drivers["rows"]
    }
    assert "Loyalty" in drivers["left_out"] and "Loyalty" not in importance
    heat = _table(out / "shop-heatmap.csv")
    cells = sum(len(h["rows"]) * len(data["stages"]) for h in data["heatmaps"])
    assert len(heat) == cells
    assert {r["dimension"] for r in heat} == {"Touchpoint", "Channel", "Persona"}
    recs = _table(out / "shop-recommendations.csv")
    assert [r["id"] for r in recs] == [r["id"] for r in data["priorities"]["recommendations"]]
    assert float(recs[0]["score"]) == data["priorities"]["recommendations"][0]["score"]


def test_csv_needs_a_folder(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["results", str(shop), "--format", "csv"]) == 2
    assert "--out DIR" in capsys.readouterr().err


def test_the_command_runs_as_python_m_addin(shop: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "addin", "results", str(shop)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    jsonschema.validate(json.loads(done.stdout), SCHEMA)
