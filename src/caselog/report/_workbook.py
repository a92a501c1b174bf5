"""The Excel audit workbook: one .xlsx a consultant can send as it is.

:func:`write_workbook` runs the analyses and writes, in this order:

===================  ===========================================================================
sheet                content
===================  ===========================================================================
Summary              key figures (accounts, cases, messages, date range, first response median
                     and p90, canned repeats, escalations and outcomes, readiness counts),
                     response times by team, notes (redaction, truncation, how the input was
                     read); prints on at most two portrait pages
Charts               the main charts as images, one per printed page
Cases                one row per case with its readiness verdict, reasons, facts and next step
                     (and its matter, when the log has matters of two or more cases)
Matters              one row per matter of two or more cases: accounts, case IDs, channels,
                     first and last message, days since the problem started, hours without
                     an answer, canned repeats and repeat denials across the matter, highest
                     escalation level, the matter's verdict and the evidence of its links
Messages             one row per message with its template id and reply class; loads back with
                     ``caselog.load(path)`` (or ``sheets={"messages": "Messages"}``)
Response times       one row per turn (:func:`caselog.turns`)
Templates            the template catalogue (:func:`caselog.find_templates`), each text in its
                     original case with placeholders (``<SELLER>``, ``<ASIN>``, ``<DATE>`` ...)
Escalations          one row per escalation (:func:`caselog.escalations`)
Briefs               the escalation letters of the ready cases, most urgent first: one
                     paragraph a row (case, part, text), plain text, notes for the sender last
Rejects              input rows that could not be used, with the reason
===================  ===========================================================================

Every sheet prints: landscape, one page wide, the header row and the ID column repeated on
every page, reasons, bodies and letter text wrapped.  Every data sheet is a real Excel table (filter buttons, a table style), with a frozen header
row, column widths from the content (capped) and explicit number formats: hours as numbers
(``0.0``), dates as Excel date-times converted to **one** named time zone ``tz`` with the zone
in the header (``"Sent (UTC)"``).  Response times over ``sla_hours`` and ready cases are
highlighted by conditional formatting.

Text is always stored as text: a cell starting with ``= + - @``, a tab or a CR is written as a
string with Excel's quote prefix, never as a formula.  Excel's limits are respected: text longer
than 32,767 characters is cut with a visible marker (counted in the Summary notes), sheets stop
at 1,048,576 rows (noted), control characters Excel cannot store are replaced by U+FFFD and line
ends are written as ``\\n``.

The workbook is written in openpyxl's write-only (streaming) mode, row chunk by row chunk, so
memory stays flat for large logs.
"""

from __future__ import annotations

import importlib
import io
import os
import textwrap
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font

from ..analysis import Analysis, Settings, analyse
from ..errors import ConfigError
from ..model import CaseLog
from ..schema import VERDICTS
from ._catalogue import display_catalogue
from ._xlsx import (
    _AMBER,
    _GREEN,
    _RED,
    EXCEL_MAX_CHARS,
    EXCEL_MAX_ROWS,
    _Col,
    _Notes,
    _page_setup,
    _private_temp,
    _SheetWriter,
    _stage,
    excel_safe,
    excel_sheet_name,
    excel_text,
)

__all__ = [
    "write_workbook",
    "SHEETS",
    "EXCEL_MAX_CHARS",
    "EXCEL_MAX_ROWS",
    "excel_sheet_name",
    "excel_text",
    "excel_safe",
]

#: Sheet names, in workbook order.
SHEETS: tuple[str, ...] = (
    "Summary",
    "Charts",
    "Cases",
    "Matters",
    "Messages",
    "Response times",
    "Templates",
    "Escalations",
    "Briefs",
    "Rejects",
)



