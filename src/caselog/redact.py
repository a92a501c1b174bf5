"""Mask personal data in a CaseLog so that an audit can be shared.

:func:`redact` returns a copy of a :class:`~caselog.CaseLog` whose free-text columns
(``messages.subject``, ``messages.body``, ``cases.outcome`` and ``rejects.raw``) have

- e-mail addresses replaced by ``[email]``;
- phone numbers (international ``+44 20 7946 0958``, ``+1 (206) 266-1000`` and US forms
  ``(206) 266-1000``, ``206-266-1000``, ``206.266.1000``, ``1-800-555-0199``) by ``[phone]``;
- street addresses (house number, street name, a suffix such as St/Street/Ave/Road/Blvd/Lane/Dr,
  an optional direction and an optional unit such as ``Suite 200`` or ``Apt 4B``) by ``[address]``;
- person names in greetings and sign-offs (``Hello Jane,``, ``Dear Mr. Smith,``, ``Regards,``
  followed by a name on the next line, ``Thanks, John`` at the end of a line) by ``[name]``;
- optionally (``order_ids=True``) Amazon order IDs ``123-1234567-1234567`` by ``[order id]``.

Case IDs, ASINs (``B0...``), order IDs (unless asked), dates, amounts (``$1,234.56``), team names
(``Dear Seller Performance,``) and generic greetings (``Hello team``, ``Dear Seller``) stay.
Names elsewhere in running text ("my colleague Jane said") are **not** found: redaction is a
pattern-based aid, not a guarantee; read the workbook before sending it.

The work is done by pandas' vectorised string methods (``Series.str.replace`` with regular
expressions, ``Series.str.count`` of the placeholders for the report); patterns that need
look-arounds run only on the rows a cheap pre-filter (run by Arrow's RE2) selects.

Functions
---------
redact
    ``redact(log) -> CaseLog``; the counts are appended to ``log.decisions``.
redact_with_report
    ``(CaseLog, report)``: the report is a DataFrame ``kind, count`` (one row per kind).
redact_text
    Mask one Series of text; returns the masked Series and the counts per kind.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import pandas as pd

from .model import CaseLog

__all__ = [
    "REDACTION_KINDS",
    "redact",
    "redact_with_report",
    "redact_text",
    "describe_counts",
]

#: The kinds of data masked, in the order they are applied, with their placeholders.
REDACTION_KINDS: dict[str, str] = {
    "e-mail": "[email]",
    "order id": "[order id]",
    "phone": "[phone]",
    "address": "[address]",
    "name": "[name]",
}

_PLURALS = {
    "e-mail": "e-mail addresses",
    "order id": "order IDs",
    "phone": "phone numbers",
    "address": "street addresses",
    "name": "names",
}

# ------------------------------------------------------------------------------- patterns

_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"

_ORDER_ID = r"\b\d{3}-\d{7}-\d{7}\b"

# Phones: never preceded by a word character, '-', '/' or '.digit'; never followed by a word
# character, '-', '/' or '.digit' -- so order IDs, dates, amounts and long IDs do not match.
_PHONE_BODY = (
    r"(?:"
    # international: +CC then 2-5 groups of digits
    r"\+\d{1,3}[ .\-]?(?:\(\d{1,4}\)[ .\-]?)?\d{1,4}(?:[ .\-]?\d{2,4}){1,4}"
    r"|"
    # US: optional 1-, area code with () or a separator, 3 digits, separator, 4 digits
    r"(?:1[ .\-])?(?:\(\d{3}\)[ ]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}"
    r")"
)
_PHONE = r"(?<![\w\-/+])(?<!\d\.)" + _PHONE_BODY + r"(?![\w\-/])(?!\.\d)"
_PHONE_PREFILTER = r"\+\d|\d{3}[ .\-)]+\d{3}[ .\-]\d{4}"

_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Parkway|Pkwy|Highway|Hwy|Terrace|Ter|Circle|Cir|Square|Sq|Trail|Trl)"
)
_ADDRESS = (
    r"\b\d{1,6}[A-Za-z]?\s+"  # house number
    r"(?:[A-Z0-9][A-Za-z0-9'\-]*\.?\s+){1,4}"  # street name words (capitalised or numbered)
    + _STREET_SUFFIX
    + r"\b\.?"
    r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\b\.?)?"  # direction
    r"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm|#)\.?\s*#?\s*[A-Za-z0-9\-]+)?"
)
_ADDRESS_PREFILTER = r"\b" + _STREET_SUFFIX + r"\b"

# Words that are not a person's name after a greeting or a sign-off (team names, "team", ...).
_NOT_NAMES = (
    "seller|sellers|selling|support|account|accounts|amazon|amazonhelp|team|teams|performance"
    "|partner|partners|health|services|service|executive|executives|relations|product|quality"
    "|catalog|catalogue|brand|registry|payments|payment|captive|sir|sirs|madam|madame|all|everyone"
    "|there|customer|customers|valued|colleague|colleagues|friend|friends|again|the|our|your"
    "|department|dept|investigator|investigators|investigation|investigations|specialist"
    "|specialists|manager|managers|merchant|merchants|esr|sp|ahs|pq|ss|policy|appeals|case"
    "|concerned|whom|hiring|everybody|folks|guys|ladies|gentlemen|in|on|from|and|for|with|as"
    "|we|i|this|that|thank|thanks|please|regards|best|sincerely|hello|hi|dear|good|morning"
    "|afternoon|evening|today|again"
)
_NAME_WORD = r"[A-Z][a-z'\u2019\-]*[a-z](?:-[A-Z][a-z]+)?"
_NAME = (
    r"(?!(?i:" + _NOT_NAMES + r")\b)"
    + _NAME_WORD
    + r"(?:[ \t]+(?:[A-Z]\.[ \t]+)?(?!(?i:" + _NOT_NAMES + r")\b)" + _NAME_WORD + r"){0,2}"
    + r"(?:[ \t]+[A-Z]\.)?"  # a trailing initial: "Tom R."
)
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+)"
# "Hello Jane," / "Dear Mr. Smith," / "Hi John Doe!" at the start of a line
_GREETING = (
    r"(?m)(^[ \t]*(?:Hello|Hi|Hey|Dear|Greetings|Good[ \t]+(?:morning|afternoon|evening))"
    r",?[ \t]+)"
    + r"(?:" + _TITLE + r"?" + _NAME + r"|" + _TITLE + r"?[A-Z]\.?)"
    + r"(?=[ \t]*(?:[,!:;.\-]|\r?\n|$))"
)
_SIGNOFF_WORDS = (
    r"(?i:best(?:[ \t]+(?:regards|wishes))?|kind[ \t]+regards|warm[ \t]+regards|regards"
    r"|many[ \t]+thanks|thanks(?:[ \t]+again)?|thank[ \t]+you|sincerely|yours[ \t]+sincerely"
    r"|yours[ \t]+truly|yours|cheers|respectfully|with[ \t]+thanks|all[ \t]+the[ \t]+best"
    r"|take[ \t]+care)"
)
# "Regards,\nJohn" / "Thank you,\nMaria Lopez" (name alone on the next line)
_SIGNOFF_NEXT_LINE = (
    r"(?m)(^[ \t]*" + _SIGNOFF_WORDS + r"[ \t]*[,!.]?[ \t]*\r?\n[ \t]*)"
    + _TITLE + r"?" + _NAME + r"(?=[ \t]*[,.]?[ \t]*(?:\r?\n|$))"
)
# "Thanks, John" alone on its line
_SIGNOFF_SAME_LINE = (
    r"(?m)(^[ \t]*" + _SIGNOFF_WORDS + r",[ \t]+)"
    + _TITLE + r"?" + _NAME + r"(?=[ \t]*[.!]?[ \t]*(?:\r?\n|$))"
)
# cheap RE2 pre-filters (no look-arounds): only rows that match them meet the full patterns
_GREETING_PREFILTER = (
    r"(?m)^[ \t]*(?:Hello|Hi|Hey|Dear|Greetings|Good[ \t]+(?:morning|afternoon|evening)),?[ \t]+"
    r"[A-Z]"
)
_SIGNOFF_NEXT_PREFILTER = (
    r"(?m)^[ \t]*" + _SIGNOFF_WORDS + r"[ \t]*[,!.]?[ \t]*\r?\n[ \t]*[A-Z]"
)
_SIGNOFF_SAME_PREFILTER = r"(?m)^[ \t]*" + _SIGNOFF_WORDS + r",[ \t]+[A-Z][^\n]*$"


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: str
    repl: str
    prefilter: str  # cheap RE2-compatible pattern selecting candidate rows

    @property
    def marker(self) -> str:
        return self.repl.replace("\\1", "")


def _rules(order_ids: bool, names: bool) -> list[_Rule]:
    rules = [_Rule("e-mail", _EMAIL, REDACTION_KINDS["e-mail"], "@")]
    if order_ids:
        rules.append(_Rule("order id", _ORDER_ID, REDACTION_KINDS["order id"], r"\d{3}-\d{7}"))
    rules += [
        _Rule("phone", _PHONE, REDACTION_KINDS["phone"], _PHONE_PREFILTER),
        _Rule("address", _ADDRESS, REDACTION_KINDS["address"], _ADDRESS_PREFILTER),
    ]
    if names:
        rules += [
            _Rule("name", _GREETING, r"\1[name]", _GREETING_PREFILTER),
            _Rule("name", _SIGNOFF_NEXT_LINE, r"\1[name]", _SIGNOFF_NEXT_PREFILTER),
            _Rule("name", _SIGNOFF_SAME_LINE, r"\1[name]", _SIGNOFF_SAME_PREFILTER),
        ]
    return rules


# ------------------------------------------------------------------------------- text


def redact_text(
    text: pd.Series, *, order_ids: bool = False, names: bool = True
) -> tuple[pd.Series, dict[str, int]]:
    """Mask personal data in one Series of text.

    Parameters
    ----------
    text : pandas.Series of str
        Any text; missing values are kept as they are.
    order_ids : bool, default False
        Also mask order IDs (``123-1234567-1234567``).
    names : bool, default True
        Mask person names in greetings and sign-offs.

    Returns
    -------
    (pandas.Series, dict)
        The masked text (same index and dtype) and ``{kind: number of matches masked}`` for every
        kind applied (see :data:`REDACTION_KINDS`).

    Examples
    --------
    >>> import pandas as pd
    >>> s, n = redact_text(pd.Series(["Hello Jane,\\nCall +1 206-266-1000 or jane@x.com"]))
    >>> s[0]
    'Hello [name],\\nCall [phone] or [email]'
    >>> n["phone"], n["e-mail"], n["name"]
    (1, 1, 1)
    """
    out = text.copy()
    counts: dict[str, int] = {}
    if len(out) == 0:
        for rule in _rules(order_ids, names):
            counts.setdefault(rule.kind, 0)
        return out, counts
    for rule in _rules(order_ids, names):
        candidates = out.str.contains(rule.prefilter, regex=True, na=False)
        if not candidates.any():
            counts.setdefault(rule.kind, 0)
            continue
        part = out[candidates]
        # one regex pass: the matches are counted as the placeholders the pass adds
        before = part.str.count(re.escape(rule.marker))
        replaced = part.str.replace(rule.pattern, rule.repl, regex=True)
        added = replaced.str.count(re.escape(rule.marker)) - before
        counts[rule.kind] = counts.get(rule.kind, 0) + int(added.sum())
        changed = added > 0
        if changed.any():
            out.loc[replaced.index[changed.to_numpy()]] = replaced[changed]
    return out, counts


def describe_counts(counts: dict[str, int]) -> str:
    """``"redacted: 3 e-mail addresses, 0 phone numbers, ..."`` for a counts dict."""
    parts = [f"{counts.get(kind, 0):,} {_PLURALS[kind]}" for kind in REDACTION_KINDS
             if kind in counts]
    return "redacted: " + (", ".join(parts) if parts else "nothing")


# ------------------------------------------------------------------------------- CaseLog


def redact_with_report(
    log: CaseLog, *, order_ids: bool = False, names: bool = True
) -> tuple[CaseLog, pd.DataFrame]:
    """Mask personal data in a CaseLog and report what was masked.

    Parameters
    ----------
    log : CaseLog
        Uses ``messages.subject``, ``messages.body``, ``cases.outcome`` and ``rejects.raw``
        (whichever exist).  Every other column is copied as it is.
    order_ids : bool, default False
        Also mask order IDs.
    names : bool, default True
        Mask person names in greetings and sign-offs.

    Returns
    -------
    (CaseLog, pandas.DataFrame)
        The redacted copy (its ``decisions`` end with a ``"redacted: ..."`` line), and the report
        with columns ``kind, count`` (one row per kind applied, in :data:`REDACTION_KINDS` order,
        zeros included) and ``columns`` (where the matches were, e.g. ``"messages.body"``).

    Examples
    --------
    >>> import caselog
    >>> from caselog.redact import redact_with_report
    >>> safe, report = redact_with_report(caselog.load("data/sample/caselog_sample.csv"))
    >>> int(report.set_index("kind").loc["e-mail", "count"])
    97
    """
    totals: dict[str, int] = {}
    where: dict[str, list[str]] = {}

    def apply(frame: pd.DataFrame, table: str, columns: tuple[str, ...]) -> pd.DataFrame:
        present = [c for c in columns if c in frame.columns]
        if not present or frame.empty:
            for rule in _rules(order_ids, names):
                totals.setdefault(rule.kind, 0)
            return frame
        frame = frame.copy()
        for column in present:
            masked, counts = redact_text(frame[column], order_ids=order_ids, names=names)
            frame[column] = masked
            for kind, n in counts.items():
                totals[kind] = totals.get(kind, 0) + n
                if n:
                    where.setdefault(kind, []).append(f"{table}.{column}")
        return frame

    messages = apply(log.messages, "messages", ("subject", "body"))
    cases = apply(log.cases, "cases", ("outcome",))
    rejects = apply(log.rejects, "rejects", ("raw",))
    kinds = [k for k in REDACTION_KINDS if k in totals]
    report = pd.DataFrame(
        {
            "kind": pd.Series(kinds, dtype="str"),
            "count": pd.Series([totals[k] for k in kinds], dtype="int64"),
            "columns": pd.Series([", ".join(where.get(k, [])) for k in kinds], dtype="str"),
        }
    )
    redacted = dataclasses.replace(
        log,
        messages=messages,
        cases=cases,
        rejects=rejects,
        decisions=(*log.decisions, describe_counts(totals)),
    )
    return redacted, report


def redact(log: CaseLog, *, order_ids: bool = False, names: bool = True) -> CaseLog:
    """A copy of ``log`` with e-mails, phones, street addresses and greeting names masked.

    Parameters
    ----------
    log : CaseLog
        Text columns masked: ``messages.subject``, ``messages.body``, ``cases.outcome``,
        ``rejects.raw``.  Case IDs, ASINs, dates and amounts stay.
    order_ids : bool, default False
        Also mask order IDs (``123-1234567-1234567``).
    names : bool, default True
        Mask person names in greetings and sign-offs.

    Returns
    -------
    CaseLog
        The redacted copy.  What was masked, per kind, is the last line of its ``decisions``
        (``"redacted: 3 e-mail addresses, 1 phone numbers, ..."``); use
        :func:`redact_with_report` for the counts as a table.

    Examples
    --------
    >>> import caselog
    >>> from caselog.redact import redact
    >>> safe = redact(caselog.load("data/sample/caselog_sample.csv"))
    >>> safe.decisions[-1]
    'redacted: 97 e-mail addresses, 0 phone numbers, 0 street addresses, 1,174 names'
    """
    return redact_with_report(log, order_ids=order_ids, names=names)[0]
