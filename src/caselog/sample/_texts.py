"""The texts of the sample's messages: field values, Amazon letters, seller messages, subjects
and labels.

Each function draws from the generator's random state in the order :func:`generate` calls it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from ._banks import (
    _BUYERS,
    _CONTACTS,
    _DATE_FORMATS,
    _NTH,
    _PRODUCTS,
    _REPS,
    _SELLER,
    _SUBJECT_BANKS,
    _SUBJECTS,
    _SUPPLIERS,
    _URLS,
)
from ._cases import _NS_PER_MIN, _Cases, _Plan, _Rows
from ._fill import _Context, _digits, _fill, _pick, _random_codes
from ._teams import LIST, PAYC, POL, ROUT, TECH
from ._templates import (
    _EDITS,
    _EXTRAS_DENIAL,
    _EXTRAS_OTHER,
    _GREETINGS,
    _POOLS,
    _SIGNOFFS,
    _TEAM_SIGNATURE,
    TEMPLATES,
)


def _asins(rng: np.random.Generator, cases: _Cases) -> tuple[np.ndarray, np.ndarray]:
    """Per case: the first ASIN (for ``{asin}``) and the ``asins`` text (0 to 3 ASINs)."""
    n_cases, case_cat = cases.n, cases.cat
    n_asins = np.where(np.isin(case_cat, [PAYC, ROUT]), 0,
                       np.where(np.isin(case_cat, [LIST, POL, TECH]), rng.integers(1, 4, n_cases),
                                rng.integers(0, 3, n_cases)))
    asin_codes = ("B0" + _random_codes(rng, 3 * n_cases, 8).astype(object)).reshape(n_cases, 3)
    asins_text = np.full(n_cases, "", dtype=object)
    for k in (1, 2, 3):
        sel = n_asins == k
        joined = asin_codes[sel, 0]
        for j in range(1, k):
            joined = joined + ", " + asin_codes[sel, j]
        asins_text[sel] = joined
    return asin_codes[:, 0], asins_text


#: the template fields, in the order their per-message values are drawn
_CTX_KEYS = ("seller", "store", "email", "case", "asin", "order", "amount", "ref", "supplier",
             "rights", "date", "rep", "buyer", "url", "product", "nth", "n", "team", "age")


def _field_context(rng: np.random.Generator, plan: _Plan, cases: _Cases, rows: _Rows,
                   as_of_naive: pd.Timestamp, first_asin: np.ndarray) -> _Context:
    """Per-message values of every template field (all drawn here, in ``_CTX_KEYS`` order)."""
    n_cases, n_msg, msg_case = cases.n, rows.n, rows.msg_case
    n_accounts = len(cases.acc_names)
    acc_contact = np.array([_CONTACTS[i % len(_CONTACTS)] for i in range(n_accounts)], dtype=object)
    acc_name_arr = np.array(cases.acc_names, dtype=object)
    acc_email = np.array(["ops@" + re.sub(r"[^a-z0-9]", "", a.lower()) + ".com"
                          for a in cases.acc_names], dtype=object)
    order_ids = (_digits(rng, n_cases, 3).astype(object) + "-" + _digits(rng, n_cases, 7)
                 + "-" + _digits(rng, n_cases, 7))
    cents = rng.integers(5_000, 2_500_000, n_cases)
    amounts = np.array([f"${c / 100:,.2f}" for c in cents.tolist()], dtype=object)
    refs = _digits(rng, n_cases, 10).astype(object)
    supplier = _pick(rng, _SUPPLIERS, n_cases)
    rights = np.char.add("brandprotection@",
                         np.array(["acme", "zentro", "lumio", "brightway", "nordika"])[
                             rng.integers(0, 5, n_cases)]).astype(object) + ".com"

    as_of_min = int(as_of_naive.value // _NS_PER_MIN)
    t_min, opened = rows.t_min, rows.opened
    day0 = pd.Timestamp(as_of_naive.normalize()) - pd.Timedelta(days=int((as_of_min - int(
        opened.min())) // 1440) + 30)
    n_days = int((as_of_naive - day0).days) + 2
    days = pd.date_range(day0, periods=n_days, freq="D")
    date_table = np.array([days.strftime(f).to_numpy(dtype=object) for f in _DATE_FORMATS])
    msg_day = (t_min // 1440 - int(day0.value // 86_400_000_000_000)).astype(np.int64)
    team_sig = np.array([_TEAM_SIGNATURE.get(t, t) for t in plan.teams], dtype=object)
    msg_team = plan.st_team[rows.step]
    case_acc = cases.acc

    def per_case(arr: np.ndarray) -> Callable[[], np.ndarray]:
        return lambda: arr[msg_case]

    def dates() -> np.ndarray:
        back = np.clip(msg_day - rng.integers(0, 15, n_msg), 0, n_days - 1)
        return date_table[rng.integers(0, len(_DATE_FORMATS), n_msg), back]

    ctx = _Context({
        "seller": per_case(acc_contact[case_acc]),
        "store": per_case(acc_name_arr[case_acc]),
        "email": per_case(acc_email[case_acc]),
        "case": per_case(cases.ids.astype(object)),
        "asin": per_case(first_asin),
        "order": per_case(order_ids),
        "amount": per_case(amounts),
        "ref": per_case(refs),
        "supplier": per_case(supplier),
        "rights": per_case(rights),
        "date": dates,
        "rep": lambda: _pick(rng, _REPS, n_msg),
        "buyer": lambda: _pick(rng, _BUYERS, n_msg),
        "url": lambda: _pick(rng, _URLS, n_msg),
        "product": lambda: _pick(rng, _PRODUCTS, n_msg),
        "nth": lambda: _pick(rng, _NTH, n_msg),
        "n": lambda: rng.integers(2, 41, n_msg).astype(str).astype(object),
        "team": lambda: team_sig[msg_team],
        "age": lambda: np.maximum((t_min - opened[msg_case]) // 1440, 1).astype(str).astype(object),
    })
    # draw all per-message randomness up front so the fields' lazy draws come after, in order
    for key in _CTX_KEYS:
        ctx[key]
    return ctx


def _edited_texts(t_text: np.ndarray) -> np.ndarray:
    """Each template's text with the first of ``_EDITS`` that applies (unchanged if none)."""
    t_edit = t_text.copy()
    for i, text in enumerate(t_text):
        for pat, rep in _EDITS:
            new = re.sub(pat, rep, text, count=1)
            if new != text:
                t_edit[i] = new
                break
    return t_edit