def _briefs_frame(a: Any, max_briefs: int | None, notes: _Notes) -> pd.DataFrame:
    """The Briefs sheet: the letters of the ready cases in queue order (at most
    ``max_briefs`` of them), one paragraph or list item a row."""
    from ._briefs import letters

    queue = a.queue(("ready",))
    ids = queue["case_id"].astype(str).tolist()
    total = len(ids)
    if max_briefs is not None and total > max_briefs:
        ids = ids[:max_briefs]
        notes.add(
            f"Briefs: the letters of the {max_briefs:,} most urgent of {total:,} ready cases; "
            "'caselog brief CASE_ID FILE...' writes any other."
        )
    accounts = dict(zip(queue["case_id"].astype(str), queue["account"].astype(str), strict=True))
    rows = []
    for letter in letters(a, ids):
        for part, text in letter.rows():
            rows.append((letter.case_id, accounts.get(letter.case_id, ""), part, text))
    return pd.DataFrame(rows, columns=["case_id", "account", "part", "text"], dtype="str")


# ------------------------------------------------------------------------------------ columns

_MESSAGE_COLS = (
    _Col("Message ID", "message_id", "int"),
    _Col("Case ID", "case_id", max_width=16),
    _Col("Account", "account", max_width=24),
    _Col("Sent", "sent_at", "datetime"),
    _Col("Direction", "direction"),
    _Col("Team", "team", max_width=26),
    _Col("Channel", "channel"),
    _Col("Subject", "subject", max_width=30, wrap=True),
    _Col("Body", "body", max_width=70, wrap=True),
    _Col("Attachments", "attachments", "int"),
    _Col("Kind", "kind", max_width=20),
    _Col("Template", "template_id", "int"),
    _Col("Variant", "variant_id", "int"),
    _Col("Reply class", "reply_class", max_width=20),
    _Col("Canned repeat", "is_canned_repeat", "bool"),
    _Col("Source", "source", max_width=40),
)

_CASE_COLS = (
    _Col("Case ID", "case_id", max_width=16),
    _Col("Matter", "matter_id", max_width=10),
    _Col("Account", "account", max_width=18, wrap=True),
    _Col("Category", "category", max_width=16, wrap=True),
    _Col("Status", "status"),
    _Col("Verdict", "verdict", max_width=14),
    _Col("Reasons", "reasons", max_width=50, wrap=True),
    _Col("Missing", "missing", max_width=28, wrap=True),
    _Col("Next step", "next_step", max_width=44, wrap=True),
    _Col("Target level", "target_level", "int"),
    _Col("Target", "target", max_width=24, wrap=True),
    _Col("Verdict with the matter", "matter_verdict", max_width=14, wrap=True),
    _Col("Matter reason", "matter_reason", max_width=40, wrap=True),
    _Col("Opened", "opened_at", "datetime"),
    _Col("Closed", "closed_at", "datetime"),
    _Col("Outcome", "outcome", max_width=30, top=True),
    _Col("ASINs", "asins", max_width=30),
    _Col("Canned repeats", "canned_repeats", "int"),
    _Col("Repeat canned denials", "repeat_canned_denials", "int"),
    _Col("Highest escalation level", "highest_level", "int"),
    _Col("Last seller message", "last_seller_at", "datetime"),
    _Col("Last Amazon message", "last_amazon_at", "datetime"),
    _Col("Hours since last seller message", "hours_since_last_seller", "hours"),
    _Col("Information request pending since", "pending_information_request_at", "datetime"),
    _Col("Facts", "facts", max_width=60, wrap=True),
    _Col("Source", "source", max_width=40),
)

#: the Cases columns on paper: ID to target (the rest are for filtering on screen)
_CASE_PRINT_LAST = "target"

_MATTER_COLS = (
    _Col("Matter", "matter_id", max_width=10, top=True),
    _Col("Accounts", "accounts", max_width=20, wrap=True),
    _Col("Cases", "n_cases", "int"),
    _Col("Case IDs", "case_ids", max_width=13, wrap=True),
    _Col("Channels", "channels", max_width=12, wrap=True),
    _Col("First message", "first_at", "datetime"),
    _Col("Last message", "last_at", "datetime"),
    _Col("Days since start", "days_since_start", "float"),
    _Col("Hours unanswered", "hours_without_answer", "hours"),
    _Col("Canned repeats", "canned_repeats", "int"),
    _Col("Repeat denials", "repeat_canned_denials", "int"),
    _Col("Highest level", "highest_level", "int"),
    _Col("Matter verdict", "matter_verdict", max_width=16, wrap=True),
    _Col("Verdicts of its cases", "verdicts", max_width=26, wrap=True),
    _Col("Evidence of the links", "evidence", max_width=70, wrap=True),
    _Col("First message text", "first_message", max_width=40, wrap=True),
)

