"""The canonical tables: column names, dtypes and the controlled vocabularies.

Every loader produces, and every analysis consumes, these columns.  Text columns
hold ``""`` rather than missing values, so string operations never meet ``NA``;
``sent_at`` is always timezone-aware UTC.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "MESSAGE_COLUMNS",
    "CASE_COLUMNS",
    "REJECT_COLUMNS",
    "REQUIRED_MESSAGE_FIELDS",
    "DIRECTIONS",
    "TEAMS",
    "CHANNELS",
    "CATEGORIES",
    "STATUSES",
    "REPLY_CLASSES",
    "ESCALATION_CATEGORIES",
    "TURN_COLUMNS",
    "TURN_DTYPES",
    "SUMMARY_COLUMNS",
    "ESCALATION_COLUMNS",
    "ESCALATION_DTYPES",
    "OUTCOMES",
    "QUALITY_ITEMS",
    "LEVEL_TARGETS",
    "VERDICTS",
    "READINESS_COLUMNS",
    "empty_messages",
    "empty_cases",
    "empty_rejects",
    "empty_frame",
]

#: messages: one row per message or logged contact, in this column order.
MESSAGE_COLUMNS: dict[str, str] = {
    "message_id": "int64",
    "case_id": "str",
    "account": "str",
    "sent_at": "datetime64[ns, UTC]",
    "direction": "str",  # seller | amazon
    "team": "str",  # one of TEAMS
    "channel": "str",  # one of CHANNELS
    "subject": "str",
    "body": "str",
    "attachments": "int64",
    "kind": "str",  # source label, lower case, "" when the source gives none
    "source": "str",  # "file.csv row 12" or "book.xlsx [Messages] row 5"
}

#: cases: one row per case, read from a cases sheet or derived from the messages.
CASE_COLUMNS: dict[str, str] = {
    "case_id": "str",
    "account": "str",
    "category": "str",  # one of CATEGORIES
    "status": "str",  # one of STATUSES
    "opened_at": "datetime64[ns, UTC]",
    "closed_at": "datetime64[ns, UTC]",  # NaT while open
    "outcome": "str",  # free text from the source, "" when none
    "asins": "str",  # comma-separated ASINs, "" when none
    "source": "str",
}

#: rejects: every input row that could not be used.
REJECT_COLUMNS: dict[str, str] = {
    "file": "str",
    "sheet": "str",  # "" for CSV/TSV
    "row": "int64",  # 1-based row number as a spreadsheet shows it (header is row 1)
    "source": "str",
    "reason": "str",  # plain words
    "raw": "str",  # the original row as "column=value; ..." text
}

REQUIRED_MESSAGE_FIELDS: tuple[str, ...] = ("case_id", "sent_at", "direction")

DIRECTIONS: tuple[str, ...] = ("seller", "amazon")

TEAMS: tuple[str, ...] = (
    "Seller Support",
    "Account Health Services",
    "Seller Performance",
    "Product Quality",
    "Catalog",
    "Executive Seller Relations",
    "Captive Team",
    "Brand Registry",
    "Payments",
    "Other",
    "Unknown",
)

CHANNELS: tuple[str, ...] = ("case", "email", "phone", "chat", "social", "other")

CATEGORIES: tuple[str, ...] = (
    "Account suspension",
    "Delayed payment",
    "Listing suppression",
    "Policy violation",
    "Technical problem",
    "Routine inquiry",
    "Unknown",
)

#: categories where escalation is legitimate once standard channels failed
ESCALATION_CATEGORIES: tuple[str, ...] = CATEGORIES[:5]

STATUSES: tuple[str, ...] = ("open", "closed")

REPLY_CLASSES: tuple[str, ...] = (
    "acceptance",
    "denial",
    "information request",
    "deflection",
    "acknowledgement",
    "other",
)


# --------------------------------------------------------------------------- analysis outputs

#: turns(): one row per turn, column -> dtype
TURN_DTYPES: dict[str, str] = {
    "case_id": "str",
    "account": "str",
    "category": "str",
    "turn": "int64",
    "first_seller_message_id": "int64",
    "first_seller_at": "datetime64[ns, UTC]",
    "n_seller_messages": "int64",
    "reply_message_id": "Int64",
    "reply_at": "datetime64[ns, UTC]",
    "team": "str",
    "channel": "str",
    "is_open": "bool",
    "response_hours": "float64",
    "age_hours": "float64",
    "business_hours": "float64",
    "over_sla": "bool",
    "month": "str",
}
#: columns of the result, in order
TURN_COLUMNS: tuple[str, ...] = tuple(TURN_DTYPES)


#: Columns of :func:`response_summary` after the ``by`` columns.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "n",
    "n_answered",
    "n_open",
    "mean_hours",
    "median_hours",
    "p90_hours",
    "share_over_sla",
)


#: escalations(): one row per escalation, column -> dtype
ESCALATION_DTYPES: dict[str, str] = {
    "message_id": "int64",
    "case_id": "str",
    "account": "str",
    "category": "str",
    "sent_at": "datetime64[ns, UTC]",
    "level": "int64",
    "target": "str",
    "detected_by": "str",
    "team": "str",
    "outcome": "str",
    "outcome_message_id": "Int64",
    "outcome_at": "datetime64[ns, UTC]",
    "hours_to_outcome": "float64",
    "new_material": "bool",
    "quality_score": "int64",
    "quality_missing": "str",
}
#: columns of the result, in order
ESCALATION_COLUMNS: tuple[str, ...] = tuple(ESCALATION_DTYPES)


#: outcome vocabulary of an escalation, in display order
OUTCOMES: tuple[str, ...] = (
    "positive",
    "denied",
    "canned",
    "information request",
    "deflected",
    "acknowledged",
    "other",
    "no answer",
    "waiting",
)


#: the seven items of an escalation letter scored by :func:`escalation_quality`
QUALITY_ITEMS: tuple[str, ...] = (
    "case ID",
    "facts and figures",
    "what was done",
    "desired outcome",
    "attachments",
    "more than a one-liner",
    "plain subject",
)


#: target -> level
LEVEL_TARGETS: dict[str, int] = {
    "in-thread request": 1,
    "Senior investigator": 2,
    "Seller Performance manager": 2,
    "Product Quality manager": 2,
    "Captive Team": 2,
    "Executive Seller Relations": 3,
}


#: readiness verdicts, in display order
VERDICTS: tuple[str, ...] = ("ready", "not yet", "not advisable", "closed")


READINESS_COLUMNS: tuple[str, ...] = (
    "case_id",
    "account",
    "category",
    "status",
    "verdict",
    "reasons",
    "facts",
    "missing",
    "next_step",
    "target_level",
    "target",
    "urgency",
    "canned_repeats",
    "repeat_canned_denials",
    "last_seller_at",
    "last_amazon_at",
    "hours_since_last_seller",
    "pending_information_request_at",
    "highest_level",
    "deadline_at",
)


def empty_frame(columns: dict[str, str]) -> pd.DataFrame:
    """An empty frame with these columns and dtypes."""
    return _empty(columns)


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


def empty_messages() -> pd.DataFrame:
    """An empty ``messages`` table with the canonical columns and dtypes."""
    return _empty(MESSAGE_COLUMNS)


def empty_cases() -> pd.DataFrame:
    """An empty ``cases`` table with the canonical columns and dtypes."""
    return _empty(CASE_COLUMNS)


def empty_rejects() -> pd.DataFrame:
    """An empty ``rejects`` table with the canonical columns and dtypes."""
    return _empty(REJECT_COLUMNS)
