"""Reading sources: spreadsheets (CSV, TSV, XLSX), with column and value aliases and dates.

:func:`load` detects the format, maps columns, parses values and dates, and returns a
:class:`~caselog.CaseLog` whose rejects say why each unusable row was left out.
"""

from ._addresses import AmazonAddresses
from ._aliases import Aliases
from ._dates import check_tz, parse_timestamps, to_utc_timestamp
from ._limits import ReadLimits
from ._load import SUPPORTED_SUFFIXES, load
from ._zones import zone_names

__all__ = [
    "AmazonAddresses",
    "Aliases",
    "ReadLimits",
    "load",
    "SUPPORTED_SUFFIXES",
    "check_tz",
    "parse_timestamps",
    "to_utc_timestamp",
    "zone_names",
]
