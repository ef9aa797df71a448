"""Time the evidence analysis on 1,000,000 rows against a bare pandas groupby over the same rows.

Usage: python benchmarks/bench_analytics.py [--rows 1000000] [--repeat 3] [--categorical] [--json PATH]

The analysis timed is everything the sheets show from Evidence: CSAT (share and mean), CES, NPS and
Emotion per stage and per touchpoint with intervals, and Emotion per stage and persona
(`addin.core.evidence.analyse_evidence`). The baseline is
`df.groupby(["Stage", "Metric"])["Score"].agg(["mean", "count"])` on the same frame, in the same
process; each is the best of --repeat runs. The frame looks like what validation hands the analysis
(text columns as Python strings; --categorical makes them categoricals first, for both timings).
Goal: the analysis takes at most 5 x the baseline. Exit status 1 when it does not.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addin.authoring.examples import SHOP  # noqa: E402
from addin.core.evidence import analyse_evidence  # noqa: E402

GOAL = 5.0


def evidence_frame(rows: int, seed: int = 7, categorical: bool = False) -> pd.DataFrame:
    """`rows` answers spread over the online-shop example's stages, touchpoints and personas."""
    rng = np.random.default_rng(seed)
    stages = SHOP.stages
    pairs = [(s, tp, ch) for s in stages for tp, ch in SHOP.touchpoints[s]]
    pick = rng.integers(0, len(pairs), rows)
    table = np.array(pairs, dtype=object)
    personas = np.array([p[0] for p in SHOP.personas] + [None], dtype=object)
    metrics = np.array(["CSAT", "CES", "NPS", "Emotion"], dtype=object)
    metric_idx = rng.choice(4, rows, p=[0.45, 0.2, 0.25, 0.1])
    low = np.array([1, 1, 0, -2])[metric_idx]
    high = np.array([5, 7, 10, 2])[metric_idx]
    score = (low + np.floor(rng.random(rows) * (high - low + 1))).astype(float)
    # object arrays of shared Python strings, as validation produces them
    frame = pd.DataFrame(
        {
            "Stage": table[pick, 0],
            "Touchpoint": table[pick, 1],
            "Channel": table[pick, 2],
            "Persona": personas[rng.integers(0, len(personas), rows)],
            "Metric": metrics[metric_idx],
            "Score": score,
        }
    )
    if categorical:
        for col in ("Stage", "Touchpoint", "Channel", "Persona", "Metric"):
            frame[col] = frame[col].astype("category")
    return frame


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--categorical", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    frame = evidence_frame(args.rows, categorical=args.categorical)
    stages = SHOP.stages
    personas = [p[0] for p in SHOP.personas]

    def baseline() -> Any:
        return frame.groupby(["Stage", "Metric"], observed=True)["Score"].agg(["mean", "count"])

    def analysis() -> Any:
        return analyse_evidence(frame, stages, personas)

    baseline()  # warm up both (imports, first-call caches)
    result = analysis()
    t_base = best_of(args.repeat, baseline)
    t_analysis = best_of(args.repeat, analysis)
    ratio = t_analysis / t_base
    report = {
        "rows": args.rows,
        "categorical": args.categorical,
        "repeat": args.repeat,
        "baseline_groupby_s": round(t_base, 4),
        "analysis_s": round(t_analysis, 4),
        "ratio": round(ratio, 2),
        "goal": GOAL,
        "touchpoints": len(result.by_touchpoint),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
    }
    print(
        f"{args.rows:,} evidence rows{' (categorical)' if args.categorical else ''}: "
        f"bare groupby {t_base * 1000:.0f} ms, analysis {t_analysis * 1000:.0f} ms "
        f"(per stage, per touchpoint, emotion per persona) = {ratio:.2f} x the groupby (goal <= {GOAL:g} x)"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
