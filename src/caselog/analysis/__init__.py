"""The analyses: response times, templates and reply classes, escalations, readiness.

Every function takes a :class:`~caselog.CaseLog` (or its frames) and returns DataFrames with
documented columns; :func:`analyse` runs them once, with one :class:`Settings`, for every face.
"""

from ._analysis import KPI_COLUMNS, Analysis, analyse
from ._calendar import BusinessCalendar, business_hours_between
from ._deadlines import DEADLINE_COLUMNS, deadlines
from ._distributed import analyse_partitioned, partition_by_account, partition_by_case
from ._escalations import account_bridges, escalation_rates, escalations
from ._filter import ALL, filter_log
from ._frame import col, message_text, require_columns, rx_contains, template_frame
from ._language import LANGUAGES, detect_language
from ._masking import PLACEHOLDERS, mask_text
from ._matter_summary import MATTER_SUMMARY_COLUMNS, matter_readiness, matter_summary
from ._matters import LINK_RULES, MATTER_COLUMNS, MATTER_LINK_COLUMNS, MatterResult, matters
from ._quality import escalation_quality
from ._readiness import readiness, readiness_queue
from ._replyclass import DEFAULT_RULES, ReplyPatterns, classify_replies
from ._responses import first_response, response_summary, turns
from ._rules import ReadinessRules
from ._settings import Settings
from ._templates import TemplateConfig, TemplateResult, evaluate_templates, find_templates

__all__ = [
    "Settings",
    "Analysis",
    "analyse",
    "analyse_partitioned",
    "partition_by_account",
    "partition_by_case",
    "KPI_COLUMNS",
    "filter_log",
    "ALL",
    "BusinessCalendar",
    "business_hours_between",
    "turns",
    "first_response",
    "response_summary",
    "PLACEHOLDERS",
    "mask_text",
    "TemplateConfig",
    "TemplateResult",
    "find_templates",
    "evaluate_templates",
    "DEFAULT_RULES",
    "ReplyPatterns",
    "classify_replies",
    "escalations",
    "escalation_quality",
    "escalation_rates",
    "account_bridges",
    "ReadinessRules",
    "readiness",
    "readiness_queue",
    "MatterResult",
    "matters",
    "matter_summary",
    "matter_readiness",
    "LINK_RULES",
    "MATTER_COLUMNS",
    "MATTER_LINK_COLUMNS",
    "MATTER_SUMMARY_COLUMNS",
    "deadlines",
    "DEADLINE_COLUMNS",
    "detect_language",
    "LANGUAGES",
    # helpers the faces share (column access, RE2 search, template flags)
    "col",
    "message_text",
    "require_columns",
    "rx_contains",
    "template_frame",
]
