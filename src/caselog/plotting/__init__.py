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
plot_matter_timeline
    One matter: a lane per case (case ID and channels), canned repeats across the matter.
plot_top_templates
    The most used canned templates with their counts.
plot_repeat_heatmap
    Case x template counts of the most repeated templates.
plot_escalation_outcomes
    Escalation outcomes by level (stacked shares, n annotated).
plot_readiness
    Open cases by readiness verdict and account.

Modules: ``_base`` (palette, axes helpers, :func:`no_data`), ``_responses``, ``_timeline``,
``_templates``, ``_outcomes``, ``_matters``.
"""

from __future__ import annotations

from ._base import PALETTE, Palette, no_data
from ._matters import plot_matter_timeline
from ._outcomes import plot_escalation_outcomes, plot_readiness
from ._responses import plot_response_distribution, plot_response_trend
from ._templates import plot_repeat_heatmap, plot_top_templates
from ._timeline import plot_case_timeline

__all__ = [
    "Palette",
    "PALETTE",
    "no_data",
    "plot_response_distribution",
    "plot_response_trend",
    "plot_case_timeline",
    "plot_matter_timeline",
    "plot_top_templates",
    "plot_repeat_heatmap",
    "plot_escalation_outcomes",
    "plot_readiness",
]
