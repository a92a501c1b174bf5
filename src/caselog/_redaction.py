"""Mask personal data in a CaseLog, a table or a list of strings so that an audit can be shared.

:func:`redact` returns a copy of a :class:`~caselog.CaseLog` whose text (``messages.subject``,
``body``, ``kind`` and ``source``; ``cases.outcome`` and ``source``; ``rejects.reason``,
``raw`` and ``source``; and every line of ``decisions``) has

- e-mail addresses replaced by ``[email]``, written-out ones too (``jane [at] example [dot]
  com``, ``jane(at)example.de``, ``jane at example dot com``);
- phone numbers by ``[phone]``: a candidate run of digits is confirmed by the ``phonenumbers``
  library (libphonenumber's numbering plans) for the US, UK, Germany, France, Italy, Spain,
  Japan, India and others, in national (``07700 900123``, ``0151 23456789``,
  ``06 12 34 56 78``, ``(206) 266-1000``, ``03-1234-5678``) and international form
  (``+44 20 7946 0958``, ``0044 20 7946 0958``, ``+49 (0)30 123456``).  A bare run of digits
  (``2062661000``) counts only after a word such as "phone" or "call", so case IDs, EANs and
  reimbursement IDs stay;
- street addresses (``10 Downing Street``, ``1600 Pennsylvania Ave NW``, ``Musterstraße 12``,
  ``12 rue de la Paix``, ``Via Roma 12``, ``PO Box 4521``) by ``[address]`` and postcodes
  (``SW1A 2AA``, ``DC 20500``, ``98109-5210``, ``10115`` before a town) by ``[postcode]``;
- person names by ``[name]``: in greetings (``Dear Ms. O'Neill,``, ``Hola José García,``,
  ``Sehr geehrter Herr Müller,``, ``Hello JANE,``), in sign-offs (``Regards,\\nJohn``, ``Mit
  freundlichen Grüßen\\nHans Müller``, ``Cordialement,\\nMarie Dubois``, after ``-- ``), and in
  running text after a title (``Mr. Patel``, ``Frau Weber``) or next to a cue ("my colleague
  Jane said", "I spoke with Mark from Account Health", "our warehouse manager, Priya
  Natarajan, checked");
- optionally (``order_ids=True``) Amazon order IDs ``123-1234567-1234567`` by ``[order id]``;
- optionally (``accounts=True``) account names by ``Account 1``, ``Account 2``, ... (the same
  alias for the same account everywhere, in the ``account`` columns and in the text).

Case IDs, ASINs (``B0...``), order IDs (unless asked), dates, amounts (``$15,043.65``,
``€ 1.200,00``), team names (``Dear Seller Performance,``), business names used as a sign-off
(``Best,\\nNorthwind Goods``; the log's own account names are always kept) and generic
greetings (``Hello team``, ``Dear Seller``) stay.  Redaction is pattern-based: it finds most
personal data, not all of it; read what you share before sending it.

The work is done by pandas' vectorised string methods (``Series.str.replace`` with regular
expressions, ``Series.str.count`` of the placeholders for the report); each pattern runs only
on the rows a cheap pre-filter (run by Arrow's RE2) selects.

Functions
---------
redact
    ``redact(log) -> CaseLog``; the counts are appended to ``log.decisions``.
redact_with_report
    ``(CaseLog, report)``: the report is a DataFrame ``kind, count, columns``.
redact_text
    Mask one Series of text; returns the masked Series and the counts per kind.
redact_frame
    Mask the text columns of any DataFrame (a sheet about to be written).
redact_strings
    Mask a list of strings (notes, messages that quote data).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import _redact_rules as _rules
from .model import CaseLog

__all__ = [
    "REDACTION_KINDS",
    "redact",
    "redact_with_report",
    "redact_text",
    "redact_frame",
    "redact_strings",
    "account_aliases",
    "log_account_aliases",
    "keep_terms",
    "describe_counts",
]

#: The kinds of data masked, in the order they are applied, with their placeholders.
REDACTION_KINDS: dict[str, str] = {
    "e-mail": "[email]",
    "order id": "[order id]",
    "phone": "[phone]",
    "address": "[address]",
    "name": "[name]",
    "account": "Account N",
}

_PLURALS = {
    "e-mail": "e-mail addresses",
    "order id": "order IDs",
    "phone": "phone numbers",
    "address": "street addresses",
    "name": "names",
    "account": "account names",
}

# ------------------------------------------------------------------------------- text


def _arrow(text: pd.Series) -> pa.Array:
    arr = pa.array(text, from_pandas=True)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = pa.array(text.map(lambda v: v if isinstance(v, str) else None), type=pa.string())
    return arr


def _contains(text: pd.Series, pattern: str) -> np.ndarray:
    """Rows matching an RE2 pattern (run by Arrow: no Python regex per row)."""
    hit = pc.match_substring_regex(_arrow(text), pattern=pattern)
    return np.asarray(hit.fill_null(False), dtype=bool)


def _count(text: pd.Series, literal: str) -> np.ndarray:
    found = pc.count_substring(_arrow(text), pattern=literal)
    return np.asarray(found.fill_null(0), dtype=np.int64)


def _apply_rules(text: pd.Series, rules: list[_rules.Rule], counts: dict[str, int]) -> pd.Series:
    out = text.copy()
    for rule in rules:
        counts.setdefault(rule.kind, 0)
        if len(out) == 0:
            continue
        candidates = _contains(out, rule.prefilter)
        if not candidates.any():
            continue
        part = out[candidates]
        # one regex pass: the matches are counted as the placeholders the pass adds
        replaced = part.str.replace(rule.pattern, rule.repl, regex=True)
        added = _count(replaced, rule.marker) - _count(part, rule.marker)
        counts[rule.kind] += int(added.sum())
        changed = added > 0
        if changed.any():
            out.loc[replaced.index[changed]] = replaced[changed]
    return out


def _account_pattern(aliases: Mapping[str, str]) -> re.Pattern[str] | None:
    names = sorted((a for a in aliases if a), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in names) + r")(?!\w)")


def _apply_accounts(
    text: pd.Series, aliases: Mapping[str, str], counts: dict[str, int]
) -> pd.Series:
    counts.setdefault("account", 0)
    pattern = _account_pattern(aliases)
    if pattern is None or len(text) == 0:
        return text
    found = text.str.count(pattern).fillna(0)
    if not found.any():
        return text
    counts["account"] += int(found.sum())
    out = text.copy()
    rows = found > 0
    out.loc[rows] = text[rows].str.replace(pattern, lambda m: aliases[m.group()], regex=True)
    return out


def redact_text(
    text: pd.Series,
    *,
    order_ids: bool = False,
    names: bool = True,
    keep: Iterable[str] = (),
) -> tuple[pd.Series, dict[str, int]]:
    """Mask personal data in one Series of text.

    Parameters
    ----------
    text : pandas.Series of str
        Any text; missing values are kept as they are.
    order_ids : bool, default False
        Also mask order IDs (``123-1234567-1234567``).
    names : bool, default True
        Mask person names (greetings, sign-offs, running text).
    keep : iterable of str, default ()
        Never masked: phrases such as account names (``"Northwind Goods"``) and digit strings
        such as case IDs.

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
    rules = _rules.build_rules(order_ids=order_ids, names=names, keep=_rules.Keep.of(keep))
    counts: dict[str, int] = {}
    return _apply_rules(text, rules, counts), counts


