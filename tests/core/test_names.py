"""One way to match names (addin.core.names), used by every place that looks a name up."""

from __future__ import annotations

from addin.adapters import sheets_layout
from addin.core import contract, names
from addin.core.journey import Journey
from addin.core.model import RawSheet, RawWorkbook


def test_case_and_spaces_do_not_matter() -> None:
    assert names.norm("  Moments   OF truth ") == "moments of truth"
    assert names.same("PainPoints", " painpoints") and not names.same("Pain points", "PainPoints")
    assert names.norm(None) == ""


def test_every_lookup_uses_the_one_rule() -> None:
    assert contract.norm is names.norm
    assert sheets_layout._norm is names.norm
    book = RawWorkbook("x.xlsx", {" Pain  Points ": RawSheet(" Pain  Points ", [])})
    assert book.find("pain points") is book.sheets[" Pain  Points "]
    journey = Journey(["A"], lanes={"Moments  of truth": ["x"]})  # doubled space inside: once not found
    assert journey.lane("moments of truth") == ["x"]
    assert names.find("nothing", {"a": 1}) is None
