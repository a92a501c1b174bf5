"""The escalation letter of one case, composed from the facts of its thread.

:func:`compose` turns the per-case results of an analysis (messages, reply classes and templates,
escalations, turns, the readiness row) into a :class:`Letter`: subject, addressee, opening,
summary, what was done, why the replies fail, the outcome asked for, attachments, and, beside
the letter, notes for the sender.  Every sentence is built from the data; a fact the data cannot
hold is written as ``[add: ...]`` and counted.  Data pieces go through ``esc`` (identity for
plain text, :func:`~caselog.report.md_escape` for Markdown).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._text import day, days_list, plural, wait_words

__all__ = ["Letter", "compose", "PLACEHOLDER"]

#: how a missing fact is marked in a letter
PLACEHOLDER = "[add: {}]"
_PH = re.compile(r"\[add: [^\]]*\]")

_AMOUNT = r"(?:[$€£]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|dollars|euros)\b)"
_IMPACT = re.compile(
    _AMOUNT + r"|\b(?:losing|lost|inactive for|orders waiting|costing us|no sales|cannot sell)\b",
    re.I,
)
_PROBLEM = re.compile(
    r"\b(?:root cause|complaint|suppress|not arrived|not received|not showing|disappeared|removed|"
    r"deactivat|error|processing|cannot|shows as|was caused)\w*", re.I)
_PROMISE = re.compile(
    r"\b(?:within|in|up to|usually takes|takes|expect\w* (?:a \w+ )?(?:within|in))\s+"
    r"(?:the next\s+)?(\d+)(?:\s*(?:to|-|–)\s*(\d+))?\s+(business\s+|working\s+)?(hours?|days?)\b",
    re.I,
)
_WE_WILL = re.compile(r"\b(?:we|our team)\b[^.]*\b(?:will|expect|should|usually)\b|\busually takes\b",
                      re.I)
_IP = re.compile(r"\b(?:intellectual property|trademark|copyright|patent|rights owner|"
                 r"counterfeit)\b", re.I)
_POA = re.compile(r"\bplan\s+of\s+action\b|\bpoa\b", re.I)
_DOC_WORDS = (
    ("plan of action", re.compile(r"\bplan\s+of\s+action\b", re.I)),
    ("invoices", re.compile(r"\binvoices?\b", re.I)),
    ("supplier details", re.compile(r"\bsupplier (?:name|details|information)\b", re.I)),
    ("letter of authorisation", re.compile(r"\bletter of authori[sz]ation\b", re.I)),
    ("bank statement", re.compile(r"\bbank statement\b", re.I)),
    ("screenshots", re.compile(r"\bscreenshots?\b", re.I)),
    ("utility bill", re.compile(r"\butility bill\b", re.I)),
)
_OUTCOME_WORDS = {
    "canned": "only the same template again",
    "denied": "a denial without a reason",
    "information requested": "a request for information we had already supplied",
    "deflected": "a redirect to another channel",
    "no answer": "no answer",
    "positive": "a positive answer",
}


@dataclass(frozen=True)
class Letter:
    """An escalation letter (or, for a case not to escalate, the note that says why not).

    Attributes
    ----------
    case_id, verdict : str
    subject : str
        ``Escalation request: Case <ID> – <issue>`` ("" for a note).
    to : str
        Addressee, e.g. ``Seller Performance manager (level 2)``.
    sections : tuple of (heading, items, is_list)
        The letter body in order; ``heading`` "" for the opening and the closing.
    notes : tuple of str
        For the sender, beside the letter (verdict, reasons, placeholders to fill).
    placeholders : int
        ``[add: ...]`` marks in the letter.
    attachments : int
        Documents the letter lists as attached.
    """

    case_id: str
    verdict: str
    subject: str
    to: str
    sections: tuple[tuple[str, tuple[str, ...], bool], ...]
    notes: tuple[str, ...]
    placeholders: int
    attachments: int

    @property
    def is_letter(self) -> bool:
        return bool(self.subject)

    def body(self) -> str:
        """The letter's body as plain text (paragraphs, ``- `` items), no headings' markup."""
        out: list[str] = []
        for heading, items, is_list in self.sections:
            if heading:
                out.append(heading)
            out.extend(f"- {i}" if is_list else i for i in items)
        return "\n\n".join(out)

    def markdown(self) -> str:
        """The letter in Markdown; the notes follow a rule, marked as not part of the letter."""
        return self._render(f"# {self.subject}", f"**To:** {self.to}  \n**Subject:** {self.subject}",
                            "## {}".format, "---", "**Notes for the sender (not part of the letter)**")

    def text(self) -> str:
        """The letter as plain text, to paste into a Seller Central case or an e-mail.

        ``To:`` and ``Subject:`` lines, headings as lines of their own, list items as ``- ``;
        the notes follow a rule, marked as not part of the letter.  Compose the letter
        without Markdown escaping (``letters(..., markdown=False)``) for this: the text is
        shown as it is, with nothing to render.
        """
        return self._render("", f"To: {self.to}\nSubject: {self.subject}", str.upper, "-" * 60,
                            "Notes for the sender (not part of the letter)")

    def _render(self, title: str, head: str, heading: Callable[[str], str], rule: str,
                notes_title: str) -> str:
        """The letter's parts in order, joined by blank lines; a note alone when no letter."""
        if not self.is_letter:
            return "\n\n".join(self.notes) + "\n"
        out = [t for t in (title, head) if t]
        for name, items, is_list in self.sections:
            if name:
                out.append(heading(name))
            if is_list:
                out.append("\n".join(f"- {i}" for i in items))
            else:
                out.extend(items)
        out += [rule, notes_title, "\n".join(f"- {n}" for n in self.notes)]
        return "\n\n".join(out) + "\n"

    def rows(self) -> list[tuple[str, str]]:
        """(part, text) rows, one paragraph or list item a row: the Briefs sheet."""
        if not self.is_letter:
            return [("Note", n) for n in self.notes]
        rows = [("To", self.to), ("Subject", self.subject)]
        for heading, items, is_list in self.sections:
            part = heading or ("Opening" if not rows[2:] else "Closing")
            rows.extend((part, f"• {i}" if is_list else i) for i in items)
        rows.extend(("Notes (not to send)", n) for n in self.notes)
        return rows


