"""Tests of caselog.analysis: Settings, the one Analysis every face renders, filtered views."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import openpyxl
import pandas as pd
import pandas.testing as pdt
import pytest

import caselog
from caselog import widgets as W
from caselog.cli import main
from caselog.errors import ConfigError
from caselog.model import CaseLog
from caselog.schema import empty_rejects

T0 = pd.Timestamp("2026-03-02 09:00", tz="UTC")


def _log(rows: list[tuple]) -> CaseLog:
    """rows: (case_id, hours after T0, direction, team, body, kind)."""
    m = pd.DataFrame(
        {
            "message_id": range(len(rows)),
            "case_id": [r[0] for r in rows],
            "account": "acme",
            "sent_at": [T0 + pd.Timedelta(hours=r[1]) for r in rows],
            "direction": [r[2] for r in rows],
            "team": [r[3] for r in rows],
            "channel": "case",
            "subject": "",
            "body": [r[4] for r in rows],
            "attachments": 1,
            "kind": [r[5] for r in rows],
            "source": "test",
        }
    )
    cases = pd.DataFrame(
        {
            "case_id": sorted(set(m["case_id"])),
            "account": "acme",
            "category": "Account suspension",
            "status": "open",
            "opened_at": T0,
            "closed_at": pd.NaT,
            "outcome": "",
            "asins": "",
            "source": "test",
        }
    )
    cases["closed_at"] = pd.to_datetime(cases["closed_at"], utc=True)
    return CaseLog(messages=m, cases=cases, rejects=empty_rejects(), input_rows=len(m))


@pytest.fixture()
def escalated_30h_ago() -> CaseLog:
    """One case: an appeal, a denial, a follow-up, then an escalation with no answer for 30 h."""
    return _log(
        [
            ("C1", 0, "seller", "Seller Performance", "Our plan of action is attached.", "poa"),
            ("C1", 20, "amazon", "Seller Performance", "We are unable to reinstate your account.",
             "denial"),
            ("C1", 30, "seller", "Seller Performance", "Please review our appeal again.",
             "follow-up"),
            ("C1", 40, "amazon", "Seller Performance", "We are unable to reinstate your account.",
             "denial"),
            ("C1", 50, "seller", "Seller Performance",
             "Please escalate this case to a manager.", "escalation"),
            ("C1", 80, "seller", "Seller Performance", "Any update?", "follow-up"),
        ]
    )


def test_settings_validate_and_replace():
    s = caselog.Settings(sla_hours=24)
    assert (s.sla_hours, s.rules.wait_hours) == (24.0, 48.0)
    assert s.replace(wait_hours=72).rules.wait_hours == 72.0
    assert s.replace(as_of="2026-03-01").as_of == pd.Timestamp("2026-03-01", tz="UTC")
    with pytest.raises(ConfigError, match="unknown setting"):
        s.replace(wait_hour=3)
    with pytest.raises(ConfigError, match="sla_hours"):
        caselog.Settings(sla_hours=-1)
    with pytest.raises(ConfigError, match="tz"):
        caselog.Settings(tz="Mars/Olympus")


def test_analyse_resolves_as_of_once_and_caches(sample_log):
    a = caselog.analyse(sample_log)
    assert a.as_of == sample_log.as_of == a.settings.as_of
    assert a.readiness is a.readiness and a.templates is a.templates
    assert caselog.analyse(a) is a  # nothing to change: the same analysis
    assert caselog.analyse(a, sla_hours=24).settings.sla_hours == 24.0
    with pytest.raises(ConfigError, match="CaseLog"):
        caselog.analyse("data.csv")


def test_one_wait_window_in_every_face(escalated_30h_ago, tmp_path):
    """sla_hours=24 changes SLA breaches only: the escalation 30 h old is 'waiting' (48 h wait)
    in the analysis, the workbook, the dashboard, the CLI and the brief."""
    log = escalated_30h_ago
    a = caselog.analyse(log, sla_hours=24)
    assert a.escalations["outcome"].tolist() == ["waiting"]
    verdict = a.readiness.set_index("case_id")["verdict"]

    book = openpyxl.load_workbook(caselog.write_workbook(log, tmp_path / "a.xlsx", sla_hours=24,
                                                         charts=False))
    esc = list(book["Escalations"].iter_rows(values_only=True))
    assert esc[1][esc[0].index("Outcome")] == "waiting"
    cases = list(book["Cases"].iter_rows(values_only=True))
    assert cases[1][cases[0].index("Verdict")] == verdict["C1"]

    board = W.dashboard(log, settings=caselog.Settings(sla_hours=24))
    assert board.analyses.escalations["outcome"].tolist() == ["waiting"]
    pdt.assert_frame_equal(board.analyses.readiness, a.readiness)

    path = tmp_path / "log.csv"
    m = log.messages
    pd.DataFrame({"Case ID": m["case_id"], "Sent": m["sent_at"].dt.strftime("%Y-%m-%d %H:%M"),
                  "From": m["direction"], "Team": m["team"], "Message": m["body"],
                  "Type": m["kind"], "Attachments": m["attachments"]}).to_csv(path, index=False)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["flag", str(path), "--all", "--format", "json", "--sla-hours", "24", "-q"]) == 0
    assert {r["case_id"]: r["verdict"] for r in json.loads(out.getvalue())} == verdict.to_dict()
    assert caselog.brief(log, "C1") == a.brief("C1")


def test_faces_agree_on_the_sample(sample_log, tmp_path):
    a = caselog.analyse(sample_log, sla_hours=24)
    book = openpyxl.load_workbook(
        caselog.write_workbook(a, tmp_path / "s.xlsx", charts=False, max_briefs=3)
    )
    rows = list(book["Cases"].iter_rows(values_only=True))
    head = rows[0]
    shown = {r[head.index("Case ID")]: r[head.index("Verdict")] for r in rows[1:]}
    assert shown == a.readiness.set_index("case_id")["verdict"].to_dict()
    rows = list(book["Escalations"].iter_rows(values_only=True))
    head = rows[0]
    shown = {r[head.index("Message ID")]: r[head.index("Outcome")] for r in rows[1:]}
    assert shown == a.escalations.set_index("message_id")["outcome"].to_dict()
    # the Cases sheet is in the one queue order
    assert [r[0] for r in list(book["Cases"].iter_rows(values_only=True))[1:]] == (
        a.queue(("ready", "not yet", "not advisable", "closed"))["case_id"].tolist()
    )
    board = W.dashboard(a)
    assert board.analyses is a
    assert W.queue_frame(a)["case_id"].tolist() == a.queue()["case_id"].tolist()


@pytest.mark.parametrize(
    "filters",
    [
        {"accounts": "Northwind Goods"},
        {"categories": ["Delayed payment", "Listing suppression"]},
        {"statuses": "closed"},
    ],
)
def test_filter_equals_analysing_the_filtered_log(sample_log, filters):
    """For case-level filters, the filtered view holds what analysing the filtered log gives
    (templates keep the whole log's ids, so they are not compared)."""
    a = caselog.analyse(sample_log)
    view = a.filter(**filters)
    direct = caselog.analyse(caselog.filter_log(sample_log, **filters), as_of=a.as_of)
    assert len(view.readiness) > 0
    keys = ["case_id", "turn"]
    pdt.assert_frame_equal(
        view.turns.sort_values(keys).reset_index(drop=True),
        direct.turns.sort_values(keys).reset_index(drop=True),
    )
    for name in ("escalations", "readiness"):
        got = getattr(view, name).sort_values(["case_id"], kind="stable").reset_index(drop=True)
        want = getattr(direct, name).sort_values(["case_id"], kind="stable").reset_index(drop=True)
        cols = [c for c in got.columns if c not in ("template_id",)]
        pdt.assert_frame_equal(got[cols], want[cols], check_dtype=False)


def test_filtered_catalogue_agrees_with_itself(sample_log):
    a = caselog.analyse(sample_log)
    view = a.filter(accounts="Northwind Goods")
    cat = view.templates.catalogue
    tm = view.templates.messages.merge(sample_log.messages[["message_id", "account", "sent_at"]],
                                       on="message_id")
    for row in cat.head(5).itertuples():
        mine = tm[tm["template_id"] == row.template_id]
        assert row.n_messages == len(mine)
        assert row.n_cases == mine["case_id"].nunique()
        assert row.n_accounts == 1 == mine["account"].nunique()
        assert row.first_seen == mine["sent_at"].min() and row.last_seen == mine["sent_at"].max()


def test_messages_after_as_of_do_not_exist_for_any_analysis(escalated_30h_ago):
    log = escalated_30h_ago
    early = caselog.analyse(log, as_of=T0 + pd.Timedelta(hours=25))
    assert len(early.log.messages) == 2
    # the second denial (40 h) is after as_of: no canned repeat, one template message
    assert len(early.templates.messages) == 1
    assert early.templates.messages["is_canned_repeat"].tolist() == [False]
    assert early.escalations.empty
    assert early.kpis().set_index("key").loc["messages", "value"] == 2
    full = caselog.analyse(early, as_of=log.as_of)  # re-analysed from the whole log
    assert len(full.log.messages) == 6


def test_kpis_one_definition(sample_log):
    a = caselog.analyse(sample_log)
    k = a.kpis().set_index("key")["value"]
    assert k["cases"] == 300 and k["accounts"] == 4 and k["messages"] == 3090
    assert k["ready"] + k["not_yet"] + k["not_advisable"] + k["closed"] == 300
    table = W.summary_table(a).set_index("metric")["value"]
    assert table["cases"] == k["cases"] and table["ready to escalate"] == k["ready"]
    assert sample_log.summary().cases == k["cases"]
    assert sample_log.summary().accounts == k["accounts"]
