"""Matters in the sample: one problem spread over several cases and channels, and decoys.

``generate(..., n_matters=k)`` appends, after the ordinary cases (which stay exactly as they
are), ``k`` true matters and about ``k / 2`` decoys of each kind, drawn from their own random
stream.  Scripts (cycled in this order):

``suspension_spread``
    An e-mail notification of a deactivation naming an ASIN and an order (closed), an appeal case
    denied twice with the same text, a new Seller Support case quoting the appeal's case ID (the
    same denial again), and one or two e-mails to the executive team quoting the earlier cases
    without new material.  With two executive e-mails the matter has burned its bridges: every
    open case of it is *not advisable* in the matter view.
``listing_spread``
    A listing case answered twice with the same Catalog denial, a new Seller Support case about
    the same ASIN two to three weeks later (no case ID quoted) that gets the same denial, and an
    Account Health call logged as its own case.
``notice_spread``
    An account-level notice by e-mail without an ASIN (closed) and an appeal case in which Amazon
    re-sends the same notice twice: linked only by the notice.
Decoys (each case its own matter): two cases of one account about the same ASIN five months
apart; two accounts that receive the same notice in the same week; one account that receives
the ASIN notice for two different ASINs in the same month.

Truth: ``truth_cases`` gains ``matter`` (``matter-<k>`` for a true matter, ``case-<case ID>``
for a case alone) and ``expected_matter_verdict`` (the verdict once the matter is taken into
account).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..schema import CASE_COLUMNS, MESSAGE_COLUMNS
from ._teams import AHS, CAT, ESR, LIST, SP, SS, SUSP

# Amazon texts of the matter scripts: key -> (reply class, text)
MATTER_TEMPLATES: dict[str, tuple[str, str]] = {
    "mx_asin_notice": ("denial",
        "Your selling privileges have been deactivated because of complaints about ASIN {asin} "
        "(order {order}). To reactivate your account, submit an appeal with a plan of action "
        "from the Account Health page. We will review the appeal within 72 hours."),
    "mx_account_notice": ("denial",
        "We have deactivated your selling account because your Order Defect Rate is above our "
        "target. Your listings have been removed and your funds are on hold. You may appeal "
        "this decision from the Account Health page of Seller Central."),
    "mx_denial": ("denial",
        "We reviewed your appeal and the documents you attached. They do not resolve our "
        "concerns, so your account remains deactivated. You can submit a revised appeal with "
        "additional information through Account Health."),
    "mx_ss_transfer": ("other",
        "I understand your concern. I have forwarded your request to the Seller Performance "
        "team, who will write to you with their decision."),
    "mx_cat_denial": ("denial",
        "We are unable to reactivate the listing for ASIN {asin} at this time because it does "
        "not meet our detail page guidelines. Please review the style guide and update the "
        "listing before you contact us again."),
    "mx_ss_listing": ("other",
        "Thank you for reaching out about your listing. I have sent the details to the Catalog "
        "team and asked them to check the suppression reason for you."),
    "mx_esr_canned": ("denial",
        "Thank you for writing to our executive team. Your concern was reviewed by a "
        "specialist, who confirmed that the previous decision stands. We are unable to provide "
        "further details."),
    "mx_ahs_call": ("other",
        "Account Health call: the representative could not see a reason for the suppression "
        "and said the Catalog team has to decide."),
}

# seller texts
_APPEAL = ("Please find our appeal for ASIN {asin} attached. Our plan of action: the root cause "
           "was a supplier that shipped damaged units; we removed that stock, changed suppliers "
           "and now inspect every shipment.")
_FOLLOW = "We received a reply that does not address our appeal. Please review the documents."
_NEW_SS = ("Following up on case {ref1}: our appeal for ASIN {asin} was denied twice with the "
           "same text. Our plan of action and invoices are attached again.")
_ESR_1 = ("Dear Mr. Bezos, our account was deactivated over ASIN {asin}. We appealed in case "
          "{ref1} and again in case {ref2} and received the same denial each time. Please have "
          "someone review our appeal.")
_ESR_2 = ("Dear Jeff, I am writing again about our deactivation (see case {ref3}). We have "
          "still not received an answer that looks at our appeal.")
_LIST_1 = ("Our listing for ASIN {asin} is suppressed although the detail page follows the "
           "style guide. Please reactivate it.")
_LIST_2 = ("ASIN {asin} is still suppressed. We updated the images and the title last week. "
           "Please check the listing again.")
_CALL = "Called Account Health about the suppressed listing of ASIN {asin}."
_NOTICE_APPEAL = ("We appeal the deactivation of our account. Our plan of action: we changed "
                  "our carrier and now ship within 24 hours; the invoices are attached.")


@dataclass(frozen=True)
class _M:
    """One message of a matter script: hours after the previous one (of the matter)."""

    after: float
    case: int  # index of the case within the matter
    seller: bool
    team: str
    channel: str
    text: str  # seller text, or a MATTER_TEMPLATES key
    kind: str = ""
    att: int = 0
    esc: int = 0
    target: str = ""


def _suspension(n_exec: int) -> tuple[list[tuple], list[_M]]:
    cases = [(SUSP, "closed", "closed", "closed"), (SUSP, "open", "ready", "ready"),
             (SUSP, "open", "ready", "ready"), (SUSP, "open", "not yet", "not yet")]
    steps = [
        _M(0, 0, False, SP, "email", "mx_asin_notice"),
        _M(30, 1, True, SP, "case", _APPEAL, "appeal", 2),
        _M(70, 1, False, SP, "case", "mx_denial"),
        _M(40, 1, True, SP, "case", _FOLLOW, "follow-up"),
        _M(80, 1, False, SP, "case", "mx_denial"),
        _M(50, 2, True, SS, "case", _NEW_SS, "", 1),
        _M(6, 2, False, SS, "case", "mx_ss_transfer"),
        _M(90, 2, False, SP, "case", "mx_denial"),
        _M(30, 2, True, SP, "case", _FOLLOW, "follow-up"),
        _M(75, 2, False, SP, "case", "mx_denial"),
        _M(60, 3, True, ESR, "email", _ESR_1, "escalation", 0, 3, "Executive Seller Relations"),
        _M(120, 3, False, ESR, "email", "mx_esr_canned"),
    ]
    if n_exec == 2:
        cases = [c if i in (0,) else (c[0], c[1], c[2], "not advisable")
                 for i, c in enumerate(cases)]
        cases.append((SUSP, "open", "not yet", "not advisable"))
        steps += [
            _M(150, 4, True, ESR, "email", _ESR_2, "escalation", 0, 3,
               "Executive Seller Relations"),
            _M(110, 4, False, ESR, "email", "mx_esr_canned"),
        ]
    return cases, steps


def _listing() -> tuple[list[tuple], list[_M]]:
    cases = [(LIST, "open", "ready", "ready"), (LIST, "open", "not yet", "ready"),
             (LIST, "open", "not yet", "not yet")]
    steps = [
        _M(0, 0, True, CAT, "case", _LIST_1, "inquiry", 1),
        _M(20, 0, False, CAT, "case", "mx_cat_denial"),
        _M(30, 0, True, CAT, "case", _FOLLOW, "follow-up"),
        _M(26, 0, False, CAT, "case", "mx_cat_denial"),
        _M(340, 1, True, SS, "case", _LIST_2, "inquiry", 2),
        _M(5, 1, False, SS, "case", "mx_ss_listing"),
        _M(28, 1, True, SS, "case", _FOLLOW, "follow-up"),
        _M(40, 1, False, CAT, "case", "mx_cat_denial"),
        _M(30, 2, True, AHS, "phone", _CALL, "call"),
        _M(0.5, 2, False, AHS, "phone", "mx_ahs_call"),
    ]
    return cases, steps


def _notice() -> tuple[list[tuple], list[_M]]:
    cases = [(SUSP, "closed", "closed", "closed"), (SUSP, "open", "ready", "ready")]
    steps = [
        _M(0, 0, False, SP, "email", "mx_account_notice"),
        _M(40, 1, True, SP, "case", _NOTICE_APPEAL, "appeal", 2),
        _M(60, 1, False, SP, "case", "mx_account_notice"),
        _M(30, 1, True, SP, "case", _FOLLOW, "follow-up"),
        _M(70, 1, False, SP, "case", "mx_account_notice"),
    ]
    return cases, steps


_SCRIPTS = (
    ("suspension_spread", lambda: _suspension(2)),
    ("listing_spread", _listing),
    ("notice_spread", _notice),
    ("suspension_spread", lambda: _suspension(1)),
)

_DECOY_NOTICE = ("denial",
    "Your account is at risk of deactivation because of a policy warning on your listings. "
    "Review the Account Health page within 7 days and acknowledge the warning to keep your "
    "selling privileges.")
_GREET = ("Hello,", "Dear Seller,", "Greetings from Amazon,")
_SIGN = ("Regards,\n{team}", "Sincerely,\n{team} Team", "Thank you for selling on Amazon,\n{team}")
_SUBJECTS = {
    ("suspension_spread", 0): "Your Amazon selling privileges have been deactivated",
    ("suspension_spread", 1): "Appeal - ASIN {asin}",
    ("suspension_spread", 2): "Appeal denied twice - ASIN {asin}",
    ("suspension_spread", 3): "Deactivated account - request for review",
    ("suspension_spread", 4): "Deactivated account - still no review",
    ("listing_spread", 0): "Listing suppressed - {asin}",
    ("listing_spread", 1): "Listing still suppressed - {asin}",
    ("listing_spread", 2): "",
    ("notice_spread", 0): "Your Amazon seller account has been deactivated",
    ("notice_spread", 1): "Appeal of the account deactivation",
}


class _Builder:
    """Collects the rows of the appended cases (plain Python: a few hundred rows)."""

    def __init__(self, rng: np.random.Generator, taken: set[str], asins_taken: set[str]):
        self.rng, self.taken, self.asins = rng, taken, asins_taken
        self.msgs: list[dict] = []
        self.cases: list[dict] = []

    def case_id(self) -> str:
        while True:
            c = str(int(self.rng.integers(1_000_000_000, 9_999_999_999)))
            if c not in self.taken:
                self.taken.add(c)
                return c

    def asin(self) -> str:
        chars = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
        while True:
            a = "B0" + "".join(self.rng.choice(chars, 8))
            if a not in self.asins:
                self.asins.add(a)
                return a

    def order(self) -> str:
        r = self.rng.integers
        return f"{int(r(100, 999))}-{int(r(1_000_000, 9_999_999))}-{int(r(1_000_000, 9_999_999))}"

    def amazon_text(self, key: str, fields: dict[str, str], team: str) -> tuple[str, str]:
        cls, text = _DECOY_NOTICE if key == "mx_decoy_notice" else MATTER_TEMPLATES[key]
        body = text.format(**fields)
        if team == AHS:
            return cls, body
        greet = _GREET[int(self.rng.integers(len(_GREET)))]
        sign = _SIGN[int(self.rng.integers(len(_SIGN)))].format(team=team)
        return cls, f"{greet}\n\n{body}\n\n{sign}"

    def add(self, script: str, steps: list[_M], cases: list[tuple], account: str, t0: pd.Timestamp,
            matter: str | None, asin: str, order: str) -> None:
        ids = [self.case_id() for _ in cases]
        fields = {"asin": asin, "order": order, "store": account,
                  **{f"ref{i}": c for i, c in enumerate(ids)}}
        t = t0
        first: dict[int, pd.Timestamp] = {}
        last: dict[int, pd.Timestamp] = {}
        for st in steps:
            t = t + pd.Timedelta(minutes=round(st.after * 60))
            opens = st.case not in first
            first.setdefault(st.case, t)
            last[st.case] = t
            subject = _SUBJECTS.get((script, st.case), "").format(**fields)
            if st.seller:
                cls, tmpl, body = "", "", st.text.format(**fields)
            else:
                tmpl = st.text
                cls, body = self.amazon_text(st.text, fields, st.team)
                subject = "RE: " + subject if subject and not opens else subject
            self.msgs.append({
                "case_id": ids[st.case], "account": account, "sent_at": t,
                "direction": "seller" if st.seller else "amazon", "team": st.team,
                "channel": st.channel, "subject": subject, "body": body, "attachments": st.att,
                "kind": st.kind, "template": tmpl, "reply_class": cls, "esc": st.esc,
                "target": st.target,
            })
        for i, (cat, status, verdict, matter_verdict) in enumerate(cases):
            self.cases.append({
                "case_id": ids[i], "account": account, "category": cat, "status": status,
                "opened_at": first[i], "closed_at": last[i] if status == "closed" else pd.NaT,
                "outcome": "", "asins": asin if asin in " ".join(
                    m["body"] for m in self.msgs if m["case_id"] == ids[i]) else "",
                "scenario": script, "expected_verdict": verdict,
                "expected_matter_verdict": matter_verdict,
                "matter": matter if matter else f"case-{ids[i]}",
            })


def _decoys(b: _Builder, accounts: list[str], n: int, lo: pd.Timestamp, as_of: pd.Timestamp,
            ) -> None:
    """Cases that share something but are not one problem (each its own matter)."""
    rng = b.rng
    closed = [(LIST, "closed", "closed", "closed")]
    listing = [(LIST, "open", "ready", "ready")]
    for _ in range(n):  # the same ASIN five months apart
        acct, asin = accounts[int(rng.integers(len(accounts)))], b.asin()
        t0 = lo + pd.Timedelta(hours=float(rng.uniform(0, 24 * 20)))
        b.add("decoy_asin_months_apart", [_M(0, 0, True, CAT, "case", _LIST_1, "inquiry", 1),
                                          _M(30, 0, False, CAT, "case", "mx_cat_denial")],
              closed, acct, t0, None, asin, "")
        t1 = t0 + pd.Timedelta(days=float(rng.uniform(150, 165)))
        b.add("decoy_asin_months_apart", [_M(0, 0, True, CAT, "case", _LIST_2, "inquiry", 1),
                                          _M(30, 0, False, CAT, "case", "mx_cat_denial"),
                                          _M(30, 0, True, CAT, "case", _FOLLOW, "follow-up"),
                                          _M(30, 0, False, CAT, "case", "mx_cat_denial")],
              listing, acct, t1, None, asin, "")
    notice = [(SUSP, "closed", "closed", "closed")]
    for i in range(min(n, 3)):  # two accounts, the same notice, the same week (66 days apart)
        t0 = lo + pd.Timedelta(days=10 + 66 * i)
        for acct in rng.choice(accounts, 2, replace=False):
            t = t0 + pd.Timedelta(hours=float(rng.uniform(0, 96)))
            b.add("decoy_notice_across_accounts",
                  [_M(0, 0, False, SP, "email", "mx_decoy_notice")], notice, str(acct), t, None,
                  "", "")
    for _ in range(n):  # one account, the ASIN notice for two different ASINs in one month
        acct = accounts[int(rng.integers(len(accounts)))]
        t0 = lo + pd.Timedelta(days=float(rng.uniform(0, 150)))
        for j in range(2):
            t = t0 + pd.Timedelta(days=float(rng.uniform(0, 25)) * j)
            b.add("decoy_notice_other_asin", [_M(0, 0, False, SP, "email", "mx_asin_notice")],
                  notice, acct, t, None, b.asin(), b.order())


def append_matters(base, seed: int, n_matters: int, start: pd.Timestamp):
    """The sample ``base`` with ``n_matters`` true matters and decoys appended (see module)."""
    from ._generate import Sample

    rng = np.random.default_rng([int(seed), 7_000_003])
    as_of = base.as_of
    accounts = sorted(set(base.cases["account"].astype(str)))
    asins = set(", ".join(base.cases["asins"].astype(str)).split(", "))
    b = _Builder(rng, set(base.cases["case_id"].astype(str)), asins)
    lo = pd.Timestamp(start).tz_localize("UTC") if pd.Timestamp(start).tzinfo is None \
        else pd.Timestamp(start).tz_convert("UTC")
    lo = lo + pd.Timedelta(days=2)
    for k in range(int(n_matters)):
        script, make = _SCRIPTS[k % len(_SCRIPTS)]
        cases, steps = make()
        span = pd.Timedelta(hours=sum(s.after for s in steps))
        hi = as_of - span - pd.Timedelta(days=4)
        t0 = lo + (hi - lo) * float(rng.uniform(0, 1))
        t0 = t0.floor("min")
        acct = (accounts[(k // len(_SCRIPTS)) % len(accounts)] if script == "notice_spread"
                else accounts[int(rng.integers(len(accounts)))])
        b.add(script, steps, cases, acct, t0, f"matter-{k + 1}", b.asin(), b.order())
    _decoys(b, accounts, max(1, int(n_matters) // 2), lo, as_of)
    return _merge(base, b, seed, Sample)


def _merge(base, b: _Builder, seed: int, sample_cls):
    """Base and appended rows in one sample, re-sorted by ``case_id, sent_at``."""
    new_m = pd.DataFrame(b.msgs)
    new_m["source"] = [f"sample seed {seed} matter row {i + 1}" for i in range(len(new_m))]
    msgs = pd.concat([base.messages.drop(columns="message_id"),
                      new_m[[c for c in MESSAGE_COLUMNS if c != "message_id"]]],
                     ignore_index=True)
    truth_new = pd.DataFrame({
        "case_id": new_m["case_id"], "sent_at": new_m["sent_at"],
        "direction": new_m["direction"], "template": new_m["template"],
        "reply_class": new_m["reply_class"], "is_escalation": new_m["esc"].gt(0),
        "escalation_level": new_m["esc"].astype("int64"), "escalation_target": new_m["target"],
    })
    truth = pd.concat([base.truth_messages, truth_new], ignore_index=True)
    order = np.lexsort((np.arange(len(msgs)), msgs["sent_at"].to_numpy(),
                        msgs["case_id"].astype(str).to_numpy()))
    msgs = msgs.iloc[order].reset_index(drop=True)
    msgs.insert(0, "message_id", np.arange(len(msgs), dtype=np.int64))
    msgs = msgs.astype(MESSAGE_COLUMNS)
    truth = truth.iloc[order].reset_index(drop=True).astype(
        {c: base.truth_messages[c].dtype for c in base.truth_messages.columns})
    new_c = pd.DataFrame(b.cases)
    new_c["source"] = [f"sample seed {seed} matter case {i + 1}" for i in range(len(new_c))]
    cases = pd.concat([base.cases, new_c[list(CASE_COLUMNS)]], ignore_index=True)
    cases = cases.sort_values("case_id", kind="stable").reset_index(drop=True)
    cases = cases.astype(CASE_COLUMNS)
    tc = base.truth_cases.copy()
    tc["expected_matter_verdict"] = tc["expected_verdict"]
    tc["matter"] = "case-" + tc["case_id"].astype(str)
    add = new_c[["case_id", "account", "scenario", "category", "expected_verdict",
                 "expected_matter_verdict", "matter"]].copy()
    add["as_of"] = base.as_of
    tc = pd.concat([tc, add[list(tc.columns)]], ignore_index=True)
    tc = tc.set_index("case_id", drop=False).loc[cases["case_id"]].reset_index(drop=True)
    tc = tc.astype({c: "str" for c in tc.columns if c != "as_of"})
    tc["as_of"] = pd.to_datetime(tc["as_of"], utc=True)
    return sample_cls(messages=msgs, cases=cases, truth_messages=truth, truth_cases=tc,
                      as_of=base.as_of)
