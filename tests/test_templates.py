"""Tests of caselog.templates: masking, template grouping, canned repeats, evaluation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caselog import TemplateConfig, TemplateResult, evaluate_templates, find_templates, mask_text
from caselog.errors import ConfigError, SchemaError
from caselog.schema import REPLY_CLASSES

T0 = pd.Timestamp("2026-03-01 09:00", tz="UTC")


def frame(rows):
    """Canonical messages from ``(case_id, hour, direction, body[, kind, team, account])``."""
    recs = []
    for i, r in enumerate(rows):
        case_id, hour, direction, body, *rest = r
        kind = rest[0] if len(rest) > 0 else ""
        team = rest[1] if len(rest) > 1 else "Seller Performance"
        account = rest[2] if len(rest) > 2 else "acme"
        recs.append(
            {
                "message_id": i,
                "case_id": case_id,
                "account": account,
                "sent_at": T0 + pd.Timedelta(hours=hour),
                "direction": direction,
                "team": team,
                "channel": "case",
                "subject": "",
                "body": body,
                "attachments": 0,
                "kind": kind,
                "source": f"test row {i + 2}",
            }
        )
    m = pd.DataFrame(recs)
    m["sent_at"] = m["sent_at"].astype("datetime64[ns, UTC]")
    return m.sort_values(["case_id", "sent_at", "message_id"], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ASIN B0ABCDE123 is removed", "asin <ASIN> is removed"),
        ("ASINs B0ABCDE123, b0zzzzz999.", "asins <ASIN>, <ASIN>."),
        ("Order 123-1234567-1234567 shipped", "order <ORDER_ID> shipped"),
        ("Write to seller-performance@amazon.com today", "write to <EMAIL> today"),
        ("See https://sellercentral.amazon.com/help?id=7.", "see <URL>."),
        ("See www.amazon.com/gp/help now", "see <URL> now"),
        ("On 2026-03-14 we", "on <DATE> we"),
        ("On 2026-03-14T10:05:00Z we", "on <DATE> we"),
        ("On 03/14/2026 we", "on <DATE> we"),
        ("On March 3, 2026 we", "on <DATE> we"),
        ("On 14 Mar 2026 we", "on <DATE> we"),
        ("Refund of $1,234.50 issued", "refund of <AMOUNT> issued"),
        ("Refund of 12.00 USD issued", "refund of <AMOUNT> issued"),
        ("Case 12345678901 is closed", "case <CASE_ID> is closed"),
        ("Reply within 48 hours", "reply within <NUM> hours"),
        ("Hello John,\nYour appeal was denied.", "your appeal was denied."),
        ("Dear Seller Support Team,\n\nWe reviewed it.", "we reviewed it."),
        ("Hi Ann\nWe reviewed it.", "we reviewed it."),
        ("We reviewed it.\n\nRegards,\nSeller Performance\nAmazon.com", "we reviewed it."),
        ("We reviewed it.\nThank you,\nJohn", "we reviewed it."),
        ("We reviewed it.\nSincerely\nAmazon", "we reviewed it."),
        ("Thank you for contacting us.\nWe reviewed it.", "thank you for contacting us. we reviewed it."),
        ("  Two   spaces\tand\n\nlines  ", "two spaces and lines"),
        ("", ""),
    ],
)
def test_mask_text_each_kind(text, expected):
    assert mask_text(pd.Series([text])).tolist() == [expected]


def test_mask_text_keeps_index_and_dtype():
    s = pd.Series(["A 1", None, "B0ABCDE123"], index=[10, 20, 30], name="body", dtype=object)
    out = mask_text(s)
    assert out.index.tolist() == [10, 20, 30]
    assert out.name == "body"
    assert out.dtype == "str"
    assert out.tolist() == ["a <NUM>", "", "<ASIN>"]


def test_mask_text_rejects_non_series():
    with pytest.raises(ConfigError):
        mask_text(["a"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=5))
def test_mask_text_idempotent_and_total(texts):
    once = mask_text(pd.Series(texts, dtype="str"))
    twice = mask_text(once)
    assert once.tolist() == twice.tolist()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Hello Bo,", "ASIN", "B0ABCDE123", "123-1234567-1234567", "March", "3,", "2026",
             "$5.00", "\n", "Regards,", "a@b.co", "www.x.com", "12345678", "hi", "\n\n", " "]
        ),
        max_size=12,
    )
)
def test_mask_text_idempotent_on_variable_parts(words):
    text = " ".join(words)
    once = mask_text(pd.Series([text]))
    assert mask_text(once).tolist() == once.tolist()


# ----------------------------------------------------------------------------- templates

DENIAL = (
    "Hello {name},\n\nWe reviewed your appeal for ASIN {asin}. We are unable to accept your "
    "appeal at this time because it did not address the root cause of the complaints we "
    "received about your listings.{extra}\n\nRegards,\nSeller Performance"
)
FINAL = " Our decision is final."
REINSTATED = (
    "Hello {name},\n\nWe reviewed the information you provided for ASIN {asin} and your "
    "selling privileges have been reinstated on our marketplace as of today.\n\nRegards,\nSP"
)
DEACTIVATED = (
    "Hello {name},\n\nWe reviewed the information you provided for ASIN {asin} and your "
    "selling privileges will remain deactivated on our marketplace as of today.\n\nRegards,\nSP"
)
ACK = "Thank you for contacting us. We have received your appeal and will respond within 48 hours."


def d(name="Ann", asin="B0AAAAAAA1", extra=""):
    return DENIAL.format(name=name, asin=asin, extra=extra)


def test_same_template_with_different_asins_and_names():
    m = frame(
        [
            ("C1", 0, "seller", "Please reinstate"),
            ("C1", 1, "amazon", d("Ann", "B0AAAAAAA1")),
            ("C2", 2, "amazon", d("Bob", "B0BBBBBBB2")),
        ]
    )
    r = find_templates(m)
    assert r.messages["template_id"].tolist() == [1, 1]
    assert r.messages["variant_id"].tolist() == [1, 1]
    assert len(r.catalogue) == 1


def test_added_sentence_is_same_template_other_variant():
    m = frame(
        [
            ("C1", 1, "amazon", d("Ann")),
            ("C2", 2, "amazon", d("Bob", extra=FINAL)),
            ("C3", 3, "amazon", d("Cy", extra=FINAL)),
        ]
    )
    r = find_templates(m)
    assert r.messages["template_id"].tolist() == [1, 1, 1]
    assert r.messages["variant_id"].tolist() == [1, 2, 2]
    cat = r.catalogue.iloc[0]
    assert cat["n_variants"] == 2
    # the most common wording represents the template
    assert cat["text"].endswith("our decision is final.")
    assert "<ASIN>" in cat["text"]
    # exact-only grouping keeps them apart
    exact = find_templates(m, config=TemplateConfig(near_duplicates=False))
    assert exact.messages["template_id"].tolist() == [1, 2, 2]


def test_reinstated_and_deactivated_stay_apart():
    m = frame(
        [
            ("C1", 1, "amazon", REINSTATED.format(name="Ann", asin="B0AAAAAAA1")),
            ("C2", 2, "amazon", DEACTIVATED.format(name="Bob", asin="B0BBBBBBB2")),
            ("C3", 3, "amazon", REINSTATED.format(name="Cy", asin="B0CCCCCCC3")),
        ]
    )
    r = find_templates(m)
    assert r.messages["template_id"].tolist() == [1, 2, 1]
    assert r.messages["reply_class"].tolist() == ["acceptance", "denial", "acceptance"]


def test_unrelated_texts_are_different_templates():
    m = frame([("C1", 1, "amazon", d()), ("C1", 2, "amazon", ACK)])
    r = find_templates(m)
    assert r.messages["template_id"].tolist() == [1, 2]


def hand_case():
    # C1: amazon messages D, ACK, D, D, ACK, D -> repeats: F F T T T T
    return frame(
        [
            ("C1", 0, "seller", "Appeal"),
            ("C1", 1, "amazon", ACK),
            ("C1", 2, "amazon", d("Ann", "B0AAAAAAA1")),
            ("C1", 3, "seller", "Follow-up"),
            ("C1", 4, "amazon", d("Ann", "B0AAAAAAA2")),
            ("C1", 5, "seller", "Follow-up 2"),
            ("C1", 6, "amazon", d("Ann", "B0AAAAAAA3", FINAL)),
            ("C1", 7, "amazon", ACK),
            ("C1", 8, "amazon", "Your account has been reinstated."),
            ("C1", 9, "amazon", d("Ann", "B0AAAAAAA4")),
            ("C2", 0, "seller", "Question", "", "Seller Support", "beta"),
            ("C2", 1, "amazon", d("Bo", "B0BBBBBBB1"), "", "Seller Support", "beta"),
            ("C2", 2, "amazon", "", "", "Account Health Services", "beta"),
            ("C3", 0, "seller", "Only a seller message"),
        ]
    )


def test_canned_repeats_and_runs_on_hand_built_case():
    r = find_templates(hand_case())
    msg = r.messages
    assert isinstance(r, TemplateResult)
    assert list(msg.columns) == ["message_id", "case_id", "template_id", "variant_id",
                                 "reply_class", "is_canned_repeat", "is_repeat_denial"]
    c1 = msg[msg["case_id"] == "C1"]
    assert c1["template_id"].tolist() == [1, 2, 2, 2, 1, 3, 2]
    assert c1["is_canned_repeat"].tolist() == [False, False, True, True, True, False, True]
    assert c1["is_repeat_denial"].tolist() == [False, False, True, True, False, False, True]
    c2 = msg[msg["case_id"] == "C2"]
    assert c2["template_id"].isna().tolist() == [False, True]  # the empty body has no template
    assert c2["is_canned_repeat"].tolist() == [False, False]

    cases = r.cases.set_index("case_id")
    assert list(r.cases.columns) == ["case_id", "amazon_messages", "canned_repeats",
                                     "repeat_canned_denials", "longest_canned_run"]
    assert cases.index.tolist() == ["C1", "C2"]  # C3 has no Amazon message
    assert cases.loc["C1"].tolist() == [7, 4, 3, 3]
    assert cases.loc["C2"].tolist() == [2, 0, 0, 0]


def test_catalogue_counts():
    r = find_templates(hand_case())
    cat = r.catalogue
    assert list(cat.columns) == ["template_id", "text", "n_messages", "n_cases", "n_accounts",
                                 "teams", "first_seen", "last_seen", "reply_class", "n_variants"]
    assert cat["template_id"].tolist() == [2, 1, 3]  # by n_messages desc, then id
    denial = cat.set_index("template_id").loc[2]
    assert denial["n_messages"] == 5
    assert denial["n_cases"] == 2
    assert denial["n_accounts"] == 2
    assert denial["teams"] == "Seller Performance, Seller Support"
    assert denial["first_seen"] == T0 + pd.Timedelta(hours=1)  # C2's at hour 1
    assert denial["last_seen"] == T0 + pd.Timedelta(hours=9)
    assert denial["reply_class"] == "denial"
    assert denial["n_variants"] == 2
    ack = cat.set_index("template_id").loc[1]
    assert ack["text"] == ("thank you for contacting us. we have received your appeal and will "
                           "respond within <NUM> hours.")
    assert ack["reply_class"] == "acknowledgement"
    assert (ack["n_messages"], ack["n_cases"], ack["n_variants"]) == (2, 1, 1)


def test_template_ids_follow_first_appearance_in_time():
    m = frame([("B", 5, "amazon", ACK), ("A", 9, "amazon", d())])
    r = find_templates(m)
    ids = dict(zip(r.messages["case_id"], r.messages["template_id"], strict=True))
    assert ids == {"B": 1, "A": 2}


def test_find_templates_accepts_caselog_and_checks_columns():
    from caselog.model import CaseLog

    m = hand_case()
    cases = pd.DataFrame({"case_id": ["C1", "C2", "C3"]})
    r = find_templates(CaseLog(messages=m, cases=cases))
    assert len(r.messages) == 9
    with pytest.raises(SchemaError, match="body"):
        find_templates(m.drop(columns="body"))


def test_empty_and_seller_only_input():
    m = frame([("C1", 0, "seller", "hello")])
    r = find_templates(m)
    assert r.messages.empty and r.catalogue.empty and r.cases.empty


def test_config_validation():
    with pytest.raises(ConfigError, match="bands"):
        TemplateConfig(num_perm=16, bands=8, rows=4)
    with pytest.raises(ConfigError, match="jaccard"):
        TemplateConfig(jaccard_threshold=0)


# ----------------------------------------------------------------------------- evaluation


def test_evaluate_templates_known_contingency():
    # predicted: [1,1,1,2,2]; truth: [a,a,b,b,b]
    m = frame([("C1", h, "amazon", f"text {h}") for h in range(5)])
    pred = pd.DataFrame(
        {
            "message_id": m["message_id"],
            "case_id": m["case_id"],
            "template_id": pd.array([1, 1, 1, 2, 2], dtype="Int64"),
            "variant_id": pd.array([1] * 5, dtype="Int64"),
            "reply_class": ["denial"] * 4 + ["other"],
            "is_canned_repeat": False,
            "is_repeat_denial": False,
        }
    )
    result = TemplateResult(pred, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    truth = pd.DataFrame(
        {
            "case_id": "C1",
            "sent_at": m["sent_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "template": ["a", "a", "b", "b", "b"],
            "reply_class": ["denial", "denial", "denial", "denial", "denial"],
        }
    )
    s = evaluate_templates(result, truth, m)
    # predicted pairs 3 + 1 = 4; true pairs 1 + 3 = 4; shared (a,a) 1 + (b,b) 1 = 2
    assert s["n"] == 5
    assert s["precision"] == pytest.approx(0.5)
    assert s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(0.5)
    assert s["grouping_accuracy"] == 0.0  # no predicted group equals a true group
    assert s["majority_accuracy"] == pytest.approx(4 / 5)  # group 1 -> a (2), group 2 -> b (2)
    assert s["reply_class_accuracy"] == pytest.approx(4 / 5)


def test_evaluate_templates_untemplated_truth_is_singletons():
    m = frame([("C1", h, "amazon", f"t{h}") for h in range(3)])
    r = find_templates(m)  # "t<NUM>" x3 -> one template
    truth = pd.DataFrame({"case_id": "C1", "sent_at": m["sent_at"], "template": ["", "", ""]})
    s = evaluate_templates(r, truth, m)
    assert s["precision"] == 0.0
    assert s["recall"] == 1.0  # no true pairs
    assert np.isclose(s["grouping_accuracy"], 0.0)


# ----------------------------------------------------------------------------- line handling


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a five-word greeting line
        ("Hello from Amazon Selling Partner Support,\n\nWe reviewed it.", "we reviewed it."),
        # greeting and text on one line: only the greeting goes
        ("Hi Bob, we reviewed it.", "we reviewed it."),
        # two greeting lines
        ("Hello,\nDear Seller,\nWe reviewed it.", "we reviewed it."),
        # a courtesy first line is content, not a sign-off
        ("Thank you.\nWe reviewed it.", "thank you. we reviewed it."),
        ("Dear Ann,\nThank you,\nWe reviewed it.", "thank you, we reviewed it."),
        # a team sign-off line and what follows
        ("We reviewed it.\n\nThank you for selling on Amazon,\nCatalog Support", "we reviewed it."),
        # "thank you for ..." inside the text stays
        ("We reviewed it.\nThank you for your patience while we check.",
         "we reviewed it. thank you for your patience while we check."),
        # Windows line ends
        ("Hello Ann,\r\nWe reviewed it.\r\nRegards,\r\nSP", "we reviewed it."),
        # a greeting word that starts a longer sentence is content
        ("Hi there is an update on your case, which we reviewed.",
         "hi there is an update on your case, which we reviewed."),
    ],
)
def test_mask_text_lines(text, expected):
    assert mask_text(pd.Series([text])).tolist() == [expected]


def test_short_reply_with_added_sentence_joins_by_containment():
    base = "The listing for ASIN {a} has been deactivated and is no longer visible to customers."
    extra = " We will not respond to further messages about this decision."
    m = frame(
        [
            ("C1", 1, "amazon", base.format(a="B0AAAAAAA1")),
            ("C2", 2, "amazon", base.format(a="B0AAAAAAA2") + extra),
        ]
    )
    assert find_templates(m).messages["template_id"].tolist() == [1, 1]
    # Jaccard alone keeps the two apart: 13 of 23 shingles shared (0.57 < 0.6)
    strict = TemplateConfig(containment_threshold=1.0, min_containment_shingles=10_000)
    assert find_templates(m, config=strict).messages["template_id"].tolist() == [1, 2]


# ----------------------------------------------------------------------------- sample


def test_sample_templates_and_classes(sample):
    result = find_templates(sample.log)
    scores = evaluate_templates(result, sample.truth_messages, sample.log.messages)
    n_amazon = int((sample.log.messages["direction"] == "amazon").sum())
    assert scores["n"] == n_amazon == len(result.messages)
    assert scores["f1"] >= 0.99
    assert scores["grouping_accuracy"] >= 0.95
    assert scores["reply_class_accuracy"] >= 0.97
    # every output is consistent with the others
    assert result.catalogue["n_messages"].sum() == result.messages["template_id"].notna().sum()
    assert result.cases["amazon_messages"].sum() == n_amazon
    assert result.cases["canned_repeats"].sum() == result.messages["is_canned_repeat"].sum()
    assert (result.cases["longest_canned_run"] <= result.cases["canned_repeats"]).all()
    assert set(result.messages["reply_class"]) <= set(REPLY_CLASSES)
    assert set(result.catalogue["reply_class"]) <= set(REPLY_CLASSES)
    # the sample's canned loops are found
    assert result.cases["repeat_canned_denials"].max() >= 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dates of the European and Japanese marketplaces
        ("Ihr Konto wurde am 14. März 2026 deaktiviert.", "ihr konto wurde am <DATE> deaktiviert."),
        ("Votre compte a été désactivé le 14 mars 2026.", "votre compte a été désactivé le <DATE>."),
        ("Il suo account è stato disattivato il 14 marzo 2026.",
         "il suo account è stato disattivato il <DATE>."),
        ("Su cuenta fue desactivada el 14 de marzo de 2026.",
         "su cuenta fue desactivada el <DATE>."),
        ("アカウントは2026年3月14日に停止されました。", "アカウントは<DATE>に停止されました。"),
        # greetings and sign-offs
        ("Sehr geehrte Verkäuferin,\nIhr Konto wurde deaktiviert.\nMit freundlichen Grüßen\nAmazon",
         "ihr konto wurde deaktiviert."),
        ("Bonjour,\nVotre compte a été désactivé.\nCordialement,\nL'équipe Amazon",
         "votre compte a été désactivé."),
        ("Gentile venditore,\nIl suo account è stato disattivato.\nDistinti saluti",
         "il suo account è stato disattivato."),
        ("Estimado vendedor:\nSu cuenta ha sido desactivada.\nSaludos,\nAmazon",
         "su cuenta ha sido desactivada."),
        ("ご担当者様、\nアカウントは停止されました。\nよろしくお願いいたします。",
         "アカウントは停止されました。"),
        # curly quotes straight, lost spaces restored
        ("We’ll review it.We may ask “more”.", "we'll review it. we may ask \"more\"."),
        ("privileges,canceled your listings", "privileges, canceled your listings"),
    ],
)
def test_mask_text_languages_and_punctuation(text, expected):
    assert mask_text(pd.Series([text])).tolist() == [expected]


# ----------------------------------------------------------------------------- entry points


def test_templates_from_masked_is_find_templates():
    """The grouping given masked bodies (the partitioned run's entry point) is find_templates'."""
    import pyarrow as pa

    from caselog.analysis._templates import templates_from_masked

    m = frame(
        [
            ("C2", 5, "amazon", d("Bob", extra=FINAL)),
            ("C1", 1, "seller", "Please reinstate"),
            ("C1", 2, "amazon", d("Ann")),
            ("C1", 3, "amazon", ACK),
            ("C2", 4, "amazon", d("Cy")),
        ]
    ).sample(frac=1.0, random_state=3).reset_index(drop=True)  # rows in no particular order
    amazon = m["direction"] == "amazon"
    masked = pa.array(mask_text(m.loc[amazon, "body"]).tolist(), pa.large_string())
    got = templates_from_masked(m, masked)
    want = find_templates(m)
    for a, b in zip((got.messages, got.catalogue, got.cases, got.variants),
                    (want.messages, want.catalogue, want.cases, want.variants), strict=True):
        pd.testing.assert_frame_equal(a, b)
    # C1: D (t=2), ACK (t=3); C2: D (t=4), D + FINAL (t=5)
    assert want.messages["template_id"].tolist() == [1, 2, 1, 1]
    assert want.messages["variant_id"].tolist() == [1, 1, 1, 2]
    with pytest.raises(ConfigError, match="masked bodies"):
        templates_from_masked(m, masked.slice(1))


def test_shingle_words_fold_punctuation_once_per_piece():
    import pyarrow as pa

    from caselog.analysis._neardup import _tokens

    docs = pa.array(["e-mail us.", "...", "e mail us", "a , b"], pa.large_string())
    offsets, ids, n_words = _tokens(docs)
    words = np.split(ids, offsets[1:-1])
    # "e-mail us." and "e mail us" are the same three words; "..." has no word and keeps its
    # piece; a lone comma is no word
    assert words[0].tolist() == words[2].tolist() and len(words[0]) == 3
    assert len(set(words[0].tolist())) == 3
    assert len(words[1]) == 1 and words[1][0] not in words[0]
    assert len(words[3]) == 2 and words[3][0] != words[3][1]
    assert offsets.tolist() == [0, 3, 4, 7, 9]
    assert n_words >= 6


def test_masks_skip_lines_without_digits_links_or_at_signs():
    texts = pd.Series(["no digit, no link, no at sign here", "mail a@b.co", "see www.x.org/help",
                       "order 123-1234567-1234567 on 03/14/2026", "ASIN b0abcdefgh"])
    assert mask_text(texts).tolist() == [
        "no digit, no link, no at sign here", "mail <EMAIL>", "see <URL>",
        "order <ORDER_ID> on <DATE>", "asin <ASIN>",  # the "0" of "b0" is its digit
    ]
