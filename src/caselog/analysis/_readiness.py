"""Readiness: which open cases are ready to escalate, which are not yet, and why.

The verdict of every case, as of ``as_of`` (default: the newest ``sent_at`` in the data; messages
after ``as_of`` are ignored), follows the rules of docs/architecture.md, checked in this order:

1. **closed** — the case status is closed.
2. **not advisable** — a routine inquiry (not escalation material, rule 4 of docs/domain.md), or bridges
   burned: more than ``max_exec_without_new_material`` level-3 escalations in the case with no
   new material (attachments, POA, documents) between them (rule 8).
3. **not yet** — each blocker is a reason and a missing prerequisite:

   a. an Amazon information request with no seller message after it (rule 9);
   b. the standard channel was never used: no seller message on channel ``case`` (rule 1);
   c. a suspension or policy case without a POA (seller message of kind ``poa``/``appeal`` or
      text with "plan of action"), or with no attachments at all (rule 5);
   d. no seller follow-up in the thread after Amazon's first reply (rule 2) — unless Amazon
      never replied and ``wait_hours`` have passed since the last seller message;
   e. the last seller message is unanswered and younger than ``wait_hours`` (rule 3).
4. **ready** — no blocker and a trigger: ``min_repeat_denials`` or more repeat canned denials
   (rule 6); or no reply for ``wait_hours`` or more after the last seller message; or a
   deflection / canned repeat as the latest Amazon answer, after a follow-up.
5. otherwise **not yet** — the standard channel is still answering.

"Reply" means a non-acknowledgement Amazon message: automated acknowledgements answer nothing.
The next escalation level is 2 until a level-2 escalation has failed (denied, canned, deflected,
other, no answer) or an executive one was already made, then 3 (Executive Seller Relations).  The
level-2 target follows the team that answers the case most: Product Quality -> "Product Quality
manager"; Seller Performance, or any suspension / policy case -> "Seller Performance manager";
otherwise "Captive Team" (asked for on an Account Health call).  ``target_level`` and ``target``
are filled for ``ready`` and ``not yet`` cases (where the case would go once ready).

Everything per case is a grouped aggregation and the verdict a set of numpy masks, so 100k cases
take a few seconds.  :func:`brief` writes the escalation letter of one case, :func:`briefs`
those of many cases with the analyses computed once.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._memory import release_memory, uses_arrow_pool
from ..errors import ConfigError, SchemaError
from ..schema import READINESS_COLUMNS, VERDICTS
from ._escalations import escalations as _escalations
from ._facts import _NAT, _facts, _ns, _to_ts
from ._frame import resolve_as_of
from ._rules import ReadinessRules
from ._wording import _fmt_ns, _int_text, _join_obj, _plural_obj

if TYPE_CHECKING:  # pragma: no cover
    from ..model import CaseLog

__all__ = [
    "ReadinessRules",
    "readiness",
    "readiness_queue",
    "READINESS_COLUMNS",
    "VERDICTS",
]

# ---------------------------------------------------------------------------------------------
# readiness


@uses_arrow_pool
def readiness(
    log: CaseLog,
    *,
    as_of: Any = None,
    rules: ReadinessRules | None = None,
    templates: Any = None,
    escalations: pd.DataFrame | None = None,
    deadlines: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The escalation readiness of every case, with reasons, facts and the next step.

    Parameters
    ----------
    log : CaseLog
        ``log.messages`` (``message_id, case_id, account, sent_at, direction, team, channel,
        subject, body, attachments, kind``) and ``log.cases`` (``case_id, account, category,
        status, opened_at, closed_at``).  Cases found only in the messages are open and of
        category ``Unknown``.
    as_of : timestamp, optional
        "Now"; default the newest ``sent_at``.  Later messages are ignored.
    rules : ReadinessRules, optional
        Thresholds; default ``ReadinessRules()``.
    templates : TemplateResult, optional
        :func:`caselog.find_templates` of ``log`` (reply classes, canned repeats);
        computed when not given.
    escalations : pandas.DataFrame, optional
        :func:`caselog.escalations` of ``log``; computed when not given.
    deadlines : pandas.DataFrame, optional
        :func:`caselog.deadlines` of ``log``. When given, ``deadline_at`` is each case's
        earliest open deadline that is the seller's to meet (stated by Amazon, due at or after
        ``as_of``, with no seller message after the message that stated it), and an open case
        whose ``deadline_at`` is at most ``rules.deadline_hours`` (72) away gets the reason and
        fact ``"deadline: <what> due <date>"`` and ``1e7`` more ``urgency``, so it comes first
        in :func:`readiness_queue` whatever its verdict; verdicts do not change. When not
        given, ``deadline_at`` is NaT.

    Returns
    -------
    pandas.DataFrame
        One row per case, sorted by ``case_id``: ``case_id, account, category, status,
        verdict`` (``ready`` / ``not yet`` / ``not advisable`` / ``closed``), ``reasons``
        (plain words with the facts, ``"; "``-joined), ``facts`` (counts and dates of the
        case), ``missing`` (prerequisites still missing, ``""`` if none), ``next_step``,
        ``target_level`` (Int64: 2 or 3 for open cases that may be escalated, NA otherwise),
        ``target``, ``urgency`` (float, higher first: ``rank * 1e6 + min(repeat canned denials,
        99) * 1e4 + min(hours since the last seller message, 9999)`` with rank 3 ready, 2 not
        yet, 1 not advisable; 0 for closed cases), ``canned_repeats,
        repeat_canned_denials, last_seller_at, last_amazon_at`` (last Amazon reply, not counting
        acknowledgements), ``hours_since_last_seller, pending_information_request_at,
        highest_level`` (0 when the case has no escalation), ``deadline_at`` (see ``deadlines``).

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=30).log
    >>> r = caselog.readiness(log)
    >>> set(r["verdict"]) <= {"ready", "not yet", "not advisable", "closed"}
    True
    """
    rules = ReadinessRules() if rules is None else rules
    if not isinstance(rules, ReadinessRules):
        raise ConfigError(f"rules must be a ReadinessRules, got {type(rules).__name__}")
    m = log.messages
    for c in ("message_id", "case_id", "sent_at", "direction"):
        if c not in m.columns:
            raise SchemaError(
                f"readiness() needs column {c}; found {', '.join(map(str, m.columns))}",
                missing=[c], found=m.columns, column=c,
            )
    as_of_ts = resolve_as_of(m, as_of)
    if templates is None and (m["direction"].eq("amazon")).any():
        from ._templates import find_templates

        templates = find_templates(log)
    if escalations is None:
        escalations = _escalations(
            log, as_of=as_of_ts, templates=templates, wait_hours=rules.wait_hours
        )
    f = _facts(log, as_of_ts, rules, templates, escalations)
    f["attachments_recorded"] = bool(getattr(log, "attachments_recorded", True))
    release_memory()  # the message-level arrays of the facts: the verdicts are per case
    from ._deadlines import deadline_facts

    return deadline_facts(_verdicts(f, rules), m, deadlines, as_of_ts, rules.deadline_hours)


