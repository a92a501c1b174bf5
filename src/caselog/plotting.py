"""Charts of the analyses (matplotlib).

Every chart takes the output of an analysis function and an optional ``ax``; it draws on that
axes (or on a new figure when ``ax`` is None) and returns the :class:`~matplotlib.axes.Axes`
(its figure is ``ax.figure``).  Empty input gives an axes that says "no data" instead of an
exception or a blank plot.  One palette, :data:`PALETTE`, keeps the colours of seller / Amazon,
teams, reply classes, escalation outcomes and readiness verdicts the same on every chart.

When ``ax`` is None the figure is created with :func:`matplotlib.pyplot.subplots`, so a
notebook shows it; code that renders many charts (the widgets) passes axes of a
:class:`matplotlib.figure.Figure` it owns instead, so that nothing accumulates in pyplot.

Functions
---------
plot_response_distribution
    Response times by team (box plots, log scale).
plot_response_trend
    Median and 90th-percentile response time by month.
plot_case_timeline
    One case: seller and Amazon lanes, canned repeats, denials, escalations, 48-hour windows.
plot_top_templates
    The most used canned templates with their counts.
plot_repeat_heatmap
    Case x template counts of the most repeated templates.
plot_escalation_outcomes
    Escalation outcomes by level (stacked shares, n annotated).
plot_readiness
    Open cases by readiness verdict and account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from .errors import CaseNotFoundError, SchemaError
from .io import to_utc_timestamp

__all__ = [
    "Palette",
    "PALETTE",
    "no_data",
    "plot_response_distribution",
    "plot_response_trend",
    "plot_case_timeline",
    "plot_top_templates",
    "plot_repeat_heatmap",
    "plot_escalation_outcomes",
    "plot_readiness",
]


def _frozen(mapping: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Palette:
    """The colours of every chart.

    Attributes
    ----------
    seller, amazon : str
        The two sides of a case (seller blue, Amazon orange).
    team : Mapping[str, str]
        One colour per canonical team (``schema.TEAMS``); unknown names get ``other``.
    reply_class : Mapping[str, str]
        Amazon reply classes (denial red, acceptance green, ...).
    outcome : Mapping[str, str]
        Escalation outcomes (``escalations.OUTCOMES``).
    verdict : Mapping[str, str]
        Readiness verdicts (ready, not yet, not advisable, closed).
    level : Mapping[int, str]
        Escalation levels 1-3 (light to dark).
    window : str
        Shading of the 48-hour windows after seller messages.
    other : str
        Fallback colour.
    """

    seller: str = "#1c64b0"
    amazon: str = "#e8830c"
    team: Mapping[str, str] = field(
        default_factory=lambda: _frozen(
            {
                "Seller Support": "#e8830c",
                "Account Health Services": "#2a9d8f",
                "Seller Performance": "#c0392b",
                "Product Quality": "#8e44ad",
                "Catalog": "#6c8ebf",
                "Executive Seller Relations": "#34495e",
                "Captive Team": "#b8860b",
                "Brand Registry": "#d35d8f",
                "Payments": "#4f9d3a",
                "Other": "#95a5a6",
                "Unknown": "#bdc3c7",
            }
        )
    )
    reply_class: Mapping[str, str] = field(
        default_factory=lambda: _frozen(
            {
                "acceptance": "#2f9e44",
                "denial": "#c92a2a",
                "information request": "#f08c00",
                "deflection": "#7048e8",
                "acknowledgement": "#adb5bd",
                "other": "#868e96",
            }
        )
    )
    outcome: Mapping[str, str] = field(
        default_factory=lambda: _frozen(
            {
                "positive": "#2f9e44",
                "denied": "#c92a2a",
                "canned": "#862e9c",
                "information request": "#f08c00",
                "deflected": "#7048e8",
                "acknowledged": "#ced4da",
                "other": "#868e96",
                "no answer": "#343a40",
                "waiting": "#a5d8ff",
            }
        )
    )
    verdict: Mapping[str, str] = field(
        default_factory=lambda: _frozen(
            {
                "ready": "#d9480f",
                "not yet": "#fab005",
                "not advisable": "#868e96",
                "closed": "#dee2e6",
            }
        )
    )
    level: Mapping[int, str] = field(
        default_factory=lambda: MappingProxyType({1: "#74c0fc", 2: "#1c7ed6", 3: "#0b2f66"})
    )
    window: str = "#1c64b0"
    other: str = "#868e96"

    def team_color(self, team: str) -> str:
        """The colour of ``team`` (the fallback for names outside ``schema.TEAMS``)."""
        return self.team.get(str(team), self.other)


#: The palette every chart uses.
PALETTE = Palette()

_OUTCOME_ORDER = (
    "positive",
    "denied",
    "canned",
    "information request",
    "deflected",
    "other",
    "no answer",
    "acknowledged",
    "waiting",
)
_VERDICT_ORDER = ("ready", "not yet", "not advisable", "closed")
_LEVEL_NAMES = {1: "Level 1\nin-thread", 2: "Level 2\nsenior / manager", 3: "Level 3\nexecutive"}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only here: callers passing ax never touch pyplot

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def no_data(ax: Axes | None = None, title: str = "", message: str = "no data") -> Axes:
    """An axes that says "no data" (the result of every chart on empty input).

    Parameters
    ----------
    ax : Axes, optional
        Drawn on (cleared first); a new figure when None.
    title : str
        The chart's title, kept so the reader knows which chart is empty.
    message : str
        The text in the middle (default ``"no data"``).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax, (6.4, 3.2))
    ax.clear()
    ax.text(
        0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center",
        fontsize=14, color="#868e96", gid="no-data",
    )
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#dee2e6")
    if title:
        ax.set_title(title, loc="left", fontweight="bold")
    return ax


