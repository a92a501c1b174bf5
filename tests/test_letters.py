"""Escalation letters: one rule per test on hand-built cases, and the sample's letters."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import caselog
from _frames_escalations import Msg, fake_templates, make_log
from caselog import analyse, brief, briefs, escalation_quality
from caselog.errors import CaseNotFoundError
from caselog.report import letters, md_escape

SP = "Seller Performance"
POA = "Our plan of action: root cause, corrective actions and preventive measures."
DENIAL = "Dear Acme,\n\nWe are unable to accept your appeal at this time.\n\nSeller Performance"


def appeal(case, at, **kw):
    kw.setdefault("attachments", 2)
    return Msg(case, at, "seller", POA, kind="poa", team=SP, **kw)


def amz(case, at, cls, body=DENIAL, **kw):
    kw.setdefault("team", SP)
    return Msg(case, at, "amazon", body, cls=cls, **kw)


def seller(case, at, body="Following up on our appeal.", **kw):
    kw.setdefault("team", SP)
    return Msg(case, at, "seller", body, **kw)


def canned_case(cid="111-2222"):
    return [
        appeal(cid, "2026-03-02 10:00"),
        amz(cid, "2026-03-03 10:00", "denial", tpl="den"),
        seller(cid, "2026-03-04 10:00", "Please escalate this to a manager."),
        amz(cid, "2026-03-05 10:00", "denial", canned=True, tpl="den"),
        seller(cid, "2026-03-05 12:00", "Any update on this?"),
        seller(cid, "2026-03-05 18:00", "Any update on this?"),
        amz(cid, "2026-03-06 10:00", "denial", canned=True, tpl="den"),
        seller(cid, "2026-03-07 09:00", "Any update on this?"),
    ]


def analysis(msgs, cases, as_of="2026-03-10 10:00"):
    log = make_log(msgs, cases)
    a = analyse(log, as_of=as_of)
    a.__dict__["templates"] = fake_templates(log, msgs)  # the reply classes of the hand-built log
    return a


def letter_of(msgs, cases, cid, as_of="2026-03-10 10:00"):
    a = analysis(msgs, cases, as_of)
    assert a.readiness.set_index("case_id").loc[cid, "verdict"] == "ready"
    return letters(a, [cid])[0]


def quality(letter):
    frame = pd.DataFrame({"message_id": [0], "case_id": [letter.case_id],
                          "subject": [letter.subject], "body": [letter.body()],
                          "attachments": [letter.attachments]})
    return escalation_quality(frame).iloc[0]


# ------------------------------------------------------------------------------ the parts


def test_subject_opening_and_seven_of_seven():
    let = letter_of(canned_case(), [{"case_id": "111-2222"}], "111-2222")
    assert let.subject == "Escalation request: Case 111-2222 – account deactivation"
    assert let.to == "Seller Performance manager (level 2)"
    opening = let.sections[0][1]
    assert opening[0] == "Dear Seller Performance manager,"
    assert opening[1].startswith("We ask you to review case 111-2222 and to reinstate the "
                                 "selling account")
    q = quality(let)
    assert (q["score"], q["missing"]) == (7, "")


def test_chasers_folded_into_one_line_with_count_and_dates():
    let = letter_of(canned_case(), [{"case_id": "111-2222"}], "111-2222")
    done = dict((h, items) for h, items, _ in let.sections)["What we have done so far"]
    assert done == (
        "2 Mar 2026: appeal with a plan of action to Seller Performance (2 documents attached)",
        "4 Mar 2026: asked in the case thread for escalation to a manager",
        "5 Mar 2026: 3 follow-ups asking for a specific answer: 5 Mar, 5 Mar and 7 Mar 2026",
    )
    assert "Any update on this?" not in let.body()


def test_same_template_counted_with_dates_and_waits_in_days():
    msgs = canned_case() + [amz("111-2222", "2026-03-12 10:00", "denial", canned=True, tpl="den")]
    let = letter_of(msgs, [{"case_id": "111-2222"}], "111-2222", as_of="2026-03-13 10:00")
    why = dict((h, items) for h, items, _ in let.sections)[
        "Why the replies do not resolve the case"]
    assert why[0] == ("The same denial was sent 4 times (3 Mar, 5 Mar, 6 Mar and 12 Mar 2026), "
                      "each without a case-specific reason: “We are unable to accept your appeal "
                      "at this time.”")
    # 7 Mar 09:00 -> 12 Mar 10:00 = 121 h: written as days
    assert ("1 message of ours waited more than 48 hours for a reply; the longest wait was "
            "5 days (from 7 Mar 2026 to 12 Mar 2026).") in why
    assert " h " not in let.body() and not re.search(r"\d h\b", let.body())


def test_broken_promise_cited_with_its_date():
    cid = "555"
    msgs = [
        seller(cid, "2026-02-27 09:00", "Images for ASIN B0ABCDEFGH are not showing on the "
               "detail page. Screenshots attached.", team="Seller Support", attachments=2),
        amz(cid, "2026-02-27 15:00", "other", team="Seller Support",
            body="Hello,\n\nOur technical team is aware of the problem with ASIN B0ABCDEFGH; "
                 "we expect a fix within 2 business days and will update this case."),
        seller(cid, "2026-03-04 09:00", "The problem is still there.", team="Seller Support"),
    ]
    cases = [{"case_id": cid, "category": "Technical problem", "asins": "B0ABCDEFGH",
              "opened_at": "2026-02-27 09:00"}]
    let = letter_of(msgs, cases, cid, as_of="2026-03-20 09:00")
    body = let.body()
    # Fri 27 Feb + 2 business days = Tue 3 Mar; no reply since
    assert ("On 27 Feb 2026 Seller Support wrote: “Our technical team is aware of the problem "
            "with ASIN B0ABCDEFGH; we expect a fix within 2 business days and will update this "
            "case.” By 3 Mar 2026 there was no answer; nothing has followed since.") in body
    assert "Our message of 4 Mar 2026 has had no reply for 16 days." in body
    assert let.subject == "Escalation request: Case 555 – technical problem with ASIN B0ABCDEFGH"


def test_kept_promise_is_not_cited():
    cid = "556"
    msgs = [
        seller(cid, "2026-02-27 09:00", "Images are not showing.", team="Seller Support"),
        amz(cid, "2026-02-27 15:00", "other", team="Seller Support",
            body="We will update you within 24 hours."),
        amz(cid, "2026-02-28 10:00", "information request", team="Seller Support",
            body="Please send screenshots."),
        seller(cid, "2026-03-01 09:00", "Following up.", team="Seller Support"),
    ]
    a = analysis(msgs, [{"case_id": cid, "category": "Technical problem"}],
                 as_of="2026-03-20 09:00")
    from caselog.report._briefs import _facts
    from caselog.report._letter import broken_promises

    assert broken_promises(_facts(a, [cid])[cid]) == []


def test_amounts_quoted_from_seller_messages():
    cid = "777"
    msgs = [
        seller(cid, "2026-03-01 10:00", "Our disbursement of $4,210.50 scheduled for 25 Feb "
               "has not arrived. Our bank confirms nothing was received.", team="Payments"),
        amz(cid, "2026-03-02 10:00", "other", team="Payments", tpl="pay",
            body="Your payment is being processed."),
        seller(cid, "2026-03-04 10:00", "It has been 9 days. We are losing about $1,200 a "
               "week in stock we cannot reorder.", team="Payments"),
        amz(cid, "2026-03-05 10:00", "other", team="Payments", tpl="pay", canned=True,
            body="Your payment is being processed."),
        seller(cid, "2026-03-06 10:00", "Any update?", team="Payments"),
    ]
    let = letter_of(msgs, [{"case_id": cid, "category": "Delayed payment"}], cid,
                    as_of="2026-03-12 10:00")
    summary = dict((h, items) for h, items, _ in let.sections)["Summary"]
    assert summary[1] == ("In our first message, on 1 Mar 2026, we wrote: “Our disbursement of "
                          "$4,210.50 scheduled for 25 Feb has not arrived.”")
    assert summary[2] == ("On 4 Mar 2026 we reported the effect on our business: “We are losing "
                          "about $1,200 a week in stock we cannot reorder.”")
    md = letters(analysis(msgs, [{"case_id": cid, "category": "Delayed payment"}],
                          "2026-03-12 10:00"), [cid], markdown=True)[0].markdown()
    assert r"\$4,210.50" in md  # no maths in a notebook


@pytest.mark.parametrize(
    ("category", "seller_text", "asks"),
    [
        ("Account suspension", POA, "reinstate the selling account"),
        ("Delayed payment", "Our payment has not arrived.", "release the withheld payment"),
        ("Listing suppression", "ASIN B0ABCDEFGH has been suppressed.",
         "reactivate the listing for ASIN B0ABCDEFGH"),
        ("Policy violation", "We are appealing the trademark complaint on ASIN B0ABCDEFGH.",
         "remove the complaint on ASIN B0ABCDEFGH on the rights owner's retraction"),
        ("Policy violation", "We received a policy warning for ASIN B0ABCDEFGH.",
         "remove the policy violation on ASIN B0ABCDEFGH"),
        ("Technical problem", "Images are not showing.", "pass the problem to the technical team"),
    ],
)
def test_desired_outcome_by_category(category, seller_text, asks):
    cid = "888"
    msgs = [
        seller(cid, "2026-03-01 10:00", f"{seller_text} {POA}", attachments=1, kind="poa"),
        amz(cid, "2026-03-02 10:00", "denial", tpl="d"),
        seller(cid, "2026-03-03 10:00"),
        amz(cid, "2026-03-04 10:00", "denial", tpl="d", canned=True),
        seller(cid, "2026-03-05 10:00"),
        amz(cid, "2026-03-06 10:00", "denial", tpl="d", canned=True),
    ]
    cases = [{"case_id": cid, "category": category, "asins": "B0ABCDEFGH"}]
    a = analysis(msgs, cases)
    if a.readiness["verdict"].iloc[0] != "ready":
        pytest.skip(f"{category}: not ready under the rules")
    let = letters(a, [cid])[0]
    ask = dict((h, items) for h, items, _ in let.sections)["What we ask"][0]
    assert ask.startswith(f"We ask you to {asks}")
    assert quality(let)["score"] == 7


@pytest.mark.parametrize("status", ["closed", "not advisable"])
def test_no_letter_for_closed_or_not_advisable(status):
    cid = "999"
    if status == "closed":
        msgs, cases = canned_case(cid), [{"case_id": cid, "status": "closed",
                                         "closed_at": "2026-03-08 10:00"}]
    else:  # two executive escalations with the same material: bridges burned
        msgs = canned_case(cid) + [
            seller(cid, "2026-03-08 10:00", "Dear Jeff, please help with case 999.",
                   kind="escalation", team="Executive Seller Relations"),
            amz(cid, "2026-03-09 10:00", "denial", tpl="den", canned=True),
            seller(cid, "2026-03-10 10:00", "Dear Jeff, please help with case 999 again.",
                   kind="escalation", team="Executive Seller Relations"),
            amz(cid, "2026-03-11 10:00", "denial", tpl="den", canned=True),
        ]
        cases = [{"case_id": cid}]
    a = analysis(msgs, cases)
    row = a.readiness.set_index("case_id").loc[cid]
    assert row["verdict"] == status
    text = a.brief(cid)
    assert text.startswith(f"No escalation letter for case {cid}: the case is {status}.")
    assert "We ask you" not in text and "Escalation request" not in text
    assert f"First: {row['next_step']}." in text


def test_markdown_escapes_data_and_keeps_notes_outside_the_letter():
    cid = "123456"
    payload = "<img src=x onerror=\"window.__pwned=1\"> **Acme** [x](javascript:alert(1))"
    msgs = [Msg(m.case_id, m.at, m.direction, payload if m.direction == "seller" else m.body,
                team=m.team, attachments=m.attachments, kind=m.kind, cls=m.cls,
                canned=m.canned, tpl=m.tpl, account=payload)
            for m in canned_case(cid)]
    a = analysis(msgs, [{"case_id": cid, "account": payload}])
    text = a.brief(cid)
    assert "<img" not in text and "&lt;img" in text
    assert "**Acme**" not in text and r"\*\*Acme\*\*" in text
    assert "[x](" not in text and r"\[x\]" in text
    letter_part, notes = text.split("\n---\n")
    assert "Verdict" not in letter_part and "Verdict: ready" in notes


def test_briefs_api_order_repeats_and_unknown():
    msgs = canned_case("A") + canned_case("B")
    log = make_log(msgs, [{"case_id": "A"}, {"case_id": "B"}])
    texts = briefs(log, ["B", "A", "B"])
    assert texts[0] == texts[2] == brief(log, "B") and texts[1] == brief(log, "A")
    assert briefs(log, []) == []
    with pytest.raises(CaseNotFoundError, match="'C'"):
        briefs(log, ["A", "C"])


# ------------------------------------------------------------------------------ the sample


def test_every_ready_sample_letter_scores_seven(sample):
    a = analyse(sample.log)
    ids = a.queue(("ready",))["case_id"].tolist()
    got = letters(a, ids)
    frame = pd.DataFrame({
        "message_id": range(len(got)), "case_id": ids,
        "subject": [x.subject for x in got], "body": [x.body() for x in got],
        "attachments": [x.attachments for x in got],
    })
    q = escalation_quality(frame)
    bad = frame.assign(score=q["score"], missing=q["missing"])[q["score"].lt(7).to_numpy()]
    assert bad.empty, bad[["case_id", "score", "missing"]].to_string()
    n_ph = sum(x.placeholders for x in got)
    print(f"\n{len(got)} ready letters, {n_ph} placeholders "
          f"({sum(x.placeholders > 0 for x in got)} letters with any)")
    assert all(x.placeholders == len(re.findall(r"\[add: ", x.body() + x.to)) for x in got)
    for x in got:
        assert not re.search(r"\d h\b", x.body())  # waits in days or hours as words
        assert "Readiness" not in x.body() and "Verdict" not in x.body()


def test_md_escape_payloads():
    assert md_escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert md_escape("# title\n> quote\n1. item") == "\\# title\n&gt; quote\n\\1. item"
    assert md_escape("AT&T &amp; co") == "AT&T &amp;amp; co"


# ------------------------------------------------------------------------------ matters

OTHER = "CASE_7654321"  # an ID with a Markdown character in it


def matter_msgs():
    return canned_case() + [Msg(OTHER, "2026-03-08 09:00", "seller",
                                "Following up on case 111-2222 by e-mail.", channel="email")]


def test_a_letter_names_every_case_of_the_matter():
    a = analysis(matter_msgs(), [{"case_id": "111-2222"}, {"case_id": OTHER}])
    assert a.matters.matter_of("111-2222") == a.matters.matter_of(OTHER) == "M-1"
    (plain,) = letters(a, ["111-2222"])
    summary = dict((h, items) for h, items, _l in plain.sections)["Summary"]
    assert summary[1] == ("This problem spans cases 111-2222 (this case, opened 2 Mar 2026) "
                          "and CASE_7654321 (e-mail of 8 Mar 2026); we ask you to review them "
                          "together.")
    assert "Matter M-1: case CASE_7654321 is about the same problem; the letter names every "\
        "case of the matter." in plain.notes
    md = a.brief("111-2222")
    assert ("This problem spans cases 111-2222 (this case, opened 2 Mar 2026) and "
            "CASE\\_7654321 (e-mail of 8 Mar 2026)") in md
    # the case the seller wrote by e-mail has no letter; its note names the matter
    note = a.brief(OTHER)
    assert note.startswith("No escalation letter for case CASE\\_7654321")
    assert "Matter M-1: case 111-2222 is about the same problem." in note


def test_a_case_alone_has_no_matter_sentence():
    let = letter_of(canned_case(), [{"case_id": "111-2222"}], "111-2222")
    assert "spans" not in let.body() and not any(n.startswith("Matter") for n in let.notes)


def test_a_letter_follows_the_verdict_of_the_matter():
    """A case ready on its own whose matter burned the executive bridge gets no letter (the note
    says the matter decides); a case the matter makes ready gets one naming every case."""
    import caselog

    a = caselog.analyse(caselog.sample.generate(n_cases=20, n_matters=2).log)
    note = a.brief("5884710417")  # ready alone; two executive e-mails since in its matter
    assert note.startswith("No escalation letter for case 5884710417: the case is not advisable.")
    assert ("Why: matter M-10: bridges burned: 2 executive escalations without new material "
            "between them (case 8672098672 on 2026-03-01, case 3224924847 on 2026-03-12); case "
            "alone: ") in note
    assert ("The matter decides: on its own the case would be ready; with the whole matter in "
            "view it is not advisable.") in note
    text = a.brief("5122066487")  # not yet alone; repeat denials across its matter
    assert text.startswith("# Escalation request: Case 5122066487 – suppressed listing")
    assert ("This problem spans cases 3624314870 (Seller Central case opened 17 May 2026), "
            "5122066487 (this case, opened 3 Jun 2026) and 6663216071 (phone call of 7 Jun "
            "2026); we ask you to review them together.") in text
    notes = text.split("**Notes for the sender (not part of the letter)**")[1]
    assert "- Why now: matter M-20: 2 repeat canned denials across its cases" in notes
    assert ("The matter decides: on its own the case would be not yet; with the whole matter "
            "in view it is ready.") in notes
    # why the replies fail: the same denial in the other case of the matter, said with dates
    assert ("- The same denial this case received on 6 Jun 2026 was also sent in case "
            "3624314870 (18 May and 20 May 2026), about the same problem, without a "
            "case-specific reason: “We are unable to reactivate the listing for ASIN B0ND96MIRW "
            "at this time") in text
    assert "[add: why the replies received do not address the case]" not in text
    first = a.brief("3624314870")  # its own two denials and the later one in 5122066487
    assert ("- The same denial was sent 2 times (18 May and 20 May 2026), and also in case "
            "5122066487 (6 Jun 2026) about the same problem, each without a case-specific "
            "reason: ") in first


def test_plain_text_letter_to_paste(tmp_path, capsys):
    """``--format text``: the letter as it is pasted into a case, with no Markdown markup and
    no escapes (``$15,043.65``, not ``\\$15,043.65``); the notes after a rule."""
    from caselog.cli import main

    out = tmp_path / "brief.txt"
    assert main(["brief", "2032027855", "data/sample/caselog_sample.xlsx", "-q",
                 "--format", "text", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "To: Seller Performance manager (level 2)"
    assert lines[1] == "Subject: Escalation request: Case 2032027855 – account deactivation"
    assert "losing about $15,043.65 a week" in text and "\\$" not in text
    assert "**" not in text and "\n#" not in text
    assert "\nSUMMARY\n" in text and "\nWHAT WE HAVE DONE SO FAR\n" in text
    # list items on consecutive lines, the notes after the rule
    assert ("- 7 Jun 2026: appeal with a plan of action to Seller Performance (3 documents "
            "attached)\n- 14 Jun 2026: revised plan") in text
    letter, notes = text.split("-" * 60)
    assert "Notes for the sender (not part of the letter)" in notes
    assert "Verdict: ready" in notes and "Verdict" not in letter
    md = caselog.analyse(caselog.load("data/sample/caselog_sample.xlsx")).brief("2032027855")
    assert "\\$15,043.65" in md  # the Markdown form keeps its escapes


def test_brief_format_is_checked():
    a = caselog.analyse(caselog.sample.generate(n_cases=20).log)
    cid = a.readiness["case_id"].iloc[0]
    with pytest.raises(caselog.ConfigError, match="format must be 'markdown' or 'text'"):
        a.brief(cid, format="html")
