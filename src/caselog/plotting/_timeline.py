"""The timeline of one case: seller and Amazon lanes, canned repeats, denials, escalations and
the waiting windows after seller messages."""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..errors import CaseNotFoundError
from ..io import to_utc_timestamp
from ._base import (
    PALETTE,
    _axes,
    _date_axis,
    _naive_utc,
    _require,
    _template_frame,
    _title,
    no_data,
)


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

    Marked: Amazon canned repeats (a ring) and denials (a red cross) from ``templates``, seller
    escalations (a triangle coloured by level with ``L1``/``L2``/``L3`` next to it) from
    ``escalations``, and the ``wait_hours`` windows after seller messages (shaded; overlapping
    windows are merged into one span).  A dotted line marks ``as_of``.

    The chart only draws results it is given; it runs no analysis.  Without ``templates`` it
    draws no canned-repeat or denial marks, without ``escalations`` no escalation marks (the
    subtitle then says which marks are left out).

    Parameters
    ----------
    log : CaseLog
        Needs ``messages`` with ``message_id, case_id, sent_at, direction``; ``account,
        team`` and ``cases.category`` are used for the title when present.
    case_id : str
    templates : TemplateResult or pandas.DataFrame, optional
        :func:`caselog.find_templates` of the log (or its ``.messages``): ``message_id``, and
        ``reply_class, is_canned_repeat`` for the marks.  None: no canned-repeat or denial marks.
    escalations : pandas.DataFrame, optional
        :func:`caselog.escalations` of the log (``message_id, case_id, level``).  None: no
        escalation marks.
    as_of : timestamp, optional
        Messages after it are left out; default the newest ``sent_at`` of the log.
    ax : Axes, optional
    wait_hours : float
        Length of the shaded windows (default 48: how long Amazon gets to answer a seller).

    Returns
    -------
    matplotlib.axes.Axes
        Scatter collections with gids ``seller``, ``amazon``, ``canned``, ``denial``,
        ``escalation`` (one marker per message of that kind; empty when the result behind it is
        not given), shaded spans with gid ``window``; y ticks ``Amazon`` (0) and ``Seller`` (1).

    Raises
    ------
    CaseNotFoundError
        ``case_id`` is not in the log.
    SchemaError
        ``templates`` or ``escalations`` lacks a column it needs.

    Examples
    --------
    >>> from caselog import find_templates
    >>> from caselog import escalations
    >>> tpl = find_templates(log)
    >>> case = log.cases["case_id"].iloc[0]
    >>> ax = plot_case_timeline(log, case, templates=tpl, escalations=escalations(log))
    """
    messages = log.messages
    _require(messages, ("message_id", "case_id", "sent_at", "direction"), "plot_case_timeline()")
    tm = _template_frame(templates)
    if tm is not None:
        _require(tm, ("message_id",), "plot_case_timeline(templates=...)")
    if escalations is not None:
        _require(escalations, ("message_id", "case_id", "level"),
                 "plot_case_timeline(escalations=...)")
    case_id = str(case_id)
    m = messages[messages["case_id"].astype(str) == case_id]
    if m.empty and not (log.cases["case_id"].astype(str) == case_id).any():
        raise CaseNotFoundError(f"case {case_id!r} is not in the case log", column="case_id")
    as_of_ts = log.as_of if as_of is None else to_utc_timestamp(as_of)
    if as_of_ts is not None:
        m = m[m["sent_at"] <= as_of_ts]
    title = f"Case {case_id}"
    if m.empty:
        return no_data(ax, title)
    m = m.sort_values(["sent_at", "message_id"], kind="stable")
    ax = _axes(ax, (10, 3.2))

    x = mdates.date2num(_naive_utc(m["sent_at"]).to_numpy())
    seller = (m["direction"] == "seller").to_numpy()
    amazon = (m["direction"] == "amazon").to_numpy()
    ids = m["message_id"].to_numpy()
    canned, denial = _template_marks(tm, ids, amazon)
    _draw_lanes(ax, x, seller, amazon, canned, denial, wait_hours, marks=tm is not None)
    span = max(float(x.max() - x.min()), wait_hours / 24.0)
    _draw_escalations(ax, x, ids, escalations, case_id, span)
    _finish_x_axis(ax, x, as_of_ts, span, wait_hours)

    account = str(m["account"].iloc[0]) if "account" in m.columns else ""
    category = ""
    if "category" in log.cases.columns:
        cat = log.cases.loc[log.cases["case_id"].astype(str) == case_id, "category"]
        category = str(cat.iloc[0]) if len(cat) else ""
    label = " · ".join(p for p in (account, category) if p)
    subtitle = f"{int(seller.sum())} seller, {int(amazon.sum())} Amazon messages; "
    if tm is not None:
        subtitle += f"{int(canned.sum())} canned repeats, {int(denial.sum())} denials"
    else:
        subtitle += "templates not given: no canned-repeat or denial marks"
    if escalations is None:
        subtitle += "; escalations not given"
    _title(ax, title + (f" — {label}" if label else ""), subtitle)
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.28), ncols=4, frameon=False, fontsize=8,
    )
    return ax


def _template_marks(
    tm: pd.DataFrame | None, ids: np.ndarray, amazon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per message of the case: canned repeat? denial?  (All False without a template frame.)"""
    if tm is None:
        none = np.zeros(len(ids), dtype=bool)
        return none, none.copy()
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
    return canned & amazon, amazon & (reply_class == "denial")


def _draw_lanes(ax: Axes, x: np.ndarray, seller: np.ndarray, amazon: np.ndarray,
                canned: np.ndarray, denial: np.ndarray, wait_hours: float, *,
                marks: bool) -> None:
    """The waiting windows, the two lanes, and the message, canned and denial markers (the
    legend names the last two only when ``marks``: the templates were given)."""
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
        label="canned repeat" if marks else None, gid="canned",
    )
    ax.scatter(
        x[denial], np.zeros(denial.sum()), s=40, marker="x", color=PALETTE.reply_class["denial"],
        linewidths=2, zorder=5, label="denial" if marks else None, gid="denial",
    )


def _draw_escalations(ax: Axes, x: np.ndarray, ids: np.ndarray, esc: pd.DataFrame | None,
                      case_id: str, span: float) -> None:
    """Triangles above the seller lane for the case's escalations, labelled with their level."""
    if esc is not None and len(esc):
        esc = esc[esc["case_id"].astype(str) == case_id]
        esc = esc[esc["message_id"].isin(ids)]
    if esc is None or not len(esc):
        ax.scatter([], [], marker="v", gid="escalation")
        return
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


def _finish_x_axis(ax: Axes, x: np.ndarray, as_of_ts: Any, span: float,
                   wait_hours: float) -> None:
    """x range (the case plus room for the last window; ``as_of`` only when it is close),
    the lanes' y ticks and the date axis."""
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
