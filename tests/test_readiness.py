"""Readiness verdicts, blockers, reasons, queue and brief on hand-built logs."""

from __future__ import annotations

import pandas as pd
import pytest

from _frames_escalations import Msg, fake_templates, make_log
from caselog import ReadinessRules, brief, readiness, readiness_queue
from caselog.errors import CaseNotFoundError, ConfigError
from caselog.schema import READINESS_COLUMNS

SP = "Seller Performance"
POA = "Our plan of action: root cause, corrective actions and preventive measures."


def judge(msgs, cases=None, as_of=None, rules=None):
    """Readiness of hand-built cases, indexed by case_id."""
    ids = sorted({m.case_id for m in msgs})
    cases = cases if cases is not None else [{"case_id": c} for c in ids]
    log = make_log(msgs, cases)
    r = readiness(log, as_of=as_of, rules=rules, templates=fake_templates(log, msgs))
    return r.set_index("case_id")


def appeal(case, at, **kw):
    kw.setdefault("attachments", 2)
    return Msg(case, at, "seller", POA, kind="poa", team=SP, **kw)


def amz(case, at, cls, body="We reviewed your appeal.", **kw):
    return Msg(case, at, "amazon", body, team=SP, cls=cls, **kw)


def seller(case, at, body="Following up on our appeal.", **kw):
    kw.setdefault("team", SP)
    return Msg(case, at, "seller", body, **kw)


# ------------------------------------------------------------------------------ ready


def test_ready_on_repeat_canned_denials_with_facts():
    msgs = [
        appeal("R", "2026-03-02 10:00"),
        amz("R", "2026-03-03 10:00", "denial", tpl="den"),
        seller("R", "2026-03-04 10:00"),
        amz("R", "2026-03-05 10:00", "denial", canned=True, tpl="den"),
        seller("R", "2026-03-05 12:00"),
        amz("R", "2026-03-06 10:00", "denial", canned=True, tpl="den"),
    ]
    r = judge(msgs).loc["R"]
    assert r["verdict"] == "ready"
    assert r["reasons"] == (
        "3 identical denials since 3 Mar 2026 (2 repeat canned denials); "
        "latest answer (6 Mar 2026) is a canned repeat after 2 follow-ups, the latest on 5 Mar 2026"
    )
    assert r["missing"] == ""
    assert r["repeat_canned_denials"] == 2 and r["canned_repeats"] == 2
    assert r["target_level"] == 2 and r["target"] == "Seller Performance manager"
    assert r["next_step"].startswith("escalate to Seller Performance manager (level 2)")
    assert r["highest_level"] == 0
    assert r["last_amazon_at"] == pd.Timestamp("2026-03-06 10:00", tz="UTC")
    assert "3 seller / 3 Amazon messages" in r["facts"]
    assert "2 repeat canned denials" in r["facts"]


def test_ready_on_silence_after_follow_up():
    msgs = [
        appeal("S", "2026-03-01 10:00"),
        amz("S", "2026-03-02 10:00", "denial"),
        seller("S", "2026-03-04 10:15"),
    ]
    r = judge(msgs, as_of="2026-03-07 09:15").loc["S"]
    assert r["verdict"] == "ready"
    assert r["reasons"] == "no reply for 3 days after follow-up of 4 Mar 2026 10:15 UTC"  # 71 h
    assert r["hours_since_last_seller"] == pytest.approx(71.0)


def test_ready_when_amazon_never_replied_and_wait_passed():
    msgs = [appeal("N", "2026-03-04 10:15")]
    r = judge(msgs, as_of="2026-03-06 12:15").loc["N"]
    assert r["verdict"] == "ready"
    assert r["reasons"] == "no reply for 2 days after message of 4 Mar 2026 10:15 UTC"


def test_ready_on_deflection_after_follow_up():
    msgs = [
        appeal("D", "2026-03-01 10:00"),
        amz("D", "2026-03-02 10:00", "denial"),
        seller("D", "2026-03-03 10:00"),
        amz("D", "2026-03-04 10:00", "deflection", body="This is not the correct channel."),
    ]
    r = judge(msgs).loc["D"]
    assert r["verdict"] == "ready"
    assert r["reasons"] == (
        "latest answer (4 Mar 2026) is a deflection after the follow-up of 3 Mar 2026"
    )


