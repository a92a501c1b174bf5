"""The Excel audit workbook: one .xlsx a consultant can send as it is.

:func:`write_workbook` runs the analyses and writes, in this order:

===================  ===========================================================================
sheet                content
===================  ===========================================================================
Summary              key figures (accounts, cases, messages, date range, first response median
                     and p90, canned repeats, escalations and outcomes, readiness counts),
                     response times by team, notes (redaction, truncation, how the input was
                     read) and the main charts as images
Cases                one row per case with its readiness verdict, reasons, facts and next step
Messages             one row per message with its template id and reply class; loads back with
                     ``caselog.load(path)`` (or ``sheets={"messages": "Messages"}``)
Response times       one row per turn (:func:`caselog.responses.turns`)
Templates            the template catalogue (:func:`caselog.templates.find_templates`)
Escalations          one row per escalation (:func:`caselog.escalations.escalations`)
Briefs               case id and escalation brief of the ready cases, most urgent first
Rejects              input rows that could not be used, with the reason
===================  ===========================================================================

Every data sheet is a real Excel table (filter buttons, a table style), with a frozen header
row, column widths from the content (capped) and explicit number formats: hours as numbers
(``0.0``), dates as Excel date-times converted to **one** named time zone ``tz`` with the zone
in the header (``"Sent (UTC)"``).  Response times over ``sla_hours`` and ready cases are
highlighted by conditional formatting.

Text is always stored as text: a cell starting with ``= + - @``, a tab or a CR is written as a
string with Excel's quote prefix, never as a formula.  Excel's limits are respected: text longer
than 32,767 characters is cut with a visible marker (counted in the Summary notes), sheets stop
at 1,048,576 rows (noted), control characters Excel cannot store are replaced by U+FFFD and line
ends are written as ``\\n``.

The workbook is written in openpyxl's write-only (streaming) mode, row chunk by row chunk, so
memory stays flat for large logs.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import shutil
import tempfile
import textwrap
import warnings
import zipfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from .dates import check_tz
from .errors import ConfigError
from .model import CaseLog

__all__ = [
    "write_workbook",
    "SHEETS",
    "EXCEL_MAX_CHARS",
    "EXCEL_MAX_ROWS",
    "excel_sheet_name",
    "excel_text",
    "excel_safe",
]

#: Sheet names, in workbook order.
SHEETS: tuple[str, ...] = (
    "Summary",
    "Cases",
    "Messages",
    "Response times",
    "Templates",
    "Escalations",
    "Briefs",
    "Rejects",
)

#: Excel's maximum number of characters in a cell.
EXCEL_MAX_CHARS = 32_767
#: Excel's maximum number of rows in a sheet (header included).
EXCEL_MAX_ROWS = 1_048_576

_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_HOSTILE = r"^[=+\-@\t\r]"
_CUT_KEEP = EXCEL_MAX_CHARS - 80  # room for the marker
_CHUNK = 20_000
_TABLE_STYLE = "TableStyleMedium2"
_RED = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
_GREEN = PatternFill(start_color="C6EFCE", end_color="C6EFCE", fill_type="solid")
_AMBER = PatternFill(start_color="FFEB9C", end_color="FFEB9C", fill_type="solid")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill(start_color="4472C4", end_color="4472C4", fill_type="solid")
_VERDICT_ORDER = ("ready", "not yet", "not advisable", "closed")


# ------------------------------------------------------------------------------------ helpers


def excel_sheet_name(name: str) -> str:
    """A valid Excel sheet name: ``[]:*?/\\`` replaced by ``_``, at most 31 characters.

    Examples
    --------
    >>> excel_sheet_name("Response times / by team: 2026 (all accounts)")
    'Response times _ by team_ 2026 '
    """
    clean = "".join("_" if ch in '[]:*?/\\' else ch for ch in str(name)).strip("'")
    return (clean or "Sheet")[:31]


def excel_text(text: pd.Series) -> tuple[pd.Series, int]:
    """Make text fit an Excel cell: control characters, line ends and the length limit.

    Control characters Excel cannot store become U+FFFD, ``\\r\\n`` and ``\\r`` become ``\\n``,
    and text longer than :data:`EXCEL_MAX_CHARS` (counted in UTF-16 units, as Excel does) is cut
    and ends with ``"… [cut by caselog: N characters left out]"``.

    Parameters
    ----------
    text : pandas.Series
        Any values; missing ones become ``""``.

    Returns
    -------
    (pandas.Series of str, int)
        The cleaned text and the number of cells that were cut.
    """
    s = text.astype(object).where(text.notna(), "").astype(str)
    if len(s) == 0:
        return s, 0
    if s.str.contains(_ILLEGAL, regex=True).any():
        s = s.str.replace(_ILLEGAL, "\ufffd", regex=True)
    if s.str.contains("\r", regex=False).any():
        s = s.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    maybe = s.str.len() > EXCEL_MAX_CHARS // 2  # UTF-16 length is at most twice this
    cut = 0
    if maybe.any():
        s = s.copy()
        for idx in s.index[maybe.to_numpy()]:  # rare rows only
            value = s.at[idx]
            units = len(value.encode("utf-16-le")) // 2
            if units <= EXCEL_MAX_CHARS:
                continue
            keep = value[:_CUT_KEEP]
            while len(keep.encode("utf-16-le")) // 2 > _CUT_KEEP:
                keep = keep[: len(keep) - (len(keep.encode("utf-16-le")) // 2 - _CUT_KEEP)]
            s.at[idx] = f"{keep}… [cut by caselog: {len(value) - len(keep):,} characters left out]"
            cut += 1
    return s, cut


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as formulas when a CSV is opened in Excel.

    A text cell starting with ``= + - @``, a tab or a CR (the cells the workbook writes with
    Excel's quote prefix) gets a leading apostrophe ``'``, the usual CSV-injection guard; Excel
    shows the apostrophe.  Numeric, boolean and datetime columns are left alone, so a negative
    number stays a number.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table about to be written as CSV.

    Returns
    -------
    pandas.DataFrame
        The same columns, index and dtypes.

    Examples
    --------
    >>> excel_safe(pd.DataFrame({"t": ["=1+1", "-x", "ok"], "n": [-1, 2, 3]}))["t"].tolist()
    ["'=1+1", "'-x", 'ok']
    """
    out = frame.copy()
    for c in out.columns:
        s = out[c]
        if not pd.api.types.is_string_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        text = s.astype(object).where(s.notna(), "").astype(str)
        mask = text.str.match(_HOSTILE).to_numpy(dtype=bool)
        if mask.any():
            out[c] = s.where(~mask, "'" + text)
    return out


