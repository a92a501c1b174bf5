"""The ``caselog`` argument parser: one sub-parser per command."""

from __future__ import annotations

import argparse
from typing import Any

from ._args import PROG, _Formatter, _input_options, _positive
from ._commands import (
    _cmd_brief,
    _cmd_flag,
    _cmd_matters,
    _cmd_report,
    _cmd_sample,
    _cmd_summary,
    _cmd_templates,
)


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
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    inputs = _input_options()

    _add_summary(sub, inputs)
    _add_flag(sub, inputs)
    _add_report(sub, inputs)
    _add_brief(sub, inputs)
    _add_templates(sub, inputs)
    _add_matters(sub, inputs)
    _add_sample(sub, inputs)
    return parser


def _add_summary(sub: Any, inputs: argparse.ArgumentParser) -> None:
    """The ``caselog summary`` sub-command."""
    p = sub.add_parser(
        "summary", parents=[inputs], formatter_class=_Formatter,
        help="key figures: rows, accounts, cases, date range, teams, channels, first response",
        description="Key figures of the input: row accounting, accounts, cases, date range, "
        "messages by account, team and channel, rejects, first response times.",
        epilog="example:\n  caselog summary data/sample/caselog_sample.xlsx\n"
        "  caselog summary exports/ --map case_id=issueid --value direction:reporter=seller",
    )
    p.set_defaults(run=_cmd_summary)


def _add_flag(sub: Any, inputs: argparse.ArgumentParser) -> None:
    """The ``caselog flag`` sub-command."""
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


def _add_report(sub: Any, inputs: argparse.ArgumentParser) -> None:
    """The ``caselog report`` sub-command."""
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
        help="analyse on N local Dask worker processes, partitioned by case "
        "(needs pip install 'caselog[dask]')",
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="analyse on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786)",
    )
    p.set_defaults(run=_cmd_report)


def _add_brief(sub: Any, inputs: argparse.ArgumentParser) -> None:
    """The ``caselog brief`` sub-command."""
    p = sub.add_parser(
        "brief", parents=[_input_options(case_id=True)], formatter_class=_Formatter,
        help="the escalation letter of one case (Markdown, or --format text)",
        description="Print the escalation letter of a ready case in Markdown: subject, "
        "addressee, summary, what was done, why the replies fail, what is asked, attachments; "
        "notes for the sender after it. Facts the data lacks are written as [add: ...]. For a "
        "case that is not ready: why not, and what to do first.",
        epilog="example:\n  caselog brief 11111111111 data/sample/caselog_sample.xlsx\n"
        "  caselog brief 11111111111 exports/ --redact -o brief.md",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--format", choices=["markdown", "text"], default="markdown",
                   help="markdown (default; data escaped for a Markdown viewer) or text (plain "
                   "text to paste into a Seller Central case or an e-mail)")
    p.set_defaults(run=_cmd_brief)


def _add_templates(sub: Any, inputs: argparse.ArgumentParser) -> None:
    """The ``caselog templates`` sub-command."""
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


def _add_matters(sub: Any, inputs: argparse.ArgumentParser) -> None:
    """The ``caselog matters`` sub-command."""
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


def _add_sample(sub: Any, inputs: argparse.ArgumentParser) -> None:
    """The ``caselog sample`` sub-command."""
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
