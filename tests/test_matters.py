"""Matters: each link rule and each non-link on hand-built logs, overrides, the sample's true
matters, readiness changed by the matter, the CLI command and the timeline chart."""

from __future__ import annotations

import itertools
import json

import matplotlib
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

import caselog  # noqa: E402
from _frames_escalations import Msg, fake_templates, make_log  # noqa: E402
from caselog import escalations, matter_readiness, matters, readiness  # noqa: E402
from caselog.analysis import MATTER_COLUMNS, MATTER_LINK_COLUMNS  # noqa: E402
from caselog.errors import ConfigError  # noqa: E402

A, B, C = "1000000001", "1000000002", "1000000003"
SP, ESR = "Seller Performance", "Executive Seller Relations"
POA = "Our plan of action: root cause, corrective actions and preventive measures."


def link(msgs, cases=None, **kw):
    log = make_log(msgs, cases)
    return matters(log, templates=fake_templates(log, msgs), **kw)


def pairs(result):
    used = result.links[result.links["applied"]]
    return {(a, b, r) for a, b, r in zip(used["case_a"], used["case_b"], used["rule"], strict=True)}


def same_matter(result, a, b):
    return result.matter_of(a) == result.matter_of(b)


# ------------------------------------------------------------------------------ link rules
def test_case_reference_links_and_says_where():
    r = link([Msg(A, "2026-03-01 09:00", "seller", "Our listing is down."),
              Msg(B, "2026-03-09 10:00", "seller", "Following up on case 1000000001: no answer.",
                  channel="email")])
    assert pairs(r) == {(A, B, "case_reference")}
    ev = r.links["evidence"].iloc[0]
    assert "case 1000000002 quotes case 1000000001" in ev and "2026-03-09" in ev
    assert "email" in ev and "Following up on case 1000000001" in ev
    row = r.matters.set_index("case_id").loc[A]
    assert row["n_cases"] == 2 and row["matter_id"] == "M-1" and row["linked_by"] == "case_reference"
    assert list(r.matters.columns) == list(MATTER_COLUMNS)
    assert list(r.links.columns) == list(MATTER_LINK_COLUMNS)


def test_case_reference_crosses_accounts_but_a_longer_number_does_not_match():
    r = link([Msg(A, "2026-03-01 09:00", "seller", "x", account="acme"),
              Msg(B, "2026-03-02 09:00", "seller", "[CASE 1000000001] see there", account="other"),
              Msg(C, "2026-03-03 09:00", "seller", "reference 10000000012 and 1000000001-7")])
    assert pairs(r) == {(A, B, "case_reference")}
    assert r.links["account_b"].iloc[0] == "other"


def test_same_asin_within_the_window_links():
    r = link([Msg(A, "2026-03-01 09:00", "seller", "ASIN B0AAAAAAAA is suppressed"),
              Msg(B, "2026-03-20 09:00", "seller", "Listing B0AAAAAAAA still down")])
    assert pairs(r) == {(A, B, "same_asin")}
    assert "ASIN B0AAAAAAAA" in r.links["evidence"].iloc[0]
    assert "19 days apart" in r.links["evidence"].iloc[0]


def test_same_asin_months_apart_or_across_accounts_does_not_link():
    r = link([Msg(A, "2026-01-05 09:00", "seller", "ASIN B0AAAAAAAA is suppressed"),
              Msg(A, "2026-01-10 09:00", "amazon", "Reactivated."),
              Msg(B, "2026-06-01 09:00", "seller", "ASIN B0AAAAAAAA is suppressed"),
              Msg(C, "2026-06-02 09:00", "seller", "ASIN B0AAAAAAAA", account="other")])
    assert pairs(r) == set()
    assert r.matters["n_cases"].eq(1).all()
    # the window is a parameter: 150 days reach across the gap (B starts 142 days after A ends)
    assert pairs(link([Msg(A, "2026-01-05 09:00", "seller", "B0AAAAAAAA"),
                       Msg(B, "2026-06-01 09:00", "seller", "B0AAAAAAAA")],
                      window_days=150)) == {(A, B, "same_asin")}


