"""`python -m addin results PATH... [--format json|csv] [--out DIR]`: validate and analyse, write nothing
into the workbook; print or save the results as JSON (docs/results.schema.json) or tidy CSV tables.

- JSON, one file, no --out: the results document on stdout. Several files, no --out: a JSON array of them.
- With --out DIR: `<name>.results.json`, or for CSV `<name>-stages.csv` (one row per stage x metric, the
  key drivers' derived importance and performance among them),
  `<name>-heatmap.csv` (one row per heatmap cell) and `<name>-recommendations.csv` (one per recommendation).

Exit status as for `check`: 0 no errors, 1 validation found errors, 2 a file could not be used.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from addin.core.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, AddinError

if TYPE_CHECKING:  # pragma: no cover
    from addin.core.results import Estimate, Results

STAGE_COLUMNS = ("file", "stage", "metric", "persona", "value", "n", "low", "high")
HEATMAP_COLUMNS = ("file", "dimension", "row", "stage", "pain")
RECOMMENDATION_COLUMNS = (
    "file",
    "rank",
    "id",
    "title",
    "score",
    "value",
    "effort",
    "quadrant",
    "addresses",
    "pain_addressed",
    "reach",
    "impact",
    "impact_derived",
    "confidence",
    "rationale",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Validate and analyse workbooks and print the results as JSON (or save them as CSV tables for Power BI, "
        "Tableau or Looker Studio). Nothing is written into the workbooks."
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="workbook files or folders")
    parser.add_argument(
        "--format", choices=("json", "csv"), default="json", help="json (default) or csv (tidy tables; needs --out)"
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="save one file (json) or three (csv) per workbook")


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from addin.frontends.batch import expand

    out = out or sys.stdout
    err = err or sys.stderr
    if args.format == "csv" and args.out is None:
        err.write("--format csv writes three tables per workbook: say where with --out DIR.\n")
        return EXIT_UNUSABLE
    files = expand(args.paths)
    status = EXIT_OK
    documents: list[str] = []
    for path in files:
        result, message = analyse(path)
        if result is None:
            err.write(message + "\n")
            status = max(status, EXIT_UNUSABLE)
            continue
        if any(f.severity.value == "error" for f in result.findings):
            status = max(status, EXIT_FINDINGS)
        if args.out is None:
            documents.append(_json(result))
            continue
        try:
            for written in save(result, path, args.out, args.format):
                err.write(f"{path} -> {written}\n")
        except OSError as exc:
            err.write(f"Could not write the results of {path} into {args.out}: {exc.strerror or exc}.\n")
            status = EXIT_UNUSABLE
    if args.out is None and documents:
        out.write(documents[0] + "\n" if len(files) == 1 else "[\n" + ",\n".join(documents) + "\n]\n")
    return status


def analyse(path: Path) -> tuple[Results | None, str]:
    """The results of one workbook, or None and the sentence saying why it cannot be used."""
    from addin.adapters.xlsx_reader import read_workbook
    from addin.core.pipeline import results
    from addin.frontends.batch import _unusable_folder

    if path.is_dir():
        return None, _unusable_folder(path)
    try:
        return results(read_workbook(path)), ""
    except AddinError as exc:
        return None, exc.message


def _json(result: Results) -> str:
    from addin.core.results_json import dumps

    return dumps(result)


def save(result: Results, path: Path, out_dir: Path, fmt: str) -> list[Path]:
    """Write the results of `path` into `out_dir`; the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        dest = out_dir / f"{path.stem}.results.json"
        dest.write_text(_json(result) + "\n", encoding="utf-8")
        return [dest]
    tables = {
        "stages": (STAGE_COLUMNS, stage_rows(result, path.name)),
        "heatmap": (HEATMAP_COLUMNS, heatmap_rows(result, path.name)),
        "recommendations": (RECOMMENDATION_COLUMNS, recommendation_rows(result, path.name)),
    }
    written = []
    for name, (columns, rows) in tables.items():
        dest = out_dir / f"{path.stem}-{name}.csv"
        dest.write_text(csv_text(columns, rows), encoding="utf-8")
        written.append(dest)
    return written


def csv_text(columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def stage_rows(result: Results, file: str) -> Iterator[tuple[Any, ...]]:
    """One row per stage x metric: pain, pain index, pain points, evidence metrics, key driver, funnel,
    emotion curves."""
    from addin.core.results import CurveSource

    def estimate(stage: str, metric: str, e: Estimate) -> tuple[Any, ...]:
        return (file, stage, metric, None, e.value, e.n, e.low, e.high)

    for i, s in enumerate(result.stage_results):
        yield (file, s.stage, "pain", None, s.pain, None, None, None)
        yield (file, s.stage, "pain_index", None, s.pain_index, None, None, None)
        yield (file, s.stage, "pain_points", None, s.pain_points, None, None, None)
        m = s.metrics
        for name, e in (
            ("csat", m.csat),
            ("csat_mean", m.csat_mean),
            ("ces", m.ces),
            ("nps", m.nps),
            ("emotion_evidence", m.emotion),
        ):
            if e.n:
                yield estimate(s.stage, name, e)
        if s.funnel is not None:
            f = s.funnel
            for name, value in (
                ("funnel_entered", f.entered),
                ("funnel_completed", f.completed),
                ("funnel_conversion", f.conversion),
                ("funnel_drop_off", f.drop_off),
                ("funnel_drop_off_share", f.drop_off_share),
            ):
                yield (file, s.stage, name, None, value, None, None, None)
        yield from _driver_rows(result, s.stage, file)
        for curve in result.emotion:
            value = curve.values[i]
            if value is None or (curve.source is CurveSource.EVIDENCE and curve.persona is None):
                continue  # all customers' Evidence emotion is the stage's emotion_evidence row, with its interval
            metric = "emotion_map" if curve.source is CurveSource.MAP else "emotion_evidence"
            n = curve.answers[i] if curve.answers is not None else None
            yield (file, s.stage, metric, curve.persona, value, n, None, None)


def _driver_rows(result: Results, stage: str, file: str) -> Iterator[tuple[Any, ...]]:
    """The stage's key driver: its derived importance (share, with the bootstrap interval) and performance
    (mean CSAT of the same respondents), n = the complete respondents; nothing when not computed."""
    k = result.key_drivers
    row = next((d for d in k.rows if d.stage == stage), None) if k is not None else None
    if k is None or row is None:
        return
    yield (file, stage, "key_driver_importance", None, row.importance, k.respondents, row.low, row.high)
    yield (file, stage, "key_driver_performance", None, row.performance, k.respondents, None, None)


def heatmap_rows(result: Results, file: str) -> Iterator[tuple[Any, ...]]:
    """One row per cell of all three heatmaps."""
    for h in result.heatmaps:
        for row in h.rows:
            for stage, pain in zip(result.stages, row.pain, strict=True):
                yield (file, h.dimension.value, row.label, stage, pain)


def recommendation_rows(result: Results, file: str) -> Iterator[tuple[Any, ...]]:
    for r in result.priorities.recommendations:
        yield (
            file,
            r.rank,
            r.id,
            r.title,
            r.score,
            r.value,
            r.effort,
            r.quadrant.value,
            ", ".join(r.addresses),
            r.pain_addressed,
            r.reach,
            r.impact,
            r.impact_derived,
            r.confidence,
            r.rationale,
        )