def redact_strings(
    strings: Sequence[str],
    *,
    order_ids: bool = False,
    names: bool = True,
    keep: Iterable[str] = (),
    accounts: Mapping[str, str] | None = None,
    counts: dict[str, int] | None = None,
) -> list[str]:
    """Mask personal data in a list of strings (notes, reject reasons, messages quoting data).

    Parameters
    ----------
    strings : sequence of str
        Any text, e.g. a CaseLog's ``decisions`` or the notes of a workbook.
    order_ids, names, keep
        As in :func:`redact_text`.
    accounts : mapping of str to str, optional
        Account names to replace by their alias (see :func:`account_aliases`).
    counts : dict, optional
        If given, the matches masked per kind are added to it.

    Returns
    -------
    list of str
        The masked strings, in the same order.

    Examples
    --------
    >>> redact_strings(["values not recognised in 'From': 'jane@shop.com' (2 rows)"])
    ["values not recognised in 'From': '[email]' (2 rows)"]
    """
    series = pd.Series(list(strings), dtype="str")
    found: dict[str, int] = {}
    if accounts:
        series = _apply_accounts(series, accounts, found)
    masked, n = redact_text(series, order_ids=order_ids, names=names, keep=keep)
    if counts is not None:
        for kind, k in (*found.items(), *n.items()):
            counts[kind] = counts.get(kind, 0) + k
    return [str(s) for s in masked.tolist()]


def account_aliases(accounts: Iterable[str]) -> dict[str, str]:
    """``{account: "Account 1", ...}``: one alias per distinct account name, in sorted order.

    Examples
    --------
    >>> account_aliases(["Northwind Goods", "Acme", "Northwind Goods", ""])
    {'Acme': 'Account 1', 'Northwind Goods': 'Account 2'}
    """
    names = sorted({str(a) for a in accounts if isinstance(a, str) and a.strip()})
    return {name: f"Account {i}" for i, name in enumerate(names, 1)}