_TURN_COLS = (
    _Col("Case ID", "case_id", max_width=16),
    _Col("Account", "account", max_width=24),
    _Col("Category", "category", max_width=22),
    _Col("Turn", "turn", "int"),
    _Col("First seller message", "first_seller_at", "datetime"),
    _Col("Seller messages", "n_seller_messages", "int"),
    _Col("Reply", "reply_at", "datetime"),
    _Col("Team", "team", max_width=26),
    _Col("Channel", "channel"),
    _Col("Open", "is_open", "bool"),
    _Col("Response hours", "response_hours", "hours"),
    _Col("Age hours (open)", "age_hours", "hours"),
    _Col("Business hours", "business_hours", "hours"),
    _Col("Over SLA", "over_sla", "bool"),
    _Col("Month", "month"),
    _Col("First seller message ID", "first_seller_message_id", "int"),
    _Col("Reply message ID", "reply_message_id", "int"),
)

_TEMPLATE_COLS = (
    _Col("Template", "template_id", "int"),
    _Col("Text", "text", max_width=80, wrap=True),
    _Col("Messages", "n_messages", "int"),
    _Col("Cases", "n_cases", "int"),
    _Col("Accounts", "n_accounts", "int"),
    _Col("Reply class", "reply_class", max_width=20),
    _Col("Variants", "n_variants", "int"),
    _Col("Teams", "teams", max_width=40),
    _Col("First seen", "first_seen", "datetime"),
    _Col("Last seen", "last_seen", "datetime"),
)

_ESCALATION_COLS = (
    _Col("Case ID", "case_id", max_width=16),
    _Col("Account", "account", max_width=24),
    _Col("Category", "category", max_width=22),
    _Col("Sent", "sent_at", "datetime"),
    _Col("Level", "level", "int"),
    _Col("Target", "target", max_width=32),
    _Col("Detected by", "detected_by", max_width=18),
    _Col("Team", "team", max_width=26),
    _Col("Outcome", "outcome", max_width=20),
    _Col("Outcome at", "outcome_at", "datetime"),
    _Col("Hours to outcome", "hours_to_outcome", "hours"),
    _Col("New material", "new_material", "bool"),
    _Col("Quality score (of 7)", "quality_score", "score"),
    _Col("Quality missing", "quality_missing", max_width=40, wrap=True),
    _Col("Message ID", "message_id", "int"),
    _Col("Outcome message ID", "outcome_message_id", "int"),
)

_BRIEF_COLS = (  # one paragraph a row, aligned to the top
    _Col("Case ID", "case_id", max_width=16, top=True),
    _Col("Account", "account", max_width=20, top=True),
    _Col("Part", "part", max_width=24, wrap=True),
    _Col("Text", "text", max_width=100, wrap=True),
)

_REJECT_COLS = (
    _Col("File", "file", max_width=30),
    _Col("Sheet", "sheet", max_width=20),
    _Col("Row", "row", "int"),
    _Col("Reason", "reason", max_width=50, wrap=True),
    _Col("Raw", "raw", max_width=70, wrap=True),
    _Col("Source", "source", max_width=40),
)


def _drop_empty(
    cols: Sequence[_Col], frame: pd.DataFrame, optional: set[str], *, if_all_missing: bool = True
) -> list[_Col]:
    """Leave out optional columns that are absent (or, by default, entirely missing)."""
    out = []
    for c in cols:
        if c.source in optional and (
            c.source not in frame or (if_all_missing and frame[c.source].isna().all())
        ):
            continue
        out.append(c)
    return out


# ------------------------------------------------------------------------------------ rules


def _case_rules(sla: float) -> Callable[[Any, dict[str, str], int], None]:
    def rules(ws: Any, col: dict[str, str], last: int) -> None:
        end = col["_last"]
        v = col["verdict"]
        ws.conditional_formatting.add(
            f"A2:{end}{last}", FormulaRule(formula=[f'${v}2="ready"'], fill=_GREEN)
        )
        if "hours_since_last_seller" in col:
            h = col["hours_since_last_seller"]
            ws.conditional_formatting.add(
                f"{h}2:{h}{last}",
                FormulaRule(formula=[f'AND(${v}2<>"closed",{h}2>{sla:g})'], fill=_AMBER),
            )

    return rules


