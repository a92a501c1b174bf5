"""The scripts of the sample: every case follows one *variant* of a *scenario*.

A variant is a fixed list of steps (who writes, to which team, on which channel, from which text
bank or template pool, after which delay class); variants of a scenario differ in the number of
rounds, optional acknowledgements, AHS calls and escalations.  ``_SCENARIO_SPECS`` gives each
scenario its share of the cases and its variant builder; :data:`SCENARIOS` the verdicts its cases
can have at ``as_of``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._teams import AHS, BR, CAP, CAT, ESR, LIST, PAY, PAYC, POL, PQ, ROUT, SP, SS, SUSP, TECH

# delay classes: ("logn", median h, sigma, min h, max h) or ("unif", min h, max h)
_DELAYS: dict[str, tuple] = {
    "first": ("unif", 0.0, 0.0),
    "ack": ("unif", 2 / 60, 15 / 60),
    "phone": ("unif", 5 / 60, 45 / 60),
    "short": ("unif", 0.2, 6.0),
    "fresh": ("unif", 1.0, 6.0),
    "seller": ("logn", 18.0, 0.9, 0.5, 120.0),
    "nudge": ("logn", 50.0, 0.35, 24.0, 140.0),
    "routine": ("logn", 4.0, 0.8, 0.2, 30.0),
    SS: ("logn", 9.0, 0.9, 0.3, 72.0),
    AHS: ("logn", 20.0, 0.8, 1.0, 96.0),
    SP: ("logn", 46.0, 0.6, 6.0, 240.0),
    PQ: ("logn", 52.0, 0.6, 8.0, 240.0),
    CAT: ("logn", 22.0, 0.8, 1.0, 150.0),
    ESR: ("logn", 80.0, 0.5, 12.0, 336.0),
    CAP: ("logn", 60.0, 0.5, 8.0, 200.0),
    BR: ("logn", 36.0, 0.6, 4.0, 200.0),
    PAY: ("logn", 30.0, 0.7, 2.0, 168.0),
}
_DELAY_NAMES = tuple(_DELAYS)


# --------------------------------------------------------------------------------------------
# Scripts
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Step:
    seller: bool
    team: str
    channel: str
    role: str  # seller text role, or Amazon template pool
    kind: str = ""
    att: tuple[int, int] = (0, 0)
    delay: str = "seller"
    slot: str = ""  # Amazon: steps of a case with the same slot repeat the same template
    esc: int = 0
    target: str = ""
    subject: str = "thread"


@dataclass(frozen=True)
class _Variant:
    scenario: str
    category: str
    steps: tuple[_Step, ...]
    verdict: str
    status: str = "open"
    outcome: str = ""
    margin: tuple[float, float | None] = (0.0, None)  # hours from the last message to as_of
    weight: float = 1.0


def _s(role, team, *, ch="case", kind="", att=(0, 0), d="seller", esc=0, target="",
       subj="thread") -> _Step:
    return _Step(True, team, ch, role, kind, att, d, "", esc, target, subj)


def _a(pool, team, *, ch="case", slot="", d=None, subj="thread") -> _Step:
    return _Step(False, team, ch, pool, "", (0, 0), d or team, slot, 0, "", subj)


_L1_TARGET = "in-thread request"


def _l1(role: str, team: str) -> _Step:
    return _s(role, team, kind="escalation", att=(0, 1), d="short", esc=1, target=_L1_TARGET)


def _call(pool: str, slot: str = "") -> list[_Step]:
    return [_s("call", AHS, ch="phone", kind="call", subj="none"),
            _a(pool, AHS, ch="phone", slot=slot, d="phone", subj="none")]


def _canned_loop() -> list[_Variant]:
    out = []
    for k in (3, 4, 5, 6, 7):
        for ack in (True, False):
            for l1 in ("", "l1_good", "l1_short"):
                for call in (False, True):
                    for end in ("noreply", "denial"):
                        st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first")]
                        st += [_a("sp_ack", SP, d="ack", slot="K")] if ack else []
                        st += [_a("sp_denial", SP, slot="D")]
                        for i in range(k - 1):
                            if i == 0:
                                st += [_s("poa_revised", SP, kind="poa", att=(1, 3))]
                                st += [_a("sp_ack", SP, d="ack", slot="K")] if ack else []
                            else:
                                st += [_s("followup", SP, kind="follow-up", att=(0, 1))]
                            if i == 1 and l1:
                                st += [_l1(l1, SP)]
                            if i == 1 and call:
                                st += _call("ahs_any")
                            if i in (0, 2):
                                st += [_s("nudge", SP, kind="follow-up", d="nudge")]
                            st += [_a("sp_denial", SP, slot="D")]
                        st += [_s("followup", SP, kind="follow-up")]
                        if end == "denial":
                            st += [_a("sp_denial", SP, slot="D")]
                            margin: tuple[float, float | None] = (0.0, None)
                        else:
                            st += [_s("nudge", SP, kind="follow-up", d="nudge")]
                            margin = (49.0, None)
                        out.append(_Variant("suspension_canned_loop", SUSP, tuple(st), "ready",
                                            margin=margin))
    return out


def _info_pending() -> list[_Variant]:
    out = []
    for ack in (True, False):
        for pre in (1, 2, 3):
            for call in (False, True):
                st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first")]
                st += [_a("sp_ack", SP, d="ack")] if ack else []
                for _ in range(pre):
                    st += [_a("sp_denial", SP, slot="D"),
                           _s("poa_revised", SP, kind="poa", att=(1, 3))]
                st += _call("ahs_pending") if call else []
                st += [_a("sp_info", SP)]
                out.append(_Variant("suspension_info_request_pending", SUSP, tuple(st), "not yet"))
    return out


def _reinstated_after_docs() -> list[_Variant]:
    out = []
    for ack in (True, False):
        for pre in (0, 1):
            for call in (False, True):
                st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first")]
                st += [_a("sp_ack", SP, d="ack")] if ack else []
                if pre:
                    st += [_a("sp_denial", SP), _s("poa_revised", SP, kind="poa", att=(1, 3))]
                st += [_a("sp_info", SP)]
                st += _call("ahs_pending") if call else []
                st += [_s("documents", SP, kind="documents", att=(2, 6)),
                       _s("nudge", SP, kind="follow-up", d="nudge"), _a("sp_accept", SP)]
                out.append(_Variant("suspension_reinstated_after_docs", SUSP, tuple(st), "closed",
                                    status="closed", outcome="Reinstated"))
    return out


def _ahs_calls() -> list[_Variant]:
    out = []
    for ack in (True, False):
        for extra in (0, 1, 2, 3):
            st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first")]
            st += [_a("sp_ack", SP, d="ack")] if ack else []
            st += [_a("sp_denial", SP, slot="D")]
            st += _call("ahs_escalated")
            st += [_s("poa_revised", SP, kind="poa", att=(1, 3)),
                   _s("nudge", SP, kind="follow-up", d="nudge"), _a("sp_denial", SP, slot="D")]
            st += _call("ahs_any", "X")
            st += [_s("followup", SP, kind="follow-up"), _a("sp_denial", SP, slot="D")]
            for _ in range(extra):
                st += _call("ahs_any")
                st += [_s("followup", SP, kind="follow-up"), _a("sp_denial", SP, slot="D")]
            out.append(_Variant("ahs_phone_calls", SUSP, tuple(st), "ready"))
    return out


def _wrong_channel() -> list[_Variant]:
    out = []
    for social in (False, True):
        for resend in (1, 2, 3):
            st = [_s("email_appeal", SP, ch="email", kind="appeal", att=(1, 4), d="first",
                     subj="email_appeal"),
                  _a("sp_deflect_email", SP, ch="email", slot="E", subj="email_reply")]
            for j in range(resend):
                pool = "sp_deflect" if j == 2 else "sp_deflect_email"  # a third reply may differ
                st += [_s("email_resend", SP, ch="email", kind="follow-up", att=(0, 2),
                          subj="email_appeal"),
                       _a(pool, SP, ch="email", slot="E", subj="email_reply")]
            if social:
                st += [_s("social", SS, ch="social", kind="inquiry", subj="none"),
                       _a("ss_social", SS, ch="social", d="short", subj="none")]
            out.append(_Variant("wrong_channel_email", SUSP, tuple(st), "not yet"))
    return out


def _level2_success() -> list[_Variant]:
    out = []
    paths = (
        ("l2_si", SP, "email", "Senior investigator", "sp_l2_ack", "sp_l2_yes", SUSP),
        ("l2_si", SP, "case", "Senior investigator", "", "sp_l2_yes", SUSP),
        ("l2_spm", SP, "email", "Seller Performance manager", "sp_l2_ack", "sp_accept", SUSP),
        ("l2_pqm", PQ, "case", "Product Quality manager", "", "pq_yes", POL),
        ("l2_cap", CAP, "email", "Captive Team", "cap_ack", "cap_yes", SUSP),
    )
    for role, team, ch, target, ack_pool, yes_pool, cat in paths:
        for rounds in (1, 2, 3):
            if cat == POL:
                st = [_s("ip_appeal", PQ, kind="appeal", att=(1, 4), d="first"),
                      _a("pq_denial", PQ, slot="D")]
                for _ in range(rounds):
                    st += [_s("followup_ip", PQ, kind="follow-up", att=(0, 2)),
                           _a("pq_denial", PQ, slot="D")]
            else:
                st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first"),
                      _a("sp_ack", SP, d="ack"), _a("sp_denial", SP, slot="D")]
                for i in range(rounds):
                    st += [_s("poa_revised" if i == 0 else "followup", SP,
                              kind="poa" if i == 0 else "follow-up",
                              att=(1, 3) if i == 0 else (0, 1)),
                           _a("sp_denial", SP, slot="D")]
                if team == CAP:
                    st += _call("ahs_any")
            st += [_s(role, team, ch=ch, kind="escalation", att=(1, 3), esc=2, target=target,
                      subj="esc_l2")]
            st += [_a(ack_pool, team, ch=ch, d="ack" if ack_pool != "cap_ack" else "short",
                      subj="email_reply" if ch == "email" else "thread")] if ack_pool else []
            st += [_a(yes_pool, team, ch=ch, subj="email_reply" if ch == "email" else "thread")]
            out.append(_Variant("level2_success", cat, tuple(st), "closed", status="closed",
                                outcome="Reinstated"))
    return out


def _exec_canned() -> list[_Variant]:
    out = []
    for n3 in (2, 3):
        for l2 in (False, True):
            for first in ("l3_good", "l3_bad"):
                for esr_ack in (False, True):
                    st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first"),
                          _a("sp_ack", SP, d="ack"), _a("sp_denial", SP, slot="D"),
                          _s("poa_revised", SP, kind="poa", att=(1, 3)),
                          _a("sp_denial", SP, slot="D"),
                          _s("followup", SP, kind="follow-up"), _a("sp_denial", SP, slot="D"),
                          _s("followup", SP, kind="follow-up"),
                          _s("nudge", SP, kind="follow-up", d="nudge"),
                          _a("sp_denial", SP, slot="D")]
                    if l2:
                        st += [_s("l2_spm" if esr_ack else "l2_short", SP, ch="email",
                                  kind="escalation", att=(0, 2), esc=2,
                                  target="Seller Performance manager" if esr_ack
                                  else "Senior investigator", subj="esc_l2"),
                               _a("sp_l2_no", SP, ch="email", subj="email_reply")]
                    for j in range(n3):
                        st += [_s(first if j == 0 else "l3_repeat", ESR, ch="email",
                                  kind="escalation", att=(0, 0), esc=3, target=ESR,
                                  subj="esc_l3")]
                        if j == 0 and esr_ack:
                            st += [_a("esr_ack", ESR, ch="email", d="ack", subj="esr_reply")]
                        st += [_a("esr_canned", ESR, ch="email", slot="E", subj="esr_reply")]
                    out.append(_Variant("exec_canned", SUSP, tuple(st), "not advisable"))
    return out


def _payment_delay() -> list[_Variant]:
    out = []
    for info in (False, True):
        for l1 in ("", "l1_good", "l1_short"):
            for nudge in (False, True):
                st = [_s("inquiry_payment", SS, kind="inquiry", att=(0, 1), d="first"),
                      _a("pay_first", SS),
                      _s("followup_payment", SS, kind="follow-up")]
                if info:
                    st += [_a("pay_info", PAY), _s("documents_bank", PAY, kind="documents",
                                                   att=(1, 2))]
                st += [_a("pay_investigating", PAY), _s("followup_payment", PAY, kind="follow-up"),
                       _s("nudge", PAY, kind="follow-up", d="nudge"),
                       _a("pay_investigating", PAY), _s("followup_payment", PAY, kind="follow-up")]
                st += [_l1(l1, PAY)] if l1 else []
                st += [_s("nudge", PAY, kind="follow-up", d="nudge")] if nudge else []
                out.append(_Variant("payment_delay", PAYC, tuple(st), "ready", margin=(49.0, None),
                                    weight=1.0))
    for rounds in (1, 2, 3):
        for l1 in (False, True):
            st = [_s("inquiry_payment", SS, kind="inquiry", att=(0, 1), d="first"),
                  _a("pay_first", SS), _s("followup_payment", SS, kind="follow-up")]
            st += [_l1("l1_good", SS), _a("ss_l1", SS)] if l1 else []
            for _ in range(rounds):
                st += [_a("pay_investigating", PAY), _s("followup_payment", PAY, kind="follow-up")]
            st += [_a("pay_released", PAY)]
            out.append(_Variant("payment_delay", PAYC, tuple(st), "closed", status="closed",
                                outcome="Resolved", weight=1.5))
    return out


def _listing() -> list[_Variant]:
    out = []
    for rounds in (3, 4, 5):
        for mid in (False, True):
            for end in ("denial", "noreply"):
                st = [_s("inquiry_listing", CAT, kind="inquiry", att=(1, 3), d="first"),
                      _a("cat_canned", CAT, slot="C")]
                if mid:
                    st += [_s("followup_listing", CAT, kind="follow-up", att=(0, 2)),
                           _a("cat_escalated", CAT)]
                for i in range(rounds):
                    st += [_s("followup_listing", CAT, kind="follow-up", att=(0, 2))]
                    st += [_l1("l1_good", CAT)] if i == 1 else []
                    st += [_a("cat_canned", CAT, slot="C")]
                margin: tuple[float, float | None] = (0.0, None)
                if end == "noreply":
                    st += [_s("followup_listing", CAT, kind="follow-up"),
                           _s("nudge", CAT, kind="follow-up", d="nudge")]
                    margin = (49.0, None)
                out.append(_Variant("listing_suppression", LIST, tuple(st), "ready", margin=margin))
    for docs in (False, True):
        st = [_s("inquiry_listing", CAT, kind="inquiry", att=(1, 3), d="first"),
              _a("cat_first", CAT), _s("followup_listing", CAT, kind="follow-up", att=(1, 2))]
        if docs:
            st += [_a("cat_info", CAT), _s("documents", CAT, kind="documents", att=(1, 4))]
        st += [_a("cat_yes", CAT)]
        out.append(_Variant("listing_suppression", LIST, tuple(st), "closed", status="closed",
                            outcome="Resolved", weight=4.0))
    st = (_s("inquiry_listing", CAT, kind="inquiry", att=(1, 3), d="first"), _a("cat_first", CAT),
          _s("followup_listing", CAT, kind="follow-up", att=(1, 2)), _a("cat_no", CAT))
    out.append(_Variant("listing_suppression", LIST, st, "closed", status="closed",
                        outcome="Denied", weight=4.0))
    return out


def _policy() -> list[_Variant]:
    out = []
    for br in (False, True):
        for rounds in (3, 4, 5):
            st = [_s("ip_appeal", PQ, kind="appeal", att=(1, 4), d="first"),
                  _a("pq_denial", PQ, slot="P")]
            if br:
                st += [_s("br_inquiry", BR, kind="inquiry"), _a("br_ack", BR, d="ack"),
                       _a("br_deflect", BR)]
            for i in range(rounds):
                st += [_s("followup_ip", PQ, kind="follow-up", att=(0, 2))]
                st += [_l1("l1_short", PQ)] if i == 2 else []
                st += [_s("nudge", PQ, kind="follow-up", d="nudge")] if i == 1 else []
                st += [_a("pq_denial", PQ, slot="P")]
            out.append(_Variant("policy_violation", POL, tuple(st), "ready"))
    return out


def _technical() -> list[_Variant]:
    out = []
    base = [_s("inquiry_tech", SS, kind="inquiry", att=(1, 2), d="first"), _a("ss_tech_first", SS),
            _s("followup_tech", SS, kind="follow-up", att=(0, 1))]
    for chat in (False, True):
        for nudge in (False, True):
            st = base + [_a("ss_tech_forwarded", SS), _s("followup_tech", SS, kind="follow-up"),
                         _a("ss_tech_update", SS)]
            st += [_s("chat", SS, ch="chat", kind="inquiry", subj="chat"),
                   _a("ss_chat", SS, ch="chat", d="phone", subj="chat")] if chat else []
            st += [_s("followup_tech", SS, kind="follow-up")]
            st += [_s("nudge", SS, kind="follow-up", d="nudge")] if nudge else []
            out.append(_Variant("technical_problem", TECH, tuple(st), "ready", margin=(49.0, None),
                                weight=1.5))
    out.append(_Variant("technical_problem", TECH, tuple(base), "not yet", margin=(2.0, 44.0),
                        weight=2.0))
    st = base + [_a("ss_tech_forwarded", SS), _s("followup_tech", SS, kind="follow-up")]
    out.append(_Variant("technical_problem", TECH, tuple(st), "not yet", margin=(2.0, 44.0),
                        weight=2.0))
    out.append(_Variant("technical_problem", TECH, tuple(base + [_a("ss_tech_update", SS)]),
                        "not yet", weight=2.0))
    st = base + [_a("ss_tech_forwarded", SS), _s("followup_tech", SS, kind="follow-up"),
                 _a("ss_tech_resolved", SS)]
    out.append(_Variant("technical_problem", TECH, tuple(st), "closed", status="closed",
                        outcome="Resolved", weight=2.0))
    st = [base[0], _a("ss_tech_info", SS), _s("documents", SS, kind="documents", att=(1, 3)),
          _a("ss_tech_resolved", SS)]
    out.append(_Variant("technical_problem", TECH, tuple(st), "closed", status="closed",
                        outcome="Resolved", weight=2.0))
    return out


def _routine() -> list[_Variant]:
    out = []
    for topic in ("fees", "shipping", "address", "report"):
        q = _s("routine_q_" + topic, SS, kind="inquiry", d="first",
               att=(1, 1) if topic == "address" else (0, 0))
        ans = _a("ss_routine_" + topic, SS, d="routine")
        ans2 = _a("ss_routine_more", SS, d="routine")
        more = _s("routine_more", SS, kind="inquiry")
        thanks = _s("routine_thanks", SS)
        closed = {"status": "closed", "outcome": "Resolved"}
        out += [
            _Variant("routine_inquiry", ROUT, (q, ans), "closed", weight=3.0, **closed),
            _Variant("routine_inquiry", ROUT, (q, ans, thanks), "closed", weight=3.0, **closed),
            _Variant("routine_inquiry", ROUT, (q, _a("ss_ack", SS, d="ack"), ans, more, ans2,
                                               thanks), "closed", weight=2.0, **closed),
            _Variant("routine_inquiry", ROUT, (q, ans, more), "not advisable", weight=1.0),
            _Variant("routine_inquiry", ROUT, (q, ans, more, ans2, thanks, more), "not advisable",
                     weight=1.0),
        ]
    return out


def _fresh() -> list[_Variant]:
    out = []
    firsts = ((TECH, _s("inquiry_tech", SS, kind="inquiry", att=(1, 2), d="first"), SS),
              (PAYC, _s("inquiry_payment", SS, kind="inquiry", d="first"), SS),
              (LIST, _s("inquiry_listing", CAT, kind="inquiry", att=(1, 3), d="first"), CAT),
              (SUSP, _s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first"), SP))
    for cat, first, team in firsts:
        for nudge in (False, True):
            st = (first, _s("nudge", team, kind="follow-up", d="fresh")) if nudge else (first,)
            out.append(_Variant("fresh_case", cat, st, "not yet", margin=(1.0, 40.0)))
    return out


def _no_followup() -> list[_Variant]:
    return [
        _Variant("no_followup", TECH, (_s("inquiry_tech", SS, kind="inquiry", att=(1, 2),
                                          d="first"), _a("ss_generic", SS)), "not yet"),
        _Variant("no_followup", PAYC, (_s("inquiry_payment", SS, kind="inquiry", d="first"),
                                       _a("ss_generic", SS)), "not yet"),
        _Variant("no_followup", LIST, (_s("inquiry_listing", CAT, kind="inquiry", att=(1, 3),
                                          d="first"), _a("cat_first", CAT)), "not yet"),
        _Variant("no_followup", TECH, (_s("inquiry_tech", SS, kind="inquiry", att=(1, 2),
                                          d="first"), _a("ss_ack", SS, d="ack"),
                                       _a("ss_tech_first", SS)), "not yet"),
    ]


def _poa_missing() -> list[_Variant]:
    out = []
    for rounds in (1, 2, 3):
        for end_seller in (False, True):
            st = [_s("plea", SP, kind="inquiry", d="first"), _a("sp_first", SP, slot="N")]
            for _ in range(rounds - 1):
                st += [_s("plea_followup", SP, kind="follow-up"), _a("sp_first", SP, slot="N")]
            st += [_s("plea_followup", SP, kind="follow-up")] if end_seller else []
            out.append(_Variant("poa_missing", SUSP, tuple(st), "not yet"))
    return out


#: scenario -> (share of cases, variant builder)
_SCENARIO_SPECS: dict[str, tuple[float, Callable[[], list[_Variant]]]] = {
    "suspension_canned_loop": (0.15, _canned_loop),
    "suspension_info_request_pending": (0.06, _info_pending),
    "suspension_reinstated_after_docs": (0.06, _reinstated_after_docs),
    "ahs_phone_calls": (0.09, _ahs_calls),
    "wrong_channel_email": (0.04, _wrong_channel),
    "level2_success": (0.05, _level2_success),
    "exec_canned": (0.06, _exec_canned),
    "payment_delay": (0.09, _payment_delay),
    "listing_suppression": (0.09, _listing),
    "policy_violation": (0.08, _policy),
    "technical_problem": (0.08, _technical),
    "routine_inquiry": (0.07, _routine),
    "fresh_case": (0.02, _fresh),
    "no_followup": (0.03, _no_followup),
    "poa_missing": (0.03, _poa_missing),
}

#: scenario -> the verdicts its cases can have at as_of
SCENARIOS: dict[str, tuple[str, ...]] = {
    "suspension_canned_loop": ("ready",),
    "suspension_info_request_pending": ("not yet",),
    "suspension_reinstated_after_docs": ("closed",),
    "ahs_phone_calls": ("ready",),
    "wrong_channel_email": ("not yet",),
    "level2_success": ("closed",),
    "exec_canned": ("not advisable",),
    "payment_delay": ("ready", "closed"),
    "listing_suppression": ("ready", "closed"),
    "policy_violation": ("ready",),
    "technical_problem": ("ready", "not yet", "closed"),
    "routine_inquiry": ("closed", "not advisable"),
    "fresh_case": ("not yet",),
    "no_followup": ("not yet",),
    "poa_missing": ("not yet",),
}

