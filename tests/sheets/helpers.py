"""Small helpers shared by the Sheets tests: parse sync arguments, run a sync and capture its output."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from addin.core.model import RawWorkbook, RunResult
from addin.frontends import sync
from tests.sheets.journey import stand_in


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    sync.add_arguments(parser)
    return parser.parse_args(argv)


@dataclass
class Ran:
    status: int
    out: str
    err: str
    seen: list[RawWorkbook]

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


def run_sync(argv: list[str], process: Callable[[RawWorkbook], RunResult] = stand_in, **kwargs: Any) -> Ran:
    """Run `sync` in-process with a core stand-in; the raw workbooks the core saw are kept."""
    seen: list[RawWorkbook] = []

    def step(raw: RawWorkbook) -> RunResult:
        seen.append(raw)
        return process(raw)

    out, err = io.StringIO(), io.StringIO()
    status = sync.run(parse(argv), out=out, err=err, process=step, **kwargs)
    return Ran(status, out.getvalue(), err.getvalue(), seen)
