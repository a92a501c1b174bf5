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

import argparse
import sys
import time
import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from .errors import CaselogError

__all__ = ["main", "build_parser", "parse_map", "parse_value"]

PROG = "caselog"

_TEXT_WIDTH = 70  # max characters of a text cell in table output
#: flag table: these columns wrap (never cut) at these widths: about 150 characters a line
_WRAP = {"account": 16, "category": 14, "target": 16, "reasons": 40, "next step": 32}


# ---------------------------------------------------------------------------------- parsing


def parse_map(text: str) -> tuple[str, str]:
    """``"case_id=issueid"`` -> ``("case_id", "issueid")`` (field -> your column name).

    Raises
    ------
    argparse.ArgumentTypeError
        No ``=``, or an empty side.
    """
    field, sep, column = text.partition("=")
    field, column = field.strip(), column.strip()
    if not sep or not field or not column:
        raise argparse.ArgumentTypeError(
            f"expected FIELD=COLUMN (e.g. case_id=issueid), got {text!r}"
        )
    return field, column


def parse_value(text: str) -> tuple[str, str, str]:
    """``"direction:reporter=seller"`` -> ``("direction", "reporter", "seller")``.

    The field ends at the first ``:``, the canonical value starts after the last ``=``.

    Raises
    ------
    argparse.ArgumentTypeError
        The text is not ``FIELD:RAW=CANONICAL``.
    """
    field, sep, rest = text.partition(":")
    raw, sep2, canonical = rest.rpartition("=")
    field, raw, canonical = field.strip(), raw.strip(), canonical.strip()
    if not sep or not sep2 or not field or not raw or not canonical:
        raise argparse.ArgumentTypeError(
            f"expected FIELD:RAW=CANONICAL (e.g. direction:reporter=seller), got {text!r}"
        )
    return field, raw, canonical


def _as_of(text: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(text)
    except (ValueError, TypeError):
        ts = pd.NaT
    if ts is pd.NaT or pd.isna(ts):
        raise argparse.ArgumentTypeError(
            f"expected an ISO date or date-time such as 2026-03-31 or 2026-03-31T14:00+02:00, "
            f"got {text!r}"
        )
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _zone(text: str) -> str:
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"unknown time zone {text!r}; use an IANA name such as UTC or America/New_York"
        ) from None
    return text


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of hours >= 0, found {text!r}")
    return value


def parse_zone_abbrev(text: str) -> tuple[str, str]:
    """``"IST=Asia/Kolkata"`` -> ``("IST", "Asia/Kolkata")`` (zone abbreviation -> zone or offset).

    Raises
    ------
    argparse.ArgumentTypeError
        Not ``ABBR=ZONE``, or ZONE is neither an IANA zone nor an offset such as ``+05:30``.
    """
    from .io import zone_names

    abbr, sep, zone = text.partition("=")
    abbr, zone = abbr.strip(), zone.strip()
    if not sep or not abbr or not zone:
        raise argparse.ArgumentTypeError(f"expected ABBR=ZONE (e.g. IST=Asia/Kolkata), got {text!r}")
    try:
        zone_names({abbr: zone})
    except CaselogError as exc:
        raise argparse.ArgumentTypeError(str(exc).replace("tzinfos: ", "")) from None
    return abbr, zone


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return n


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


