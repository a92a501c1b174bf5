"""``python -m caselog``: the same command line as ``caselog``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