# ----------------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class CaseFacts:
    """What :func:`compose` needs of one case (rows already limited to the case)."""

    case_id: str
    row: pd.Series  # readiness row
    asins: str
    opened: Any
    messages: pd.DataFrame  # sent_at, message_id order
    amazon: pd.DataFrame  # Amazon messages with reply_class, template_id, is_canned_repeat
    escalations: pd.DataFrame
    turns: pd.DataFrame
    as_of: pd.Timestamp | None
    wait_hours: float
    attachments_recorded: bool = True  # False: the export has no attachments column
    #: the cases of the case's matter (two or more), first message first: (case ID, channel,
    #: first message); () for a case alone
    matter: tuple[tuple[str, str, Any], ...] = ()
    #: the matter's readiness row of the case when the matter changes it (see matter_readiness)
    matter_row: pd.Series | None = None
    #: the Amazon messages of the matter's other cases (the columns of ``amazon``, with
    #: ``case_id``): a template sent in this case and in another is a repeat across the matter
    matter_amazon: pd.DataFrame | None = None


_CHANNEL_WORDS = {
    "case": "Seller Central case opened {}", "email": "e-mail of {}", "phone": "phone call of {}",
    "chat": "chat of {}", "social": "social media post of {}",
}


def matter_sentence(case_id: str, matter: tuple[tuple[str, str, Any], ...],
                    esc: Callable[[str], str]) -> str:
    """``This problem spans cases A (e-mail of 6 Feb 2026), B (this case, opened 8 Feb 2026)
    and C (phone call of 1 Mar 2026); we ask you to review them together.``  ("" when the case
    is alone.)

    Examples
    --------
    >>> t = pd.Timestamp
    >>> matter_sentence("B", (("A", "email", t("2026-02-06")), ("B", "case", t("2026-02-08")),
    ...                       ("C", "phone", t("2026-03-01"))), str)
    'This problem spans cases A (e-mail of 6 Feb 2026), B (this case, opened 8 Feb 2026) and C (phone call of 1 Mar 2026); we ask you to review them together.'
    """
    if len(matter) < 2:
        return ""
    parts = []
    for cid, channel, first in matter:
        when = day(first) or "date unknown"
        what = ("this case, opened {}" if cid == case_id else
                _CHANNEL_WORDS.get(channel.split(", ")[0], "opened {}")).format(when)
        parts.append(f"{esc(cid)} ({what})")
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"This problem spans cases {listed}; we ask you to review them together."


