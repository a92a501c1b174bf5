"""Per-case facts behind the readiness verdicts (grouped aggregations, no loop per case)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from ..model import CaseLog
from ._escalations import POA_TEXT
from ._frame import case_order, col, matching_texts, rx_contains, template_frame
from ._rules import FAILED_OUTCOMES, ReadinessRules

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


_CLASSES = ("acceptance", "denial", "information request", "deflection", "acknowledgement",
            "other")
_C_DENIAL, _C_INFO, _C_DEFLECT, _C_ACK = 1, 2, 3, 4


def _message_arrays(log: CaseLog, as_of: pd.Timestamp | None, f: pd.DataFrame, x: SimpleNamespace) -> None:
    """Number the cases once and lay the messages up to ``as_of`` out as per-message arrays."""
    x.idx = pd.Index(f.index, name="case_id")
    x.n = len(x.idx)
    x.m = log.messages
    if as_of is not None and len(x.m):
        keep = x.m["sent_at"].le(as_of)
        if not keep.all():
            x.m = x.m[keep]
    x.m = x.m.reset_index(drop=True)

    # each distinct case ID looked up once (a million messages, some thousand cases)
    case_codes, case_names = pd.factorize(x.m["case_id"])
    lookup = np.append(x.idx.get_indexer(case_names), -1)  # a missing ID (code -1): no case
    x.code = lookup[case_codes].astype("int64")
    x.t = _ns(x.m["sent_at"])
    x.mid = x.m["message_id"].to_numpy(dtype="int64")
    direction = x.m["direction"]
    x.is_seller = direction.eq("seller").to_numpy(dtype=bool, na_value=False)
    x.is_amazon = direction.eq("amazon").to_numpy(dtype=bool, na_value=False)
    x.case_channel = col(x.m, "channel").eq("case").to_numpy(dtype=bool, na_value=False)
    kind = col(x.m, "kind").str.lower()  # the two kind tests the facts need, as flags
    x.kind_poa = kind.isin(("poa", "appeal")).to_numpy(dtype=bool)
    x.kind_material = kind.isin(("poa", "documents", "appeal")).to_numpy(dtype=bool)
    del kind
    x.attach = pd.to_numeric(col(x.m, "attachments", 0), errors="coerce").fillna(0).to_numpy()


def _amazon_flags(templates: Any, x: SimpleNamespace) -> None:
    """Reply class, canned flag and template of each Amazon message (from the template results)."""
    # reply classes and canned flags of the Amazon messages
    tmf = template_frame(templates)
    pos = pd.Index(tmf["message_id"]).get_indexer(x.mid)
    has = pos >= 0
    cls_codes = pd.Categorical(tmf["reply_class"], categories=list(_CLASSES)).codes
    x.cls = np.full(len(x.m), 5, dtype="int8")  # "other"; small codes, a byte each
    x.cls[has] = np.where(cls_codes[pos[has]] < 0, 5, cls_codes[pos[has]])
    x.canned = np.zeros(len(x.m), dtype=bool)
    x.canned[has] = tmf["is_canned_repeat"].to_numpy(dtype=bool)[pos[has]]
    tpl_codes = pd.factorize(tmf["template_id"], use_na_sentinel=True)[0]
    x.tpl = np.full(len(x.m), -1, dtype="int64")
    x.tpl[has] = tpl_codes[pos[has]]
    del pos, has, tmf
    x.cls[~x.is_amazon] = -1
    x.canned &= x.is_amazon
    x.is_reply = x.is_amazon & (x.cls != _C_ACK)


def _seller_facts(f: pd.DataFrame, x: SimpleNamespace) -> None:
    """Seller-side facts: messages, channel used, attachments, plan of action, material sent."""
    # seller side
    kind_poa, kind_mat = x.kind_poa, x.kind_material
    need = x.is_seller & ~kind_poa  # only these need a text search
    poa_text = np.zeros(len(x.m), dtype=bool)
    poa_word = np.zeros(len(x.m), dtype=bool)
    if need.any():
        hit, text = matching_texts(x.m, np.flatnonzero(need), POA_TEXT)
        if len(hit):
            poa_word[hit] = True
            poa_text[hit] = rx_contains(text, r"\bplan\s+of\s+action\b").to_numpy()
    poa = x.is_seller & (kind_poa | poa_text)
    x.material = x.is_seller & ((x.attach > 0) | kind_mat | poa_word)
    x.first_seller = _gmin(x.code, x.t, x.is_seller, x.n)
    x.last_seller = _gmax(x.code, x.t, x.is_seller, x.n)
    f["n_seller"] = _gcount(x.code, x.is_seller, x.n)
    f["used_case_channel"] = _gcount(x.code, x.is_seller & x.case_channel, x.n) > 0
    f["seller_attachments"] = np.bincount(
        x.code[x.is_seller], weights=x.attach[x.is_seller], minlength=x.n
    ).astype("int64")
    f["has_poa"] = _gcount(x.code, poa, x.n) > 0


def _amazon_facts(f: pd.DataFrame, x: SimpleNamespace) -> None:
    """Amazon-side facts: replies, follow-ups, the latest reply, information requests, denials."""
    # Amazon side
    fs = x.first_seller[x.code]
    x.first_reply = _gmin(x.code, x.t, x.is_reply & (fs != _NAT) & (x.t > fs), x.n)
    del fs  # message-sized, as fr and la below: each freed after its last use
    fr = x.first_reply[x.code]
    x.first_followup = _gmin(x.code, x.t, x.is_seller & (fr != _NAT) & (x.t > fr), x.n)
    f["n_amazon"] = _gcount(x.code, x.is_amazon, x.n)
    x.last_amazon = _gmax(x.code, x.t, x.is_reply, x.n)
    # follow-ups: seller messages after Amazon's first reply; the latest one the latest answer
    # came after, and how many there were
    follow = x.is_seller & (fr != _NAT) & (x.t > fr)
    del fr
    f["n_followups"] = _gcount(x.code, follow, x.n)
    la = x.last_amazon[x.code]
    x.last_followup = _gmax(x.code, x.t, follow & (la != _NAT) & (x.t < la), x.n)
    del la, follow
    # latest reply: the last reply row of each case in (code, sent_at, message_id) order
    x.order = case_order(x.code, x.t, x.mid)
    rows = x.order[x.is_reply[x.order]]
    latest_cls = np.full(x.n, -1, dtype="int64")
    latest_canned = np.zeros(x.n, dtype=bool)
    if len(rows):
        rc = x.code[rows]
        last_pos = np.r_[rc[1:] != rc[:-1], True]
        latest_cls[rc[last_pos]] = x.cls[rows[last_pos]]
        latest_canned[rc[last_pos]] = x.canned[rows[last_pos]]
    f["latest_class"] = pd.Series(
        np.array(list(_CLASSES) + [""], dtype=object)[latest_cls], index=x.idx, dtype="str"
    )
    f["latest_canned"] = latest_canned
    x.last_info = _gmax(x.code, x.t, x.is_reply & (x.cls == _C_INFO), x.n)
    f["canned_repeats"] = _gcount(x.code, x.canned, x.n)
    f["repeat_canned_denials"] = _gcount(x.code, x.canned & (x.cls == _C_DENIAL), x.n)
    denial = x.is_reply & (x.cls == _C_DENIAL)
    x.first_denial = _gmin(x.code, x.t, denial, x.n)
    # the largest group of denials sharing a template, and its first date
    ident_n = np.zeros(x.n, dtype="int64")
    x.ident_since = np.full(x.n, _NAT, dtype="int64")
    dmask = denial & (x.tpl >= 0)
    if dmask.any():
        g = pd.DataFrame({"c": x.code[dmask], "k": x.tpl[dmask], "t": x.t[dmask]})
        g = g.groupby(["c", "k"], sort=True)["t"].agg(["size", "min"]).reset_index()
        g = g.sort_values(["c", "size", "min"], ascending=[True, False, True], kind="stable")
        g = g.drop_duplicates("c")
        ident_n[g["c"].to_numpy()] = g["size"].to_numpy()
        x.ident_since[g["c"].to_numpy()] = g["min"].to_numpy()
    f["identical_denials"] = ident_n


def _main_team(f: pd.DataFrame, x: SimpleNamespace) -> None:
    """The Amazon team that wrote most of each case's messages (for the level-2 target)."""
    # main Amazon team (for the level-2 target)
    team = col(x.m, "team")
    tcodes, teams = pd.factorize(team, sort=True)
    nt = max(len(teams), 1)
    am = x.is_amazon & (tcodes >= 0)
    counts = np.bincount(x.code[am] * nt + tcodes[am], minlength=x.n * nt).reshape(x.n, nt)
    main = np.where(counts.sum(axis=1) > 0, counts.argmax(axis=1), -1)
    team_names = np.array(list(teams) + [""], dtype=object)
    f["main_team"] = pd.Series(team_names[main], index=x.idx, dtype="str")