def test_level3_target_after_failed_level2():
    msgs = [
        appeal("L", "2026-03-01 10:00"),
        amz("L", "2026-03-02 10:00", "denial", tpl="den"),
        seller("L", "2026-03-03 10:00", "We request a review by a senior investigator.",
               channel="email"),
        amz("L", "2026-03-04 10:00", "denial", canned=True, tpl="den"),
        seller("L", "2026-03-05 10:00"),
        amz("L", "2026-03-06 10:00", "denial", canned=True, tpl="den"),
    ]
    r = judge(msgs).loc["L"]
    assert r["verdict"] == "ready"
    assert r["highest_level"] == 2
    assert r["target_level"] == 3 and r["target"] == "Executive Seller Relations"


# ------------------------------------------------------------------------------ not yet


def test_pending_information_request_blocks():
    msgs = [
        appeal("P", "2026-03-02 10:00"),
        amz("P", "2026-03-03 10:00", "denial", tpl="den"),
        seller("P", "2026-03-03 12:00"),
        amz("P", "2026-03-04 10:00", "denial", canned=True, tpl="den"),
        seller("P", "2026-03-04 12:00"),
        amz("P", "2026-03-05 10:00", "information request", body="Send invoices."),
    ]
    r = judge(msgs, as_of="2026-03-08 10:00").loc["P"]
    assert r["verdict"] == "not yet"
    assert r["reasons"] == "information request of 5 Mar 2026 not answered"
    assert r["missing"] == "answer to the information request of 5 Mar 2026"
    assert r["pending_information_request_at"] == pd.Timestamp("2026-03-05 10:00", tz="UTC")
    assert r["next_step"].startswith("answer Amazon's information request of 5 Mar 2026")
    assert r["target_level"] == 2  # where it will go once ready


def test_no_standard_channel_blocks():
    msgs = [
        appeal("E", "2026-03-02 10:00", channel="email"),
        amz("E", "2026-03-03 10:00", "deflection", channel="email"),
        seller("E", "2026-03-04 10:00", channel="email"),
        amz("E", "2026-03-05 10:00", "deflection", channel="email", canned=True),
    ]
    r = judge(msgs).loc["E"]
    assert r["verdict"] == "not yet"
    assert r["reasons"] == (
        "standard channel never used: no message in the Seller Central case thread"
    )
    assert r["missing"] == "a message in the Seller Central case thread"


def test_no_poa_and_no_attachments_block_a_suspension_case():
    msgs = [
        seller("A", "2026-03-02 10:00", "Please reinstate us.", attachments=1),
        amz("A", "2026-03-03 10:00", "denial", tpl="den"),
        seller("A", "2026-03-04 10:00"),
        amz("A", "2026-03-05 10:00", "denial", canned=True, tpl="den"),
        seller("A", "2026-03-05 12:00"),
        amz("A", "2026-03-06 10:00", "denial", canned=True, tpl="den"),
        appeal("B", "2026-03-02 10:00", attachments=0),
        amz("B", "2026-03-03 10:00", "denial"),
        seller("B", "2026-03-04 10:00"),
        amz("B", "2026-03-05 10:00", "deflection"),
        # a listing case needs neither POA nor attachments
        seller("C", "2026-03-02 10:00", "Our listing is suppressed."),
        amz("C", "2026-03-03 10:00", "other"),
        seller("C", "2026-03-04 10:00"),
        amz("C", "2026-03-05 10:00", "deflection"),
    ]
    cases = [{"case_id": "A"}, {"case_id": "B", "category": "Policy violation"},
             {"case_id": "C", "category": "Listing suppression"}]
    r = judge(msgs, cases)
    assert r.loc["A", "verdict"] == "not yet"
    assert r.loc["A", "reasons"] == "no plan of action submitted"
    assert r.loc["A", "missing"] == "a plan of action"
    assert r.loc["B", "verdict"] == "not yet"
    assert r.loc["B", "reasons"] == "no documents attached to any message"
    assert r.loc["B", "missing"] == "supporting documents (invoices, supplier details)"
    assert r.loc["C", "verdict"] == "ready"


def test_no_follow_up_blocks():
    msgs = [appeal("F", "2026-03-02 10:00"), amz("F", "2026-03-03 10:00", "denial")]
    r = judge(msgs, as_of="2026-03-08 10:00").loc["F"]
    assert r["verdict"] == "not yet"
    assert r["reasons"] == "no follow-up in the case thread after Amazon's reply of 3 Mar 2026"
    assert r["missing"] == "a follow-up in the case thread"
    assert r["next_step"] == "follow up politely in the same case thread"


