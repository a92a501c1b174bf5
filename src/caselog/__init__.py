"""caselog: analyse Amazon seller support-case histories.

Load case-history exports (CSV, TSV, Excel) into canonical pandas tables, then measure
response times, find canned template replies, judge escalations and flag the cases that
are ready to escalate.

Examples
--------
>>> import caselog
>>> log = caselog.sample.generate(n_cases=30).log
>>> t = caselog.turns(log)
>>> sorted(caselog.readiness(log)["verdict"].unique()) <= ["closed", "not advisable", "not yet", "ready"]
True
"""

from . import sample
from .aliases import Aliases
from .errors import (
    CaselogError,
    CaseNotFoundError,
    ConfigError,
    EmptyFileError,
    EncodingError,
    FileFormatError,
    MappingError,
    ParseError,
    SchemaError,
    SourceNotFoundError,
)
from .escalations import account_bridges, escalation_quality, escalation_rates, escalations
from .loading import load
from .model import CaseLog, Summary
from .readiness import ReadinessRules, brief, briefs, readiness, readiness_queue
from .redact import redact, redact_with_report
from .replyclass import ReplyPatterns, classify_replies
from .responses import (
    BusinessCalendar,
    business_hours_between,
    first_response,
    response_summary,
    turns,
)
from .templates import TemplateConfig, TemplateResult, evaluate_templates, find_templates, mask_text
from .workbook import write_workbook

#: charts and widgets load matplotlib / ipywidgets; they are imported on first use (PEP 562)
_LAZY = {
    **{name: "plotting" for name in (
        "PALETTE", "plot_response_distribution", "plot_response_trend", "plot_case_timeline",
        "plot_top_templates", "plot_repeat_heatmap", "plot_escalation_outcomes", "plot_readiness",
    )},
    **{name: "widgets" for name in (
        "dashboard", "case_explorer", "readiness_queue_widget", "analyse", "filter_log",
        "filter_analyses", "summary_table", "write_queue",
    )},
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'caselog' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

__version__ = "0.1.0"

__all__ = [
    # loading
    "load",
    "Aliases",
    "CaseLog",
    "Summary",
    "sample",
    # response times
    "turns",
    "first_response",
    "response_summary",
    "BusinessCalendar",
    "business_hours_between",
    # templates and reply classes
    "find_templates",
    "TemplateResult",
    "TemplateConfig",
    "mask_text",
    "evaluate_templates",
    "classify_replies",
    "ReplyPatterns",
    # escalations
    "escalations",
    "escalation_rates",
    "escalation_quality",
    "account_bridges",
    # readiness
    "readiness",
    "readiness_queue",
    "brief",
    "briefs",
    "ReadinessRules",
    # sharing: workbook and redaction
    "write_workbook",
    "redact",
    "redact_with_report",
    # charts (caselog.plotting)
    "PALETTE",
    "plot_response_distribution",
    "plot_response_trend",
    "plot_case_timeline",
    "plot_top_templates",
    "plot_repeat_heatmap",
    "plot_escalation_outcomes",
    "plot_readiness",
    # widgets (caselog.widgets)
    "dashboard",
    "case_explorer",
    "readiness_queue_widget",
    "analyse",
    "filter_log",
    "filter_analyses",
    "summary_table",
    "write_queue",
    # errors
    "CaselogError",
    "SchemaError",
    "FileFormatError",
    "EmptyFileError",
    "EncodingError",
    "SourceNotFoundError",
    "MappingError",
    "ParseError",
    "CaseNotFoundError",
    "ConfigError",
]
