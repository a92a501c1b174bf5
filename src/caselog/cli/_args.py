"""Argument types of the command line (``--map``, ``--value``, ``--as-of``, zones) and the
input options shared by the sub-commands that read files."""

from __future__ import annotations

import argparse
import zoneinfo

import pandas as pd

from ..errors import CaselogError

PROG = "caselog"


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
    from ..io import zone_names

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
