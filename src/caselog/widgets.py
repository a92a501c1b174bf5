"""Notebook widgets (ipywidgets): a dashboard, a case explorer and the readiness queue.

Each widget function builds the widget tree and returns a small dataclass that exposes the root
widget (``.root``; the dataclass itself displays as it) and handles to its controls and outputs,
so code and tests can set ``.value`` on a control and read what is shown.  The logic lives in
plain functions that work without Jupyter:

* :func:`analyse` runs every analysis once per log (turns, templates, escalations, readiness)
  and returns an :class:`Analyses`;
* :func:`filter_log` filters a :class:`~caselog.model.CaseLog` by account, team, category,
  status and date range, and :func:`filter_analyses` applies the same filter to an
  :class:`Analyses` without recomputing anything (this is what keeps the dashboard responsive);
* :func:`summary_table`, :func:`dashboard_figures`, :func:`case_details`,
  :func:`queue_frame` and :func:`write_queue` compute what the widgets show.

Charts are drawn on :class:`matplotlib.figure.Figure` objects that the widgets own and are
rendered to PNG images (``ipywidgets.Image``), so no figure is left open in pyplot.

Filter semantics (documented once, used everywhere):

* ``accounts``, ``categories``, ``statuses`` select cases by their row in ``log.cases``;
* ``teams`` selects the cases that have at least one message with one of the teams; the
  response-time turns are further restricted to turns answered by (or, while open, sent to)
  one of the teams;
* ``start`` / ``end`` (dates, inclusive, UTC) keep the messages sent on those days and the
  cases that have at least one of them; turns are kept by the time of their first seller
  message, escalations by their time, readiness rows by case.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import plotting
from .dates import to_utc_timestamp
from .errors import CaseNotFoundError, ConfigError
from .model import CaseLog

__all__ = [
    "Analyses",
    "analyse",
    "filter_log",
    "filter_analyses",
    "summary_table",
    "dashboard_figures",
    "figure_png",
    "case_details",
    "CaseDetails",
    "case_figure",
    "queue_frame",
    "write_queue",
    "Dashboard",
    "CaseExplorer",
    "ReadinessQueue",
    "dashboard",
    "case_explorer",
    "readiness_queue_widget",
]

ALL = ""  # the value of the "all" entry of every dropdown
_DPI = 80


# --------------------------------------------------------------------------------------------
# analyses, computed once
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Analyses:
    """Every analysis of one log, computed once (see :func:`analyse`).

    Attributes
    ----------
    log : CaseLog
        The (possibly filtered) log.
    as_of : pandas.Timestamp or None
        The moment of the analysis (UTC); None for an empty log.
    turns : pandas.DataFrame
        :func:`caselog.responses.turns`.
    templates : TemplateResult
        :func:`caselog.templates.find_templates`.
    escalations : pandas.DataFrame
        :func:`caselog.escalations.escalations`.
    readiness : pandas.DataFrame
        :func:`caselog.readiness.readiness`.
    """

    log: CaseLog
    as_of: pd.Timestamp | None
    turns: pd.DataFrame
    templates: Any
    escalations: pd.DataFrame
    readiness: pd.DataFrame


def _timestamp(value: Any, name: str) -> pd.Timestamp | None:
    """An optional bound or ``as_of``: ``None``/NaT means "not set", anything else must parse."""
    if value is None or value is pd.NaT:
        return None
    return to_utc_timestamp(value, name)


def analyse(log: CaseLog, *, as_of: Any = None) -> Analyses:
    """Run every analysis of ``log`` once.

    Parameters
    ----------
    log : CaseLog
        A loaded case log (``caselog.load``).
    as_of : timestamp, optional
        "Now" for every analysis; default the newest ``sent_at``.

    Returns
    -------
    Analyses

    Examples
    --------
    >>> import caselog
    >>> a = analyse(caselog.sample.generate(n_cases=20).log)
    >>> set(a.readiness["verdict"]) <= {"ready", "not yet", "not advisable", "closed"}
    True
    """
    from .escalations import escalations
    from .readiness import readiness
    from .responses import turns
    from .templates import find_templates

    if isinstance(log, Analyses):
        return log
    if not isinstance(log, CaseLog):
        raise ConfigError(f"log: expected a CaseLog (caselog.load), found {type(log).__name__}")
    as_of_ts = _timestamp(as_of, "as_of") or log.as_of
    tpl = find_templates(log)
    esc = escalations(log, as_of=as_of_ts, templates=tpl)
    ready = readiness(log, as_of=as_of_ts, templates=tpl, escalations=esc)
    return Analyses(
        log=log,
        as_of=as_of_ts,
        turns=turns(log, as_of=as_of_ts),
        templates=tpl,
        escalations=esc,
        readiness=ready,
    )


# --------------------------------------------------------------------------------------------
# filtering
# --------------------------------------------------------------------------------------------


def _choice(values: Any, name: str) -> tuple[str, ...] | None:
    """None (no filter) or a tuple of strings; a single string is one value; "" means all."""
    if values is None:
        return None
    if isinstance(values, str):
        return None if values == ALL else (values,)
    if not isinstance(values, Iterable):
        raise ConfigError(f"{name}: expected a string or a list of strings, found {values!r}")
    chosen = tuple(str(v) for v in values)
    return chosen or None


def _is_day(value: Any, ts: pd.Timestamp) -> bool:
    """A date, or a string without a time of day: a whole day."""
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    return isinstance(value, str) and ts == ts.normalize()


def _day_bounds(start: Any, end: Any) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """UTC bounds ``[lo, hi)``: a day-valued ``end`` includes that whole day."""
    lo = _timestamp(start, "start")
    hi = _timestamp(end, "end")
    if hi is not None and _is_day(end, hi):
        hi = hi + pd.Timedelta(days=1)
    if lo is not None and hi is not None and hi <= lo:
        raise ConfigError(f"end ({end}) comes before start ({start})")
    return lo, hi


def _in_range(times: pd.Series, lo: pd.Timestamp | None, hi: pd.Timestamp | None) -> pd.Series:
    keep = pd.Series(True, index=times.index)
    if lo is not None:
        keep &= times >= lo
    if hi is not None:
        keep &= times < hi
    return keep.fillna(False).astype(bool)


def _selected_cases(
    log: CaseLog,
    accounts: tuple[str, ...] | None,
    teams: tuple[str, ...] | None,
    categories: tuple[str, ...] | None,
    statuses: tuple[str, ...] | None,
    lo: pd.Timestamp | None,
    hi: pd.Timestamp | None,
) -> pd.Index:
    cases = log.cases
    m = log.messages
    ids = pd.Index(cases["case_id"].astype(str)).union(pd.Index(m["case_id"].astype(str).unique()))
    lookup = cases.drop_duplicates("case_id")
    lookup = lookup.set_index(lookup["case_id"].astype(str))
    account = pd.Series(lookup["account"], dtype="str").reindex(ids)
    if account.isna().any():  # cases known only from their messages
        from_msgs = m.drop_duplicates("case_id")
        from_msgs = from_msgs.set_index(from_msgs["case_id"].astype(str))
        account = account.fillna(from_msgs["account"].astype(str).reindex(ids))
    keep = pd.Series(True, index=ids)
    if accounts is not None:
        keep &= account.isin(accounts).to_numpy()
    if categories is not None:
        cat = lookup["category"].astype(str).reindex(ids).fillna("Unknown")
        keep &= cat.isin(categories).to_numpy()
    if statuses is not None:
        status = lookup["status"].astype(str).reindex(ids).fillna("open")
        keep &= status.isin(statuses).to_numpy()
    if teams is not None:
        with_team = pd.Index(m.loc[m["team"].isin(teams), "case_id"].astype(str).unique())
        keep &= ids.isin(with_team)
    if lo is not None or hi is not None:
        active = pd.Index(m.loc[_in_range(m["sent_at"], lo, hi), "case_id"].astype(str).unique())
        keep &= ids.isin(active)
    return ids[keep.to_numpy()]


def _filter(
    log: CaseLog,
    accounts: Any,
    teams: Any,
    categories: Any,
    statuses: Any,
    start: Any,
    end: Any,
) -> tuple[CaseLog, tuple[str, ...] | None, pd.Timestamp | None, pd.Timestamp | None]:
    accounts = _choice(accounts, "accounts")
    teams = _choice(teams, "teams")
    categories = _choice(categories, "categories")
    statuses = _choice(statuses, "statuses")
    lo, hi = _day_bounds(start, end)
    if accounts is teams is categories is statuses is lo is hi is None:
        return log, None, None, None
    ids = _selected_cases(log, accounts, teams, categories, statuses, lo, hi)
    m = log.messages
    keep = m["case_id"].astype(str).isin(ids) & _in_range(m["sent_at"], lo, hi)
    cases = log.cases[log.cases["case_id"].astype(str).isin(ids)]
    sub = CaseLog(
        messages=m[keep].reset_index(drop=True),
        cases=cases.reset_index(drop=True),
        rejects=log.rejects,
        duplicates=log.duplicates,
        input_rows=log.input_rows,
        decisions=log.decisions,
    )
    return sub, teams, lo, hi


def filter_log(
    log: CaseLog,
    accounts: Any = None,
    teams: Any = None,
    categories: Any = None,
    statuses: Any = None,
    start: Any = None,
    end: Any = None,
) -> CaseLog:
    """The part of ``log`` that matches the filters (see the module docstring).

    Parameters
    ----------
    log : CaseLog
    accounts, teams, categories, statuses : str or sequence of str, optional
        Values to keep; None, ``""`` or an empty list keeps all.
    start, end : date, string or timestamp, optional
        First and last day to keep (inclusive, UTC).  A timestamp with a time is used as is
        (``end`` exclusive).

    Returns
    -------
    CaseLog
        ``messages`` of the selected cases sent within the range, and the selected ``cases``
        rows; ``rejects``, ``duplicates`` and ``input_rows`` as in ``log``.

    Raises
    ------
    ConfigError
        A filter value that is not a string or a list of strings, or ``end`` before ``start``.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=20).log
    >>> acct = log.cases["account"].iloc[0]
    >>> set(filter_log(log, accounts=[acct]).messages["account"]) == {acct}
    True
    """
    return _filter(log, accounts, teams, categories, statuses, start, end)[0]


def _sub_catalogue(catalogue: pd.DataFrame, tm: pd.DataFrame) -> pd.DataFrame:
    """Catalogue counts recomputed over the template messages ``tm`` (text etc. kept)."""
    has = tm[tm["template_id"].notna()]
    if has.empty or catalogue.empty:
        return catalogue.iloc[:0]
    counts = has.groupby("template_id").agg(
        n_messages=("message_id", "size"), n_cases=("case_id", "nunique")
    )
    cat = catalogue.drop(columns=["n_messages", "n_cases"]).merge(
        counts.reset_index(), on="template_id", how="inner"
    )
    cat = cat.sort_values(["n_messages", "template_id"], ascending=[False, True], kind="stable")
    return cat[list(catalogue.columns)].reset_index(drop=True)


def filter_analyses(
    analyses: Analyses,
    accounts: Any = None,
    teams: Any = None,
    categories: Any = None,
    statuses: Any = None,
    start: Any = None,
    end: Any = None,
) -> Analyses:
    """Apply :func:`filter_log`'s filters to computed analyses, without recomputing them.

    Rows are kept by case (and turns by team and time, escalations by time, template messages
    by the messages kept); the template catalogue's counts are recounted over the kept
    messages.  Response times near the edges of a date range therefore still count replies
    sent after the range, which :func:`analyse` of a filtered log would not see.

    Returns
    -------
    Analyses
        With ``log`` equal to ``filter_log(analyses.log, ...)``.
    """
    from .templates import TemplateResult

    log, team_set, lo, hi = _filter(
        analyses.log, accounts, teams, categories, statuses, start, end
    )
    if log is analyses.log:
        return analyses
    ids = pd.Index(log.cases["case_id"].astype(str)).union(
        pd.Index(log.messages["case_id"].astype(str).unique())
    )
    t = analyses.turns
    keep = t["case_id"].astype(str).isin(ids) & _in_range(t["first_seller_at"], lo, hi)
    if team_set is not None:
        keep &= t["team"].isin(team_set)
    e = analyses.escalations
    e = e[e["case_id"].astype(str).isin(ids) & _in_range(e["sent_at"], lo, hi)]
    r = analyses.readiness
    r = r[r["case_id"].astype(str).isin(ids)]
    tr = analyses.templates
    tm = tr.messages[tr.messages["message_id"].isin(log.messages["message_id"])]
    tc = tr.cases[tr.cases["case_id"].astype(str).isin(ids)]
    templates = TemplateResult(
        messages=tm.reset_index(drop=True),
        catalogue=_sub_catalogue(tr.catalogue, tm),
        cases=tc.reset_index(drop=True),
        variants=tr.variants,
    )
    return Analyses(
        log=log,
        as_of=analyses.as_of,
        turns=t[keep].reset_index(drop=True),
        templates=templates,
        escalations=e.reset_index(drop=True),
        readiness=r.reset_index(drop=True),
    )


# --------------------------------------------------------------------------------------------
# dashboard content
# --------------------------------------------------------------------------------------------


def _as_analyses(data: Any, as_of: Any) -> Analyses:
    if isinstance(data, Analyses):
        return data
    return analyse(data, as_of=as_of)


def summary_table(data: CaseLog | Analyses, as_of: Any = None) -> pd.DataFrame:
    """The key figures the dashboard shows beside its charts.

    Parameters
    ----------
    data : CaseLog or Analyses
        A log (analysed here) or :func:`analyse` / :func:`filter_analyses` output.
    as_of : timestamp, optional
        Used when ``data`` is a log.

    Returns
    -------
    pandas.DataFrame
        Columns ``metric, value``; rows in this order: ``accounts, cases, open cases,
        messages, turns answered, turns open, median response (h), p90 response (h),
        turns over 48 h (%), canned repeats, repeat canned denials, escalations,
        escalations positive, ready to escalate, not yet``.  Counts are ints; hours and
        percentages floats rounded to one decimal (NaN when there is nothing to measure).

    Examples
    --------
    >>> import caselog
    >>> table = summary_table(caselog.sample.generate(n_cases=20).log)
    >>> table.set_index("metric").loc["cases", "value"]
    20
    """
    from .responses import response_summary

    a = _as_analyses(data, as_of)
    log, t = a.log, a.turns
    ids = pd.Index(log.cases["case_id"].astype(str)).union(
        pd.Index(log.messages["case_id"].astype(str).unique())
    )
    s = response_summary(t, by=None).iloc[0]
    verdict = a.readiness["verdict"]
    status = a.readiness["status"] if "status" in a.readiness.columns else pd.Series([], dtype=str)
    tc = a.templates.cases
    rows: list[tuple[str, Any]] = [
        ("accounts", int(pd.concat([log.cases["account"], log.messages["account"]]).nunique())),
        ("cases", int(len(ids))),
        ("open cases", int((status == "open").sum())),
        ("messages", int(len(log.messages))),
        ("turns answered", int(s["n_answered"])),
        ("turns open", int(s["n_open"])),
        ("median response (h)", round(float(s["median_hours"]), 1)),
        ("p90 response (h)", round(float(s["p90_hours"]), 1)),
        ("turns over 48 h (%)", round(float(s["share_over_sla"]) * 100, 1)),
        ("canned repeats", int(tc["canned_repeats"].sum())),
        ("repeat canned denials", int(tc["repeat_canned_denials"].sum())),
        ("escalations", int(len(a.escalations))),
        ("escalations positive", int(a.escalations["outcome"].eq("positive").sum())),
        ("ready to escalate", int(verdict.eq("ready").sum())),
        ("not yet", int(verdict.eq("not yet").sum())),
    ]
    return pd.DataFrame(
        {
            "metric": pd.array([r[0] for r in rows], dtype="str"),
            "value": pd.Series([r[1] for r in rows], dtype=object),
        }
    )


#: the dashboard's charts: name -> (chart function on Analyses, figure size in inches)
_DASHBOARD_CHARTS: dict[str, tuple[Any, tuple[float, float]]] = {
    "response_distribution": (
        lambda a, ax: plotting.plot_response_distribution(a.turns, ax=ax), (6.4, 4.0)
    ),
    "response_trend": (lambda a, ax: plotting.plot_response_trend(a.turns, ax=ax), (6.4, 4.0)),
    "escalation_outcomes": (
        lambda a, ax: plotting.plot_escalation_outcomes(a.escalations, ax=ax), (6.4, 4.0)
    ),
    "readiness": (lambda a, ax: plotting.plot_readiness(a.readiness, ax=ax), (6.4, 4.0)),
    "top_templates": (
        lambda a, ax: plotting.plot_top_templates(a.templates.catalogue, n=8, ax=ax), (6.4, 4.0)
    ),
}


def _figure(size: tuple[float, float]) -> tuple[Figure, Any]:
    fig = Figure(figsize=size, layout="constrained", dpi=_DPI)
    return fig, fig.add_subplot()


def dashboard_figures(data: CaseLog | Analyses, as_of: Any = None) -> dict[str, Figure]:
    """The dashboard's charts as matplotlib Figures (not registered with pyplot).

    Parameters
    ----------
    data : CaseLog or Analyses
    as_of : timestamp, optional
        Used when ``data`` is a log.

    Returns
    -------
    dict of str to Figure
        ``response_distribution, response_trend, escalation_outcomes, readiness,
        top_templates``.
    """
    a = _as_analyses(data, as_of)
    out: dict[str, Figure] = {}
    for name, (draw, size) in _DASHBOARD_CHARTS.items():
        fig, ax = _figure(size)
        draw(a, ax)
        out[name] = fig
    return out


def figure_png(fig: Figure, dpi: int = _DPI) -> bytes:
    """PNG bytes of ``fig`` (which is then cleared so that it holds no memory)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    fig.clear()
    return buf.getvalue()