def _require(frame: Any, columns: tuple[str, ...], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"{what}: expected a pandas DataFrame, found {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{what} needs column(s) {', '.join(missing)}; found "
            f"{', '.join(map(str, frame.columns))}",
            missing=missing,
            found=frame.columns,
            column=missing[0],
        )


def _title(ax: Axes, title: str, subtitle: str = "") -> None:
    """Bold title on the left; the subtitle (counts) on a line of its own below it."""
    ax.set_title(title, loc="left", fontweight="bold", fontsize=11, pad=16 if subtitle else 6)
    if subtitle:
        ax.text(0, 1.015, subtitle, transform=ax.transAxes, ha="left", va="bottom",
                fontsize=8, color="#495057", gid="subtitle")


def _shorten(text: Any, width: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip(" ,.;:") + "…"


_HOUR_TICKS = {
    0.25: "15 min", 1: "1 h", 4: "4 h", 12: "12 h", 24: "1 d", 48: "2 d", 168: "1 wk",
    720: "30 d", 2160: "90 d",
}


def _hours_label(h: float, _pos: Any = None) -> str:
    if h in _HOUR_TICKS:
        return _HOUR_TICKS[h]
    return f"{h:g} h" if h < 48 else f"{h / 24:.0f} d"


def _naive_utc(values: Any) -> pd.DatetimeIndex:
    idx = pd.DatetimeIndex(values)
    if idx.tz is not None:
        idx = idx.tz_convert("UTC").tz_localize(None)
    return idx


def _date_axis(ax: Axes, maxticks: int = 8) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    fmt = mdates.ConciseDateFormatter(locator, show_offset=True)
    # day ticks say their month ("8 Jun", not "08"); the corner then only needs the year, so it
    # never names a month the axis starts before
    fmt.formats = ["%Y", "%b", "%-d %b", "%H:%M", "%H:%M", "%S.%f"]
    fmt.offset_formats = ["", "%Y", "%Y", "%d %b %Y", "%d %b %Y", "%d %b %Y %H:%M"]
    ax.xaxis.set_major_formatter(fmt)


def _template_label(values: pd.Series) -> pd.Series:
    """Template ids as short labels: ``T12`` for numeric ids, the id itself otherwise."""
    text = values.astype(str)
    numeric = text.str.fullmatch(r"\d+")
    return text.where(~numeric, "T" + text)


def _template_frame(templates: Any) -> pd.DataFrame | None:
    """The per-message frame of a TemplateResult (or the frame itself)."""
    if templates is None:
        return None
    return templates.messages if hasattr(templates, "messages") else templates


# --------------------------------------------------------------------------------------------
# response times
# --------------------------------------------------------------------------------------------


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
    from .analysis import response_summary

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


# --------------------------------------------------------------------------------------------
# case timeline
# --------------------------------------------------------------------------------------------


def _merge_windows(starts: np.ndarray, hours: float) -> list[tuple[float, float]]:
    """Union of the intervals [s, s + hours] (matplotlib date numbers, sorted input)."""
    out: list[tuple[float, float]] = []
    span = hours / 24.0
    for s in np.sort(starts):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], s + span))
        else:
            out.append((float(s), float(s + span)))
    return out


