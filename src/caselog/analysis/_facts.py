"""Per-case facts behind the readiness verdicts (grouped aggregations, no loop per case)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..model import CaseLog
from ._escalations import POA_TEXT
from ._frame import case_order, col, rx_contains, template_frame
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
    channel = col(m, "channel").to_numpy(dtype=object)
    kind = col(m, "kind").str.lower()
    attach = pd.to_numeric(col(m, "attachments", 0), errors="coerce").fillna(0).to_numpy()

    # reply classes and canned flags of the Amazon messages
    tmf = template_frame(templates)
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
        hit = rows[rx_contains(col(sub, "subject") + "\n" + col(sub, "body"),
                               POA_TEXT).to_numpy()]
        if len(hit):
            sub = m[["subject", "body"]].iloc[hit] if "body" in m.columns else m.iloc[hit]
            poa_word[hit] = True
            poa_text[hit] = rx_contains(col(sub, "subject") + "\n" + col(sub, "body"),
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
    team = col(m, "team")
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
    failed2 = is2 & np.isin(outcome, FAILED_OUTCOMES)
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