def test_inside_the_48h_window_blocks():
    msgs = [
        appeal("W", "2026-03-01 10:00"),
        amz("W", "2026-03-02 10:00", "denial"),
        seller("W", "2026-03-04 10:15"),
    ]
    r = judge(msgs, as_of="2026-03-05 06:15").loc["W"]
    assert r["verdict"] == "not yet"
    assert r["reasons"] == (
        "last message of 4 Mar 2026 10:15 UTC is 20 h old, inside the 48 h window"
    )
    assert r["missing"] == "48 h without an answer (until 6 Mar 2026 10:15 UTC)"
    # a shorter window makes it ready
    r = judge(msgs, as_of="2026-03-05 06:15", rules=ReadinessRules(wait_hours=12)).loc["W"]
    assert r["verdict"] == "ready"
    assert r["reasons"] == "no reply for 20 h after follow-up of 4 Mar 2026 10:15 UTC"


def test_never_replied_inside_window_has_two_blockers():
    msgs = [appeal("N", "2026-03-04 10:15")]
    r = judge(msgs, as_of="2026-03-05 10:15").loc["N"]
    assert r["verdict"] == "not yet"
    assert r["reasons"] == (
        "no follow-up yet; Amazon has not replied; "
        "last message of 4 Mar 2026 10:15 UTC is 24 h old, inside the 48 h window"
    )


def test_standard_channel_still_answering():
    msgs = [
        appeal("O", "2026-03-01 10:00"),
        amz("O", "2026-03-02 10:00", "information request", body="Send invoices."),
        seller("O", "2026-03-03 10:00", "Invoices attached.", attachments=3),
        amz("O", "2026-03-04 10:00", "other", body="Thank you, we are reviewing."),
    ]
    r = judge(msgs, as_of="2026-03-04 12:00").loc["O"]
    assert r["verdict"] == "not yet"
    assert r["reasons"] == "standard channel still answering: latest reply of 4 Mar 2026 (other)"
    assert r["missing"] == ""
    assert pd.isna(r["pending_information_request_at"])


def test_acknowledgement_is_not_a_reply():
    msgs = [
        appeal("K", "2026-03-01 10:00"),
        amz("K", "2026-03-01 10:01", "acknowledgement", body="We received your appeal."),
    ]
    r = judge(msgs, as_of="2026-03-04 10:00").loc["K"]
    assert r["verdict"] == "ready"
    assert r["reasons"] == "no reply for 3 days after message of 1 Mar 2026 10:00 UTC"
    assert pd.isna(r["last_amazon_at"])


# ------------------------------------------------------------------------------ not advisable, closed


def test_routine_inquiry_is_not_advisable():
    msgs = [seller("Q", "2026-03-01 10:00", "How do I change my bank account?")]
    r = judge(msgs, [{"case_id": "Q", "category": "Routine inquiry"}],
              as_of="2026-03-09 10:00").loc["Q"]
    assert r["verdict"] == "not advisable"
    assert r["reasons"] == "routine inquiry: not escalation material"
    assert pd.isna(r["target_level"]) and r["target"] == ""


def test_burned_bridges_are_not_advisable():
    jeff = dict(team="Executive Seller Relations", channel="email")
    msgs = [
        appeal("J", "2026-03-01 10:00"),
        amz("J", "2026-03-02 10:00", "denial"),
        seller("J", "2026-03-03 10:00", "Dear Jeff, please look at our case.", **jeff),
        seller("J", "2026-03-05 10:00", "Dear Jeff, we wrote before.", **jeff),
        amz("J", "2026-03-06 10:00", "denial"),
    ]
    r = judge(msgs).loc["J"]
    assert r["verdict"] == "not advisable"
    assert r["reasons"] == (
        "bridges burned: 2 executive escalations without new material between them "
        "(last 5 Mar 2026)"
    )
    assert r["highest_level"] == 3
    # new material between them keeps the bridge
    msgs[3] = seller("J", "2026-03-05 10:00", "Dear Jeff, new invoices.", attachments=2, **jeff)
    assert judge(msgs).loc["J", "verdict"] != "not advisable"
    # and a looser rule allows two
    r = judge(msgs[:3] + [seller("J", "2026-03-05 10:00", "Dear Jeff", **jeff)] + msgs[4:],
              rules=ReadinessRules(max_exec_without_new_material=2)).loc["J"]
    assert r["verdict"] != "not advisable"