@dataclass(frozen=True)
class _Col:
    """One column of a data sheet."""

    header: str
    source: str
    kind: str = "text"  # text | int | float | hours | score | share | datetime | bool
    max_width: int = 50
    wrap: bool = False
    top: bool = False  # may hold line breaks: align to the top so the first line shows


_FORMATS = {
    "int": "0",
    "float": "0.0",
    "hours": "0.0",
    "score": "0",
    "share": "0%",
    "datetime": "yyyy-mm-dd hh:mm",
}


@dataclass
class _Notes:
    lines: list[str] = field(default_factory=list)
    cut: dict[str, int] = field(default_factory=dict)

    def add(self, text: str) -> None:
        self.lines.append(text)


@dataclass(frozen=True)
class _Analyses:
    turns: pd.DataFrame | None
    templates: Any | None
    escalations: pd.DataFrame | None
    readiness: pd.DataFrame | None
    briefs: pd.DataFrame | None


def _page_setup(ws: Any, *, summary: bool, fit_width: bool = False) -> None:
    """Landscape; the Summary (and ``fit_width`` sheets) one page wide, data sheets with the
    header row on every page."""
    ws.page_setup.orientation = "landscape"
    if summary or fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if not summary:
        ws.print_title_rows = "1:1"


def _stage(progress: Callable[[str], AbstractContextManager[Any]] | None, name: str):
    return progress(name) if progress is not None else nullcontext()


# ------------------------------------------------------------------------------------ analyses


def _analyse(
    log: CaseLog,
    as_of: Any,
    sla_hours: float,
    max_briefs: int | None,
    notes: _Notes,
    progress: Callable[[str], AbstractContextManager[Any]] | None,
) -> _Analyses:
    turns = templates = esc = ready = briefs = None
    with _stage(progress, "analysing"):
        try:
            from .responses import turns as _turns

            turns = _turns(log, as_of=as_of, sla_hours=sla_hours)
        except ImportError:  # pragma: no cover - module ships with caselog
            notes.add("Response times: caselog.responses is not available.")
        try:
            from .templates import find_templates

            templates = find_templates(log)
        except ImportError:  # pragma: no cover
            notes.add("Templates: caselog.templates is not available.")
        try:
            from .escalations import escalations

            esc = escalations(log, as_of=as_of, templates=templates, wait_hours=sla_hours)
        except ImportError:  # pragma: no cover
            notes.add("Escalations: caselog.escalations is not available.")
        try:
            from .readiness import readiness

            ready = readiness(log, as_of=as_of, templates=templates, escalations=esc)
        except ImportError:  # pragma: no cover
            notes.add("Readiness: caselog.readiness is not available.")
    if ready is not None:
        with _stage(progress, "writing briefs"):
            briefs = _briefs(log, ready, as_of, templates, max_briefs, notes)
    return _Analyses(turns, templates, esc, ready, briefs)


def _ordered_readiness(ready: pd.DataFrame) -> pd.DataFrame:
    """Ready cases first, then not yet, not advisable, closed; most urgent first inside."""
    rank = ready["verdict"].map({v: i for i, v in enumerate(_VERDICT_ORDER)}).fillna(9)
    out = ready.assign(_rank=rank.to_numpy())
    out = out.sort_values("case_id", kind="stable")
    out = out.sort_values("urgency", ascending=False, kind="stable")
    out = out.sort_values("_rank", kind="stable")
    return out.drop(columns="_rank").reset_index(drop=True)


def _briefs(
    log: CaseLog,
    ready: pd.DataFrame,
    as_of: Any,
    templates: Any,
    max_briefs: int | None,
    notes: _Notes,
) -> pd.DataFrame:
    queue = _ordered_readiness(ready)
    queue = queue[queue["verdict"] == "ready"]
    ids = queue["case_id"].tolist()
    total = len(ids)
    if max_briefs is not None and total > max_briefs:
        ids = ids[:max_briefs]
        notes.add(
            f"Briefs: written for the {max_briefs:,} most urgent of {total:,} ready cases; "
            "'caselog brief CASE_ID FILE...' writes any other."
        )
    from .readiness import briefs  # one batch: the analyses run once for all the cases

    texts = briefs(log, ids, as_of=as_of if as_of is not None else log.as_of, templates=templates)
    frame = queue.set_index("case_id").loc[ids, ["account", "category", "target"]].reset_index()
    frame["brief"] = pd.Series(texts, dtype="str", index=frame.index)
    return frame


# ------------------------------------------------------------------------------------ sheets


