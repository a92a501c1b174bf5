"""What every chart shares: the palette, the axes helpers, the "no data" axes and the labels.

Data only flows in: a chart takes the result of an analysis (a DataFrame or a result object) and
draws it; it never runs an analysis itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes

from ..errors import SchemaError

__all__ = ["Palette", "PALETTE", "no_data"]


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