def _turn_rules(sla: float) -> Callable[[Any, dict[str, str], int], None]:
    def rules(ws: Any, col: dict[str, str], last: int) -> None:
        r = col["response_hours"]
        ws.conditional_formatting.add(
            f"{r}2:{r}{last}", CellIsRule(operator="greaterThan", formula=[f"{sla:g}"], fill=_RED)
        )
        a = col["age_hours"]
        ws.conditional_formatting.add(
            f"{a}2:{a}{last}", CellIsRule(operator="greaterThan", formula=[f"{sla:g}"], fill=_RED)
        )

    return rules


def _escalation_rules(sla: float) -> Callable[[Any, dict[str, str], int], None]:
    def rules(ws: Any, col: dict[str, str], last: int) -> None:
        h = col["hours_to_outcome"]
        ws.conditional_formatting.add(
            f"{h}2:{h}{last}", CellIsRule(operator="greaterThan", formula=[f"{sla:g}"], fill=_RED)
        )
        o = col["outcome"]
        ws.conditional_formatting.add(
            f"{o}2:{o}{last}", FormulaRule(formula=[f'{o}2="positive"'], fill=_GREEN)
        )

    return rules


def _message_rules(ws: Any, col: dict[str, str], last: int) -> None:
    # Canned repeats: the Template cell in amber.  (Flags are "yes"/"no" text: LibreOffice 7
    # crashes rendering a conditional format over boolean cells.)
    if "is_canned_repeat" in col and "template_id" in col:
        c, t = col["is_canned_repeat"], col["template_id"]
        ws.conditional_formatting.add(
            f"{t}2:{t}{last}", FormulaRule(formula=[f"${c}2=TRUE"], fill=_AMBER)
        )


# ------------------------------------------------------------------------------------ summary


def _fmt_ts(ts: Any, tz: str) -> str:
    if ts is None or pd.isna(ts):
        return "-"
    return pd.Timestamp(ts).tz_convert(tz).strftime("%Y-%m-%d %H:%M")


_KPI_FORMATS = {"int": "#,##0", "hours": "0.0", "share": "0%", "datetime": "yyyy-mm-dd hh:mm"}


def _local(ts: Any, tz: str) -> Any:
    """A naive datetime in ``tz`` (what an Excel date cell holds), None when missing."""
    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).tz_convert(tz).tz_localize(None).floor("us").to_pydatetime()


_DECISION_WORDS = (
    # how the input was read, in words for a client
    (r"^(.*?): messages from sheet\(s\) \[(.*)\], cases from \[(.*)\]$",
     r"\1: messages read from sheet \2, cases from sheet \3."),
    (r"^(.*?): dates in (.*?): spreadsheet date cells$", r"\1: the dates in column \2 are "
     r"spreadsheet dates."),
    (r"^(.*?): dates in (.*?): day-first \(DD/MM\): (\d+) dates have a day above 12$",
     r"\1: the dates in column \2 are read day first (DD/MM): \3 of them have a day above 12."),
    (r"^(.*?): dates in (.*?): month-first \(MM/DD\): (\d+) dates have a day above 12$",
     r"\1: the dates in column \2 are read month first (MM/DD): \3 of them have a day above 12."),
)


def _plain_decision(line: str) -> str:
    """A loader decision in words for a client (``case_id <- 'Ticket #'`` becomes "column
    'Ticket #' read as the case ID")."""
    import re

    if " <- " in line:
        where, _, pairs = line.partition(": ")
        parts = [p.split(" <- ", 1) for p in pairs.split(", ") if " <- " in p]
        if parts:
            words = ", ".join(f"{src} as {dst.replace('_', ' ').replace('id', 'ID')}"
                              for dst, src in parts)
            return f"{where}: columns read: {words}."
    for pattern, repl in _DECISION_WORDS:
        if re.match(pattern, line):
            return re.sub(pattern, repl, line)
    return line


