"""`check` and `regenerate` read the listed sources on every run; a missing one leaves the workbook as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.sources import exports


def _list_sources(book: Path, rows: list[list[str]]) -> None:
    wb = load_workbook(book)
    ws = wb["EvidenceSources"]
    header = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for name, value in zip(["File", "Question", "Metric", "Stage"], row, strict=True):
            ws.cell(r, header.index(name) + 1, value)
    wb.save(book)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_a_missing_source_is_one_sentence_and_the_workbook_is_left_as_it_was(shop: Path) -> None:
    _list_sources(shop, [["exports/march.csv", "Q1", "NPS", "Purchase"]])
    before = shop.read_bytes()
    proc = _run("regenerate", str(shop), cwd=shop.parent)
    assert proc.returncode == 2, proc.stderr
    assert "exports/march.csv" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert shop.read_bytes() == before


def test_regenerate_reads_the_export_again_each_run(shop: Path) -> None:
    folder = shop.parent / "exports"
    folder.mkdir()
    _list_sources(shop, [["exports/*.csv", "Q1", "NPS", "Purchase"]])
    (folder / "march.csv").write_bytes(exports.qualtrics([{"Q1": "10"}] * 40, {"Q1": "Recommend?"}))
    assert _run("regenerate", str(shop), cwd=shop.parent).returncode in (0, 1)
    first = _nps_cell(shop)
    (folder / "march.csv").write_bytes(exports.qualtrics([{"Q1": "0"}] * 40, {"Q1": "Recommend?"}))
    assert _run("regenerate", str(shop), cwd=shop.parent).returncode in (0, 1)
    assert first != _nps_cell(shop)


def _nps_cell(book: Path) -> object:
    """The Heatmap's NPS value under Purchase."""
    ws = load_workbook(book, data_only=True)["Heatmap"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and "Purchase" in r)
    column = header.index("Purchase")
    nps = next(r for r in rows if r and isinstance(r[0], str) and r[0].startswith("NPS"))
    return nps[column]


def test_regenerate_with_a_pdf_reads_each_source_once(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stakeholder PDF is drawn from the run just written, not from a second reading and validation."""
    from addin.adapters import source_files
    from addin.frontends.batch import regenerate_one

    (shop.parent / "exports").mkdir()
    _list_sources(shop, [["exports/march.csv", "Q1", "NPS", "Purchase"]])
    (shop.parent / "exports" / "march.csv").write_bytes(exports.qualtrics([{"Q1": "9"}] * 40, {"Q1": "Recommend?"}))
    loaded: list[str] = []
    real = source_files.load

    def counting(pattern: str, *args: object, **kwargs: object) -> object:
        loaded.append(pattern)
        return real(pattern, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(source_files, "load", counting)
    outcome = regenerate_one(shop, None, None, shop.parent / "pdf")
    assert outcome.status in (0, 1), outcome.message
    assert loaded == ["exports/march.csv"]
    assert (shop.parent / "pdf" / "shop.pdf").read_bytes().startswith(b"%PDF")
