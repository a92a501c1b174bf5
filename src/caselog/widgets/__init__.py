"""Notebook widgets (ipywidgets): a dashboard, a case explorer and the readiness queue.

Each widget function builds the widget tree and returns a small dataclass that exposes the root
widget (``.root``; the dataclass itself displays as it) and handles to its controls and outputs,
so code and tests can set ``.value`` on a control and read what is shown.  The widgets render
one :class:`~caselog.Analysis` (pass one, or a CaseLog that is analysed once); what they show
comes from plain functions that work without Jupyter: :func:`summary_table`,
:func:`dashboard_figures`, :func:`case_details`, :func:`queue_frame`, :func:`write_queue`.
Filtering is :meth:`caselog.Analysis.filter`, which reuses the computed results (this is what
keeps the dashboard responsive).

Charts are drawn on :class:`matplotlib.figure.Figure` objects that the widgets own and are
rendered to PNG images (``ipywidgets.Image``), so no figure is left open in pyplot.
"""

from ..analysis import ALL, analyse, filter_log
from ._common import Analyses, dashboard_figures, figure_png, filter_analyses, summary_table
from ._dashboard import Dashboard, dashboard
from ._explorer import (
    CaseDetails,
    CaseExplorer,
    case_details,
    case_explorer,
    case_figure,
    matter_figure,
)
from ._queue import ReadinessQueue, queue_frame, readiness_queue_widget, write_queue

__all__ = [
    "ALL",
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
    "matter_figure",
    "queue_frame",
    "write_queue",
    "Dashboard",
    "CaseExplorer",
    "ReadinessQueue",
    "dashboard",
    "case_explorer",
    "readiness_queue_widget",
]
