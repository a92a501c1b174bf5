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

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import CaseNotFoundError, ConfigError, SchemaError
from .escalations import (
    _POA_TEXT,
    _col,
    _resolve_as_of,
    _templates_messages,
    case_order,
    rx_contains,
)
from .escalations import escalations as _escalations

if TYPE_CHECKING:  # pragma: no cover
    from .model import CaseLog

__all__ = [
    "ReadinessRules",
    "readiness",
    "readiness_queue",
    "brief",
    "briefs",
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


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec")
_HM = np.array([f" {h:02d}:{mi:02d} UTC" for h in range(24) for mi in range(60)], dtype=object)
_DAY_NS = 86_400_000_000_000


def _fmt_ns(ns: np.ndarray, with_time: bool) -> np.ndarray:
    """int64 ns (int64 min = NaT) -> '2 Mar 2026' or '2 Mar 2026 10:15 UTC' ('' for NaT).

    Each distinct day is formatted once; the clock comes from a 1440-entry table.
    """
    ns = np.asarray(ns, dtype="int64")
    out = np.full(len(ns), "", dtype=object)
    ok = ns != np.iinfo("int64").min
    if ok.any():
        v = ns[ok]
        day = v // _DAY_NS
        uday, inv = np.unique(day, return_inverse=True)
        stamps = pd.DatetimeIndex((uday * _DAY_NS).view("datetime64[ns]"))
        labels = np.array(
            [f"{t.day} {_MONTHS[t.month]} {t.year}" for t in stamps], dtype=object
        )
        text = labels[inv.reshape(-1)]
        if with_time:
            minute = (v - day * _DAY_NS) // 60_000_000_000
            text = text + _HM[minute]
        out[ok] = text
    return out


def _int_text(x: np.ndarray) -> np.ndarray:
    """Whole numbers as text (object array)."""
    return np.asarray(x).astype("int64").astype(str).astype(object)


def _plural_obj(k: np.ndarray, word: str, words: str | None = None) -> np.ndarray:
    words = words or word + "s"
    return _int_text(k) + np.where(np.asarray(k) == 1, " " + word, " " + words).astype(object)


def _join_obj(parts: list[np.ndarray], sep: str = "; ") -> np.ndarray:
    """Join the non-empty strings of ``parts`` row-wise with ``sep`` (object arrays)."""
    out = np.asarray(parts[0], dtype=object).copy()
    for p in parts[1:]:
        p = np.asarray(p, dtype=object)
        has = p != ""
        if not has.any():
            continue
        glue = np.where((out != "") & has, sep, "").astype(object)
        out = np.where(has, out + glue + p, out)
    return out


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


_NAT = np.iinfo("int64").min
_BIG = np.iinfo("int64").max


def _ns(ts: pd.Series) -> np.ndarray:
    """UTC timestamps as int64 nanoseconds (NaT = int64 min)."""
    s = pd.to_datetime(ts, utc=True)
    return np.asarray(s.dt.as_unit("ns").array.asi8, dtype="int64")


def _to_ts(ns: np.ndarray, index: pd.Index) -> pd.Series:
    """int64 nanoseconds (int64 min = NaT) back to a UTC datetime Series."""
    return pd.Series(ns.view("datetime64[ns]"), index=index).dt.tz_localize("UTC")


def _gmax(code: np.ndarray, vals: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, _NAT, dtype="int64")
    np.maximum.at(out, code[mask], vals[mask])
    return out


def _gmin(code: np.ndarray, vals: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, _BIG, dtype="int64")
    np.minimum.at(out, code[mask], vals[mask])
    out[out == _BIG] = _NAT
    return out


def _gcount(code: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(code[mask], minlength=n).astype("int64")


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
    return out.drop_duplicates("message_id")


_CLASSES = ("acceptance", "denial", "information request", "deflection", "acknowledgement",
            "other")
_C_DENIAL, _C_INFO, _C_DEFLECT, _C_ACK = 1, 2, 3, 4


def _facts(
    log: CaseLog,
    as_of: pd.Timestamp | None,
    rules: ReadinessRules,
    templates: Any,
    esc: pd.DataFrame,
) -> pd.DataFrame:
    """One row per case with every fact the verdict needs.

    Cases are numbered once (``code``); every per-case figure is a numpy reduction over the
    messages by that code (``bincount``, ``maximum.at``), with no per-case Python loop.
    """
    base = _case_table(log)
    idx = pd.Index(base["case_id"], name="case_id")
    n = len(idx)
    f = base.set_index("case_id")
    m = log.messages
    if as_of is not None and len(m):
        keep = m["sent_at"].le(as_of)
        if not keep.all():
            m = m[keep]
    m = m.reset_index(drop=True)

    code = idx.get_indexer(m["case_id"]).astype("int64")
    t = _ns(m["sent_at"])
    mid = m["message_id"].to_numpy(dtype="int64")
    direction = m["direction"].to_numpy(dtype=object)
    is_seller = direction == "seller"
    is_amazon = direction == "amazon"
    channel = _col(m, "channel").to_numpy(dtype=object)
    kind = _col(m, "kind").str.lower()
    attach = pd.to_numeric(_col(m, "attachments", 0), errors="coerce").fillna(0).to_numpy()

    # reply classes and canned flags of the Amazon messages
    tmf = _tm_frame(templates)
    pos = pd.Index(tmf["message_id"]).get_indexer(mid)
    has = pos >= 0
    cls_codes = pd.Categorical(tmf["reply_class"], categories=list(_CLASSES)).codes
    cls = np.full(len(m), 5, dtype="int64")  # "other"
    cls[has] = np.where(cls_codes[pos[has]] < 0, 5, cls_codes[pos[has]])
    canned = np.zeros(len(m), dtype=bool)
    canned[has] = tmf["is_canned_repeat"].to_numpy(dtype=bool)[pos[has]]
    tpl_codes = pd.factorize(tmf["template_id"], use_na_sentinel=True)[0]
    tpl = np.full(len(m), -1, dtype="int64")
    tpl[has] = tpl_codes[pos[has]]
    cls = np.where(is_amazon, cls, -1)
    canned &= is_amazon
    is_reply = is_amazon & (cls != _C_ACK)

    # seller side
    kind_poa = kind.isin(("poa", "appeal")).to_numpy()
    kind_mat = kind.isin(("poa", "documents", "appeal")).to_numpy()
    need = is_seller & ~kind_poa  # only these need a text search
    poa_text = np.zeros(len(m), dtype=bool)
    poa_word = np.zeros(len(m), dtype=bool)
    if need.any():
        rows = np.flatnonzero(need)
        sub = m[["subject", "body"]].iloc[rows] if "body" in m.columns else m.iloc[rows]
        hit = rows[rx_contains(_col(sub, "subject") + "\n" + _col(sub, "body"),
                               _POA_TEXT).to_numpy()]
        if len(hit):
            sub = m[["subject", "body"]].iloc[hit] if "body" in m.columns else m.iloc[hit]
            poa_word[hit] = True
            poa_text[hit] = rx_contains(_col(sub, "subject") + "\n" + _col(sub, "body"),
                                        r"\bplan\s+of\s+action\b").to_numpy()
    poa = is_seller & (kind_poa | poa_text)
    material = is_seller & ((attach > 0) | kind_mat | poa_word)
    first_seller = _gmin(code, t, is_seller, n)
    last_seller = _gmax(code, t, is_seller, n)
    f["n_seller"] = _gcount(code, is_seller, n)
    f["used_case_channel"] = _gcount(code, is_seller & (channel == "case"), n) > 0
    f["seller_attachments"] = np.bincount(
        code[is_seller], weights=attach[is_seller], minlength=n
    ).astype("int64")
    f["has_poa"] = _gcount(code, poa, n) > 0

    # Amazon side
    fs = first_seller[code]
    first_reply = _gmin(code, t, is_reply & (fs != _NAT) & (t > fs), n)
    fr = first_reply[code]
    first_followup = _gmin(code, t, is_seller & (fr != _NAT) & (t > fr), n)
    f["n_amazon"] = _gcount(code, is_amazon, n)
    last_amazon = _gmax(code, t, is_reply, n)
    # latest reply: the last reply row of each case in (code, sent_at, message_id) order
    order = case_order(code, t, mid)
    rows = order[is_reply[order]]
    latest_cls = np.full(n, -1, dtype="int64")
    latest_canned = np.zeros(n, dtype=bool)
    if len(rows):
        rc = code[rows]
        last_pos = np.r_[rc[1:] != rc[:-1], True]
        latest_cls[rc[last_pos]] = cls[rows[last_pos]]
        latest_canned[rc[last_pos]] = canned[rows[last_pos]]
    f["latest_class"] = pd.Series(
        np.array(list(_CLASSES) + [""], dtype=object)[latest_cls], index=idx, dtype="str"
    )
    f["latest_canned"] = latest_canned
    last_info = _gmax(code, t, is_reply & (cls == _C_INFO), n)
    f["canned_repeats"] = _gcount(code, canned, n)
    f["repeat_canned_denials"] = _gcount(code, canned & (cls == _C_DENIAL), n)
    denial = is_reply & (cls == _C_DENIAL)
    first_denial = _gmin(code, t, denial, n)
    # the largest group of denials sharing a template, and its first date
    ident_n = np.zeros(n, dtype="int64")
    ident_since = np.full(n, _NAT, dtype="int64")
    dmask = denial & (tpl >= 0)
    if dmask.any():
        g = pd.DataFrame({"c": code[dmask], "k": tpl[dmask], "t": t[dmask]})
        g = g.groupby(["c", "k"], sort=True)["t"].agg(["size", "min"]).reset_index()
        g = g.sort_values(["c", "size", "min"], ascending=[True, False, True], kind="stable")
        g = g.drop_duplicates("c")
        ident_n[g["c"].to_numpy()] = g["size"].to_numpy()
        ident_since[g["c"].to_numpy()] = g["min"].to_numpy()
    f["identical_denials"] = ident_n

    # main Amazon team (for the level-2 target)
    team = _col(m, "team")
    tcodes, teams = pd.factorize(team, sort=True)
    nt = max(len(teams), 1)
    am = is_amazon & (tcodes >= 0)
    counts = np.bincount(code[am] * nt + tcodes[am], minlength=n * nt).reshape(n, nt)
    main = np.where(counts.sum(axis=1) > 0, counts.argmax(axis=1), -1)
    team_names = np.array(list(teams) + [""], dtype=object)
    f["main_team"] = pd.Series(team_names[main], index=idx, dtype="str")

    # escalations
    e = esc
    ecode = idx.get_indexer(e["case_id"]).astype("int64") if len(e) else np.zeros(0, "int64")
    keep = ecode >= 0
    level = e["level"].to_numpy(dtype="int64") if len(e) else np.zeros(0, "int64")
    outcome = e["outcome"].to_numpy(dtype=object) if len(e) else np.zeros(0, object)
    et = _ns(e["sent_at"]) if len(e) else np.zeros(0, "int64")
    f["n_escalations"] = _gcount(ecode, keep, n)
    hl = _gmax(ecode, level, keep, n)
    f["highest_level"] = np.where(hl == _NAT, 0, hl)
    is2 = keep & (level == 2)
    failed2 = is2 & np.isin(outcome, _FAILED_OUTCOMES)
    f["has_l2"] = _gcount(ecode, is2, n) > 0
    f["l2_failed"] = _gcount(ecode, failed2, n) > 0
    is3 = keep & (level == 3)
    f["n_exec"] = _gcount(ecode, is3, n)
    exec_run = np.zeros(n, dtype="int64")
    exec_last = _gmax(ecode, et, is3, n)
    if is3.any():
        # material sent up to and including each message, counted within its case
        ms = material[order].astype("int64")
        cs = np.cumsum(ms)
        cstart = np.r_[True, code[order][1:] != code[order][:-1]]
        seg = np.maximum.accumulate(np.where(cstart, np.arange(len(order)), 0))
        before = cs - ms
        cum_sorted = cs - before[seg]
        cum = np.empty(len(m), dtype="int64")
        cum[order] = cum_sorted
        e3 = pd.DataFrame({
            "c": ecode[is3], "t": et[is3],
            "pos": pd.Index(mid).get_indexer(e["message_id"].to_numpy()[is3]),
        }).sort_values(["c", "t"], kind="stable")
        e3_cum = np.where(e3["pos"].to_numpy() >= 0, cum[e3["pos"].to_numpy()], -1)
        c3 = e3["c"].to_numpy()
        same = np.r_[False, c3[1:] == c3[:-1]]
        prev_cum = np.r_[-2, e3_cum[:-1]]
        repeat = same & (e3_cum == prev_cum)
        run_id = np.cumsum(~repeat)
        run_len = np.bincount(run_id)[run_id]
        np.maximum.at(exec_run, c3, run_len)
    f["exec_run"] = exec_run

    for name, arr in (
        ("first_seller_at", first_seller), ("last_seller_at", last_seller),
        ("last_amazon_at", last_amazon), ("first_reply_at", first_reply),
        ("first_followup_at", first_followup), ("last_info_at", last_info),
        ("first_denial_at", first_denial), ("identical_since", ident_since),
        ("exec_run_last", exec_last),
    ):
        f[name] = _to_ts(arr, idx)
    if as_of is not None:
        now = pd.Timestamp(as_of).as_unit("ns").value
        f["hours_since_last_seller"] = np.where(
            last_seller == _NAT, np.nan, (now - last_seller) / 3.6e12
        )
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
        ``target``, ``urgency`` (float, higher first: ``rank * 1e6 + min(repeat canned denials,
        99) * 1e4 + min(hours since the last seller message, 9999)`` with rank 3 ready, 2 not
        yet, 1 not advisable; 0 for closed cases), ``canned_repeats,
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
    """Verdicts (numpy masks, rules in architecture order) and their texts.

    Texts are numpy object arrays built only for the rows that need them.
    """
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
    no_attach = needs_poa & (f["seller_attachments"].to_numpy() == 0)
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

    # ---- texts, built only where needed
    def on(mask: np.ndarray, build) -> np.ndarray:
        out = np.full(n, "", dtype=object)
        if mask.any():
            out[mask] = build(mask)
        return out

    def const(text: str):
        return lambda k: text

    def d(arr: np.ndarray, k: np.ndarray) -> np.ndarray:
        return _fmt_ns(arr[k], False)

    def dt(arr: np.ndarray, k: np.ndarray) -> np.ndarray:
        return _fmt_ns(arr[k], True)

    def h(k: np.ndarray) -> np.ndarray:
        return _int_text(np.floor(hours[k]))

    last_kind = np.where(followed_up & (first_followup <= last_seller), "follow-up", "message")
    denial_n = np.where(ident > rcd, ident, rcd + 1)
    reasons = _join_obj(
        [
            on(closed & (closed_at != _NAT), lambda k: "case closed on " + d(closed_at, k)),
            on(closed & (closed_at == _NAT), const("case closed")),
            on(open_ & routine, const("routine inquiry: not escalation material")),
            on(open_ & burned, lambda k: "bridges burned: "
               + _plural_obj(exec_run[k], "executive escalation")
               + " without new material between them (last " + d(exec_last, k) + ")"),
            on(is_blocked & pending,
               lambda k: "information request of " + d(last_info, k) + " not answered"),
            on(is_blocked & no_channel, const(
                "standard channel never used: no message in the Seller Central case thread")),
            on(is_blocked & no_poa, const("no plan of action submitted")),
            on(is_blocked & no_attach, const("no documents attached to any message")),
            on(is_blocked & no_followup & ~never_replied,
               lambda k: "no follow-up in the case thread after Amazon's reply of "
               + d(first_reply, k)),
            on(is_blocked & no_followup & never_replied,
               const("no follow-up yet; Amazon has not replied")),
            on(is_blocked & in_window,
               lambda k: "last message of " + dt(last_seller, k) + " is " + h(k)
               + " h old, inside the " + wtxt + " window"),
            on(is_ready & trig_denials,
               lambda k: _int_text(denial_n[k]) + " identical denials since " + d(since, k)
               + " (" + _plural_obj(rcd[k], "repeat canned denial") + ")"),
            on(is_ready & trig_silence,
               lambda k: "no reply for " + h(k) + " h after " + last_kind[k].astype(object)
               + " of " + dt(last_seller, k)),
            on(is_ready & trig_loop,
               lambda k: "latest answer (" + d(last_amazon, k) + ") is "
               + np.where(latest_class[k] == "deflection", "a deflection",
                          "a canned repeat").astype(object)
               + " after the follow-up of " + d(first_followup, k)),
            on(still & (last_amazon != _NAT),
               lambda k: "standard channel still answering: latest reply of "
               + d(last_amazon, k) + " (" + latest_class[k] + ")"),
            on(still & (last_amazon == _NAT), const("standard channel still answering")),
        ]
    )

    window_end = np.where(has_seller, last_seller + int(w * 3.6e12), _NAT)
    missing = _join_obj(
        [
            on(is_blocked & pending,
               lambda k: "answer to the information request of " + d(last_info, k)),
            on(is_blocked & no_channel, const("a message in the Seller Central case thread")),
            on(is_blocked & no_poa, const("a plan of action")),
            on(is_blocked & no_attach,
               const("supporting documents (invoices, supplier details)")),
            on(is_blocked & no_followup, const("a follow-up in the case thread")),
            on(is_blocked & in_window,
               lambda k: wtxt + " without an answer (until " + dt(window_end, k) + ")"),
        ]
    )

    # ---- target: level 2 until a level-2 escalation failed (or an executive one was made)
    level3 = f["l2_failed"].to_numpy(dtype=bool) | (n_exec > 0)
    team = f["main_team"].to_numpy(dtype=object)
    l2_target = np.select(
        [team == "Product Quality", (team == "Seller Performance") | needs_poa],
        ["Product Quality manager", "Seller Performance manager"],
        default="Captive Team",
    ).astype(object)
    can_target = is_ready | is_blocked | still
    target = np.where(can_target, np.where(level3, "Executive Seller Relations", l2_target), "")
    target = target.astype(object)
    tl = np.where(level3, 3, 2)
    target_level = pd.array(np.where(can_target, tl, 0), dtype="Int64")
    target_level[~can_target] = pd.NA

    # ---- next step
    blockers = [is_blocked & pending, is_blocked & no_channel, is_blocked & no_poa,
                is_blocked & no_attach, is_blocked & no_followup, is_blocked & in_window]
    first = np.select(blockers, list(range(6)), default=-1)
    next_step = np.full(n, "", dtype=object)
    next_step[closed] = "none: the case is closed"
    next_step[open_ & routine] = (
        "handle it with Seller Support; a routine inquiry is not escalation material"
    )
    next_step[open_ & ~routine & burned] = (
        "do not escalate again with the same material: prepare a new plan of action or new "
        "documents first"
    )
    next_step = np.where(first == 0, on(first == 0, lambda k: "answer Amazon's information "
                         "request of " + d(last_info, k) + " with everything it asks for"),
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
    next_step = np.where(first == 5, on(first == 5, lambda k: "wait until " + dt(window_end, k)
                         + " for an answer, then follow up in the thread"), next_step)
    next_step = np.where(
        is_ready,
        on(is_ready, lambda k: "escalate to " + target[k] + " (level " + _int_text(tl[k]) + ")"
           + np.where(n_exec[k] > 0, " with new material only", "").astype(object)
           + ": send the brief with the case ID, the actions taken, the repeated replies and "
           "the documents"),
        next_step,
    )
    next_step[still] = (
        "keep following up in the case thread; escalate if replies turn canned or stop for "
        + wtxt
    )

    # ---- facts
    n_seller = f["n_seller"].to_numpy(dtype="int64")
    n_amazon = f["n_amazon"].to_numpy(dtype="int64")
    canned = f["canned_repeats"].to_numpy(dtype="int64")
    n_esc = f["n_escalations"].to_numpy(dtype="int64")
    highest = f["highest_level"].to_numpy(dtype="int64")
    attach = f["seller_attachments"].to_numpy(dtype="int64")
    facts = _join_obj(
        [
            _int_text(n_seller) + " seller / " + _int_text(n_amazon) + " Amazon messages",
            on(canned > 0, lambda k: _plural_obj(canned[k], "canned repeat")),
            on(rcd > 0, lambda k: _plural_obj(rcd[k], "repeat canned denial")),
            on(has_seller, lambda k: "last seller message " + dt(last_seller, k) + " ("
               + h(k) + " h ago)"),
            on(last_amazon != _NAT, lambda k: "last Amazon reply " + dt(last_amazon, k)),
            on(n_esc > 0, lambda k: _plural_obj(n_esc[k], "escalation") + ", highest level "
               + _int_text(highest[k])),
            on(attach > 0, lambda k: _plural_obj(attach[k], "attachment") + " sent"),
        ]
    )

    # ---- urgency: verdict rank, then repeat denials, then hours waiting
    rank = np.select([is_ready, is_blocked | still, is_na], [3.0, 2.0, 1.0], default=0.0)
    urgency = np.where(
        open_,
        rank * 1e6 + np.minimum(rcd, 99) * 1e4
        + np.minimum(np.clip(np.nan_to_num(hours, nan=0.0), 0, None), 9999.0),
        0.0,
    )

    pending_at = np.where(pending, last_info, _NAT)
    out = pd.DataFrame(
        {
            "case_id": pd.Series(idx.astype(str), dtype="str").to_numpy(),
            "account": f["account"].to_numpy(),
            "category": f["category"].to_numpy(),
            "status": f["status"].to_numpy(),
            "verdict": verdict,
            "reasons": reasons,
            "facts": facts,
            "missing": missing,
            "next_step": next_step,
            "target_level": target_level,
            "target": target,
            "urgency": urgency.astype("float64"),
            "canned_repeats": canned,
            "repeat_canned_denials": rcd,
            "last_seller_at": _to_ts(last_seller, pd.RangeIndex(n)),
            "last_amazon_at": _to_ts(last_amazon, pd.RangeIndex(n)),
            "hours_since_last_seller": hours,
            "pending_information_request_at": _to_ts(pending_at, pd.RangeIndex(n)),
            "highest_level": highest,
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
    return briefs(log, [case_id], as_of=as_of, rules=rules, templates=templates)[0]


def _unknown_case(case_id: str, known: pd.Index) -> CaseNotFoundError:
    close = difflib.get_close_matches(case_id, [str(k) for k in known], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return CaseNotFoundError(f"case {case_id!r} is not in the case log{hint}", column="case_id")


def briefs(
    log: CaseLog,
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
    >>> from caselog.readiness import briefs
    >>> log = caselog.sample.generate(n_cases=10).log
    >>> texts = briefs(log, log.cases["case_id"].iloc[:2])
    >>> len(texts), texts[0].startswith("# Escalation brief")
    (2, True)
    """
    ids = [str(c) for c in case_ids]
    if not ids:
        return []
    uniq = list(dict.fromkeys(ids))
    known = pd.Index(log.cases["case_id"]).union(pd.Index(log.messages["case_id"].unique()))
    absent = ~pd.Index(uniq).isin(known)
    if absent.any():
        raise _unknown_case(uniq[int(np.flatnonzero(absent)[0])], known)
    rules = ReadinessRules() if rules is None else rules
    sub = log.subset(uniq)
    as_of_ts = _resolve_as_of(log.messages, as_of)
    if templates is None and sub.messages["direction"].eq("amazon").any():
        from .templates import find_templates

        templates = find_templates(sub)
    elif templates is not None:
        tmsg = templates.messages if hasattr(templates, "messages") else templates
        templates = tmsg[tmsg["message_id"].isin(sub.messages["message_id"])]
    esc = _escalations(sub, as_of=as_of_ts, templates=templates, wait_hours=rules.wait_hours)
    r = readiness(sub, as_of=as_of_ts, rules=rules, templates=templates, escalations=esc)
    rows = r.set_index("case_id", drop=False)

    m = sub.messages
    if as_of_ts is not None:
        m = m[m["sent_at"].le(as_of_ts)]
    m = m.sort_values(["sent_at", "message_id"], kind="stable")
    am = m[m["direction"].eq("amazon")].merge(_tm_frame(templates), on="message_id", how="left")
    am["reply_class"] = am["reply_class"].fillna("other").astype(str)
    am["is_canned_repeat"] = am["is_canned_repeat"].fillna(False).astype(bool)
    cases = sub.cases.drop_duplicates("case_id").set_index("case_id", drop=False)
    m_by = dict(tuple(m.groupby("case_id", sort=False)))
    am_by = dict(tuple(am.groupby("case_id", sort=False)))
    esc_by = dict(tuple(esc.groupby("case_id", sort=False)))
    texts = {
        cid: _brief_text(
            cid,
            rows.loc[cid],
            cases.loc[cid] if cid in cases.index else None,
            m_by.get(cid, m.iloc[:0]),
            am_by.get(cid, am.iloc[:0]),
            esc_by.get(cid, esc.iloc[:0]),
            as_of_ts,
            rules,
        )
        for cid in uniq
    }
    return [texts[c] for c in ids]


def _brief_text(
    case_id: str,
    row: pd.Series,
    case: pd.Series | None,
    m: pd.DataFrame,
    am: pd.DataFrame,
    esc: pd.DataFrame,
    as_of_ts: pd.Timestamp | None,
    rules: ReadinessRules,
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
    seller_text = _col(seller, "subject") + "\n" + _col(seller, "body")
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
    att_rows = seller[pd.to_numeric(_col(seller, "attachments", 0), errors="coerce")
                      .fillna(0).gt(0)]
    if att_rows.empty:
        lines.append("- Sent so far: none")
    for _, msg in att_rows.iterrows():
        kind = str(msg.get("kind", "") or "").lower()
        what = _KIND_LABELS.get(kind, "message").lower()
        n_att = int(msg["attachments"])
        lines.append(f"- Sent {_d(msg['sent_at'])} with the {what}: {n_att} "
                     f"document{'s' if n_att != 1 else ''}")
    poa_needed = category in rules.poa_categories
    has_poa = bool(
        _col(seller, "kind").str.lower().isin(("poa", "appeal")).any() or mentions_poa.any()
    )
    invoices = rx_contains(seller_text, r"\binvoices?\b") & pd.Series(
        pd.to_numeric(_col(seller, "attachments", 0), errors="coerce").fillna(0).gt(0)
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
