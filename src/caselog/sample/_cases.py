"""Which cases the sample holds and when their messages are sent.

:func:`_plan` flattens the steps of every scenario variant into one table (no randomness);
:func:`_assign_cases` gives each case its scenario (in fixed shares), variant and account;
:func:`_place_messages` turns per-team delay distributions into message times, anchored so that
each variant's last message lies its margin before ``as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._banks import _ACCOUNT_NAMES, _NAME_A, _NAME_B, _SELLER, _SUBJECT_BANKS
from ._scenarios import _DELAY_NAMES, _DELAYS, _SCENARIO_SPECS, _Variant
from ._templates import _POOLS, TEMPLATES

_NS_PER_MIN = 60_000_000_000


def _account_names(n: int) -> list[str]:
    names = list(_ACCOUNT_NAMES)
    for a in _NAME_A:
        for b in _NAME_B:
            if len(names) >= n:
                return names[:n]
            names.append(f"{a} {b}")
    names += [f"Seller {i:05d}" for i in range(len(names) + 1, n + 1)]
    return names[:n]


def _allocate(shares: np.ndarray, n: int) -> np.ndarray:
    """Largest-remainder split of ``n`` into parts proportional to ``shares``."""
    raw = shares / shares.sum() * n
    counts = np.floor(raw).astype(np.int64)
    rest = n - counts.sum()
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts


# --------------------------------------------------------------------------------------------
# The steps of generate(); each takes what the earlier ones made
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Plan:
    """Every variant of every scenario, its steps flattened into one table (``st_*`` arrays)."""

    scen_names: list[str]
    variants: list[_Variant]
    var_scen: np.ndarray
    var_weight: np.ndarray
    var_len: np.ndarray
    var_off: np.ndarray
    pool_names: list[str]
    tkeys: list[str]
    tindex: dict[str, int]
    roles: list[str]
    teams: list[str]
    channels: list[str]
    subj_keys: list[str]
    n_slots: int
    st_seller: np.ndarray
    st_team: np.ndarray
    st_channel: np.ndarray
    st_role: np.ndarray
    st_pool: np.ndarray
    st_kind: np.ndarray
    st_att_lo: np.ndarray
    st_att_hi: np.ndarray
    st_delay: np.ndarray
    st_slot: np.ndarray
    st_esc: np.ndarray
    st_target: np.ndarray
    st_subj: np.ndarray


def _slot_ids(variants: list[_Variant]) -> tuple[list[int], int]:
    """Per step, which per-case random draw picks its template (steps sharing a named slot
    share the draw), and the number of draws a case needs."""
    slot_ids: list[int] = []
    n_slots = 1
    for v in variants:
        named: dict[str, int] = {}
        for st in v.steps:
            if st.slot:
                named.setdefault(st.slot, len(named))
        free = len(named)
        for st in v.steps:
            if st.slot:
                slot_ids.append(named[st.slot])
            else:
                slot_ids.append(free)
                free += 1
        n_slots = max(n_slots, free)
    return slot_ids, n_slots


def _plan() -> _Plan:
    scen_names = list(_SCENARIO_SPECS)
    variants: list[_Variant] = []
    var_scen: list[int] = []
    for si, name in enumerate(scen_names):
        vs = _SCENARIO_SPECS[name][1]()
        variants += vs
        var_scen += [si] * len(vs)
    var_len = np.array([len(v.steps) for v in variants])
    steps = [st for v in variants for st in v.steps]
    pool_names = list(_POOLS)
    tkeys = list(TEMPLATES)
    roles = list(_SELLER)
    teams = sorted({st.team for st in steps})
    channels = sorted({st.channel for st in steps})
    subj_keys = ["thread", "none", *(_SUBJECT_BANKS)]
    slot_ids, n_slots = _slot_ids(variants)
    return _Plan(
        scen_names=scen_names,
        variants=variants,
        var_scen=np.array(var_scen),
        var_weight=np.array([v.weight for v in variants], dtype=float),
        var_len=var_len,
        var_off=np.concatenate([[0], np.cumsum(var_len)[:-1]]),
        pool_names=pool_names,
        tkeys=tkeys,
        tindex={k: i for i, k in enumerate(tkeys)},
        roles=roles,
        teams=teams,
        channels=channels,
        subj_keys=subj_keys,
        n_slots=n_slots,
        st_seller=np.array([st.seller for st in steps]),
        st_team=np.array([teams.index(st.team) for st in steps]),
        st_channel=np.array([channels.index(st.channel) for st in steps]),
        st_role=np.array([roles.index(st.role) if st.seller else -1 for st in steps]),
        st_pool=np.array([-1 if st.seller else pool_names.index(st.role) for st in steps]),
        st_kind=np.array([st.kind for st in steps], dtype=object),
        st_att_lo=np.array([st.att[0] for st in steps]),
        st_att_hi=np.array([st.att[1] for st in steps]),
        st_delay=np.array([_DELAY_NAMES.index(st.delay) for st in steps]),
        st_slot=np.array(slot_ids),
        st_esc=np.array([st.esc for st in steps]),
        st_target=np.array([st.target for st in steps], dtype=object),
        st_subj=np.array([subj_keys.index(st.subject) for st in steps]),
    )


@dataclass(frozen=True)
class _Cases:
    """Per case: scenario, variant, account (indices), id and category."""

    n: int
    scen: np.ndarray
    var: np.ndarray
    acc: np.ndarray
    ids: np.ndarray
    cat: np.ndarray
    acc_names: list[str]
    fresh_i: int


def _assign_cases(rng: np.random.Generator, plan: _Plan, n_cases: int,
                  n_accounts: int) -> _Cases:
    scen_names = plan.scen_names
    shares = np.array([_SCENARIO_SPECS[n][0] for n in scen_names])
    counts = _allocate(shares, n_cases)
    fresh_i = scen_names.index("fresh_case")
    if n_cases >= len(scen_names) and counts[fresh_i] == 0:  # pragma: no cover - shares > 0
        counts[fresh_i] = 1
        counts[int(np.argmax(counts))] -= 1
    case_scen = rng.permutation(np.repeat(np.arange(len(scen_names)), counts))
    case_var = np.empty(n_cases, dtype=np.int64)
    for si in range(len(scen_names)):
        idx = np.flatnonzero(case_scen == si)
        cand = np.flatnonzero(plan.var_scen == si)
        w = plan.var_weight[cand] / plan.var_weight[cand].sum()
        case_var[idx] = rng.choice(cand, size=len(idx), p=w)
    acc_names = _account_names(n_accounts)
    acc_w = 1.0 / np.sqrt(np.arange(1, n_accounts + 1))
    case_acc = rng.choice(n_accounts, size=n_cases, p=acc_w / acc_w.sum())
    case_ids = np.sort(rng.choice(9 * 10**9, size=n_cases, replace=False) + 10**9).astype("<U10")
    case_cat = np.array([v.category for v in plan.variants], dtype=object)[case_var]
    return _Cases(n_cases, case_scen, case_var, case_acc, case_ids, case_cat, acc_names, fresh_i)


@dataclass(frozen=True)
class _Rows:
    """One row per step of each case's variant: its case, position, step and time (minutes)."""

    n: int
    msg_case: np.ndarray
    starts: np.ndarray
    lens: np.ndarray
    pos: np.ndarray
    step: np.ndarray
    seller: np.ndarray
    t_min: np.ndarray
    opened: np.ndarray