def _html_table(frame: pd.DataFrame, max_rows: int | None = None) -> str:
    if frame.empty:
        return "<p><i>nothing to show</i></p>"
    shown = frame if max_rows is None else frame.head(max_rows)
    table = shown.to_html(index=False, escape=True, border=0, na_rep="", classes="caselog-table")
    more = "" if max_rows is None or len(frame) <= max_rows else (
        f"<p><i>{len(frame) - max_rows:,} more rows not shown</i></p>"
    )
    style = (
        "<style>.caselog-table{border-collapse:collapse;font-size:12px}"
        ".caselog-table td,.caselog-table th{padding:2px 8px;border-bottom:1px solid #e9ecef;"
        "text-align:left;vertical-align:top;max-width:420px;line-height:1.35}</style>"
    )
    return style + table + more


def _summary_html(table: pd.DataFrame) -> str:
    shown = table.copy()
    def fmt(v: Any) -> str:
        if isinstance(v, float) and np.isnan(v):
            return "–"
        return f"{v:,}" if isinstance(v, int) else f"{v:g}"

    shown["value"] = [fmt(v) for v in shown["value"]]
    return _html_table(shown)


def _options(values: Iterable[str], all_label: str) -> list[tuple[str, str]]:
    vals = sorted({str(v) for v in values if str(v) != ""})
    return [(all_label, ALL)] + [(v, v) for v in vals]


