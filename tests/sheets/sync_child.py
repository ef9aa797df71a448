"""`sync` in a child process with the core stand-in: lets a test send it SIGTERM."""

from __future__ import annotations

import sys

from addin.frontends import sync
from tests.sheets.helpers import parse
from tests.sheets.journey import stand_in

if __name__ == "__main__":
    sys.exit(sync.run(parse(sys.argv[1:]), process=stand_in))