def test_asins_of_the_cases_table_count():
    cases = [{"case_id": A, "asins": "B0AAAAAAAA, B0BBBBBBBB"}, {"case_id": B, "asins": "B0BBBBBBBB"}]
    r = link([Msg(A, "2026-03-01 09:00", "seller", "x"), Msg(B, "2026-03-02 09:00", "seller", "y")],
             cases)
    assert pairs(r) == {(A, B, "same_asin")}


def test_same_order_links():
    r = link([Msg(A, "2026-03-01 09:00", "seller", "Order 111-2222222-3333333 was refunded"),
              Msg(B, "2026-03-03 09:00", "seller", "About order 111-2222222-3333333")])
    assert pairs(r) == {(A, B, "same_order")}


def test_same_thread_column():
    log = make_log([Msg(A, "2026-03-01 09:00", "seller", "x"),
                    Msg(B, "2026-03-04 09:00", "seller", "y"),
                    Msg(C, "2026-03-05 09:00", "seller", "z", account="other")])
    log.messages["thread_id"] = ["<t1@mail>", "<t1@mail>", "<t1@mail>"]
    r = matters(log)
    assert pairs(r) == {(A, B, "same_thread")}  # never across accounts
    assert "<t1@mail>" in r.links["evidence"].iloc[0]


def notice(case, at, account="acme", body="Your account has been deactivated."):
    return Msg(case, at, "amazon", body, team=SP, cls="denial", tpl="n1", channel="email",
               account=account)


def test_same_notice_starting_both_cases():
    r = link([notice(A, "2026-03-01 09:00"),
              Msg(B, "2026-03-03 09:00", "seller", POA),
              notice(B, "2026-03-05 09:00")])
    assert pairs(r) == {(A, B, "same_notice")}
    assert "template n1" in r.links["evidence"].iloc[0]


def test_same_notice_across_accounts_or_for_other_asins_does_not_link():
    r = link([notice(A, "2026-03-01 09:00", "acme"), notice(B, "2026-03-02 09:00", "other"),
              notice(C, "2026-03-03 09:00", "acme", "Deactivated over ASIN B0CCCCCCCC."),
              notice("1000000004", "2026-03-04 09:00", "acme", "Deactivated over ASIN B0DDDDDDDD.")])
    # A-B: two accounts; C-D: other ASINs; A-C, A-D: one names an ASIN, the other none
    assert pairs(r) == set()


def test_acknowledgements_are_not_notices():
    msgs = [Msg(A, "2026-03-01 09:00", "amazon", "Thanks", cls="acknowledgement", tpl="ack"),
            Msg(B, "2026-03-02 09:00", "amazon", "Thanks", cls="acknowledgement", tpl="ack")]
    assert pairs(link(msgs)) == set()


# ------------------------------------------------------------------------------ overrides
def test_user_links_table_and_column():
    msgs = [Msg(A, "2026-03-01 09:00", "seller", "x"), Msg(B, "2026-05-01 09:00", "seller", "y"),
            Msg(C, "2026-07-01 09:00", "seller", "z")]
    r = link(msgs, links=[(A, B, "same suspension")])
    assert pairs(r) == {(A, B, "user")}
    assert "same suspension" in r.links["evidence"].iloc[0]
    r = link(msgs, links=pd.DataFrame({"case_a": [C], "case_b": [A]}))
    assert pairs(r) == {(A, C, "user")}  # case_a is the earlier case
    log = make_log(msgs, [{"case_id": A}, {"case_id": B}, {"case_id": C}])
    log.cases["matter"] = ["susp-1", "", "susp-1"]
    assert pairs(matters(log)) == {(A, C, "user")}


