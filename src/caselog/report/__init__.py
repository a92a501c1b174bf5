"""The deliverables: escalation briefs, the Excel audit workbook, CSV/JSON exports.

Everything here renders a computed :class:`~caselog.Analysis`; nothing computes an analysis.
"""

from ._briefs import brief, briefs, letters, write_briefs
from ._catalogue import display_catalogue, display_texts
from ._export import csv_safe, frame_json, iso_times, write_frame_csv
from ._letter import Letter
from ._text import html_escape, md_escape, terminal_safe
from ._workbook import SHEETS, write_workbook
from ._xlsx import EXCEL_MAX_CHARS, EXCEL_MAX_ROWS, excel_safe, excel_sheet_name, excel_text

__all__ = [
    "brief",
    "briefs",
    "write_briefs",
    "letters",
    "display_catalogue",
    "display_texts",
    "Letter",
    "md_escape",
    "html_escape",
    "terminal_safe",
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
