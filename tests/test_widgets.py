"""Widgets: the pure filtering/summary functions and the widgets driven through .value."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import caselog  # noqa: E402
from caselog import widgets as W  # noqa: E402
from caselog.errors import CaseNotFoundError, ConfigError  # noqa: E402
from caselog.model import CaseLog  # noqa: E402

DENIAL = "We reviewed your appeal and are unable to reinstate your account. Our decision is final."

# case, account, at (UTC), direction, team, body
ROWS = [
    ("A1", "acme", "2026-03-01 10:00", "seller", "Seller Support", "Please review my appeal"),
    ("A1", "acme", "2026-03-02 10:00", "amazon", "Seller Support", DENIAL),
    ("A1", "acme", "2026-03-03 10:00", "seller", "Seller Support", "Following up on my appeal"),
    ("A1", "acme", "2026-03-04 10:00", "amazon", "Seller Support", DENIAL),
    ("A2", "acme", "2026-03-10 10:00", "seller", "Seller Support", "How do I change my address?"),
    ("A2", "acme", "2026-03-10 14:00", "amazon", "Seller Support", "Use the settings page."),
    ("B1", "beta", "2026-03-05 09:00", "seller", "Catalog", "My listing is suppressed"),
    ("B1", "beta", "2026-03-06 09:00", "amazon", "Catalog", "Please provide invoices."),
    ("B1", "beta", "2026-03-20 09:00", "seller", "Catalog", "Please escalate this to a manager"),
    ("B2", "beta", "2026-03-25 09:00", "seller", "Payments", "Where is my payment?"),
]
CASES = [
    ("A1", "acme", "Account suspension", "open"),
    ("A2", "acme", "Routine inquiry", "closed"),
    ("B1", "beta", "Listing suppression", "open"),
    ("B2", "beta", "Delayed payment", "open"),
]


def make_log() -> CaseLog:
    m = pd.DataFrame(ROWS, columns=["case_id", "account", "sent_at", "direction", "team", "body"])
    m.insert(0, "message_id", range(len(m)))
    m["message_id"] = m["message_id"].astype("int64")
    m["sent_at"] = pd.to_datetime(m["sent_at"], utc=True).astype("datetime64[ns, UTC]")
    m["channel"] = "case"
    m["subject"] = ""
    m["attachments"] = 1
    m["kind"] = ""
    m["source"] = [f"test row {i + 2}" for i in range(len(m))]
    m = m[["message_id", "case_id", "account", "sent_at", "direction", "team", "channel",
           "subject", "body", "attachments", "kind", "source"]]
    for col in ("case_id", "account", "direction", "team", "channel", "subject", "body", "kind",
                "source"):
        m[col] = m[col].astype("str")
    c = pd.DataFrame(CASES, columns=["case_id", "account", "category", "status"])
    first = m.groupby("case_id")["sent_at"].min()
    c["opened_at"] = c["case_id"].map(first).astype("datetime64[ns, UTC]")
    c["closed_at"] = pd.Series(pd.NaT, index=c.index, dtype="datetime64[ns, UTC]")
    c["outcome"] = ""
    c["asins"] = ""
    c["source"] = "test"
    for col in ("case_id", "account", "category", "status", "outcome", "asins", "source"):
        c[col] = c[col].astype("str")
    return CaseLog(messages=m, cases=c)


@pytest.fixture(scope="module")
def log() -> CaseLog:
    return make_log()


@pytest.fixture(scope="module")
def analyses(log) -> W.Analyses:
    return W.analyse(log)


@pytest.fixture(autouse=True)
def _no_figure_leaks():
    before = set(plt.get_fignums())
    yield
    assert set(plt.get_fignums()) == before, "a widget left a pyplot figure open"


def _ids(log: CaseLog) -> list[str]:
    return sorted(log.cases["case_id"])


def _value(table: pd.DataFrame, metric: str):
    return table.set_index("metric").loc[metric, "value"]


# ------------------------------------------------------------------------------------------
# filter_log


def test_filter_log_no_filter_is_the_log(log):
    assert W.filter_log(log) is log
    assert W.filter_log(log, accounts="", teams=[], statuses=None) is log


@pytest.mark.parametrize(
    ("kwargs", "cases", "n_messages"),
    [
        ({"accounts": ["acme"]}, ["A1", "A2"], 6),
        ({"accounts": "beta"}, ["B1", "B2"], 4),
        ({"teams": ["Catalog"]}, ["B1"], 3),
        ({"teams": ["Catalog", "Payments"]}, ["B1", "B2"], 4),
        ({"categories": ["Routine inquiry"]}, ["A2"], 2),
        ({"statuses": ["closed"]}, ["A2"], 2),
        ({"statuses": "open", "accounts": "acme"}, ["A1"], 4),
        # 4 Mar .. 10 Mar inclusive: A1's 4 Mar reply, both A2 messages, B1's 5 and 6 Mar
        ({"start": "2026-03-04", "end": "2026-03-10"}, ["A1", "A2", "B1"], 5),
        ({"start": dt.date(2026, 3, 4), "end": dt.date(2026, 3, 10)}, ["A1", "A2", "B1"], 5),
        ({"accounts": ["beta"], "start": "2026-03-20"}, ["B1", "B2"], 2),
        ({"end": "2026-03-01"}, ["A1"], 1),
        ({"accounts": ["nobody"]}, [], 0),
    ],
)
def test_filter_log_counts(log, kwargs, cases, n_messages):
    sub = W.filter_log(log, **kwargs)
    assert _ids(sub) == cases
    assert len(sub.messages) == n_messages
    assert set(sub.messages["case_id"]) <= set(cases)
    assert sub.input_rows == log.input_rows  # row accounting of the source is kept


def test_filter_log_timestamp_end_is_exclusive(log):
    sub = W.filter_log(log, end=pd.Timestamp("2026-03-02 10:00", tz="UTC"))
    assert len(sub.messages) == 1


def test_filter_log_errors(log):
    with pytest.raises(ConfigError, match="before start"):
        W.filter_log(log, start="2026-03-10", end="2026-03-01")
    with pytest.raises(ConfigError, match="accounts"):
        W.filter_log(log, accounts=5)
    with pytest.raises(ConfigError, match="start"):
        W.filter_log(log, start="not a date")


# ------------------------------------------------------------------------------------------
# analyses, summary, figures


def test_filter_analyses_matches_filter_log(analyses, log):
    f = W.filter_analyses(analyses, accounts="beta")
    assert _ids(f.log) == ["B1", "B2"]
    assert set(f.turns["case_id"]) == {"B1", "B2"}
    assert set(f.readiness["case_id"]) == {"B1", "B2"}
    assert set(f.templates.messages["case_id"]) <= {"B1", "B2"}
    # only A1 has template repeats: none left for beta
    assert int(f.templates.cases["canned_repeats"].sum()) == 0
    assert W.filter_analyses(analyses) is analyses


def test_filter_analyses_team_restricts_turns(analyses):
    f = W.filter_analyses(analyses, teams="Payments")
    assert _ids(f.log) == ["B2"]
    assert f.turns["team"].unique().tolist() == ["Payments"]


def test_summary_table_hand_counts(analyses):
    table = W.summary_table(analyses)
    assert table["metric"].tolist()[:4] == ["accounts", "cases", "open cases", "messages"]
    assert _value(table, "accounts") == 2
    assert _value(table, "cases") == 4
    assert _value(table, "open cases") == 3
    assert _value(table, "messages") == 10
    # turns: A1 (2 answered: 24 h, 24 h), A2 (4 h), B1 (24 h answered, 1 open), B2 open
    assert _value(table, "turns answered") == 4
    assert _value(table, "turns open") == 2
    assert _value(table, "median response (h)") == 24.0
    # the second identical denial in A1 is a canned repeat
    assert _value(table, "canned repeats") == 1
    beta = W.summary_table(W.filter_analyses(analyses, accounts="beta"))
    assert _value(beta, "cases") == 2 and _value(beta, "messages") == 4
    assert _value(beta, "turns answered") == 1 and _value(beta, "turns open") == 2


def test_summary_table_accepts_a_log(log, analyses):
    assert W.summary_table(log).equals(W.summary_table(analyses))


def test_dashboard_figures_are_not_in_pyplot(analyses):
    figs = W.dashboard_figures(analyses)
    assert set(figs) == {"response_distribution", "response_trend", "escalation_outcomes",
                         "readiness", "top_templates"}
    titles = {name: fig.axes[0].get_title(loc="left") for name, fig in figs.items()}
    assert titles["response_distribution"] == "Response time by team"
    assert titles["readiness"] == "Readiness to escalate, by account"
    png = W.figure_png(figs["readiness"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_empty_selection_draws_no_data(analyses):
    f = W.filter_analyses(analyses, accounts="nobody")
    assert _value(W.summary_table(f), "cases") == 0
    for fig in W.dashboard_figures(f).values():
        assert any(t.get_text() == "no data" for t in fig.axes[0].texts)


# ------------------------------------------------------------------------------------------
# the widgets


def test_dashboard_filters_update_table_and_charts(analyses):
    board = W.dashboard(analyses)
    assert [v for _, v in board.account.options] == ["", "acme", "beta"]
    before_table = board.table.value
    before_png = {k: im.value for k, im in board.charts.items()}
    assert "10" in board.info.value  # 10 messages shown

    board.account.value = "beta"
    expected = W.summary_table(W.filter_analyses(analyses, accounts="beta"))
    assert W.summary_table(board.current).equals(expected)
    assert board.table.value != before_table
    assert board.table.value == W._common._summary_html(expected)
    assert board.charts["readiness"].value != before_png["readiness"]
    assert "<b>2</b> cases" in board.info.value

    board.account.value = ""
    board.date_range.value = (dt.date(2026, 3, 4), dt.date(2026, 3, 10))
    assert board.selection()["start"] == dt.date(2026, 3, 4)
    assert _ids(board.current.log) == ["A1", "A2", "B1"]
    board.status.value = "closed"
    assert _ids(board.current.log) == ["A2"]


def test_dashboard_date_slider_spans_the_data(analyses):
    board = W.dashboard(analyses)
    days = [d for _, d in board.date_range.options]
    assert days[0] == dt.date(2026, 3, 1) and days[-1] == dt.date(2026, 3, 25)
    assert len(days) == 25
    assert board.selection()["start"] is None and board.selection()["end"] is None


def test_case_explorer_shows_selected_case(analyses):
    ex = W.case_explorer(analyses)
    first = ex.case.value
    assert first == ex.case.options[0][1]
    ex.case.value = "B1"
    d = ex.details
    assert d.case_id == "B1"
    assert d.messages["from"].tolist() == ["seller", "amazon", "seller"]
    assert "Please escalate this to a manager" in ex.messages.value
    row = analyses.readiness.set_index("case_id").loc["B1"]
    assert d.verdict["verdict"] == row["verdict"]
    assert row["verdict"] in ex.verdict.value
    assert d.brief.startswith("# Escalation request: Case B1")
    assert ex.brief.outputs[0]["data"]["text/markdown"] == d.brief
    assert len(ex.escalations.value) > 0
    assert ex.timeline.value[:4] == b"\x89PNG"


def test_case_details_a1_marks_canned_repeat(analyses):
    d = W.case_details(analyses, "A1")
    assert d.messages["canned repeat"].tolist() == ["", "", "", "yes"]
    assert d.messages["reply class"].tolist()[1] == "denial"
    assert d.messages["template"].iloc[1] == d.messages["template"].iloc[3] != ""
    with pytest.raises(CaseNotFoundError, match="Z9"):
        W.case_details(analyses, "Z9")


def test_readiness_queue_widget_writes_files(analyses, tmp_path):
    q = W.readiness_queue_widget(analyses, out_dir=tmp_path / "out")
    expected = W.queue_frame(analyses)
    assert q.queue.equals(expected)
    assert q.queue["rank"].tolist() == list(range(1, len(expected) + 1))
    assert q.queue["urgency"].is_monotonic_decreasing
    q.verdicts.value = ("not advisable",)
    assert set(q.queue["verdict"]) <= {"not advisable"}
    assert q.queue.equals(W.queue_frame(analyses, verdicts=("not advisable",)))
    q.verdicts.value = ("ready", "not yet")
    q.account.value = "beta"
    assert set(q.queue["account"]) <= {"beta"}

    q.write.click()
    csv_path, md_path = q.written
    assert csv_path == tmp_path / "out" / "readiness_queue.csv"
    written = pd.read_csv(csv_path, dtype={"case_id": str})
    assert written["case_id"].tolist() == q.queue["case_id"].tolist()
    text = md_path.read_text(encoding="utf-8")
    assert text.startswith("# Escalation briefs")
    n_ready = int(q.queue["verdict"].eq("ready").sum())
    assert text.count("# Escalation request: Case ") == n_ready
    assert "readiness_queue.csv" in q.status.value


def test_write_queue_csv_is_excel_safe(tmp_path):
    log = make_log()
    m = log.messages.copy()
    c = log.cases.copy()
    m["account"] = m["account"].replace("beta", "=beta")
    c["account"] = c["account"].replace("beta", "=beta")
    csv_path, _ = W.write_queue(CaseLog(messages=m, cases=c), tmp_path)
    written = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert sorted(set(written["account"])) == ["'=beta", "acme"]


def test_write_queue_writes_the_briefs_in_one_batch(analyses, monkeypatch, tmp_path):
    import importlib

    rd = importlib.import_module("caselog.report")  # its batch letter writer
    calls = []

    def fake_briefs(a, case_ids):
        as_of = a.as_of
        calls.append((list(case_ids), as_of))
        return [f"brief of {c}" for c in case_ids]

    monkeypatch.setattr(rd, "write_briefs", fake_briefs)
    analyses = caselog.analyse(analyses.log, analyses.settings)  # nothing cached yet
    _, md_path = W.write_queue(analyses, tmp_path, brief_verdicts=("ready", "not yet"))
    ids = W.queue_frame(analyses)["case_id"].tolist()
    assert calls == [(ids, analyses.as_of)]
    assert md_path.read_text(encoding="utf-8").endswith(
        "\n\n---\n\n".join(f"brief of {c}" for c in ids) + "\n"
    )


def test_widgets_on_an_empty_log(tmp_path):
    from caselog.schema import empty_cases, empty_messages

    empty = CaseLog(messages=empty_messages(), cases=empty_cases())
    board = W.dashboard(empty)
    assert board.date_range.disabled
    assert board.selection()["start"] is None
    assert _value(W.summary_table(board.current), "cases") == 0
    assert board.charts["readiness"].value[:4] == b"\x89PNG"  # a "no data" image
    assert W.case_explorer(empty).details is None
    q = W.readiness_queue_widget(empty, out_dir=tmp_path)
    assert q.queue.empty
    csv_path, md_path = q.save()
    assert csv_path.read_text(encoding="utf-8").startswith("rank,case_id")


# ------------------------------------------------------------------------------------------
# the sample data


def test_dashboard_on_the_sample(sample_log):
    a = W.analyse(sample_log)
    board = W.dashboard(a)
    table = W.summary_table(board.current)
    assert _value(table, "cases") == sample_log.cases["case_id"].nunique()
    assert _value(table, "messages") == len(sample_log.messages)
    account = board.account.options[1][1]
    board.account.value = account
    n_cases = int((sample_log.cases["account"] == account).sum())
    assert _value(W.summary_table(board.current), "cases") == n_cases
    assert _value(W.summary_table(board.current), "accounts") == 1
    for fig in W.dashboard_figures(board.current).values():  # every chart has data
        assert not any(t.get_text() == "no data" for t in fig.axes[0].texts)


def test_queue_verdicts_are_check_boxes(analyses):
    q = W.readiness_queue_widget(analyses)
    boxes = [c for c in q.root.children[1].children if type(c).__name__ == "Checkbox"]
    assert [b.description for b in boxes] == ["ready", "not yet", "not advisable", "closed"]
    assert [b.value for b in boxes] == [True, True, False, False]
    boxes[1].value = False  # one click, no Ctrl
    assert q.verdicts.value == ("ready",) and set(q.queue["verdict"]) <= {"ready"}
    q.verdicts.value = ("closed",)
    assert [b.value for b in boxes] == [False, False, False, True]


def test_explorer_tables_speak_words(analyses):
    cid = analyses.escalations["case_id"].iloc[0]
    d = W.case_details(analyses, cid)
    assert "detected_by" not in d.escalations.columns and "found by" in d.escalations.columns
    assert set(d.escalations["new material"]) <= {"yes", "no"}


# ------------------------------------------------------------------------------ matters


@pytest.fixture(scope="module")
def two_matters():
    return caselog.analyse(caselog.sample.generate(n_cases=20, n_matters=2).log)


def test_explorer_matter_tab_for_a_case_in_a_matter(two_matters):
    ex = W.case_explorer(two_matters, case_id="5884710417")
    titles = [ex.tabs.get_title(i) for i in range(len(ex.tabs.children))]
    assert titles == ["Messages", "Escalations", "Readiness", "Brief", "Matter"]
    d = ex.details
    assert d.matter_id == "M-10"
    assert d.matter_cases["case"].tolist() == [
        "8272751254", "5884710417 (this case)", "6323285751", "8672098672", "3224924847"]
    assert d.matter_cases["channels"].tolist() == ["email", "case", "case", "email", "email"]
    assert d.matter_cases["verdict"].tolist() == ["closed", "ready", "ready", "not yet", "not yet"]
    assert d.matter_cases["with the matter"].tolist() == ["", *["not advisable"] * 4]
    # 4 case references and 6 ASIN pairs
    assert d.matter_links["rule"].value_counts().to_dict() == {
        "the same ASIN": 6, "a case ID quoted": 4}
    assert ex.matter_timeline.value[:4] == b"\x89PNG"
    assert "<b>Matter M-10</b>: 5 cases" in ex.matter_text.value
    assert "quotes case 8672098672" in ex.matter_text.value
    # a case alone: no Matter tab, and back
    ex.case.value = "7839847704"
    assert len(ex.tabs.children) == 4 and ex.details.matter_id == ""
    assert ex.matter_text.value == ""
    ex.case.value = "3624314870"
    assert len(ex.tabs.children) == 5 and ex.details.matter_id == "M-20"


def test_matter_timeline_lanes_are_case_and_channel_with_this_case_bold(two_matters):
    fig = W.matter_figure(two_matters, "6663216071")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["3624314870 (case)", "5122066487 (case)",
                      "6663216071 (phone)\n(this case)"]
    weights = [t.get_fontweight() for t in ax.get_yticklabels()]
    assert weights == ["normal", "normal", "bold"]
    assert W.matter_figure(two_matters, "7839847704") is None


def test_matter_evidence_is_escaped_in_the_explorer():
    from _frames_escalations import Msg, make_log

    evil = "<img src=x onerror=alert(1)>"
    log = make_log([Msg("1000000001", "2026-03-01 09:00", "seller", "Listing down."),
                    Msg("1000000002", "2026-03-02 09:00", "seller",
                        f"{evil} see case 1000000001", channel="email")])
    ex = W.case_explorer(caselog.analyse(log), case_id="1000000002")
    assert len(ex.tabs.children) == 5
    assert evil not in ex.matter_text.value
    assert "&lt;img src=x onerror=alert(1)&gt; see case 1000000001" in ex.matter_text.value


def test_explorer_list_names_the_matter(two_matters):
    ex = W.case_explorer(two_matters, case_id="5122066487")
    labels = dict((v, k) for k, v in ex.case.options)
    assert labels["5122066487"] == "5122066487 · Blue Heron Home · not yet · matter M-20"
    assert labels["7839847704"].endswith("· ready")
