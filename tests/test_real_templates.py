"""Templates on real Amazon wording (tests/data/real_templates.csv): real variants hold together."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import caselog

DATA = Path(__file__).resolve().parent / "data"


def pairwise_f1(truth: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a grouping (all pairs of items)."""
    same_t = truth[:, None] == truth[None, :]
    same_p = pred[:, None] == pred[None, :]
    upper = np.triu(np.ones_like(same_t, dtype=bool), 1)
    tp = int((same_t & same_p & upper).sum())
    fp = int((~same_t & same_p & upper).sum())
    fn = int((same_t & ~same_p & upper).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall)


def as_messages(texts) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame(
        {
            "message_id": np.arange(n),
            "case_id": [f"C{i}" for i in range(n)],
            "sent_at": pd.date_range("2026-03-01", periods=n, freq="h", tz="UTC"),
            "direction": ["amazon"] * n,
            "body": list(texts),
            "kind": [""] * n,
        }
    )


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "real_templates.csv", dtype=str, keep_default_na=False)
    result = caselog.find_templates(as_messages(frame["text"]))
    got = result.messages.sort_values("message_id")
    return frame.assign(template_id=got["template_id"].to_numpy(dtype=np.int64),
                        reply_class=got["reply_class"].to_numpy(dtype=object))


def test_real_variants_pairwise_f1(real):
    precision, recall, f1 = pairwise_f1(real["group"].to_numpy(), real["template_id"].to_numpy())
    # measured: precision 0.882, recall 0.643, F1 0.744; the one merge across groups joins two
    # section-3 deactivation notices that differ by "removed" / "disabled" and one sentence
    assert precision >= 0.88, (precision, recall, f1)
    assert f1 >= 0.74, (precision, recall, f1)


def test_opposite_meanings_never_merge(real):
    by_group = real.groupby("group")["template_id"].agg(set)
    assert not by_group["decided_not_to_reinstate"] & by_group["decided_to_reinstate"]
    for other in ("deactivated_section3", "permanently_deactivated", "removed_privileges"):
        assert not by_group["reactivated_account"] & by_group[other]


def test_one_class_per_template(real):
    assert (real.groupby("template_id")["reply_class"].nunique() == 1).all()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # punctuation only
        ("Your case has been assigned.", "Your case has been assigned"),
        ("Your case has been assigned to a specialist!", "your case has been assigned to a specialist"),
        # curly and straight quotes, lost space after a sentence end
        ("We’ll review the information you send. We may ask you for more details.",
         "We'll review the information you send.We may ask you for more details."),
        ("We have removed your selling privileges, canceled your listings, and held your funds.",
         "We have removed your selling privileges,canceled your listings,and held your funds."),
    ],
)
def test_punctuation_variants_share_a_template(a, b):
    got = caselog.find_templates(as_messages([a, b])).messages.sort_values("message_id")
    assert got["template_id"].nunique() == 1


def test_closing_sentence_variant_stays_and_counts_as_repeat():
    base = ("We reviewed the information you provided about the listings of your account and "
            "the documents attached to your case, and we will not change the outcome of the review.")
    texts = [base, base + " Our decision is final."]
    m = as_messages(texts).assign(case_id="C1")
    res = caselog.find_templates(m)
    got = res.messages.sort_values("message_id")
    assert got["template_id"].nunique() == 1
    assert got["variant_id"].tolist() == [1, 2]
    assert got["reply_class"].nunique() == 1
    assert got["is_canned_repeat"].tolist() == [False, True]