def plot_case_timeline(
    log: Any,
    case_id: str,
    *,
    templates: Any = None,
    escalations: pd.DataFrame | None = None,
    as_of: Any = None,
    ax: Axes | None = None,
    wait_hours: float = 48,
) -> Axes:
    """One case on two lanes: seller messages above, Amazon messages below.

    Marked: Amazon canned repeats (a ring) and denials (a red cross), seller escalations (a
    triangle coloured by level with ``L1``/``L2``/``L3`` next to it), and the ``wait_hours``
    windows after seller messages (shaded; overlapping windows are merged into one span).
    A dotted line marks ``as_of``.

    Parameters
    ----------
    log : CaseLog
        Needs ``messages`` with ``message_id, case_id, sent_at, direction``; ``account,
        team`` and ``cases.category`` are used for the title when present.
    case_id : str
    templates : TemplateResult or pandas.DataFrame, optional
        :func:`caselog.find_templates` of the log (or its ``.messages``) with
        ``message_id, reply_class, is_canned_repeat``.  Computed for this case alone when None.
    escalations : pandas.DataFrame, optional
        :func:`caselog.escalations` output (``message_id, case_id, level``).
        Computed for this case alone when None.
    as_of : timestamp, optional
        Messages after it are left out; default the newest ``sent_at`` of the log.
    ax : Axes, optional
    wait_hours : float
        Length of the shaded windows (default 48, rule 3 of docs/domain.md).

    Returns
    -------
    matplotlib.axes.Axes
        Scatter collections with gids ``seller``, ``amazon``, ``canned``, ``denial``,
        ``escalation`` (one marker per message of that kind), shaded spans with gid ``window``;
        y ticks ``Amazon`` (0) and ``Seller`` (1).

    Raises
    ------
    CaseNotFoundError
        ``case_id`` is not in the log.

    Examples
    --------
    >>> ax = plot_case_timeline(log, log.cases["case_id"].iloc[0])
    """
    messages = log.messages
    _require(messages, ("message_id", "case_id", "sent_at", "direction"), "plot_case_timeline()")
    case_id = str(case_id)
    m = messages[messages["case_id"].astype(str) == case_id]
    if m.empty and not (log.cases["case_id"].astype(str) == case_id).any():
        raise CaseNotFoundError(f"case {case_id!r} is not in the case log", column="case_id")
    if as_of is None:
        as_of_ts = log.as_of
    else:
        as_of_ts = to_utc_timestamp(as_of)
    if as_of_ts is not None:
        m = m[m["sent_at"] <= as_of_ts]
    title = f"Case {case_id}"
    if m.empty:
        return no_data(ax, title)
    m = m.sort_values(["sent_at", "message_id"], kind="stable")
    ax = _axes(ax, (10, 3.2))

    sub = None
    tm = _template_frame(templates)
    if tm is None:
        from .analysis import find_templates

        sub = log.subset([case_id])
        tm = find_templates(sub).messages
    if escalations is None:
        from .analysis import escalations as _escalations

        sub = sub if sub is not None else log.subset([case_id])
        escalations = _escalations(sub, as_of=as_of_ts, templates=tm)

    x = mdates.date2num(_naive_utc(m["sent_at"]).to_numpy())
    seller = (m["direction"] == "seller").to_numpy()
    amazon = (m["direction"] == "amazon").to_numpy()
    ids = m["message_id"].to_numpy()
    cols = [c for c in ("message_id", "reply_class", "is_canned_repeat") if c in tm.columns]
    info = pd.DataFrame({"message_id": ids}).merge(
        tm[cols].drop_duplicates("message_id"), on="message_id", how="left"
    )
    reply_class = (
        info["reply_class"].fillna("").astype(str).to_numpy()
        if "reply_class" in info
        else np.full(len(ids), "")
    )
    canned = (
        info["is_canned_repeat"].fillna(False).astype(bool).to_numpy()
        if "is_canned_repeat" in info
        else np.zeros(len(ids), dtype=bool)
    )
    canned = canned & amazon
    denial = amazon & (reply_class == "denial")

    # shaded windows after seller messages (merged where they overlap)
    for i, (a, b) in enumerate(_merge_windows(x[seller], wait_hours)):
        ax.axvspan(
            a, b, color=PALETTE.window, alpha=0.08, linewidth=0, gid="window",
            label=f"{wait_hours:g} h after a seller message" if i == 0 else None,
        )
    ax.axhline(1, color="#dee2e6", linewidth=1, zorder=0)
    ax.axhline(0, color="#dee2e6", linewidth=1, zorder=0)
    ax.scatter(
        x[seller], np.ones(seller.sum()), s=60, color=PALETTE.seller, zorder=3,
        label="seller message", gid="seller",
    )
    ax.scatter(
        x[amazon], np.zeros(amazon.sum()), s=60, marker="s", color=PALETTE.amazon, zorder=3,
        label="Amazon message", gid="amazon",
    )
    ax.scatter(
        x[canned], np.zeros(canned.sum()), s=220, facecolors="none",
        edgecolors=PALETTE.outcome["canned"], linewidths=2, zorder=4,
        label="canned repeat", gid="canned",
    )
    ax.scatter(
        x[denial], np.zeros(denial.sum()), s=40, marker="x", color=PALETTE.reply_class["denial"],
        linewidths=2, zorder=5, label="denial", gid="denial",
    )
    esc = escalations
    if esc is not None and len(esc):
        esc = esc[esc["case_id"].astype(str) == case_id]
        esc = esc[esc["message_id"].isin(ids)]
    span = max(float(x.max() - x.min()), wait_hours / 24.0)
    if esc is not None and len(esc):
        pos = pd.Series(np.arange(len(ids)), index=ids)
        rows = pos.loc[esc["message_id"].to_numpy()].to_numpy()
        levels = esc["level"].astype(int).to_numpy()
        ax.scatter(
            x[rows], np.full(rows.size, 1.28), s=90, marker="v",
            c=[PALETTE.level.get(int(lv), PALETTE.other) for lv in levels],
            edgecolors="white", linewidths=0.5, zorder=5, gid="escalation",
        )
        last_x: dict[int, float] = {}
        for xi, lv in sorted(zip(x[rows], levels, strict=True)):
            if xi - last_x.get(int(lv), -np.inf) < span * 0.04:
                continue  # a label right next to the same label says nothing new
            last_x[int(lv)] = xi
            ax.annotate(
                f"L{lv}", (xi, 1.28), xytext=(0, 7), textcoords="offset points", ha="center",
                va="bottom", fontsize=8, fontweight="bold", color="#212529",
            )
        for lv in sorted(set(levels.tolist())):
            ax.scatter([], [], marker="v", s=60, color=PALETTE.level.get(int(lv), PALETTE.other),
                       label=f"escalation level {lv}")
    else:
        ax.scatter([], [], marker="v", gid="escalation")

    # x range: the case itself plus room for the last window; as_of only when it is close
    left, right = float(x.min()), float(x.max()) + max(wait_hours / 24.0, span * 0.05)
    asof_x = None if as_of_ts is None else float(mdates.date2num(_naive_utc([as_of_ts])[0]))
    if asof_x is not None and asof_x <= right + span * 0.25:
        right = max(right, asof_x)
        ax.axvline(asof_x, color="#495057", linestyle=":", linewidth=1, label="as of")
    elif asof_x is not None:
        ax.text(1.0, 0.02, f"as of {as_of_ts:%d %b %Y} →", transform=ax.transAxes, ha="right",
                va="bottom", fontsize=8, color="#495057")
    pad = span * 0.03
    ax.set_xlim(left - pad, right + pad)
    ax.set_ylim(-0.6, 1.75)
    ax.set_yticks([0, 1], ["Amazon", "Seller"])
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    _date_axis(ax)
    ax.set_xlabel("date (UTC)")
    account = str(m["account"].iloc[0]) if "account" in m.columns else ""
    category = ""
    if "category" in log.cases.columns:
        cat = log.cases.loc[log.cases["case_id"].astype(str) == case_id, "category"]
        category = str(cat.iloc[0]) if len(cat) else ""
    label = " · ".join(p for p in (account, category) if p)
    _title(ax, title + (f" — {label}" if label else ""), (
        f"{int(seller.sum())} seller, {int(amazon.sum())} Amazon messages; "
        f"{int(canned.sum())} canned repeats, {int(denial.sum())} denials"
    ))
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.28), ncols=4, frameon=False, fontsize=8,
    )
    return ax


