"""Alias tables: how the column names and values of different export tools map to caselog's.

Column names and values are compared after :func:`normalise_key` (lower case, letters and
digits only, ``#`` read as "number"), so ``"Case #"``, ``"case_number"`` and ``"CASE NUMBER"``
are the same key.  Users extend or override the tables through ``load(mapping=..., values=...)``
or by passing their own :class:`Aliases`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["Aliases", "normalise_key", "DEFAULT_ALIASES"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_key(text: object) -> str:
    """Lower-case ``text`` and keep letters and digits only (``#`` reads as "number").

    Examples
    --------
    >>> normalise_key("Case #")
    'casenumber'
    >>> normalise_key(" Seller-Performance ")
    'sellerperformance'
    """
    s = str(text).strip().lower().replace("#", " number ")
    return _NON_ALNUM.sub("", s)


def _freeze(table: Mapping[str, tuple[str, ...]]) -> Mapping[str, str]:
    """Invert ``canonical -> aliases`` into ``normalised alias -> canonical``."""
    out: dict[str, str] = {}
    for canonical, aliases in table.items():
        for alias in (canonical, *aliases):
            out.setdefault(normalise_key(alias), canonical)
    return MappingProxyType(out)


#: message-table fields and the column names that mean them, most specific first
MESSAGE_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "case_id": (
        "case id", "case number", "case no", "case", "case reference", "case ref",
        "ticket", "ticket id", "ticket number", "ticket no", "issue id", "issueid", "issue key",
        "issue number", "thread id", "thread", "conversation id", "caseid",
    ),
    "account": (
        "seller account", "account name", "seller", "seller name", "merchant", "merchant name",
        "store", "store name", "client", "client name", "brand", "account id", "merchant id",
    ),
    "sent_at": (
        "sent", "sent at", "sent on", "date sent", "sent date", "timestamp", "date time",
        "datetime", "date", "time", "created", "created at", "created on", "message date",
        "posted", "posted at", "received", "logged at", "when",
    ),
    "direction": (
        "from", "author", "sender", "sent by", "written by", "who", "party", "speaker", "side",
        "by",
    ),
    "team": (
        "team", "amazon team", "department", "dept", "queue", "group", "handled by", "to team",
        "support team", "recipient team",
    ),
    "channel": ("via", "medium", "contact type", "contact method", "method", "source channel"),
    "subject": ("title", "topic", "subject line", "re"),
    "body": (
        "message", "text", "content", "message text", "message body", "description", "details",
        "note", "notes", "comment", "comments", "summary",
    ),
    "attachments": (
        "files", "attachment", "attachment count", "attachments count", "number attachments",
        "number of attachments", "num attachments", "documents", "docs", "attached",
    ),
    "kind": ("type", "label", "message type", "tag", "action", "category of message"),
}

#: case-table fields (cases sheet, or per-row in a long export)
CASE_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "category": (
        "issue type", "case type", "case category", "issue category", "problem", "problem type",
        "topic category",
    ),
    "status": ("case status", "state", "case state", "ticket status"),
    "opened_at": (
        "opened", "opened at", "opened on", "open date", "date opened", "created", "created at",
        "created on", "start", "started",
    ),
    "closed_at": (
        "closed", "closed at", "closed on", "close date", "date closed", "resolved at",
        "resolved on", "end", "ended",
    ),
    "outcome": ("result", "resolution", "final outcome", "decision"),
    "asins": ("asin", "asin list", "products", "product", "skus"),
}

DIRECTION_VALUES: dict[str, tuple[str, ...]] = {
    "seller": (
        "you", "me", "we", "us", "seller", "the seller", "merchant", "seller you", "you seller",
        "client", "customer", "seller central user", "brand owner", "outgoing", "sent", "out",
    ),
    "amazon": ("amazon", "amzn", "amazon support", "agent", "incoming", "in", "received"),
}

TEAM_VALUES: dict[str, tuple[str, ...]] = {
    "Seller Support": (
        "ss", "support", "selling partner support", "sps", "seller support team",
        "seller central support", "customer service", "cs",
    ),
    "Account Health Services": (
        "ahs", "account health", "account health rep", "account health team", "account health services",
        "ahr", "account health support",
    ),
    "Seller Performance": (
        "sp", "seller performance", "seller-performance", "seller performance team", "policy team",
        "investigator", "investigations", "performance team", "policy",
    ),
    "Product Quality": ("pq", "product quality", "product quality team", "pq team"),
    "Catalog": ("catalog", "catalogue", "catalog team", "listing team", "listings"),
    "Executive Seller Relations": (
        "esr", "executive seller relations", "executive", "exec", "executive team",
        "executive escalations", "jeff", "jeff bezos", "jassy", "andy jassy", "jeff team",
    ),
    "Captive Team": ("captive", "captive team"),
    "Brand Registry": ("br", "brand registry", "brand registry support"),
    "Payments": ("payments", "payment", "payments team", "finance", "seller payments", "disbursements"),
    "Other": ("other",),
    "Unknown": ("unknown", "n a", "na", "none", "-"),
}

CHANNEL_VALUES: dict[str, tuple[str, ...]] = {
    "case": (
        "case", "seller central", "sc", "case log", "case thread", "thread", "support case",
        "web", "portal", "message", "messages", "help", "get support",
    ),
    "email": ("e-mail", "email", "mail", "e mail"),
    "phone": ("call", "phone", "phone call", "callback", "call back", "telephone", "voice"),
    "chat": ("chat", "live chat", "messaging", "im"),
    "social": ("social", "twitter", "x", "amazonhelp", "@amazonhelp", "facebook", "linkedin", "social media"),
    "other": ("other", "letter", "fax", "in person"),
}

KIND_VALUES: dict[str, tuple[str, ...]] = {
    "appeal": ("appeal", "appeals", "reinstatement request"),
    "poa": ("poa", "plan of action", "plan-of-action", "action plan"),
    "follow-up": ("follow-up", "follow up", "followup", "chaser", "reminder", "bump"),
    "documents": ("documents", "document", "docs", "invoices", "evidence", "supporting documents"),
    "escalation": ("escalation", "escalate", "escalated", "escalation request"),
    "inquiry": ("inquiry", "enquiry", "question", "request", "new case"),
    "call": ("call", "phone call", "call note", "call log"),
    "denial": ("denial", "denied", "rejection", "rejected", "decline", "declined"),
    "acceptance": ("acceptance", "accepted", "reinstatement", "reinstated", "approved", "resolved"),
    "information request": (
        "information request", "info request", "request for information", "rfi", "more info",
    ),
    "deflection": ("deflection", "redirect", "redirected", "wrong channel"),
    "acknowledgement": (
        "acknowledgement", "acknowledgment", "ack", "auto-reply", "autoreply", "automated reply",
        "auto reply", "automatic reply",
    ),
    "notice": ("notice", "notification", "warning", "suspension notice"),
    "other": ("other", "reply", "response", "answer"),
}

CATEGORY_VALUES: dict[str, tuple[str, ...]] = {
    "Account suspension": (
        "suspension", "account suspension", "suspended", "account suspended", "account health",
        "deactivation", "account deactivation", "deactivated", "account deactivated",
    ),
    "Delayed payment": (
        "payment", "payments", "delayed payment", "delayed payments", "payment delay",
        "disbursement", "financial", "financial issue", "funds", "reserve",
    ),
    "Listing suppression": (
        "listing", "listing suppression", "suppressed listing", "suppression", "listing suppressed",
        "listing issue", "catalog", "detail page",
    ),
    "Policy violation": (
        "policy", "policy violation", "policy warning", "ip complaint", "intellectual property",
        "infringement", "ip", "authenticity", "inauthentic", "counterfeit",
    ),
    "Technical problem": (
        "technical", "technical problem", "technical issue", "bug", "images", "pricing",
        "shipping", "tech",
    ),
    "Routine inquiry": ("routine", "routine inquiry", "inquiry", "question", "general", "general inquiry"),
    "Unknown": ("unknown", "", "other"),
}

STATUS_VALUES: dict[str, tuple[str, ...]] = {
    "open": (
        "open", "opened", "pending", "work in progress", "wip", "answered", "awaiting",
        "in progress", "new", "reopened", "unresolved", "needs attention", "active",
        "awaiting reply", "waiting",
    ),
    "closed": ("closed", "resolved", "done", "solved", "complete", "completed", "finished"),
}


@dataclass(frozen=True)
class Aliases:
    """Column-name and value alias tables used by :func:`caselog.load`.

    Each table maps a *normalised* alias (see :func:`normalise_key`) to its canonical
    name.  Build a variant with :meth:`with_columns` / :meth:`with_values` rather than
    mutating one.

    Examples
    --------
    >>> a = Aliases.default().with_values("team", {"trust and safety": "Seller Performance"})
    >>> a.value("team", "TRUST-and-SAFETY")
    'Seller Performance'
    """

    columns: Mapping[str, str] = field(default_factory=lambda: _freeze(MESSAGE_FIELD_ALIASES))
    case_columns: Mapping[str, str] = field(default_factory=lambda: _freeze(CASE_FIELD_ALIASES))
    values: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType(
            {
                "direction": _freeze(DIRECTION_VALUES),
                "team": _freeze(TEAM_VALUES),
                "channel": _freeze(CHANNEL_VALUES),
                "kind": _freeze(KIND_VALUES),
                "category": _freeze(CATEGORY_VALUES),
                "status": _freeze(STATUS_VALUES),
            }
        )
    )

    @classmethod
    def default(cls) -> Aliases:
        """The built-in tables."""
        return cls()

    def with_columns(self, extra: Mapping[str, str]) -> Aliases:
        """A copy where each column name in ``extra`` (``{"column": "field"}``) means ``field``."""
        cols = dict(self.columns)
        case_cols = dict(self.case_columns)
        for column, canonical in extra.items():
            target = case_cols if canonical in CASE_FIELD_ALIASES else cols
            target[normalise_key(column)] = canonical
        return Aliases(MappingProxyType(cols), MappingProxyType(case_cols), self.values)

    def with_values(self, field_name: str, extra: Mapping[str, str]) -> Aliases:
        """A copy where raw value ``k`` of ``field_name`` means canonical ``extra[k]``."""
        values = {k: dict(v) for k, v in self.values.items()}
        table = values.setdefault(field_name, {})
        for raw, canonical in extra.items():
            table[normalise_key(raw)] = canonical
        return Aliases(
            self.columns,
            self.case_columns,
            MappingProxyType({k: MappingProxyType(v) for k, v in values.items()}),
        )

    def value(self, field_name: str, raw: object) -> str | None:
        """The canonical value of ``raw`` for ``field_name``, or ``None`` when unknown."""
        return self.values.get(field_name, {}).get(normalise_key(raw))


DEFAULT_ALIASES = Aliases()