class _Verdicts(SimpleNamespace):
    """The per-case arrays and rule masks of :func:`_verdicts`, and text builders over them."""

    def on(self, mask: np.ndarray, build) -> np.ndarray:
        """``build(mask)`` where ``mask`` holds, ``""`` elsewhere (texts built only where needed)."""
        out = np.full(self.n, "", dtype=object)
        if mask.any():
            out[mask] = build(mask)
        return out

    def h(self, k: np.ndarray) -> np.ndarray:
        """Whole hours since the last seller message."""
        return _int_text(np.floor(self.hours[k]))

    def wait(self, k: np.ndarray) -> np.ndarray:
        """The time since the last seller message as a person writes it: ``30 h`` up to 48
        hours, then ``26 days``."""
        hrs = self.hours[k]
        days = np.round(hrs / 24).astype("int64")
        in_days = hrs > 48
        return np.where(
            in_days, _int_text(days) + np.where(days == 1, " day", " days").astype(object),
            _int_text(np.floor(hrs)) + " h",
        ).astype(object)


def _const(text: str):
    return lambda k: text


def _d(arr: np.ndarray, k: np.ndarray) -> np.ndarray:
    return _fmt_ns(arr[k], False)


def _dt(arr: np.ndarray, k: np.ndarray) -> np.ndarray:
    return _fmt_ns(arr[k], True)


