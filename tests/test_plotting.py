"""Charts: the artists each chart draws on tiny hand-built analysis outputs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from caselog import plotting as P  # noqa: E402
from caselog.errors import CaseNotFoundError, SchemaError  # noqa: E402
from caselog.model import CaseLog  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _ax():
    fig = Figure(figsize=(8, 4), layout="constrained")
    return fig.add_subplot()


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _by_gid(ax, gid: str):
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert len(found) == 1, f"expected one collection with gid {gid!r}, found {len(found)}"
    return found[0]


def _is_no_data(ax) -> bool:
    return any(t.get_gid() == "no-data" and t.get_text() == "no data" for t in ax.texts)


# ------------------------------------------------------------------------------------------
# hand-built analysis outputs


def _turns() -> pd.DataFrame:
    """6 turns: Seller Support 2 answered (2 h, 10 h); Seller Performance 2 answered
    (30 h, 90 h) + 1 open; Catalog 1 answered (5 h).  Months: 2026-01 (3), 2026-02 (3)."""
    rows = [
        ("Seller Support", False, 2.0, "2026-01"),
        ("Seller Support", False, 10.0, "2026-02"),
        ("Seller Performance", False, 30.0, "2026-01"),
        ("Seller Performance", False, 90.0, "2026-02"),
        ("Seller Performance", True, np.nan, "2026-02"),
        ("Catalog", False, 5.0, "2026-01"),
    ]
    t = pd.DataFrame(rows, columns=["team", "is_open", "response_hours", "month"])
    t["age_hours"] = np.where(t["is_open"], 100.0, np.nan)
    return t


def test_palette_is_immutable_and_consistent():
    assert P.PALETTE.team_color("Seller Support") == P.PALETTE.team["Seller Support"]
    assert P.PALETTE.team_color("no such team") == P.PALETTE.other
    with pytest.raises(TypeError):
        P.PALETTE.team["Catalog"] = "#000000"  # type: ignore[index]
    # every reply class, outcome and verdict has its own colour
    assert len(set(P.PALETTE.outcome.values())) == len(P.PALETTE.outcome)
    assert len(set(P.PALETTE.verdict.values())) == len(P.PALETTE.verdict)
    assert P.PALETTE.seller != P.PALETTE.amazon


def test_response_distribution_one_box_per_team_slowest_on_top():
    ax = P.plot_response_distribution(_turns(), ax=_ax())
    boxes = [p for p in ax.patches if str(p.get_gid()).startswith("box:")]
    assert len(boxes) == 3
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # positions run bottom-up: the last label is on top (median 60 h for Seller Performance)
    assert labels[-1].startswith("Seller Performance") and "n=3, 1 open" in labels[-1]
    assert labels[0].startswith("Catalog") and labels[0].endswith("n=1")
    assert ax.get_title(loc="left") == "Response time by team"
    assert ax.get_xscale() == "log"
    assert "5 answered turns, 1 open" in _texts(ax)
    assert box_colour(boxes, "Catalog") == matplotlib.colors.to_rgb(P.PALETTE.team["Catalog"])


def box_colour(boxes, team):
    (box,) = [b for b in boxes if b.get_gid() == f"box:{team}"]
    return matplotlib.colors.to_rgb(box.get_facecolor())


def test_response_distribution_order_by_median():
    ax = P.plot_response_distribution(_turns(), ax=_ax())
    labels = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    # medians: Catalog 5, Seller Support 6, Seller Performance 60 -> bottom to top
    assert labels == ["Catalog", "Seller Support", "Seller Performance"]


def test_response_trend_two_lines_one_point_per_month():
    ax = P.plot_response_trend(_turns(), ax=_ax())
    lines = {line.get_label(): line for line in ax.get_lines() if line.get_gid()}
    assert set(lines) == {"median", "90th percentile"}
    median = lines["median"].get_ydata()
    # 2026-01: 2, 30, 5 -> median 5; 2026-02: 10, 90 -> median 50
    assert list(median) == [5.0, 50.0]
    x = mdates.num2date(lines["median"].get_xdata()[0])
    assert (x.year, x.month, x.day) == (2026, 1, 1)


@pytest.mark.parametrize(
    "chart",
    [P.plot_response_distribution, P.plot_response_trend],
)
def test_response_charts_no_data(chart):
    ax = chart(_turns().iloc[:0], ax=_ax())
    assert _is_no_data(ax)


def test_response_trend_only_open_turns_is_no_data():
    t = _turns()
    t = t[t["is_open"]]
    assert _is_no_data(P.plot_response_trend(t, ax=_ax()))


def test_missing_column_names_it():
    with pytest.raises(SchemaError, match="response_hours"):
        P.plot_response_distribution(pd.DataFrame({"team": [], "is_open": []}), ax=_ax())


# ------------------------------------------------------------------------------------------
# case timeline


def _case_log() -> tuple[CaseLog, pd.DataFrame, pd.DataFrame]:
    """Case C1: seller 1 Mar 10:00, Amazon 2 Mar (denial), seller 2 Mar 12:00 (escalation L2),
    Amazon 4 Mar (canned repeat denial), seller 8 Mar, Amazon 9 Mar (canned repeat, info).
    Case C2 has one seller message (must not show)."""
    rows = [
        (0, "C1", "2026-03-01 10:00", "seller"),
        (1, "C1", "2026-03-02 09:00", "amazon"),
        (2, "C1", "2026-03-02 12:00", "seller"),
        (3, "C1", "2026-03-04 09:00", "amazon"),
        (4, "C1", "2026-03-08 10:00", "seller"),
        (5, "C1", "2026-03-09 10:00", "amazon"),
        (6, "C2", "2026-03-03 10:00", "seller"),
    ]
    m = pd.DataFrame(rows, columns=["message_id", "case_id", "sent_at", "direction"])
    m["sent_at"] = pd.to_datetime(m["sent_at"], utc=True)
    m["account"] = "acme"
    m["team"] = "Seller Performance"
    cases = pd.DataFrame(
        {"case_id": ["C1", "C2"], "account": ["acme", "acme"],
         "category": ["Account suspension", "Routine inquiry"]}
    )
    tm = pd.DataFrame(
        {
            "message_id": [1, 3, 5],
            "case_id": ["C1"] * 3,
            "template_id": pd.array([7, 7, 9], dtype="Int64"),
            "reply_class": ["denial", "denial", "information request"],
            "is_canned_repeat": [False, True, True],
            "is_repeat_denial": [False, True, False],
        }
    )
    esc = pd.DataFrame({"message_id": [2], "case_id": ["C1"], "level": [2]})
    return CaseLog(messages=m, cases=cases), tm, esc


def test_case_timeline_lanes_and_markers():
    log, tm, esc = _case_log()
    ax = P.plot_case_timeline(log, "C1", templates=tm, escalations=esc, ax=_ax())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Amazon", "Seller"]
    assert list(ax.get_yticks()) == [0, 1]
    seller = _by_gid(ax, "seller").get_offsets()
    amazon = _by_gid(ax, "amazon").get_offsets()
    assert len(seller) == 3 and set(np.asarray(seller)[:, 1]) == {1.0}
    assert len(amazon) == 3 and set(np.asarray(amazon)[:, 1]) == {0.0}
    assert len(_by_gid(ax, "canned").get_offsets()) == 2
    assert len(_by_gid(ax, "denial").get_offsets()) == 2
    assert len(_by_gid(ax, "escalation").get_offsets()) == 1
    assert "L2" in _texts(ax)
    # windows: 1 Mar 10:00 + 48 h overlaps 2 Mar 12:00 + 48 h -> one span; 8 Mar -> another
    windows = [p for p in ax.patches if p.get_gid() == "window"]
    assert len(windows) == 2
    start, end = mdates.num2date(windows[0].get_x()), mdates.num2date(
        windows[0].get_x() + windows[0].get_width()
    )
    assert start == _utc("2026-03-01 10:00") and end == _utc("2026-03-04 12:00")
    assert ax.get_title(loc="left") == "Case C1 — acme · Account suspension"


def test_case_timeline_as_of_drops_later_messages():
    log, tm, esc = _case_log()
    ax = P.plot_case_timeline(
        log, "C1", templates=tm, escalations=esc, as_of="2026-03-03", ax=_ax()
    )
    assert len(_by_gid(ax, "seller").get_offsets()) == 2
    assert len(_by_gid(ax, "amazon").get_offsets()) == 1
    assert len(_by_gid(ax, "canned").get_offsets()) == 0


def test_case_timeline_unknown_case():
    log, tm, esc = _case_log()
    with pytest.raises(CaseNotFoundError, match="C9"):
        P.plot_case_timeline(log, "C9", templates=tm, escalations=esc, ax=_ax())


def test_case_timeline_without_results_draws_no_marks():
    # the chart runs no analysis: without templates/escalations it leaves their marks out
    log, _, _ = _case_log()
    m = log.messages.assign(
        channel="case", subject="", attachments=0, kind="", source="",
        body=["appeal", "we are unable to reinstate your account", "please escalate this",
              "we are unable to reinstate your account", "follow up", "thanks", "hello"],
    )
    log = CaseLog(messages=m, cases=log.cases)
    ax = P.plot_case_timeline(log, "C1", ax=_ax())
    assert len(_by_gid(ax, "amazon").get_offsets()) == 3
    assert len(_by_gid(ax, "seller").get_offsets()) == 3
    assert len(_by_gid(ax, "canned").get_offsets()) == 0
    assert len(_by_gid(ax, "denial").get_offsets()) == 0
    assert len(_by_gid(ax, "escalation").get_offsets()) == 0
    assert any("templates not given" in t for t in _texts(ax))
    labels = ax.get_legend_handles_labels()[1]
    assert "canned repeat" not in labels and "denial" not in labels


def test_case_timeline_escalations_alone():
    log, _, esc = _case_log()
    ax = P.plot_case_timeline(log, "C1", escalations=esc, ax=_ax())
    assert len(_by_gid(ax, "escalation").get_offsets()) == 1
    assert len(_by_gid(ax, "canned").get_offsets()) == 0


def test_case_timeline_result_missing_a_column():
    log, tm, esc = _case_log()
    with pytest.raises(SchemaError, match="level"):
        P.plot_case_timeline(log, "C1", templates=tm, escalations=esc.drop(columns="level"),
                             ax=_ax())


# ------------------------------------------------------------------------------------------
# templates


def _catalogue() -> pd.DataFrame:
    long = "we reviewed your appeal and are unable to reinstate your selling privileges " * 3
    return pd.DataFrame(
        {
            "template_id": [1, 2, 3, 4],
            "text": [long, "please provide invoices", "thanks", "not the correct channel"],
            "n_messages": [9, 5, 1, 5],
            "n_cases": [4, 5, 1, 2],
            "reply_class": ["denial", "information request", "other", "deflection"],
        }
    )


def test_top_templates_bars_sorted_and_labels_truncated():
    ax = P.plot_top_templates(_catalogue(), ax=_ax())
    bars = [p for p in ax.patches if str(p.get_gid()).startswith("template:")]
    assert [b.get_gid() for b in bars] == ["template:T1", "template:T4", "template:T2"]
    assert [b.get_width() for b in bars] == [9, 5, 5]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("T1  we reviewed") and labels[0].endswith("…")
    assert len(labels[0]) <= 45
    assert "9 · 4 cases · 5 rep." in _texts(ax)
    # the axis label explains the bar labels in their order (it once began with a stray "·")
    assert ax.get_xlabel() == (
        "Amazon messages\n(labels: messages · cases · repeats in a case)"
    )
    assert matplotlib.colors.to_hex(bars[0].get_facecolor()) == P.PALETTE.reply_class["denial"]


def test_top_templates_n_and_no_data():
    ax = P.plot_top_templates(_catalogue(), n=1, ax=_ax())
    assert len([p for p in ax.patches if str(p.get_gid()).startswith("template:")]) == 1
    assert _is_no_data(P.plot_top_templates(_catalogue().iloc[2:3], ax=_ax()))
    assert _is_no_data(P.plot_top_templates(_catalogue().iloc[:0], ax=_ax()))


def _template_messages() -> pd.DataFrame:
    # case A: template 1 x3 (2 repeats), template 2 x1; case B: template 1 x2 (1 repeat),
    # template 2 x2 (1 repeat); case C: template 3 once (no repeat)
    rows = [
        ("A", 1, False), ("A", 1, True), ("A", 1, True), ("A", 2, False),
        ("B", 1, False), ("B", 1, True), ("B", 2, False), ("B", 2, True),
        ("C", 3, False),
    ]
    tm = pd.DataFrame(rows, columns=["case_id", "template_id", "is_canned_repeat"])
    tm["template_id"] = tm["template_id"].astype("Int64")
    tm["message_id"] = np.arange(len(tm))
    return tm


def test_repeat_heatmap_counts():
    ax = P.plot_repeat_heatmap(_template_messages(), ax=_ax())
    grid = ax.images[0].get_array()
    assert grid.shape == (2, 2)  # cases A, B x templates T1, T2 (T3 has no repeat)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["T1", "T2"]
    assert grid.tolist() == [[3, 1], [2, 2]]
    small = P.plot_repeat_heatmap(_template_messages(), top_cases=1, top_templates=1, ax=_ax())
    assert small.images[0].get_array().tolist() == [[3]]


def test_repeat_heatmap_no_repeats_is_no_data():
    tm = _template_messages()
    tm["is_canned_repeat"] = False
    assert _is_no_data(P.plot_repeat_heatmap(tm, ax=_ax()))


# ------------------------------------------------------------------------------------------
# escalations and readiness


def test_escalation_outcomes_stacked_with_n():
    esc = pd.DataFrame(
        {
            "level": [1, 1, 1, 3, 3],
            "outcome": ["denied", "denied", "positive", "canned", "denied"],
        }
    )
    ax = P.plot_escalation_outcomes(esc, ax=_ax())
    labels = [c.get_label() for c in ax.containers]
    assert labels == ["positive", "denied", "canned"]
    assert len(ax.containers[0]) == 2  # one bar per level
    denied = [b.get_height() for b in ax.containers[1]]
    assert denied == pytest.approx([200 / 3, 50.0])
    assert sorted(t.get_text() for t in ax.texts if t.get_gid() == "n") == ["n=2", "n=3"]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Level 1\nin-thread", "Level 3\nexecutive"
    ]
    assert _is_no_data(P.plot_escalation_outcomes(esc.iloc[:0], ax=_ax()))


def test_readiness_by_account_and_verdict():
    ready = pd.DataFrame(
        {
            "account": ["a", "a", "a", "b", "b", "b"],
            "verdict": ["ready", "not yet", "closed", "not advisable", "not yet", "not yet"],
        }
    )
    ax = P.plot_readiness(ready, ax=_ax())
    assert [c.get_label() for c in ax.containers] == ["ready", "not yet", "not advisable"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]  # a (1 ready) on top
    not_yet = {t.get_text(): b.get_width() for t, b in zip(
        ax.get_yticklabels(), ax.containers[1], strict=True)}
    assert not_yet == {"a": 1, "b": 2}
    with_closed = P.plot_readiness(ready, include_closed=True, ax=_ax())
    assert [c.get_label() for c in with_closed.containers][-1] == "closed"
    only_closed = P.plot_readiness(ready[ready["verdict"] == "closed"], ax=_ax())
    assert any(t.get_text() == "no open cases" for t in only_closed.texts)
    assert _is_no_data(P.plot_readiness(ready.iloc[:0], ax=_ax()))


def test_readiness_many_accounts_are_grouped():
    ready = pd.DataFrame({"account": [f"acct{i:02d}" for i in range(20)], "verdict": "ready"})
    ax = P.plot_readiness(ready, top_accounts=5, ax=_ax())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 5 and labels[-1] == "16 other accounts"


def test_charts_without_ax_use_pyplot_and_with_ax_do_not():
    before = plt.get_fignums()
    P.plot_response_distribution(_turns(), ax=_ax())
    assert plt.get_fignums() == before
    ax = P.plot_response_distribution(_turns())
    assert ax.figure.number in plt.get_fignums()


def test_every_chart_draws_the_sample(sample_log):
    from caselog import escalations, find_templates, readiness, turns

    t = turns(sample_log)
    tr = find_templates(sample_log)
    esc = escalations(sample_log, templates=tr)
    ready = readiness(sample_log, templates=tr, escalations=esc)
    case = tr.cases.sort_values("canned_repeats", ascending=False, kind="stable")["case_id"].iloc[0]
    axes = [
        P.plot_response_distribution(t, ax=_ax()),
        P.plot_response_trend(t, ax=_ax()),
        P.plot_case_timeline(sample_log, case, templates=tr, escalations=esc, ax=_ax()),
        P.plot_top_templates(tr.catalogue, ax=_ax()),
        P.plot_repeat_heatmap(tr, ax=_ax()),
        P.plot_escalation_outcomes(esc, ax=_ax()),
        P.plot_readiness(ready, ax=_ax()),
    ]
    for ax in axes:
        assert not _is_no_data(ax), ax.get_title(loc="left")
        ax.figure.canvas.draw()  # renders without error
    assert len(_by_gid(axes[2], "canned").get_offsets()) > 0