_GREETING = re.compile(r"(?:dear|hi|hello|greetings|good (?:morning|afternoon))\b[^.!?]{0,60}[,:!]?$",
                       re.I)
_SIGN_OFF = re.compile(r"(?:(?:best|kind|warm)?\s*regards|thank you(?: for selling on amazon)?|"
                       r"thanks|sincerely|best|cheers)\s*[,.!]?$", re.I)
_ADDRESS_LINE = re.compile(r"\s*(?:to:|cc:|sent by e-mail)", re.I)


def _sentences(text: str) -> list[str]:
    """The sentences of a message without address lines, greeting and sign-off."""
    lines = [ln.strip() for ln in str(text).splitlines()
             if ln.strip() and not _ADDRESS_LINE.match(ln)]
    if lines and _GREETING.match(lines[0]):
        lines = lines[1:]
    for i, ln in enumerate(lines):
        if i and _SIGN_OFF.match(ln):
            lines = lines[:i]
            break
    while len(lines) > 1 and len(lines[-1].split()) <= 4 and not lines[-1].endswith((".", "?")):
        lines = lines[:-1]  # a name or team signing off
    flat = " ".join(" ".join(lines).split())
    flat = re.sub(r"^(?:hello|hi|dear [^,]{1,40}|greetings from amazon),\s*", "", flat, flags=re.I)
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z@\"“(])", flat)
    return [p for p in parts if p]


def _clip(text: str, n: int = 200) -> str:
    t = " ".join(str(text).split())
    return t if len(t) <= n else t[: n - 1].rsplit(" ", 1)[0] + " …"


def _core(text: str, n: int = 160) -> str:
    """The first sentences of an Amazon reply after its greeting."""
    ss = _sentences(text)
    return _clip(" ".join(ss[:2]), n) if ss else _clip(text, n)


def _issue(category: str, asins: str, ip: bool) -> tuple[str, str, str]:
    """(subject issue, issue noun phrase for the summary, desired outcome clause)."""
    first = asins.split(",")[0].strip() if asins else ""
    on = f" on ASIN {first}" if first else ""
    listing = f"the listing for ASIN {first}" if first else "the affected listings"
    if category == "Account suspension":
        return ("account deactivation", "the deactivation of the selling account",
                "reinstate the selling account, or name the specific point of our plan of action "
                "that is not sufficient")
    if category == "Delayed payment":
        return ("withheld payment", "a payment that has not reached our bank account",
                "release the withheld payment and confirm the date of the transfer")
    if category == "Listing suppression":
        return (f"suppressed listing{' ASIN ' + first if first else ''}",
                f"the suppression of {listing}",
                f"reactivate {listing}, or name the detail-page element that still breaks a rule")
    if category == "Policy violation" and ip:
        return (f"IP complaint{on}", f"an intellectual property complaint{on}",
                f"remove the complaint{on} on the rights owner's retraction, or on review of our "
                f"invoices from an authorised distributor, and reinstate {listing}")
    if category == "Policy violation":
        return (f"policy violation{on}", f"a policy violation notice{on}",
                f"remove the policy violation{on} and its effect on the account health, and "
                f"reinstate {listing}")
    if category == "Technical problem":
        return (f"technical problem{' with ASIN ' + first if first else ''}",
                f"a technical problem{on}",
                "pass the problem to the technical team, resolve it and confirm when it is fixed")
    return ("unresolved case", "the issue described in our messages",
            PLACEHOLDER.format("the outcome you ask for"))