def _masks(f: pd.DataFrame, rules: ReadinessRules) -> _Verdicts:
    """The facts as arrays and the verdict masks, rules checked in the documented order."""
    idx = f.index
    n = len(idx)
    w = float(rules.wait_hours)
    wtxt = f"{rules.wait_hours:g} h"

    def ns(col: str) -> np.ndarray:
        return _ns(f[col])

    last_seller = ns("last_seller_at")
    last_amazon = ns("last_amazon_at")
    first_reply = ns("first_reply_at")
    first_followup = ns("first_followup_at")
    last_followup = ns("last_followup_at")
    n_followups = f["n_followups"].to_numpy(dtype="int64")
    last_info = ns("last_info_at")
    closed_at = ns("closed_at")
    exec_last = ns("exec_run_last")
    since = ns("identical_since")
    since = np.where(since == _NAT, ns("first_denial_at"), since)
    hours = f["hours_since_last_seller"].to_numpy(dtype="float64")
    category = f["category"].to_numpy(dtype=object)
    latest_class = f["latest_class"].to_numpy(dtype=object)
    rcd = f["repeat_canned_denials"].to_numpy(dtype="int64")
    ident = f["identical_denials"].to_numpy(dtype="int64")
    n_exec = f["n_exec"].to_numpy(dtype="int64")
    exec_run = f["exec_run"].to_numpy(dtype="int64")

    has_seller = last_seller != _NAT
    answered = (last_amazon != _NAT) & (last_amazon > last_seller)
    unanswered = has_seller & ~answered
    never_replied = first_reply == _NAT
    followed_up = first_followup != _NAT
    with np.errstate(invalid="ignore"):
        waited = np.nan_to_num(hours, nan=-1.0) >= w
        young = has_seller & (np.nan_to_num(hours, nan=np.inf) < w)

    closed = f["status"].to_numpy(dtype=object) == "closed"
    routine = np.isin(category, rules.routine_categories)
    burned = exec_run > rules.max_exec_without_new_material

    pending = (last_info != _NAT) & (~has_seller | (last_info > last_seller))
    no_channel = ~f["used_case_channel"].to_numpy(dtype=bool)
    needs_poa = np.isin(category, rules.poa_categories)
    no_poa = needs_poa & ~f["has_poa"].to_numpy(dtype=bool)
    # an export without an attachments column says nothing about documents: not a blocker
    recorded = f["attachments_recorded"].to_numpy(dtype=bool) if "attachments_recorded" in f else True
    no_attach = needs_poa & (f["seller_attachments"].to_numpy() == 0) & recorded
    no_followup = ~followed_up & ~(never_replied & has_seller & waited)
    in_window = unanswered & young
    blocked = pending | no_channel | no_poa | no_attach | no_followup | in_window

    trig_denials = rcd >= rules.min_repeat_denials
    trig_silence = unanswered & waited
    after_followup = followed_up & (last_amazon != _NAT) & (last_amazon > first_followup)
    trig_loop = ((latest_class == "deflection") | f["latest_canned"].to_numpy(dtype=bool)) & (
        after_followup
    )
    triggered = trig_denials | trig_silence | trig_loop

    open_ = ~closed
    is_na = open_ & (routine | burned)
    is_blocked = open_ & ~routine & ~burned & blocked
    is_ready = open_ & ~routine & ~burned & ~blocked & triggered
    still = open_ & ~routine & ~burned & ~blocked & ~triggered
    verdict = np.select(
        [closed, is_na, is_blocked, is_ready], ["closed", "not advisable", "not yet", "ready"],
        default="not yet",
    ).astype(object)

    window_end = np.where(has_seller, last_seller + int(w * 3.6e12), _NAT)
    return _Verdicts(**{k: v for k, v in locals().items() if k not in ("f", "rules", "ns")})


