"""Escalations: which seller messages escalate a case, to whom, with what quality and result.

An **escalation** is a seller message that asks for review above the first responder
(docs/domain.md).  It is found three ways, strongest first:

``kind``
    the source labels the message ``escalation``;
``recipient``
    the message is addressed to a level-2 or level-3 target: a senior / lead investigator,
    a Seller Performance or Product Quality manager, the Captive Team (level 2); Executive
    Seller Relations, ``jeff@`` / ``jassy@``, "Jeff Bezos", "Andy Jassy", a VP or the
    executives (level 3).  A seller message whose ``team`` is Executive Seller Relations is
    level 3, one whose team is Captive Team is level 2;
``text``
    escalation language in the thread: "please escalate", "escalate this to a manager /
    supervisor", "we request an escalation" (level 1, "in-thread request").

Only seller messages count.  An Amazon message saying "I have escalated this", or a seller
reporting that "the AHS rep said he escalated it", is not a seller escalation.

The **outcome** of an escalation is the class of the first Amazon reply after it that is not an
automated acknowledgement, in the same conversation lane (the case thread and e-mail are one
written lane; phone, chat and social are lanes of their own, so the answer to a later phone call
is not the answer to a written escalation): a canned repeat (template already seen in the case) is ``canned``
whatever its class, then ``acceptance`` -> ``positive``, ``denial`` -> ``denied``,
``information request``, ``deflection`` -> ``deflected``, anything else ``other``.  With no such
reply: ``acknowledged`` when an acknowledgement came and the wait window (``wait_hours``) is not
over, ``waiting`` when nothing came and the window is not over, ``no answer`` once it is.

The **quality score** counts the seven items of an escalation letter (rule 7 of
docs/domain.md) that a message meets; see :func:`escalation_quality`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._memory import uses_arrow_pool
from ..errors import ConfigError, SchemaError
from ..schema import (
    ESCALATION_COLUMNS,
    ESCALATION_DTYPES,
    LEVEL_TARGETS,
    OUTCOMES,
    QUALITY_ITEMS,
    empty_frame,
)
from ._frame import (
    case_cumsum,
    col,
    hours,
    matching_texts,
    require_columns,
    resolve_as_of,
    rx_contains,
    rx_replace,
    template_messages,
)
from ._quality import escalation_quality

if TYPE_CHECKING:  # pragma: no cover
    from ..model import CaseLog

__all__ = [
    "escalations",
    "escalation_quality",
    "escalation_rates",
    "account_bridges",
    "ESCALATION_COLUMNS",
    "OUTCOMES",
    "QUALITY_ITEMS",
    "LEVEL_TARGETS",
]

# ---------------------------------------------------------------------------------------------
# patterns (case-insensitive; checked on subject + body of seller messages)

# level 3, executive: most specific first
_EXEC_PATTERNS: tuple[str, ...] = (
    r"executive\s+seller\s+relations",
    r"\besr\b",
    r"\bjeff@",
    r"\bjassy@",
    r"\bjeff\s+bezos\b",
    r"\bandy\s+jassy\b",
    r"\bdear\s+(?:mr\.?\s+)?(?:jeff|bezos|jassy|andy)\b",
    r"\b(?:senior\s+)?vp\b",
    r"\bvice[\s-]+president\b",
    r"\bexecutive\s+(?:escalations?|review|team|office|level)\b",
    r"\b(?:amazon|amazon's|your|the|to)\s+executives\b",
)
_EXEC_RX = "(?:" + "|".join(_EXEC_PATTERNS) + ")"
# words at least one of which every escalation pattern contains (a cheap first pass)
_PREFILTER = (
    r"escalat|investigator|manager|supervisor|captive|executive|esr|jeff|jassy|bezos|andy|vp"
    r"|vice|lead"
)
# level 2: (pattern, target)
_LEVEL2_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\b(?:senior|lead)\s+investigators?\b", "Senior investigator"),
    (r"\b(?:seller\s+performance|sp)\s+(?:team\s+)?(?:manager|supervisor|lead)s?\b",
     "Seller Performance manager"),
    (r"\b(?:product\s+quality|pq)\s+(?:team\s+)?(?:manager|supervisor|lead)s?\b",
     "Product Quality manager"),
    (r"\bcaptive\s+team\b", "Captive Team"),
)
# level 1: asking in the thread (first person or imperative; never "said he escalated it")
_LEVEL1_PATTERN = (
    r"(?:\bplease\s+(?:kindly\s+)?escalate\b"
    r"|\bkindly\s+escalate\b"
    r"|\b(?:can|could|would|will)\s+you\s+(?:please\s+)?escalate\b"
    r"|\b(?:we|i)\s+(?:would\s+like\s+to|want\s+to|wish\s+to|need\s+to|must|ask\s+(?:you\s+)?to"
    r"|request\s+(?:that\s+you\s+)?(?:to\s+)?|are\s+requesting\s+(?:that\s+you\s+)?(?:to\s+)?)"
    r"\s*escalate\b"
    r"|\bescalate\s+(?:this|the|my|our)\s+(?:case\s+|matter\s+|issue\s+|appeal\s+)?"
    r"to\s+(?:a|the|your)\s+(?:shift\s+)?(?:manager|supervisor|lead)"
    r"|\brequest(?:ing)?\s+(?:an?\s+|for\s+(?:an?\s+)?)?escalation\b"
    r"|\brequest\s+that\s+(?:this|the|our|my)\s+(?:case|matter|issue|appeal)\s+(?:be|is)\s+"
    r"escalated\b"
    r"|\b(?:case|matter|issue|appeal)\s+(?:should|must|needs\s+to)\s+be\s+escalated\b"
    r"|(?:^|[.!?:]\s+|\n)escalate\s+(?:this|it|the|my|our)\b"
    r"|\bescalation\s+request\b)"
)
# phrases that report someone else's escalation: masked out before the level-1 check
_REPORTED_PATTERN = (
    r"\b(?:said|told\s+(?:me|us)|promised|claimed|says|mentioned)\b[^.?!\n]{0,60}"
    r"\bescalat\w*"
)


_MATERIAL_KINDS = ("poa", "documents", "appeal")
#: a seller text that mentions a plan of action
POA_TEXT = r"\bplan\s+of\s+action\b|\bPOA\b"

_NEEDED = ("message_id", "case_id", "sent_at", "direction")


# ---------------------------------------------------------------------------------------------
# helpers


def material_flags(messages: pd.DataFrame) -> pd.Series:
    """True for seller messages that bring material: attachments, a POA or documents.

    ``attachments > 0``, or ``kind`` in ``poa`` / ``documents`` / ``appeal``, or the text
    mentions a "plan of action" / "POA".  Amazon messages are False.
    """
    seller = col(messages, "direction").eq("seller").to_numpy()
    attach = pd.to_numeric(col(messages, "attachments", 0), errors="coerce").fillna(0).gt(0)
    kind = col(messages, "kind").str.lower().isin(_MATERIAL_KINDS)
    flags = seller & (attach | kind).to_numpy()
    rest = seller & ~flags  # only these need the text search, a slice of rows at a time
    if rest.any():
        at, _ = matching_texts(messages, np.flatnonzero(rest), POA_TEXT)
        flags[at] = True
    return pd.Series(flags, index=messages.index, dtype=bool)


# ---------------------------------------------------------------------------------------------
# detection


def detect(messages: pd.DataFrame) -> pd.DataFrame:
    """Find the escalations among seller messages (no outcome, no quality).

    Parameters
    ----------
    messages : pandas.DataFrame
        Canonical messages; needs ``message_id, case_id, sent_at, direction``; uses ``team,
        subject, body, kind`` when present.

    Returns
    -------
    pandas.DataFrame
        The escalation rows of ``messages`` (all their columns) plus ``level`` (int 1..3),
        ``target`` and ``detected_by`` (``kind`` / ``recipient`` / ``text``).
    """
    require_columns(messages, _NEEDED, "escalation detection")
    is_seller = col(messages, "direction").eq("seller")
    cols = [c for c in ("team", "kind") if c in messages.columns]
    seller = messages[cols][is_seller]
    team = col(seller, "team")
    by_kind = col(seller, "kind").str.lower().eq("escalation")

    # one pass over all seller texts for the keywords every pattern needs (a slice of rows at
    # a time), then the detailed patterns on the few candidate rows only
    _, text = matching_texts(messages, np.flatnonzero(is_seller.to_numpy(dtype=bool)), _PREFILTER)
    cand = len(text) > 0
    exec_hit = team.eq("Executive Seller Relations")
    l2_target = pd.Series("", index=seller.index, dtype="str")
    l1_hit = pd.Series(False, index=seller.index, dtype=bool)
    if cand:
        exec_hit = exec_hit | rx_contains(text, _EXEC_RX).reindex(seller.index, fill_value=False)
        sub_target = pd.Series("", index=text.index, dtype="str")
        for pat, target in reversed(_LEVEL2_PATTERNS):  # first listed wins
            sub_target = sub_target.mask(rx_contains(text, pat), target)
        l2_target = sub_target.reindex(seller.index, fill_value="").astype("str")
        cleaned = rx_replace(text, _REPORTED_PATTERN, " ")
        l1_hit = rx_contains(cleaned, _LEVEL1_PATTERN).reindex(seller.index, fill_value=False)
    l2_target = l2_target.mask(l2_target.eq("") & team.eq("Captive Team"), "Captive Team")
    l2_hit = l2_target.ne("")

    hit = (by_kind | exec_hit | l2_hit | l1_hit).to_numpy(dtype=bool)
    # level, target and how it was found: for the escalations only (a few rows of many)
    k, e, t2 = (s.to_numpy(dtype=bool)[hit] for s in (by_kind, exec_hit, l2_hit))
    level = np.select([e, t2], [3, 2], default=1)
    target = np.select(
        [e, t2], ["Executive Seller Relations", l2_target.to_numpy(dtype=object)[hit]],
        default="in-thread request",
    )
    detected_by = np.select([k, e | t2], ["kind", "recipient"], default="text")
    out = messages.loc[seller.index[hit]].assign(
        level=level, target=target, detected_by=detected_by
    )
    out["level"] = out["level"].astype("int64")
    out["target"] = out["target"].astype("str")
    out["detected_by"] = out["detected_by"].astype("str")
    return out


# ---------------------------------------------------------------------------------------------
# the escalations table


def _lane(channel: pd.Series) -> pd.Series:
    """Conversation lane of a channel: phone, chat and social are their own lanes; the case
    thread, e-mail and anything else are one written lane."""
    ch = channel.fillna("").astype(str)
    return ch.where(ch.isin(("phone", "chat", "social")), "written").astype(str)


def _next_reply(
    esc: pd.DataFrame, replies: pd.DataFrame, cols: list[str]
) -> pd.DataFrame:
    """For each escalation, the first row of ``replies`` in the same case and lane after it
    (in ``sent_at``, ``cols[0]`` order: ``cols[0]`` is the reply's message ID)."""
    left = esc[["message_id", "case_id", "sent_at", "_lane"]].rename(
        columns={"message_id": "_esc_id"}
    )
    left = left.sort_values("sent_at", kind="stable")
    right = replies[["case_id", "sent_at", "_lane", *cols]].rename(
        columns={"sent_at": "_reply_at"}
    )
    # ties on sent_at: the lowest message ID first (merge_asof takes the first row it meets)
    right = right.assign(sent_at=right["_reply_at"]).sort_values(
        ["sent_at", cols[0]], kind="stable"
    )
    merged = pd.merge_asof(
        left,
        right,
        on="sent_at",
        by=["case_id", "_lane"],
        direction="forward",
        allow_exact_matches=False,
    )
    return merged.set_index("_esc_id")


@uses_arrow_pool
def escalations(
    log: CaseLog,
    *,
    as_of: Any = None,
    templates: Any = None,
    wait_hours: float = 48,
) -> pd.DataFrame:
    """One row per seller escalation, with its level, target, outcome and quality.

    Parameters
    ----------
    log : CaseLog
        ``log.messages`` needs ``message_id, case_id, account, sent_at, direction, team,
        channel, subject, body, attachments, kind``; ``log.cases`` gives ``category``.
    as_of : timestamp, optional
        "Now" for the wait window; default the newest ``sent_at`` in the data.
    templates : TemplateResult, optional
        The result of :func:`caselog.find_templates` (its ``.messages`` with
        ``message_id, reply_class, is_canned_repeat``); computed when not given.
    wait_hours : float, default 48
        An escalation without a reply is ``waiting`` for this long, ``no answer`` after.

    Returns
    -------
    pandas.DataFrame
        ``message_id, case_id, account, category, sent_at, level`` (1 in-thread, 2 senior /
        manager / Captive Team, 3 executive), ``target, detected_by`` (``kind`` /
        ``recipient`` / ``text``), ``team`` (team addressed), ``outcome`` (one of
        :data:`OUTCOMES`), ``outcome_message_id`` (Int64), ``outcome_at``,
        ``hours_to_outcome`` (float, NaN without a reply), ``new_material`` (the escalation has
        attachments, or a POA / document / attachment was sent since the previous escalation of
        the case — for the first escalation, since the case began), ``quality_score`` (0..7) and
        ``quality_missing``.  Sorted by ``case_id, sent_at, message_id``.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=30).log
    >>> esc = caselog.escalations(log)
    >>> set(esc["level"]) <= {1, 2, 3}
    True
    """
    if (
        isinstance(wait_hours, bool)
        or not isinstance(wait_hours, (int, float, np.integer, np.floating))
        or not np.isfinite(wait_hours)
        or wait_hours < 0
    ):
        raise ConfigError(f"wait_hours must be a number >= 0, got {wait_hours!r}")
    messages = log.messages
    require_columns(messages, _NEEDED, "escalations()")
    as_of_ts = resolve_as_of(messages, as_of)
    if as_of_ts is not None:
        keep = messages["sent_at"].le(as_of_ts)
        if not keep.all():
            messages = messages[keep]
    messages = messages.reset_index(drop=True)
    if messages.empty:
        return empty_frame(ESCALATION_DTYPES)

    esc = detect(messages)
    if esc.empty:
        return empty_frame(ESCALATION_DTYPES)
    esc = esc.sort_values(["case_id", "sent_at", "message_id"], kind="stable")

    # category from the cases table
    cases = log.cases
    if cases is not None and len(cases) and "category" in cases.columns:
        cat = cases.drop_duplicates("case_id").set_index("case_id")["category"]
        category = esc["case_id"].map(cat).fillna("Unknown").astype("str")
    else:
        category = pd.Series("Unknown", index=esc.index, dtype="str")

    # outcomes: the first Amazon reply that is not an automated acknowledgement (only the
    # replies in a case with an escalation can be one)
    in_escalated = messages["case_id"].isin(pd.unique(esc["case_id"])).to_numpy(dtype=bool)
    amazon = messages[["message_id", "case_id", "sent_at"]][
        col(messages, "direction").eq("amazon").to_numpy(dtype=bool) & in_escalated
    ]
    del in_escalated
    amazon["_lane"] = _lane(col(messages, "channel").loc[amazon.index])
    esc["_lane"] = _lane(col(esc, "channel"))
    tm = template_messages(log, templates)
    amazon = amazon.merge(tm, on="message_id", how="left")
    amazon["reply_class"] = amazon["reply_class"].fillna("other").astype(str)
    amazon["is_canned_repeat"] = amazon["is_canned_repeat"].fillna(False).astype(bool)
    is_ack = amazon["reply_class"].eq("acknowledgement")
    real = amazon[~is_ack].rename(columns={"message_id": "reply_id"})
    acks = amazon[is_ack].rename(columns={"message_id": "ack_id"})
    del amazon, is_ack

    nxt = _next_reply(esc, real, ["reply_id", "reply_class", "is_canned_repeat"])
    nxt = nxt.reindex(esc["message_id"].to_numpy())
    ack = _next_reply(esc, acks, ["ack_id"]).reindex(esc["message_id"].to_numpy())

    reply_class = nxt["reply_class"].fillna("").astype(str).to_numpy()
    has_reply = nxt["reply_id"].notna().to_numpy()
    canned = nxt["is_canned_repeat"].fillna(False).astype(bool).to_numpy()
    has_ack = ack["ack_id"].notna().to_numpy()
    sent = esc["sent_at"]
    waited = hours(as_of_ts - sent).to_numpy() if as_of_ts is not None else np.full(len(esc), 0.0)
    past = waited >= wait_hours
    outcome = np.select(
        [
            has_reply & canned,
            has_reply & (reply_class == "acceptance"),
            has_reply & (reply_class == "denial"),
            has_reply & (reply_class == "information request"),
            has_reply & (reply_class == "deflection"),
            has_reply,
            past,
            has_ack,
        ],
        ["canned", "positive", "denied", "information request", "deflected", "other",
         "no answer", "acknowledged"],
        default="waiting",
    )
    reply_at = pd.Series(pd.to_datetime(nxt["_reply_at"], utc=True).array, index=esc.index)

    # new material since the previous escalation of the case
    cum = case_cumsum(messages, material_flags(messages).to_numpy())
    esc_cum = pd.Series(cum[messages.index.get_indexer(esc.index)], index=esc.index)
    prev_cum = esc_cum.groupby(esc["case_id"], sort=False).shift(1).fillna(0)
    new_material = (esc_cum - prev_cum).gt(0)

    quality = escalation_quality(esc)

    out = pd.DataFrame(
        {
            "message_id": esc["message_id"].astype("int64").to_numpy(),
            "case_id": esc["case_id"].astype("str").to_numpy(),
            "account": col(esc, "account", "default").replace("", "default").to_numpy(),
            "category": category.to_numpy(),
            "sent_at": sent.array,
            "level": esc["level"].to_numpy(),
            "target": esc["target"].to_numpy(),
            "detected_by": esc["detected_by"].to_numpy(),
            "team": col(esc, "team").to_numpy(),
            "outcome": outcome.astype(str),
            "outcome_message_id": pd.array(nxt["reply_id"].to_numpy(), dtype="Int64"),
            "outcome_at": reply_at.array,
            "hours_to_outcome": hours(reply_at - sent).to_numpy(dtype="float64"),
            "new_material": new_material.to_numpy(),
            "quality_score": quality["score"].to_numpy(),
            "quality_missing": quality["missing"].to_numpy(),
        }
    )
    out["sent_at"] = pd.to_datetime(out["sent_at"], utc=True)
    out["outcome_at"] = pd.to_datetime(out["outcome_at"], utc=True)
    for c in ("case_id", "account", "category", "target", "detected_by", "team", "outcome",
              "quality_missing"):
        out[c] = out[c].astype("str")
    return out.sort_values(["case_id", "sent_at", "message_id"], kind="stable").reset_index(
        drop=True
    )


# ---------------------------------------------------------------------------------------------
# rates and bridges


def wilson_interval(
    successes: Any, n: Any, z: float = 1.959963984540054
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``successes`` out of ``n`` (NaN where ``n == 0``).

    >>> lo, hi = wilson_interval(8, 10)
    >>> round(float(lo), 3), round(float(hi), 3)
    (0.49, 0.943)
    """
    k = np.asarray(successes, dtype="float64")
    n_ = np.asarray(n, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n_
        denom = 1.0 + z * z / n_
        centre = (p + z * z / (2.0 * n_)) / denom
        half = z * np.sqrt(p * (1.0 - p) / n_ + z * z / (4.0 * n_ * n_)) / denom
        lo = np.where(n_ > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        hi = np.where(n_ > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return lo, hi


_BY_CHOICES = ("level", "target", "team", "category", "account", "detected_by", "case_id")


def escalation_rates(esc: pd.DataFrame, by: str | list[str] = "level") -> pd.DataFrame:
    """Success rate of escalations by level, target, team or category, with a 95% interval.

    Parameters
    ----------
    esc : pandas.DataFrame
        The result of :func:`escalations` (needs ``outcome`` and the ``by`` columns).
    by : str or list of str, default "level"
        Any of ``level``, ``target``, ``team``, ``category``, ``account``, ``detected_by``.

    Returns
    -------
    pandas.DataFrame
        ``[by...], n`` (escalations), ``n_decided`` (escalations whose outcome is known: all
        but ``waiting`` and ``acknowledged``, which are still inside the wait window),
        ``n_positive``, ``rate`` (``n_positive / n_decided``), ``ci_low, ci_high`` (Wilson 95%
        score interval of the rate), then one count column per outcome, named
        ``outcome_<outcome>`` with spaces as underscores (``outcome_positive, outcome_denied,
        outcome_canned, outcome_information_request, outcome_deflected, outcome_acknowledged,
        outcome_other, outcome_no_answer, outcome_waiting``).  Sorted by ``by``.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=30).log
    >>> rates = caselog.escalation_rates(caselog.escalations(log), by="level")
    >>> list(rates.columns[:4])
    ['level', 'n', 'n_decided', 'n_positive']
    """
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ConfigError("escalation_rates(by=...) needs at least one column")
    for k in keys:
        if k not in esc.columns:
            raise ConfigError(
                f"escalation_rates(by={by!r}): no column {k!r}; choose from "
                f"{', '.join(c for c in _BY_CHOICES if c in esc.columns)}"
            )
    if "outcome" not in esc.columns:
        raise SchemaError(
            "escalation_rates() needs column outcome", missing=["outcome"], found=esc.columns,
            column="outcome",
        )
    outcome = esc["outcome"].astype(str)
    counts = pd.DataFrame({f"outcome_{o.replace(' ', '_')}": outcome.eq(o) for o in OUTCOMES})
    counts = counts.astype("int64")
    frame = pd.concat([esc[keys].reset_index(drop=True), counts.reset_index(drop=True)], axis=1)
    g = frame.groupby(keys, sort=True, dropna=False)
    table = g.sum()
    table.insert(0, "n", g.size())
    pending = table["outcome_waiting"] + table["outcome_acknowledged"]
    table.insert(1, "n_decided", table["n"] - pending)
    table.insert(2, "n_positive", table["outcome_positive"])
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(
            table["n_decided"] > 0, table["n_positive"] / table["n_decided"].replace(0, 1), np.nan
        )
    lo, hi = wilson_interval(table["n_positive"].to_numpy(), table["n_decided"].to_numpy())
    table.insert(3, "rate", rate)
    table.insert(4, "ci_low", lo)
    table.insert(5, "ci_high", hi)
    return table.reset_index()


def exec_repeats(esc: pd.DataFrame, messages: pd.DataFrame) -> pd.Series:
    """For each level-3 escalation: is it a repeat without new material since the previous one?

    A level-3 escalation repeats without new material when the case had an earlier level-3
    escalation and no seller message since then (this one included) carried attachments, a POA
    or documents.  Returns a bool Series aligned with ``esc`` (False for levels 1-2).
    """
    out = pd.Series(False, index=esc.index, dtype=bool)
    l3 = esc[esc["level"].eq(3)]
    if l3.empty:
        return out
    m = messages[["message_id"]].copy()
    m["_cum"] = case_cumsum(messages, material_flags(messages).to_numpy())
    cum = l3[["message_id"]].merge(m, on="message_id", how="left")
    cum.index = l3.index
    l3 = l3.sort_values(["case_id", "sent_at", "message_id"], kind="stable")
    cum = cum.loc[l3.index]
    prev = cum["_cum"].groupby(l3["case_id"], sort=False).shift(1)
    repeat = prev.notna() & cum["_cum"].eq(prev)
    out.loc[l3.index] = repeat.to_numpy()
    return out


def account_bridges(
    esc: pd.DataFrame, messages: pd.DataFrame | None = None, *, max_repeats: int = 0
) -> pd.DataFrame:
    """Executive (level-3) escalations per account and whether bridges are being burned.

    Parameters
    ----------
    esc : pandas.DataFrame
        The result of :func:`escalations` (``account, case_id, sent_at, level,
        new_material``).
    messages : pandas.DataFrame, optional
        Canonical messages.  With them a repeat is judged against the previous level-3
        escalation of the case (material sent since then); without them ``new_material`` of
        the escalation row is used (material since the previous escalation of any level).
    max_repeats : int, default 0
        ``bridges_at_risk`` when an account has more executive repeats without new material
        than this.

    Returns
    -------
    pandas.DataFrame
        ``account, exec_escalations, exec_with_new_material, exec_repeats_without_new_material,
        bridges_at_risk`` (bool), one row per account that has escalations, sorted by account.
    """
    needed = ("account", "case_id", "level", "new_material")
    require_columns(esc, needed, "account_bridges()")
    if messages is not None:
        repeat = exec_repeats(esc, messages)
    else:
        is3 = esc["level"].eq(3)
        earlier = is3.astype("int64").groupby(esc["case_id"], sort=False).cumsum().gt(1)
        repeat = is3 & earlier & ~esc["new_material"].astype(bool)
    is3 = esc["level"].eq(3)
    frame = pd.DataFrame(
        {
            "account": esc["account"].astype(str),
            "exec_escalations": is3.astype("int64"),
            "exec_with_new_material": (is3 & esc["new_material"].astype(bool)).astype("int64"),
            "exec_repeats_without_new_material": repeat.astype("int64"),
        }
    )
    out = frame.groupby("account", sort=True).sum().reset_index()
    out["bridges_at_risk"] = out["exec_repeats_without_new_material"].gt(max_repeats)
    return out
