"""What the widgets show, as plain functions: key figures, chart figures, HTML tables."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import plotting
from ..analysis import ALL, Analysis, analyse
from ..model import CaseLog

#: the analysis type the widgets render (the name the first version used)
Analyses = Analysis

_DPI = 80


def _as_analyses(data: Any, as_of: Any, settings: Any = None) -> Analysis:
    """``data`` as an Analysis: an Analysis as it is (``as_of`` / ``settings`` then change it
    when given), a CaseLog analysed here (once)."""
    return analyse(data, settings, as_of=as_of)


#: (label, kpi key) of the dashboard's key figures, in order
_SUMMARY_ROWS: tuple[tuple[str, str], ...] = (
    ("accounts", "accounts"),
    ("cases", "cases"),
    ("open cases", "open_cases"),
    ("messages", "messages"),
    ("turns answered", "turns_answered"),
    ("turns open", "turns_open"),
    ("median response (h)", "response_median"),
    ("p90 response (h)", "response_p90"),
    ("canned repeats", "canned_repeats"),
    ("repeat canned denials", "repeat_canned_denials"),
    ("escalations", "escalations"),
    ("escalations positive", "outcome_positive"),
    ("ready to escalate", "ready"),
    ("not yet", "not_yet"),
)


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
    a = _as_analyses(data, as_of)
    k = a.kpis().set_index("key")["value"]
    sla = a.settings.sla_hours
    rows: list[tuple[str, Any]] = [(label, k[key]) for label, key in _SUMMARY_ROWS]
    share = k["share_over_sla"]
    rows.insert(8, (f"turns over {sla:g} h (%)", share * 100))
    rows = [(label, round(float(v), 1) if isinstance(v, float) else int(v)) for label, v in rows]
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
        lambda a, ax: plotting.plot_top_templates(_shown_catalogue(a), n=8, ax=ax), (6.4, 4.0)
    ),
}


def _shown_catalogue(a: Analysis) -> pd.DataFrame:
    """The catalogue with its texts as people read them (original case, ``<SELLER>``)."""
    from ..report._catalogue import display_catalogue

    return display_catalogue(a)


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


def _html_table(frame: pd.DataFrame, max_rows: int | None = None, wide: str | None = None) -> str:
    """``frame`` as an HTML table; every value and header escaped (data never becomes markup).
    ``wide`` names a text column that gets room to read (at least 360 px)."""
    if frame.empty:
        return "<p><i>nothing to show</i></p>"
    shown = frame if max_rows is None else frame.head(max_rows)
    classes = ["caselog-table"]
    extra = ""
    if wide is not None and wide in shown.columns:
        n = list(shown.columns).index(wide) + 1
        classes.append(f"caselog-wide{n}")
        extra = (f".caselog-wide{n} td:nth-child({n}){{min-width:360px;max-width:640px}}")
    table = shown.to_html(index=False, escape=True, border=0, na_rep="", classes=classes)
    more = "" if max_rows is None or len(frame) <= max_rows else (
        f"<p><i>{len(frame) - max_rows:,} more rows not shown</i></p>"
    )
    style = (
        "<style>.caselog-table{border-collapse:collapse;font-size:12px}"
        ".caselog-table td,.caselog-table th{padding:2px 8px;border-bottom:1px solid #e9ecef;"
        "text-align:left;vertical-align:top;max-width:420px;line-height:1.35}" + extra
        + "</style>"
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




def _filter_view(a: Analysis, *args: Any, **kwargs: Any) -> Analysis:
    return a.filter(*args, **kwargs)


def filter_analyses(
    analyses: Analysis,
    accounts: Any = None,
    teams: Any = None,
    categories: Any = None,
    statuses: Any = None,
    start: Any = None,
    end: Any = None,
) -> Analysis:
    """:meth:`Analysis.filter` (the name the first version used)."""
    return analyses.filter(accounts, teams, categories, statuses, start, end)