def _reasons(v: _Verdicts) -> np.ndarray:
    """The reasons of each verdict, with their facts, "; "-joined."""
    last_kind = np.where(v.followed_up & (v.first_followup <= v.last_seller), "follow-up", "message")
    denial_n = np.where(v.ident > v.rcd, v.ident, v.rcd + 1)
    return _join_obj(
        [
            v.on(v.closed & (v.closed_at != _NAT), lambda k: "case closed on " + _d(v.closed_at, k)),
            v.on(v.closed & (v.closed_at == _NAT), _const("case closed")),
            v.on(v.open_ & v.routine, _const("routine inquiry: not escalation material")),
            v.on(v.open_ & v.burned, lambda k: "bridges burned: "
               + _plural_obj(v.exec_run[k], "executive escalation")
               + " without new material between them (last " + _d(v.exec_last, k) + ")"),
            v.on(v.is_blocked & v.pending,
               lambda k: "information request of " + _d(v.last_info, k) + " not answered"),
            v.on(v.is_blocked & v.no_channel, _const(
                "standard channel never used: no message in the Seller Central case thread")),
            v.on(v.is_blocked & v.no_poa, _const("no plan of action submitted")),
            v.on(v.is_blocked & v.no_attach, _const("no documents attached to any message")),
            v.on(v.is_blocked & v.no_followup & ~v.never_replied,
               lambda k: "no follow-up in the case thread after Amazon's reply of "
               + _d(v.first_reply, k)),
            v.on(v.is_blocked & v.no_followup & v.never_replied,
               _const("no follow-up yet; Amazon has not replied")),
            v.on(v.is_blocked & v.in_window,
               lambda k: "last message of " + _dt(v.last_seller, k) + " is " + v.h(k)
               + " h old, inside the " + v.wtxt + " window"),
            v.on(v.is_ready & v.trig_denials,
               lambda k: _int_text(denial_n[k]) + " identical denials since " + _d(v.since, k)
               + " (" + _plural_obj(v.rcd[k], "repeat canned denial") + ")"),
            v.on(v.is_ready & v.trig_silence,
               lambda k: "no reply for " + v.wait(k) + " after " + last_kind[k].astype(object)
               + " of " + _dt(v.last_seller, k)),
            v.on(v.is_ready & v.trig_loop,
               lambda k: "latest answer (" + _d(v.last_amazon, k) + ") is "
               + np.where(v.latest_class[k] == "deflection", "a deflection",
                          "a canned repeat").astype(object)
               + " after " + _followups_text(v, k)),
            v.on(v.still & (v.last_amazon != _NAT),
               lambda k: "standard channel still answering: latest reply of "
               + _d(v.last_amazon, k) + " (" + v.latest_class[k] + ")"),
            v.on(v.still & (v.last_amazon == _NAT), _const("standard channel still answering")),
        ]
    )



def _followups_text(v: _Verdicts, k: np.ndarray) -> np.ndarray:
    """``the follow-up of 4 Mar 2026`` or ``3 follow-ups, the latest on 16 Jul 2026``."""
    n = v.n_followups[k]
    last = np.where(v.last_followup[k] != _NAT, v.last_followup[k], v.first_followup[k])
    when = _fmt_ns(last, False)
    return np.where(n > 1, _int_text(n) + " follow-ups, the latest on " + when,
                    "the follow-up of " + when).astype(object)


def _missing(v: _Verdicts) -> np.ndarray:
    """What a not-yet case lacks before it can be escalated."""
    return _join_obj(
        [
            v.on(v.is_blocked & v.pending,
               lambda k: "answer to the information request of " + _d(v.last_info, k)),
            v.on(v.is_blocked & v.no_channel, _const("a message in the Seller Central case thread")),
            v.on(v.is_blocked & v.no_poa, _const("a plan of action")),
            v.on(v.is_blocked & v.no_attach,
               _const("supporting documents (invoices, supplier details)")),
            v.on(v.is_blocked & v.no_followup, _const("a follow-up in the case thread")),
            v.on(v.is_blocked & v.in_window,
               lambda k: v.wtxt + " without an answer (until " + _dt(v.window_end, k) + ")"),
        ]
    )



def _targets(v: _Verdicts, f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.arrays.IntegerArray]:
    """Level 2 until a level-2 escalation failed (or an executive one was made), then 3."""
    level3 = f["l2_failed"].to_numpy(dtype=bool) | (v.n_exec > 0)
    team = f["main_team"].to_numpy(dtype=object)
    l2_target = np.select(
        [team == "Product Quality", (team == "Seller Performance") | v.needs_poa],
        ["Product Quality manager", "Seller Performance manager"],
        default="Captive Team",
    ).astype(object)
    can_target = v.is_ready | v.is_blocked | v.still
    target = np.where(can_target, np.where(level3, "Executive Seller Relations", l2_target), "")
    target = target.astype(object)
    tl = np.where(level3, 3, 2)
    target_level = pd.array(np.where(can_target, tl, 0), dtype="Int64")
    target_level[~can_target] = pd.NA
    return target, tl, target_level