def test_unlink_keeps_the_pair_apart_and_reports_it():
    msgs = [Msg(A, "2026-03-01 09:00", "seller", "B0AAAAAAAA"),
            Msg(B, "2026-03-02 09:00", "seller", "see case 1000000001"),
            Msg(C, "2026-03-03 09:00", "seller", "see case 1000000002")]
    r = link(msgs, unlink=[(A, C)])
    assert same_matter(r, A, B) and not same_matter(r, A, C)
    refused = r.links[~r.links["applied"]]
    assert len(refused) == 1 and "not applied: unlink of" in refused["evidence"].iloc[0]


def test_override_errors_name_the_row():
    msgs = [Msg(A, "2026-03-01 09:00", "seller", "x")]
    with pytest.raises(ConfigError, match="links row 1: case ID '999' is not in the log"):
        link(msgs, links=[(A, "999")])
    with pytest.raises(ConfigError, match="unlink row 1"):
        link(msgs, unlink=["AB"])
    with pytest.raises(ConfigError, match="window_days"):
        link(msgs, window_days=-1)


# ------------------------------------------------------------------------------ the sample
def _pairs_of(groups):
    out = set()
    for _, ids in groups:
        out |= set(itertools.combinations(sorted(ids), 2))
    return out


def test_sample_true_matters_precision_and_recall():
    s = caselog.sample.generate(n_matters=12)
    r = caselog.analyse(s.log).matters
    truth = _pairs_of(s.truth_cases.groupby("matter")["case_id"])
    found = _pairs_of(r.matters.groupby("matter_id")["case_id"])
    tp = len(truth & found)
    assert len(truth) == 60
    assert tp / len(found) >= 0.98 and tp / len(truth) >= 0.9
    # the decoys stay alone
    decoys = s.truth_cases.loc[s.truth_cases["scenario"].str.startswith("decoy"), "case_id"]
    assert r.matters.set_index("case_id").loc[decoys, "n_cases"].eq(1).all()


def test_default_sample_has_no_links_and_readiness_unchanged(sample):
    a = caselog.analyse(sample.log)
    assert a.matters.links.empty and a.matters.matters["n_cases"].eq(1).all()
    mr = a.matter_readiness
    assert not mr["matter_changed"].any()
    pd.testing.assert_frame_equal(mr[list(a.readiness.columns)], a.readiness)


def test_sample_matter_verdicts_match_the_truth():
    s = caselog.sample.generate(n_matters=12)
    a = caselog.analyse(s.log)
    mr = a.matter_readiness.set_index("case_id")
    tc = s.truth_cases.set_index("case_id").loc[mr.index]
    assert (mr["case_verdict"] == tc["expected_verdict"]).all()
    assert (mr["verdict"] == tc["expected_matter_verdict"]).all()
    assert int((mr["verdict"] != mr["case_verdict"]).sum()) == 15
    assert int(mr["matter_changed"].sum()) == 21


def test_filtered_view_keeps_matter_ids():
    s = caselog.sample.generate(n_cases=30, n_matters=4)
    a = caselog.analyse(s.log)
    acct = a.matters.matters.query("n_cases > 1")["account"].iloc[0]
    v = a.filter(accounts=acct)
    whole = a.matters.matters.set_index("case_id")["matter_id"]
    part = v.matters.matters.set_index("case_id")["matter_id"]
    assert (part == whole.loc[part.index]).all() and set(v.matters.matters["account"]) == {acct}


def test_matter_summary_counts_across_cases():
    s = caselog.sample.generate(n_cases=20, n_matters=1)  # one suspension over five cases
    row = caselog.analyse(s.log).matter_summary().query("n_cases > 1").iloc[0]
    assert row["n_cases"] == 5 and row["channels"] == "email, case"
    # the same denial twice in the appeal and twice in the new case (three repeats in the
    # matter, one in each case) and the executive team's canned reply in both executive e-mails
    # (one more repeat in the matter, none in a case)
    assert row["case_repeat_canned_denials"] == 2 and row["repeat_canned_denials"] == 4
    assert row["escalations_level_3"] == 2 and row["first_message"].startswith("case ")
    assert "amazon email" in row["first_message"]


