"""Readiness: which open cases are ready to escalate, which are not yet, and why.

The verdict of every case, as of ``as_of`` (default: the newest ``sent_at`` in the data; messages
after ``as_of`` are ignored), follows the rules of docs/architecture.md, checked in this order:

1. **closed** — the case status is closed.
2. **not advisable** — a routine inquiry (not escalation material, DOMAIN rule 4), or bridges
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
The next escalation level is 2 (senior investigator / Seller Performance or Product Quality
manager / Captive Team) until a level-2 escalation has failed, then 3 (Executive Seller
Relations).

Everything per case is a grouped aggregation and the verdict a set of numpy masks, so 100k cases
take a few seconds.  :func:`brief` writes the escalation letter of one case.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import CaseNotFoundError, ConfigError, SchemaError
from .escalations import (
    _col,
    _resolve_as_of,
    _templates_messages,
    exec_repeats,
    material_flags,
)
from .escalations import escalations as _escalations

if TYPE_CHECKING:  # pragma: no cover
    from .model import CaseLog

__all__ = [
    "ReadinessRules",
    "readiness",
    "readiness_queue",
    "brief",
    "READINESS_COLUMNS",
    "VERDICTS",
]

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
)

_FAILED_OUTCOMES = ("denied", "canned", "deflected", "other", "no answer")


@dataclass(frozen=True)
class ReadinessRules:
    """Thresholds and category lists of the readiness rules (defaults from DOMAIN.md).

    Attributes
    ----------
    wait_hours : float, default 48
        How long to wait for an answer before following up or escalating (rule 3).
    min_repeat_denials : int, default 2
        Repeat canned denials that make a case ready on their own (rule 6).
    max_exec_without_new_material : int, default 1
        Level-3 escalations allowed in a row without new material; more burns bridges (rule 8).
    routine_categories : tuple of str
        Categories that are not escalation material (``("Routine inquiry",)``).
    poa_categories : tuple of str
        Categories that need a POA and attachments before escalating
        (``("Account suspension", "Policy violation")``).

    Raises
    ------
    ConfigError
        On a negative or non-numeric threshold, or a category list that is not strings.
    """

    wait_hours: float = 48
    min_repeat_denials: int = 2
    max_exec_without_new_material: int = 1
    routine_categories: tuple[str, ...] = ("Routine inquiry",)
    poa_categories: tuple[str, ...] = ("Account suspension", "Policy violation")

    def __post_init__(self) -> None:
        w = self.wait_hours
        if isinstance(w, bool) or not isinstance(w, (int, float, np.integer, np.floating)):
            raise ConfigError(f"ReadinessRules.wait_hours must be a number, got {w!r}")
        if not np.isfinite(w) or w < 0:
            raise ConfigError(f"ReadinessRules.wait_hours must be >= 0 hours, got {w!r}")
        for name in ("min_repeat_denials", "max_exec_without_new_material"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise ConfigError(f"ReadinessRules.{name} must be a whole number, got {v!r}")
            if v < 0:
                raise ConfigError(f"ReadinessRules.{name} must be >= 0, got {v!r}")
        if self.min_repeat_denials < 1:
            raise ConfigError(
                f"ReadinessRules.min_repeat_denials must be >= 1, got {self.min_repeat_denials!r}"
            )
        for name in ("routine_categories", "poa_categories"):
            v = getattr(self, name)
            if isinstance(v, str) or not all(isinstance(x, str) for x in v):
                raise ConfigError(f"ReadinessRules.{name} must be a tuple of strings, got {v!r}")
            object.__setattr__(self, name, tuple(v))


# ---------------------------------------------------------------------------------------------
# vectorised text helpers


def _fmt_date(ts: pd.Series) -> pd.Series:
    """'2 Mar 2026' ('' for NaT)."""
    ok = ts.notna()
    out = pd.Series("", index=ts.index, dtype="str")
    if ok.any():
        t = ts[ok]
        out[ok] = t.dt.day.astype("int64").astype(str) + " " + t.dt.strftime("%b %Y")
    return out


def _fmt_dt(ts: pd.Series) -> pd.Series:
    """'2 Mar 2026 10:15 UTC' ('' for NaT)."""
    ok = ts.notna()
    out = pd.Series("", index=ts.index, dtype="str")
    if ok.any():
        t = ts[ok]
        out[ok] = (
            t.dt.day.astype("int64").astype(str) + " " + t.dt.strftime("%b %Y %H:%M") + " UTC"
        )
    return out


def _fmt_hours(h: pd.Series) -> pd.Series:
    """Whole hours as text ('' for NaN)."""
    out = pd.Series("", index=h.index, dtype="str")
    ok = h.notna()
    if ok.any():
        out[ok] = np.floor(h[ok].astype("float64")).astype("int64").astype(str)
    return out


def _part(mask: pd.Series | np.ndarray, text: pd.Series | str, index: pd.Index) -> pd.Series:
    """``text`` where ``mask`` else ''."""
    m = pd.Series(np.asarray(mask, dtype=bool), index=index)
    t = text if isinstance(text, pd.Series) else pd.Series(text, index=index, dtype="str")
    return t.where(m, "").astype("str")


def _join(parts: list[pd.Series], sep: str, index: pd.Index) -> pd.Series:
    """Join the non-empty strings of ``parts`` row-wise with ``sep``."""
    out = pd.Series("", index=index, dtype="str")
    for p in parts:
        has = p.ne("")
        glue = pd.Series(np.where(out.ne("") & has, sep, ""), index=index, dtype="str")
        out = out + glue + p
    return out


def _plural(n: pd.Series, word: str, words: str | None = None) -> pd.Series:
    words = words or word + "s"
    return n.astype("int64").astype(str) + " " + pd.Series(
        np.where(n.to_numpy() == 1, word, words), index=n.index, dtype="str"
    )


# ---------------------------------------------------------------------------------------------
# per-case facts


def _case_table(log: CaseLog) -> pd.DataFrame:
    """Every case in ``log.cases`` plus cases that only appear in the messages."""
    cases = log.cases
    m = log.messages
    cols = ["case_id", "account", "category", "status", "opened_at", "closed_at", "asins"]
    if cases is None or cases.empty:
        base = pd.DataFrame({c: pd.Series(dtype="str") for c in cols})
    else:
        base = cases.drop_duplicates("case_id").copy()
        for c in cols:
            if c not in base.columns:
                base[c] = pd.NaT if c.endswith("_at") else ""
        base = base[cols]
    extra_ids = pd.Index(m["case_id"].unique()).difference(pd.Index(base["case_id"]))
    if len(extra_ids):
        first = m[m["case_id"].isin(extra_ids)].groupby("case_id", sort=True).agg(
            account=("account", "first"), opened_at=("sent_at", "min")
        )
        extra = pd.DataFrame(
            {
                "case_id": first.index.astype(str),
                "account": first["account"].astype(str).to_numpy(),
                "category": "Unknown",
                "status": "open",
                "opened_at": first["opened_at"].to_numpy(),
                "closed_at": pd.NaT,
                "asins": "",
            }
        )
        base = pd.concat([base, extra], ignore_index=True) if len(base) else extra
    base = base.reset_index(drop=True)
    for c in ("case_id", "account", "category", "status", "asins"):
        base[c] = base[c].fillna("").astype("str")
    base["account"] = base["account"].replace("", "default")
    base["category"] = base["category"].replace("", "Unknown")
    base["status"] = base["status"].str.lower().replace("", "open")
    for c in ("opened_at", "closed_at"):
        base[c] = pd.to_datetime(base[c], utc=True)
    return base.sort_values("case_id", kind="stable").reset_index(drop=True)


def _first_after(
    events: pd.DataFrame, after: pd.Series, how: str = "min"
) -> pd.Series:
    """Per case, min (or max) ``sent_at`` of ``events`` strictly after ``after[case_id]``."""
    t = events["sent_at"]
    ref = events["case_id"].map(after)
    sel = events[t.gt(ref).fillna(False).to_numpy(dtype=bool)]
    g = sel.groupby("case_id", sort=False)["sent_at"]
    return g.min() if how == "min" else g.max()


def _tm_frame(templates: Any) -> pd.DataFrame:
    """``message_id, reply_class, is_canned_repeat, template_id`` from a TemplateResult."""
    cols = ["message_id", "reply_class", "is_canned_repeat", "template_id"]
    if templates is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}).astype(
            {"message_id": "int64"}
        )
    src = templates.messages if hasattr(templates, "messages") else templates
    out = _templates_messages(None, src)  # type: ignore[arg-type]
    out["template_id"] = src["template_id"].to_numpy() if "template_id" in src.columns else np.nan
    return out


def _identical_denials(amazon: pd.DataFrame) -> pd.DataFrame:
    """Per case: size and first date of the largest group of denials sharing a template."""
    den = amazon[amazon["reply_class"].eq("denial") & amazon["template_id"].notna()]
    if den.empty:
        return pd.DataFrame(
            {"identical_denials": pd.Series(dtype="int64"),
             "identical_since": pd.Series(dtype="datetime64[ns, UTC]")}
        )
    g = den.groupby(["case_id", "template_id"], sort=True)["sent_at"].agg(["size", "min"])
    g = g.reset_index().sort_values(
        ["case_id", "size", "min"], ascending=[True, False, True], kind="stable"
    )
    top = g.drop_duplicates("case_id").set_index("case_id")
    return pd.DataFrame(
        {"identical_denials": top["size"].astype("int64"), "identical_since": top["min"]}
    )


def _facts(
    log: CaseLog,
    as_of: pd.Timestamp | None,
    rules: ReadinessRules,
    templates: Any,
    esc: pd.DataFrame,
) -> pd.DataFrame:
    """One row per case with every fact the verdict needs (vectorised)."""
    base = _case_table(log)
    idx = pd.Index(base["case_id"], name="case_id")
    f = base.set_index("case_id")
    m = log.messages
    if as_of is not None and len(m):
        m = m[m["sent_at"].le(as_of)]

    seller = m[m["direction"].eq("seller")]
    amazon = m[m["direction"].eq("amazon")][["message_id", "case_id", "sent_at"]]
    amazon = amazon.merge(_tm_frame(templates), on="message_id", how="left")
    for c, d in (("reply_class", "other"), ("is_canned_repeat", False)):
        if c not in amazon.columns:
            amazon[c] = d
    if "template_id" not in amazon.columns:
        amazon["template_id"] = np.nan
    amazon["reply_class"] = amazon["reply_class"].fillna("other").astype(str)
    amazon["is_canned_repeat"] = amazon["is_canned_repeat"].fillna(False).astype(bool)
    replies = amazon[amazon["reply_class"].ne("acknowledgement")]

    # seller side
    sg = seller.groupby("case_id", sort=False)
    f["n_seller"] = sg.size().reindex(idx).fillna(0).astype("int64")
    f["first_seller_at"] = sg["sent_at"].min().reindex(idx)
    f["last_seller_at"] = sg["sent_at"].max().reindex(idx)
    f["used_case_channel"] = (
        seller["channel"].eq("case").groupby(seller["case_id"]).any().reindex(idx)
        .fillna(False).astype(bool)
    )
    attach = pd.to_numeric(_col(seller, "attachments", 0), errors="coerce").fillna(0)
    f["seller_attachments"] = (
        attach.groupby(seller["case_id"]).sum().reindex(idx).fillna(0).astype("int64")
    )
    text = _col(seller, "subject") + "\n" + _col(seller, "body")
    poa = _col(seller, "kind").str.lower().isin(("poa", "appeal")) | text.str.contains(
        r"\bplan\s+of\s+action\b", case=False, regex=True
    )
    f["has_poa"] = poa.groupby(seller["case_id"]).any().reindex(idx).fillna(False).astype(bool)
    poa_at = seller.loc[poa[poa].index, ["case_id", "sent_at"]] if poa.any() else None
    f["poa_at"] = (
        poa_at.groupby("case_id")["sent_at"].max().reindex(idx)
        if poa_at is not None
        else pd.Series(pd.NaT, index=idx, dtype="datetime64[ns, UTC]")
    )

    # Amazon side
    ag = amazon.groupby("case_id", sort=False)
    f["n_amazon"] = ag.size().reindex(idx).fillna(0).astype("int64")
    f["last_amazon_at"] = replies.groupby("case_id")["sent_at"].max().reindex(idx)
    f["first_reply_at"] = _first_after(replies, f["first_seller_at"]).reindex(idx)
    f["first_followup_at"] = _first_after(seller, f["first_reply_at"]).reindex(idx)
    last = replies.sort_values(["case_id", "sent_at", "message_id"], kind="stable")
    last = last.drop_duplicates("case_id", keep="last").set_index("case_id")
    f["latest_class"] = last["reply_class"].reindex(idx).fillna("").astype("str")
    f["latest_canned"] = last["is_canned_repeat"].reindex(idx).fillna(False).astype(bool)
    info = replies[replies["reply_class"].eq("information request")]
    f["last_info_at"] = info.groupby("case_id")["sent_at"].max().reindex(idx)
    f["canned_repeats"] = (
        replies["is_canned_repeat"].groupby(replies["case_id"]).sum().reindex(idx).fillna(0)
        .astype("int64")
    )
    rep_den = replies["is_canned_repeat"] & replies["reply_class"].eq("denial")
    f["repeat_canned_denials"] = (
        rep_den.groupby(replies["case_id"]).sum().reindex(idx).fillna(0).astype("int64")
    )
    ident = _identical_denials(replies).reindex(idx)
    f["identical_denials"] = ident["identical_denials"].fillna(0).astype("int64")
    f["identical_since"] = pd.to_datetime(ident["identical_since"], utc=True)
    first_den = replies[replies["reply_class"].eq("denial")].groupby("case_id")["sent_at"].min()
    f["first_denial_at"] = first_den.reindex(idx)

    # escalations
    e = esc[esc["case_id"].isin(idx)] if len(esc) else esc
    eg = e.groupby("case_id", sort=False)
    f["n_escalations"] = eg.size().reindex(idx).fillna(0).astype("int64")
    f["highest_level"] = eg["level"].max().reindex(idx).fillna(0).astype("int64")
    l2 = e[e["level"].eq(2)]
    f["has_l2"] = l2.groupby("case_id").size().reindex(idx).fillna(0).gt(0)
    l2_failed = l2[l2["outcome"].isin(_FAILED_OUTCOMES)]
    f["l2_failed"] = l2_failed.groupby("case_id").size().reindex(idx).fillna(0).gt(0)
    f["l2_failed_at"] = l2_failed.groupby("case_id")["sent_at"].max().reindex(idx)
    l3 = e[e["level"].eq(3)]
    f["n_exec"] = l3.groupby("case_id").size().reindex(idx).fillna(0).astype("int64")
    if len(l3):
        repeat = exec_repeats(l3, m)
        run_id = (~repeat).astype("int64").groupby(l3["case_id"]).cumsum()
        runs = l3.assign(_run=run_id.to_numpy()).groupby(["case_id", "_run"]).agg(
            run=("level", "size"), run_last=("sent_at", "max")
        )
        runs = runs.reset_index().sort_values(
            ["case_id", "run", "run_last"], ascending=[True, False, False], kind="stable"
        ).drop_duplicates("case_id").set_index("case_id")
        f["exec_run"] = runs["run"].reindex(idx).fillna(0).astype("int64")
        f["exec_run_last"] = runs["run_last"].reindex(idx)
    else:
        f["exec_run"] = 0
        f["exec_run_last"] = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns, UTC]")

    # main Amazon team (for the level-2 target)
    am_team = m[m["direction"].eq("amazon")]
    if len(am_team):
        counts = am_team.groupby(["case_id", "team"], sort=True).size().rename("n").reset_index()
        counts = counts.sort_values(["case_id", "n"], ascending=[True, False], kind="stable")
        f["main_team"] = counts.drop_duplicates("case_id").set_index("case_id")["team"].reindex(
            idx
        ).fillna("").astype("str")
    else:
        f["main_team"] = ""

    for c in ("first_seller_at", "last_seller_at", "last_amazon_at", "first_reply_at",
              "first_followup_at", "last_info_at", "first_denial_at", "l2_failed_at",
              "exec_run_last", "poa_at"):
        f[c] = pd.to_datetime(f[c], utc=True)
    if as_of is not None:
        f["hours_since_last_seller"] = (as_of - f["last_seller_at"]).dt.total_seconds() / 3600.0
    else:
        f["hours_since_last_seller"] = np.nan
    return f


# ---------------------------------------------------------------------------------------------
# readiness


def readiness(
    log: CaseLog,
    *,
    as_of: Any = None,
    rules: ReadinessRules | None = None,
    templates: Any = None,
    escalations: pd.DataFrame | None = None,
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
        :func:`caselog.templates.find_templates` of ``log`` (reply classes, canned repeats);
        computed when not given.
    escalations : pandas.DataFrame, optional
        :func:`caselog.escalations` of ``log``; computed when not given.

    Returns
    -------
    pandas.DataFrame
        One row per case, sorted by ``case_id``: ``case_id, account, category, status,
        verdict`` (``ready`` / ``not yet`` / ``not advisable`` / ``closed``), ``reasons``
        (plain words with the facts, ``"; "``-joined), ``facts`` (counts and dates of the
        case), ``missing`` (prerequisites still missing, ``""`` if none), ``next_step``,
        ``target_level`` (Int64: 2 or 3 for open cases that may be escalated, NA otherwise),
        ``target``, ``urgency`` (float, higher first: ready > not yet > not advisable > closed,
        then repeat canned denials, then hours waiting), ``canned_repeats,
        repeat_canned_denials, last_seller_at, last_amazon_at`` (last Amazon reply, not counting
        acknowledgements), ``hours_since_last_seller, pending_information_request_at,
        highest_level`` (0 when the case has no escalation).

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
    as_of_ts = _resolve_as_of(m, as_of)
    if templates is None and (m["direction"].eq("amazon")).any():
        from .templates import find_templates

        templates = find_templates(log)
    if escalations is None:
        escalations = _escalations(
            log, as_of=as_of_ts, templates=templates, wait_hours=rules.wait_hours
        )
    f = _facts(log, as_of_ts, rules, templates, escalations)
    return _verdicts(f, rules)


def _verdicts(f: pd.DataFrame, rules: ReadinessRules) -> pd.DataFrame:
    idx = f.index
    w = float(rules.wait_hours)
    wtxt = f"{rules.wait_hours:g} h"
    hours = f["hours_since_last_seller"]
    has_seller = f["last_seller_at"].notna()
    answered = f["last_amazon_at"].gt(f["last_seller_at"]).fillna(False)
    unanswered = has_seller & ~answered
    never_replied = f["first_reply_at"].isna()
    followed_up = f["first_followup_at"].notna()

    closed = f["status"].eq("closed")
    routine = f["category"].isin(rules.routine_categories)
    burned = f["exec_run"].gt(rules.max_exec_without_new_material)

    pending = f["last_info_at"].notna() & (
        f["last_info_at"].gt(f["last_seller_at"]).fillna(True)
    )
    no_channel = ~f["used_case_channel"]
    needs_poa = f["category"].isin(rules.poa_categories)
    no_poa = needs_poa & ~f["has_poa"]
    no_attach = needs_poa & f["seller_attachments"].eq(0)
    waited = hours.ge(w).fillna(False)
    no_followup = ~followed_up & ~(never_replied & has_seller & waited)
    in_window = unanswered & hours.lt(w).fillna(False)
    blocked = pending | no_channel | no_poa | no_attach | no_followup | in_window

    trig_denials = f["repeat_canned_denials"].ge(rules.min_repeat_denials)
    trig_silence = unanswered & waited
    latest_after_followup = f["last_amazon_at"].gt(f["first_followup_at"]).fillna(False)
    trig_loop = (
        (f["latest_class"].eq("deflection") | f["latest_canned"]) & latest_after_followup
    )
    triggered = trig_denials | trig_silence | trig_loop

    is_closed = closed.to_numpy()
    is_na = (~closed & (routine | burned)).to_numpy()
    is_blocked = (~closed & ~routine & ~burned & blocked).to_numpy()
    is_ready = (~closed & ~routine & ~burned & ~blocked & triggered).to_numpy()
    verdict = np.select(
        [is_closed, is_na, is_blocked, is_ready],
        ["closed", "not advisable", "not yet", "ready"],
        default="not yet",
    )
    verdict = pd.Series(verdict, index=idx, dtype="str")
    still = verdict.eq("not yet") & ~blocked

    # ---- texts
    d = _fmt_date
    dt_ = _fmt_dt
    closed_txt = pd.Series("case closed", index=idx, dtype="str")
    closed_txt = closed_txt.mask(
        f["closed_at"].notna(), "case closed on " + d(f["closed_at"])
    )
    exec_txt = (
        _plural(f["exec_run"], "executive escalation")
        + " without new material between them (last "
        + d(f["exec_run_last"])
        + ")"
    )
    pending_txt = "information request of " + d(f["last_info_at"]) + " not answered"
    channel_txt = pd.Series(
        "standard channel never used: no message in the Seller Central case thread",
        index=idx, dtype="str",
    )
    poa_txt = pd.Series("no plan of action submitted", index=idx, dtype="str")
    attach_txt = pd.Series("no documents attached to any message", index=idx, dtype="str")
    followup_txt = pd.Series(
        np.where(
            f["first_reply_at"].notna(),
            "no follow-up in the case thread after Amazon's reply of ",
            "no follow-up yet; Amazon has not replied",
        ),
        index=idx, dtype="str",
    ) + d(f["first_reply_at"])
    window_txt = (
        "last message of " + dt_(f["last_seller_at"]) + " is " + _fmt_hours(hours)
        + " h old, inside the " + wtxt + " window"
    )
    last_kind = pd.Series(
        np.where(followed_up & f["first_followup_at"].le(f["last_seller_at"]).fillna(False),
                 "follow-up", "message"),
        index=idx, dtype="str",
    )
    last_kind = last_kind.mask(f["first_followup_at"].isna(), "message")
    denial_n = f["identical_denials"].where(
        f["identical_denials"].gt(f["repeat_canned_denials"]),
        f["repeat_canned_denials"] + 1,
    )
    since = f["identical_since"].where(f["identical_since"].notna(), f["first_denial_at"])
    denials_txt = (
        denial_n.astype("int64").astype(str) + " identical denials since " + d(since)
        + " (" + _plural(f["repeat_canned_denials"], "repeat canned denial") + ")"
    )
    silence_txt = (
        "no reply for " + _fmt_hours(hours) + " h after " + last_kind + " of "
        + dt_(f["last_seller_at"])
    )
    loop_kind = pd.Series(
        np.where(f["latest_class"].eq("deflection"), "a deflection", "a canned repeat"),
        index=idx, dtype="str",
    )
    loop_txt = (
        "latest answer (" + d(f["last_amazon_at"]) + ") is " + loop_kind
        + " after the follow-up of " + d(f["first_followup_at"])
    )
    still_txt = pd.Series(
        "standard channel still answering", index=idx, dtype="str"
    ) + pd.Series(
        np.where(f["last_amazon_at"].notna(), ": latest reply of ", ""), index=idx, dtype="str"
    ) + d(f["last_amazon_at"]) + pd.Series(
        np.where(f["latest_class"].ne(""), " (" + f["latest_class"] + ")", ""),
        index=idx, dtype="str",
    )
    routine_txt = pd.Series(
        "routine inquiry: not escalation material", index=idx, dtype="str"
    )

    open_ = ~closed
    reasons = _join(
        [
            _part(closed, closed_txt, idx),
            _part(open_ & routine, routine_txt, idx),
            _part(open_ & burned, "bridges burned: " + exec_txt, idx),
            _part(is_blocked, _part(pending, pending_txt, idx), idx),
            _part(is_blocked, _part(no_channel, channel_txt, idx), idx),
            _part(is_blocked, _part(no_poa, poa_txt, idx), idx),
            _part(is_blocked, _part(no_attach, attach_txt, idx), idx),
            _part(is_blocked, _part(no_followup, followup_txt, idx), idx),
            _part(is_blocked, _part(in_window, window_txt, idx), idx),
            _part(is_ready & trig_denials, denials_txt, idx),
            _part(is_ready & trig_silence, silence_txt, idx),
            _part(is_ready & trig_loop, loop_txt, idx),
            _part(still, still_txt, idx),
        ],
        "; ",
        idx,
    )

    window_end = f["last_seller_at"] + pd.Timedelta(hours=w)
    missing = _join(
        [
            _part(pending, "answer to the information request of " + d(f["last_info_at"]), idx),
            _part(no_channel, "a message in the Seller Central case thread", idx),
            _part(no_poa, "a plan of action", idx),
            _part(no_attach, "supporting documents (invoices, supplier details)", idx),
            _part(no_followup, "a follow-up in the case thread", idx),
            _part(in_window, wtxt + " without an answer (until " + dt_(window_end) + ")", idx),
        ],
        "; ",
        idx,
    ).where(is_blocked, "")

    # ---- target
    level3 = f["l2_failed"] | f["n_exec"].gt(0)
    tl = pd.array(np.where(level3, 3, 2), dtype="Int64")
    team = f["main_team"]
    l2_target = pd.Series(
        np.select(
            [team.eq("Product Quality"), team.eq("Seller Performance")
             | f["category"].isin(rules.poa_categories)],
            ["Product Quality manager", "Seller Performance manager"],
            default="Captive Team",
        ),
        index=idx, dtype="str",
    )
    target = l2_target.mask(level3, "Executive Seller Relations")
    can_target = pd.Series(verdict.isin(["ready", "not yet"]).to_numpy(), index=idx)
    target_level = pd.Series(tl, index=idx).where(can_target, pd.NA).astype("Int64")
    target = target.where(can_target, "")

    # ---- next step
    first_block = np.select(
        [pending, no_channel, no_poa, no_attach, no_followup, in_window],
        [
            "answer Amazon's information request of " + d(f["last_info_at"])
            + " with everything it asks for",
            "open a case in Seller Central (Help > Get Support) and state the issue there",
            "submit a complete plan of action (root cause, corrective and preventive actions)",
            "attach the supporting documents (invoices within 180 days, supplier details)",
            "follow up politely in the same case thread",
            "wait until " + dt_(window_end) + " for an answer, then follow up in the thread",
        ],
        default="",
    )
    esc_step = (
        "escalate to " + target + " (level " + target_level.astype(str) + ")"
        + pd.Series(np.where(f["n_exec"].gt(0), " with new material only", ""),
                    index=idx, dtype="str")
        + ": send the brief with the case ID, the actions taken, the repeated replies and the"
        " documents"
    )
    next_step = pd.Series(
        np.select(
            [is_closed, (open_ & routine).to_numpy(), is_na, is_blocked, is_ready],
            [
                "none: the case is closed",
                "handle it with Seller Support; a routine inquiry is not escalation material",
                "do not escalate again with the same material: prepare a new plan of action or "
                "new documents first",
                first_block,
                esc_step.to_numpy(),
            ],
            default="keep following up in the case thread; escalate if replies turn canned or "
            "stop for " + wtxt,
        ),
        index=idx, dtype="str",
    )

    # ---- facts
    facts = _join(
        [
            f["n_seller"].astype(str) + " seller / " + f["n_amazon"].astype(str)
            + " Amazon messages",
            _part(f["canned_repeats"].gt(0), _plural(f["canned_repeats"], "canned repeat"), idx),
            _part(f["repeat_canned_denials"].gt(0),
                  _plural(f["repeat_canned_denials"], "repeat canned denial"), idx),
            _part(has_seller, "last seller message " + dt_(f["last_seller_at"]) + " ("
                  + _fmt_hours(hours) + " h ago)", idx),
            _part(f["last_amazon_at"].notna(), "last Amazon reply " + dt_(f["last_amazon_at"]),
                  idx),
            _part(f["n_escalations"].gt(0), _plural(f["n_escalations"], "escalation")
                  + ", highest level " + f["highest_level"].astype(str), idx),
            _part(f["seller_attachments"].gt(0),
                  _plural(f["seller_attachments"], "attachment") + " sent", idx),
        ],
        "; ",
        idx,
    )

    # ---- urgency: verdict rank, then repeat denials, then hours waiting
    rank = pd.Series(verdict.map({"ready": 3, "not yet": 2, "not advisable": 1, "closed": 0}),
                     index=idx).astype("float64")
    urgency = (
        rank * 1e6
        + np.minimum(f["repeat_canned_denials"].astype("float64"), 99) * 1e4
        + np.minimum(hours.fillna(0).clip(lower=0), 9999.0)
    ).where(open_, 0.0)

    pending_at = f["last_info_at"].where(pending)
    out = pd.DataFrame(
        {
            "case_id": idx.astype(str),
            "account": f["account"].to_numpy(),
            "category": f["category"].to_numpy(),
            "status": f["status"].to_numpy(),
            "verdict": verdict.to_numpy(),
            "reasons": reasons.to_numpy(),
            "facts": facts.to_numpy(),
            "missing": missing.to_numpy(),
            "next_step": next_step.to_numpy(),
            "target_level": target_level.array,
            "target": target.to_numpy(),
            "urgency": urgency.to_numpy(dtype="float64"),
            "canned_repeats": f["canned_repeats"].to_numpy(),
            "repeat_canned_denials": f["repeat_canned_denials"].to_numpy(),
            "last_seller_at": f["last_seller_at"].to_numpy(),
            "last_amazon_at": f["last_amazon_at"].to_numpy(),
            "hours_since_last_seller": hours.to_numpy(dtype="float64"),
            "pending_information_request_at": pending_at.to_numpy(),
            "highest_level": f["highest_level"].to_numpy(),
        }
    )
    for c in ("last_seller_at", "last_amazon_at", "pending_information_request_at"):
        out[c] = pd.to_datetime(out[c], utc=True)
    for c in ("case_id", "account", "category", "status", "verdict", "reasons", "facts",
              "missing", "next_step", "target"):
        out[c] = out[c].astype("str")
    return out.reset_index(drop=True)


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
        The rows of ``ready_frame`` whose verdict is in ``verdicts``, sorted by ``urgency``
        (descending; ready cases first), ties by ``case_id`` (stable), index reset.
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
    q = q.sort_values("case_id", kind="stable")
    q = q.sort_values("urgency", ascending=False, kind="stable")
    return q.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# brief


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


_DESIRED = {
    "Account suspension": "reinstatement of the account",
    "Policy violation": "removal of the policy violation and of its effect on the account health",
    "Delayed payment": "release of the withheld payment",
    "Listing suppression": "reactivation of the suppressed listing(s)",
    "Technical problem": "a fix of the technical problem",
}


def brief(
    log: CaseLog,
    case_id: str,
    *,
    as_of: Any = None,
    rules: ReadinessRules | None = None,
    templates: Any = None,
) -> str:
    """A Markdown escalation brief for one case (DOMAIN rule 7, seed 000 §4, seed 002).

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
    case_id = str(case_id)
    known = pd.Index(log.cases["case_id"]).union(pd.Index(log.messages["case_id"].unique()))
    if case_id not in known:
        close = difflib.get_close_matches(case_id, [str(k) for k in known], n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise CaseNotFoundError(f"case {case_id!r} is not in the case log{hint}", column="case_id")
    rules = ReadinessRules() if rules is None else rules
    sub = log.subset([case_id])
    as_of_ts = _resolve_as_of(log.messages, as_of)
    if templates is None and sub.messages["direction"].eq("amazon").any():
        from .templates import find_templates

        templates = find_templates(sub)
    elif templates is not None:
        tmsg = templates.messages if hasattr(templates, "messages") else templates
        templates = tmsg[tmsg["message_id"].isin(sub.messages["message_id"])]
    esc = _escalations(sub, as_of=as_of_ts, templates=templates, wait_hours=rules.wait_hours)
    r = readiness(sub, as_of=as_of_ts, rules=rules, templates=templates, escalations=esc)
    row = r[r["case_id"].eq(case_id)].iloc[0]

    m = sub.messages
    if as_of_ts is not None:
        m = m[m["sent_at"].le(as_of_ts)]
    m = m.sort_values(["sent_at", "message_id"], kind="stable")
    cases = sub.cases
    case = cases.iloc[0] if len(cases) else None
    category = row["category"]
    account = row["account"]
    asins = str(case["asins"]) if case is not None and "asins" in case.index else ""
    opened = case["opened_at"] if case is not None and "opened_at" in case.index else pd.NaT
    if pd.isna(opened) and len(m):
        opened = m["sent_at"].min()

    tm = pd.DataFrame(columns=["message_id", "reply_class", "is_canned_repeat", "template_id"])
    if templates is not None:
        src = templates.messages if hasattr(templates, "messages") else templates
        keep = [c for c in ("message_id", "reply_class", "is_canned_repeat", "template_id")
                if c in src.columns]
        tm = src[keep]
    am = m[m["direction"].eq("amazon")].merge(tm, on="message_id", how="left")
    if "reply_class" not in am.columns:
        am["reply_class"] = "other"
    am["reply_class"] = am["reply_class"].fillna("other")
    if "is_canned_repeat" not in am.columns:
        am["is_canned_repeat"] = False
    am["is_canned_repeat"] = am["is_canned_repeat"].fillna(False).astype(bool)
    seller = m[m["direction"].eq("seller")]
    esc_ids = set(esc["message_id"].tolist())

    cat_word = category if category and category != "Unknown" else "[add: issue type]"
    lines: list[str] = [f"# Escalation brief: case {case_id}", ""]
    lines += [
        "**Suggested subject:** " f"Case {case_id} – {cat_word} – request for senior review",
        "",
        "## Opening",
        "",
        f"We are asking for a senior review of case {case_id} ({cat_word.lower()}), which the "
        "standard support channel has not resolved and which affects our business operations.",
        "",
        "## Overview",
        "",
        f"- Account: {account}",
        f"- Category: {cat_word}",
        f"- ASINs: {asins if asins else '[add: affected ASINs]'}",
        f"- Case opened: {_d(opened)}",
        f"- Status: {row['status']}",
        "- Issue in two or three sentences: [add: what happened and what it affects]",
        "",
        "## Actions already taken",
        "",
    ]
    if seller.empty:
        lines.append("- [add: the messages sent to Amazon about this case]")
    for _, s in seller.iterrows():
        kind = str(s.get("kind", "") or "")
        label = "Escalation" if s["message_id"] in esc_ids else (kind.capitalize() or "Message")
        chan = str(s.get("channel", "") or "")
        team = str(s.get("team", "") or "")
        att = int(s.get("attachments", 0) or 0)
        extra = f", {att} attachment{'s' if att != 1 else ''}" if att else ""
        subj = str(s.get("subject", "") or "")
        what = _snippet(subj or s.get("body", ""), 70)
        lines.append(
            f"- {_dt(s['sent_at'])}: {label} to {team or '[add: team]'} via {chan or 'case'}"
            f"{extra}" + (f" — “{what}”" if what else "")
        )
    lines += ["", "## Why the responses do not resolve the case", ""]
    why: list[str] = []
    if len(am) and "template_id" in am.columns and am["template_id"].notna().any():
        reps = am[am["reply_class"].ne("acknowledgement")].groupby("template_id", sort=False)
        for _, g in reps:
            if len(g) > 1:
                dates = ", ".join(_d(t) for t in g["sent_at"])
                cls = g["reply_class"].iloc[0]
                why.append(
                    f"- The same {cls} text was sent {len(g)} times ({dates}): "
                    f"“{_snippet(g['body'].iloc[0], 80)}”"
                )
    elif am["is_canned_repeat"].any():
        rep = am[am["is_canned_repeat"]]
        why.append(
            f"- {len(rep)} replies repeat an earlier template ("
            + ", ".join(_d(t) for t in rep["sent_at"]) + ")"
        )
    # delays: each seller message -> first non-ack Amazon reply after it
    replies = am[am["reply_class"].ne("acknowledgement")]
    for _, s in seller.iterrows():
        later = replies[replies["sent_at"].gt(s["sent_at"])]
        if later.empty:
            if as_of_ts is not None:
                h = (as_of_ts - s["sent_at"]).total_seconds() / 3600
                if h >= rules.wait_hours and s["sent_at"] == seller["sent_at"].max():
                    why.append(
                        f"- No reply for {int(h)} h after our message of {_dt(s['sent_at'])}"
                    )
        else:
            nxt = later.iloc[0]
            h = (nxt["sent_at"] - s["sent_at"]).total_seconds() / 3600
            if h >= rules.wait_hours:
                why.append(
                    f"- Our message of {_dt(s['sent_at'])} waited {int(h)} h for a reply "
                    f"({_d(nxt['sent_at'])})"
                )
    defl = replies[replies["reply_class"].eq("deflection")]
    for _, a in defl.iterrows():
        why.append(f"- {_d(a['sent_at'])}: the reply only redirected us "
                   f"(“{_snippet(a['body'], 80)}”)")
    for _, e in esc.iterrows():
        why.append(
            f"- Escalation of {_d(e['sent_at'])} to {e['target']} (level {e['level']}): "
            f"{e['outcome']}"
            + (f" after {int(e['hours_to_outcome'])} h" if pd.notna(e["hours_to_outcome"]) else "")
        )
    if not why:
        why.append("- [add: why the replies received do not address the case]")
    lines += why
    lines += [
        "- What Amazon has not explained: [add: the missing reason or the evidence not "
        "reviewed]",
        "",
        "## Desired outcome",
        "",
        f"- {_DESIRED.get(category, '[add: the outcome you ask for]')}"
        + (" of " + asins if asins and category == "Listing suppression" else ""),
        "",
        "## Attachments",
        "",
    ]
    att = seller[pd.to_numeric(seller.get("attachments", 0), errors="coerce").fillna(0).gt(0)]
    if att.empty:
        lines.append("- Sent so far: none")
    else:
        for _, s in att.iterrows():
            lines.append(
                f"- Sent {_d(s['sent_at'])}: {int(s['attachments'])} document(s)"
                + (f" with “{_snippet(s['subject'], 60)}”" if s.get("subject", "") else "")
            )
    poa_needed = category in rules.poa_categories
    has_poa = bool(
        material_flags(seller).any()
        and (
            _col(seller, "kind").str.lower().isin(("poa", "appeal")).any()
            or (_col(seller, "subject") + " " + _col(seller, "body"))
            .str.contains(r"plan\s+of\s+action", case=False, regex=True)
            .any()
        )
    )
    if poa_needed and not has_poa:
        lines.append("- [add: plan of action (root cause, corrective and preventive actions)]")
    if poa_needed or category in ("Listing suppression", "Policy violation"):
        lines.append("- [add: invoices issued within the last 180 days]")
        lines.append("- [add: supplier details (name, phone, address, website)]")
    if category == "Delayed payment":
        lines.append("- [add: settlement report and bank statement for the held amount]")
    if category == "Technical problem":
        lines.append("- [add: screenshots of the error with dates]")
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
