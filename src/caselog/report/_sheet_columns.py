"""The audit workbook's data sheets: their columns (header, width, number format, wrap) and the
conditional formats that highlight SLA breaches, ready cases and canned repeats."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from openpyxl.formatting.rule import CellIsRule, FormulaRule

from ._xlsx import (
    _AMBER,
    _GREEN,
    _RED,
    _Col,
)

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


def _over_sla(ws: Any, column: str, last: int, sla: float) -> None:
    """Hours over the SLA in red, in one column."""
    ws.conditional_formatting.add(
        f"{column}2:{column}{last}",
        CellIsRule(operator="greaterThan", formula=[f"{sla:g}"], fill=_RED),
    )


def _turn_rules(sla: float) -> Callable[[Any, dict[str, str], int], None]:
    def rules(ws: Any, col: dict[str, str], last: int) -> None:
        _over_sla(ws, col["response_hours"], last, sla)
        _over_sla(ws, col["age_hours"], last, sla)

    return rules


def _escalation_rules(sla: float) -> Callable[[Any, dict[str, str], int], None]:
    def rules(ws: Any, col: dict[str, str], last: int) -> None:
        _over_sla(ws, col["hours_to_outcome"], last, sla)
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