def _place_messages(rng: np.random.Generator, plan: _Plan, cases: _Cases,
                    start_ts: pd.Timestamp, as_of_naive: pd.Timestamp) -> _Rows:
    """Delays (minutes since the previous message of the case), offsets, absolute times."""
    case_var = cases.var
    lens = plan.var_len[case_var]
    n_msg = int(lens.sum())
    msg_case = np.repeat(np.arange(cases.n), lens)
    starts = np.cumsum(lens) - lens
    pos = np.arange(n_msg) - starts[msg_case]
    step = plan.var_off[case_var][msg_case] + pos

    params = np.array([(*d[1:], 0.0, 0.0)[:4] if d[0] == "logn" else (0.0, 0.0, d[1], d[2])
                       for d in _DELAYS.values()])
    is_logn = np.array([d[0] == "logn" for d in _DELAYS.values()])
    dcode = plan.st_delay[step]
    z = rng.standard_normal(n_msg)
    u = rng.random(n_msg)
    p = params[dcode]
    logn = np.clip(p[:, 0] * np.exp(p[:, 1] * z), p[:, 2], p[:, 3])
    unif = p[:, 2] + u * (p[:, 3] - p[:, 2])
    hours = np.where(is_logn[dcode], logn, unif)
    minutes = np.maximum(np.rint(hours * 60).astype(np.int64), 1)
    minutes[starts] = 0
    cum = np.cumsum(minutes)
    offset = cum - cum[starts][msg_case]
    duration = offset[starts + lens - 1]

    # the last message lies a variant's margin before as_of; unanchored cases open at random
    as_of_min = int(as_of_naive.value // _NS_PER_MIN)
    start_min = int(start_ts.value // _NS_PER_MIN)
    variants = plan.variants
    v_lo = np.array([v.margin[0] for v in variants]) * 60
    v_hi = np.array([np.nan if v.margin[1] is None else v.margin[1] for v in variants]) * 60
    lo, hi = v_lo[case_var], v_hi[case_var]
    anchored = ~np.isnan(hi)
    cu = rng.random(cases.n)
    margin = np.where(anchored, lo + cu * (np.nan_to_num(hi) - lo), 0.0)
    fresh_cases = np.flatnonzero(cases.scen == cases.fresh_i)
    if len(fresh_cases):
        margin[fresh_cases[0]] = 0.0  # one fresh message lands exactly on as_of
    latest_open = as_of_min - lo - duration
    free_open = np.where(latest_open > start_min,
                         start_min + cu * (latest_open - start_min), latest_open)
    opened = np.where(anchored, as_of_min - np.rint(margin) - duration, np.floor(free_open))
    opened = opened.astype(np.int64)
    t_min = opened[msg_case] + offset
    return _Rows(n_msg, msg_case, starts, lens, pos, step, plan.st_seller[step], t_min, opened)