# ------------------------------------------------------------------------------ readiness
def _burn_log(n_exec, lead=0.0):
    """Cases A (ready alone), B and C (executive e-mails); ``lead`` is added to A's urgency
    before the matter is applied (1e7 = a seller deadline near)."""
    msgs = [
        Msg(A, "2026-03-01 09:00", "seller", POA, kind="poa", team=SP, attachments=2),
        Msg(A, "2026-03-03 09:00", "amazon", "No.", team=SP, cls="denial", tpl="d"),
        Msg(A, "2026-03-04 09:00", "seller", "Please review.", kind="follow-up", team=SP),
        Msg(A, "2026-03-06 09:00", "amazon", "No.", team=SP, cls="denial", tpl="d", canned=True),
        Msg(B, "2026-03-08 09:00", "seller", "Dear Jeff Bezos, we appealed in case 1000000001.",
            team=ESR, channel="email"),
        Msg(B, "2026-03-10 09:00", "amazon", "Decision stands.", team=ESR, cls="denial", tpl="e"),
    ]
    if n_exec == 2:
        msgs += [
            Msg(C, "2026-03-15 09:00", "seller", "Dear Jeff Bezos, again: see case 1000000002.",
                team=ESR, channel="email"),
            Msg(C, "2026-03-18 09:00", "amazon", "Decision stands.", team=ESR, cls="denial",
                tpl="e"),
        ]
    log = make_log(msgs, [{"case_id": c} for c in sorted({m.case_id for m in msgs})])
    tm = fake_templates(log, msgs)
    esc = escalations(log, as_of="2026-03-25", templates=tm)
    r = readiness(log, as_of="2026-03-25", templates=tm, escalations=esc)
    r.loc[r["case_id"] == A, "urgency"] += lead
    res = matters(log, templates=tm)
    mr = matter_readiness(r, res, log=log, escalations=esc, templates=tm)
    return r.set_index("case_id"), mr.set_index("case_id")


def test_two_executive_escalations_in_the_matter_burn_the_bridge_for_every_case():
    r, mr = _burn_log(2)
    assert r.at[A, "verdict"] == "ready" and r.at[A, "target_level"] == 2
    assert mr.at[A, "verdict"] == "not advisable" and mr.at[A, "case_verdict"] == "ready"
    assert mr.at[A, "matter_reason"] == (
        "matter M-1: bridges burned: 2 executive escalations without new material between "
        "them (case 1000000002 on 2026-03-08, case 1000000003 on 2026-03-15)")
    assert mr.at[A, "reasons"].startswith("matter M-1: bridges burned")
    assert "case alone: " in mr.at[A, "reasons"]
    assert pd.isna(mr.at[A, "target_level"]) and mr.at[A, "urgency"] < 2e6


def test_a_near_deadline_keeps_its_place_when_the_matter_changes_the_verdict():
    """Readiness adds 1e7 to the urgency of a case whose seller deadline is near (it goes first
    in the queue); the matter's new verdict re-ranks the case but keeps that lead."""
    r, _ = _burn_log(2)
    _, mr = _burn_log(2, lead=1e7)
    assert mr.at[A, "verdict"] == "not advisable"
    # deadline lead 1e7 + rank of "not advisable" (1) * 1e6 + the case's own remainder
    assert mr.at[A, "urgency"] == 1e7 + 1e6 + (r.at[A, "urgency"] % 1e6)


def test_one_executive_escalation_elsewhere_raises_the_target():
    r, mr = _burn_log(1)
    assert mr.at[A, "verdict"] == "ready" and mr.at[A, "target_level"] == 3
    assert mr.at[A, "target"] == "Executive Seller Relations"
    assert mr.at[A, "matter_reason"] == (
        "matter M-1: executive escalation already sent in case 1000000002 on 2026-03-08")
    assert "with new material only" in mr.at[A, "next_step"]
    assert mr.at[A, "matter_changed"]