def _business_due(start: pd.Timestamp, n: int, unit: str, business: bool) -> pd.Timestamp:
    if unit.startswith("hour"):
        return start + pd.Timedelta(hours=n)
    if not business:
        return start + pd.Timedelta(days=n)
    first = start.tz_convert("UTC").date()
    on_busday = bool(np.is_busday(first))
    d = np.busday_offset(first, n if on_busday else n - 1, roll="forward")
    return pd.Timestamp(d).tz_localize("UTC") + pd.Timedelta(hours=23, minutes=59)


def broken_promises(f: CaseFacts) -> list[tuple[pd.Timestamp, str, str, pd.Timestamp, Any]]:
    """Amazon's time promises in the case that were not kept: (sent, team, the sentence, due,
    time of the next substantive reply or NaT).  A promise is kept by a reply that is not an
    acknowledgement, sent by the promised time."""
    out = []
    am = f.amazon
    real = am[am["reply_class"].ne("acknowledgement")]
    seen: set[str] = set()
    for msg in am.itertuples(index=False):
        for s in _sentences(msg.body):
            hit = _PROMISE.search(s)
            if not hit or not _WE_WILL.search(s) or re.search(r"\b(?:last|past)\b", s[:hit.start()]
                                                              + hit.group(0), re.I):
                continue
            n = int(hit.group(2) or hit.group(1))
            due = _business_due(msg.sent_at, n, hit.group(4).lower(), bool(hit.group(3)))
            later = real[real["sent_at"].gt(msg.sent_at)]
            nxt = later["sent_at"].iloc[0] if len(later) else pd.NaT
            kept = pd.notna(nxt) and nxt <= due
            if kept or (pd.isna(nxt) and (f.as_of is None or f.as_of <= due)):
                continue
            key = f"{_core(s, 400)}|{nxt}"
            if key in seen:
                continue
            seen.add(key)
            out.append((msg.sent_at, str(msg.team), _clip(s, 220), due, nxt))
            break
    return out


# ------------------------------------------------------------------------------ sections


def _summary(f: CaseFacts, esc: Callable[[str], str], issue: str, account: str) -> list[str]:
    seller = f.messages[f.messages["direction"].eq("seller")]
    when = f.opened if pd.notna(f.opened) else (seller["sent_at"].min() if len(seller) else pd.NaT)
    asins = f" (ASIN {esc(f.asins)})" if f.asins and "ASIN" not in issue else ""
    n_days = wait_words((f.as_of - when).total_seconds() / 3600) if f.as_of is not None and \
        pd.notna(when) else ""
    first = (f"This case concerns {issue} of {esc(account)}{asins}. It has been open since "
             f"{day(when) or PLACEHOLDER.format('date the case was opened')}"
             + (f", {n_days} as of {day(f.as_of)}" if n_days else "") + ", without a resolution.")
    out = [first]
    if f.matter:
        out.append(matter_sentence(f.case_id, f.matter, esc))
    if seller.empty:
        return out + [PLACEHOLDER.format("what happened and what it affects")]
    ss = _sentences(seller["body"].iloc[0] or seller["subject"].iloc[0])
    pick = ss[:1] + [s for s in ss[1:] if _PROBLEM.search(s)][:1]
    if pick:
        out.append(f"In our first message, on {day(seller['sent_at'].iloc[0])}, we wrote: "
                   f"“{esc(_clip(' '.join(pick), 280))}”")
    impact = [(t, s) for t, b in zip(seller["sent_at"], seller["body"], strict=True)
              for s in _sentences(b) if _IMPACT.search(s) and s not in pick]
    if impact:
        t, s = impact[-1]
        out.append(f"On {day(t)} we reported the effect on our business: “{esc(_clip(s, 220))}”")
    elif not any(_IMPACT.search(p) for p in pick):
        out.append(PLACEHOLDER.format("what this costs the business: lost sales a week, orders "
                                      "waiting, days without selling"))
    return out