def _next_steps(v: _Verdicts, target: np.ndarray, tl: np.ndarray) -> np.ndarray:
    """What to do next: the first blocker's remedy, the escalation target, or keep following up."""
    blockers = [v.is_blocked & v.pending, v.is_blocked & v.no_channel, v.is_blocked & v.no_poa,
                v.is_blocked & v.no_attach, v.is_blocked & v.no_followup, v.is_blocked & v.in_window]
    first = np.select(blockers, list(range(6)), default=-1)
    next_step = np.full(v.n, "", dtype=object)
    next_step[v.closed] = "none: the case is closed"
    next_step[v.open_ & v.routine] = (
        "handle it with Seller Support; a routine inquiry is not escalation material"
    )
    next_step[v.open_ & ~v.routine & v.burned] = (
        "do not escalate again with the same material: prepare a new plan of action or new "
        "documents first"
    )
    next_step = np.where(first == 0, v.on(first == 0, lambda k: "answer Amazon's information "
                         "request of " + _d(v.last_info, k) + " with everything it asks for"),
                         next_step)
    next_step[first == 1] = (
        "open a case in Seller Central (Help > Get Support) and state the issue there"
    )
    next_step[first == 2] = (
        "submit a complete plan of action (root cause, corrective and preventive actions)"
    )
    next_step[first == 3] = (
        "attach the supporting documents (invoices within 180 days, supplier details)"
    )
    next_step[first == 4] = "follow up politely in the same case thread"
    next_step = np.where(first == 5, v.on(first == 5, lambda k: "wait until " + _dt(v.window_end, k)
                         + " for an answer, then follow up in the thread"), next_step)
    next_step = np.where(
        v.is_ready,
        v.on(v.is_ready, lambda k: "escalate to " + target[k] + " (level " + _int_text(tl[k]) + ")"
           + np.where(v.n_exec[k] > 0, " with new material only", "").astype(object)
           + ": send the brief with the case ID, the actions taken, the repeated replies and "
           "the documents"),
        next_step,
    )
    next_step[v.still] = (
        "keep following up in the case thread; escalate if replies turn canned or stop for "
        + v.wtxt
    )
    return next_step


def _fact_texts(v: _Verdicts, f: pd.DataFrame) -> np.ndarray:
    """The counts and dates behind the verdict."""
    n_seller = f["n_seller"].to_numpy(dtype="int64")
    n_amazon = f["n_amazon"].to_numpy(dtype="int64")
    canned = f["canned_repeats"].to_numpy(dtype="int64")
    n_esc = f["n_escalations"].to_numpy(dtype="int64")
    highest = f["highest_level"].to_numpy(dtype="int64")
    attach = f["seller_attachments"].to_numpy(dtype="int64")
    return _join_obj(
        [
            _int_text(n_seller) + " seller / " + _int_text(n_amazon) + " Amazon messages",
            v.on(canned > 0, lambda k: _plural_obj(canned[k], "canned repeat")),
            v.on(v.rcd > 0, lambda k: _plural_obj(v.rcd[k], "repeat canned denial")),
            v.on(v.has_seller, lambda k: "last seller message " + _dt(v.last_seller, k) + " ("
               + v.wait(k) + " ago)"),
            v.on(v.last_amazon != _NAT, lambda k: "last Amazon reply " + _dt(v.last_amazon, k)),
            v.on(n_esc > 0, lambda k: _plural_obj(n_esc[k], "escalation") + ", highest level "
               + _int_text(highest[k])),
            v.on(attach > 0, lambda k: _plural_obj(attach[k], "attachment") + " sent"),
        ]
    )



