"""`python -m addin`: see `addin.frontends.cli`."""

import sys

from addin.frontends.cli import main

if __name__ == "__main__":
    sys.exit(main())