def _done(f: CaseFacts, esc: Callable[[str], str]) -> list[str]:
    """What the seller did, dated; plain follow-ups folded into one line."""
    seller = f.messages[f.messages["direction"].eq("seller")]
    esc_ids = f.escalations.set_index("message_id") if len(f.escalations) else None
    lines: list[tuple[pd.Timestamp, str]] = []
    chasers: list[pd.Timestamp] = []
    poa_seen = False
    for i, msg in enumerate(seller.itertuples(index=False)):
        text = f"{msg.subject}\n{msg.body}"
        kind = str(getattr(msg, "kind", "") or "").lower()
        channel = str(msg.channel or "")
        team = str(msg.team or "") if str(msg.team or "") not in ("", "Unknown") else "Amazon"
        att = int(msg.attachments or 0)
        docs = f" ({plural(att, 'document')} attached)" if att else ""
        via = {"email": " by e-mail", "social": " on social media (@AmazonHelp)",
               "chat": " in a chat"}.get(channel, "")
        if esc_ids is not None and msg.message_id in esc_ids.index:
            e = esc_ids.loc[msg.message_id]
            what = ("asked in the case thread for escalation to a manager" if int(e["level"]) == 1
                    else f"escalated to {esc(str(e['target']))} (level {int(e['level'])})")
            lines.append((msg.sent_at, f"{what}{via}{docs}"))
        elif channel == "phone" or kind == "call":
            lines.append((msg.sent_at, f"phone call with {esc(team)}: "
                                       f"“{esc(_clip(msg.body, 120))}”"))
        elif kind in ("appeal", "poa") or _POA.search(text):
            what = "revised plan of action" if poa_seen else "appeal with a plan of action"
            poa_seen = True
            lines.append((msg.sent_at, f"{what} to {esc(team)}{via}{docs}"))
        elif kind == "documents" or (att and any(rx.search(text) for _n, rx in _DOC_WORDS)):
            lines.append((msg.sent_at, f"documents sent to {esc(team)}{via}{docs}: "
                                       f"“{esc(_clip(msg.body, 120))}”"))
        elif i == 0:
            lines.append((msg.sent_at, f"opened the case with {esc(team)}{via}{docs}"))
        else:
            chasers.append(msg.sent_at)
    if chasers:
        lines.append((chasers[0], f"{plural(len(chasers), 'follow-up')} asking for a specific "
                                  f"answer: {days_list(chasers)}"))
    lines.sort(key=lambda x: x[0])
    return [f"{day(t)}: {text}" for t, text in lines] or [
        PLACEHOLDER.format("the messages sent to Amazon about this case")]


