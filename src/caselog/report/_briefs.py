"""Escalation briefs: the letter of a case, written from the computed analyses."""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np
import pandas as pd

from ..analysis import ReadinessRules, col, rx_contains, template_frame
from ..errors import CaseNotFoundError, ConfigError


def _d(ts: Any) -> str:
    if ts is None or pd.isna(ts):
        return "[add: date]"
    return f"{ts.day} {ts.strftime('%b %Y')}"


def _dt(ts: Any) -> str:
    if ts is None or pd.isna(ts):
        return "[add: date and time]"
    return f"{ts.day} {ts.strftime('%b %Y %H:%M')} UTC"


def _snippet(text: str, n: int = 90) -> str:
    t = " ".join(str(text).split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "…"


_KIND_LABELS = {
    "appeal": "Appeal",
    "poa": "Plan of action",
    "follow-up": "Follow-up",
    "documents": "Documents",
    "escalation": "Escalation",
    "inquiry": "Inquiry",
    "call": "Call",
}

_DESIRED = {
    "Account suspension": "reinstatement of the account",
    "Policy violation": "removal of the policy violation and of its effect on the account health",
    "Delayed payment": "release of the withheld payment",
    "Listing suppression": "reactivation of the suppressed listing(s)",
    "Technical problem": "a fix of the technical problem",
}


def brief(
    log: Any,
    case_id: str,
    *,
    as_of: Any = None,
    rules: ReadinessRules | None = None,
    templates: Any = None,
) -> str:
    """A Markdown escalation brief for one case (rule 7 of docs/domain.md).

    Sections: suggested subject line (no clickbait), opening, overview (account, category,
    ASINs, opened date, status), actions already taken (dated seller messages, appeals,
    follow-ups and escalations), why the responses fail (repeated templates with dates and
    counts, response delays, unanswered periods), desired outcome, attachments (what was sent,
    what is missing), and the readiness verdict with its reasons.  Every fact comes from the
    data; a fact the data lacks is written as ``[add: ...]`` for the user to fill in.

    Parameters
    ----------
    log : CaseLog
    case_id : str
        The case to write about.
    as_of, rules, templates
        As in :func:`readiness`.

    Returns
    -------
    str
        Markdown text.

    Raises
    ------
    CaseNotFoundError
        ``case_id`` is not in the log; the message suggests close IDs.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=10).log
    >>> text = caselog.brief(log, log.cases["case_id"].iloc[0])
    >>> text.startswith("# Escalation brief")
    True
    """
    return briefs(log, [case_id], as_of=as_of, rules=rules, templates=templates)[0]


def _unknown_case(case_id: str, known: pd.Index) -> CaseNotFoundError:
    close = difflib.get_close_matches(case_id, [str(k) for k in known], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return CaseNotFoundError(f"case {case_id!r} is not in the case log{hint}", column="case_id")


def briefs(
    log: Any,
    case_ids: Any,
    *,
    as_of: Any = None,
    rules: ReadinessRules | None = None,
    templates: Any = None,
) -> list[str]:
    """The :func:`brief` of each case in ``case_ids``, with the analyses computed once.

    Templates (when not given), escalations and readiness are computed once for all the cases
    together instead of once per case, so a queue of briefs costs about one :func:`brief`.
    Each text is exactly what :func:`brief` writes for that case.

    Parameters
    ----------
    log : CaseLog
    case_ids : iterable of str
        The cases to write about, in the order wanted (repeats allowed).
    as_of, rules, templates
        As in :func:`brief`.  Without ``templates`` the templates are found among the messages
        of ``case_ids`` only; pass ``find_templates(log)`` for the verdicts of
        ``readiness(log)``.

    Returns
    -------
    list of str
        One Markdown text per entry of ``case_ids``, in that order (``[]`` for no cases).

    Raises
    ------
    CaseNotFoundError
        A case ID is not in the log (the first unknown one is named, with close IDs).

    Examples
    --------
    >>> import caselog
    >>> from caselog import briefs
    >>> log = caselog.sample.generate(n_cases=10).log
    >>> texts = briefs(log, log.cases["case_id"].iloc[:2])
    >>> len(texts), texts[0].startswith("# Escalation brief")
    (2, True)
    """
    from ..analysis import Analysis, analyse

    if isinstance(log, Analysis) and as_of is None and rules is None and templates is None:
        return log.briefs(case_ids)
    a = analyse(log, as_of=as_of, rules=rules)
    if templates is not None:
        if not isinstance(getattr(templates, "messages", templates), pd.DataFrame):
            raise ConfigError(
                "templates must be the result of caselog.find_templates() (or its .messages), "
                f"got {type(templates).__name__}"
            )
        a.__dict__["templates"] = templates  # the caller's grouping, e.g. of a larger log
    return a.briefs(case_ids)


def write_briefs(a: Any, case_ids: list[str]) -> list[str]:
    """The brief texts of ``case_ids`` (unique, in order) from the results of analysis ``a``."""
    if not case_ids:
        return []
    known = a.case_ids
    absent = ~pd.Index(case_ids).isin(known)
    if absent.any():
        raise _unknown_case(case_ids[int(np.flatnonzero(absent)[0])], known)
    rules, as_of_ts = a.settings.rules, a.as_of
    keep = pd.Index(case_ids)
    rows = a.readiness.set_index("case_id", drop=False)
    m = a.log.messages
    m = m[m["case_id"].astype(str).isin(keep)]
    m = m.sort_values(["sent_at", "message_id"], kind="stable")
    am = m[m["direction"].eq("amazon")].merge(template_frame(a.templates), on="message_id", how="left")
    am["reply_class"] = am["reply_class"].fillna("other").astype(str)
    am["is_canned_repeat"] = am["is_canned_repeat"].fillna(False).astype(bool)
    cases = a.log.cases.drop_duplicates("case_id").set_index("case_id", drop=False)
    esc = a.escalations
    esc = esc[esc["case_id"].astype(str).isin(keep)]
    m_by = dict(tuple(m.groupby("case_id", sort=False)))
    am_by = dict(tuple(am.groupby("case_id", sort=False)))
    esc_by = dict(tuple(esc.groupby("case_id", sort=False)))
    return [
        _brief_text(
            cid,
            rows.loc[cid],
            cases.loc[cid] if cid in cases.index else None,
            m_by.get(cid, m.iloc[:0]),
            am_by.get(cid, am.iloc[:0]),
            esc_by.get(cid, esc.iloc[:0]),
            as_of_ts,
            rules,
            recorded=bool(getattr(a.log, "attachments_recorded", True)),
        )
        for cid in case_ids
    ]


def _brief_text(
    case_id: str,
    row: pd.Series,
    case: pd.Series | None,
    m: pd.DataFrame,
    am: pd.DataFrame,
    esc: pd.DataFrame,
    as_of_ts: pd.Timestamp | None,
    rules: ReadinessRules,
    recorded: bool = True,
) -> str:
    """The brief of one case from its readiness row, case row, messages (up to ``as_of``, in
    ``sent_at, message_id`` order), Amazon messages with their reply classes, and escalations."""
    category = str(row["category"])
    asins = str(case["asins"]) if case is not None and "asins" in case.index else ""
    opened = case["opened_at"] if case is not None and "opened_at" in case.index else pd.NaT
    if pd.isna(opened) and len(m):
        opened = m["sent_at"].min()

    replies = am[am["reply_class"].ne("acknowledgement")]
    seller = m[m["direction"].eq("seller")]
    esc_by_id = esc.set_index("message_id")
    seller_text = col(seller, "subject") + "\n" + col(seller, "body")
    mentions_poa = rx_contains(seller_text, r"\bplan\s+of\s+action\b")

    cat_word = category if category and category != "Unknown" else "[add: issue type]"
    lines: list[str] = [
        f"# Escalation brief: case {case_id}",
        "",
        f"**Suggested subject:** Case {case_id} – {cat_word} – request for senior review",
        "",
        "## Opening",
        "",
        f"We are asking for a senior review of case {case_id} ({cat_word.lower()}) for the "
        f"account {row['account']}. The standard support channel has not resolved it, and it "
        "affects our business operations.",
        "",
        "## Overview",
        "",
        f"- Account: {row['account']}",
        f"- Category: {cat_word}",
        f"- ASINs: {asins if asins else '[add: affected ASINs]'}",
        f"- Case opened: {_d(opened)}",
        f"- Status: {row['status']}",
        "- The issue in two or three sentences: [add: what happened and what it affects]",
        "",
        "## Actions already taken",
        "",
    ]
    if seller.empty:
        lines.append("- [add: the messages sent to Amazon about this case]")
    for (_i, msg), poa_hit in zip(seller.iterrows(), mentions_poa.to_numpy(), strict=True):
        kind = str(msg.get("kind", "") or "").lower()
        if msg["message_id"] in esc_by_id.index:
            e = esc_by_id.loc[msg["message_id"]]
            label = f"Escalation (level {int(e['level'])}, {e['target']})"
        else:
            label = _KIND_LABELS.get(kind, "Plan of action" if poa_hit else "Message")
        team = str(msg.get("team", "") or "") or "[add: team]"
        chan = str(msg.get("channel", "") or "") or "case"
        att = int(msg.get("attachments", 0) or 0)
        extra = f", {att} attachment{'s' if att != 1 else ''}" if att else ""
        what = _snippet(str(msg.get("body", "") or "") or str(msg.get("subject", "") or ""), 80)
        lines.append(
            f"- {_dt(msg['sent_at'])}: {label} to {team} via {chan}{extra}"
            + (f" — “{what}”" if what else "")
        )

    lines += ["", "## Why the responses do not resolve the case", ""]
    why: list[str] = []
    if len(replies) and replies["template_id"].notna().any():
        for _, g in replies.groupby("template_id", sort=False):
            if len(g) > 1:
                dates = ", ".join(_d(t) for t in g["sent_at"])
                why.append(
                    f"- The same {g['reply_class'].iloc[0]} text was sent {len(g)} times "
                    f"({dates}): “{_snippet(g['body'].iloc[0], 80)}”"
                )
    elif replies["is_canned_repeat"].any():
        rep = replies[replies["is_canned_repeat"]]
        why.append(f"- {len(rep)} replies repeat an earlier template ("
                   + ", ".join(_d(t) for t in rep["sent_at"]) + ")")
    # delays per turn: the first seller message of each run, to the first reply after it
    seen_replies: set[int] = set()
    for _, msg in seller.iterrows():
        later = replies[replies["sent_at"].gt(msg["sent_at"])]
        if later.empty:
            if as_of_ts is not None and -1 not in seen_replies:
                seen_replies.add(-1)
                h = (as_of_ts - msg["sent_at"]).total_seconds() / 3600
                if h >= rules.wait_hours:
                    why.append(f"- No reply since our message of {_dt(msg['sent_at'])} "
                               f"({int(h)} h as of {_dt(as_of_ts)})")
            continue
        nxt = later.iloc[0]
        if int(nxt["message_id"]) in seen_replies:
            continue
        seen_replies.add(int(nxt["message_id"]))
        h = (nxt["sent_at"] - msg["sent_at"]).total_seconds() / 3600
        if h >= rules.wait_hours:
            why.append(f"- Our message of {_dt(msg['sent_at'])} waited {int(h)} h for a reply "
                       f"({_dt(nxt['sent_at'])})")
    for _, a in replies[replies["reply_class"].eq("deflection")].iterrows():
        why.append(f"- {_d(a['sent_at'])}: the reply only redirected us "
                   f"(“{_snippet(a['body'], 80)}”)")
    for _, e in esc.iterrows():
        after = (f" after {int(e['hours_to_outcome'])} h" if pd.notna(e["hours_to_outcome"])
                 else "")
        why.append(f"- Escalation of {_d(e['sent_at'])} to {e['target']} (level "
                   f"{int(e['level'])}): {e['outcome']}{after}")
    if not why:
        why.append("- [add: why the replies received do not address the case]")
    lines += why
    lines += [
        "- What Amazon has not explained: [add: the missing reason, or the evidence not "
        "reviewed]",
        "",
        "## Desired outcome",
        "",
        "- " + _DESIRED.get(category, "[add: the outcome you ask for]")
        + (f" ({asins})" if asins and category in ("Listing suppression", "Policy violation")
           else ""),
        "",
        "## Attachments",
        "",
    ]
    att_rows = seller[pd.to_numeric(col(seller, "attachments", 0), errors="coerce")
                      .fillna(0).gt(0)]
    if att_rows.empty:
        lines.append("- Sent so far: none" if recorded else "- Sent so far: not recorded in the export "
                     "[add: the documents sent]")
    for _, msg in att_rows.iterrows():
        kind = str(msg.get("kind", "") or "").lower()
        what = _KIND_LABELS.get(kind, "message").lower()
        n_att = int(msg["attachments"])
        lines.append(f"- Sent {_d(msg['sent_at'])} with the {what}: {n_att} "
                     f"document{'s' if n_att != 1 else ''}")
    poa_needed = category in rules.poa_categories
    has_poa = bool(
        col(seller, "kind").str.lower().isin(("poa", "appeal")).any() or mentions_poa.any()
    )
    invoices = rx_contains(seller_text, r"\binvoices?\b") & pd.Series(
        pd.to_numeric(col(seller, "attachments", 0), errors="coerce").fillna(0).gt(0)
    ).to_numpy()
    supplier = rx_contains(seller_text, r"\bsupplier\s+(?:details|name|information)\b")
    if poa_needed and not has_poa:
        lines.append("- [add: plan of action (root cause, corrective actions, preventive "
                     "measures)]")
    if poa_needed or category == "Listing suppression":
        if not invoices.any():
            lines.append("- [add: invoices issued within the last 180 days]")
        if not supplier.any():
            lines.append("- [add: supplier details (name, phone, address, website)]")
    if category == "Delayed payment":
        lines.append("- [add: settlement report and bank statement for the missing amount]")
    if category == "Technical problem":
        lines.append("- [add: dated screenshots of the error]")
    if pd.notna(row["pending_information_request_at"]):
        lines.append(
            f"- [add: the documents asked for in the information request of "
            f"{_d(row['pending_information_request_at'])}]"
        )
    tl = row["target_level"]
    lines += [
        "",
        "## Readiness",
        "",
        f"- Verdict: **{row['verdict']}**",
        f"- Reasons: {row['reasons'] or '-'}",
    ]
    if row["missing"]:
        lines.append(f"- Still missing: {row['missing']}")
    lines.append(f"- Next step: {row['next_step']}")
    if pd.notna(tl):
        lines.append(f"- Suggested target: {row['target']} (level {int(tl)})")
    lines.append("")
    return "\n".join(lines)