def test_closed_case():
    msgs = [appeal("Z", "2026-03-01 10:00"), amz("Z", "2026-03-02 10:00", "acceptance")]
    r = judge(msgs, [{"case_id": "Z", "status": "closed", "closed_at": "2026-03-05 10:00"}])
    assert r.loc["Z", "verdict"] == "closed"
    assert r.loc["Z", "reasons"] == "case closed on 5 Mar 2026"
    assert r.loc["Z", "urgency"] == 0.0


# ------------------------------------------------------------------------------ frame, queue, rules


def test_columns_cases_only_in_messages_and_queue_order():
    msgs = [
        appeal("R", "2026-03-02 10:00"),
        amz("R", "2026-03-03 10:00", "denial", tpl="den"),
        seller("R", "2026-03-04 10:00"),
        amz("R", "2026-03-05 10:00", "denial", canned=True, tpl="den"),
        seller("R", "2026-03-05 12:00"),
        amz("R", "2026-03-06 10:00", "denial", canned=True, tpl="den"),
        appeal("S", "2026-03-01 10:00"),  # never answered: ready, 0 repeat denials
        appeal("T", "2026-03-05 10:00"),  # inside the window: not yet
        seller("U", "2026-03-01 10:00", "hello"),  # only in the messages
    ]
    log = make_log(msgs, [{"case_id": c} for c in "RST"] + [
        {"case_id": "V", "category": "Routine inquiry"}
    ])
    r = readiness(log, templates=fake_templates(log, msgs))
    assert list(r.columns) == list(READINESS_COLUMNS)
    assert r["case_id"].tolist() == ["R", "S", "T", "U", "V"]
    assert r.set_index("case_id").loc["U", ["category", "status"]].tolist() == ["Unknown", "open"]
    assert r.set_index("case_id").loc["V", "verdict"] == "not advisable"
    assert str(r["target_level"].dtype) == "Int64"
    q = readiness_queue(r)
    assert q["case_id"].tolist() == ["R", "S", "U", "T"]
    assert q["verdict"].tolist() == ["ready", "ready", "ready", "not yet"]
    assert readiness_queue(r, verdicts=("ready",))["case_id"].tolist() == ["R", "S", "U"]


@pytest.mark.parametrize(
    "kw",
    [{"wait_hours": -1}, {"wait_hours": "48"}, {"min_repeat_denials": 0},
     {"min_repeat_denials": 1.5}, {"max_exec_without_new_material": -1},
     {"poa_categories": "Account suspension"}],
)
def test_rules_reject_nonsense(kw):
    with pytest.raises(ConfigError, match=next(iter(kw))):
        ReadinessRules(**kw)


# ------------------------------------------------------------------------------ brief


def test_brief_unknown_case_suggests_close_ids():
    log = make_log([appeal("111-2222", "2026-03-02 10:00")], [{"case_id": "111-2222"}])
    with pytest.raises(CaseNotFoundError, match="111-2223.*did you mean 111-2222"):
        brief(log, "111-2223")


def test_sample_verdicts_match_the_generator(sample):
    r = readiness(sample.log)
    assert len(r) == len(sample.cases) == 300
    m = sample.truth_cases.merge(r[["case_id", "verdict"]], on="case_id", validate="1:1")
    wrong = m[m["expected_verdict"] != m["verdict"]]
    assert wrong.empty, wrong[["case_id", "scenario", "expected_verdict", "verdict"]].to_string()
    assert r["reasons"].ne("").all()
    ready = r[r["verdict"].eq("ready")]
    assert ready["target_level"].notna().all() and ready["missing"].eq("").all()
    q = readiness_queue(r)
    assert q["verdict"].iloc[0] == "ready"
    assert q["urgency"].is_monotonic_decreasing


def test_row_order_and_subsets_do_not_change_verdicts(sample):
    from caselog import find_templates
    from caselog.model import CaseLog

    log = sample.log
    tr = find_templates(log)
    full = readiness(log, templates=tr).set_index("case_id")
    shuffled = CaseLog(
        messages=log.messages.sample(frac=1.0, random_state=7).reset_index(drop=True),
        cases=log.cases.sample(frac=1.0, random_state=8).reset_index(drop=True),
    )
    again = readiness(shuffled, templates=tr).set_index("case_id")
    pd.testing.assert_frame_equal(full, again.loc[full.index])
    ids = full.index[::7]
    part = readiness(log.subset(ids), as_of=log.as_of, templates=tr).set_index("case_id")
    cols = ["verdict", "reasons", "missing", "target_level", "repeat_canned_denials"]
    pd.testing.assert_frame_equal(full.loc[ids, cols], part.loc[ids, cols])