def test_unlinked_the_verdicts_stay():
    msgs = [Msg(A, "2026-03-01 09:00", "seller", POA, kind="poa", team=SP, attachments=2),
            Msg(A, "2026-03-03 09:00", "amazon", "No.", team=SP, cls="denial", tpl="d")]
    log = make_log(msgs, [{"case_id": A}])
    tm = fake_templates(log, msgs)
    esc = escalations(log, templates=tm)
    r = readiness(log, templates=tm, escalations=esc)
    mr = matter_readiness(r, matters(log, templates=tm), log=log, escalations=esc, templates=tm)
    assert not mr["matter_changed"].any() and (mr["verdict"] == r["verdict"]).all()


# ------------------------------------------------------------------------------ faces
def test_cli_matters(tmp_path, capsys):
    from caselog.cli import main

    s = caselog.sample.generate(n_cases=20, n_matters=2)
    path = tmp_path / "m.csv"
    s.messages.to_csv(path, index=False)
    assert main(["matters", str(path), "-q", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and {r["n_cases"] for r in rows} == {5, 3}
    assert main(["matters", str(path), "-q", "--links", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("case_a,case_b,rule,evidence")
    assert main(["matters", str(path), "-q"]) == 0
    assert "M-" in capsys.readouterr().out


def test_plot_matter_timeline_lanes():
    s = caselog.sample.generate(n_cases=20, n_matters=1)
    a = caselog.analyse(s.log)
    mid = a.matters.matters.query("n_cases > 1")["matter_id"].iloc[0]
    ax = caselog.plot_matter_timeline(a, mid)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 5 and all("(" in t for t in labels)
    assert labels[0].endswith("(email)")
    with pytest.raises(ConfigError, match="unknown matter ID"):
        caselog.plot_matter_timeline(a, "M-0")
    ax2 = caselog.plot_matter_timeline({"log": a.log, "matters": a.matters}, mid)
    assert len(ax2.get_yticklabels()) == 5
    import matplotlib.pyplot as plt

    plt.close("all")


def test_matter_summary_by_hand():
    # A: seller 03-01 09:00, answered 03-02 09:00 (24 h); B quotes A: seller 03-01 21:00,
    # answered 03-03 09:00 (36 h, overlapping A's wait by 12 h); then B waits from 03-04 09:00
    # to as_of 03-05 09:00 (24 h).  Without an answer: 03-01 09:00..03-03 09:00 + 24 h = 72 h.
    msgs = [Msg(A, "2026-03-01 09:00", "seller", "Listing B0AAAAAAAA down."),
            Msg(A, "2026-03-02 09:00", "amazon", "No.", cls="denial", tpl="d"),
            Msg(B, "2026-03-01 21:00", "seller", "See case 1000000001.", channel="email"),
            Msg(B, "2026-03-03 09:00", "amazon", "No.", cls="denial", tpl="d"),
            Msg(B, "2026-03-04 09:00", "seller", "Please escalate this to a manager.")]
    log = make_log(msgs, [{"case_id": A, "category": "Listing suppression"},
                          {"case_id": B, "category": "Listing suppression"}])
    tm = fake_templates(log, msgs)
    esc = escalations(log, as_of="2026-03-05 09:00", templates=tm)
    res = matters(log, templates=tm)
    s = caselog.matter_summary(log, res, templates=tm, escalations=esc,
                               turns=caselog.turns(log, as_of="2026-03-05 09:00"),
                               as_of="2026-03-05 09:00")
    row = s.iloc[0]
    assert (row["matter_id"], row["n_cases"], row["case_ids"]) == ("M-1", 2, f"{A}, {B}")
    assert row["channels"] == "case, email"
    assert row["hours_without_answer"] == 72.0
    assert row["days_since_start"] == 4.0
    assert (row["canned_repeats"], row["case_canned_repeats"]) == (1, 0)
    assert row["repeat_canned_denials"] == 1
    assert (row["escalations"], row["escalations_level_1"]) == (1, 1)
    assert row["first_message"] == f"case {A}, seller case: Listing B0AAAAAAAA down."


def test_matter_sample_keeps_the_ordinary_cases(sample):
    s = caselog.sample.generate(n_matters=4)
    base_ids = set(sample.cases["case_id"])
    m = s.messages[s.messages["case_id"].isin(base_ids)].drop(columns="message_id")
    pd.testing.assert_frame_equal(m.reset_index(drop=True),
                                  sample.messages.drop(columns="message_id"))
    assert s.messages["message_id"].tolist() == list(range(len(s.messages)))
    assert s.messages[["case_id", "sent_at"]].equals(
        s.messages.sort_values(["case_id", "sent_at"], kind="stable")[["case_id", "sent_at"]])
    tc = s.truth_cases.set_index("case_id")
    assert (tc.loc[sorted(base_ids), "matter"] == "case-" + pd.Index(sorted(base_ids))).all()
    assert s.truth_cases["matter"].str.startswith("matter-").sum() == 5 + 3 + 2 + 4
    with pytest.raises(ConfigError, match="n_matters"):
        caselog.sample.generate(n_cases=5, n_matters=-1)


def test_matters_survive_the_export_files(tmp_path):
    s = caselog.sample.generate(n_cases=60, n_matters=8)
    caselog.sample.write_sample(tmp_path, s)
    log = caselog.load(tmp_path / "caselog_sample.xlsx")
    r = caselog.analyse(log).matters
    truth = _pairs_of(s.truth_cases.groupby("matter")["case_id"])
    found = _pairs_of(r.matters.groupby("matter_id")["case_id"])
    assert truth == found


def test_with_matters_relinks_without_recomputing():
    s = caselog.sample.generate(n_cases=20, n_matters=1)
    a = caselog.analyse(s.log)
    big = a.matters.matters.query("n_cases == 5")["case_id"].tolist()
    assert int(a.matter_readiness["matter_changed"].sum()) == 4
    # cut the executive e-mails off: each case is its own matter, no verdict changes
    cut = [(x, y) for x, y in itertools.combinations(big, 2)]
    b = a.with_matters(unlink=cut)
    assert b.templates is a.templates and b.readiness is a.readiness
    assert b.matters.matters.set_index("case_id").loc[big, "n_cases"].eq(1).all()
    assert not b.matter_readiness["matter_changed"].any()


_ID_BITS = st.sampled_from([
    "1234567890", "9876543210", "AB-12345", "x12345y", "CASE", "case", " ", "\n", "-", "_", ".",
    ":", "[", "]", "\u0661\u0662", "\u00e9", "2026-03-14", "see case ", "B0ABCDEFGH", "123456",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_ID_BITS, max_size=10).map("".join), min_size=1, max_size=6),
       st.sets(st.sampled_from(["1234567890", "9876543210", "AB-12345", "x12345y", "123456",
                                "abcdef"]), min_size=1))
def test_id_prefilter_keeps_every_text_that_quotes_a_known_id(texts, known) -> None:
    """The quick row filter of the case-reference rule never drops a text the token pattern
    would find a known case ID in (IDs without an ASCII digit: every row is kept)."""
    import re

    import numpy as np

    from caselog.analysis._matters import _ID_TOKEN, _may_quote

    text = pd.Series(texts, dtype="str")
    kept = set(_may_quote(text, np.arange(len(texts)), set(known)).tolist())
    quoting = {i for i, t in enumerate(texts) if set(re.findall(_ID_TOKEN, t)) & set(known)}
    assert quoting <= kept
    if any(not re.search(r"[0-9]", k) for k in known):
        assert kept == set(range(len(texts)))