def _why(f: CaseFacts, esc: Callable[[str], str]) -> list[str]:
    """Why the replies fail, with figures."""
    out: list[str] = []
    am = f.amazon
    replies = am[am["reply_class"].ne("acknowledgement")]
    for _tid, g in replies[replies["template_id"].notna()].groupby("template_id", sort=False):
        if len(g) > 1:
            cls = str(g["reply_class"].iloc[0])
            noun = {"denial": "denial", "information request": "information request",
                    "deflection": "redirect"}.get(cls, "reply")
            also = _elsewhere(f, _tid, esc)
            also = f", and also in {also} about the same problem" if also else ""
            out.append(f"The same {noun} was sent {len(g)} times ({days_list(g['sent_at'])})"
                       f"{also}, each without a case-specific reason: "
                       f"“{esc(_core(g['body'].iloc[0]))}”")
    out += _matter_repeats(f, replies, esc)
    seller = f.messages[f.messages["direction"].eq("seller")]
    for ir in replies[replies["reply_class"].eq("information request")].itertuples(index=False):
        sent = seller[seller["sent_at"].gt(ir.sent_at) & seller["attachments"].fillna(0).gt(0)]
        again = replies[replies["sent_at"].gt(sent["sent_at"].iloc[0])] if len(sent) else \
            replies.iloc[:0]
        if len(sent) and len(again):
            out.append(f"Amazon asked for information on {day(ir.sent_at)}; we supplied it on "
                       f"{day(sent['sent_at'].iloc[0])} "
                       f"({plural(int(sent['attachments'].iloc[0]), 'document')}), and the reply "
                       f"of {day(again['sent_at'].iloc[0])} did not refer to it.")
            break
    groups: dict[tuple[str, str], list[tuple[pd.Timestamp, pd.Timestamp, Any]]] = {}
    for sent, team, sentence, due, nxt in broken_promises(f):
        groups.setdefault((team, sentence), []).append((sent, due, nxt))
    for (team, sentence), hits in groups.items():
        sent, due, nxt = hits[0]
        if len(hits) == 1:
            after = (f"the next answer came on {day(nxt)}, "
                     f"{wait_words((nxt - sent).total_seconds() / 3600)} after the promise"
                     if pd.notna(nxt) else "nothing has followed since")
            out.append(f"On {day(sent)} {esc(team)} wrote: “{esc(sentence)}” By {day(due)} "
                       f"there was no answer; {after}.")
            continue
        waits = [wait_words((n - s).total_seconds() / 3600) if pd.notna(n) else "no answer yet"
                 for s, _d, n in hits]
        out.append(f"On {days_list([h[0] for h in hits])} {esc(team)} wrote: “{esc(sentence)}” "
                   f"Each time the promised date passed without an answer (the next answers "
                   f"came {', '.join(waits[:-1])} and {waits[-1]} later).")
    for d in replies[replies["reply_class"].eq("deflection")].itertuples(index=False):
        out.append(f"On {day(d.sent_at)} the reply only redirected us: “{esc(_core(d.body))}”")
    t = f.turns
    answered = t[~t["is_open"].astype(bool)]
    slow = answered[answered["response_hours"].gt(f.wait_hours)]
    if len(slow):
        worst = slow.loc[slow["response_hours"].idxmax()]
        out.append(f"{plural(len(slow), 'message')} of ours waited more than "
                   f"{wait_words(f.wait_hours)} for a reply; the longest wait was "
                   f"{wait_words(worst['response_hours'])} (from {day(worst['first_seller_at'])} "
                   f"to {day(worst['reply_at'])}).")
    waiting = t[t["is_open"].astype(bool) & t["age_hours"].gt(f.wait_hours)]
    if len(waiting):
        w = waiting.iloc[-1]
        out.append(f"Our message of {day(w['first_seller_at'])} has had no reply for "
                   f"{wait_words(w['age_hours'])}.")
    for e in f.escalations.itertuples(index=False):
        got = _OUTCOME_WORDS.get(str(e.outcome), esc(str(e.outcome)))
        after = f" after {wait_words(e.hours_to_outcome)}" if pd.notna(e.hours_to_outcome) else ""
        out.append(f"Our escalation request of {day(e.sent_at)} received {got}{after}.")
    return out or [PLACEHOLDER.format("why the replies received do not address the case")]


def _elsewhere(f: CaseFacts, template_id: Any, esc: Callable[[str], str]) -> str:
    """Where else in the case's matter template ``template_id`` was sent: "case A (3 Jun
    2026) and case B (7 Jun and 9 Jun 2026)"; "" when nowhere (or the case is alone)."""
    other = f.matter_amazon
    if other is None or other.empty:
        return ""
    hit = other[other["template_id"].eq(template_id) & other["reply_class"].ne("acknowledgement")]
    where = [f"case {esc(str(c))} ({days_list(h['sent_at'])})"
             for c, h in hit.sort_values("sent_at", kind="stable").groupby("case_id", sort=False)]
    if len(where) < 2:
        return "".join(where)
    return ", ".join(where[:-1]) + " and " + where[-1]


