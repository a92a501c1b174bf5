"""caselog: analyse Amazon seller support-case histories.

Load case-history exports (CSV, TSV, Excel) into canonical pandas tables, then measure
response times, find canned template replies, judge escalations and flag the cases that
are ready to escalate.
"""

from . import sample
from .errors import (
    CaseNotFoundError,
    CaselogError,
    ConfigError,
    EmptyFileError,
    EncodingError,
    SourceNotFoundError,
    FileFormatError,
    MappingError,
    ParseError,
    SchemaError,
)
from .aliases import Aliases
from .loading import load
from .model import CaseLog, Summary

__version__ = "0.1.0"

__all__ = [
    "load",
    "Aliases",
    "CaseLog",
    "Summary",
    "sample",
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