def _input_options(case_id: bool = False) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    if case_id:
        p.add_argument("case_id", metavar="CASE_ID", help="the case to write about")
    g = p.add_argument_group("input options")
    g.add_argument(
        "inputs", nargs="+", metavar="FILE",
        help="CSV/TSV/XLSX exports or folders of them",
    )
    g.add_argument(
        "--account", action="append", default=[], metavar="NAME",
        help="only the cases of this client account (repeatable)",
    )
    g.add_argument(
        "--as-of", type=_as_of, metavar="WHEN",
        help="'now' for the analysis: ISO date or date-time, UTC unless it has an offset "
        "(default: the newest message)",
    )
    g.add_argument(
        "--tz", type=_zone, default="UTC", metavar="ZONE",
        help="time zone of the dates shown (and of naive input timestamps unless --input-tz); "
        "default UTC",
    )
    g.add_argument(
        "--input-tz", type=_zone, metavar="ZONE",
        help="time zone of naive timestamps in the input (default: --tz)",
    )
    g.add_argument(
        "--sla-hours", type=_hours, metavar="H",
        help="response-time target: turns answered later are SLA breaches (default 48)",
    )
    g.add_argument(
        "--wait-hours", type=_hours, metavar="H",
        help="wait window of escalations and readiness: an escalation unanswered this long is "
        "'no answer', a seller waits this long before following up (default 48)",
    )
    g.add_argument(
        "--map", type=parse_map, action="append", default=[], metavar="FIELD=COLUMN",
        help="use COLUMN for caselog's FIELD, e.g. --map case_id=issueid (repeatable)",
    )
    g.add_argument(
        "--value", type=parse_value, action="append", default=[], metavar="FIELD:RAW=CANONICAL",
        help="read value RAW of FIELD as CANONICAL, e.g. --value direction:reporter=seller "
        "(repeatable)",
    )
    g.add_argument(
        "--sheet", action="append", default=[], metavar="NAME",
        help="Excel sheet holding messages (repeatable; default: a sheet named Messages, "
        "or every sheet that is not a Cases sheet)",
    )
    g.add_argument(
        "--input-format", choices=("table", "excel", "email", "sellercentral", "helpdesk", "zendesk",
                             "freshdesk", "helpscout", "jira"),
        help="read every input as this format (default: from each file's suffix and content)",
    )
    g.add_argument(
        "--amazon-domain", action="append", default=[], metavar="DOMAIN",
        help="e-mail and help desks: senders at DOMAIN are Amazon too (repeatable)",
    )
    g.add_argument(
        "--seller-address", action="append", default=[], metavar="ADDRESS",
        help="e-mail and help desks: ADDRESS (or a domain) is the seller side (repeatable)",
    )
    order = g.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
        help="slashed dates are day/month/year",
    )
    order.add_argument(
        "--monthfirst", dest="dayfirst", action="store_const", const=False,
        help="slashed dates are month/day/year (default: decided per column)",
    )
    g.add_argument(
        "--zone-abbrev", type=parse_zone_abbrev, action="append", default=[], metavar="ABBR=ZONE",
        help="read times written with zone name ABBR in ZONE (an IANA zone or an offset), e.g. "
        "--zone-abbrev IST=Asia/Kolkata; needed for ambiguous names such as IST, CST, BST "
        "(repeatable)",
    )
    g.add_argument(
        "--redact", action="store_true",
        help="mask e-mails, phone numbers, street addresses and greeting names before output",
    )
    g.add_argument(
        "--redact-order-ids", action="store_true",
        help="with --redact, also mask order IDs (123-1234567-1234567)",
    )
    g.add_argument("-q", "--quiet", action="store_true",
                   help="print only the result: no progress, notes or closing counts")
    return p


