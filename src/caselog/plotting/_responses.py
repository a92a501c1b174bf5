"""Charts of response times: distribution by team and trend by month."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from ._base import _HOUR_TICKS, PALETTE, _axes, _hours_label, _require, _title, no_data


def plot_response_distribution(
    turns: pd.DataFrame, ax: Axes | None = None, *, sla_hours: float = 48
) -> Axes:
    """Response times by team: one horizontal box per team, log-scaled hours.

    Parameters
    ----------
    turns : pandas.DataFrame
        Output of :func:`caselog.turns` (needs ``team, is_open, response_hours``).
        Answered turns are drawn; open ones are counted in the labels.
    ax : Axes, optional
    sla_hours : float
        Drawn as a dashed reference line (default 48).

    Returns
    -------
    matplotlib.axes.Axes
        One box per team that has turns (``ax.get_yticklabels()`` name them, slowest median on
        top), each box a patch coloured from :data:`PALETTE`.

    Examples
    --------
    >>> from caselog import turns
    >>> ax = plot_response_distribution(turns(log))
    """
    title = "Response time by team"
    _require(turns, ("team", "is_open", "response_hours"), "plot_response_distribution()")
    if turns.empty:
        return no_data(ax, title)
    ax = _axes(ax, (8, 0.55 * turns["team"].nunique() + 1.8))
    answered = turns.loc[~turns["is_open"].astype(bool)]
    hours = answered["response_hours"].astype("float64").clip(lower=1 / 60)
    stats = (
        turns.assign(_open=turns["is_open"].astype(bool))
        .groupby("team", sort=True)["_open"]
        .agg(["size", "sum"])
        .rename(columns={"size": "n", "sum": "n_open"})
    )
    median = hours.groupby(answered["team"], sort=True).median().reindex(stats.index)
    # slowest median on top: boxplot positions run bottom-up, so sort ascending
    order = (
        pd.DataFrame({"median": median.fillna(-1.0).to_numpy(), "team": stats.index.to_numpy()})
        .sort_values(["median", "team"], ascending=[True, False], kind="stable")["team"]
        .tolist()
    )
    data = [hours[answered["team"] == t].to_numpy() for t in order]
    labels = []
    for t in order:
        n, n_open = int(stats.loc[t, "n"]), int(stats.loc[t, "n_open"])
        labels.append(f"{t}\nn={n}" + (f", {n_open} open" if n_open else ""))
    positions = np.arange(1, len(order) + 1)
    boxes = ax.boxplot(
        [d if d.size else np.array([np.nan]) for d in data],
        positions=positions,
        orientation="horizontal",
        patch_artist=True,
        widths=0.6,
        showfliers=True,
        flierprops={"marker": ".", "markersize": 3, "alpha": 0.5},
        medianprops={"color": "black", "linewidth": 1.5},
    )
    for patch, team in zip(boxes["boxes"], order, strict=True):
        patch.set_facecolor(PALETTE.team_color(team))
        patch.set_alpha(0.75)
        patch.set_gid(f"box:{team}")
    ax.set_yticks(positions, labels, fontsize=8.5)
    ax.set_xscale("log")
    ticks = list(_HOUR_TICKS)
    lo = float(np.nanmin(hours)) if len(hours) else 1.0
    hi = float(np.nanmax(hours)) if len(hours) else 48.0
    lo, hi = min(lo, sla_hours) / 1.5, max(hi, sla_hours) * 1.5
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(FixedLocator([t for t in ticks if lo <= t <= hi]))
    ax.xaxis.set_major_formatter(FuncFormatter(_hours_label))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.axvline(sla_hours, color="#c92a2a", linestyle="--", linewidth=1, gid="sla")
    ax.text(
        sla_hours, 0.005, f" {sla_hours:g} h target", transform=ax.get_xaxis_transform(),
        color="#c92a2a", fontsize=8, va="bottom", ha="left",
    )
    ax.set_xlabel("time from the seller's message to Amazon's reply (log scale)")
    ax.grid(axis="x", color="#e9ecef")
    ax.set_axisbelow(True)
    n_answered = int(len(answered))
    _title(ax, title, f"{n_answered:,} answered turns, {len(turns) - n_answered:,} open")
    return ax


def plot_response_trend(
    turns: pd.DataFrame, ax: Axes | None = None, *, sla_hours: float = 48
) -> Axes:
    """Median and 90th-percentile response time by month (answered turns).

    Parameters
    ----------
    turns : pandas.DataFrame
        Output of :func:`caselog.turns` (needs ``month, is_open, response_hours,
        age_hours``).
    ax : Axes, optional
    sla_hours : float
        Dashed reference line (default 48).

    Returns
    -------
    matplotlib.axes.Axes
        Two lines labelled ``"median"`` and ``"90th percentile"`` with one point per month that
        has answered turns; the x axis holds dates (first day of each month).

    Examples
    --------
    >>> from caselog import turns
    >>> ax = plot_response_trend(turns(log))
    """
    from ..analysis import response_summary

    title = "Response time by month"
    _require(turns, ("month", "is_open", "response_hours", "age_hours"), "plot_response_trend()")
    summary = response_summary(turns, by="month", sla_hours=sla_hours) if len(turns) else None
    if summary is None or summary["n_answered"].sum() == 0:
        return no_data(ax, title)
    summary = summary[summary["n_answered"] > 0]
    ax = _axes(ax, (8, 3.6))
    when = pd.to_datetime(summary["month"].astype(str) + "-01")
    x = mdates.date2num(when.to_numpy())
    ax.plot(
        x, summary["median_hours"], marker="o", color=PALETTE.seller, label="median", gid="median"
    )
    ax.plot(
        x, summary["p90_hours"], marker="s", color=PALETTE.amazon, label="90th percentile",
        gid="p90",
    )
    ax.axhline(sla_hours, color="#c92a2a", linestyle="--", linewidth=1)
    ax.text(
        0.005, sla_hours, f"{sla_hours:g} h target", transform=ax.get_yaxis_transform(),
        color="#c92a2a", fontsize=8, va="bottom",
    )
    top = float(np.nanmax(summary[["p90_hours"]].to_numpy()))
    ax.set_ylim(0, max(top, sla_hours) * 1.15)
    ax.set_ylabel("hours to Amazon's reply")
    if len(x) == 1:
        ax.set_xlim(x[0] - 20, x[0] + 20)
    locator = mdates.MonthLocator(interval=max(1, int(np.ceil(len(x) / 8))))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    ax.grid(axis="y", color="#e9ecef")
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", frameon=False, ncols=2, bbox_to_anchor=(0, 1.0))
    n = int(summary["n_answered"].sum())
    _title(ax, title, f"{n:,} answered turns over {len(x)} month{'s' if len(x) != 1 else ''}")
    return ax

