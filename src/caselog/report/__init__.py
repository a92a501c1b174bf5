"""The deliverables: escalation briefs, the Excel audit workbook, CSV/JSON exports.

Everything here renders a computed :class:`~caselog.Analysis`; nothing computes an analysis.
"""

from ._briefs import brief, briefs, write_briefs
from ._export import csv_safe, frame_json, iso_times, write_frame_csv
from ._workbook import SHEETS, write_workbook
from ._xlsx import EXCEL_MAX_CHARS, EXCEL_MAX_ROWS, excel_safe, excel_sheet_name, excel_text

__all__ = [
    "brief",
    "briefs",
    "write_briefs",
    "write_workbook",
    "SHEETS",
    "write_frame_csv",
    "csv_safe",
    "frame_json",
    "iso_times",
    "EXCEL_MAX_CHARS",
    "EXCEL_MAX_ROWS",
    "excel_safe",
    "excel_sheet_name",
    "excel_text",
]