def _matter_repeats(f: CaseFacts, replies: pd.DataFrame, esc: Callable[[str], str]) -> list[str]:
    """A template this case received once that the matter's other cases received too: "The
    same denial this case received on 6 Jun 2026 was also sent in case A (18 May 2026) …"."""
    out = []
    mine = replies[replies["template_id"].notna()]
    for tid, g in mine.groupby("template_id", sort=False):
        if len(g) > 1:
            continue  # said with the case's own repeats
        listed = _elsewhere(f, tid, esc)
        if not listed:
            continue
        cls = str(g["reply_class"].iloc[0])
        noun = {"denial": "denial", "information request": "information request",
                "deflection": "redirect"}.get(cls, "reply")
        out.append(f"The same {noun} this case received on {day(g['sent_at'].iloc[0])} was also "
                   f"sent in {listed}, about the same problem, without a case-specific reason: "
                   f"“{esc(_core(g['body'].iloc[0]))}”")
    return out


def _attachments(f: CaseFacts, esc: Callable[[str], str], category: str,
                 poa_categories: tuple[str, ...]) -> tuple[list[str], int]:
    seller = f.messages[f.messages["direction"].eq("seller")]
    sent = seller[seller["attachments"].fillna(0).gt(0)]
    found: dict[str, list[pd.Timestamp]] = {}
    for msg in sent.itertuples(index=False):
        text = f"{msg.subject}\n{msg.body}"
        for name, rx in _DOC_WORDS:
            if rx.search(text):
                found.setdefault(name, []).append(msg.sent_at)
    out = [f"our {name} (sent {days_list(ts)})" for name, ts in found.items()]
    n_docs = len(out)
    if not f.attachments_recorded:  # the export says nothing about documents: ask, never claim
        out.append(PLACEHOLDER.format("the documents sent so far (the export does not record "
                                      "attachments)"))
    other = sent[[not any(rx.search(f"{s}\n{b}") for _n, rx in _DOC_WORDS)
                  for s, b in zip(sent["subject"], sent["body"], strict=True)]]
    if len(other):
        k = int(other["attachments"].sum())
        out.append(f"the {plural(k, 'other document')} sent with our messages of "
                   f"{days_list(other['sent_at'])}")
        n_docs += 1
    replies = f.amazon[f.amazon["reply_class"].ne("acknowledgement")]
    if len(replies):
        out.append(f"copies of Amazon's {plural(len(replies), 'reply', 'replies')} "
                   f"({days_list(replies['sent_at'])})")
        n_docs += 1
    if category in poa_categories and "plan of action" not in found:
        out.append(PLACEHOLDER.format("plan of action: root cause, corrective actions, "
                                      "preventive measures"))
    asked_invoices = f.amazon["body"].str.contains(r"\binvoices?\b", case=False, regex=True).any()
    if asked_invoices and "invoices" not in found:
        out.append(PLACEHOLDER.format("the invoices Amazon asked for (issued within the last "
                                      "180 days)"))
    if category == "Delayed payment" and "bank statement" not in found:
        out.append(PLACEHOLDER.format("settlement report and bank statement for the missing "
                                      "amount"))
    if category == "Technical problem" and "screenshots" not in found:
        out.append(PLACEHOLDER.format("dated screenshots of the error"))
    return out, n_docs


