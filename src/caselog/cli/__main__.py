"""``python -m caselog.cli``: the same as the ``caselog`` command."""

import sys

from . import main

sys.exit(main())
