"""The readiness queue with the matters in view (analysis/_matter_queue.py, Analysis.queue)."""

from __future__ import annotations

import pandas as pd
import pytest

import caselog
from caselog.analysis._matter_queue import matter_queue, matter_verdicts
from caselog.schema import VERDICTS


def test_matter_queue_moves_a_matter_to_its_most_urgent_case_by_hand():
    # queue order A, B, C, D, E; matter M-1 = {B, E}, M-2 = {D} alone, C and A alone
    q = pd.DataFrame({"case_id": list("ABCDE"),
                      "verdict": ["ready", "ready", "not yet", "not yet", "closed"]})
    mr = pd.DataFrame({"case_id": list("EDCBA"), "matter_id": ["M-1", "M-2", "M-3", "M-1", "M-4"],
                       "verdict": ["closed", "not yet", "ready", "not advisable", "ready"],
                       "matter_reason": ["", "", "x", "matter M-1: bridges burned", ""]})
    n = pd.Series({"M-1": 2, "M-2": 1, "M-3": 1, "M-4": 1})
    out = matter_queue(q, mr, n)
    assert out["case_id"].tolist() == ["A", "B", "E", "C", "D"]
    assert out["matter_id"].tolist() == ["", "M-1", "M-1", "", ""]
    # B's verdict with the matter differs; E's does not; C is alone (its row is not shown)
    assert out["matter_verdict"].tolist() == ["", "not advisable", "", "", ""]
    assert out["matter_reason"].tolist() == ["", "matter M-1: bridges burned", "", "", ""]
    assert list(out.columns) == ["case_id", "verdict", "matter_id", "matter_verdict",
                                 "matter_reason"]


def test_matter_verdicts_takes_the_most_urgent_case():
    mr = pd.DataFrame({"case_id": ["A", "B", "C", "D"], "matter_id": ["M-1", "M-1", "M-1", "M-2"],
                       "verdict": ["not yet", "ready", "ready", "closed"],
                       "urgency": [2e6, 3.1e6, 3.4e6, 0.0]})
    v = matter_verdicts(mr)
    assert v.loc["M-1"].tolist() == ["ready", "C"] and v.loc["M-2"].tolist() == ["closed", "D"]


@pytest.fixture(scope="module")
def two_matters():
    return caselog.analyse(caselog.sample.generate(n_cases=20, n_matters=2).log)


def test_analysis_queue_groups_the_sample_matters(two_matters):
    a = two_matters
    q = a.queue(VERDICTS)
    # M-10 (the suspension over five cases): its most urgent case 5884710417 is the 7th of
    # the case-level queue, the other four follow it in their own queue order
    m10 = ["5884710417", "6323285751", "8672098672", "3224924847", "8272751254"]
    m20 = ["3624314870", "5122066487", "6663216071"]
    assert q["case_id"].iloc[6:14].tolist() == m10 + m20
    assert q["matter_id"].iloc[6:14].tolist() == ["M-10"] * 5 + ["M-20"] * 3
    assert (q["matter_id"].iloc[:6] == "").all() and (q["matter_id"].iloc[14:] == "").all()
    # two executive escalations without new material: every open case is not advisable
    assert q["matter_verdict"].iloc[6:14].tolist() == (
        ["not advisable"] * 4 + ["", "", "ready", ""])
    assert q["matter_reason"].iloc[12] == "matter M-20: 2 repeat canned denials across its cases"
    # the case verdicts and the rows are those of the case-level queue
    base = caselog.readiness_queue(a.readiness, VERDICTS)
    assert sorted(q["case_id"]) == sorted(base["case_id"])
    assert q.set_index("case_id")["verdict"].sort_index().equals(
        base.set_index("case_id")["verdict"].sort_index())
    assert list(q.columns) == list(a.readiness.columns) + [
        "matter_id", "matter_verdict", "matter_reason"]


def test_the_queue_widget_and_csv_carry_the_matter(two_matters, tmp_path):
    from caselog import widgets as W

    q = W.queue_frame(two_matters)
    assert list(q.columns)[-3:] == ["matter_id", "matter_verdict", "matter_reason"]
    rows = q.set_index("case_id")
    assert rows.at["5122066487", "matter_verdict"] == "ready"
    assert rows.at["5122066487", "matter_id"] == "M-20"
    csv_path, _ = W.write_queue(two_matters, tmp_path, brief_verdicts=())
    back = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert back["matter_id"].tolist() == q["matter_id"].tolist()
    ready_m20 = back[back["matter_id"] == "M-20"]["case_id"].tolist()
    assert ready_m20 == ["3624314870", "5122066487", "6663216071"]
    w = W.readiness_queue_widget(two_matters)
    assert "with the matter" in w.table.value and "M-20" in w.table.value
    # without a matter in the queue the matter columns are not shown
    w.account.value = "Kestrel Outdoors"
    assert "M-" not in w.table.value and "with the matter" not in w.table.value
