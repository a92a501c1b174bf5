"""Charts of escalation outcomes by level and of readiness verdicts by account."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ._base import PALETTE, _axes, _require, _shorten, _title, no_data

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
