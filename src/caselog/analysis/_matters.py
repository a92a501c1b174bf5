"""Matters: the cases, mails and calls about one problem, linked with the evidence of each link.

A real suspension or listing problem is rarely one Seller Central case: a notification by e-mail,
an appeal, a second Seller Support case opened when the first went nowhere, an escalation mail --
each with its own case ID.  :func:`matters` links such cases into one *matter* and says, for
every link, why.

Link rules (every link is a pair of cases; a matter is a connected group of linked cases):

``user``
    A pair given in ``links=``, or two cases with the same non-empty ``matter`` column in the
    export (in ``log.cases`` or ``log.messages``).  Across accounts too.
``case_reference``
    A message of one case quotes the case ID of another case of the log ("see case 1234567890",
    "following up on case ...", "[CASE 1234567890]"), in any direction: a seller's new case
    quoting the first one, or an Amazon reply naming the case it merged.  The only automatic rule
    that links across accounts (the ID is explicit).  IDs shorter than ``min_id_length``
    characters, or without a digit, are not searched (too many false hits).
``same_thread``
    Messages of both cases are in one mail thread (an optional ``thread_id`` column of the
    messages, as a mail reader provides it); same account.
``same_asin`` / ``same_order``
    Both cases name an ASIN (``B0`` and eight letters or digits, in ``cases.asins`` or in a
    text) or an order ID (``123-1234567-1234567``) in common, they belong to the same account,
    and the gap between their activity (first to last message) is at most ``window_days``.
    A value named by more than ``max_key_cases`` cases of an account is too common to link on.
``same_notice``
    A case whose first Amazon message repeats the notification that *opened* an earlier case
    (Amazon wrote first; the same template, :func:`caselog.find_templates`) is linked to the
    latest such notice case before it.  Two cases that each open with the notice are two
    events, not linked.  The template is not an acknowledgement or an acceptance, same
    account, openings at most ``window_days`` apart, and either both cases name no ASIN or they
    share one (a notice about other ASINs, or an ASIN-less notice next to one naming an ASIN,
    may be another problem: linking them would chain unrelated notices together).

Precision over recall: a wrong merge is worse than a missed link, so the automatic rules other
than ``case_reference`` never cross accounts and always need a time window.  ``unlink=`` pairs
may never end up in one matter: links are applied strongest rule first (user, case_reference,
same_thread, same_notice, same_order, same_asin) and a link that would join an unlinked pair is
kept in the table with ``applied`` False and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._memory import uses_arrow_pool
from ..errors import ConfigError
from ..model import CaseLog
from ._frame import col, message_text, require_columns, rx_contains

__all__ = ["MatterResult", "matters", "MATTER_COLUMNS", "MATTER_LINK_COLUMNS", "LINK_RULES"]

#: link rules, strongest first (the order in which links are applied)
LINK_RULES: tuple[str, ...] = (
    "user", "case_reference", "same_thread", "same_notice", "same_order", "same_asin",
)
#: columns of :attr:`MatterResult.matters`
MATTER_COLUMNS: tuple[str, ...] = (
    "case_id", "matter_id", "account", "n_cases", "first_at", "last_at", "case_first_at",
    "case_last_at", "channels", "matter_cases", "linked_by",
)
#: columns of :attr:`MatterResult.links`
MATTER_LINK_COLUMNS: tuple[str, ...] = (
    "case_a", "case_b", "rule", "evidence", "account_a", "account_b", "applied",
)

_ASIN = re.compile(r"(?<![A-Za-z0-9])B0[A-Z0-9]{8}(?![A-Za-z0-9])")
_ORDER = re.compile(r"(?<![\d-])\d{3}-\d{7}-\d{7}(?![\d-])")
# a token with a digit in it (case IDs without digits are only linked by the user)
_ID_TOKEN = (r"(?<![A-Za-z0-9_-])(?=[A-Za-z_-]*\d)[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]"
             r"(?![A-Za-z0-9_-])")
# the part of a token from its first ASCII digit on (possessive: no backtracking)
_DIGIT_RUN = re.compile(r"[0-9][A-Za-z0-9_-]*+")
_FIRST_DIGIT = re.compile(r"[0-9]")
_PREFILTER = {"asin": r"B0[A-Z0-9]{8}", "order": r"\d{3}-\d{7}-\d{7}", "id": r"\d"}
_NO_NOTICE = ("acknowledgement", "acceptance")


@dataclass(frozen=True)
class MatterResult:
    """The matters of a case log.

    Attributes
    ----------
    matters : pandas.DataFrame
        One row per case, sorted by ``matter_id`` number then ``case_first_at``: ``case_id,
        matter_id`` (``"M-1"``, ``"M-2"``, ... numbered by the matter's first message),
        ``account`` (the case's), ``n_cases`` (cases in the matter), ``first_at`` / ``last_at``
        (the matter's first and last message, UTC), ``case_first_at`` / ``case_last_at``,
        ``channels`` (the case's channels, comma-joined), ``matter_cases`` (every case ID of the
        matter, in order of their first message), ``linked_by`` (the rules of the applied links
        touching the case, comma-joined; ``""`` for a case alone in its matter).
    links : pandas.DataFrame
        One row per linked pair and rule: ``case_a, case_b`` (``case_a`` the earlier case),
        ``rule`` (one of :data:`LINK_RULES`), ``evidence`` (plain words: what both cases share,
        where and when), ``account_a, account_b``, ``applied`` (False when ``unlink=`` forbade
        it; the evidence then says so).
    """

    matters: pd.DataFrame
    links: pd.DataFrame

    def matter_of(self, case_id: str) -> str:
        """The matter ID of one case (:class:`~caselog.ConfigError` for an unknown case)."""
        hit = self.matters.loc[self.matters["case_id"] == str(case_id), "matter_id"]
        if hit.empty:
            raise ConfigError(f"matter_of(): unknown case ID {case_id!r}")
        return str(hit.iloc[0])

    def cases_of(self, matter_id: str) -> list[str]:
        """The case IDs of one matter, in order of their first message."""
        hit = self.matters[self.matters["matter_id"] == str(matter_id)]
        if hit.empty:
            raise ConfigError(f"unknown matter ID {matter_id!r}")
        return hit["case_id"].astype(str).tolist()

    def subset(self, case_ids: Iterable[str]) -> MatterResult:
        """The rows of these cases (matter IDs and counts kept as in the whole log)."""
        ids = set(map(str, case_ids))
        m = self.matters[self.matters["case_id"].isin(ids)].reset_index(drop=True)
        k = self.links
        k = k[k["case_a"].isin(ids) | k["case_b"].isin(ids)].reset_index(drop=True)
        return MatterResult(matters=m, links=k)


# ------------------------------------------------------------------------------ case facts
def _case_facts(log: CaseLog, text: pd.Series | None = None) -> pd.DataFrame:
    """Per case: account, first/last message, opened_at, channels, ASINs and orders named
    (``text``: the messages' subject and body)."""
    m = log.messages
    ids = log.case_ids
    facts = pd.DataFrame(index=pd.Index(ids, name="case_id"))
    cases = log.cases.drop_duplicates("case_id").set_index(log.cases["case_id"].drop_duplicates()
                                                           .astype(str))
    acc_m = m.drop_duplicates("case_id").set_index(m["case_id"].drop_duplicates().astype(str))
    account = pd.Series(cases["account"], dtype="object").reindex(ids)
    account = account.fillna(pd.Series(acc_m["account"], dtype="object").reindex(ids))
    facts["account"] = account.fillna("default").astype(str).replace("", "default").to_numpy()
    g = m.groupby(m["case_id"].astype(str))["sent_at"]
    facts["first_at"] = g.min().reindex(ids)
    facts["last_at"] = g.max().reindex(ids)
    if "opened_at" in cases.columns:
        opened = cases["opened_at"].reindex(ids)
        facts["first_at"] = facts["first_at"].fillna(opened)
        facts["last_at"] = facts["last_at"].fillna(opened)
    facts["channels"] = _channels(m).reindex(ids).fillna("")
    if text is None:
        text = message_text(m)
    facts["asins"] = _named(text, m["case_id"], _ASIN, ids, col(cases, "asins").reindex(ids))
    facts["orders"] = _named(text, m["case_id"], _ORDER, ids, None)
    return facts


def _channels(m: pd.DataFrame) -> pd.Series:
    """Per case: its channels in order of first use, comma-joined (``"other"`` for none)."""
    pairs = pd.DataFrame({"case_id": m["case_id"].astype(str),
                          "channel": col(m, "channel").replace("", "other").astype(str)})
    pairs = pairs.drop_duplicates()
    joined: dict[str, list[str]] = {}
    for c, ch in zip(pairs["case_id"].tolist(), pairs["channel"].tolist(), strict=True):
        joined.setdefault(c, []).append(ch)
    return pd.Series([", ".join(v) for v in joined.values()], index=list(joined), dtype=object)


def _named(text: pd.Series, case: pd.Series, rx: re.Pattern[str], ids: pd.Index,
           extra: pd.Series | None) -> pd.Series:
    """The set of values matching ``rx`` named by each case (texts, plus ``extra`` text)."""
    hit = np.flatnonzero(rx_contains(text, _PREFILTER["asin" if rx is _ASIN else "order"],
                                     ignore_case=False).to_numpy(dtype=bool))
    sets: dict[str, set[str]] = {}
    cases = case.astype(str).to_numpy()[hit].tolist()
    for c, found in zip(cases, text.iloc[hit].str.findall(rx.pattern).tolist(), strict=True):
        if found:
            sets.setdefault(c, set()).update(found)
    if extra is not None:
        more = extra.fillna("").astype(str)
        for c, found in zip(more.index.astype(str), more.str.findall(rx.pattern).tolist(),
                            strict=True):
            if found:
                sets.setdefault(c, set()).update(found)
    empty: frozenset[str] = frozenset()
    return pd.Series([frozenset(sets[c]) if c in sets else empty for c in ids], index=ids,
                     dtype=object)


def _lookup(facts: pd.DataFrame, column: str, cases: Iterable[str] | None = None) -> dict:
    """``{case_id: value}`` of one facts column, for ``cases`` only when given (building a dict
    over every case costs more than the few cases a rule looks up)."""
    sub = facts[column] if cases is None else facts[column].reindex(pd.unique(
        np.asarray(list(cases), dtype=object)))
    return dict(zip(sub.index.tolist(), sub.tolist(), strict=True))


def _fmt(ts: Any) -> str:
    return "-" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d")


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    lo, hi = max(0, start - width), min(len(text), end + width)
    s = " ".join(text[lo:hi].split())
    return ("..." if lo > 0 else "") + s + ("..." if hi < len(text) else "")


# ------------------------------------------------------------------------------ link rules
def _reference_links(log: CaseLog, facts: pd.DataFrame, min_len: int,
                     text: pd.Series | None = None) -> list[tuple]:
    """Messages quoting another case's ID (``text``: the messages' subject and body)."""
    m = log.messages
    known = {c for c in facts.index if len(c) >= min_len}
    if not known or m.empty:
        return []
    if text is None:
        text = message_text(m)
    hit = np.flatnonzero(rx_contains(text, r"\d").to_numpy(dtype=bool))
    hit = _may_quote(text, hit, known)
    if not len(hit):
        return []
    tokens = text.iloc[hit].str.findall(_ID_TOKEN).tolist()
    own = m["case_id"].astype(str).to_numpy()[hit].tolist()
    # the cases each message quotes, its own case left out (most quote only their own ID)
    quoted = [
        (i, src, refs) for i, toks, src in zip(hit.tolist(), tokens, own, strict=True)
        if toks and (refs := [t for t in dict.fromkeys(toks) if t in known and t != src])
    ]
    if not quoted:
        return []
    rows = np.array([i for i, _, _ in quoted], dtype=np.int64)
    sent = m["sent_at"].iloc[rows].tolist()
    seller = (col(m, "direction").iloc[rows].astype(str) == "seller").tolist()
    chans = col(m, "channel").iloc[rows].astype(str).tolist()
    bodies = text.iloc[rows].astype(str).tolist()
    out = []
    for k, (_, src, refs) in enumerate(quoted):
        body = bodies[k]
        who = "the seller's" if seller[k] else "Amazon's"
        chan = chans[k] or "message"
        for ref in refs:
            found = re.search(rf"(?<![A-Za-z0-9_-]){re.escape(ref)}(?![A-Za-z0-9_-])", body)
            quote = _snippet(body, found.start(), found.end()) if found else ref
            ev = (f"{who} {chan} message of {_fmt(sent[k])} in case {src} quotes case "
                  f"{ref}: \"{quote}\"")
            out.append((src, ref, "case_reference", ev, sent[k]))
    return out


def _may_quote(text: pd.Series, rows: np.ndarray, known: set[str]) -> np.ndarray:
    """The ``rows`` of ``text`` that may quote an ID of ``known`` (a superset of those that do).

    A quoted ID is a whole token; from its first ASCII digit on, it is a whole digit-led run of
    ID characters, which one quick pattern finds.  (IDs with no ASCII digit: every row.)
    """
    tails = set()
    for k in known:
        first = _FIRST_DIGIT.search(k)
        if first is None:
            return rows
        tails.add(k[first.start():])
    find = _DIGIT_RUN.findall
    return np.array([i for i, x in zip(rows.tolist(), text.iloc[rows].tolist(), strict=True)
                     if not tails.isdisjoint(find(x))], dtype=np.int64)


def _thread_links(log: CaseLog, facts: pd.DataFrame) -> list[tuple]:
    """Cases with messages in one mail thread: each case linked to the thread's case before it
    (cases in order of their first message in the thread), same account."""
    m = log.messages
    if "thread_id" not in m.columns:
        return []
    t = pd.DataFrame({"case_id": m["case_id"].astype(str), "thread": col(m, "thread_id"),
                      "at": m["sent_at"]})
    t = t[t["thread"].str.strip() != ""]
    # by thread, then time (stable: ties keep the messages' order)
    t = t.sort_values(["thread", "at"], kind="stable").drop_duplicates(["thread", "case_id"])
    thread = t["thread"].astype(str).tolist()
    ids = t["case_id"].tolist()
    account = _lookup(facts, "account", ids)
    first_at = _lookup(facts, "first_at", ids)
    out = []
    for k in range(1, len(ids)):
        a, b = ids[k - 1], ids[k]
        if thread[k] != thread[k - 1] or account[a] != account[b]:
            continue
        ev = (f"messages of both cases are in mail thread {thread[k]!r} (case {a} from "
              f"{_fmt(first_at[a])}, case {b} from {_fmt(first_at[b])})")
        out.append((a, b, "same_thread", ev, None))
    return out


def _gap_days(first_at: dict, last_at: dict, a: str, b: str) -> float:
    """Days between the two cases' activity (0 when they overlap)."""
    fa, la, fb, lb = first_at[a], last_at[a], first_at[b], last_at[b]
    if pd.isna(fa) or pd.isna(fb):
        return float("inf")
    gap = max(fb - la, fa - lb, pd.Timedelta(0))
    return gap / pd.Timedelta(days=1)


def _key_links(facts: pd.DataFrame, field: str, rule: str, what: str, window: float,
               max_cases: int) -> list[tuple]:
    """Cases of one account naming the same value (ASIN, order ID) within the window."""
    ex = facts[["account", field]].explode(field).dropna()
    if ex.empty:
        return []
    ex = ex.reset_index()
    ex = ex[ex.duplicated(["account", field], keep=False)]  # values named by two cases or more
    involved = ex["case_id"].tolist()
    first_at = _lookup(facts, "first_at", involved)
    last_at = _lookup(facts, "last_at", involved)
    pairs: dict[tuple[str, str], list[str]] = {}
    for (_acct, value), grp in ex.groupby(["account", field], sort=True):
        ids = sorted(set(grp["case_id"]), key=lambda c: (first_at[c], c))
        if len(ids) < 2 or len(ids) > max_cases:
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if _gap_days(first_at, last_at, a, b) <= window:
                    pairs.setdefault((a, b), []).append(str(value))
    out = []
    account = _lookup(facts, "account", involved)
    for (a, b), values in pairs.items():
        gap = _gap_days(first_at, last_at, a, b)
        when = ("activity overlapping" if gap == 0 else "1 day apart" if f"{gap:.0f}" == "1"
                else f"{gap:.0f} days apart")
        ev = (f"both name {what} {', '.join(values)} (case {a} "
              f"{_fmt(first_at[a])}..{_fmt(last_at[a])}, case {b} "
              f"{_fmt(first_at[b])}..{_fmt(last_at[b])}: {when}, within "
              f"{window:g} days), same account {account[a]}")
        out.append((a, b, rule, ev, None))
    return out


def _notice_links(log: CaseLog, facts: pd.DataFrame, templates: Any, window: float) -> list[tuple]:
    """A case whose first Amazon message repeats the notification that opened an earlier case
    (the latest such notice before it, within the window)."""
    if templates is None:
        return []
    tm = templates.messages if hasattr(templates, "messages") else templates
    require_columns(tm, ("message_id", "template_id", "reply_class"), "templates.messages")
    m = log.messages
    info = pd.DataFrame({"message_id": m["message_id"], "case_id": m["case_id"].astype(str),
                         "sent_at": m["sent_at"], "direction": m["direction"],
                         "row": np.arange(len(m))})
    first_msg = info.sort_values(["sent_at", "message_id"]).drop_duplicates("case_id")
    opens_amazon = set(first_msg.loc[first_msg["direction"].eq("amazon"), "case_id"])
    case_start = first_msg.set_index("case_id")["sent_at"]
    am = info.merge(tm[["message_id", "template_id", "reply_class"]], on="message_id")
    am = am[am["template_id"].notna()].sort_values(["sent_at", "message_id"])
    first = am.drop_duplicates("case_id")
    first = first[~first["reply_class"].astype(str).isin(_NO_NOTICE)]
    first = first.assign(account=facts["account"].reindex(first["case_id"]).to_numpy())
    if first.empty:
        return []
    # one group per (account, template); within it, each case that does not open with the
    # notice is paired with the latest notice case whose notice came at or before its start
    key = first.groupby(["account", "template_id"], sort=True).ngroup().to_numpy()
    first = first.assign(key=key, order=np.arange(len(first)))
    notice = first["case_id"].isin(opens_amazon).to_numpy()
    right = first[notice].sort_values(["key", "order"], kind="stable")
    left = first[~notice].assign(start=case_start.reindex(first.loc[~notice, "case_id"])
                                 .to_numpy())
    if right.empty or left.empty:
        return []
    # pairs ordered as the groups were walked: by group key, then by the later case's row
    left = left.sort_values(["key", "order"], kind="stable")
    la = left["key"].to_numpy()
    ra_key = right["key"].to_numpy()
    r_at = right["sent_at"].to_numpy(dtype="datetime64[ns]")
    l_start = left["start"].to_numpy(dtype="datetime64[ns]")
    # the notices of a group are sorted by time (rows sorted by time, message ID): the latest
    # at or before the start is the last of the group's notices not after it; one search on
    # (group, time rank) for all cases at once
    _, rank = np.unique(np.concatenate([r_at, l_start]), return_inverse=True)
    width = np.int64(rank.max() + 2)
    r_code = ra_key.astype(np.int64) * width + rank[:len(r_at)]
    l_code = la.astype(np.int64) * width + rank[len(r_at):]
    k = np.searchsorted(r_code, l_code, side="right") - 1
    pick = np.where((k >= 0) & (ra_key[np.maximum(k, 0)] == la), k, -1)
    ok = np.flatnonzero(pick >= 0)
    if not len(ok):
        return []
    b_at = left["sent_at"].to_numpy(dtype="datetime64[ns]")[ok]
    a_at = r_at[pick[ok]]
    ok = ok[(b_at - a_at) <= np.timedelta64(int(window * 86400e9), "ns")]
    body = col(m, "body")
    out = []
    picked = pick[ok]
    lt = list(left[["case_id", "sent_at", "account"]].iloc[ok].itertuples(index=False, name=None))
    rt = list(right[["case_id", "sent_at", "template_id", "reply_class", "row"]].iloc[picked]
              .itertuples(index=False, name=None))
    asins = _lookup(facts, "asins", [r[0] for r in lt] + [r[0] for r in rt])
    for (b, b_sent, acct), (a, a_sent, tid, reply_class, row) in zip(lt, rt, strict=True):
        sa, sb = asins[a], asins[b]
        if bool(sa) != bool(sb) or (sa and not (sa & sb)):
            continue  # the same notice about other ASINs (or none): maybe two problems
        label = f"T{int(tid)}" if isinstance(tid, (int, np.integer)) else str(tid)
        words = " ".join(str(body.iloc[row]).split()[:14])
        ev = (f"case {b}'s first Amazon reply ({_fmt(b_sent)}) repeats the notice that "
              f"opened case {a} on {_fmt(a_sent)} (template {label}, {reply_class}: "
              f"\"{words}...\"), within {window:g} days, same account {acct}")
        out.append((a, b, "same_notice", ev, None))
    return out


# ------------------------------------------------------------------------------ overrides
def _pairs(value: Any, what: str, known: pd.Index) -> list[tuple[str, str, str]]:
    """``(case_a, case_b, reason)`` rows of a user table (DataFrame or iterable of tuples)."""
    if value is None:
        return []
    if isinstance(value, pd.DataFrame):
        require_columns(value, ("case_a", "case_b"), what)
        reason = col(value, "reason")
        rows = list(zip(value["case_a"], value["case_b"], reason, strict=True))
    else:
        rows = []
        for i, r in enumerate(value):
            if isinstance(r, str) or not 2 <= len(r) <= 3:
                raise ConfigError(f"{what} row {i + 1}: expected (case_a, case_b[, reason]), "
                                  f"got {r!r}")
            rows.append((r[0], r[1], r[2] if len(r) == 3 else ""))
    out = []
    for i, (a, b, why) in enumerate(rows):
        a, b = str(a).strip(), str(b).strip()
        for c in (a, b):
            if c not in known:
                raise ConfigError(f"{what} row {i + 1}: case ID {c!r} is not in the log")
        if a != b:
            out.append((a, b, "" if pd.isna(why) else str(why)))
    return out


def _column_links(log: CaseLog, facts: pd.DataFrame) -> list[tuple]:
    """Cases sharing a non-empty ``matter`` value in the export (cases or messages table)."""
    first_at = _lookup(facts, "first_at")
    out = []
    for name, frame in (("cases", log.cases), ("messages", log.messages)):
        if "matter" not in frame.columns:
            continue
        t = pd.DataFrame({"case_id": frame["case_id"].astype(str), "v": col(frame, "matter")})
        t = t[t["v"].str.strip() != ""].drop_duplicates()
        for value, grp in t.groupby("v", sort=True):
            ids = sorted(set(grp["case_id"]), key=lambda c: (first_at[c], c))
            for a, b in zip(ids[:-1], ids[1:], strict=True):
                out.append((a, b, "user", f"both marked matter {value!r} in the {name} table",
                            None))
    return out


class _Components:
    """Union-find with cannot-link pairs."""

    def __init__(self, ids: Iterable[str], forbidden: set[frozenset[str]]):
        self.parent = {c: c for c in ids}
        self.members = {c: {c} for c in ids}
        self.forbidden = forbidden

    def find(self, c: str) -> str:
        while self.parent[c] != c:
            self.parent[c] = self.parent[self.parent[c]]
            c = self.parent[c]
        return c

    def blocker(self, a: str, b: str) -> tuple[str, str] | None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        for pair in self.forbidden:
            x, y = tuple(pair)
            if (x in self.members[ra] and y in self.members[rb]) or (
                y in self.members[ra] and x in self.members[rb]
            ):
                return x, y
        return None

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if len(self.members[ra]) < len(self.members[rb]):
                ra, rb = rb, ra
            self.parent[rb] = ra
            self.members[ra] |= self.members.pop(rb)


# ------------------------------------------------------------------------------ matters()
@uses_arrow_pool
def matters(
    log: CaseLog,
    *,
    links: Any = None,
    unlink: Any = None,
    window_days: float = 60,
    templates: Any = None,
    min_id_length: int = 6,
    max_key_cases: int = 6,
) -> MatterResult:
    """Link the cases of a log into matters (one problem each), with the evidence of every link.

    Parameters
    ----------
    log : CaseLog
        ``log.messages`` (``message_id, case_id, account, sent_at, direction``; uses ``channel,
        subject, body`` and optional ``thread_id`` / ``matter`` columns) and ``log.cases``
        (``case_id, account``; uses ``asins, opened_at`` and an optional ``matter`` column).
    links : DataFrame or iterable of tuples, optional
        Links the user knows: ``case_a, case_b`` and an optional ``reason``.
    unlink : DataFrame or iterable of tuples, optional
        Pairs of cases that must not be in one matter (``case_a, case_b``).
    window_days : float, default 60
        How far apart (in days) two cases' activity may be for ASIN, order and notice links.
    templates : TemplateResult, optional
        :func:`caselog.find_templates` of ``log`` for the ``same_notice`` rule; computed when
        not given (when the log has Amazon messages).
    min_id_length : int, default 6
        Case IDs shorter than this are not searched for in texts.
    max_key_cases : int, default 6
        An ASIN or order ID named by more cases of one account than this links none of them.

    Returns
    -------
    MatterResult
        ``.matters`` (one row per case: ``case_id, matter_id, account, n_cases, first_at,
        last_at, case_first_at, case_last_at, channels, matter_cases, linked_by``) and
        ``.links`` (``case_a, case_b, rule, evidence, account_a, account_b, applied``).  The
        link rules are described in :mod:`caselog.analysis._matters`.

    Raises
    ------
    ConfigError
        A ``links`` / ``unlink`` row that names a case not in the log or is not a pair, or a
        negative ``window_days``.

    Examples
    --------
    >>> import caselog
    >>> s = caselog.sample.generate(n_cases=40, n_matters=3)
    >>> r = caselog.matters(s.log)
    >>> int(r.matters["n_cases"].max()) > 1, list(r.links.columns)[:4]
    (True, ['case_a', 'case_b', 'rule', 'evidence'])
    """
    if not isinstance(log, CaseLog):
        raise ConfigError(f"matters(): expected a CaseLog (caselog.load), found {type(log).__name__}")
    require_columns(log.messages, ("message_id", "case_id", "sent_at", "direction"), "matters()")
    if isinstance(window_days, bool) or not isinstance(window_days, (int, float)) or not (
        window_days >= 0
    ):
        raise ConfigError(f"matters(): window_days must be a number >= 0, got {window_days!r}")
    window = float(window_days)
    text = message_text(log.messages)
    facts = _case_facts(log, text)
    ids = facts.index
    if templates is None and log.messages["direction"].eq("amazon").any():
        from ._templates import find_templates

        templates = find_templates(log)

    found: list[tuple] = [
        (a, b, "user", f"given by the user{': ' + why if why else ''}", None)
        for a, b, why in _pairs(links, "links", ids)
    ]
    found += _column_links(log, facts)
    found += _reference_links(log, facts, int(min_id_length), text)
    del text
    found += _thread_links(log, facts)
    found += _notice_links(log, facts, templates, window)
    found += _key_links(facts, "orders", "same_order", "order ID", window, int(max_key_cases))
    found += _key_links(facts, "asins", "same_asin", "ASIN", window, int(max_key_cases))
    forbidden = {frozenset((a, b)) for a, b, _ in _pairs(unlink, "unlink", ids)}
    link_frame = _link_frame(found, facts, forbidden)
    return MatterResult(matters=_matter_frame(facts, link_frame), links=link_frame)


def _link_frame(found: list[tuple], facts: pd.DataFrame,
                forbidden: set[frozenset[str]]) -> pd.DataFrame:
    """One row per pair and rule (the first evidence), applied strongest rule first."""
    rank = {r: i for i, r in enumerate(LINK_RULES)}
    rows: dict[tuple[str, str, str], str] = {}
    involved = [c for r in found for c in r[:2]]
    first_at = _lookup(facts, "first_at", involved)
    account = _lookup(facts, "account", involved)
    for a, b, rule, ev, _ in sorted(found, key=lambda r: rank[r[2]]):
        if (first_at[b], b) < (first_at[a], a):
            a, b = b, a
        rows.setdefault((a, b, rule), ev)
    comp = _Components(facts.index, forbidden)
    out = []
    for (a, b, rule), ev in rows.items():
        block = comp.blocker(a, b)
        if frozenset((a, b)) in forbidden:
            block = (a, b)
        applied = block is None
        if applied:
            comp.union(a, b)
        else:
            ev += f" (not applied: unlink of {block[0]} and {block[1]})"
        out.append((a, b, rule, ev, account[a], account[b], applied))
    frame = pd.DataFrame(out, columns=list(MATTER_LINK_COLUMNS))
    return frame.astype({c: "str" for c in MATTER_LINK_COLUMNS[:-1]} | {"applied": "bool"})


def _matter_frame(facts: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    comp = _Components(facts.index, set())
    used = links[links["applied"]]
    for a, b in zip(used["case_a"], used["case_b"], strict=True):
        comp.union(a, b)
    f = facts.reset_index()
    f["root"] = [comp.find(c) for c in f["case_id"].tolist()]
    f = f.sort_values(["first_at", "case_id"], kind="stable", na_position="last")
    g = f.groupby("root", sort=False)
    f["m_first"] = g["first_at"].transform("min")
    f["m_last"] = g["last_at"].transform("max")
    f["n_cases"] = g["case_id"].transform("size").astype("int64")
    several = (f["n_cases"] > 1).to_numpy()
    joined = f[several].groupby("root", sort=False)["case_id"].agg(", ".join)
    cases = f["case_id"].astype(str).to_numpy(dtype=object).copy()
    cases[several] = f.loc[several, "root"].map(joined).to_numpy(dtype=object)
    f["matter_cases"] = cases
    order = f.drop_duplicates("root")["root"].tolist()
    number = {r: i + 1 for i, r in enumerate(order)}
    f["num"] = f["root"].map(number)
    rules: dict[str, set[str]] = {}
    for a, b, r in zip(used["case_a"], used["case_b"], used["rule"], strict=True):
        rules.setdefault(a, set()).add(r)
        rules.setdefault(b, set()).add(r)
    rank = {r: i for i, r in enumerate(LINK_RULES)}
    f = f.sort_values(["num", "first_at", "case_id"], kind="stable")
    out = pd.DataFrame({
        "case_id": f["case_id"].astype(str).to_numpy(),
        "matter_id": ("M-" + f["num"].astype(str)).to_numpy(),
        "account": f["account"].astype(str).to_numpy(),
        "n_cases": f["n_cases"].to_numpy(),
        "first_at": f["m_first"].array,
        "last_at": f["m_last"].array,
        "case_first_at": f["first_at"].array,
        "case_last_at": f["last_at"].array,
        "channels": f["channels"].astype(str).to_numpy(),
        "matter_cases": f["matter_cases"].astype(str).to_numpy(),
        "linked_by": [", ".join(sorted(rules.get(c, ()), key=rank.get))
                      for c in f["case_id"].tolist()],
    })
    for c in ("first_at", "last_at", "case_first_at", "case_last_at"):
        out[c] = pd.to_datetime(out[c], utc=True)
    for c in ("case_id", "matter_id", "account", "channels", "matter_cases", "linked_by"):
        out[c] = out[c].astype("str")
    return out
