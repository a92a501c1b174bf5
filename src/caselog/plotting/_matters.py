"""The timeline of one matter: every case of it on its own lane, on one time axis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..errors import ConfigError
from ._base import PALETTE, _axes, _date_axis, _naive_utc, _title


def _results(source: Any) -> tuple[Any, Any, Any, Any, Any]:
    """``log, matters, templates, escalations, as_of`` of an Analysis or a mapping of them."""
    if isinstance(source, Mapping):
        get = source.get
    elif hasattr(source, "matters") and hasattr(source, "log"):
        def get(k: str, default: Any = None) -> Any:
            return getattr(source, k, default)
    else:
        raise ConfigError(
            "plot_matter_timeline(): expected an Analysis (caselog.analyse) or a mapping with "
            f"log, matters[, templates, escalations, as_of]; found {type(source).__name__}"
        )
    log, matters = get("log"), get("matters")
    if log is None or matters is None:
        raise ConfigError("plot_matter_timeline(): the results need 'log' and 'matters'")
    return log, matters, get("templates"), get("escalations"), get("as_of")


def plot_matter_timeline(analysis_or_results: Any, matter_id: str, ax: Axes | None = None,
                         *, highlight: str | None = None) -> Axes:
    """All messages of one matter on one figure: a lane per case, labelled with its case ID
    and channels, in order of the cases' first message.  ``highlight`` names a case whose lane
    label is bold and marked ``(this case)`` (the case explorer's case).

    Seller messages sit above the lane line (blue circles), Amazon messages below it (orange
    squares).  Marked when the results hold them: Amazon canned repeats across the matter (a
    purple ring: the template was already sent in any case of the matter), denials (a red
    cross) and seller escalations (a triangle with ``L1``/``L2``/``L3``).  A dotted line marks
    ``as_of`` when it is near; a later ``as_of`` is named in the subtitle instead.  The chart draws the results it is given and runs no analysis.

    Parameters
    ----------
    analysis_or_results : Analysis or mapping
        :func:`caselog.analyse` of the log, or a mapping with ``log`` and ``matters``
        (:func:`caselog.matters`) and optional ``templates``, ``escalations``, ``as_of``.
    matter_id : str
        ``"M-3"``; :class:`~caselog.ConfigError` when unknown.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import caselog
    >>> a = caselog.analyse(caselog.sample.generate(n_cases=20, n_matters=1).log)
    >>> mid = a.matters.matters.query("n_cases > 1")["matter_id"].iloc[0]
    >>> ax = caselog.plot_matter_timeline(a, mid)
    >>> len(ax.get_yticklabels()) > 1
    True
    """
    log, result, templates, escalations, as_of = _results(analysis_or_results)
    rows = result.matters[result.matters["matter_id"] == str(matter_id)]
    if rows.empty:
        raise ConfigError(f"plot_matter_timeline(): unknown matter ID {matter_id!r}")
    ids = rows["case_id"].astype(str).tolist()
    m = log.messages[log.messages["case_id"].astype(str).isin(ids)]
    m = m.sort_values(["sent_at", "message_id"])
    ax = _axes(ax, (10, 1.2 + 0.75 * len(ids)))
    lane = {c: len(ids) - 1 - i for i, c in enumerate(ids)}
    y = m["case_id"].astype(str).map(lane).to_numpy(dtype=float)
    x = mdates.date2num(_naive_utc(m["sent_at"]))
    seller = m["direction"].astype(str).eq("seller").to_numpy()
    for c in ids:
        sel = m["case_id"].astype(str).to_numpy() == c
        if sel.any():
            ax.plot([x[sel].min(), x[sel].max()], [lane[c]] * 2, color="#adb5bd", lw=1.2,
                    zorder=1)
    ax.scatter(x[seller], y[seller] + 0.15, s=30, color=PALETTE.seller, label="seller",
               zorder=3)
    ax.scatter(x[~seller], y[~seller] - 0.15, s=30, marker="s", color=PALETTE.amazon,
               label="Amazon", zorder=3)
    marks = []
    if templates is not None:
        tm = templates.messages if hasattr(templates, "messages") else templates
        t = tm[tm["message_id"].isin(m["message_id"])][["message_id", "template_id",
                                                         "reply_class"]]
        t = m[["message_id", "sent_at"]].merge(t, on="message_id").sort_values("sent_at")
        has = t["template_id"].notna()
        rep = set(t.loc[has[has].index][t.loc[has].duplicated("template_id")]["message_id"])
        den = set(t.loc[t["reply_class"].astype(str).eq("denial"), "message_id"])
        mid = m["message_id"].to_numpy()
        r = np.isin(mid, list(rep))
        d = np.isin(mid, list(den))
        ax.scatter(x[r], y[r] - 0.15, s=150, facecolors="none", lw=1.6,
                   edgecolors=PALETTE.reply_class.get("canned", "#862e9c"),
                   label="canned repeat in the matter", zorder=4)
        ax.scatter(x[d], y[d] - 0.15, s=40, marker="x",
                   color=PALETTE.reply_class.get("denial", "#c92a2a"), label="denial", zorder=5)
        marks.append(f"{int(r.sum())} canned repeats across the matter")
    if escalations is not None and len(escalations):
        e = escalations[escalations["case_id"].astype(str).isin(ids)]
        ex = mdates.date2num(_naive_utc(e["sent_at"]))
        ey = e["case_id"].astype(str).map(lane).to_numpy(dtype=float) + 0.15
        for lvl in (1, 2, 3):
            sel = e["level"].to_numpy() == lvl
            if sel.any():
                ax.scatter(ex[sel], ey[sel] + 0.17, marker="v", s=70,
                           color=PALETTE.level.get(lvl, "#000"), label=f"escalation L{lvl}",
                           zorder=5)
                for xi, yi in zip(ex[sel], ey[sel], strict=True):
                    ax.annotate(f"L{lvl}", (xi, yi + 0.17), xytext=(5, 2),
                                textcoords="offset points", fontsize=7)
        marks.append(f"{len(e)} escalations")
    if as_of is not None and len(x):
        at = mdates.date2num(_naive_utc([as_of]))[0]
        span = max(x.max() - x.min(), 1.0)
        if at <= x.max() + 0.25 * span:
            ax.axvline(at, ls=":", color="#495057", lw=1)
        else:  # far after the last message: say so instead of squeezing the lanes
            marks.append(f"as of {pd.Timestamp(as_of):%Y-%m-%d}, {at - x.max():.0f} days after "
                         "the last message")
        ax.set_xlim(x.min() - 0.04 * span, max(x.max(), min(at, x.max() + 0.25 * span))
                    + 0.04 * span)
    labels = [f"{c} ({rows.set_index('case_id').at[c, 'channels']})"
              + ("\n(this case)" if c == highlight else "") for c in ids]
    ax.set_yticks([lane[c] for c in ids], labels, fontsize=8)
    for c, tick in zip(ids, ax.get_yticklabels(), strict=True):
        if c == highlight:
            tick.set_fontweight("bold")
    ax.set_ylim(-0.7, len(ids) - 0.3)
    _date_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7, frameon=False)
    first, last = rows["first_at"].iloc[0], rows["last_at"].iloc[0]
    _title(ax, f"Matter {matter_id}: {len(ids)} cases, {len(m)} messages",
           f"{pd.Timestamp(first):%Y-%m-%d} .. {pd.Timestamp(last):%Y-%m-%d} (UTC); "
           + "; ".join(marks))
    return ax
