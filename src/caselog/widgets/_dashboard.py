"""The dashboard widget: filters, key figures and the main charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..analysis import Analysis, Settings
from ..model import CaseLog
from ._common import (
    _DASHBOARD_CHARTS,
    _as_analyses,
    _bundle,
    _filter_view,
    _options,
    _size,
    _summary_html,
    _widgets,
    dashboard_figures,
    figure_png,
    summary_table,
)


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
    analyses : Analysis
        Computed once for the whole log.
    dates : ipywidgets.HTML
        The chosen days in words, beside the slider.
    current : Analysis
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
    analyses: Analysis
    current: Analysis | None = None
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
        self.current = _filter_view(self.analyses, **self.filters)
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


def dashboard(log: CaseLog | Analysis, *, as_of: Any = None, settings: Settings | None = None) -> Dashboard:
    """Filters (account, team, category, status, date range) over charts and a summary table.

    Every analysis runs once (:func:`analyse`); a filter change filters the results
    (:func:`filter_analyses`) and redraws the table and the charts.

    Parameters
    ----------
    log : CaseLog or Analysis
    as_of : timestamp, optional
        Default the newest ``sent_at``.
    settings : Settings, optional
        Analysis settings when ``log`` is a CaseLog (or to re-analyse an Analysis).

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
    a = _as_analyses(log, as_of, settings)
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
    table = w.HTML(layout=w.Layout(width="100%"))
    charts = {
        name: w.Image(format="png", layout=w.Layout(width="100%", height="auto"))
        for name in _DASHBOARD_CHARTS
    }
    info = w.HTML()
    # charts at least 400 px wide (labels stay readable in a 1280-px window with the file
    # browser open: two columns there, one on a narrow screen), the key figures beside them
    grid = w.GridBox(
        [table, *charts.values()],
        layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(400px, 1fr))",
                        grid_gap="8px", width="100%"),
    )
    root = w.VBox(
        [
            w.HTML("<h3 style='margin:4px 0'>caselog dashboard</h3>"),
            w.HBox([account, team, category, status], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([date_range, dates]),
            info,
            grid,
        ]
    )
    board = Dashboard(
        root, account, team, category, status, date_range, table, charts, info, a, dates=dates
    )
    for control in (account, team, category, status, date_range):
        control.observe(board.refresh, names="value")
    board.refresh()
    return board