def _summary_rows(a: Analysis, tz: str) -> list[tuple[str, Any, str]]:
    """(label, value, number format or "") rows of the key-figures block; label "#" = section.

    The figures are :meth:`Analysis.kpis`; escalation outcomes that never occur are left out.
    """
    rows: list[tuple[str, Any, str]] = []
    section = None
    for r in a.kpis().itertuples(index=False):
        if r.section != section:
            section = r.section
            rows.append(("#", "Readiness to escalate (see Cases)" if section.startswith("Readiness")
                         else section, ""))
        if r.key.startswith("outcome_") and r.value == 0:
            continue
        value, label = r.value, r.metric
        if r.format == "datetime":  # a real date-time cell, in tz
            value, label = _local(value, tz), f"{label} ({tz})"
        elif r.format != "int":
            value = _num(value)
        rows.append((label, value, _KPI_FORMATS[r.format]))
    return rows


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _chart_images(an: Analysis, sla: float, notes: _Notes) -> list[tuple[str, bytes]]:
    """PNG images of the main charts; a chart that cannot be drawn is left out with a note."""
    try:
        from matplotlib.figure import Figure

        plotting = importlib.import_module("caselog.plotting")
    except ImportError:
        notes.add("Charts: caselog.plotting (matplotlib) is not available; no charts.")
        return []
    jobs = [
        ("Response times by team", "plot_response_distribution", an.turns, {"sla_hours": sla}),
        ("Response time by month", "plot_response_trend", an.turns, {"sla_hours": sla}),
        ("Top templates", "plot_top_templates", an.templates.catalogue, {}),
        ("Escalation outcomes", "plot_escalation_outcomes", an.escalations, {}),
        ("Readiness", "plot_readiness", an.readiness, {}),
    ]
    images = []
    for title, name, data, kwargs in jobs:
        func = getattr(plotting, name, None)
        if func is None:
            notes.add(f"Charts: {title} left out (caselog.plotting has no {name}).")
            continue
        fig = Figure(figsize=(8, 4.5), dpi=100)
        ax = fig.subplots()
        try:
            func(data, ax=ax, **kwargs)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        except Exception as exc:  # a chart must not stop the audit  # noqa: BLE001
            notes.add(f"Charts: {title} left out ({type(exc).__name__}: {exc}).")
            continue
        images.append((title, buf.getvalue()))
    return images


def _write_summary(
    ws: Any,
    an: Analysis,
    notes: _Notes,
    sheets_written: dict[str, int],
) -> None:
    from .. import __version__

    log, as_of, tz, sla = an.log, an.as_of, an.settings.tz, an.settings.sla_hours
    _page_setup(ws, summary=True)
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 12
    ws.column_dimensions["E"].width = 12
    ws.column_dimensions["F"].width = 12
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)

    def cell(value: Any, *, font: Font | None = None, fmt: str = "", wrap: bool = False,
             align: Alignment | None = None):
        if isinstance(value, str):
            value = excel_text(pd.Series([value], dtype=object))[0].iloc[0]
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            c.data_type = "s"
            c.quotePrefix = True
        if font is not None:
            c.font = font
        if fmt:
            c.number_format = fmt
        if wrap:
            c.alignment = Alignment(wrap_text=True, vertical="top")
        if align is not None:
            c.alignment = align
        return c

    ws.append([cell("Seller case audit", font=title_font)])
    ws.append([cell(f"As of {_fmt_ts(as_of, tz)} ({tz}); all times in {tz}. "
                    f"Written by caselog {__version__}.")])
    ws.append([])
    for label, value, fmt in _summary_rows(an, tz):
        if label == "#":
            ws.append([])
            ws.append([cell(value, font=bold)])
        else:
            ws.append([cell(label), cell(value, fmt=fmt)])

    by_team = an.response_summary(by="team")
    if len(by_team):
        ws.append([])
        ws.append([cell("Response times by team (hours)", font=bold)])
        right = Alignment(horizontal="right")
        ws.append([cell("Team", font=bold)] + [
            cell(h, font=bold, align=right)
            for h in ("Turns", "Open", "Median", "90th pct", "Over SLA")
        ])
        for row in by_team.itertuples(index=False):
            ws.append([
                cell(row.team), cell(int(row.n), fmt="#,##0"), cell(int(row.n_open), fmt="#,##0"),
                cell(_num(row.median_hours), fmt="0.0"), cell(_num(row.p90_hours), fmt="0.0"),
                cell(_num(row.share_over_sla), fmt="0%"),
            ])

    ws.append([])
    ws.append([cell("Sheets", font=bold)])
    guide = {
        "Cases": "one row per case: readiness verdict (ready cases in green), reasons, next step "
                 "(prints case ID to target)",
        "Matters": "one row per matter of two or more cases (one problem over several cases): "
                   "its cases, waits, repeats, escalations, verdict and the evidence of its links",
        "Messages": "one row per message, with its template and reply class",
        "Response times": f"one row per turn; responses over {sla:g} h in red",
        "Templates": "the Amazon reply templates, most used first",
        "Escalations": "one row per escalation with its level, outcome and quality",
        "Briefs": "escalation letters of the ready cases, most urgent first, a paragraph a row",
        "Rejects": "input rows that could not be used, with the reason",
    }
    for name, text in guide.items():
        if name in sheets_written:
            ws.append([cell(name), cell(f"{sheets_written[name]:,} rows: {text}")])

    lines = list(notes.lines)
    for where, k in notes.cut.items():
        lines.append(
            f"{where}: {k:,} cells longer than Excel's {EXCEL_MAX_CHARS:,} characters were cut "
            "(marked '… [cut by caselog …]')."
        )
    lines += [_plain_decision(d) for d in log.decisions]
    if lines:
        ws.append([])
        ws.append([cell("Notes", font=bold)])
        for line in lines:
            text, _ = excel_text(pd.Series([line]))
            parts = textwrap.wrap(text.iloc[0], 110, subsequent_indent="    ") or [""]
            for part in parts:
                ws.append([cell(part)])



