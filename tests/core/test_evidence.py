"""The vectorised evidence metrics agree with plain pandas, whatever the column types."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from addin.core.analysis import NOT_GIVEN
from addin.core.evidence import analyse_evidence, evidence_metrics

STAGES = ["Aware", "Buy", "Use"]
SCALES = {"CSAT": (1, 5), "CES": (1, 7), "NPS": (0, 10), "Emotion": (-2, 2)}


def frame(rows: int = 3000, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    metric = rng.choice(list(SCALES), rows)
    low = np.array([SCALES[m][0] for m in metric])
    high = np.array([SCALES[m][1] for m in metric])
    return pd.DataFrame(
        {
            "Stage": rng.choice(STAGES, rows),
            "Touchpoint": rng.choice(np.array(["Web", "App", "web ", None], dtype=object), rows),
            "Persona": rng.choice(np.array(["Ann", "Ben", None], dtype=object), rows),
            "Metric": metric,
            "Score": rng.integers(low, high + 1).astype(float),
        }
    )


def plain(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """The same numbers the slow, obvious way: one boolean filter and groupby per metric."""
    out = {}
    for metric, prefix in (("CSAT", "csat_mean"), ("CES", "ces"), ("Emotion", "emotion")):
        g = df[df["Metric"] == metric].groupby(by)["Score"]
        out[f"{prefix}_value"], out[f"{prefix}_n"] = g.mean(), g.count()
        out[f"{prefix}_low"] = g.mean() - 1.959963984540054 * g.std() / np.sqrt(g.count())
    csat = df[df["Metric"] == "CSAT"]
    out["csat_value"] = (csat["Score"] >= 4).groupby(csat[by]).mean()
    nps = df[df["Metric"] == "NPS"]
    out["nps_value"] = 100 * ((nps["Score"] >= 9).groupby(nps[by]).mean() - (nps["Score"] <= 6).groupby(nps[by]).mean())
    return pd.DataFrame(out)


def test_per_stage_matches_plain_pandas() -> None:
    df = frame()
    fast = evidence_metrics(df)
    slow = plain(df, "Stage")
    for col in slow:
        np.testing.assert_allclose(fast.loc[slow.index, col].to_numpy(float), slow[col].to_numpy(float), rtol=1e-9)


def test_per_touchpoint_merges_spellings_and_keeps_blanks() -> None:
    df = frame()
    fast = evidence_metrics(df, by="Touchpoint")
    assert list(fast.index) == ["App", "Web", NOT_GIVEN]
    merged = df.assign(Touchpoint=df["Touchpoint"].map({"Web": "Web", "web ": "Web", "App": "App"}).fillna(NOT_GIVEN))
    slow = plain(merged, "Touchpoint")
    for col in slow:
        np.testing.assert_allclose(fast.loc[slow.index, col].to_numpy(float), slow[col].to_numpy(float), rtol=1e-9)


@pytest.mark.parametrize("categorical", [False, True])
def test_categorical_columns_give_the_same_results(categorical: bool) -> None:
    df = frame()
    expected = analyse_evidence(df, STAGES, ["Ann", "Ben"])
    if categorical:
        df = df.astype({c: "category" for c in ("Stage", "Touchpoint", "Persona", "Metric")})
    got = analyse_evidence(df, STAGES, ["Ben", "Ann"])
    pd.testing.assert_frame_equal(got.by_stage, expected.by_stage)
    pd.testing.assert_frame_equal(got.by_touchpoint, expected.by_touchpoint)
    pd.testing.assert_frame_equal(got.emotion, expected.emotion)
    pd.testing.assert_frame_equal(got.emotion_n, expected.emotion_n)


def test_emotion_per_persona_matches_plain_pandas() -> None:
    df = frame()
    got = analyse_evidence(df, STAGES, ["Ann", "Ben"])
    emo = df[df["Metric"] == "Emotion"]
    by_persona = emo.groupby(["Persona", "Stage"])["Score"].agg(["mean", "count"])
    for persona in ("Ann", "Ben"):
        row = by_persona.loc[persona].reindex(STAGES)
        np.testing.assert_allclose(got.emotion.loc[f"Evidence: {persona}"], row["mean"])
        assert got.emotion_n.loc[f"Evidence: {persona}"].tolist() == row["count"].tolist()
    overall = emo.groupby("Stage")["Score"].mean().reindex(STAGES)
    np.testing.assert_allclose(got.emotion.loc["Evidence: all customers"], overall)


def test_no_evidence_gives_empty_results() -> None:
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ("Stage", "Touchpoint", "Persona", "Metric")})
    got = analyse_evidence(empty.assign(Score=pd.Series(dtype=float)), STAGES, ["Ann"])
    assert got.by_touchpoint.empty and got.emotion.empty and list(got.by_stage.index) == STAGES
