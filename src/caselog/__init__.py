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
    CaseNotFoundError,
    CaselogError,
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
from .readiness import ReadinessRules, brief, readiness, readiness_queue
from .replyclass import ReplyPatterns, classify_replies
from .responses import (
    BusinessCalendar,
    business_hours_between,
    first_response,
    response_summary,
    turns,
)
from .templates import TemplateConfig, TemplateResult, evaluate_templates, find_templates, mask_text

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
    "ReadinessRules",
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