def _amazon_texts(rng: np.random.Generator, plan: _Plan, rows: _Rows, ctx: _Context,
                  body: np.ndarray, template: np.ndarray, reply_class: np.ndarray) -> None:
    """Amazon messages: template per (case, slot), then greeting + text + extra + sign-off.

    Fills ``body``, ``template`` and ``reply_class`` at the Amazon rows.
    """
    amz = np.flatnonzero(~rows.seller)
    step, msg_case = rows.step, rows.msg_case
    pool_members = [np.array([plan.tindex[k] for k in _POOLS[p]]) for p in plan.pool_names]
    pool_size = np.array([len(m) for m in pool_members])
    pool_off = np.concatenate([[0], np.cumsum(pool_size)[:-1]])
    pool_flat = np.concatenate(pool_members)
    slot_draw = rng.random((len(rows.starts), plan.n_slots))
    ap = plan.st_pool[step[amz]]
    choice = np.floor(slot_draw[msg_case[amz], plan.st_slot[step[amz]]]
                      * pool_size[ap]).astype(int)
    tid = pool_flat[pool_off[ap] + choice]
    tkeys = plan.tkeys
    t_class = np.array([TEMPLATES[k][0] for k in tkeys], dtype=object)
    t_style = np.array([TEMPLATES[k][1] for k in tkeys], dtype=object)
    t_text = np.array([TEMPLATES[k][2] for k in tkeys], dtype=object)
    t_edit = _edited_texts(t_text)
    template[amz] = np.array(tkeys, dtype=object)[tid]
    reply_class[amz] = t_class[tid]
    edited = rng.random(len(amz)) < 0.08
    core = _fill(np.where(edited, t_edit[tid], t_text[tid]), amz, ctx)
    letter = t_style[tid] == "letter"
    greet = _fill(_pick(rng, _GREETINGS, len(amz)), amz, ctx)
    sign = _fill(_pick(rng, _SIGNOFFS, len(amz)), amz, ctx)
    is_denial = t_class[tid] == "denial"
    extra = np.where(is_denial, _pick(rng, _EXTRAS_DENIAL, len(amz)),
                     _pick(rng, _EXTRAS_OTHER, len(amz)))
    extra = np.where((rng.random(len(amz)) < 0.2) & letter, extra, "")
    full = greet + "\n\n" + core + extra + "\n\n" + sign
    body[amz] = np.where(letter, full, core)


