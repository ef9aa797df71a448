"""Print the runtime dependencies of pyproject.toml for pip, the ones the core is tested with at their oldest.

`pandas>=2.1` becomes `pandas==2.1.*` (the newest patch release of the oldest minor version allowed); the
other dependencies are printed as pyproject.toml states them.
`.ci/run` installs these into a venv under /tmp and runs the core tests there too, so the lower bounds
in pyproject.toml are versions that were tested, not guesses.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

FLOORED = ("pandas", "numpy", "openpyxl", "python-calamine", "matplotlib")
"""The runtime dependencies the core and its tests import (the rest are front ends' and adapters')."""


def pins(pyproject: Path) -> list[str]:
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    out = []
    pinned = set()
    for dep in deps:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)>=(\d+)\.(\d+)(?:\.\d+)?", dep.replace(" ", ""))
        if m and m.group(1).lower() in FLOORED:
            out.append(f"{m.group(1)}=={m.group(2)}.{m.group(3)}.*")
            pinned.add(m.group(1).lower())
        else:
            out.append(dep.replace(" ", ""))
    missing = set(FLOORED) - pinned
    if missing:
        sys.exit(f"pyproject.toml has no '>=X.Y' lower bound for: {', '.join(sorted(missing))}")
    return out


if __name__ == "__main__":
    print(" ".join(pins(Path(__file__).resolve().parent.parent / "pyproject.toml")))