def _write_charts(ws: Any, images: list[tuple[str, bytes]]) -> None:
    """The charts, one per printed landscape page (a row break after each)."""
    from openpyxl.drawing.image import Image
    from openpyxl.worksheet.pagebreak import Break

    _page_setup(ws, summary=False, title_cols=None, title_rows=False)
    row = 1
    for title, png in images:
        head = WriteOnlyCell(ws, value=title)
        head.font = Font(bold=True, size=12)
        ws.append([head])
        img = Image(io.BytesIO(png))
        scale = min(1.0, 900 / max(img.width, 1), 520 / max(img.height, 1))
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        ws.add_image(img, f"A{row + 1}")
        n_rows = int(img.height / 20) + 2
        for _ in range(n_rows):
            ws.append([])
        row += n_rows + 1
        ws.row_breaks.append(Break(id=row - 1))
    if not images:
        ws.append(["No charts in this workbook."])


# ------------------------------------------------------------------------------------ main


def _messages_frame(an: Analysis) -> pd.DataFrame:
    tm = an.templates.messages[
        ["message_id", "template_id", "variant_id", "reply_class", "is_canned_repeat"]
    ]
    return an.log.messages.merge(tm, on="message_id", how="left", sort=False, validate="one_to_one")


def _link_evidence(an: Analysis) -> pd.Series:
    """Per matter: the links that joined its cases (strongest rule first, one a line), then
    how many more links say the same."""
    from ..analysis._matter_queue import RULE_WORDS
    from ..analysis._matters import LINK_RULES

    case_matter = an.matters.matters.set_index("case_id")["matter_id"]
    links = an.matters.links
    links = links[links["applied"]]
    rank = links["rule"].map({r: i for i, r in enumerate(LINK_RULES)})
    links = links.assign(matter_id=links["case_a"].map(case_matter), _r=rank).sort_values(
        "_r", kind="stable")
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    lines: dict[str, list[str]] = {}
    more: dict[str, int] = {}
    for a, b, rule, ev, mid in zip(links["case_a"], links["case_b"], links["rule"],
                                   links["evidence"], links["matter_id"], strict=True):
        ra, rb = root(a), root(b)
        if ra == rb:
            more[mid] = more.get(mid, 0) + 1
            continue
        parent[rb] = ra
        lines.setdefault(mid, []).append(
            f"{a} and {b} ({RULE_WORDS.get(rule, rule)}): {ev}")
    out = {}
    for mid, ls in lines.items():
        if more.get(mid):
            n = more[mid]
            ls = ls + [f"and {n} more {'link' if n == 1 else 'links'} between these cases "
                       "('caselog matters --links' lists them all)"]
        out[mid] = "\n".join(ls)
    return pd.Series(out, dtype="object")