# --------------------------------------------------------------------------------------------
# templates
# --------------------------------------------------------------------------------------------


def plot_top_templates(catalogue: pd.DataFrame, n: int = 10, ax: Axes | None = None) -> Axes:
    """The ``n`` canned templates sent most often, with their counts.

    Only templates sent at least twice are drawn, most messages first (ties: most repeats,
    then template id).  Each bar is one template: its length the
    number of messages, coloured by reply class; the label is the template id and its text cut
    to about 48 characters; the annotation gives messages, cases and repeats (messages after
    the first in each case).

    Parameters
    ----------
    catalogue : pandas.DataFrame
        ``TemplateResult.catalogue`` (needs ``template_id, text, n_messages, n_cases``;
        ``reply_class`` colours the bars when present).
    n : int
        How many templates (default 10).
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One bar per template (``ax.patches``), most used on top.

    Examples
    --------
    >>> from caselog import find_templates
    >>> ax = plot_top_templates(find_templates(log).catalogue)
    """
    title = "Most repeated Amazon templates"
    _require(catalogue, ("template_id", "text", "n_messages", "n_cases"), "plot_top_templates()")
    top = catalogue[catalogue["n_messages"] >= 2]
    if top.empty or n <= 0:
        return no_data(ax, title)
    top = top.assign(_id=_template_label(top["template_id"]))
    top = top.assign(_repeats=top["n_messages"] - top["n_cases"])
    top = top.sort_values(["n_messages", "_repeats", "_id"], ascending=[False, False, True],
                          kind="stable").head(n)
    ax = _axes(ax, (9, 0.45 * len(top) + 1.6))
    y = np.arange(len(top))[::-1]
    classes = (
        top["reply_class"].astype(str) if "reply_class" in top.columns
        else pd.Series("other", index=top.index)
    )
    colors = [PALETTE.reply_class.get(c, PALETTE.other) for c in classes]
    bars = ax.barh(y, top["n_messages"].to_numpy(), color=colors, height=0.7)
    for bar, tid in zip(bars, top["_id"], strict=True):
        bar.set_gid(f"template:{tid}")
    labels = [f"{tid}  {_shorten(text, 40)}" for tid, text in zip(top["_id"], top["text"],
                                                                 strict=True)]
    ax.set_yticks(y, labels, fontsize=8)
    repeats = top["_repeats"]
    for yi, msgs, ncase, rep in zip(y, top["n_messages"], top["n_cases"], repeats, strict=True):
        ax.annotate(
            f"{int(msgs)} · {int(ncase)} cases · {int(rep)} rep.", (msgs, yi),
            xytext=(4, 0), textcoords="offset points", va="center", fontsize=7.5,
            color="#343a40",
        )
    ax.set_xlim(0, float(top["n_messages"].max()) * 1.6)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Amazon messages (bar labels: messages · cases · repeats within a case)")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    present = list(dict.fromkeys(classes))
    handles = [Patch(color=PALETTE.reply_class.get(c, PALETTE.other), label=c) for c in present]
    axes_height = max(ax.get_position().height * ax.figure.get_figheight(), 0.5)  # inches
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.5 / axes_height),
              frameon=False,
              fontsize=8, ncols=min(len(handles), 2), title="reply class", title_fontsize=8)
    _title(ax, title, f"top {len(top)} of {int((catalogue['n_messages'] >= 2).sum())} "
           "templates sent twice or more")
    return ax


