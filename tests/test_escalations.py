"""Escalation detection, levels, outcomes, quality, rates and bridges on hand-built logs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import caselog
from _frames_escalations import Msg, fake_templates, make_log
from caselog import account_bridges, escalation_quality, escalation_rates, escalations
from caselog.analysis._escalations import wilson_interval
from caselog.errors import ConfigError
from caselog.schema import OUTCOMES, QUALITY_ITEMS

GOOD_BODY = (
    "Case 1234567890: our plan of action of 2 March was denied three times with the same "
    "text, and no reason was given for ASIN B0ABCDEFGH. We submitted invoices from our "
    "supplier dated 14 February 2026 and we have removed the listing. We ask that a senior "
    "investigator review the plan of action and reinstate the account."
)


def run(msgs, cases=None, **kw):
    log = make_log(msgs, cases)
    return escalations(log, templates=fake_templates(log, msgs), **kw)


# ---------------------------------------------------------------------------- detection


def test_levels_targets_and_detected_by():
    msgs = [
        Msg("A", "2026-03-02 10:00", "seller", "Our appeal.", kind="appeal"),
        Msg("A", "2026-03-02 11:00", "seller", "Could you please escalate this case?"),
        Msg("A", "2026-03-02 12:00", "seller", "x", kind="escalation"),
        Msg("A", "2026-03-02 13:00", "seller", "We ask for a review by a senior investigator.",
            channel="email", team="Seller Performance"),
        Msg("A", "2026-03-02 14:00", "seller", "On the call we asked for the Captive Team.",
            channel="phone", team="Account Health Services"),
        Msg("A", "2026-03-02 15:00", "seller", "Dear Jeff, please help.", channel="email",
            team="Executive Seller Relations"),
        Msg("A", "2026-03-02 16:00", "seller", "Copy to Andy Jassy about case 1.", channel="email",
            team="Seller Support"),
        Msg("A", "2026-03-02 17:00", "seller", "Please ask a Product Quality manager to review.",
            channel="email", team="Product Quality"),
    ]
    esc = run(msgs)
    assert esc["message_id"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert esc["level"].tolist() == [1, 1, 2, 2, 3, 3, 2]
    assert esc["target"].tolist() == [
        "in-thread request", "in-thread request", "Senior investigator", "Captive Team",
        "Executive Seller Relations", "Executive Seller Relations", "Product Quality manager",
    ]
    assert esc["detected_by"].tolist() == [
        "text", "kind", "recipient", "recipient", "recipient", "recipient", "recipient"
    ]
    assert esc["team"].iloc[4] == "Executive Seller Relations"
    assert list(esc.columns) == [
        "message_id", "case_id", "account", "category", "sent_at", "level", "target",
        "detected_by", "team", "outcome", "outcome_message_id", "outcome_at", "hours_to_outcome",
        "new_material", "quality_score", "quality_missing",
    ]


def test_executive_addresses_and_titles():
    msgs = [
        Msg("A", "2026-03-02 10:00", "seller", "To: jeff@amazon.com\nPlease look at case 1.",
            channel="email", team="Seller Support"),
        Msg("A", "2026-03-02 11:00", "seller", "We ask a VP to review the denial.",
            channel="email"),
        Msg("A", "2026-03-02 12:00", "seller", "We request an executive review of this case.",
            channel="email"),
        Msg("A", "2026-03-02 13:00", "seller", "Our executive assistant will send the invoices."),
        Msg("A", "2026-03-02 14:00", "seller", "Our VP of sales asked about the appeal status.",
            channel="email", team="Executive Seller Relations"),
    ]
    esc = run(msgs)
    assert esc["message_id"].tolist() == [0, 1, 2, 4]
    assert esc["level"].tolist() == [3, 3, 3, 3]
    assert esc["detected_by"].tolist() == ["recipient"] * 4


def test_reported_escalations_are_not_seller_escalations():
    msgs = [
        Msg("A", "2026-03-02 10:00", "seller", "The AHS rep said he escalated it. Any update?",
            team="Account Health Services", channel="phone"),
        Msg("A", "2026-03-02 11:00", "seller", "Account health told us they would escalate it."),
        Msg("A", "2026-03-03 10:00", "amazon", "I have escalated this to the relevant team.",
            team="Account Health Services"),
        Msg("A", "2026-03-03 11:00", "amazon", "Please escalate via the form.", cls="deflection"),
    ]
    assert run(msgs).empty


def test_level1_phrases():
    msgs = [
        Msg("A", "2026-03-02 10:00", "seller", "Kindly escalate this to a supervisor."),
        Msg("A", "2026-03-02 11:00", "seller", "We would like to escalate this matter."),
        Msg("A", "2026-03-02 12:00", "seller", "Escalate this case to a manager now."),
        Msg("A", "2026-03-02 13:00", "seller", "We escalated nothing; just a question."),
        Msg("A", "2026-03-02 14:00", "seller", "Escalate this please, it has gone on long enough."),
        Msg("A", "2026-03-02 15:00", "seller", "We request that this case be escalated to a "
            "supervisor."),
        Msg("A", "2026-03-02 16:00", "seller", "They told us the case would be escalated."),
    ]
    esc = run(msgs)
    assert esc["message_id"].tolist() == [0, 1, 2, 4, 5]
    assert esc["level"].tolist() == [1, 1, 1, 1, 1]
    assert set(esc["target"]) == {"in-thread request"}


# ---------------------------------------------------------------------------- outcomes


def test_outcomes_canned_denied_positive_no_answer_waiting():
    msgs = [
        # case A: escalation answered by an ack, then a canned denial -> canned (not denied)
        Msg("A", "2026-03-02 10:00", "amazon", "Your account is deactivated.", cls="denial",
            tpl="deact"),
        Msg("A", "2026-03-03 10:00", "seller", "Please escalate this to a manager."),
        Msg("A", "2026-03-03 10:05", "amazon", "We received your message.",
            cls="acknowledgement"),
        Msg("A", "2026-03-04 16:00", "amazon", "Your account is deactivated.", cls="denial",
            canned=True, tpl="deact"),
        # case B: a fresh denial -> denied
        Msg("B", "2026-03-03 10:00", "seller", "Please escalate this to a manager."),
        Msg("B", "2026-03-03 22:00", "amazon", "We cannot accept your appeal.", cls="denial"),
        # case C: reinstated -> positive
        Msg("C", "2026-03-03 10:00", "seller", "Please escalate this to a manager."),
        Msg("C", "2026-03-05 10:00", "amazon", "Your account is reinstated.", cls="acceptance"),
        # case D: nothing for 72 h -> no answer
        Msg("D", "2026-03-03 10:00", "seller", "Please escalate this to a manager."),
        # case E: 24 h, nothing -> waiting; case F: ack only, 24 h -> acknowledged
        Msg("E", "2026-03-05 10:00", "seller", "Please escalate this to a manager."),
        Msg("F", "2026-03-05 10:00", "seller", "Please escalate this to a manager."),
        Msg("F", "2026-03-05 10:01", "amazon", "We received your message.",
            cls="acknowledgement"),
        # case G: deflection / information request
        Msg("G", "2026-03-03 10:00", "seller", "Please escalate this to a manager."),
        Msg("G", "2026-03-03 12:00", "amazon", "Not the correct channel.", cls="deflection"),
        Msg("G", "2026-03-04 10:00", "seller", "Please escalate this to a supervisor."),
        Msg("G", "2026-03-04 12:00", "amazon", "Send invoices.", cls="information request"),
        # as_of = newest message + anchor
        Msg("Z", "2026-03-06 10:00", "seller", "hello"),
    ]
    esc = run(msgs).set_index("case_id")
    assert esc.loc["A", "outcome"] == "canned"
    assert esc.loc["A", "outcome_message_id"] == 3
    assert esc.loc["A", "hours_to_outcome"] == pytest.approx(30.0)
    assert esc.loc["B", "outcome"] == "denied"
    assert esc.loc["B", "hours_to_outcome"] == pytest.approx(12.0)
    assert esc.loc["C", "outcome"] == "positive"
    assert esc.loc["D", "outcome"] == "no answer"
    assert pd.isna(esc.loc["D", "outcome_message_id"])
    assert np.isnan(esc.loc["D", "hours_to_outcome"])
    assert esc.loc["E", "outcome"] == "waiting"
    assert esc.loc["F", "outcome"] == "acknowledged"
    assert esc.loc["G", "outcome"].tolist() == ["deflected", "information request"]
    assert set(esc["outcome"]) <= set(OUTCOMES)
    assert str(esc["outcome_message_id"].dtype) == "Int64"


def test_wait_hours_and_as_of_change_waiting_to_no_answer():
    msgs = [
        Msg("D", "2026-03-03 10:00", "seller", "Please escalate this to a manager."),
        Msg("D", "2026-03-04 09:00", "seller", "hello"),
    ]
    assert run(msgs)["outcome"].tolist() == ["waiting"]
    assert run(msgs, wait_hours=20)["outcome"].tolist() == ["no answer"]
    assert run(msgs, as_of="2026-03-05 10:00")["outcome"].tolist() == ["no answer"]
    with pytest.raises(ConfigError, match="wait_hours"):
        run(msgs, wait_hours=-1)
    with pytest.raises(ConfigError, match="wait_hours"):
        run(msgs, wait_hours="48")


# ---------------------------------------------------------------------------- new material


def test_new_material_since_previous_escalation():
    msgs = [
        Msg("A", "2026-03-02 10:00", "seller", "Dear Jeff, we appeal.", team="Executive Seller Relations",
            channel="email"),  # first: nothing sent before, no attachment -> False
        Msg("A", "2026-03-03 10:00", "seller", "Our plan of action is below.", kind="poa"),
        Msg("A", "2026-03-04 10:00", "seller", "Dear Jeff, again.", team="Executive Seller Relations",
            channel="email"),  # POA since the previous one -> True
        Msg("A", "2026-03-05 10:00", "seller", "Dear Jeff, again!", team="Executive Seller Relations",
            channel="email"),  # nothing new -> False
        Msg("A", "2026-03-06 10:00", "seller", "Dear Jeff, invoices attached.",
            team="Executive Seller Relations", channel="email", attachments=3),  # -> True
    ]
    esc = run(msgs)
    assert esc["new_material"].tolist() == [False, True, False, True]
    bridges = account_bridges(esc, make_log(msgs).messages)
    assert bridges.to_dict("records") == [
        {"account": "acme", "exec_escalations": 4, "exec_with_new_material": 2,
         "exec_repeats_without_new_material": 1, "bridges_at_risk": True}
    ]


def test_account_bridges_without_messages_uses_new_material():
    msgs = [
        Msg("A", "2026-03-02 10:00", "seller", "Dear Jeff", team="Executive Seller Relations",
            channel="email", attachments=1),
        Msg("A", "2026-03-04 10:00", "seller", "Dear Jeff", team="Executive Seller Relations",
            channel="email", attachments=1),
        Msg("B", "2026-03-04 10:00", "seller", "Please escalate this to a manager.",
            account="other"),
    ]
    out = account_bridges(run(msgs))
    assert out["account"].tolist() == ["acme", "other"]
    assert out["exec_escalations"].tolist() == [2, 0]
    assert out["exec_repeats_without_new_material"].tolist() == [0, 0]
    assert out["bridges_at_risk"].tolist() == [False, False]


# ---------------------------------------------------------------------------- quality


def test_quality_full_score_and_named_missing_items():
    m = pd.DataFrame(
        {
            "message_id": [1, 2, 3],
            "case_id": ["1234567890", "55", "77"],
            "subject": ["Case 1234567890 – suspension – request for senior review",
                        "URGENT!!! READ NOW", "ESCALATION"],
            "body": [GOOD_BODY, "We want to escalate this.", "Please review case 77."],
            "attachments": [2, 0, 1],
        }
    )
    q = escalation_quality(m)
    assert q["score"].tolist() == [7, 0, 3]
    assert q["missing"].iloc[0] == ""
    assert q["missing"].iloc[1] == ", ".join(QUALITY_ITEMS)
    assert q["missing"].iloc[2] == (
        "facts and figures, what was done, more than a one-liner, plain subject"
    )


@pytest.mark.parametrize(
    ("subject", "plain"),
    [
        ("Escalation request: case 123 for account deactivation", True),
        ("Case 1 – Account suspension – request for senior review", True),
        ("ASIN B0DZR8B6S2 suppressed", True),
        ("", True),
        ("URGENT!!! READ NOW", False),
        ("Jeff, please help!!!", False),
        ("FINAL NOTICE - legal action", False),
        ("PLEASE REINSTATE", False),
    ],
)
def test_quality_plain_subject(subject, plain):
    m = pd.DataFrame({"message_id": [1], "subject": [subject], "body": ["x"]})
    assert ("plain subject" not in escalation_quality(m)["missing"].iloc[0]) is plain


def test_quality_columns_in_escalations():
    msgs = [
        Msg("1234567890", "2026-03-02 10:00", "seller", GOOD_BODY, attachments=2,
            subject="Case 1234567890 – request for senior review", channel="email",
            team="Seller Performance"),
    ]
    esc = run(msgs)
    assert esc["quality_score"].tolist() == [7]
    assert esc["quality_missing"].tolist() == [""]


# ---------------------------------------------------------------------------- rates


def test_wilson_interval_known_values():
    lo, hi = wilson_interval(8, 10)
    assert (round(float(lo), 3), round(float(hi), 3)) == (0.490, 0.943)
    lo, hi = wilson_interval(np.array([0, 5]), np.array([0, 5]))
    assert np.isnan(lo[0]) and np.isnan(hi[0])
    assert hi[1] == pytest.approx(1.0)
    assert lo[1] == pytest.approx(0.5655, abs=1e-4)


def test_escalation_rates_by_level_and_list():
    esc = pd.DataFrame(
        {
            "level": [1] * 10 + [2, 2, 3],
            "target": ["in-thread request"] * 10 + ["Captive Team", "Captive Team",
                                                    "Executive Seller Relations"],
            "team": ["Seller Support"] * 13,
            "outcome": ["positive"] * 8 + ["denied", "canned", "waiting", "no answer",
                                           "acknowledged"],
        }
    )
    r = escalation_rates(esc)
    assert r["level"].tolist() == [1, 2, 3]
    assert r["n"].tolist() == [10, 2, 1]
    assert r["n_decided"].tolist() == [10, 1, 0]
    assert r["n_positive"].tolist() == [8, 0, 0]
    assert r["rate"].iloc[0] == pytest.approx(0.8)
    assert (round(r["ci_low"].iloc[0], 3), round(r["ci_high"].iloc[0], 3)) == (0.490, 0.943)
    assert np.isnan(r["rate"].iloc[2])
    assert r["outcome_canned"].tolist() == [1, 0, 0]
    assert r["outcome_no_answer"].tolist() == [0, 1, 0]
    assert r["outcome_waiting"].tolist() == [0, 1, 0]
    assert [c for c in r.columns if c.startswith("outcome_")] == [
        "outcome_" + o.replace(" ", "_") for o in OUTCOMES
    ]
    r2 = escalation_rates(esc, by=["team", "target"])
    assert r2[["team", "target", "n"]].values.tolist() == [
        ["Seller Support", "Captive Team", 2],
        ["Seller Support", "Executive Seller Relations", 1],
        ["Seller Support", "in-thread request", 10],
    ]
    with pytest.raises(ConfigError, match="nope"):
        escalation_rates(esc, by="nope")


def test_empty_log_gives_empty_frame():
    msgs = [Msg("A", "2026-03-02 10:00", "seller", "A question about fees.")]
    esc = run(msgs)
    assert esc.empty and "quality_missing" in esc.columns
    assert escalation_rates(esc).empty


# ---------------------------------------------------------------------------- the sample


def test_sample_escalations_match_truth(sample):
    esc = escalations(sample.log)
    truth = sample.truth_messages.assign(message_id=sample.messages["message_id"].to_numpy())
    truth = truth[truth["is_escalation"]]
    j = truth.merge(esc, on="message_id", how="outer", indicator=True)
    assert (j["_merge"] == "both").all(), j[j["_merge"] != "both"].to_string()
    assert (j["escalation_level"] == j["level"]).all()
    assert set(esc["outcome"]) <= set(OUTCOMES)
    # executive repeats without new material in the exec_canned scenario burn bridges
    bridges = account_bridges(esc, sample.messages)
    assert bridges["bridges_at_risk"].any()
    rates = escalation_rates(esc, by=["level"])
    assert rates["n"].sum() == len(esc)


def test_sample_row_order_does_not_change_escalations(sample):
    from caselog import find_templates
    from caselog.model import CaseLog

    log = sample.log
    tr = find_templates(log)
    shuffled = CaseLog(
        messages=log.messages.sample(frac=1.0, random_state=3).reset_index(drop=True),
        cases=log.cases,
    )
    pd.testing.assert_frame_equal(
        escalations(log, templates=tr), escalations(shuffled, templates=tr)
    )


def test_bad_templates_argument_is_named():
    from caselog.errors import SchemaError

    msgs = [Msg("A", "2026-03-02 10:00", "seller", "Please escalate this to a manager."),
            Msg("A", "2026-03-03 10:00", "amazon", "No.", cls="denial")]
    log = make_log(msgs)
    with pytest.raises(ConfigError, match="find_templates"):
        escalations(log, templates=42)
    with pytest.raises(SchemaError, match="is_canned_repeat"):
        escalations(log, templates=pd.DataFrame({"message_id": [1], "reply_class": ["denial"]}))


def test_sample_escalations_match_the_ground_truth(sample):
    esc = caselog.escalations(sample.log)
    truth = sample.truth_messages
    want = truth[truth["is_escalation"].astype(bool)]
    got = esc.merge(truth, left_on="message_id", right_index=True, validate="1:1")
    assert len(esc) == len(want) == 155
    assert (got["level"] == got["escalation_level"].astype(int)).all()
    assert (got["target"] == got["escalation_target"]).all()


def test_outcome_of_tied_replies_is_the_lowest_message_id_whatever_the_row_order():
    from caselog.model import CaseLog

    msgs = [
        Msg("1", "2026-03-02 10:00", "seller", "Please escalate this case."),
        Msg("1", "2026-03-03 10:00", "amazon", "Your appeal is denied.", cls="denial"),
        Msg("1", "2026-03-03 10:00", "amazon", "Your account is reinstated.", cls="acceptance"),
    ]
    log = make_log(msgs, [{"case_id": "1"}])
    tr = fake_templates(log, msgs)
    rev = CaseLog(messages=log.messages.iloc[::-1].reset_index(drop=True), cases=log.cases)
    for lg in (log, rev):
        e = escalations(lg, templates=tr)
        assert e[["outcome", "outcome_message_id"]].values.tolist() == [["denied", 1]]


def test_matching_texts_in_slices_equal_one_pass(monkeypatch):
    """The escalation prefilter's texts, made a few rows at a time, are those of one pass:
    same rows (index labels), same "subject\\nbody" values, missing values as ""."""
    from caselog.analysis import _frame

    frame = pd.DataFrame(
        {"subject": ["Escalate please", None, "hi", "", "re: manager"] * 3,
         "body": ["to a manager", "nothing", None, "please escalate this", "x"] * 3},
        index=range(100, 115),
    ).astype("str")
    rows = np.array([0, 1, 2, 3, 4, 6, 8, 9, 13, 14])
    text = _frame.message_text(frame.iloc[rows])
    expected = text[_frame.rx_contains(text, "escalat|manager").to_numpy()]
    monkeypatch.setattr(_frame, "_TEXT_ROWS", 3)
    at, got = _frame.matching_texts(frame, rows, "escalat|manager")
    pd.testing.assert_series_equal(got, expected)
    assert at.tolist() == [0, 3, 4, 8, 9, 13, 14]
    assert got.index.tolist() == [100, 103, 104, 108, 109, 113, 114]
    assert got.loc[103] == "\nplease escalate this"
    assert len(_frame.matching_texts(frame, rows[:0], "x")[1]) == 0
