"""The ``caselog`` command line.

Sub-commands (each has ``--help`` with an example)::

    caselog summary   FILE...                 key figures of the input
    caselog flag      FILE... [--all] [--format table|csv|json]
                                              the readiness queue (ready / not yet)
    caselog report    FILE... -o audit.xlsx   the Excel audit workbook
    caselog brief     CASE_ID FILE...         the escalation letter of one case (Markdown)
    caselog templates FILE... [--top 20]      the most frequent Amazon reply templates
    caselog sample    -o DIR                  write the bundled synthetic sample files

Input options shared by the sub-commands that read files: ``--account NAME`` (repeatable: only
these clients), ``--as-of``, ``--tz``, ``--input-tz``, ``--map FIELD=COLUMN``, ``--value
FIELD:RAW=CANONICAL``, ``--sheet``, ``--dayfirst`` / ``--monthfirst``, ``--input-format`` (e-mail,
Seller Central page, help desk...), ``--amazon-domain``, ``--seller-address``, ``--zone-abbrev
ABBR=ZONE``, ``--redact`` (and ``--redact-order-ids``), ``--quiet`` (nothing on stderr but
errors: only the result is printed).  ``caselog report --per-account DIR`` writes one workbook
per client.  Items skipped as not case correspondence (newsletters, internal notes) are counted on
stderr.

Text printed to a terminal has its control characters removed (an escape sequence in the data
cannot retitle or clear the terminal).

Exit codes: 0 success; 1 bad input (the :class:`~caselog.CaselogError` message on stderr, no
traceback); 2 usage error (argparse).  Progress ("loading... 1.2 s") goes to stderr when stderr is
a terminal and ``--quiet`` is not given; it is silent when piped.

CSV output is written for Excel: a text cell starting with ``= + - @``, a tab or a CR gets a leading
``'`` (:func:`caselog.excel_safe`) so it cannot run as a formula; JSON keeps the exact text.

``main(argv)`` returns the exit code instead of exiting, so tests and scripts can call it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..errors import CaselogError
from ._args import PROG, parse_map, parse_value, parse_zone_abbrev  # noqa: F401
from ._output import _emit, _progress, _table_text  # noqa: F401
from ._parser import build_parser

__all__ = ["main", "build_parser", "parse_map", "parse_value"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``caselog`` command line; returns the exit code (0 ok, 1 bad input, 2 usage).

    Examples
    --------
    >>> import os
    >>> main(["flag", "data/sample/caselog_sample.csv", "--quiet", "-o", os.devnull])
    0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else 2
    progress = _progress(args)
    try:
        return int(args.run(args, progress))
    except CaselogError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 1
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("caselog."):
            sys.stderr.write(
                f"{PROG}: error: '{args.command}' needs {exc.name}, which this installation "
                "lacks\n"
            )
            return 1
        raise
    except BrokenPipeError:  # `caselog flag ... | head`
        try:
            sys.stdout = open(__import__("os").devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0
    except OSError as exc:  # output file or folder cannot be written
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        sys.stderr.write(f"{PROG}: error:{where}: {exc.strerror or exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130