def _matters_frame(an: Analysis) -> pd.DataFrame:
    """The Matters sheet: one row per matter of two or more cases (:meth:`Analysis.
    matter_summary`), with its verdict (that of its most urgent case with the matter in view),
    its highest escalation level and the evidence of its links, one link a line."""
    from ..analysis._matter_queue import matter_verdicts

    s = an.matter_summary()
    s = s[s["n_cases"] > 1].reset_index(drop=True)
    if s.empty:
        return s.assign(highest_level=pd.Series(dtype="float64"), matter_verdict="", evidence="")
    level = pd.Series(float("nan"), index=s.index)
    for k in (1, 2, 3):
        level = level.mask(s[f"escalations_level_{k}"].gt(0), float(k))
    s["highest_level"] = level
    verdict = matter_verdicts(an.matter_readiness)
    s["matter_verdict"] = [
        f"{verdict.at[m, 'verdict']} (case {verdict.at[m, 'case_id']})" if m in verdict.index
        else "" for m in s["matter_id"]
    ]
    s["evidence"] = s["matter_id"].map(_link_evidence(an)).fillna("")
    s["case_ids"] = s["case_ids"].str.replace(", ", "\n", regex=False)
    s["verdicts"] = s["verdicts"].str.replace("; ", "\n", regex=False)
    return s


def _cases_frame(an: Analysis) -> pd.DataFrame:
    cases = an.log.cases
    ready = an.queue(VERDICTS)
    extra = [c for c in ready.columns if c not in cases.columns or c == "case_id"]
    out = ready[extra].merge(cases, on="case_id", how="left", sort=False, suffixes=("", "_case"))
    for c in ("account", "category", "status"):
        if c in ready.columns:
            out[c] = ready[c].to_numpy()
    return out


