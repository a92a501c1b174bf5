"""Tests of caselog.sample: the seeded generator, its ground truth and the written files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from caselog.errors import ConfigError
from caselog.sample import (
    CSV_COLUMNS,
    SCENARIOS,
    TEMPLATES,
    XLSX_CASE_COLUMNS,
    XLSX_MESSAGE_COLUMNS,
    _allocate,
    _Context,
    _default_as_of,
    _fill,
    generate,
    to_export_frames,
    write_sample,
)
from caselog.schema import CASE_COLUMNS, CATEGORIES, MESSAGE_COLUMNS, REPLY_CLASSES, TEAMS

WAIT = pd.Timedelta(hours=48)


@pytest.fixture(scope="module")
def sample():
    return generate()


@pytest.fixture(scope="module")
def written(sample, tmp_path_factory):
    return write_sample(tmp_path_factory.mktemp("sample"), sample)


# ---------------------------------------------------------------- small helpers, hand-checked
def test_fill_replaces_fields_per_row():
    ctx = _Context({"name": lambda: np.array(["Ann", "Bo", "Cy"], dtype=object),
                    "n": lambda: np.array(["1", "2", "3"], dtype=object)})
    texts = np.array(["Hi {name}!", "{n} of {name}", "plain"], dtype=object)
    out = _fill(texts, np.array([2, 0, 1]), ctx)
    assert out.tolist() == ["Hi Cy!", "1 of Ann", "plain"]


def test_allocate_uses_largest_remainder():
    assert _allocate(np.array([0.5, 0.3, 0.2]), 7).tolist() == [4, 2, 1]
    assert _allocate(np.array([1.0, 1.0, 1.0]), 10).sum() == 10


def test_default_as_of_is_last_day_of_last_month_at_17():
    assert _default_as_of(pd.Timestamp("2026-01-05"), 7) == pd.Timestamp("2026-07-31 17:00")
    assert _default_as_of(pd.Timestamp("2026-01-31"), 1) == pd.Timestamp("2026-01-31 17:00")


@pytest.mark.parametrize("kwargs, name", [({"n_cases": 0}, "n_cases"),
                                          ({"n_accounts": 0}, "n_accounts"),
                                          ({"months": 0}, "months"),
                                          ({"start": "not a date"}, "start")])
def test_bad_arguments_raise_config_error_naming_them(kwargs, name):
    with pytest.raises(ConfigError, match=name):
        generate(**kwargs)


# ---------------------------------------------------------------- determinism
def test_same_seed_gives_identical_frames():
    a, b = generate(seed=7, n_cases=60), generate(seed=7, n_cases=60)
    for name in ("messages", "cases", "truth_messages", "truth_cases"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.as_of == b.as_of


def test_different_seed_gives_different_frames():
    a, b = generate(seed=7, n_cases=60), generate(seed=8, n_cases=60)
    assert not a.messages["body"].equals(b.messages["body"])
    assert set(a.cases["case_id"]) != set(b.cases["case_id"])


# ---------------------------------------------------------------- shape and vocabulary
def test_counts_meet_the_minimums(sample):
    m = sample.messages
    assert len(sample.cases) == 300
    assert len(m) >= 3000
    assert m["account"].nunique() == 4
    assert m["sent_at"].min() < pd.Timestamp("2026-02-01", tz="UTC")
    assert sample.as_of == pd.Timestamp("2026-07-31 17:00", tz="UTC")
    assert m["sent_at"].dt.month.nunique() >= 7


def test_every_category_team_channel_and_scenario_appears(sample):
    m, tc = sample.messages, sample.truth_cases
    assert set(sample.cases["category"]) == set(CATEGORIES) - {"Unknown"}
    assert set(m["team"]) == set(TEAMS) - {"Other", "Unknown"}
    assert set(m["channel"]) == {"case", "email", "phone", "chat", "social"}
    assert set(tc["scenario"]) == set(SCENARIOS)
    assert set(tc["expected_verdict"]) == {"ready", "not yet", "not advisable", "closed"}
    assert set(sample.cases["outcome"]) == {"Reinstated", "Denied", "Resolved", ""}


def test_canonical_columns_dtypes_and_order(sample):
    m, c = sample.messages, sample.cases
    assert list(m.columns) == list(MESSAGE_COLUMNS)
    assert {k: str(v) for k, v in m.dtypes.items()} == MESSAGE_COLUMNS
    assert list(c.columns) == list(CASE_COLUMNS)
    assert {k: str(v) for k, v in c.dtypes.items()} == CASE_COLUMNS
    assert m["message_id"].tolist() == list(range(len(m)))
    ordered = m.sort_values(["case_id", "sent_at"], kind="stable")
    assert ordered["message_id"].tolist() == m["message_id"].tolist()
    text = [k for k, v in MESSAGE_COLUMNS.items() if v == "str"]
    assert not m[text].isna().any().any()
    assert m["source"].iloc[16] == "sample seed 20260101 row 17"
    assert set(m["direction"]) == {"seller", "amazon"}


def test_case_and_time_key_messages(sample):
    m = sample.messages
    assert not m.duplicated(["case_id", "sent_at"]).any()
    assert (m["sent_at"].dt.second == 0).all()
    assert sample.as_of == m["sent_at"].max() == sample.log.as_of


def test_cases_agree_with_messages(sample):
    m, c = sample.messages, sample.cases.set_index("case_id")
    first = m.groupby("case_id")["sent_at"].min()
    last = m.groupby("case_id")["sent_at"].max()
    assert (c["opened_at"] == first).all()
    closed = c["status"] == "closed"
    assert (c.loc[closed, "closed_at"] == last[closed]).all()
    assert c.loc[~closed, "closed_at"].isna().all()
    assert set(c["status"]) == {"open", "closed"}
    assert (c.loc[~closed, "outcome"] == "").all()
    asins = c["asins"].str.split(", ").explode()
    assert asins[asins != ""].str.fullmatch(r"B0[A-Z0-9]{8}").all()


def test_more_accounts_and_tiny_samples():
    s = generate(seed=3, n_cases=40, n_accounts=7)
    assert s.messages["account"].nunique() == 7
    one = generate(seed=3, n_cases=1)
    assert len(one.cases) == 1 and len(one.truth_cases) == 1


# ---------------------------------------------------------------- truth
def test_truth_has_one_row_per_message(sample):
    m, t = sample.messages, sample.truth_messages
    assert len(t) == len(m)
    assert (t["case_id"] == m["case_id"]).all()
    assert (t["sent_at"] == m["sent_at"]).all()
    assert (t["direction"] == m["direction"]).all()
    amazon = t["direction"] == "amazon"
    assert (t.loc[~amazon, "template"] == "").all() and (t.loc[~amazon, "reply_class"] == "").all()
    assert t.loc[amazon, "template"].isin(list(TEMPLATES)).all()
    assert set(t.loc[amazon, "reply_class"]) == set(REPLY_CLASSES)
    assert (t.loc[amazon, "escalation_level"] == 0).all()
    assert (t["is_escalation"] == (t["escalation_level"] > 0)).all()
    assert set(t["escalation_level"]) == {0, 1, 2, 3}
    assert t["template"].nunique() >= 40
    assert len(sample.truth_cases) == len(sample.cases)


def test_amazon_kind_labels_are_rare_and_match_the_truth(sample):
    m, t = sample.messages, sample.truth_messages
    amazon = m["direction"] == "amazon"
    labelled = amazon & (m["kind"] != "")
    assert 0 < labelled.sum() <= 0.10 * amazon.sum()
    assert (m.loc[labelled, "kind"] == t.loc[labelled, "reply_class"]).all()
    seller_kinds = set(m.loc[~amazon, "kind"])
    assert seller_kinds == {"", "appeal", "poa", "follow-up", "documents", "escalation",
                            "inquiry", "call"}


def test_amazon_texts_vary_around_their_templates(sample):
    t, m = sample.truth_messages, sample.messages
    denial = m[t["template"] == "sp_denial_generic"]["body"]
    assert denial.nunique() > len(denial) * 0.8  # greetings, names, sign-offs, extra sentences
    assert denial.str.contains("unable to accept your appeal|not able to accept your appeal").all()
    assert denial.str.contains("Our decision is final.", regex=False).any()
    reinstated = m[t["template"] == "sp_reinstated"]["body"]
    deactivated = m[t["template"] == "sp_deactivated"]["body"]
    assert reinstated.str.contains("has been reinstated").all()
    assert deactivated.str.contains("has been deactivated").all()
    assert m["body"].str.contains(r"\b\d{3}-\d{7}-\d{7}\b").any()
    assert m["body"].str.contains(r"\$\d{1,3}(?:,\d{3})*\.\d{2}").any()


def test_escalations_have_their_levels_targets_and_quality_mix(sample):
    m, t = sample.messages, sample.truth_messages
    esc = t["is_escalation"]
    assert (m.loc[esc, "direction"] == "seller").all()
    l1, l2, l3 = (t["escalation_level"] == k for k in (1, 2, 3))
    assert (m.loc[l1, "channel"] == "case").all()
    assert m.loc[l1, "body"].str.contains("escalat", case=False).all()
    l2_words = "senior investigator|Seller Performance manager|Product Quality manager|Captive Team"
    assert m.loc[l2, "body"].str.contains(l2_words).all()
    assert set(m.loc[l2, "channel"]) == {"case", "email"}
    assert (m.loc[l3, "team"] == "Executive Seller Relations").all()
    assert (m.loc[l3, "channel"] == "email").all()
    assert m.loc[l3, "body"].str.contains("Jeff|Jassy|jeff@|jassy@|Executive Seller").all()
    assert m.loc[l3, "subject"].str.contains("URGENT!!!").any()
    assert m.loc[esc, "body"].str.fullmatch(r"We want to escalate this\.").any()
    # nothing that is not an escalation asks for one or names a level-2/3 target
    plain = (m["direction"] == "seller") & ~esc
    assert not m.loc[plain, "body"].str.contains(
        "escalat|" + l2_words + "|Jeff|Jassy|Executive Seller", case=False).any()
    # AHS says "I have escalated this", which is not an escalation
    ahs = m["body"].str.contains("I have escalated this")
    assert ahs.any() and (m.loc[ahs, "channel"] == "phone").all() and not esc[ahs].any()


def test_canned_loops_repeat_one_denial_three_times(sample):
    t = sample.truth_messages
    loop = sample.truth_cases.loc[sample.truth_cases["scenario"] == "suspension_canned_loop",
                                  "case_id"]
    denials = t[t["case_id"].isin(loop) & (t["reply_class"] == "denial")]
    top = denials.groupby(["case_id", "template"]).size().groupby("case_id").max()
    assert len(top) == len(loop) and (top >= 3).all()


def test_team_delays_differ(sample):
    m = sample.messages
    prev = m.groupby("case_id")["sent_at"].shift()
    gap = (m["sent_at"] - prev).dt.total_seconds() / 3600
    amazon = (m["direction"] == "amazon") & (m["channel"] == "case")
    med = gap[amazon].groupby(m["team"]).median()
    assert med["Seller Support"] < 24 < med["Seller Performance"]
    assert (gap[amazon & (m["team"] == "Seller Performance")] > 48).any()


def test_fresh_cases_are_young_and_unanswered(sample):
    m, tc = sample.messages, sample.truth_cases
    fresh = m[m["case_id"].isin(tc.loc[tc["scenario"] == "fresh_case", "case_id"])]
    assert (fresh["direction"] == "seller").all()
    assert (fresh.groupby("case_id")["sent_at"].min() > sample.as_of - WAIT).all()
    at = m[m["sent_at"] == sample.as_of]
    assert len(at) == 1 and at["case_id"].isin(fresh["case_id"]).all()


# ---------------------------------------------------------------- expected verdicts
def _verdict(g: dict, category: str, status: str, as_of: np.datetime64,
             *, acks_answer: bool, material_includes_next: bool) -> str:
    """The readiness rules of docs/architecture.md, from one case's messages and their truth.

    ``g`` maps column names to numpy arrays (in time order).  ``acks_answer`` and
    ``material_includes_next`` switch between two readings of the rules where they leave room
    (does an acknowledgement answer a seller message; does the second executive e-mail's own
    attachment count as new material); the expected verdicts must hold under both.
    """
    if status == "closed":
        return "closed"
    if category == "Routine inquiry":
        return "not advisable"
    wait = np.timedelta64(48, "h")
    seller = g["direction"] == "seller"
    poa = seller & (np.isin(g["kind"], ["poa", "appeal"]) | g["says_poa"])
    material = seller & ((g["attachments"] > 0) | poa)
    l3 = np.flatnonzero(g["escalation_level"] == 3)
    for i, j in zip(l3[:-1], l3[1:], strict=True):
        if not material[i + 1:j + 1 if material_includes_next else j].any():
            return "not advisable"  # two level-3 escalations with nothing new between them
    cls = g["reply_class"]
    answers = ~seller if acks_answer else ~seller & (cls != "acknowledgement")
    last_seller = np.flatnonzero(seller).max()
    age = as_of - g["sent_at"][last_seller]
    blockers = []
    info = np.flatnonzero(cls == "information request")
    if len(info) and last_seller < info.max():
        blockers.append("a")
    if not (seller & (g["channel"] == "case")).any():
        blockers.append("b")
    if category in ("Account suspension", "Policy violation") and (
            not poa.any() or g["attachments"][seller].sum() == 0):
        blockers.append("c")
    amz = np.flatnonzero(answers)
    if (len(amz) and last_seller < amz.min()) or (not len(amz) and age < wait):
        blockers.append("d")
    unanswered = not answers[last_seller + 1:].any()
    if unanswered and age < wait:
        blockers.append("e")
    if blockers:
        return "not yet"
    seen: set[str] = set()
    repeat_denials = 0
    canned = np.zeros(len(seller), dtype=bool)
    for k, tmpl in enumerate(g["template"]):
        if tmpl:
            canned[k] = tmpl in seen
            repeat_denials += canned[k] and cls[k] == "denial"
            seen.add(tmpl)
    triggers = repeat_denials >= 2 or (unanswered and age >= wait)
    if len(amz):
        latest = amz.max()
        followed_up = seller[amz.min() + 1:latest].any()
        if followed_up and (canned[latest] or cls[latest] == "deflection"):
            triggers = True
    return "ready" if triggers else "not yet"


@pytest.mark.parametrize("seed", [20260101, 5])
def test_expected_verdicts_follow_the_readiness_rules(seed):
    s = sample_for(seed)
    m, t = s.messages, s.truth_messages
    cols = {
        "direction": m["direction"].to_numpy(dtype=object),
        "kind": m["kind"].to_numpy(dtype=object),
        "says_poa": m["body"].str.contains("plan of action", case=False).to_numpy(dtype=bool),
        "attachments": m["attachments"].to_numpy(),
        "channel": m["channel"].to_numpy(dtype=object),
        "sent_at": m["sent_at"].dt.tz_localize(None).to_numpy(),
        "template": t["template"].to_numpy(dtype=object),
        "reply_class": t["reply_class"].to_numpy(dtype=object),
        "escalation_level": t["escalation_level"].to_numpy(),
    }
    as_of = s.as_of.tz_localize(None).to_datetime64()
    bounds = np.flatnonzero(np.r_[True, m["case_id"].to_numpy()[1:] != m["case_id"].to_numpy()[:-1],
                                  True])
    cases = s.cases  # same order as the messages' cases
    expected = s.truth_cases["expected_verdict"].tolist()
    wrong = []
    for k, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        g = {name: arr[lo:hi] for name, arr in cols.items()}
        got = {_verdict(g, cases["category"].iat[k], cases["status"].iat[k], as_of,
                        acks_answer=a, material_includes_next=b)
               for a in (False, True) for b in (False, True)}
        if got != {expected[k]}:
            wrong.append((cases["case_id"].iat[k], expected[k], got))
    assert (s.truth_cases["case_id"] == cases["case_id"]).all()
    assert wrong == []


def sample_for(seed):
    return generate(seed=seed, n_cases=300)


def test_each_scenario_has_the_verdicts_the_spec_gives(sample):
    tc = sample.truth_cases
    got = tc.groupby("scenario")["expected_verdict"].agg(lambda v: set(v))
    for scenario, verdicts in SCENARIOS.items():
        assert got[scenario] == set(verdicts), scenario
    assert SCENARIOS["suspension_canned_loop"] == ("ready",)
    assert SCENARIOS["exec_canned"] == ("not advisable",)
    assert SCENARIOS["fresh_case"] == ("not yet",)


def test_blocking_scenarios_lack_what_they_should(sample):
    m, tc = sample.messages, sample.truth_cases
    ids = tc.groupby("scenario")["case_id"].agg(set)
    seller = m["direction"] == "seller"
    wrong = m[m["case_id"].isin(ids["wrong_channel_email"]) & seller]
    assert not (wrong["channel"] == "case").any()
    assert wrong["body"].str.contains("seller-performance@amazon.com").any()
    missing = m[m["case_id"].isin(ids["poa_missing"]) & seller]
    assert (missing["attachments"] == 0).all()
    assert not missing["body"].str.contains("plan of action", case=False).any()
    assert not missing["kind"].isin(["poa", "appeal"]).any()
    l3 = sample.truth_messages["escalation_level"] == 3
    exec_l3 = m[l3 & m["case_id"].isin(ids["exec_canned"])]
    assert (exec_l3.groupby("case_id").size() >= 2).all()
    assert (exec_l3["attachments"] == 0).all()


# ---------------------------------------------------------------- files
def test_export_frames_use_the_spec_names_and_forms(sample):
    csv, xm, xc = to_export_frames(sample)
    assert tuple(csv.columns) == CSV_COLUMNS
    assert tuple(xm.columns) == XLSX_MESSAGE_COLUMNS
    assert tuple(xc.columns) == XLSX_CASE_COLUMNS
    assert len(csv) == len(xm) == len(sample.messages) and len(xc) == len(sample.cases)
    assert set(csv["From"]) == {"Seller", "Amazon"}
    assert set(csv["Channel"]) == {"Case", "Email", "Phone", "Chat", "Social"}
    assert set(csv["Case Status"]) == {"Open", "Closed"}
    assert {"POA", "Follow-up", "Appeal"} <= set(csv["Type"])
    assert set(xm["Via"]) == {"Seller Central", "E-mail", "Call", "Chat", "Twitter"}
    assert set(xm.loc[sample.messages["direction"] == "seller", "Author"]) == {"Me"}
    assert {"SS", "AHS", "SP", "PQ", "ESR"} <= set(xm["Author"])
    assert set(xc["State"]) == {"OPEN", "CLOSED"}
    first = sample.messages.iloc[0]
    assert csv["Sent"].iloc[0] == first["sent_at"].strftime("%m/%d/%Y %I:%M %p")


def test_written_csv_reads_back(sample, written):
    df = pd.read_csv(written["csv"], dtype=str, keep_default_na=False)
    assert tuple(df.columns) == CSV_COLUMNS
    assert len(df) == len(sample.messages)
    assert df["Sent"].str.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2} [AP]M").all()
    assert df["Sent"].str.endswith("PM").any() and df["Sent"].str.endswith("AM").any()
    back = pd.to_datetime(df["Sent"], format="%m/%d/%Y %I:%M %p").dt.tz_localize("UTC")
    assert (back.to_numpy() == sample.messages["sent_at"].to_numpy()).all()
    assert (df["Message"] == sample.messages["body"]).all()
    assert (df["Attachments"].astype(int) == sample.messages["attachments"]).all()


def test_written_workbook_reads_back(sample, written):
    wb = openpyxl.load_workbook(written["xlsx"], read_only=True)
    assert wb.sheetnames == ["Messages", "Cases"]
    rows = list(wb["Messages"].iter_rows(values_only=True))
    assert rows[0] == XLSX_MESSAGE_COLUMNS
    assert len(rows) == len(sample.messages) + 1
    stamps = [r[2] for r in rows[1:]]
    assert all(isinstance(v, datetime) for v in stamps)
    naive = sample.messages["sent_at"].dt.tz_localize(None)
    assert stamps == list(naive.dt.to_pydatetime())
    wb.close()
    cases = pd.read_excel(written["xlsx"], sheet_name="Cases", dtype=str, keep_default_na=False, engine="calamine")
    assert tuple(cases.columns) == XLSX_CASE_COLUMNS
    assert cases["Opened"].str.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}").all()
    assert (cases["Opened"].str[:2].astype(int) > 12).any()  # day first, visibly
    opened = pd.to_datetime(cases["Opened"], format="%d/%m/%Y %H:%M").dt.tz_localize("UTC")
    assert (opened.to_numpy() == sample.cases["opened_at"].to_numpy()).all()
    closed = sample.cases["status"] == "closed"
    assert (cases.loc[~closed, "Closed"] == "").all()
    assert cases.loc[closed, "Closed"].str.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}").all()


def test_written_truth_files(sample, written):
    tm = pd.read_csv(written["truth_messages"], dtype=str, keep_default_na=False)
    assert list(tm.columns) == ["case_id", "sent_at", "direction", "template", "reply_class",
                                "is_escalation", "escalation_level", "escalation_target"]
    assert len(tm) == len(sample.messages)
    assert tm["sent_at"].str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z").all()
    tc = pd.read_csv(written["truth_cases"], dtype=str, keep_default_na=False)
    assert list(tc.columns) == ["case_id", "account", "scenario", "category",
                                "expected_verdict", "as_of"]
    assert set(tc["as_of"]) == {"2026-07-31T17:00:00Z"}


def test_written_files_are_byte_for_byte_repeatable(tmp_path):
    s = generate(seed=11, n_cases=30)
    a = write_sample(tmp_path / "a", s)
    b = write_sample(tmp_path / "b", generate(seed=11, n_cases=30))
    for key in a:
        files = sorted(a[key].rglob("*")) if a[key].is_dir() else [a[key]]
        assert files, key
        for f in files:
            g = b[key] / f.relative_to(a[key]) if a[key].is_dir() else b[key]
            assert f.read_bytes() == g.read_bytes(), (key, f.name)


def test_committed_sample_matches_the_generator(written):
    folder = Path(__file__).resolve().parents[1] / "data" / "sample"
    base = written["csv"].parent
    for key in ("csv", "truth_messages", "truth_cases"):  # xlsx bytes depend on openpyxl's version
        rel = written[key].relative_to(base)
        assert (folder / rel).read_bytes() == written[key].read_bytes(), key
    committed = pd.read_excel(folder / "caselog_sample.xlsx", sheet_name="Cases", dtype=str, engine="calamine",
                              keep_default_na=False)
    fresh = pd.read_excel(written["xlsx"], sheet_name="Cases", dtype=str, keep_default_na=False, engine="calamine")
    pd.testing.assert_frame_equal(committed, fresh)
