"""Tests of caselog.replyclass: reply classes from kind labels and text rules."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caselog.analysis import DEFAULT_RULES, ReplyPatterns, classify_replies
from caselog.errors import ConfigError, SchemaError
from caselog.schema import REPLY_CLASSES


def msgs(bodies, kinds=None, directions=None, subjects=None):
    n = len(bodies)
    return pd.DataFrame(
        {
            "direction": directions or ["amazon"] * n,
            "subject": subjects or [""] * n,
            "body": bodies,
            "kind": kinds or [""] * n,
        }
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Your selling privileges have been reinstated.", "acceptance"),
        ("Your account has been reactivated.", "acceptance"),
        ("The listing was restored and the issue is resolved.", "acceptance"),
        ("Your appeal has been approved.", "acceptance"),
        ("We are unable to accept your appeal.", "denial"),
        ("Your plan of action was not accepted.", "denial"),
        ("We cannot reinstate your account.", "denial"),
        ("Your appeal was not approved.", "denial"),
        ("Our decision is final.", "denial"),
        ("Your account will remain deactivated.", "denial"),
        ("Your appeal has been denied.", "denial"),
        ("The listing for ASIN B0ABCDE123 has been deactivated.", "denial"),
        ("Your selling privileges have been removed.", "denial"),
        ("The previous decision stands.", "denial"),
        ("We are not able to reinstate the listing.", "denial"),
        ("Please provide the name and phone number of your supplier.", "information request"),
        ("Send us invoices issued within 180 days.", "information request"),
        ("Please provide a copy of the letter of authorization.", "information request"),
        ("We need your business address.", "information request"),
        ("This email address is not the correct channel to submit an appeal.", "deflection"),
        ("Please contact Seller Support through Seller Central.", "deflection"),
        ("Use the appeal form in Account Health.", "deflection"),
        ("We are unable to help with this here.", "deflection"),
        ("We have received your appeal.", "acknowledgement"),
        ("We will respond within 48 hours.", "acknowledgement"),
        ("Thank you for contacting us.", "acknowledgement"),
        ("The weather is nice.", "other"),
        ("", "other"),
    ],
)
def test_each_class_from_text(body, expected):
    assert classify_replies(msgs([body])).tolist() == [expected]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # asks for specific documents: the seller must answer that first
        ("We are unable to accept your appeal. Please provide invoices from your supplier.",
         "information request"),
        # a denial that only asks for a new plan of action is still a denial
        ("We are unable to accept your appeal. Please provide a revised plan of action.",
         "denial"),
        # negated acceptance words are denials
        ("Your account cannot be reinstated at this time.", "denial"),
        ("Your account has not been reactivated.", "denial"),
        # an acceptance that invites further contact stays an acceptance
        ("Your account has been reinstated. Please contact us with any questions.", "acceptance"),
        # courtesy openers do not hide the decision
        ("Thank you for contacting us. Your appeal has been denied.", "denial"),
        ("We have received your appeal. We need additional information.", "information request"),
        ("Thank you for contacting us. This is not the correct channel.", "deflection"),
        # upper case is the same
        ("YOUR ACCOUNT HAS BEEN REINSTATED", "acceptance"),
    ],
)
def test_precedence(body, expected):
    assert classify_replies(msgs([body])).tolist() == [expected]


def test_kind_label_wins_and_aliases():
    m = msgs(
        ["Your account has been reinstated.", "We reviewed it.", "Anything", "Anything", "x"],
        kinds=["denial", "notice", "Acknowledgment", "unknown label", "Information Request"],
    )
    assert classify_replies(m).tolist() == [
        "denial", "other", "acknowledgement", "other", "information request"
    ]
    no_kind = ReplyPatterns(use_kind=False)
    assert classify_replies(m, no_kind).tolist()[0] == "acceptance"


def test_seller_messages_are_blank_and_index_kept():
    m = msgs(["Please reinstate my account", "Your account has been reinstated."],
             directions=["seller", "amazon"])
    m.index = [7, 3]
    out = classify_replies(m)
    assert out.index.tolist() == [7, 3]
    assert out.name == "reply_class"
    assert out.tolist() == ["", "acceptance"]


def test_subject_only_when_body_empty():
    m = msgs(["", "We reviewed it."],
             subjects=["Your appeal has been denied", "RE: reinstated account question"])
    assert classify_replies(m).tolist() == ["denial", "other"]


def test_subject_stands_in_when_the_masked_body_is_empty():
    # a greeting alone masks to "": the body says nothing, so the subject decides, the same way
    # in classify_replies and find_templates
    from caselog import find_templates

    m = msgs(["Hello,", "Dear Seller,", "Hi,"],
             subjects=["Your appeal has been denied", "Your account has been reinstated",
                       "Question"])
    assert classify_replies(m).tolist() == ["denial", "acceptance", "other"]
    full = m.assign(message_id=[1, 2, 3], case_id="7",
                    sent_at=pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-03"], utc=True))
    assert find_templates(full).messages["reply_class"].tolist() == [
        "denial", "acceptance", "other"]


def test_duplicate_index_and_no_kind_column():
    m = msgs(["Your appeal has been denied.", "We have received your appeal."]).drop(columns="kind")
    m.index = [0, 0]
    assert classify_replies(m).tolist() == ["denial", "acknowledgement"]


def test_patterns_override():
    custom = ReplyPatterns.default().with_rule("denial", r"\bpermanently shut\b")
    assert custom.rules[0] == ("denial", r"\bpermanently shut\b")
    assert custom.rules[1:] == DEFAULT_RULES
    m = msgs(["Your shop is permanently shut. Thank you for contacting us."])
    assert classify_replies(m).tolist() == ["acknowledgement"]
    assert classify_replies(m, custom).tolist() == ["denial"]
    only = ReplyPatterns(rules=(("deflection", r"shut"),))
    assert classify_replies(m, only).tolist() == ["deflection"]
    last = ReplyPatterns.default().with_rule("deflection", "nice", first=False)
    assert last.rules[-1] == ("deflection", "nice")


def test_patterns_validation():
    with pytest.raises(ConfigError, match="unknown reply class"):
        ReplyPatterns(rules=(("maybe", "x"),))
    with pytest.raises(ConfigError, match="invalid regex"):
        ReplyPatterns(rules=(("denial", "("),))
    with pytest.raises(SchemaError, match="body"):
        classify_replies(pd.DataFrame({"direction": ["amazon"]}))


def test_every_default_class_is_valid():
    assert {c for c, _ in DEFAULT_RULES} | {"other"} == set(REPLY_CLASSES)


_RULE_WORDS = ["deny", "denied", "reinstated", "received", "please", "final", "x"]


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.lists(st.sampled_from(_RULE_WORDS), max_size=4).map(" ".join),
                      max_size=30),
       rules=st.lists(st.tuples(st.sampled_from(REPLY_CLASSES), st.sampled_from(_RULE_WORDS)),
                      min_size=1, max_size=6))
def test_classify_text_is_the_first_matching_rule(texts, rules):
    """Each text takes the class of the first rule that matches it (``other`` when none does),
    however many texts earlier rules already classified (the remaining texts are matched as a
    copy only now and then)."""
    patterns = ReplyPatterns.default().with_rules([(c, rf"\b{w}\b") for c, w in rules])
    index = pd.RangeIndex(100, 100 + len(texts))
    got = patterns.classify_text(pd.Series(texts, index=index, dtype="str"))
    expected = [next((c for c, w in rules if w in t.split()), "other") for t in texts]
    assert got.tolist() == expected
    assert got.index.equals(index)