def _text_columns(frame: pd.DataFrame) -> list[str]:
    columns = []
    for column in frame.columns:
        s = frame[column]
        if pd.api.types.is_string_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
            if s.dtype == object and not s.map(lambda v: isinstance(v, str) or pd.isna(v)).all():
                continue  # an object column of mixed values: not text
            columns.append(column)
    return columns


def redact_frame(
    frame: pd.DataFrame,
    columns: Iterable[str] | None = None,
    *,
    order_ids: bool = False,
    names: bool = True,
    keep: Iterable[str] = (),
    accounts: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Mask personal data in the text columns of a DataFrame (any sheet or table).

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table; only ``columns`` are changed.
    columns : iterable of str, optional
        The columns to mask; by default every text column (string dtype, or object dtype
        holding only strings).  Names that are not in ``frame`` are ignored.
    order_ids, names, keep
        As in :func:`redact_text`.
    accounts : mapping of str to str, optional
        Replace account names by their alias (see :func:`account_aliases`): a column named
        ``account`` is mapped value by value, and the names are replaced in the other columns'
        text.

    Returns
    -------
    (pandas.DataFrame, dict)
        A masked copy (same columns, index and dtypes) and ``{kind: matches masked}``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"case_id": ["12345678901"], "note": ["ask Emma: 0151 23456789"]})
    >>> safe, counts = redact_frame(t)
    >>> safe.iloc[0].tolist(), counts["phone"], counts["name"]
    (['12345678901', 'ask [name]: [phone]'], 1, 1)
    """
    chosen = _text_columns(frame) if columns is None else [c for c in columns if c in frame]
    counts: dict[str, int] = {}
    keep = tuple(keep)
    out = frame.copy()
    for column in chosen:
        values = out[column]
        if accounts:
            if column == "account":
                mapped = values.map(lambda v: accounts.get(v, v) if isinstance(v, str) else v)
                counts["account"] = counts.get("account", 0) + int((mapped != values).sum())
                out[column] = mapped.astype(values.dtype)
                continue
            values = _apply_accounts(values, accounts, counts)
        masked, n = redact_text(values, order_ids=order_ids, names=names, keep=keep)
        out[column] = masked
        for kind, k in n.items():
            counts[kind] = counts.get(kind, 0) + k
    if accounts:
        counts.setdefault("account", 0)
    return out, counts


def describe_counts(counts: dict[str, int]) -> str:
    """``"redacted: 3 e-mail addresses, 0 phone numbers, ..."`` for a counts dict."""
    parts = [f"{counts.get(kind, 0):,} {_PLURALS[kind]}" for kind in REDACTION_KINDS
             if kind in counts]
    return "redacted: " + (", ".join(parts) if parts else "nothing")


# ------------------------------------------------------------------------------- CaseLog

#: The columns of each table that :func:`redact` masks (account names: see ``accounts``).
REDACTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "messages": ("subject", "body", "kind", "source"),
    "cases": ("outcome", "source"),
    "rejects": ("reason", "raw", "source"),
}


def _column_values(log: CaseLog, column: str) -> list[str]:
    values: set[str] = set()
    for table in (log.messages, log.cases):
        if column in table.columns:
            values.update(v for v in table[column].dropna().unique().tolist() if isinstance(v, str))
    return sorted(values)


def keep_terms(log: CaseLog, *, accounts: bool = True) -> tuple[str, ...]:
    """What :func:`redact` never masks in ``log``: its case IDs and (``accounts``) account names.

    Pass it as ``keep`` to :func:`redact_frame` / :func:`redact_strings` when masking tables
    derived from the log, so that they are masked as :func:`redact` masks the log.  With
    ``redact(log, accounts=True)``, mask the derived tables with
    ``accounts=account_aliases(...)`` and ``keep=keep_terms(log, accounts=False)``.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.load("data/sample/caselog_sample.csv")
    >>> terms = keep_terms(log)
    >>> "Northwind Goods" in terms, len(terms) > 300
    (True, True)
    """
    ids = _column_values(log, "case_id")
    return (*ids, *(_column_values(log, "account") if accounts else ()))


def log_account_aliases(log: CaseLog) -> dict[str, str]:
    """The ``Account N`` aliases ``redact(log, accounts=True)`` uses (see :func:`account_aliases`)."""
    return account_aliases(_column_values(log, "account"))


def redact_with_report(
    log: CaseLog, *, order_ids: bool = False, names: bool = True, accounts: bool = False
) -> tuple[CaseLog, pd.DataFrame]:
    """Mask personal data in a CaseLog and report what was masked.

    Parameters
    ----------
    log : CaseLog
        Uses ``messages.subject``, ``body``, ``kind``, ``source``; ``cases.outcome``,
        ``source``; ``rejects.reason``, ``raw``, ``source`` (whichever exist) and ``decisions``.
        Every other column is copied as it is.  The log's account names and case IDs are never
        masked as names or phone numbers.
    order_ids : bool, default False
        Also mask order IDs.
    names : bool, default True
        Mask person names.
    accounts : bool, default False
        Replace each account name by ``Account 1``, ``Account 2``, ... (sorted by name), in the
        ``account`` columns of messages and cases and wherever the name appears in the text.

    Returns
    -------
    (CaseLog, pandas.DataFrame)
        The redacted copy (its ``decisions`` are masked and end with a ``"redacted: ..."``
        line), and the report with columns ``kind, count`` (one row per kind applied, in
        :data:`REDACTION_KINDS` order, zeros included) and ``columns`` (where the matches
        were, e.g. ``"messages.body"``).

    Examples
    --------
    >>> import caselog
    >>> from caselog import redact_with_report
    >>> safe, report = redact_with_report(caselog.load("data/sample/caselog_sample.csv"))
    >>> int(report.set_index("kind").loc["e-mail", "count"])
    97
    """
    totals: dict[str, int] = {}
    where: dict[str, list[str]] = {}
    aliases = account_aliases(_column_values(log, "account")) if accounts else None
    keep = keep_terms(log, accounts=not accounts)

    def note(table: str, counts: dict[str, int]) -> None:
        for kind, n in counts.items():
            totals[kind] = totals.get(kind, 0) + n
            if n:
                where.setdefault(kind, []).append(table)

    def apply(frame: pd.DataFrame, table: str) -> pd.DataFrame:
        present = [c for c in REDACTED_COLUMNS[table] if c in frame.columns]
        if aliases and table != "rejects" and "account" in frame.columns:
            present = ["account", *present]
        if not present:
            return frame
        for column in present:
            masked, counts = redact_frame(
                frame[[column]], [column], order_ids=order_ids, names=names, keep=keep,
                accounts=aliases,
            )
            frame = frame.assign(**{column: masked[column]})
            note(f"{table}.{column}", counts)
        return frame

    messages = apply(log.messages, "messages")
    cases = apply(log.cases, "cases")
    rejects = apply(log.rejects, "rejects")
    counts: dict[str, int] = {}
    decisions = tuple(
        redact_strings(
            log.decisions, order_ids=order_ids, names=names, keep=keep, accounts=aliases,
            counts=counts,
        )
    )
    note("decisions", counts)
    for rule in _rules.build_rules(order_ids=order_ids, names=names, keep=_rules.Keep()):
        totals.setdefault(rule.kind, 0)
    if accounts:
        totals.setdefault("account", 0)
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
        decisions=(*decisions, describe_counts(totals)),
    )
    return redacted, report


def redact(
    log: CaseLog, *, order_ids: bool = False, names: bool = True, accounts: bool = False
) -> CaseLog:
    """A copy of ``log`` with e-mails, phones, addresses, postcodes and person names masked.

    Parameters
    ----------
    log : CaseLog
        Text masked: ``messages.subject``, ``body``, ``kind``, ``source``; ``cases.outcome``,
        ``source``; ``rejects.reason``, ``raw``, ``source``; ``decisions``.  Case IDs, ASINs,
        dates, amounts and account names stay.
    order_ids : bool, default False
        Also mask order IDs (``123-1234567-1234567``).
    names : bool, default True
        Mask person names.
    accounts : bool, default False
        Replace account names by ``Account 1``, ``Account 2``, ... everywhere.

    Returns
    -------
    CaseLog
        The redacted copy.  What was masked, per kind, is the last line of its ``decisions``
        (``"redacted: 3 e-mail addresses, 1 phone numbers, ..."``); use
        :func:`redact_with_report` for the counts as a table.

    Examples
    --------
    >>> import caselog
    >>> from caselog import redact
    >>> safe = redact(caselog.load("data/sample/caselog_sample.csv"))
    >>> safe.decisions[-1]
    'redacted: 97 e-mail addresses, 0 phone numbers, 0 street addresses, 1,354 names'
    """
    return redact_with_report(log, order_ids=order_ids, names=names, accounts=accounts)[0]