def plot_repeat_heatmap(
    template_result: Any,
    top_cases: int = 20,
    top_templates: int = 12,
    ax: Axes | None = None,
) -> Axes:
    """How often each case received each of the most repeated templates.

    Cells count the Amazon messages of a case with a template (numbers written in the cells);
    the ``top_cases`` cases with most canned repeats are the rows, and the ``top_templates``
    templates repeated most often within those cases the columns.

    Parameters
    ----------
    template_result : TemplateResult or pandas.DataFrame
        :func:`caselog.find_templates` output or its ``.messages`` (needs ``case_id,
        template_id, is_canned_repeat``).
    top_cases, top_templates : int
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        An image (``ax.images[0]``) of shape (cases, templates); rows labelled with case ids,
        columns with template ids.

    Examples
    --------
    >>> from caselog import find_templates
    >>> ax = plot_repeat_heatmap(find_templates(log))
    """
    title = "Canned repeats: case x template"
    tm = _template_frame(template_result)
    _require(tm, ("case_id", "template_id", "is_canned_repeat"), "plot_repeat_heatmap()")
    tm = tm[tm["template_id"].notna()]
    if len(tm):
        tm = tm[tm["template_id"].astype(str) != ""]
    rep = tm[tm["is_canned_repeat"].fillna(False).astype(bool)]
    if rep.empty or top_cases <= 0 or top_templates <= 0:
        return no_data(ax, title)
    rep = rep.assign(_t=_template_label(rep["template_id"]), _c=rep["case_id"].astype(str))
    c_counts = rep.groupby("_c").size().reset_index(name="n")
    c_counts = c_counts.sort_values(["n", "_c"], ascending=[False, True], kind="stable")
    cases = c_counts["_c"].head(top_cases).tolist()
    rep = rep[rep["_c"].isin(cases)]
    t_counts = rep.groupby("_t").size().reset_index(name="n")
    t_counts = t_counts.sort_values(["n", "_t"], ascending=[False, True], kind="stable")
    templates = t_counts["_t"].head(top_templates).tolist()
    allm = tm.assign(_t=_template_label(tm["template_id"]), _c=tm["case_id"].astype(str))
    allm = allm[allm["_t"].isin(templates) & allm["_c"].isin(cases)]
    grid = (
        allm.groupby(["_c", "_t"]).size().unstack("_t", fill_value=0)
        .reindex(index=cases, columns=templates, fill_value=0)
    )
    ax = _axes(ax, (0.55 * len(templates) + 3.2, 0.32 * len(cases) + 1.9))
    values = grid.to_numpy()
    image = ax.imshow(values, aspect="auto", cmap="Purples", vmin=0,
                      vmax=max(2, int(values.max())), interpolation="nearest")
    ax.set_xticks(np.arange(len(templates)), templates, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(np.arange(len(cases)), cases, fontsize=8)
    ax.tick_params(length=0)
    threshold = values.max() * 0.6
    for (i, j), v in np.ndenumerate(values):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7.5,
                    color="white" if v > threshold else "#212529")
    ax.set_xlabel(f"template (top {len(templates)} by canned repeats)")
    ax.set_ylabel(f"case (top {len(cases)} by canned repeats)")
    cbar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    cbar.set_label("messages in the case", fontsize=8)
    cbar.locator = MaxNLocator(integer=True)
    cbar.update_ticks()
    _title(ax, title)
    return ax