def build_parser() -> argparse.ArgumentParser:
    """The ``caselog`` argument parser (sub-commands ``summary flag report brief templates
    matters sample``)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Analyse Amazon seller support-case histories: response times, canned "
        "replies, escalations and which cases are ready to escalate.",
        epilog="Run 'caselog COMMAND --help' for the options and an example of each command.",
        formatter_class=_Formatter,
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    inputs = _input_options()

    p = sub.add_parser(
        "summary", parents=[inputs], formatter_class=_Formatter,
        help="key figures: rows, accounts, cases, date range, teams, channels, first response",
        description="Key figures of the input: row accounting, accounts, cases, date range, "
        "messages by account, team and channel, rejects, first response times.",
        epilog="example:\n  caselog summary data/sample/caselog_sample.xlsx\n"
        "  caselog summary exports/ --map case_id=issueid --value direction:reporter=seller",
    )
    p.set_defaults(run=_cmd_summary)

    p = sub.add_parser(
        "flag", parents=[inputs], formatter_class=_Formatter,
        help="the readiness queue: cases ready to escalate, and those not yet ready",
        description="The escalation readiness queue, most urgent first: the 'ready' and "
        "'not yet' cases with reasons and the next step (--all adds 'not advisable' and "
        "'closed').",
        epilog="example:\n  caselog flag data/sample/caselog_sample.xlsx\n"
        "  caselog flag data/sample/caselog_sample.csv --all --format csv > queue.csv\n"
        "  caselog flag exports/ --as-of 2026-03-31 --format json",
    )
    p.add_argument("--all", action="store_true", help="include not-advisable and closed cases")
    p.add_argument(
        "--format", choices=("table", "csv", "json"), default="table",
        help="output format (default table)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(run=_cmd_flag)

    p = sub.add_parser(
        "report", parents=[inputs], formatter_class=_Formatter,
        help="write the Excel audit workbook",
        description="Write the Excel audit workbook: Summary (key figures), Charts, Cases, "
        "Messages, Response times, Templates, Escalations, Briefs (the letters), Rejects.",
        epilog="example:\n  caselog report data/sample/caselog_sample.xlsx -o audit.xlsx\n"
        "  caselog report exports/ -o audit.xlsx --tz Europe/Berlin --redact\n"
        "  caselog report exports/ --per-account audits/   (one workbook per client)\n"
        "  caselog report exports/ --account 'Northwind Goods' -o northwind.xlsx",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument(
        "-o", "--output", metavar="FILE", default="audit.xlsx",
        help="workbook to write (default audit.xlsx)",
    )
    out.add_argument(
        "--per-account", metavar="DIR",
        help="write one workbook per client account into DIR (created when missing)",
    )
    p.add_argument("--no-charts", action="store_true", help="leave the charts out")
    p.add_argument(
        "--workers", metavar="N", type=_positive,
        help="analyse on N local Dask worker processes, partitioned by account "
        "(needs pip install 'caselog[dask]')",
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="analyse on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786)",
    )
    p.set_defaults(run=_cmd_report)

    p = sub.add_parser(
        "brief", parents=[_input_options(case_id=True)], formatter_class=_Formatter,
        help="the escalation letter of one case (Markdown)",
        description="Print the escalation letter of a ready case in Markdown: subject, "
        "addressee, summary, what was done, why the replies fail, what is asked, attachments; "
        "notes for the sender after it. Facts the data lacks are written as [add: ...]. For a "
        "case that is not ready: why not, and what to do first.",
        epilog="example:\n  caselog brief 11111111111 data/sample/caselog_sample.xlsx\n"
        "  caselog brief 11111111111 exports/ --redact -o brief.md",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(run=_cmd_brief)

    p = sub.add_parser(
        "templates", parents=[inputs], formatter_class=_Formatter,
        help="the most frequent Amazon reply templates",
        description="The Amazon reply templates found in the messages, most used first: "
        "messages, cases and accounts that received each, reply class and a text sample.",
        epilog="example:\n  caselog templates data/sample/caselog_sample.xlsx --top 10\n"
        "  caselog templates exports/ --format csv > templates.csv",
    )
    p.add_argument("--top", type=_positive, default=20, metavar="N", help="show N (default 20)")
    p.add_argument(
        "--format", choices=("table", "csv", "json"), default="table",
        help="output format (default table)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(run=_cmd_templates)

    p = sub.add_parser(
        "matters", parents=[inputs], formatter_class=_Formatter,
        help="matters: the cases about one problem, with the evidence of each link",
        description="The matters of the input: cases linked by a quoted case ID, the same "
        "mail thread, the same notice, or the same ASIN or order ID within 60 days (same "
        "account). One row per matter of two or more cases: its cases, channels, start, "
        "time without an answer, canned repeats and escalations across its cases, and the "
        "verdicts with the matter in view (--all adds single cases; --links lists the links "
        "and their evidence instead).",
        epilog="example:\n  caselog matters data/sample/caselog_sample.xlsx\n"
        "  caselog matters exports/ --links --format csv > links.csv",
    )
    p.add_argument("--all", action="store_true", help="include cases alone in their matter")
    p.add_argument("--links", action="store_true", help="list the links and their evidence")
    p.add_argument(
        "--format", choices=("table", "csv", "json"), default="table",
        help="output format (default table)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(run=_cmd_matters)

    p = sub.add_parser(
        "sample", formatter_class=_Formatter,
        help="write the synthetic sample files (CSV, XLSX and ground truth)",
        description="Write caselog's seeded synthetic sample: caselog_sample.csv, "
        "caselog_sample.xlsx, truth_messages.csv and truth_cases.csv.",
        epilog="example:\n  caselog sample -o data/sample\n  caselog summary data/sample/"
        "caselog_sample.csv",
    )
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="folder to write to")
    p.add_argument("--seed", type=int, metavar="N", help="random seed (default: the fixed one)")
    p.add_argument("--cases", type=_positive, metavar="N", help="number of cases")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    p.set_defaults(run=_cmd_sample)
    return parser


# ---------------------------------------------------------------------------------- progress


class _Progress:
    """Stage messages ("loading... 0.8 s") on stderr, only when it is a terminal."""

    def __init__(self, enabled: bool, stream: TextIO) -> None:
        self.enabled = enabled
        self.stream = stream
        self.start = time.perf_counter()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        if self.enabled:
            self.stream.write(f"{PROG}: {name}... ")
            self.stream.flush()
        try:
            yield
        finally:
            if self.enabled:
                self.stream.write(f"{time.perf_counter() - t0:.1f} s\n")
                self.stream.flush()

    def note(self, text: str) -> None:
        if self.enabled:
            self.stream.write(f"{PROG}: {text}\n")
            self.stream.flush()


def _progress(args: argparse.Namespace) -> _Progress:
    err = sys.stderr
    tty = bool(getattr(err, "isatty", lambda: False)())
    return _Progress(tty and not getattr(args, "quiet", False), err)


def _tell(args: argparse.Namespace, text: str) -> None:
    """A note on stderr (what was written, the closing counts), unless ``--quiet``."""
    if not getattr(args, "quiet", False):
        from .report import terminal_safe

        sys.stderr.write(f"{PROG}: {terminal_safe(text)}\n")


# ---------------------------------------------------------------------------------- helpers


def _load(args: argparse.Namespace, progress: _Progress) -> Any:
    from .io import load

    values: dict[str, dict[str, str]] = {}
    for field, raw, canonical in args.value:
        values.setdefault(field, {})[raw] = canonical
    with progress.stage("loading"):
        log = load(
            args.inputs,
            mapping=dict(args.map) or None,
            values=values or None,
            tz=args.input_tz or args.tz,
            sheets=list(args.sheet) or None,
            dayfirst=args.dayfirst,
            tzinfos=dict(args.zone_abbrev) or None,
            format=getattr(args, "input_format", None),
            amazon_domains=list(getattr(args, "amazon_domain", [])) or None,
            seller_addresses=list(getattr(args, "seller_address", [])) or None,
        )
    if len(log.skipped):
        reasons = log.skipped["reason"].str.split(" (", n=1, regex=False).str[0].value_counts()
        sys.stderr.write(
            f"{PROG}: {len(log.skipped)} items skipped as not case correspondence: "
            + ", ".join(f"{n} {r}" for r, n in reasons.items()) + "\n"
        )
    for note in log.decisions:  # how an ambiguous date column was read: said by every command
        if "day-first" in note or "month-first" in note:
            sys.stderr.write(f"{PROG}: {note}\n")
    if args.redact or args.redact_order_ids:
        from ._redaction import redact_with_report

        with progress.stage("redacting"):
            log, _ = redact_with_report(log, order_ids=args.redact_order_ids)
        _tell(args, log.decisions[-1])
    return log


def _open_out(path: str | None) -> tuple[TextIO, bool]:
    if path is None:
        return sys.stdout, False
    return open(path, "w", encoding="utf-8", newline=""), True  # noqa: SIM115


def _emit(text: str, path: str | None, *, quiet: bool = False, terminal: bool = True) -> None:
    """Write ``text`` to ``path`` or stdout.  On stdout, text meant for people (``terminal``)
    and anything going to a terminal loses its control characters."""
    out, close = _open_out(path)
    if path is None and (terminal or bool(getattr(out, "isatty", lambda: False)())):
        from .report import terminal_safe

        text = terminal_safe(text)
    try:
        out.write(text if text.endswith("\n") else text + "\n")
    finally:
        if close:
            out.close()
    if path is not None and not quiet:
        sys.stderr.write(f"{PROG}: wrote {path}\n")


def _table_text(frame: pd.DataFrame, tz: str, wrap: dict[str, int] | None = None) -> str:
    """A plain left-aligned text table: long texts cut to ``_TEXT_WIDTH`` characters, except
    the columns of ``wrap`` (name -> width), whose text is wrapped onto more lines, whole."""
    import textwrap

    wrap = {c: w for c, w in (wrap or {}).items() if c in frame.columns}
    if frame.empty:
        return "(none)"
    cells: dict[str, pd.Series] = {}
    numeric: set[str] = set()
    for c in frame.columns:
        s = frame[c]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            text = s.dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M").where(s.notna(), "")
        elif pd.api.types.is_bool_dtype(s):
            text = s.map({True: "yes", False: "no"}).astype(str)
        elif pd.api.types.is_float_dtype(s):
            text = s.map(lambda v: "" if pd.isna(v) else f"{v:,.1f}")
            numeric.add(c)
        elif pd.api.types.is_numeric_dtype(s):
            text = s.astype(object).where(s.notna(), "").astype(str)
            numeric.add(c)
        else:
            text = s.astype(object).where(s.notna(), "").astype(str)
            text = text.str.replace(r"\s+", " ", regex=True).str.strip()
            if c not in wrap:
                long = text.str.len() > _TEXT_WIDTH
                text = text.where(~long, text.str.slice(0, _TEXT_WIDTH - 1) + "…")
        cells[c] = text.astype(str)
    wrapped = {c: [textwrap.wrap(v, w, break_on_hyphens=False) or [""]
                   for v in cells[c].tolist()] for c, w in wrap.items()}
    widths = {c: max(len(str(c)), int(cells[c].str.len().max() or 0)) for c in frame.columns}
    for c in wrap:
        widths[c] = max(len(str(c)), max((len(p) for ps in wrapped[c] for p in ps), default=0))
    last = frame.columns[-1]

    def fmt(c: str, value: str) -> str:
        if c in numeric:
            return value.rjust(widths[c])
        return value if c == last else value.ljust(widths[c])

    lines = ["  ".join(fmt(c, str(c)) if c in numeric else
                       (str(c) if c == last else str(c).ljust(widths[c])) for c in frame.columns)]
    rows = zip(*(cells[c].tolist() for c in frame.columns), strict=True)
    for i, row in enumerate(rows):
        if not wrap:
            lines.append("  ".join(fmt(c, v) for c, v in zip(frame.columns, row, strict=True)))
            continue
        height = max(len(wrapped[c][i]) for c in wrap)
        for j in range(height):
            parts = []
            for c, v in zip(frame.columns, row, strict=True):
                if c in wrap:
                    v = wrapped[c][i][j] if j < len(wrapped[c][i]) else ""
                elif j:
                    v = ""
                parts.append(fmt(c, v))
            lines.append("  ".join(parts))
        if height > 1:
            lines.append("")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


def _write_frame(frame: pd.DataFrame, fmt: str, tz: str, path: str | None, *,
                 quiet: bool = False, wrap: dict[str, int] | None = None) -> None:
    from .report import frame_json, write_frame_csv

    if fmt == "csv":
        _emit(str(write_frame_csv(frame, tz=tz)), path, quiet=quiet, terminal=False)
    elif fmt == "json":
        _emit(frame_json(frame, tz=tz), path, quiet=quiet, terminal=False)
    else:
        _emit(_table_text(frame, tz, wrap), path, quiet=quiet)


def _analyse(args: argparse.Namespace, log: Any) -> Any:
    """The one analysis every command renders, with the command line's settings; only the
    accounts of ``--account`` when given."""
    from .analysis import analyse

    a = analyse(
        log,
        as_of=args.as_of,
        tz=args.tz,
        sla_hours=args.sla_hours,
        wait_hours=args.wait_hours,
    )
    names = getattr(args, "account", None)
    return a.filter(accounts=_accounts(names, log.account_names)) if names else a


def _accounts(names: Sequence[str], known: Any) -> list[str]:
    """The accounts of ``--account`` as the log spells them (case-insensitive match)."""
    from .errors import ConfigError

    spelled = {str(k).casefold(): str(k) for k in known}
    out, unknown = [], []
    for name in names:
        hit = spelled.get(name.strip().casefold())
        (out.append(hit) if hit is not None else unknown.append(name))
    if unknown:
        shown = ", ".join(repr(k) for k in list(spelled.values())[:20])
        raise ConfigError(
            f"--account: {', '.join(repr(u) for u in unknown)} not in the input; its accounts "
            f"are {shown or '(none)'}"
        )
    return out


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


# ---------------------------------------------------------------------------------- commands


def _cmd_summary(args: argparse.Namespace, progress: _Progress) -> int:
    log = _load(args, progress)
    lines = [str(log.summary())]
    if len(log.messages):
        with progress.stage("analysing"):
            a = _analyse(args, log)
            k = a.kpis().set_index("key")["value"]
        if k["cases_answered"]:
            lines += [
                "",
                "response times (hours)",
                f"  first response  median {k['first_response_median']:.1f}, "
                f"p90 {k['first_response_p90']:.1f}  ({k['cases_answered']:,} cases answered, "
                f"{k['cases_waiting']:,} waiting)",
            ]
        if k["turns"]:
            lines.append(
                f"  all turns       median {k['response_median']:.1f}, p90 {k['response_p90']:.1f}"
                f"  ({k['turns']:,} turns, {k['turns_open']:,} open, "
                f"{k['share_over_sla']:.0%} over {a.settings.sla_hours:g} h)"
            )
    _emit("\n".join(lines), None)
    return 0


def _ranked(queue: pd.DataFrame) -> pd.DataFrame:
    """The queue with ``rank`` (1 = most urgent) first, in place of the urgency score."""
    out = queue.drop(columns=[c for c in ("urgency",) if c in queue.columns])
    out.insert(0, "rank", range(1, len(out) + 1))
    return out.reset_index(drop=True)


def _cmd_flag(args: argparse.Namespace, progress: _Progress) -> int:
    from .schema import VERDICTS

    log = _load(args, progress)
    with progress.stage("analysing"):
        a = _analyse(args, log)
        ready = a.readiness
        queue = a.queue(VERDICTS if args.all else ("ready", "not yet"))
    queue = _ranked(queue)
    if args.format == "table":
        cols = ["rank", "case_id", "account", "category", "verdict", "target", "reasons",
                "next_step"]
        if "matter_id" in queue.columns and queue["matter_id"].ne("").any():
            cols[2:2] = ["matter_id"]  # the cases of a matter sit together: name it
        queue = queue[[c for c in cols if c in queue.columns]].rename(
            columns={"case_id": "case", "next_step": "next step", "matter_id": "matter"})
    _write_frame(queue, args.format, args.tz, args.output, quiet=args.quiet, wrap=_WRAP)
    if args.format == "table" and args.output is None:
        counts = ready["verdict"].value_counts()
        tally = ", ".join(f"{int(counts.get(v, 0)):,} {v}" for v in VERDICTS)
        _tell(args, f"{_plural(len(ready), 'case')}: {tally}")
    return 0


def _cmd_report(args: argparse.Namespace, progress: _Progress) -> int:
    from .report import write_workbook

    log = _load(args, progress)
    with progress.stage("analysing"):
        a = _analyse(args, log)
        if args.workers or args.scheduler:
            from .analysis import analyse_partitioned

            a = analyse_partitioned(a, a.settings, client=args.scheduler,
                                    n_workers=args.workers or 2)
    if args.per_account is None:
        path = write_workbook(a, args.output, charts=not args.no_charts, progress=progress.stage)
        _emit(f"wrote {path}", None)
        return 0
    folder = Path(args.per_account)
    if folder.exists() and not folder.is_dir():
        raise CaselogError(f"--per-account: {folder} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted({str(x) for x in a.readiness["account"]})
    written = []
    for name, file in zip(names, _file_names(names), strict=True):
        with progress.stage(f"workbook of {name}"):
            path = write_workbook(a.filter(accounts=[name]), folder / file,
                                  charts=not args.no_charts)
        written.append(f"wrote {path}")
    _emit("\n".join(written) or f"no accounts: nothing written to {folder}", None)
    return 0


def _file_names(names: Sequence[str]) -> list[str]:
    """A safe, distinct ``.xlsx`` file name per account name."""
    import re

    out, seen = [], set()
    for name in names:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "account"
        stem, k = stem[:80], 2
        base = stem
        while stem.lower() in seen:
            stem, k = f"{base}_{k}", k + 1
        seen.add(stem.lower())
        out.append(f"{stem}.xlsx")
    return out


def _cmd_brief(args: argparse.Namespace, progress: _Progress) -> int:
    log = _load(args, progress)
    with progress.stage("analysing"):
        text = _analyse(args, log).brief(args.case_id)
    _emit(text, args.output, quiet=args.quiet)
    return 0


def _cmd_templates(args: argparse.Namespace, progress: _Progress) -> int:
    log = _load(args, progress)
    from .report._catalogue import display_catalogue

    with progress.stage("finding templates"):
        catalogue = display_catalogue(_analyse(args, log))
    top = catalogue.head(args.top)
    if args.format == "table":
        cols = ["template_id", "n_messages", "n_cases", "n_accounts", "reply_class", "teams",
                "text"]
        top = top[[c for c in cols if c in top.columns]]
    _write_frame(top, args.format, args.tz, args.output, quiet=args.quiet)
    return 0


def _cmd_matters(args: argparse.Namespace, progress: _Progress) -> int:
    log = _load(args, progress)
    with progress.stage("linking matters"):
        a = _analyse(args, log)
        frame = a.matters.links if args.links else a.matter_summary()
    if not args.links and not args.all:
        frame = frame[frame["n_cases"] > 1].reset_index(drop=True)
    if args.format == "table":
        cols = (["case_a", "case_b", "rule", "evidence"] if args.links else
                ["matter_id", "accounts", "n_cases", "case_ids", "channels", "first_at",
                 "days_since_start", "repeat_canned_denials", "escalations_level_3", "verdicts"])
        frame = frame[[c for c in cols if c in frame.columns]]
    _write_frame(frame, args.format, args.tz, args.output)
    return 0


def _cmd_sample(args: argparse.Namespace, progress: _Progress) -> int:
    from .sample import generate, write_sample

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise CaselogError(f"{out} exists and is not a folder")
    with progress.stage("writing the sample"):
        sample = None
        if args.seed is not None or args.cases is not None:
            kwargs: dict[str, Any] = {}
            if args.seed is not None:
                kwargs["seed"] = args.seed
            if args.cases is not None:
                kwargs["n_cases"] = args.cases
            sample = generate(**kwargs)
        paths = write_sample(out, sample)
    _emit("\n".join(f"wrote {p}" for p in paths.values()), None)
    return 0


# ---------------------------------------------------------------------------------- main


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
