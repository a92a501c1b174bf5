"""Reply classes of Amazon messages: acceptance, denial, information request, ...

Every Amazon message gets one class from :data:`caselog.schema.REPLY_CLASSES`:

* from the source's ``kind`` label when it names a class (``"denial"``, ``"acceptance"``, ...)
  or an alias of one (``"notice"`` -> ``other``, ``"reinstatement"`` -> ``acceptance``, ...);
* otherwise from the text of the body (the subject only when the body is empty: reply subjects
  are often the seller's own subject with "RE:" in front) with an ordered list of regular expressions,
  :class:`ReplyPatterns`: **the first rule that matches wins**, and a message that no rule
  matches is ``other``.

The order of the default rules is the decision an analyst would make when a reply says two things:

1. *information request (documents)* -- a reply that asks for specific documents (invoices,
   supplier details, the last 180 days, a letter of authorization ...) is an information request
   even when it also says the appeal was not accepted: the seller has to answer it before anything
   else (DOMAIN rule 9), so it is the actionable part of the reply;
2. *denial* -- before acceptance, so that "we cannot reinstate your account" or "your appeal was
   not approved" is a denial and not an acceptance;
3. *deflection (strong)* -- "not the correct channel", "we are unable to help with this here";
4. *acceptance* -- reinstated, reactivated, restored, resolved, approved;
5. *information request (generic)* -- "please provide", "send us", "we need";
6. *deflection (weak)* -- "please contact ...", "use the ... form";
7. *acknowledgement* -- "we have received", "will respond within", "thank you for contacting us";
   last, because nearly every reply opens with a courtesy line of this kind.

Seller messages get ``""``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from .errors import ConfigError, SchemaError
from .schema import REPLY_CLASSES

__all__ = ["ReplyPatterns", "classify_replies", "DEFAULT_RULES", "DEFAULT_KIND_ALIASES"]

#: The default ordered ``(class, regex)`` rules; matched case-insensitively, first match wins.
DEFAULT_RULES: tuple[tuple[str, str], ...] = (
    (
        "information request",
        r"\binvoices?\b|\bsupplier'?s?\b|\b(?:within|last|past) 180 days\b"
        r"|\bletter of authori[sz]ation\b|\bproof of (?:purchase|authenticity)\b"
        r"|\b(?:please|kindly) (?:provide|send|submit|upload) (?:us )?(?:the following|copies"
        r"|a copy|documents?|documentation|additional information)",
    ),
    (
        "denial",
        r"\bunable to (?:accept|approve|reinstate|reactivate)\b|\bnot (?:been )?accepted\b"
        r"|\b(?:cannot|can ?not|can't|will not|won't) (?:be )?(?:reinstated?|reactivated?"
        r"|accept|approved?)\b|\bdecision is final\b|\bremains? (?:deactivated|suspended)\b"
        r"|\bdenied\b|\bnot (?:been )?(?:approved|reinstated|reactivated)\b|\brejected\b"
        r"|\bdoes not meet\b|\bdid not (?:meet|address)\b|\binsufficient\b",
    ),
    (
        "deflection",
        r"\bnot the (?:correct|right|appropriate) (?:channel|team|place|department|address)\b"
        r"|\bunable to (?:help|assist) (?:you )?with this here\b|\bcannot (?:help|assist) "
        r"(?:you )?with this here\b|\boutside (?:of )?(?:our|the) scope\b",
    ),
    (
        "acceptance",
        r"\b(?:reinstated|reactivated|restored|resolved|approved)\b",
    ),
    (
        "information request",
        r"\b(?:please|kindly) (?:provide|send|submit|upload)\b|\bsend us\b|\bwe need\b"
        r"|\bwe require\b|\b(?:additional|more) information\b",
    ),
    (
        "deflection",
        r"\bplease (?:contact|reach out to|write to)\b|\buse the \w+(?: \w+){0,3} form\b"
        r"|\bcontact the (?:appropriate|relevant|correct) team\b",
    ),
    (
        "acknowledgement",
        r"\bwe (?:have )?received\b|\bwill (?:respond|reply|get back to you) within\b"
        r"|\bthank you for contacting us\b|\bthank you for (?:reaching out|your (?:patience|"
        r"message|email))\b|\bis (?:being|under) review(?:ed)?\b",
    ),
)

#: ``kind`` labels (lower case) that are not class names but name one.
DEFAULT_KIND_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "notice": "other",
        "notification": "other",
        "warning": "other",
        "acknowledgment": "acknowledgement",
        "ack": "acknowledgement",
        "auto-reply": "acknowledgement",
        "autoreply": "acknowledgement",
        "info request": "information request",
        "information_request": "information request",
        "information-request": "information request",
        "document request": "information request",
        "request": "information request",
        "reinstatement": "acceptance",
        "reinstated": "acceptance",
        "accepted": "acceptance",
        "approval": "acceptance",
        "resolution": "acceptance",
        "rejection": "denial",
        "denied": "denial",
        "redirect": "deflection",
        "deflected": "deflection",
    }
)


@dataclass(frozen=True)
class ReplyPatterns:
    """Ordered ``(class, regex)`` rules that classify Amazon replies by their text.

    Parameters
    ----------
    rules : tuple of (str, str)
        ``(reply_class, regex)`` pairs, tried in order; the first rule whose regex matches the
        text (case-insensitively) gives the class. A class may appear in several rules (the
        defaults use that to rank specific document requests above denials and generic
        requests below acceptances). Unmatched texts are ``other``.
    kind_aliases : mapping of str to str
        ``kind`` labels (lower case) that name a class without being one. A ``kind`` that is a
        class name itself always takes that class.
    use_kind : bool
        When False, ``kind`` is ignored and every message is classified by its text.

    Examples
    --------
    >>> p = ReplyPatterns.default().with_rule("denial", r"\\bpermanently closed\\b", first=True)
    >>> p.rules[0]
    ('denial', '\\\\bpermanently closed\\\\b')
    """

    rules: tuple[tuple[str, str], ...] = DEFAULT_RULES
    kind_aliases: Mapping[str, str] = field(default_factory=lambda: DEFAULT_KIND_ALIASES)
    use_kind: bool = True

    def __post_init__(self) -> None:
        rules = tuple((str(c), str(r)) for c, r in self.rules)
        for cls, regex in rules:
            if cls not in REPLY_CLASSES:
                raise ConfigError(
                    f"ReplyPatterns: unknown reply class {cls!r}; expected one of {REPLY_CLASSES}"
                )
            try:
                re.compile(regex)
            except re.error as exc:
                raise ConfigError(f"ReplyPatterns: invalid regex for {cls!r}: {exc}") from exc
        for alias, cls in self.kind_aliases.items():
            if cls not in REPLY_CLASSES:
                raise ConfigError(
                    f"ReplyPatterns: kind alias {alias!r} maps to unknown class {cls!r}"
                )
        object.__setattr__(self, "rules", rules)
        object.__setattr__(
            self,
            "kind_aliases",
            MappingProxyType({str(k).lower(): v for k, v in self.kind_aliases.items()}),
        )

    @classmethod
    def default(cls) -> ReplyPatterns:
        """The documented default rules."""
        return cls()

    def with_rule(self, reply_class: str, regex: str, *, first: bool = True) -> ReplyPatterns:
        """A copy with one more rule, tried before all others (``first=True``) or after them."""
        new = ((reply_class, regex),)
        return replace(self, rules=new + self.rules if first else self.rules + new)

    def with_rules(self, rules: Iterable[tuple[str, str]]) -> ReplyPatterns:
        """A copy whose rules are replaced by ``rules``."""
        return replace(self, rules=tuple(rules))

    def kind_class(self, kind: pd.Series) -> pd.Series:
        """Reply class named by each ``kind`` label, ``""`` when the label names none."""
        mapping = {c: c for c in REPLY_CLASSES} | dict(self.kind_aliases)
        k = kind.astype("str").str.strip().str.lower()
        return k.map(mapping).fillna("").astype("str")

    def classify_text(self, text: pd.Series) -> pd.Series:
        """Reply class of each text by the rules alone (``other`` when none matches)."""
        text = text.astype("str").fillna("")
        out = np.full(len(text), "other", dtype=object)
        todo = np.ones(len(text), dtype=bool)
        for cls, regex in self.rules:
            pos = np.flatnonzero(todo)
            if not len(pos):
                break
            hit = text.iloc[pos].str.contains(f"(?i){regex}", regex=True)
            hit_pos = pos[hit.to_numpy(dtype=bool, na_value=False)]
            out[hit_pos] = cls
            todo[hit_pos] = False
        return pd.Series(out, index=text.index, dtype="str")


def classify_replies(messages: pd.DataFrame, patterns: ReplyPatterns | None = None) -> pd.Series:
    """Reply class of every Amazon message.

    Parameters
    ----------
    messages : pandas.DataFrame
        Needs ``direction`` and ``body``; uses ``subject`` and ``kind`` when present.
    patterns : ReplyPatterns, optional
        The rules; :meth:`ReplyPatterns.default` when omitted.

    Returns
    -------
    pandas.Series
        Aligned with ``messages.index``, named ``reply_class``: one of
        :data:`caselog.schema.REPLY_CLASSES` for Amazon messages, ``""`` for seller messages.
        The ``kind`` label wins when it names a class; otherwise the ``body`` (the ``subject``
        when the body is empty) is matched against the ordered rules.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"direction": ["seller", "amazon"], "kind": ["", ""],
    ...                   "body": ["Please reinstate", "Your account has been reinstated."]})
    >>> classify_replies(m).tolist()
    ['', 'acceptance']
    """
    patterns = patterns or ReplyPatterns.default()
    missing = [c for c in ("direction", "body") if c not in messages.columns]
    if missing:
        raise SchemaError(
            f"classify_replies needs column(s) {missing}", missing=missing, found=messages.columns
        )
    out = pd.Series("", index=messages.index, dtype="str", name="reply_class")
    amazon = messages["direction"].astype("str").to_numpy() == "amazon"
    if not amazon.any():
        return out
    m = messages.loc[amazon]
    by_kind = (
        patterns.kind_class(m["kind"])
        if patterns.use_kind and "kind" in m.columns
        else pd.Series("", index=m.index, dtype="str")
    )
    need = by_kind.to_numpy() == ""
    if need.any():
        text = m["body"].iloc[np.flatnonzero(need)].astype("str").fillna("")
        if "subject" in m.columns:  # the subject only stands in for an empty body
            subject = m["subject"].iloc[np.flatnonzero(need)].astype("str").fillna("")
            text = text.where(text.str.strip() != "", subject)
        cls = by_kind.to_numpy(dtype=object).copy()
        cls[need] = patterns.classify_text(text).to_numpy(dtype=object)
        by_kind = pd.Series(cls, index=m.index, dtype="str")
    values = out.to_numpy(dtype=object).copy()
    values[amazon] = by_kind.to_numpy(dtype=object)
    return pd.Series(values, index=messages.index, dtype="str", name="reply_class")