# --------------------------------------------------------------------------------------------
# escalations and readiness
# --------------------------------------------------------------------------------------------


def plot_escalation_outcomes(esc: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Escalation outcomes by level: stacked shares per level, ``n`` above each bar.

    Parameters
    ----------
    esc : pandas.DataFrame
        Output of :func:`caselog.escalations` (needs ``level, outcome``).
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per outcome present (``ax.containers``, labelled with the outcome),
        one bar per level present; texts ``n=..`` above the bars.

    Examples
    --------
    >>> from caselog import escalations
    >>> ax = plot_escalation_outcomes(escalations(log))
    """
    title = "Escalation outcomes by level"
    _require(esc, ("level", "outcome"), "plot_escalation_outcomes()")
    if esc.empty:
        return no_data(ax, title)
    counts = pd.crosstab(esc["level"].astype(int), esc["outcome"].astype(str)).sort_index()
    known = [o for o in _OUTCOME_ORDER if o in counts.columns]
    extra = sorted(c for c in counts.columns if c not in _OUTCOME_ORDER)
    counts = counts[known + extra]
    totals = counts.sum(axis=1)
    shares = counts.div(totals, axis=0) * 100
    ax = _axes(ax, (8, 4))
    x = np.arange(len(counts))
    bottom = np.zeros(len(counts))
    for outcome in counts.columns:
        ax.bar(
            x, shares[outcome].to_numpy(), bottom=bottom, width=0.6,
            color=PALETTE.outcome.get(outcome, PALETTE.other), label=outcome,
            edgecolor="white", linewidth=0.5,
        )
        for xi, b, s, c in zip(x, bottom, shares[outcome], counts[outcome], strict=True):
            if s >= 8:
                dark = outcome in ("denied", "canned", "deflected", "no answer", "positive")
                ax.text(xi, b + s / 2, f"{int(c)}", ha="center", va="center", fontsize=7.5,
                        color="white" if dark else "#212529")
        bottom += shares[outcome].to_numpy()
    for xi, total in zip(x, totals, strict=True):
        ax.text(xi, 101.5, f"n={int(total)}", ha="center", va="bottom", fontsize=9,
                fontweight="bold", gid="n")
    ax.set_xticks(x, [_LEVEL_NAMES.get(int(lv), f"Level {lv}") for lv in counts.index],
                  fontsize=9)
    ax.set_ylim(0, 112)
    ax.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_ylabel("share of escalations")
    ax.set_xlim(-0.6, len(x) - 0.4)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8,
              title="outcome", title_fontsize=8, reverse=True)
    _title(ax, title, f"{int(totals.sum()):,} escalations")
    return ax


def plot_readiness(
    ready_frame: pd.DataFrame, ax: Axes | None = None, *, top_accounts: int = 15,
    include_closed: bool = False,
) -> Axes:
    """Cases by readiness verdict and account (horizontal stacked bars).

    Parameters
    ----------
    ready_frame : pandas.DataFrame
        Output of :func:`caselog.readiness` (needs ``account, verdict``).
    ax : Axes, optional
    top_accounts : int
        Accounts with most ready cases (then most open cases) drawn (default 15); the others
        are summed into one bar "other accounts".
    include_closed : bool
        Also draw closed cases (default False: open cases only).

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per verdict present (``ax.containers``), one bar per account; the
        total written after each bar.

    Examples
    --------
    >>> from caselog import readiness
    >>> ax = plot_readiness(readiness(log))
    """
    title = "Readiness to escalate, by account"
    _require(ready_frame, ("account", "verdict"), "plot_readiness()")
    frame = ready_frame if include_closed else ready_frame[ready_frame["verdict"] != "closed"]
    if frame.empty:
        return no_data(ax, title, "no open cases" if len(ready_frame) else "no data")
    counts = pd.crosstab(frame["account"].astype(str), frame["verdict"].astype(str))
    verdicts = [v for v in _VERDICT_ORDER if v in counts.columns]
    verdicts += sorted(c for c in counts.columns if c not in _VERDICT_ORDER)
    counts = counts[verdicts]
    counts["_ready"] = counts["ready"] if "ready" in counts.columns else 0
    counts["_total"] = counts[verdicts].sum(axis=1)
    counts = counts.reset_index().sort_values(
        ["_ready", "_total", "account"], ascending=[False, False, True], kind="stable"
    )
    if len(counts) > top_accounts:
        head, tail = counts.head(top_accounts - 1), counts.iloc[top_accounts - 1:]
        rest = tail[verdicts + ["_ready", "_total"]].sum().to_frame().T
        rest.insert(0, "account", f"{len(tail)} other accounts")
        counts = pd.concat([head, rest], ignore_index=True)
    ax = _axes(ax, (8, 0.42 * len(counts) + 1.7))
    y = np.arange(len(counts))[::-1]
    left = np.zeros(len(counts))
    for verdict in verdicts:
        vals = counts[verdict].to_numpy(dtype=float)
        ax.barh(y, vals, left=left, height=0.65, color=PALETTE.verdict.get(verdict, PALETTE.other),
                label=verdict, edgecolor="white", linewidth=0.5)
        for yi, lft, v in zip(y, left, vals, strict=True):
            if v and v >= counts["_total"].max() * 0.06:
                ax.text(lft + v / 2, yi, f"{int(v)}", ha="center", va="center", fontsize=7.5,
                        color="white" if verdict in ("ready", "not advisable") else "#212529")
        left += vals
    for yi, total in zip(y, counts["_total"], strict=True):
        ax.text(total, yi, f"  {int(total)}", va="center", fontsize=8, color="#343a40")
    ax.set_yticks(y, [_shorten(a, 28) for a in counts["account"]], fontsize=8.5)
    rows = max(len(counts), 4)  # a lone account gets a bar, not a wall
    ax.set_ylim(len(counts) - 0.4 - rows, len(counts) - 0.4)
    ax.set_xlim(0, float(counts["_total"].max()) * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("cases" if include_closed else "open cases")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8,
              title="verdict", title_fontsize=8)
    n_ready = int(frame["verdict"].eq("ready").sum())
    _title(ax, title, f"{n_ready} ready of {len(frame):,} {'' if include_closed else 'open '}cases")
    return ax