def _seller_texts(rng: np.random.Generator, plan: _Plan, rows: _Rows, ctx: _Context,
                  body: np.ndarray) -> None:
    """Seller messages: one sentence per slot of the role's bank (fills ``body``)."""
    sel_rows = np.flatnonzero(rows.seller)
    msg_role = plan.st_role[rows.step]
    for ri, role in enumerate(plan.roles):
        role_rows = sel_rows[msg_role[sel_rows] == ri]
        if len(role_rows) == 0:
            continue
        text = None
        for slot in _SELLER[role]:
            piece = _fill(_pick(rng, slot, len(role_rows)), role_rows, ctx)
            text = piece if text is None else text + " " + piece
        body[role_rows] = text
    body[sel_rows] = pd.Series(body[sel_rows], dtype=object).str.replace(
        "\n ", "\n", regex=False).to_numpy(dtype=object)


def _subjects(rng: np.random.Generator, plan: _Plan, cases: _Cases, rows: _Rows,
              ctx: _Context) -> np.ndarray:
    """Per message: the case's thread subject (``RE:`` on replies) or a step's own subject."""
    case_subject = np.empty(cases.n, dtype=object)
    for cat, bank in _SUBJECTS.items():
        cs = np.flatnonzero(cases.cat == cat)
        if len(cs):
            first_rows = rows.starts[cs]
            case_subject[cs] = _fill(_pick(rng, bank, len(cs)), first_rows, ctx)
    subject = np.full(rows.n, "", dtype=object)
    msg_subj = plan.st_subj[rows.step]
    thread = msg_subj == 0
    subject[thread] = case_subject[rows.msg_case[thread]]
    reply = thread & ((rows.pos > 0) | ~rows.seller)
    subject[reply] = "RE: " + subject[reply]
    for k, key in enumerate(plan.subj_keys[2:], start=2):
        k_rows = np.flatnonzero(msg_subj == k)
        if len(k_rows):
            subject[k_rows] = _fill(_pick(rng, _SUBJECT_BANKS[key], len(k_rows)), k_rows, ctx)
    return subject


def _labels(rng: np.random.Generator, plan: _Plan, rows: _Rows,
            reply_class: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``kind`` labels (~65 % of seller messages, ~7 % of Amazon's) and attachment counts."""
    step, seller = rows.step, rows.seller
    kind = np.where(seller, plan.st_kind[step], "").astype(object)
    labelled = rng.random(rows.n)
    kind[seller & (labelled >= 0.65)] = ""
    amz_label = ~seller & (labelled < 0.07)
    kind[amz_label] = reply_class[amz_label]
    lo_a, hi_a = plan.st_att_lo[step], plan.st_att_hi[step]
    attachments = lo_a + np.floor(rng.random(rows.n) * (hi_a - lo_a + 1)).astype(np.int64)
    return kind, attachments