def write_workbook(
    log: CaseLog | Analysis,
    path: str | PathLike[str],
    *,
    settings: Settings | None = None,
    as_of: Any = None,
    tz: str | None = None,
    redact: bool = False,
    order_ids: bool = False,
    sla_hours: float | None = None,
    charts: bool = True,
    max_briefs: int | None = 10,
    progress: Callable[[str], AbstractContextManager[Any]] | None = None,
) -> Path:
    """Write the Excel audit workbook of ``log`` to ``path``.

    The workbook renders one :class:`~caselog.Analysis`: the one given, or
    ``caselog.analyse(log, settings, as_of=..., tz=..., sla_hours=...)``.

    Parameters
    ----------
    log : CaseLog or Analysis
        The loaded case log, or its analysis (then ``settings``, ``as_of``, ``tz`` and
        ``sla_hours`` change it only when given).
    settings : Settings, optional
        The analysis settings; ``as_of``, ``tz`` and ``sla_hours`` override its fields.
    path : str or Path
        Where to write the ``.xlsx`` (parent folders must exist; an existing file is replaced).
    as_of : timestamp, optional
        "Now" for the analyses; default the newest ``sent_at``.  Naive values are UTC.
    tz : str, optional
        IANA time zone every date is shown in (the zone is named in the headers, e.g.
        ``"Sent (Europe/Berlin)"``); default ``settings.tz`` (UTC).
    redact : bool
        Mask e-mails, phone numbers, street addresses and greeting names first
        (:func:`caselog.redact`), then analyse the masked log with the same settings; the
        counts go to the Summary notes.
    order_ids : bool
        With ``redact``, also mask order IDs.
    sla_hours : float, optional
        Response time highlighted as a breach (default ``settings.sla_hours``, 48).  The wait
        window of escalations and readiness is ``settings.rules.wait_hours`` (48).
    charts : bool
        Put the main charts on the Summary sheet (default True).
    max_briefs : int or None
        Briefs for at most this many ready cases, most urgent first (default 10; None = all).
    progress : callable, optional
        ``progress(stage_name)`` returning a context manager (the CLI's stage printer).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ConfigError
        ``tz`` is not a known time zone, ``sla_hours`` / ``max_briefs`` are negative, or the
        folder of ``path`` does not exist.
    OSError
        The file cannot be written (permissions, disk full).

    Examples
    --------
    >>> import caselog
        >>> import tempfile, pathlib
    >>> log = caselog.load("data/sample/caselog_sample.xlsx")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "audit.xlsx"
    >>> write_workbook(log, out, tz="Europe/Berlin", charts=False).name
    'audit.xlsx'
    """
    if max_briefs is not None and (
        isinstance(max_briefs, bool) or not isinstance(max_briefs, int) or max_briefs < 0
    ):
        raise ConfigError(f"max_briefs: expected a non-negative whole number, found {max_briefs!r}")
    path = Path(path)
    if not path.parent.is_dir():
        raise ConfigError(f"cannot write {path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise ConfigError(f"cannot write {path}: it is a folder")
    notes = _Notes()
    with _stage(progress, "analysing"):
        an = analyse(log, settings, as_of=as_of, tz=tz, sla_hours=sla_hours)
    if redact:
        from .._redaction import redact_with_report

        with _stage(progress, "redacting"):
            # a filtered view (one client) is redacted as the view, the whole log otherwise
            source = an.log if an._source is not None else an._full
            masked, _report = redact_with_report(source, order_ids=order_ids)
        an = analyse(masked, an.settings)
    sla = an.settings.sla_hours
    with _stage(progress, "writing briefs"):
        briefs = _briefs_frame(an, max_briefs, notes)

    with _stage(progress, "writing"):
        images = _chart_images(an, sla, notes) if charts else []
        wb = Workbook(write_only=True)
        wb.properties.creator = "caselog"
        wb.properties.title = "Seller case audit"
        summary = wb.create_sheet("Summary")
        _write_charts(wb.create_sheet("Charts"), images)
        writer = _SheetWriter(wb, an.settings.tz, notes, path.parent)
        try:
            written: dict[str, int] = {}
            cases = _cases_frame(an)
            has_matters = bool(cases["matter_id"].ne("").any())  # no matters: no columns
            case_cols = [c for c in _CASE_COLS if has_matters or not c.source.startswith(
                "matter_")]
            written["Cases"] = writer.write(
                "Cases", cases, case_cols, freeze="B2",
                print_cols=[c.source for c in case_cols].index(_CASE_PRINT_LAST) + 1,
                rules=_case_rules(an.settings.rules.wait_hours),
            )
            written["Matters"] = writer.write(
                "Matters", _matters_frame(an), _MATTER_COLS, freeze="B2", wrap_header=True,
                print_cols=len(_MATTER_COLS) - 1,  # the first message's words on screen only
            )
            messages = _messages_frame(an)
            optional = {"template_id", "variant_id", "reply_class", "is_canned_repeat"}
            written["Messages"] = writer.write(
                "Messages", messages,
                _drop_empty(_MESSAGE_COLS, messages, optional, if_all_missing=False),
                freeze="C2", rules=_message_rules,
            )
            written["Response times"] = writer.write(
                "Response times", an.turns,
                _drop_empty(_TURN_COLS, an.turns, {"business_hours"}),
                freeze="B2", rules=_turn_rules(sla),
            )
            written["Templates"] = writer.write(
                "Templates", display_catalogue(an), _TEMPLATE_COLS, freeze="B2"
            )
            written["Escalations"] = writer.write(
                "Escalations", an.escalations, _ESCALATION_COLS, freeze="B2",
                rules=_escalation_rules(an.settings.rules.wait_hours),
            )
            written["Briefs"] = writer.write("Briefs", briefs, _BRIEF_COLS, freeze="B2")
            written["Rejects"] = writer.write("Rejects", an.log.rejects, _REJECT_COLS)
            _write_summary(summary, an, notes, written)
            # a random, exclusively created name beside the target: no half-written workbook
            # under the real name, no predictable name to plant a symlink on
            partial = _private_temp(path.parent, ".xlsx")
            try:
                wb.save(partial)
                writer.splice(partial)
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(partial, 0o666 & ~umask)  # mkstemp made it private
                os.replace(partial, path)  # replaces a symlink at path, never its target
            finally:
                partial.unlink(missing_ok=True)
        finally:
            writer.close()
    return path