def _escalation_facts(f: pd.DataFrame, x: SimpleNamespace, esc: pd.DataFrame) -> None:
    """Escalation facts: counts, highest level, failed level 2, runs of executive escalations without new material."""
    # escalations
    e = esc
    ecode = x.idx.get_indexer(e["case_id"]).astype("int64") if len(e) else np.zeros(0, "int64")
    keep = ecode >= 0
    level = e["level"].to_numpy(dtype="int64") if len(e) else np.zeros(0, "int64")
    outcome = e["outcome"].to_numpy(dtype=object) if len(e) else np.zeros(0, object)
    et = _ns(e["sent_at"]) if len(e) else np.zeros(0, "int64")
    f["n_escalations"] = _gcount(ecode, keep, x.n)
    hl = _gmax(ecode, level, keep, x.n)
    f["highest_level"] = np.where(hl == _NAT, 0, hl)
    is2 = keep & (level == 2)
    failed2 = is2 & np.isin(outcome, FAILED_OUTCOMES)
    f["has_l2"] = _gcount(ecode, is2, x.n) > 0
    f["l2_failed"] = _gcount(ecode, failed2, x.n) > 0
    is3 = keep & (level == 3)
    f["n_exec"] = _gcount(ecode, is3, x.n)
    exec_run = np.zeros(x.n, dtype="int64")
    x.exec_last = _gmax(ecode, et, is3, x.n)
    if is3.any():
        # material sent up to and including each message, counted within its case
        ms = x.material[x.order].astype("int64")
        cs = np.cumsum(ms)
        cstart = np.r_[True, x.code[x.order][1:] != x.code[x.order][:-1]]
        seg = np.maximum.accumulate(np.where(cstart, np.arange(len(x.order)), 0))
        before = cs - ms
        cum_sorted = cs - before[seg]
        cum = np.empty(len(x.m), dtype="int64")
        cum[x.order] = cum_sorted
        e3 = pd.DataFrame({
            "c": ecode[is3], "t": et[is3],
            "pos": pd.Index(x.mid).get_indexer(e["message_id"].to_numpy()[is3]),
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


def _time_facts(f: pd.DataFrame, x: SimpleNamespace, as_of: pd.Timestamp | None) -> None:
    """Timestamps of the facts, and the hours since the last seller message."""
    for name, arr in (
        ("first_seller_at", x.first_seller), ("last_seller_at", x.last_seller),
        ("last_amazon_at", x.last_amazon), ("first_reply_at", x.first_reply),
        ("first_followup_at", x.first_followup), ("last_followup_at", x.last_followup),
        ("last_info_at", x.last_info),
        ("first_denial_at", x.first_denial), ("identical_since", x.ident_since),
        ("exec_run_last", x.exec_last),
    ):
        f[name] = _to_ts(arr, x.idx)
    if as_of is not None:
        now = pd.Timestamp(as_of).as_unit("ns").value
        f["hours_since_last_seller"] = np.where(
            x.last_seller == _NAT, np.nan, (now - x.last_seller) / 3.6e12
        )
    else:
        f["hours_since_last_seller"] = np.nan


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
    x = SimpleNamespace()
    f = _case_table(log).set_index("case_id")
    _message_arrays(log, as_of, f, x)
    _amazon_flags(templates, x)
    _seller_facts(f, x)
    _amazon_facts(f, x)
    _main_team(f, x)
    _escalation_facts(f, x, esc)
    _time_facts(f, x, as_of)
    return f


