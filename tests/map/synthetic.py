"""Journey maps made in code, of any size, with text of every length (short, long, one long word)."""

from __future__ import annotations

import datetime as dt

from addin.core.journey_map.data import JourneyMap, MapCurve, MapLane, MapPain, StageEvidence

TEXT = (
    "customer compares delivery options while the checkout page keeps asking for an account and the parcel "
    "tracking link shows no update for two days so support gets a call"
)
WORDS = TEXT.split()


def phrase(seed: int, length: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length))


def synthetic(stages: int, pains_per_stage: int = 3, long: bool = False) -> JourneyMap:
    names = tuple(f"Stage {i + 1}: {phrase(i, 1 + i % 3).title()}" for i in range(stages))
    lanes = tuple(
        MapLane(
            lane,
            tuple(phrase(i + k, 2 + (i * 5 + k) % (14 if long else 7)) if (i + k) % 5 else None for i in range(stages)),
        )
        for k, lane in enumerate(("Goals", "Actions", "Touchpoints", "Channels", "Thoughts"))
    )
    pairs = [(i, j) for i in range(stages) for j in range(pains_per_stage if i % 4 else pains_per_stage + 2)]
    pains = tuple(
        MapPain(
            id=f"P{k + 1:03d}",
            stage=names[i],
            description=phrase(i * 3 + j, 3 + (i + j * 4) % (18 if long else 9))
            + (" Supercalifragilisticexpialidociousness" if (i + j) % 11 == 0 else ""),
            score=float((i * 37 + j * 53) % 100 + 1),
        )
        for k, (i, j) in enumerate(pairs)
    )
    curves = (
        MapCurve("All customers", tuple(((i * 3) % 9 - 4) / 2 for i in range(stages)), "404040"),
        MapCurve("Busy parent", tuple(None if i == 1 else ((i * 5) % 9 - 4) / 2 for i in range(stages)), "0072B2"),
        MapCurve("Busy parent (Evidence)", tuple(((i * 2) % 9 - 4) / 2 for i in range(stages)), "0072B2", True),
    )
    evidence = tuple(
        StageEvidence(
            answers=(i * 97) % 400,
            csat=float(i * 13 % 100) if i % 3 else None,
            csat_n=(i * 41) % 200,
            nps=float(i * 17 % 200 - 100),
            nps_n=(i * 23) % 90,
            moment=f"{phrase(i, 3)}; pain index {60 + i % 40}, emotion -1.5" if i % 4 == 2 else None,
        )
        for i in range(stages)
    )
    return JourneyMap(
        title=f"Synthetic journey of {stages} stages",
        view="All customers",
        stages=names,
        lanes=lanes,
        pains=pains,
        curves=curves,
        after=(MapLane("Opportunities", tuple(phrase(i + 9, 2 + i % 4) for i in range(stages))),),
        evidence=evidence,
        dates=(dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    )