class _SheetWriter:
    """Writes data sheets as Excel tables.

    openpyxl (write-only mode) writes the sheet frame: column widths, frozen pane, page setup,
    the styled header row, the table, conditional formats.  The data rows are turned into
    SpreadsheetML by vectorised string operations, one chunk at a time, into a temporary file,
    and :meth:`splice` puts them into the saved workbook: openpyxl's per-cell Python objects
    would cost ~15 µs a cell (minutes for a million messages).  Every text cell is an inline
    string (``t="inlineStr"``): nothing written here can be a formula.
    """

    def __init__(self, wb: Workbook, tz: str, notes: _Notes, folder: Path) -> None:
        self.wb = wb
        self.tz = tz
        self.notes = notes
        self.folder = folder
        self._styles: dict[tuple[str | None, bool, str], Any] = {}
        self.pending: list[tuple[int, Path, str]] = []  # (sheet index, rows file, dimension)

    def close(self) -> None:
        for _i, rows, _d in self.pending:
            rows.unlink(missing_ok=True)
        self.pending = []

    def style_id(self, ws: Any, number_format: str | None, quote: bool = False,
                 align: str = "") -> int:
        """The workbook's cell-format index of a style (``align``: "", "top" or "wrap")."""
        key = (number_format, quote, align)
        if key not in self._styles:
            cell = WriteOnlyCell(ws)
            if number_format:
                cell.number_format = number_format
            if quote:
                cell.quotePrefix = True
            if align == "wrap":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif align == "top":
                cell.alignment = Alignment(vertical="top")
            self._styles[key] = cell._style
        return self.wb._cell_styles.add(self._styles[key])

    def header(self, col: _Col) -> str:
        return f"{col.header} ({self.tz})" if col.kind == "datetime" else col.header

    # ---- column values

    def prepare(
        self, frame: pd.DataFrame, col: _Col, sheet: str, *, measure: bool = True
    ) -> tuple[pd.Series, int]:
        """The column as text (``str``, "" = empty cell) or numbers (float64, NaN = empty),
        dates as Excel serial numbers in ``tz``; and the column width."""
        header = self.header(col)
        if col.source not in frame.columns:
            if col.kind in ("text", "bool"):
                return pd.Series("", index=frame.index, dtype="str"), len(header) + 2
            return pd.Series(np.nan, index=frame.index, dtype="float64"), len(header) + 2
        s = frame[col.source]
        if col.kind == "datetime":
            local = pd.to_datetime(s, utc=True).dt.tz_convert(self.tz).dt.tz_localize(None)
            values = (local - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
            width = 16
        elif col.kind == "bool":  # "yes"/"no" text: reads the same in Excel and LibreOffice
            flag = s.astype("boolean")
            values = pd.Series(
                np.where(flag.fillna(False).to_numpy(dtype=bool), "yes", "no"),
                index=s.index, dtype="str",
            ).where(flag.notna().to_numpy(), "")
            width = 5
        elif col.kind in ("int", "score"):
            values = pd.to_numeric(s, errors="coerce").astype("float64").round()
            big = values.abs().max() if values.notna().any() else 0
            width = len(f"{big:.0f}") + 2
        elif col.kind in ("float", "hours", "share"):
            values = pd.to_numeric(s, errors="coerce").astype("float64")
            width = 8
        else:
            values, cut = excel_text(s)
            if cut:
                key = f"{sheet}.{header}"
                self.notes.cut[key] = self.notes.cut.get(key, 0) + cut
            if len(values) and measure:
                first_line = values.str.replace(r"\n.*", "", regex=True)
                width = int(first_line.str.len().quantile(0.95, interpolation="higher")) + 2
            else:
                width = 0
        if col.kind in ("float", "hours", "share", "int", "score", "datetime"):
            values = values.where(np.isfinite(values.to_numpy(dtype="float64")))
        if col.wrap:
            width = col.max_width
        width = max(width, len(header) + 2)
        return values, min(width, col.max_width)

    @staticmethod
    def _text_cells(text: pd.Series, ref: pd.Series, sid: int, quote_sid: int) -> pd.Series:
        """``<c r=.. t="inlineStr"><is><t>..</t></is></c>`` for non-empty text, else ""."""
        esc = (
            text.str.replace("&", "&amp;", regex=False)
            .str.replace("<", "&lt;", regex=False)
            .str.replace(">", "&gt;", regex=False)
        )
        hostile = text.str.match(_HOSTILE).to_numpy(dtype=bool)
        style = np.where(hostile, f' s="{quote_sid}"', f' s="{sid}"' if sid else "")
        space = np.where(
            (text != text.str.strip()).to_numpy(dtype=bool), ' xml:space="preserve"', ""
        )
        cells = (
            '<c r="' + ref + '"' + pd.Series(style, index=text.index, dtype="str")
            + ' t="inlineStr"><is><t' + pd.Series(space, index=text.index, dtype="str") + ">"
            + esc + "</t></is></c>"
        )
        return cells.where(text != "", "")

    @staticmethod
    def _number_cells(num: pd.Series, ref: pd.Series, sid: int, integer: bool) -> pd.Series:
        ok = num.notna()
        if integer:
            digits = num.fillna(0).astype("int64").astype("str")
        else:
            digits = num.fillna(0).astype("float64").astype("str")  # shortest round-trip form
        style = f' s="{sid}"' if sid else ""
        cells = '<c r="' + ref + '"' + style + "><v>" + digits + "</v></c>"
        return cells.where(ok, "")

    # ---- the sheet

    def write(
        self,
        title: str,
        frame: pd.DataFrame,
        cols: Sequence[_Col],
        *,
        freeze: str = "A2",
        rules: Callable[[Any, dict[str, str], int], None] | None = None,
        fit_width: bool = False,
    ) -> int:
        """Write ``frame`` as the table sheet ``title``; returns the number of data rows."""
        sheet = excel_sheet_name(title)
        ws = self.wb.create_sheet(sheet)
        index = len(self.wb.worksheets) - 1
        limit = EXCEL_MAX_ROWS - 1
        if len(frame) > limit:
            self.notes.add(
                f"{sheet}: {len(frame):,} rows, more than Excel's limit; the first {limit:,} are "
                "in the sheet."
            )
            frame = frame.iloc[:limit]
        frame = frame.reset_index(drop=True)
        n = len(frame)
        headers = [self.header(c) for c in cols]
        # widths from the first chunk; the rows are prepared chunk by chunk (flat memory)
        quiet = _SheetWriter(self.wb, self.tz, _Notes(), self.folder)
        widths = [quiet.prepare(frame.iloc[:_CHUNK], c, sheet)[1] for c in cols]
        letters = [get_column_letter(i) for i in range(1, len(cols) + 1)]
        for letter, width in zip(letters, widths, strict=True):
            ws.column_dimensions[letter].width = max(width, 6)
        ws.freeze_panes = freeze
        _page_setup(ws, summary=False, fit_width=fit_width)
        head = []
        for h in headers:
            hc = WriteOnlyCell(ws, value=h)
            hc.font, hc.fill = _HEADER_FONT, _HEADER_FILL
            head.append(hc)
        ws.append(head)
        if n == 0:  # a table needs a data row
            ws.append([None] * len(cols))
        else:
            self._write_rows(ws, index, sheet, frame, cols, widths, letters)
        last_row = max(n, 1) + 1
        ref = f"A1:{letters[-1]}{last_row}"
        table = Table(
            displayName="tbl" + "".join(ch for ch in sheet.title() if ch.isalnum()),
            ref=ref,
            tableStyleInfo=TableStyleInfo(name=_TABLE_STYLE, showRowStripes=True),
        )
        table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
        table.autoFilter = AutoFilter(ref=ref)
        with warnings.catch_warnings():  # openpyxl warns although the columns are set
            warnings.simplefilter("ignore", UserWarning)
            ws.add_table(table)
        if rules is not None and n:
            by_source = {c.source: letter for c, letter in zip(cols, letters, strict=True)}
            by_source["_last"] = letters[-1]
            rules(ws, by_source, n + 1)
        return n

    def _write_rows(
        self,
        ws: Any,
        index: int,
        sheet: str,
        frame: pd.DataFrame,
        cols: Sequence[_Col],
        widths: list[int],
        letters: list[str],
    ) -> None:
        n = len(frame)
        sids, quote_sids = [], []
        for c in cols:
            align = "wrap" if c.wrap else "top" if c.top else ""
            fmt = _FORMATS.get(c.kind)
            sids.append(self.style_id(ws, fmt, align=align) if (fmt or align) else 0)
            quote_sids.append(self.style_id(ws, None, quote=True, align=align))
        handle = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", suffix=".xml", prefix=".caselog-", dir=self.folder,
            delete=False,
        )
        rows_path = Path(handle.name)
        self.pending.append((index, rows_path, f"A1:{letters[-1]}{n + 1}"))
        with handle:
            for start in range(0, n, _CHUNK):
                stop = min(start + _CHUNK, n)
                part = frame.iloc[start:stop].reset_index(drop=True)
                rownum = pd.Series(np.arange(start + 2, stop + 2), dtype="int64").astype("str")
                cells = []
                heights = None
                for c, width, letter, sid, qsid in zip(
                    cols, widths, letters, sids, quote_sids, strict=True
                ):
                    values, _w = self.prepare(part, c, sheet, measure=False)
                    ref = letter + rownum
                    if c.kind in ("text", "bool"):
                        cells.append(self._text_cells(values.astype("str"), ref, sid, qsid))
                    else:
                        integer = c.kind in ("int", "score")
                        cells.append(self._number_cells(values, ref, sid, integer))
                    if c.wrap:  # the row grows with the wrapped lines (Excel's max 409 pt)
                        per_line = max(width - 2, 10)
                        lines = values.str.split("\n").map(
                            lambda ps, w=per_line: sum(max(1, -(-len(p) // w)) for p in ps)
                        )
                        h = (lines.astype("int64") * 15).clip(upper=409)
                        heights = h if heights is None else np.maximum(heights, h)
                if heights is None:
                    row = '<row r="' + rownum + '">'
                else:
                    ht = pd.Series(heights, dtype="int64").astype("str")
                    row = '<row r="' + rownum + '" ht="' + ht + '" customHeight="1">'
                for cell in cells:
                    row = row + cell
                handle.write("</row>".join(row.tolist()) + "</row>")

    def splice(self, path: Path) -> None:
        """Put the pending data rows into the saved workbook at ``path`` (rewritten in place)."""
        if not self.pending:
            return
        with zipfile.ZipFile(path) as z:
            parts = _sheet_parts(z)
        targets = {parts[i]: (rows, dim) for i, rows, dim in self.pending}
        spliced = path.with_name(path.name + ".splice")
        try:
            with zipfile.ZipFile(path) as src, zipfile.ZipFile(
                spliced, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6
            ) as dst:
                for info in src.infolist():
                    if info.filename not in targets:
                        dst.writestr(info, src.read(info.filename))
                        continue
                    rows, dim = targets[info.filename]
                    xml = src.read(info.filename).decode("utf-8")
                    cut = xml.index("</sheetData>")
                    head = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dim}"/>',
                                  xml[:cut], count=1)
                    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    with dst.open(entry, "w", force_zip64=True) as out:
                        out.write(head.encode("utf-8"))
                        with rows.open("rb") as f:
                            shutil.copyfileobj(f, out, 1 << 20)
                        out.write(xml[cut:].encode("utf-8"))
            os.replace(spliced, path)
        finally:
            spliced.unlink(missing_ok=True)
            self.close()


def _sheet_parts(z: zipfile.ZipFile) -> list[str]:
    """Worksheet part names (``xl/worksheets/sheet1.xml``...) in workbook order."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", ns)}
    out = []
    for sheet in book.findall("m:sheets/m:sheet", ns):
        t = target[sheet.get(f"{{{ns['r']}}}id")]
        out.append(t.lstrip("/") if t.startswith("/") else "xl/" + t)
    return out


# ------------------------------------------------------------------------------------ columns

_MESSAGE_COLS = (
    _Col("Message ID", "message_id", "int"),
    _Col("Case ID", "case_id", max_width=16),
    _Col("Account", "account", max_width=24),
    _Col("Sent", "sent_at", "datetime"),
    _Col("Direction", "direction"),
    _Col("Team", "team", max_width=26),
    _Col("Channel", "channel"),
    _Col("Subject", "subject", max_width=40, top=True),
    _Col("Body", "body", max_width=80, top=True),
    _Col("Attachments", "attachments", "int"),
    _Col("Kind", "kind", max_width=20),
    _Col("Template", "template_id", "int"),
    _Col("Variant", "variant_id", "int"),
    _Col("Reply class", "reply_class", max_width=20),
    _Col("Canned repeat", "is_canned_repeat", "bool"),
    _Col("Source", "source", max_width=40),
)

_CASE_COLS = (
    _Col("Case ID", "case_id", max_width=16),
    _Col("Account", "account", max_width=24),
    _Col("Category", "category", max_width=22),
    _Col("Status", "status"),
    _Col("Verdict", "verdict", max_width=14),
    _Col("Reasons", "reasons", max_width=70),
    _Col("Missing", "missing", max_width=50),
    _Col("Next step", "next_step", max_width=60),
    _Col("Target level", "target_level", "int"),
    _Col("Target", "target", max_width=32),
    _Col("Opened", "opened_at", "datetime"),
    _Col("Closed", "closed_at", "datetime"),
    _Col("Outcome", "outcome", max_width=30, top=True),
    _Col("ASINs", "asins", max_width=30),
    _Col("Canned repeats", "canned_repeats", "int"),
    _Col("Repeat canned denials", "repeat_canned_denials", "int"),
    _Col("Highest escalation level", "highest_level", "int"),
    _Col("Last seller message", "last_seller_at", "datetime"),
    _Col("Last Amazon message", "last_amazon_at", "datetime"),
    _Col("Hours since last seller message", "hours_since_last_seller", "hours"),
    _Col("Information request pending since", "pending_information_request_at", "datetime"),
    _Col("Facts", "facts", max_width=70),
    _Col("Source", "source", max_width=40),
)

_TURN_COLS = (
    _Col("Case ID", "case_id", max_width=16),
    _Col("Account", "account", max_width=24),
    _Col("Category", "category", max_width=22),
    _Col("Turn", "turn", "int"),
    _Col("First seller message", "first_seller_at", "datetime"),
    _Col("Seller messages", "n_seller_messages", "int"),
    _Col("Reply", "reply_at", "datetime"),
    _Col("Team", "team", max_width=26),
    _Col("Channel", "channel"),
    _Col("Open", "is_open", "bool"),
    _Col("Response hours", "response_hours", "hours"),
    _Col("Age hours (open)", "age_hours", "hours"),
    _Col("Business hours", "business_hours", "hours"),
    _Col("Over SLA", "over_sla", "bool"),
    _Col("Month", "month"),
    _Col("First seller message ID", "first_seller_message_id", "int"),
    _Col("Reply message ID", "reply_message_id", "int"),
)

_TEMPLATE_COLS = (
    _Col("Template", "template_id", "int"),
    _Col("Text", "text", max_width=90, top=True),
    _Col("Messages", "n_messages", "int"),
    _Col("Cases", "n_cases", "int"),
    _Col("Accounts", "n_accounts", "int"),
    _Col("Reply class", "reply_class", max_width=20),
    _Col("Variants", "n_variants", "int"),
    _Col("Teams", "teams", max_width=40),
    _Col("First seen", "first_seen", "datetime"),
    _Col("Last seen", "last_seen", "datetime"),
)

_ESCALATION_COLS = (
    _Col("Case ID", "case_id", max_width=16),
    _Col("Account", "account", max_width=24),
    _Col("Category", "category", max_width=22),
    _Col("Sent", "sent_at", "datetime"),
    _Col("Level", "level", "int"),
    _Col("Target", "target", max_width=32),
    _Col("Detected by", "detected_by"),
    _Col("Team", "team", max_width=26),
    _Col("Outcome", "outcome", max_width=20),
    _Col("Outcome at", "outcome_at", "datetime"),
    _Col("Hours to outcome", "hours_to_outcome", "hours"),
    _Col("New material", "new_material", "bool"),
    _Col("Quality score (of 7)", "quality_score", "score"),
    _Col("Quality missing", "quality_missing", max_width=60),
    _Col("Message ID", "message_id", "int"),
    _Col("Outcome message ID", "outcome_message_id", "int"),
)

_BRIEF_COLS = (  # tall rows: everything aligned to the top
    _Col("Case ID", "case_id", max_width=16, top=True),
    _Col("Account", "account", max_width=24, top=True),
    _Col("Category", "category", max_width=22, top=True),
    _Col("Target", "target", max_width=30, top=True),
    _Col("Brief", "brief", max_width=110, wrap=True),
)

_REJECT_COLS = (
    _Col("File", "file", max_width=30),
    _Col("Sheet", "sheet", max_width=20),
    _Col("Row", "row", "int"),
    _Col("Reason", "reason", max_width=60),
    _Col("Raw", "raw", max_width=90, top=True),
    _Col("Source", "source", max_width=40),
)


def _drop_empty(
    cols: Sequence[_Col], frame: pd.DataFrame, optional: set[str], *, if_all_missing: bool = True
) -> list[_Col]:
    """Leave out optional columns that are absent (or, by default, entirely missing)."""
    out = []
    for c in cols:
        if c.source in optional and (
            c.source not in frame or (if_all_missing and frame[c.source].isna().all())
        ):
            continue
        out.append(c)
    return out


# ------------------------------------------------------------------------------------ rules


def _case_rules(sla: float) -> Callable[[Any, dict[str, str], int], None]:
    def rules(ws: Any, col: dict[str, str], last: int) -> None:
        end = col["_last"]
        v = col["verdict"]
        ws.conditional_formatting.add(
            f"A2:{end}{last}", FormulaRule(formula=[f'${v}2="ready"'], fill=_GREEN)
        )
        if "hours_since_last_seller" in col:
            h = col["hours_since_last_seller"]
            ws.conditional_formatting.add(
                f"{h}2:{h}{last}",
                FormulaRule(formula=[f'AND(${v}2<>"closed",{h}2>{sla:g})'], fill=_AMBER),
            )

    return rules


def _turn_rules(sla: float) -> Callable[[Any, dict[str, str], int], None]:
    def rules(ws: Any, col: dict[str, str], last: int) -> None:
        r = col["response_hours"]
        ws.conditional_formatting.add(
            f"{r}2:{r}{last}", CellIsRule(operator="greaterThan", formula=[f"{sla:g}"], fill=_RED)
        )
        a = col["age_hours"]
        ws.conditional_formatting.add(
            f"{a}2:{a}{last}", CellIsRule(operator="greaterThan", formula=[f"{sla:g}"], fill=_RED)
        )

    return rules


def _escalation_rules(sla: float) -> Callable[[Any, dict[str, str], int], None]:
    def rules(ws: Any, col: dict[str, str], last: int) -> None:
        h = col["hours_to_outcome"]
        ws.conditional_formatting.add(
            f"{h}2:{h}{last}", CellIsRule(operator="greaterThan", formula=[f"{sla:g}"], fill=_RED)
        )
        o = col["outcome"]
        ws.conditional_formatting.add(
            f"{o}2:{o}{last}", FormulaRule(formula=[f'{o}2="positive"'], fill=_GREEN)
        )

    return rules


def _message_rules(ws: Any, col: dict[str, str], last: int) -> None:
    # Canned repeats: the Template cell in amber.  (Flags are "yes"/"no" text: LibreOffice 7
    # crashes rendering a conditional format over boolean cells.)
    if "is_canned_repeat" in col and "template_id" in col:
        c, t = col["is_canned_repeat"], col["template_id"]
        ws.conditional_formatting.add(
            f"{t}2:{t}{last}", FormulaRule(formula=[f"${c}2=TRUE"], fill=_AMBER)
        )


# ------------------------------------------------------------------------------------ summary


def _fmt_ts(ts: Any, tz: str) -> str:
    if ts is None or pd.isna(ts):
        return "-"
    return pd.Timestamp(ts).tz_convert(tz).strftime("%Y-%m-%d %H:%M")


def _summary_rows(
    log: CaseLog, an: _Analyses, as_of: pd.Timestamp | None, tz: str, sla: float
) -> list[tuple[str, Any, str]]:
    """(label, value, number format or "") rows of the key-figures block; label "#" = section."""
    m = log.messages
    rows: list[tuple[str, Any, str]] = [("#", "Data", "")]
    n_seller = int((m["direction"] == "seller").sum())
    rows += [
        ("Accounts", int(m["account"].nunique()), "#,##0"),
        ("Cases", int(log.cases["case_id"].nunique()), "#,##0"),
        ("Messages", len(m), "#,##0"),
        ("  from the seller", n_seller, "#,##0"),
        ("  from Amazon", len(m) - n_seller, "#,##0"),
        ("Input rows", int(log.input_rows), "#,##0"),
        ("Rejected rows (see Rejects)", len(log.rejects), "#,##0"),
        ("Duplicate rows dropped", int(log.duplicates), "#,##0"),
        (f"First message ({tz})", _fmt_ts(m["sent_at"].min() if len(m) else None, tz), ""),
        (f"Last message ({tz})", _fmt_ts(m["sent_at"].max() if len(m) else None, tz), ""),
    ]
    t = an.turns
    if t is not None:
        answered = t.loc[~t["is_open"], "response_hours"].astype("float64")
        first = t.loc[t["turn"] == 1]
        first_answered = first.loc[~first["is_open"], "response_hours"].astype("float64")
        over = t["over_sla"].astype(bool)
        rows += [
            ("#", "Response times (hours)", ""),
            ("First response, median", _num(first_answered.median()), "0.0"),
            ("First response, 90th percentile", _num(first_answered.quantile(0.9)), "0.0"),
            ("Cases still waiting for a first response", int(first["is_open"].sum()), "#,##0"),
            ("All responses, median", _num(answered.median()), "0.0"),
            ("All responses, 90th percentile", _num(answered.quantile(0.9)), "0.0"),
            ("Turns (seller messages answered or waiting)", len(t), "#,##0"),
            ("  still open", int(t["is_open"].sum()), "#,##0"),
            (f"  over {sla:g} hours (SLA breaches)", int(over.sum()), "#,##0"),
            ("  share over SLA", _num(over.mean() if len(t) else np.nan), "0%"),
        ]
    if an.templates is not None:
        tm, cat = an.templates.messages, an.templates.catalogue
        repeated = cat[cat["n_messages"] >= 2]
        rows += [
            ("#", "Canned replies", ""),
            ("Templates used more than once", len(repeated), "#,##0"),
            ("Amazon messages from those templates", int(repeated["n_messages"].sum()), "#,##0"),
            ("Canned repeats (template already sent in the case)",
             int(tm["is_canned_repeat"].sum()), "#,##0"),
            ("Repeat canned denials", int(tm["is_repeat_denial"].sum()), "#,##0"),
            ("Cases with a canned repeat",
             int(tm.loc[tm["is_canned_repeat"], "case_id"].nunique()), "#,##0"),
        ]
    if an.escalations is not None:
        e = an.escalations
        rows += [("#", "Escalations", ""), ("Escalations", len(e), "#,##0")]
        for level in (1, 2, 3):
            rows.append((f"  level {level}", int((e["level"] == level).sum()), "#,##0"))
        try:
            from .escalations import OUTCOMES
        except ImportError:  # pragma: no cover
            OUTCOMES = tuple(sorted(e["outcome"].unique()))  # noqa: N806
        for outcome in OUTCOMES:
            k = int((e["outcome"] == outcome).sum())
            if k:
                rows.append((f"  outcome: {outcome}", k, "#,##0"))
    if an.readiness is not None:
        r = an.readiness
        rows.append(("#", "Readiness to escalate (see Cases)", ""))
        for verdict in _VERDICT_ORDER:
            rows.append((verdict, int((r["verdict"] == verdict).sum()), "#,##0"))
    return rows


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _by_team(turns: pd.DataFrame | None, sla: float) -> pd.DataFrame | None:
    if turns is None or turns.empty:
        return None
    from .responses import response_summary

    return response_summary(turns, by="team", sla_hours=sla)


def _chart_images(an: _Analyses, sla: float, notes: _Notes) -> list[tuple[str, bytes]]:
    """PNG images of the main charts; a chart that cannot be drawn is left out with a note."""
    try:
        from matplotlib.figure import Figure

        plotting = importlib.import_module(".plotting", __package__)
    except ImportError:
        notes.add("Charts: caselog.plotting (matplotlib) is not available; no charts.")
        return []
    jobs: list[tuple[str, str, Any, dict[str, Any]]] = []
    if an.turns is not None:
        jobs.append(("Response times by team", "plot_response_distribution", an.turns,
                     {"sla_hours": sla}))
        jobs.append(("Response time by month", "plot_response_trend", an.turns,
                     {"sla_hours": sla}))
    if an.templates is not None:
        jobs.append(("Top templates", "plot_top_templates", an.templates.catalogue, {}))
    if an.escalations is not None:
        jobs.append(("Escalation outcomes", "plot_escalation_outcomes", an.escalations, {}))
    if an.readiness is not None:
        jobs.append(("Readiness", "plot_readiness", an.readiness, {}))
    images = []
    for title, name, data, kwargs in jobs:
        func = getattr(plotting, name, None)
        if func is None:
            notes.add(f"Charts: {title} left out (caselog.plotting has no {name}).")
            continue
        fig = Figure(figsize=(8, 4.5), dpi=100)
        ax = fig.subplots()
        try:
            func(data, ax=ax, **kwargs)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        except Exception as exc:  # a chart must not stop the audit  # noqa: BLE001
            notes.add(f"Charts: {title} left out ({type(exc).__name__}: {exc}).")
            continue
        images.append((title, buf.getvalue()))
    return images


def _write_summary(
    ws: Any,
    log: CaseLog,
    an: _Analyses,
    as_of: pd.Timestamp | None,
    tz: str,
    sla: float,
    notes: _Notes,
    images: list[tuple[str, bytes]],
    sheets_written: dict[str, int],
) -> None:
    from openpyxl.drawing.image import Image

    from . import __version__

    _page_setup(ws, summary=True)
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 12
    ws.column_dimensions["E"].width = 12
    ws.column_dimensions["F"].width = 12
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)

    def cell(value: Any, *, font: Font | None = None, fmt: str = "", wrap: bool = False,
             align: Alignment | None = None):
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            c.data_type = "s"
            c.quotePrefix = True
        if font is not None:
            c.font = font
        if fmt:
            c.number_format = fmt
        if wrap:
            c.alignment = Alignment(wrap_text=True, vertical="top")
        if align is not None:
            c.alignment = align
        return c

    ws.append([cell("Seller case audit", font=title_font)])
    ws.append([cell(f"As of {_fmt_ts(as_of, tz)} ({tz}); all times in {tz}. "
                    f"Written by caselog {__version__}.")])
    ws.append([])
    for label, value, fmt in _summary_rows(log, an, as_of, tz, sla):
        if label == "#":
            ws.append([])
            ws.append([cell(value, font=bold)])
        else:
            ws.append([cell(label), cell(value, fmt=fmt)])

    by_team = _by_team(an.turns, sla)
    if by_team is not None and len(by_team):
        ws.append([])
        ws.append([cell("Response times by team (hours)", font=bold)])
        right = Alignment(horizontal="right")
        ws.append([cell("Team", font=bold)] + [
            cell(h, font=bold, align=right)
            for h in ("Turns", "Open", "Median", "90th pct", "Over SLA")
        ])
        for row in by_team.itertuples(index=False):
            ws.append([
                cell(row.team), cell(int(row.n), fmt="#,##0"), cell(int(row.n_open), fmt="#,##0"),
                cell(_num(row.median_hours), fmt="0.0"), cell(_num(row.p90_hours), fmt="0.0"),
                cell(_num(row.share_over_sla), fmt="0%"),
            ])

    ws.append([])
    ws.append([cell("Sheets", font=bold)])
    guide = {
        "Cases": "one row per case: readiness verdict (ready cases in green), reasons, next step",
        "Messages": "one row per message, with its template and reply class",
        "Response times": f"one row per turn; responses over {sla:g} h in red",
        "Templates": "the Amazon reply templates, most used first",
        "Escalations": "one row per escalation with its level, outcome and quality",
        "Briefs": "escalation briefs of the ready cases, most urgent first",
        "Rejects": "input rows that could not be used, with the reason",
    }
    for name, text in guide.items():
        if name in sheets_written:
            ws.append([cell(name), cell(f"{sheets_written[name]:,} rows: {text}")])

    lines = list(notes.lines)
    for where, k in notes.cut.items():
        lines.append(
            f"{where}: {k:,} cells longer than Excel's {EXCEL_MAX_CHARS:,} characters were cut "
            "(marked '… [cut by caselog …]')."
        )
    lines += [d for d in log.decisions]
    if lines:
        ws.append([])
        ws.append([cell("Notes", font=bold)])
        for line in lines:
            text, _ = excel_text(pd.Series([line]))
            parts = textwrap.wrap(text.iloc[0], 110, subsequent_indent="    ") or [""]
            for part in parts:
                ws.append([cell(part)])

    row = 1
    for title, png in images:
        img = Image(io.BytesIO(png))
        scale = min(1.0, 640 / max(img.width, 1))
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        ws.add_image(img, f"H{row}")
        row += int(img.height / 20) + 2
        del title


# ------------------------------------------------------------------------------------ main


def _messages_frame(log: CaseLog, an: _Analyses) -> pd.DataFrame:
    m = log.messages
    if an.templates is not None:
        tm = an.templates.messages[
            ["message_id", "template_id", "variant_id", "reply_class", "is_canned_repeat"]
        ]
        m = m.merge(tm, on="message_id", how="left", sort=False, validate="one_to_one")
    else:
        try:
            from .replyclass import classify_replies

            cls = classify_replies(m)
            m = m.assign(reply_class=cls.where(m["direction"] == "amazon", ""))
        except ImportError:  # pragma: no cover
            pass
    return m


def _cases_frame(log: CaseLog, an: _Analyses) -> pd.DataFrame:
    cases = log.cases
    if an.readiness is None:
        return cases.sort_values("case_id", kind="stable")
    ready = _ordered_readiness(an.readiness)
    extra = [c for c in ready.columns if c not in cases.columns or c == "case_id"]
    out = ready[extra].merge(
        cases, on="case_id", how="left", sort=False, suffixes=("", "_case")
    )
    for c in ("account", "category", "status"):
        if c in ready.columns:
            out[c] = ready[c].to_numpy()
    return out


def write_workbook(
    log: CaseLog,
    path: str | PathLike[str],
    *,
    as_of: Any = None,
    tz: str = "UTC",
    redact: bool = False,
    order_ids: bool = False,
    sla_hours: float = 48,
    charts: bool = True,
    max_briefs: int | None = 10,
    progress: Callable[[str], AbstractContextManager[Any]] | None = None,
) -> Path:
    """Write the Excel audit workbook of ``log`` to ``path``.

    Parameters
    ----------
    log : CaseLog
        The loaded case log (``messages``, ``cases``, ``rejects``).
    path : str or Path
        Where to write the ``.xlsx`` (parent folders must exist; an existing file is replaced).
    as_of : timestamp, optional
        "Now" for the analyses; default the newest ``sent_at``.  Naive values are UTC.
    tz : str
        IANA time zone every date is shown in (the zone is named in the headers, e.g.
        ``"Sent (Europe/Berlin)"``); default UTC.
    redact : bool
        Mask e-mails, phone numbers, street addresses and greeting names first
        (:func:`caselog.redact.redact`); the counts go to the Summary notes.
    order_ids : bool
        With ``redact``, also mask order IDs.
    sla_hours : float
        Response time highlighted as a breach (default 48).
    charts : bool
        Put the main charts on the Summary sheet (default True).
    max_briefs : int or None
        Briefs for at most this many ready cases, most urgent first (default 10; None = all).
    progress : callable, optional
        ``progress(stage_name)`` returning a context manager (the CLI's stage printer).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ConfigError
        ``tz`` is not a known time zone, ``sla_hours`` / ``max_briefs`` are negative, or the
        folder of ``path`` does not exist.
    OSError
        The file cannot be written (permissions, disk full).

    Examples
    --------
    >>> import caselog
    >>> from caselog.workbook import write_workbook
    >>> import tempfile, pathlib
    >>> log = caselog.load("data/sample/caselog_sample.xlsx")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "audit.xlsx"
    >>> write_workbook(log, out, tz="Europe/Berlin", charts=False).name
    'audit.xlsx'
    """
    check_tz(tz)
    if isinstance(sla_hours, bool) or not isinstance(sla_hours, int | float) or sla_hours < 0:
        raise ConfigError(f"sla_hours: expected a non-negative number, found {sla_hours!r}")
    if max_briefs is not None and max_briefs < 0:
        raise ConfigError(f"max_briefs: expected a non-negative number, found {max_briefs!r}")
    path = Path(path)
    if not path.parent.is_dir():
        raise ConfigError(f"cannot write {path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise ConfigError(f"cannot write {path}: it is a folder")
    notes = _Notes()
    if as_of is not None:
        as_of = pd.Timestamp(as_of)
        as_of = as_of.tz_localize("UTC") if as_of.tzinfo is None else as_of.tz_convert("UTC")
    if redact:
        from .redact import redact_with_report

        with _stage(progress, "redacting"):
            log, _report = redact_with_report(log, order_ids=order_ids)
    an = _analyse(log, as_of, float(sla_hours), max_briefs, notes, progress)
    as_of_shown = as_of if as_of is not None else log.as_of

    with _stage(progress, "writing"):
        images = _chart_images(an, float(sla_hours), notes) if charts else []
        wb = Workbook(write_only=True)
        wb.properties.creator = "caselog"
        wb.properties.title = "Seller case audit"
        summary = wb.create_sheet("Summary")
        writer = _SheetWriter(wb, tz, notes, path.parent)
        try:
            written: dict[str, int] = {}
            written["Cases"] = writer.write(
                "Cases", _cases_frame(log, an), _CASE_COLS, freeze="B2",
                rules=_case_rules(float(sla_hours)) if an.readiness is not None else None,
            )
            messages = _messages_frame(log, an)
            optional = {"template_id", "variant_id", "reply_class", "is_canned_repeat"}
            written["Messages"] = writer.write(
                "Messages", messages,
                _drop_empty(_MESSAGE_COLS, messages, optional, if_all_missing=False),
                freeze="C2", rules=_message_rules,
            )
            if an.turns is not None:
                written["Response times"] = writer.write(
                    "Response times", an.turns,
                    _drop_empty(_TURN_COLS, an.turns, {"business_hours"}),
                    freeze="B2", rules=_turn_rules(float(sla_hours)),
                )
            if an.templates is not None:
                written["Templates"] = writer.write(
                    "Templates", an.templates.catalogue, _TEMPLATE_COLS, freeze="B2"
                )
            if an.escalations is not None:
                written["Escalations"] = writer.write(
                    "Escalations", an.escalations, _ESCALATION_COLS, freeze="B2",
                    rules=_escalation_rules(float(sla_hours)),
                )
            if an.briefs is not None:
                written["Briefs"] = writer.write(
                    "Briefs", an.briefs, _BRIEF_COLS, freeze="B2", fit_width=True
                )
            written["Rejects"] = writer.write("Rejects", log.rejects, _REJECT_COLS)
            _write_summary(
                summary, log, an, as_of_shown, tz, float(sla_hours), notes, images, written
            )
            partial = path.with_name(f".{path.name}.partial")
            try:
                wb.save(partial)
                writer.splice(partial)
                os.replace(partial, path)  # no half-written workbook under the real name
            finally:
                partial.unlink(missing_ok=True)
        finally:
            writer.close()
    return path
