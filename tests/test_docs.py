"""The README documents every command and every validation rule, as the code has them."""

from __future__ import annotations

import re
from pathlib import Path

from addin.core.rules import RULE_INFO, Rule
from addin.frontends.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def rules_table() -> str:
    lines = ["| rule | severity | meaning |", "|---|---|---|"]
    lines += [f"| {rule.value} | {RULE_INFO[rule][0].value} | {RULE_INFO[rule][1]} |" for rule in Rule]
    return "\n".join(lines)


def test_every_rule_is_documented_as_the_code_has_it() -> None:
    block = README.split("<!-- rules:start -->")[1].split("<!-- rules:end -->")[0].strip()
    assert block == rules_table(), "Paste the output of tests.test_docs.rules_table() into the README"


def test_every_rule_has_a_meaning_and_a_unique_code() -> None:
    assert set(RULE_INFO) == set(Rule)
    assert len({r.value for r in Rule}) == len(Rule)


def test_every_command_is_documented() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    commands = set(sub.choices)  # type: ignore[union-attr]
    assert commands == {"demo", "new", "check", "regenerate", "results", "map", "sync", "excel", "import", "sources"}
    for command in commands:
        assert re.search(rf"^\| `{command}[ `]", README, re.M), f"README's command table lacks {command}"


def test_readme_gives_the_two_commands() -> None:
    assert "pip install -e . && python -m addin demo" in README
    assert 'pip install -e ".[dev]" && python -m pytest -q' in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "python -m pytest -q" in ci


def scales_table() -> str:
    """The README's table of answer scales, as the code has them."""
    from addin.core.sources.labels import DEFAULT_SCALES, SCALE_LABELS

    used = {s: m.value for m, scales in DEFAULT_SCALES.items() for s in scales}
    lines = ["| scale (`Labels`) | default for | labels and scores |", "|---|---|---|"]
    for scale, labels in SCALE_LABELS.items():
        pairs = ", ".join(f"{label} = {score:g}" for label, score in labels.items())
        lines.append(f"| `{scale.value}` | {used.get(scale, '')} | {pairs} |")
    return "\n".join(lines)


def test_every_answer_scale_is_documented_as_the_code_has_it() -> None:
    block = README.split("<!-- scales:start -->")[1].split("<!-- scales:end -->")[0].strip()
    assert block == scales_table(), "Paste the output of tests.test_docs.scales_table() into the README"
