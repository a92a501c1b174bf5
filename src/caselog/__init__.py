"""caselog: analyse Amazon seller support-case histories.

Load case-history exports (CSV, TSV, Excel) into canonical pandas tables, then measure
response times, find canned template replies, judge escalations and flag the cases that
are ready to escalate.  The flow is read -> analyse -> show:

* :func:`load` (``caselog.io``) reads the sources into a :class:`CaseLog`;
* :func:`analyse` (``caselog.analysis``) makes one :class:`Analysis` under one
  :class:`Settings`, which computes each result once; the analysis functions
  (:func:`turns`, :func:`find_templates`, :func:`escalations`, :func:`readiness` ...) can also
  be called on their own;
* the faces render an Analysis: charts (``caselog.plotting``), notebook widgets
  (``caselog.widgets``), letters and the workbook (``caselog.report``), the CLI.

Every public name is here, as ``caselog.NAME``; the sub-packages' modules are private.
``caselog.readiness`` and ``caselog.escalations`` are the functions (no module has those names).
Charts, widgets, the workbook writer and the sample generator load on first use.

Examples
--------
>>> import caselog
>>> log = caselog.sample.generate(n_cases=30).log
>>> a = caselog.analyse(log)
>>> sorted(a.readiness["verdict"].unique()) <= ["closed", "not advisable", "not yet", "ready"]
True
"""

from importlib import import_module as _import_module

from ._memory import configure_allocator as _configure_allocator

__version__ = "0.1.0"

_configure_allocator()  # before pyarrow loads: see caselog._memory

#: public name -> the module that defines it.  Everything loads on first use (PEP 562):
#: ``import caselog`` itself imports nothing heavy (pandas alone takes about a second here),
#: and matplotlib, ipywidgets, openpyxl and the sample generator load only when a chart,
#: a widget, a workbook or the sample is asked for.
_LAZY: dict[str, str] = {
    **{name: "caselog.analysis" for name in (
        "KPI_COLUMNS", "PLACEHOLDERS", "Analysis", "BusinessCalendar", "ReadinessRules",
        "ReplyPatterns", "Settings", "TemplateConfig", "TemplateResult", "account_bridges",
        "analyse", "analyse_partitioned", "partition_by_account", "partition_by_case",
        "business_hours_between",
        "classify_replies", "escalation_quality",
        "escalation_rates", "escalations", "evaluate_templates", "filter_log", "find_templates",
        "first_response", "mask_text", "readiness", "readiness_queue", "response_summary",
        "turns", "MatterResult", "matters", "matter_summary", "matter_readiness",
        "deadlines", "DEADLINE_COLUMNS", "detect_language", "LANGUAGES",
    )},
    **{name: "caselog.errors" for name in (
        "CaselogError", "CaseNotFoundError", "ConfigError", "EmptyFileError", "EncodingError",
        "FileFormatError", "MappingError", "ParseError", "SchemaError", "SourceNotFoundError",
    )},
    **{name: "caselog.io" for name in ("Aliases", "AmazonAddresses", "ReadLimits", "load")},
    **{name: "caselog.model" for name in ("CaseLog", "Summary")},
    **{name: "caselog._redaction" for name in (
        "REDACTION_KINDS", "redact", "redact_with_report", "redact_text", "redact_frame",
        "redact_strings", "account_aliases", "log_account_aliases", "keep_terms",
        "describe_counts",
    )},
    **{name: "caselog.plotting" for name in (
        "PALETTE", "plot_response_distribution", "plot_response_trend", "plot_case_timeline",
        "plot_top_templates", "plot_repeat_heatmap", "plot_escalation_outcomes", "plot_readiness",
        "plot_matter_timeline",
    )},
    **{name: "caselog.widgets" for name in (
        "dashboard", "case_explorer", "readiness_queue_widget", "filter_analyses",
        "summary_table", "write_queue",
    )},
    **{name: "caselog.report" for name in ("brief", "briefs", "write_workbook", "write_frame_csv")},
}
#: The charts (``plot_*``, ``PALETTE``) and the widgets' helper functions (``filter_analyses``,
#: ``summary_table``, ``write_queue``) stay reachable as ``caselog.NAME`` for code written against
#: the first version; their home is ``caselog.plotting`` / ``caselog.widgets`` (not in __all__).

#: sub-packages and modules reachable as attributes (``caselog.sample.generate``)
_LAZY_MODULES = (
    "analysis", "cli", "errors", "io", "model", "plotting", "report", "sample",
    "schema", "widgets",
)

def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(_import_module(_LAZY[name]), name)
    elif name in _LAZY_MODULES:
        value = _import_module(f"caselog.{name}")
    else:
        raise AttributeError(f"module 'caselog' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_LAZY_MODULES))


__all__ = [
    # reading
    "load",
    "Aliases",
    "AmazonAddresses",
    "ReadLimits",
    "CaseLog",
    "Summary",
    "sample",
    # the one analysis
    "analyse",
    "Analysis",
    "Settings",
    "KPI_COLUMNS",
    "filter_log",
    "analyse_partitioned",
    "partition_by_account",
    "partition_by_case",
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
    "PLACEHOLDERS",
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
    "ReadinessRules",
    "deadlines",
    "DEADLINE_COLUMNS",
    # languages
    "detect_language",
    "LANGUAGES",
    # matters: one problem across several cases
    "matters",
    "MatterResult",
    "matter_summary",
    "matter_readiness",
    # deliverables (caselog.report)
    "brief",
    "briefs",
    "write_workbook",
    "write_frame_csv",
    "redact",
    "redact_with_report",
    "redact_text",
    "redact_frame",
    "redact_strings",
    "REDACTION_KINDS",
    # notebook widgets (caselog.widgets)
    "dashboard",
    "case_explorer",
    "readiness_queue_widget",
    # sub-packages with more: caselog.plotting (charts), caselog.widgets, caselog.report
    "plotting",
    "widgets",
    "report",
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
