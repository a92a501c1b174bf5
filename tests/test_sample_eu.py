"""The EU account of the sample: German and French histories, same classes and verdicts."""

from __future__ import annotations

import pytest

import caselog
from caselog.sample_eu import EU_ACCOUNT, TEMPLATES_DE, TEMPLATES_FR, to_eu_account


@pytest.fixture(scope="module")
def eu():
    return to_eu_account(caselog.sample.generate())


def test_banks_cover_the_same_templates():
    assert set(TEMPLATES_DE) == set(TEMPLATES_FR)
    assert set(TEMPLATES_DE) <= set(caselog.sample.TEMPLATES)


def test_cases_move_and_are_answered_in_german_and_french(eu):
    cases = eu.cases[eu.cases["account"] == EU_ACCOUNT]
    assert len(cases) == 75  # 25 % of 300
    m = eu.messages[(eu.messages["account"] == EU_ACCOUNT) & (eu.messages["direction"] == "amazon")]
    lang = caselog.detect_language(m)
    assert {"de", "fr"} <= set(lang)
    translated = eu.truth_messages.loc[m.index, "template"].str.contains("@")
    assert (lang[translated.to_numpy()].isin(["de", "fr"])).all()


def test_classes_templates_and_verdicts_hold(eu):
    a = caselog.analyse(eu.log)
    scores = caselog.evaluate_templates(a.templates, eu.truth_messages, eu.messages)
    assert scores["f1"] == 1.0
    assert scores["reply_class_accuracy"] == 1.0
    r = a.readiness.merge(eu.truth_cases[["case_id", "expected_verdict"]], on="case_id")
    assert (r["verdict"] == r["expected_verdict"]).all()


def test_same_seed_same_sample():
    s = caselog.sample.generate(n_cases=40)
    assert to_eu_account(s).messages.equals(to_eu_account(s).messages)