def _urgency(v: _Verdicts) -> np.ndarray:
    """Verdict rank, then repeat denials, then hours waiting."""
    rank = np.select([v.is_ready, v.is_blocked | v.still, v.is_na], [3.0, 2.0, 1.0], default=0.0)
    urgency = np.where(
        v.open_,
        rank * 1e6 + np.minimum(v.rcd, 99) * 1e4
        + np.minimum(np.clip(np.nan_to_num(v.hours, nan=0.0), 0, None), 9999.0),
        0.0,
    )

    return urgency


def _text(values: Any) -> pd.api.extensions.ExtensionArray:
    """Texts (an object array, an Index or a Series) as a ``str`` array."""
    return pd.array(np.asarray(values, dtype=object) if isinstance(values, np.ndarray)
                    else getattr(values, "array", values), dtype="str")


def _verdicts(f: pd.DataFrame, rules: ReadinessRules) -> pd.DataFrame:
    """Verdicts (numpy masks, rules in the documented order) and their texts.

    Texts are numpy object arrays built only for the rows that need them.
    """
    v = _masks(f, rules)
    # each text column becomes Arrow strings as soon as it is made, so the Python strings of
    # one column at a time exist (a hundred bytes and more per case each)
    reasons, missing, facts = _text(_reasons(v)), _text(_missing(v)), _text(_fact_texts(v, f))
    target, tl, target_level = _targets(v, f)
    next_step = _text(_next_steps(v, target, tl))
    target = _text(target)
    urgency = _urgency(v)
    pending_at = np.where(v.pending, v.last_info, _NAT)
    out = pd.DataFrame(
        {
            "case_id": _text(v.idx.astype(str)),
            "account": _text(f["account"]),
            "category": _text(f["category"]),
            "status": _text(f["status"]),
            "verdict": v.verdict,
            "reasons": reasons,
            "facts": facts,
            "missing": missing,
            "next_step": next_step,
            "target_level": target_level,
            "target": target,
            "urgency": urgency.astype("float64"),
            "canned_repeats": f["canned_repeats"].to_numpy(dtype="int64"),
            "repeat_canned_denials": v.rcd,
            "last_seller_at": _to_ts(v.last_seller, pd.RangeIndex(v.n)),
            "last_amazon_at": _to_ts(v.last_amazon, pd.RangeIndex(v.n)),
            "hours_since_last_seller": v.hours,
            "pending_information_request_at": _to_ts(pending_at, pd.RangeIndex(v.n)),
            "highest_level": f["highest_level"].to_numpy(dtype="int64"),
        }
    )
    for c in ("case_id", "account", "category", "status", "verdict", "reasons", "facts",
              "missing", "next_step", "target"):
        out[c] = out[c].astype("str")
    return out


def readiness_queue(
    ready_frame: pd.DataFrame, verdicts: tuple[str, ...] = ("ready", "not yet")
) -> pd.DataFrame:
    """The flagged cases, most urgent first.

    Parameters
    ----------
    ready_frame : pandas.DataFrame
        The result of :func:`readiness` (needs ``case_id, verdict, urgency``).
    verdicts : tuple of str, default ("ready", "not yet")
        Which verdicts to keep.

    Returns
    -------
    pandas.DataFrame
        The rows of ``ready_frame`` whose verdict is in ``verdicts``, in the one queue order
        of every face: cases with a deadline at most ``deadline_hours`` away first (their
        ``urgency`` is 1e7 or more), then by verdict (ready, not yet, not advisable, closed),
        then ``urgency`` (descending), then ``case_id``; index reset.
    """
    for c in ("case_id", "verdict", "urgency"):
        if c not in ready_frame.columns:
            raise SchemaError(
                f"readiness_queue() needs column {c}", missing=[c], found=ready_frame.columns,
                column=c,
            )
    bad = [v for v in verdicts if v not in VERDICTS]
    if bad:
        raise ConfigError(f"unknown verdict(s) {bad}; choose from {', '.join(VERDICTS)}")
    q = ready_frame[ready_frame["verdict"].isin(verdicts)]
    rank = q["verdict"].map({v: i for i, v in enumerate(VERDICTS)}).to_numpy()
    urgency = q["urgency"].to_numpy(dtype="float64")
    order = np.lexsort((q["case_id"].astype(str).to_numpy(), -urgency, rank, urgency < 1e7))
    return q.iloc[order].reset_index(drop=True)