def compose(f: CaseFacts, esc: Callable[[str], str], poa_categories: tuple[str, ...]) -> Letter:
    """The :class:`Letter` of a ready case (see the module docstring)."""
    r = f.row
    account, category = str(r["account"]), str(r["category"])
    seller_text = " ".join(f.messages.loc[f.messages["direction"].eq("seller"), "body"].tolist())
    subj_issue, issue, outcome = _issue(category, f.asins, bool(_IP.search(seller_text)))
    target = str(r["target"]) if pd.notna(r["target"]) and str(r["target"]) else ""
    to = (f"{esc(target)} (level {int(r['target_level'])})" if target and
          pd.notna(r["target_level"]) else PLACEHOLDER.format("who to write to"))
    teams = sorted({str(t) for t in f.amazon["team"] if str(t) not in ("", "Unknown")})
    n_replies = int(f.amazon["reply_class"].ne("acknowledgement").sum())
    opening = (
        f"We ask you to review case {esc(f.case_id)} and to {outcome}. "
        + (f"{esc(', '.join(teams) or 'Amazon')} answered {plural(n_replies, 'time')} "
           "without resolving the case, so we are escalating it to you."
           if n_replies else "We have had no substantive answer, so we are escalating it to you.")
    )
    attach, n_att = _attachments(f, esc, category, poa_categories)
    sections = (
        ("", (f"Dear {esc(target) if target else 'Sir or Madam'},", opening), False),
        ("Summary", tuple(_summary(f, esc, issue, account)), False),
        ("What we have done so far", tuple(_done(f, esc)), True),
        ("Why the replies do not resolve the case", tuple(_why(f, esc)), True),
        ("What we ask", (f"We ask you to {outcome}. Please reply in case {esc(f.case_id)} so "
                         "that the whole history stays in one thread.",), False),
        ("Attachments", tuple(attach), True),
        ("", ("Kind regards,", f"{esc(account)}"), False),
    )
    body = "\n".join(i for _h, items, _l in sections for i in items)
    n_ph = len(_PH.findall(body)) + len(_PH.findall(to))
    notes = [f"Send to {to}. Verdict: {r['verdict']}.",
             f"Why now: {esc(str(r['reasons']) or '-')}.",
             f"Next step: {esc(str(r['next_step']))}."]
    notes += matter_notes(f.case_id, f.matter, f.matter_row, esc)
    notes.append(f"{plural(n_ph, 'placeholder')} to fill before sending ([add: …])." if n_ph
                 else "No placeholders: the letter can be sent as it is.")
    return Letter(f.case_id, str(r["verdict"]),
                  f"Escalation request: Case {esc(f.case_id)} – {esc(subj_issue)}", to,
                  sections, tuple(notes), n_ph, n_att)


def matter_notes(case_id: str, matter: tuple[tuple[str, str, Any], ...],
                 matter_row: pd.Series | None, esc: Callable[[str], str],
                 letter: bool = True) -> list[str]:
    """Notes for the sender about the case's matter: its cases, and the verdict with the
    matter in view when it differs."""
    if len(matter) < 2:
        return []
    mid = str(matter_row["matter_id"]) if matter_row is not None else ""
    others = [esc(c) for c, _ch, _t in matter if c != case_id]
    listed = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and " + others[-1]
    verb = "is" if len(others) == 1 else "are"
    out = [f"Matter{' ' + esc(mid) if mid else ''}: {'case' if len(others) == 1 else 'cases'} "
           f"{listed} {verb} about the same problem"
           + ("; the letter names every case of the matter." if letter else ".")]
    if matter_row is not None and bool(matter_row.get("matter_changed", False)):
        out.append(f"The matter decides: on its own the case would be "
                   f"{matter_row['case_verdict']}; with the whole matter in view it is "
                   f"{matter_row['verdict']}.")
    return out


def no_letter(case_id: str, row: pd.Series, esc: Callable[[str], str],
              matter: tuple[tuple[str, str, Any], ...] = (),
              matter_row: pd.Series | None = None) -> Letter:
    """The note of a case not to escalate now: why not, and what to do first."""
    verdict = str(row["verdict"])
    notes = [f"No escalation letter for case {esc(case_id)}: the case is {verdict}.",
             f"Why: {esc(str(row['reasons']) or '-')}."]
    if str(row.get("missing", "") or ""):
        notes.append(f"Still missing: {esc(str(row['missing']))}.")
    notes.append(f"First: {esc(str(row['next_step']) or '-')}.")
    notes += matter_notes(case_id, matter, matter_row, esc, letter=False)
    return Letter(case_id, verdict, "", "", (), tuple(notes), 0, 0)