# --------------------------------------------------------------------------------------------
# the dashboard widget
# --------------------------------------------------------------------------------------------


def _size(a: Analyses) -> str:
    return f"{len(a.log.cases):,} cases, {len(a.log.messages):,} messages"


def _bundle(root: Any, text: str) -> Any:
    """The root widget's display bundle with a short plain-text form (not the widget repr)."""
    bundle = root._repr_mimebundle_()
    if isinstance(bundle, tuple):  # (data, metadata)
        data, meta = bundle
        return {**data, "text/plain": text}, meta
    if isinstance(bundle, dict):
        return {**bundle, "text/plain": text}
    return bundle


def _widgets():
    import ipywidgets as widgets  # imported here: caselog works without a notebook

    return widgets


@dataclass
class Dashboard:
    """What :func:`dashboard` returns: the root widget and handles to its parts.

    Attributes
    ----------
    root : ipywidgets.VBox
    account, team, category, status : ipywidgets.Dropdown
        Filters (value ``""`` = all).
    date_range : ipywidgets.SelectionRangeSlider
        First and last day (``datetime.date``), inclusive.
    table : ipywidgets.HTML
        The summary table.
    charts : dict of str to ipywidgets.Image
        PNG images of :func:`dashboard_figures`, by name.
    info : ipywidgets.HTML
        One line saying what is shown.
    analyses : Analyses
        Computed once for the whole log.
    dates : ipywidgets.HTML
        The chosen days in words, beside the slider.
    current : Analyses
        The filtered analyses shown now.
    """

    root: Any
    account: Any
    team: Any
    category: Any
    status: Any
    date_range: Any
    table: Any
    charts: dict[str, Any]
    info: Any
    analyses: Analyses
    current: Analyses | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    dates: Any = None

    def _text(self) -> str:
        return f"caselog dashboard ({_size(self.analyses)})"

    def selection(self) -> dict[str, Any]:
        """The filter values as keyword arguments of :func:`filter_log`."""
        if self.date_range.disabled:  # a log without messages has no dates to choose
            start = end = first = last = None
        else:
            start, end = self.date_range.value
            first, last = self.date_range.options[0][1], self.date_range.options[-1][1]
        return {
            "accounts": self.account.value or None,
            "teams": self.team.value or None,
            "categories": self.category.value or None,
            "statuses": self.status.value or None,
            "start": None if start == first else start,
            "end": None if end == last else end,
        }

    def refresh(self, *_: Any) -> None:
        """Recompute the table and the charts for the current filter values."""
        self.filters = self.selection()
        if self.dates is not None and not self.date_range.disabled:
            lo, hi = self.date_range.value
            self.dates.value = f"{lo:%d %b %Y} – {hi:%d %b %Y}"
        self.current = filter_analyses(self.analyses, **self.filters)
        table = summary_table(self.current)
        self.table.value = _summary_html(table)
        figures = dashboard_figures(self.current)
        for name, fig in figures.items():
            self.charts[name].value = figure_png(fig)
        n_cases = int(table.set_index("metric").loc["cases", "value"])
        n_msgs = int(table.set_index("metric").loc["messages", "value"])
        asof = "" if self.analyses.as_of is None else self.analyses.as_of.strftime("%Y-%m-%d %H:%M")
        self.info.value = (
            f"<b>{n_cases:,}</b> cases, <b>{n_msgs:,}</b> messages shown"
            + (f" &middot; as of {asof} UTC" if asof else "")
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return _bundle(self.root, self._text())


def _day_options(log: CaseLog) -> list[tuple[str, dt.date]]:
    if log.messages.empty:
        return []
    times = log.messages["sent_at"].dt.tz_convert("UTC")
    first, last = times.min().date(), times.max().date()
    days = pd.date_range(first, last, freq="D")
    return [(d.strftime("%Y-%m-%d"), d.date()) for d in days]


def dashboard(log: CaseLog | Analyses, *, as_of: Any = None) -> Dashboard:
    """Filters (account, team, category, status, date range) over charts and a summary table.

    Every analysis runs once (:func:`analyse`); a filter change filters the results
    (:func:`filter_analyses`) and redraws the table and the charts.

    Parameters
    ----------
    log : CaseLog or Analyses
    as_of : timestamp, optional
        Default the newest ``sent_at``.

    Returns
    -------
    Dashboard
        Displays as its ``root`` widget in a notebook.

    Examples
    --------
    >>> import caselog
    >>> board = dashboard(caselog.sample.generate(n_cases=20).log)
    >>> board.account.value = board.account.options[1][1]  # one account: table and charts redraw
    """
    w = _widgets()
    a = _as_analyses(log, as_of)
    log = a.log
    m, c = log.messages, log.cases
    layout = w.Layout(width="auto", min_width="180px")
    account = w.Dropdown(
        options=_options(pd.concat([c["account"], m["account"]]), "All accounts"),
        description="Account", layout=layout,
    )
    team = w.Dropdown(options=_options(m["team"], "All teams"), description="Team", layout=layout)
    category = w.Dropdown(
        options=_options(c["category"], "All categories"), description="Category", layout=layout
    )
    status = w.Dropdown(
        options=_options(c["status"], "All statuses"), description="Status", layout=layout
    )
    days = _day_options(log)
    date_range = w.SelectionRangeSlider(
        options=days or [("-", None)],
        index=(0, max(len(days) - 1, 0)),
        description="Dates",
        disabled=not days,
        continuous_update=False,
        readout=False,
        layout=w.Layout(width="70%"),
    )
    dates = w.HTML()
    for control in (account, team, category, status, date_range):
        control.style.description_width = "70px"
    table = w.HTML(layout=w.Layout(min_width="240px", max_width="260px"))
    charts = {
        name: w.Image(format="png", layout=w.Layout(width="100%", height="auto"))
        for name in _DASHBOARD_CHARTS
    }
    info = w.HTML()
    grid = w.GridBox(
        list(charts.values()),
        layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", grid_gap="6px",
                        flex="1 1 auto"),
    )
    root = w.VBox(
        [
            w.HTML("<h3 style='margin:4px 0'>caselog dashboard</h3>"),
            w.HBox([account, team, category, status], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([date_range, dates]),
            info,
            w.HBox([table, grid], layout=w.Layout(align_items="flex-start")),
        ]
    )
    board = Dashboard(
        root, account, team, category, status, date_range, table, charts, info, a, dates=dates
    )
    for control in (account, team, category, status, date_range):
        control.observe(board.refresh, names="value")
    board.refresh()
    return board


# --------------------------------------------------------------------------------------------
# case explorer
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDetails:
    """Everything the case explorer shows about one case.

    Attributes
    ----------
    case_id : str
    messages : pandas.DataFrame
        ``sent (UTC), from, team, channel, kind, text, attachments, template, reply class,
        canned repeat, escalation`` in time order.
    escalations : pandas.DataFrame
        The case's rows of :func:`caselog.escalations.escalations` (display columns).
    verdict : dict
        The case's :func:`caselog.readiness.readiness` row (``verdict, reasons, missing,
        next_step, facts`` ...).
    brief : str
        :func:`caselog.readiness.brief` (Markdown).
    """

    case_id: str
    messages: pd.DataFrame
    escalations: pd.DataFrame
    verdict: dict
    brief: str


def _snippet(text: Any, n: int = 140) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= n else flat[: n - 1].rstrip() + "…"


def _check_case(a: Analyses, case_id: str) -> str:
    case_id = str(case_id)
    known = set(a.log.cases["case_id"].astype(str)) | set(a.log.messages["case_id"].astype(str))
    if case_id not in known:
        raise CaseNotFoundError(f"case {case_id!r} is not in the case log", column="case_id")
    return case_id


def case_details(data: CaseLog | Analyses, case_id: str, as_of: Any = None) -> CaseDetails:
    """The messages, escalations, readiness verdict and brief of one case.

    Raises
    ------
    CaseNotFoundError
        ``case_id`` is not in the log.
    """
    from .readiness import brief

    a = _as_analyses(data, as_of)
    case_id = _check_case(a, case_id)
    m = a.log.messages
    m = m[m["case_id"].astype(str) == case_id]
    if a.as_of is not None:
        m = m[m["sent_at"] <= a.as_of]
    m = m.sort_values(["sent_at", "message_id"], kind="stable")
    tm = a.templates.messages
    tm = tm[tm["message_id"].isin(m["message_id"])]
    esc = a.escalations[a.escalations["case_id"].astype(str) == case_id]
    info = m[["message_id"]].merge(
        tm[["message_id", "template_id", "reply_class", "is_canned_repeat"]],
        on="message_id", how="left",
    ).merge(esc[["message_id", "level"]], on="message_id", how="left")
    template = info["template_id"]
    table = pd.DataFrame(
        {
            "sent (UTC)": m["sent_at"].dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
            "from": m["direction"].to_numpy(),
            "team": m["team"].to_numpy(),
            "channel": m["channel"].to_numpy(),
            "kind": m["kind"].to_numpy(),
            "text": [
                _snippet(b if str(b).strip() else s)
                for s, b in zip(m["subject"], m["body"], strict=True)
            ],
            "attachments": m["attachments"].to_numpy(),
            "template": [
                "" if pd.isna(v) else (f"T{v}" if str(v).isdigit() else str(v)) for v in template
            ],
            "reply class": info["reply_class"].fillna("").astype(str).to_numpy(),
            "canned repeat": np.where(
                info["is_canned_repeat"].fillna(False).astype(bool), "yes", ""
            ),
            "escalation": ["" if pd.isna(v) else f"level {int(v)}" for v in info["level"]],
        }
    )
    esc_cols = [c for c in ("sent_at", "level", "target", "detected_by", "outcome",
                            "hours_to_outcome", "new_material", "quality_score",
                            "quality_missing") if c in esc.columns]
    esc_table = esc[esc_cols].copy()
    if "sent_at" in esc_table.columns:
        esc_table["sent_at"] = esc_table["sent_at"].dt.strftime("%Y-%m-%d %H:%M")
    if "hours_to_outcome" in esc_table.columns:
        esc_table["hours_to_outcome"] = esc_table["hours_to_outcome"].round(1)
    row = a.readiness[a.readiness["case_id"].astype(str) == case_id]
    verdict = row.iloc[0].to_dict() if len(row) else {"verdict": "", "reasons": ""}
    text = brief(a.log, case_id, as_of=a.as_of, templates=a.templates)
    return CaseDetails(case_id, table.reset_index(drop=True), esc_table.reset_index(drop=True),
                       verdict, text)


def case_figure(data: CaseLog | Analyses, case_id: str, as_of: Any = None) -> Figure:
    """The timeline of one case (:func:`caselog.plotting.plot_case_timeline`) on a Figure."""
    a = _as_analyses(data, as_of)
    case_id = _check_case(a, case_id)
    fig, ax = _figure((10, 3.4))
    plotting.plot_case_timeline(
        a.log, case_id, templates=a.templates, escalations=a.escalations, as_of=a.as_of, ax=ax
    )
    return fig


def _verdict_html(verdict: dict) -> str:
    v = str(verdict.get("verdict", ""))
    colour = plotting.PALETTE.verdict.get(v, plotting.PALETTE.other)
    text_colour = "white" if v in ("ready", "not advisable") else "black"
    parts = [
        f"<p><span style='background:{colour};color:{text_colour};"
        f"padding:2px 8px;border-radius:3px;font-weight:bold'>{html.escape(v or 'unknown')}</span>"
    ]
    if verdict.get("next_step"):
        parts.append(f" &nbsp;next step: {html.escape(str(verdict['next_step']))}")
    parts.append("</p>")
    for key, label in (("reasons", "Reasons"), ("missing", "Missing"), ("facts", "Facts")):
        value = str(verdict.get(key, "") or "")
        if value:
            items = "".join(
                f"<li>{html.escape(x.strip())}</li>" for x in value.split(";") if x.strip()
            )
            parts.append(f"<b>{label}</b><ul style='margin-top:2px'>{items}</ul>")
    return "".join(parts)


@dataclass
class CaseExplorer:
    """What :func:`case_explorer` returns.

    Attributes
    ----------
    root : ipywidgets.VBox
    case : ipywidgets.Dropdown
        The case shown (value: case id; options most urgent first).
    timeline : ipywidgets.Image
    messages, escalations, verdict : ipywidgets.HTML
    brief : ipywidgets.Output
        The escalation brief, displayed as Markdown.
    analyses : Analyses
    details : CaseDetails or None
        What is shown now.
    """

    root: Any
    case: Any
    timeline: Any
    messages: Any
    escalations: Any
    verdict: Any
    brief: Any
    analyses: Analyses
    details: CaseDetails | None = None

    def _text(self) -> str:
        return f"caselog case explorer: case {self.case.value} ({_size(self.analyses)})"

    def refresh(self, *_: Any) -> None:
        """Show the case selected in :attr:`case`."""
        from IPython.display import Markdown

        case_id = self.case.value
        if case_id is None or case_id == "":
            return
        self.details = case_details(self.analyses, case_id)
        self.timeline.value = figure_png(case_figure(self.analyses, case_id))
        self.messages.value = _html_table(self.details.messages)
        self.escalations.value = _html_table(self.details.escalations)
        self.verdict.value = _verdict_html(self.details.verdict)
        self.brief.outputs = ()
        self.brief.append_display_data(Markdown(self.details.brief))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return _bundle(self.root, self._text())


def case_explorer(
    log: CaseLog | Analyses, *, as_of: Any = None, case_id: str | None = None
) -> CaseExplorer:
    """Pick a case; see its timeline, messages, escalations, readiness verdict and brief.

    Parameters
    ----------
    log : CaseLog or Analyses
    as_of : timestamp, optional
    case_id : str, optional
        The case shown first (default: the most urgent one).

    Returns
    -------
    CaseExplorer
    """
    w = _widgets()
    a = _as_analyses(log, as_of)
    r = a.readiness.sort_values("case_id", kind="stable").sort_values(
        "urgency", ascending=False, kind="stable"
    )
    options = [
        (f"{cid} · {acct} · {verdict}", str(cid))
        for cid, acct, verdict in zip(r["case_id"], r["account"], r["verdict"], strict=True)
    ]
    case = w.Dropdown(options=options, description="Case", layout=w.Layout(width="520px"))
    if case_id is not None:
        case.value = _check_case(a, case_id)
    timeline = w.Image(format="png", layout=w.Layout(width="100%", height="auto"))
    messages, escalations, verdict = w.HTML(), w.HTML(), w.HTML()
    brief = w.Output()
    tabs = w.Tab([messages, escalations, verdict, brief])
    for i, title in enumerate(("Messages", "Escalations", "Readiness", "Brief")):
        tabs.set_title(i, title)
    root = w.VBox([w.HTML("<h3 style='margin:4px 0'>case explorer</h3>"), case, timeline, tabs])
    explorer = CaseExplorer(root, case, timeline, messages, escalations, verdict, brief, a)
    case.observe(explorer.refresh, names="value")
    explorer.refresh()
    return explorer


# --------------------------------------------------------------------------------------------
# readiness queue
# --------------------------------------------------------------------------------------------

#: the columns the queue widget shows (the CSV has all of _QUEUE_COLUMNS)
_QUEUE_SHOWN = (
    "rank", "case_id", "account", "category", "verdict", "reasons", "missing", "next_step",
    "repeat_canned_denials", "hours_since_last_seller",
)

_QUEUE_COLUMNS = (
    "case_id", "account", "category", "verdict", "urgency", "reasons", "missing", "next_step",
    "target_level", "target", "canned_repeats", "repeat_canned_denials", "last_seller_at",
    "hours_since_last_seller",
)


def queue_frame(
    data: CaseLog | Analyses,
    verdicts: Sequence[str] = ("ready", "not yet"),
    accounts: Any = None,
    as_of: Any = None,
) -> pd.DataFrame:
    """The flagged cases, most urgent first (:func:`caselog.readiness.readiness_queue`).

    Parameters
    ----------
    data : CaseLog or Analyses
    verdicts : sequence of str
        Verdicts to keep (default ready and not yet).
    accounts : str or sequence of str, optional
        Keep these accounts only.

    Returns
    -------
    pandas.DataFrame
        ``rank`` then ``case_id, account, category, verdict, urgency, reasons, missing,
        next_step, target_level, target, canned_repeats, repeat_canned_denials,
        last_seller_at, hours_since_last_seller``.
    """
    from .readiness import readiness_queue

    a = _as_analyses(data, as_of)
    q = readiness_queue(a.readiness, verdicts=tuple(verdicts))
    chosen = _choice(accounts, "accounts")
    if chosen is not None:
        q = q[q["account"].isin(chosen)]
    q = q[[c for c in _QUEUE_COLUMNS if c in q.columns]].reset_index(drop=True)
    q.insert(0, "rank", np.arange(1, len(q) + 1, dtype=np.int64))
    return q


def write_queue(
    data: CaseLog | Analyses,
    out_dir: str | Path = ".",
    verdicts: Sequence[str] = ("ready", "not yet"),
    accounts: Any = None,
    as_of: Any = None,
    brief_verdicts: Sequence[str] = ("ready",),
) -> tuple[Path, Path]:
    """Write the queue to ``readiness_queue.csv`` and the briefs to ``escalation_briefs.md``.

    The CSV holds :func:`queue_frame` (timestamps as ISO UTC text); the Markdown file the
    :func:`caselog.readiness.brief` of every case in the queue whose verdict is in
    ``brief_verdicts`` (default: the ready cases, the ones to escalate now), most urgent first,
    separated by horizontal rules.  ``out_dir`` is created when missing.  The briefs are written by
    :func:`caselog.readiness.briefs` in one batch (about 4 s for the 136 ready cases of the
    sample).  Text cells of the CSV that start with ``= + - @`` get a leading ``'``
    (:func:`caselog.workbook.excel_safe`) so Excel does not run them as formulas.

    Returns
    -------
    tuple of Path
        The CSV and the Markdown file.
    """
    from .readiness import briefs
    from .workbook import excel_safe

    a = _as_analyses(data, as_of)
    q = queue_frame(a, verdicts=verdicts, accounts=accounts)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, md_path = out / "readiness_queue.csv", out / "escalation_briefs.md"
    shown = q.copy()
    if "last_seller_at" in shown.columns:
        shown["last_seller_at"] = shown["last_seller_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    excel_safe(shown).to_csv(csv_path, index=False, encoding="utf-8")
    asof = "" if a.as_of is None else a.as_of.strftime("%Y-%m-%d %H:%M UTC")
    chosen = q[q["verdict"].isin(tuple(brief_verdicts))]
    parts = [
        f"# Escalation briefs\n\n{len(chosen)} brief(s) for the {', '.join(brief_verdicts)} "
        f"case(s) of the readiness queue ({len(q)} case(s) in all)"
        + (f", as of {asof}" if asof else "") + ".\n"
    ]
    parts += briefs(a.log, chosen["case_id"].tolist(), as_of=a.as_of, templates=a.templates)
    md_path.write_text("\n\n---\n\n".join(parts) + "\n", encoding="utf-8")
    return csv_path, md_path


@dataclass
class ReadinessQueue:
    """What :func:`readiness_queue_widget` returns.

    Attributes
    ----------
    root : ipywidgets.VBox
    verdicts : ipywidgets.SelectMultiple
        Verdicts shown (default ready and not yet).
    account : ipywidgets.Dropdown
        ``""`` = all accounts.
    table : ipywidgets.HTML
        The queue, most urgent first.
    out_dir : ipywidgets.Text
        Folder the button writes to.
    write : ipywidgets.Button
        Writes ``readiness_queue.csv`` and ``escalation_briefs.md``.
    status : ipywidgets.HTML
        What was written.
    analyses : Analyses
    queue : pandas.DataFrame
        The queue shown now (:func:`queue_frame`).
    written : tuple of Path
        The files written last.
    """

    root: Any
    verdicts: Any
    account: Any
    table: Any
    out_dir: Any
    write: Any
    status: Any
    analyses: Analyses
    queue: pd.DataFrame | None = None
    written: tuple[Path, ...] = ()

    def _text(self) -> str:
        n = 0 if self.queue is None else len(self.queue)
        return f"caselog readiness queue: {n} cases ({_size(self.analyses)})"

    def refresh(self, *_: Any) -> None:
        """Redraw the queue for the chosen verdicts and account."""
        self.queue = queue_frame(self.analyses, self.verdicts.value, self.account.value or None)
        cols = [c for c in _QUEUE_SHOWN if c in self.queue.columns]
        shown = self.queue[cols].rename(columns=lambda c: c.replace("_", " "))
        if "hours since last seller" in shown.columns:
            hours = shown["hours since last seller"].round(0)
            shown["hours since last seller"] = hours.astype("Int64")
        n_ready = int(self.queue["verdict"].eq("ready").sum())
        self.table.value = (
            f"<p><b>{len(self.queue)}</b> cases in the queue, <b>{n_ready}</b> ready "
            "(most urgent first; the CSV has every column)</p>"
            + _html_table(shown, max_rows=200)
        )

    def save(self, *_: Any) -> tuple[Path, Path]:
        """Write the queue and the briefs to :attr:`out_dir` (what the button does)."""
        n = 0 if self.queue is None else int(self.queue["verdict"].eq("ready").sum())
        self.status.value = f"writing the queue and {n} brief(s)…"
        try:
            paths = write_queue(
                self.analyses, self.out_dir.value or ".", self.verdicts.value,
                self.account.value or None,
            )
        except OSError as exc:
            self.status.value = (
                f"<span style='color:#c92a2a'>could not write: {html.escape(str(exc))}</span>"
            )
            raise
        self.written = paths
        self.status.value = "wrote " + ", ".join(
            f"<code>{html.escape(str(p))}</code>" for p in paths
        )
        return paths

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return _bundle(self.root, self._text())


def readiness_queue_widget(
    log: CaseLog | Analyses, *, as_of: Any = None, out_dir: str | Path = "."
) -> ReadinessQueue:
    """The flagged cases sorted by urgency with reasons, and a button that writes them out.

    Parameters
    ----------
    log : CaseLog or Analyses
    as_of : timestamp, optional
    out_dir : str or Path
        Default folder for ``readiness_queue.csv`` and ``escalation_briefs.md``.

    Returns
    -------
    ReadinessQueue
    """
    from .readiness import VERDICTS

    w = _widgets()
    a = _as_analyses(log, as_of)
    verdicts = w.SelectMultiple(
        options=list(VERDICTS), value=("ready", "not yet"), description="Verdicts", rows=4
    )
    account = w.Dropdown(
        options=_options(a.readiness["account"], "All accounts"), description="Account"
    )
    out = w.Text(value=str(out_dir), description="Folder")
    write = w.Button(description="Write queue and briefs", icon="download",
                     button_style="primary", layout=w.Layout(width="220px"))
    status = w.HTML()
    table = w.HTML(layout=w.Layout(max_height="560px", overflow="auto"))
    root = w.VBox([
        w.HTML("<h3 style='margin:4px 0'>readiness queue</h3>"),
        w.HBox([verdicts, account]),
        w.HBox([out, write]),
        status,
        table,
    ])
    q = ReadinessQueue(root, verdicts, account, table, out, write, status, a)
    verdicts.observe(q.refresh, names="value")
    account.observe(q.refresh, names="value")
    write.on_click(q.save)
    q.refresh()
    return q
