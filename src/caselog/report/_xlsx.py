"""A streaming xlsx writer: data frames as real Excel tables, text always stored as text.

openpyxl (write-only mode) writes each sheet's frame: column widths, frozen pane, page setup, the
styled header row, the table and conditional formats.  The data rows are streamed in chunks, so
memory stays flat for large logs.  Text is always stored as text: a cell starting with ``= + - @``,
a tab or a CR is written with Excel's quote prefix, never as a formula; text longer than Excel's
32,767 characters is cut with a visible marker; characters Excel cannot store are replaced.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

__all__ = [
    "EXCEL_MAX_CHARS",
    "EXCEL_MAX_ROWS",
    "excel_sheet_name",
    "excel_text",
    "excel_safe",
]

#: Excel's maximum number of characters in a cell.
EXCEL_MAX_CHARS = 32_767
#: Excel's maximum number of rows in a sheet (header included).
EXCEL_MAX_ROWS = 1_048_576

# what XML 1.0 (and so a sheet) cannot hold: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
_HOSTILE = r"^[=+\-@\t\r]"
# the same for RE2 on UTF-8 text, which holds no lone surrogates
_ILLEGAL_UTF8 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"
_ILLEGAL_OR_CR = r"[\x00-\x08\x0b-\x1f\x{fffe}\x{ffff}]"  # the same and CR (\x0d)
# a value that starts or ends with white space (what Python's str.strip() removes) keeps it only
# with xml:space="preserve"
_WS = (r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
       r"\x{202f}\x{205f}\x{3000}]")
_PRESERVE = f"^{_WS}|{_WS}$"
_CUT_KEEP = EXCEL_MAX_CHARS - 80  # room for the marker
_CHUNK = 20_000
# deflate level of the big sheet streams: level 3 takes half the time of the default 6 for a
# file about 17 % larger
_SHEET_LEVEL = 3
_TABLE_STYLE = "TableStyleMedium2"
_RED = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
_GREEN = PatternFill(start_color="C6EFCE", end_color="C6EFCE", fill_type="solid")
_AMBER = PatternFill(start_color="FFEB9C", end_color="FFEB9C", fill_type="solid")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill(start_color="4472C4", end_color="4472C4", fill_type="solid")


# ------------------------------------------------------------------------------------ helpers


def _arrow(s: pd.Series) -> pa.Array:
    """A text column as one Arrow ``large_string`` array."""
    arr = pa.array(s.astype("str"))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def _lit(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


_EMPTY = pa.scalar("", pa.large_string())


def _series(arr: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(
        pd.arrays.ArrowStringArray(pa.chunked_array([arr]),
                                   dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
        index=index,
    )


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

    Characters a sheet cannot store (control characters, lone surrogates, the non-characters
    U+FFFE and U+FFFF) become U+FFFD, ``\\r\\n`` and ``\\r`` become ``\\n``,
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
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        # Arrow strings are valid UTF-8 (no lone surrogates): RE2 does the work
        arr = _arrow(text.fillna(""))
        # one scan for both kinds of work (most text needs neither)
        if len(arr) and pc.any(pc.match_substring_regex(arr, _ILLEGAL_OR_CR)).as_py():
            if pc.any(pc.match_substring_regex(arr, _ILLEGAL_UTF8)).as_py():
                arr = pc.replace_substring_regex(arr, _ILLEGAL_UTF8, "\ufffd")
            if pc.any(pc.match_substring(arr, "\r")).as_py():
                arr = pc.replace_substring(pc.replace_substring(arr, "\r\n", "\n"), "\r",
                                           "\n")
        s = _series(arr, text.index)
    else:
        s = text.astype(object).where(text.notna(), "").astype(str)
        if len(s) == 0:
            return s, 0
        if s.str.contains(_ILLEGAL, regex=True).any():
            s = s.str.replace(_ILLEGAL, "\ufffd", regex=True)
        if s.str.contains("\r", regex=False).any():
            s = s.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    if len(s) == 0:
        return s, 0
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



def _page_setup(ws: Any, *, summary: bool, fit_width: bool = True, title_cols: str | None = "A:A",
                title_rows: bool = True) -> None:
    """Print setup: one page wide (any number of pages tall), A4; data sheets landscape with the
    header row (and ``title_cols``, the ID column) on every page; the Summary portrait."""
    ws.page_setup.orientation = "portrait" if summary else "landscape"
    ws.page_setup.paperSize = "9"  # A4
    if summary or fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.gridLines = not summary and title_rows
    ws.oddFooter.center.text = "&A – page &P of &N"
    if not summary and title_rows:
        ws.print_title_rows = "1:1"
    if not summary and title_cols:
        ws.print_title_cols = title_cols


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block (on again after it, if it was on):
    the reference counts still free every object that is not part of a cycle."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _stage(progress: Callable[[str], AbstractContextManager[Any]] | None, name: str):
    return progress(name) if progress is not None else nullcontext()



# ------------------------------------------------------------------------------------ sheets


class _SheetWriter:
    """Writes data sheets as Excel tables.

    openpyxl (write-only mode) writes the sheet frame: column widths, frozen pane, page setup,
    the styled header row, the table, conditional formats.  The data rows are turned into
    SpreadsheetML by vectorised string operations, one chunk at a time, deflated into a
    temporary file, and :meth:`splice` puts them into the saved workbook as they are (not
    compressed a second time): openpyxl's per-cell Python objects
    would cost ~15 µs a cell (minutes for a million messages).  Every text cell is an inline
    string (``t="inlineStr"``): nothing written here can be a formula.
    """

    def __init__(self, wb: Workbook, tz: str, notes: _Notes, folder: Path) -> None:
        self.wb = wb
        self.tz = tz
        self.notes = notes
        self.folder = folder
        self._styles: dict[tuple[str | None, bool, str], Any] = {}
        # (sheet index, rows file, dimension, CRC-32 and length of the rows' XML)
        self.pending: list[tuple[int, Path, str, int, int]] = []

    def close(self) -> None:
        for _i, rows, *_rest in self.pending:
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
        self, frame: pd.DataFrame, col: _Col, sheet: str, *, measure: bool = True,
        wrap_header: bool = False,
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
        room = max(map(len, header.split())) if wrap_header else len(header)
        width = max(width, room + 2)
        return values, min(width, col.max_width)

    @staticmethod
    def _text_cells(text: pd.Series, rownum: pa.Array, letter: str, sid: int,
                    quote_sid: int) -> pa.Array:
        """``<c r=.. t="inlineStr"><is><t>..</t></is></c>`` for non-empty text, else ""."""
        arr = _arrow(text).fill_null("")
        esc = _escaped(arr)
        style = pc.if_else(pc.match_substring_regex(arr, _HOSTILE), _lit(f' s="{quote_sid}"'),
                           _lit(f' s="{sid}"' if sid else ""))
        space = pc.if_else(pc.match_substring_regex(arr, _PRESERVE), _lit(' xml:space="preserve"'),
                           _EMPTY)
        cells = pc.binary_join_element_wise(
            _lit(f'<c r="{letter}'), rownum, _lit('"'), style,
            _lit(' t="inlineStr"><is><t'), space, _lit(">"), esc,
            _lit("</t></is></c>"), _EMPTY,
        )
        return pc.if_else(pc.equal(arr, _EMPTY), _EMPTY, cells)

    @staticmethod
    def _number_cells(num: pd.Series, rownum: pa.Array, letter: str, sid: int,
                      integer: bool) -> pa.Array:
        ok = num.notna().to_numpy()
        # Arrow's shortest round-trip form ("3", "0.1", "1e+20", "1e-7"): a valid xsd:double
        # that reads back as the same number (not one Python repr per cell)
        kind = "int64" if integer else "float64"
        digits = pc.cast(pa.array(num.fillna(0).astype(kind).to_numpy(dtype=kind)),
                         pa.large_string())
        style = f' s="{sid}"' if sid else ""
        cells = pc.binary_join_element_wise(
            _lit(f'<c r="{letter}'), rownum, _lit(f'"{style}><v>'), digits,
            _lit("</v></c>"), _EMPTY,
        )
        return pc.if_else(pa.array(ok), cells, _EMPTY)

    # ---- the sheet

    def write(
        self,
        title: str,
        frame: pd.DataFrame,
        cols: Sequence[_Col],
        *,
        freeze: str = "A2",
        rules: Callable[[Any, dict[str, str], int], None] | None = None,
        fit_width: bool = True,
        print_cols: int | None = None,
        wrap_header: bool = False,
    ) -> int:
        """Write ``frame`` as the table sheet ``title``; returns the number of data rows.

        ``wrap_header``: header texts wrap, so a column is as wide as its values (and its
        longest header word) instead of its header."""
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
        widths = [quiet.prepare(frame.iloc[:_CHUNK], c, sheet, wrap_header=wrap_header)[1]
                  for c in cols]
        letters = [get_column_letter(i) for i in range(1, len(cols) + 1)]
        for letter, width in zip(letters, widths, strict=True):
            ws.column_dimensions[letter].width = max(width, 6)
        ws.freeze_panes = freeze
        _page_setup(ws, summary=False, fit_width=fit_width)
        if print_cols:  # on paper only the first columns
            ws.print_area = f"A1:{get_column_letter(min(print_cols, len(cols)))}{max(n, 1) + 1}"
        head = []
        for h in headers:
            hc = WriteOnlyCell(ws, value=h)
            hc.font, hc.fill = _HEADER_FONT, _HEADER_FILL
            if wrap_header:
                hc.alignment = Alignment(wrap_text=True, vertical="top")
            head.append(hc)
        if wrap_header:  # room for the longest header's lines
            lines = max(-(-len(h) // max(int(w) - 1, 1)) for h, w in zip(headers, widths,
                                                                         strict=True))
            ws.row_dimensions[1].height = 15 * min(max(lines, 1), 4)
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
            align = "wrap" if c.wrap else "top"  # a row reads from its top line
            fmt = _FORMATS.get(c.kind)
            sids.append(self.style_id(ws, fmt, align=align) if (fmt or align) else 0)
            quote_sids.append(self.style_id(ws, None, quote=True, align=align))
        # the rows' XML goes to the file deflated (raw, ended by a sync flush: a part of the
        # sheet's deflate stream, see _write_entry), with its CRC-32 and length
        handle = tempfile.NamedTemporaryFile(
            "wb", suffix=".deflate", prefix=".caselog-", dir=self.folder,
            delete=False,
        )
        rows_path = Path(handle.name)
        sink = _DeflatedRows(handle)
        # a second thread deflates one chunk while this one makes the next (zlib and Arrow let
        # go of the GIL); the chunks are written in order
        with handle, ThreadPoolExecutor(1) as pool:
            done: Future[None] | None = None
            for start in range(0, n, _CHUNK):
                stop = min(start + _CHUNK, n)
                part = frame.iloc[start:stop].reset_index(drop=True)
                rownum = pa.array(np.arange(start + 2, stop + 2)).cast(pa.large_string())
                cells = []
                heights = None
                for c, width, letter, sid, qsid in zip(
                    cols, widths, letters, sids, quote_sids, strict=True
                ):
                    values, _w = self.prepare(part, c, sheet, measure=False)
                    if c.kind in ("text", "bool"):
                        cells.append(self._text_cells(values, rownum, letter, sid, qsid))
                    else:
                        integer = c.kind in ("int", "score")
                        cells.append(self._number_cells(values, rownum, letter, sid, integer))
                    if c.wrap:  # the row grows with the wrapped lines (Excel's max 409 pt)
                        h = np.minimum(_wrapped_lines(values, max(width - 2, 10)) * 15, 409)
                        heights = h if heights is None else np.maximum(heights, h)
                if heights is None:
                    head = pc.binary_join_element_wise(_lit('<row r="'), rownum,
                                                       _lit('">'), _EMPTY)
                else:
                    ht = pa.array(heights.astype(np.int64)).cast(pa.large_string())
                    head = pc.binary_join_element_wise(
                        _lit('<row r="'), rownum, _lit('" ht="'), ht,
                        _lit('" customHeight="1">'), _EMPTY)
                rows = pc.binary_join_element_wise(head, *cells, _lit("</row>"), _EMPTY)
                if done is not None:
                    done.result()
                done = pool.submit(sink.add, _joined_bytes(rows))
            if done is not None:
                done.result()
            sink.finish()
        self.pending.append((index, rows_path, f"A1:{letters[-1]}{n + 1}", sink.crc, sink.size))

    def splice(self, path: Path) -> None:
        """Put the pending data rows into the saved workbook at ``path`` (rewritten in place)."""
        if not self.pending:
            return
        with zipfile.ZipFile(path) as z:
            parts = _sheet_parts(z)
        targets = {parts[i]: rest for i, *rest in self.pending}
        spliced = _private_temp(path.parent, ".xlsx")
        try:
            with zipfile.ZipFile(path) as src, zipfile.ZipFile(
                spliced, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
            ) as dst:
                for info in src.infolist():
                    if info.filename not in targets:
                        dst.writestr(info, src.read(info.filename))
                        continue
                    rows, dim, crc, size = targets[info.filename]
                    xml = src.read(info.filename).decode("utf-8")
                    cut = xml.index("</sheetData>")
                    head = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dim}"/>',
                                  xml[:cut], count=1)
                    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    with rows.open("rb") as f:
                        _write_entry(dst, entry, head.encode("utf-8"), f, crc, size,
                                     xml[cut:].encode("utf-8"))
            os.replace(spliced, path)
        finally:
            spliced.unlink(missing_ok=True)
            self.close()


class _DeflatedRows:
    """Rows' XML written to ``handle`` as raw deflate data ended by a sync flush, with the
    CRC-32 and length of the text."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.deflate = zlib.compressobj(_SHEET_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        self.crc = 0
        self.size = 0

    def add(self, xml: memoryview) -> None:
        self.crc = zlib.crc32(xml, self.crc)
        self.size += len(xml)
        self.handle.write(self.deflate.compress(xml))

    def finish(self) -> None:
        self.handle.write(self.deflate.flush(zlib.Z_SYNC_FLUSH))


_RAW_WRITE = ("_compressor", "_compress_size", "_file_size", "_crc", "_fileobj")


def _write_entry(dst: zipfile.ZipFile, entry: zipfile.ZipInfo, head: bytes, rows: Any,
                 crc: int, size: int, tail: bytes) -> None:
    """Write the zip member ``entry``: ``head``, the rows and ``tail``, deflated at
    :data:`_SHEET_LEVEL`.  ``rows`` is a file of raw deflate data ended by a sync flush (not a
    final block), whose uncompressed text has CRC-32 ``crc`` and ``size`` bytes.

    A deflate stream may be made of independently compressed parts, each but the last ended
    by a sync flush: the head (sync-flushed), the rows as they are (not compressed again) and
    the tail (finished) are one valid stream.  zipfile has no public way to write compressed
    bytes, so the member's writer gets them with its counters set to match; where its
    internals differ (another Python), the rows are inflated and written through it.
    """
    def deflate() -> Any:
        return zlib.compressobj(_SHEET_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)

    with dst.open(entry, "w", force_zip64=True) as out:
        if not all(hasattr(out, name) for name in _RAW_WRITE):
            out.write(head)
            inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            while block := rows.read(1 << 20):
                out.write(inflate.decompress(block))
            out.write(inflate.flush())
            out.write(tail)
            return
        out._compressor = head_part = deflate()
        out.write(head)
        flushed = head_part.flush(zlib.Z_SYNC_FLUSH)
        out._fileobj.write(flushed)
        out._compress_size += len(flushed)
        while block := rows.read(1 << 20):
            out._fileobj.write(block)
            out._compress_size += len(block)
        out._crc = _crc32_combine(out._crc, crc, size)
        out._file_size += size
        out._compressor = deflate()  # the tail: finished when the member closes
        out.write(tail)


# CRC-32 of two texts one after the other from the CRC-32 of each (zlib's crc32_combine:
# multiplication modulo the CRC polynomial, reflected)
_CRC_POLY = 0xEDB88320


def _crc_mult(a: int, b: int) -> int:
    """``a * b`` modulo the CRC-32 polynomial (bit-reflected)."""
    m, p = 1 << 31, 0
    while a:
        if a & m:
            p ^= b
            a ^= m
        m >>= 1
        b = (b >> 1) ^ _CRC_POLY if b & 1 else b >> 1
    return p


def _crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of ``A + B`` from ``crc1`` = CRC-32 of A, ``crc2`` = of B, and ``len2`` = len(B)."""
    power, x = 1 << 31, 1 << 23  # x^0; x^(8 * 2^0): one byte of zeros
    n = len2
    while n:
        if n & 1:
            power = _crc_mult(x, power)
        x = _crc_mult(x, x)
        n >>= 1
    return _crc_mult(power, crc1) ^ crc2


class _StampedZip(zipfile.ZipFile):
    """A zip archive whose members all carry one given time (not the clock's or a file's)."""

    def __init__(self, path: Path, when: tuple[int, int, int, int, int, int]):
        super().__init__(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.when = when

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.when)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        name = str(arcname if arcname is not None else filename)
        with open(filename, "rb") as f, self.open(self._info(name), "w", force_zip64=True) as out:
            shutil.copyfileobj(f, out, 1 << 20)


def save_stamped(wb: Workbook, path: Path, when: pd.Timestamp) -> None:
    """Save ``wb`` at ``path`` with ``when`` (UTC) as its creation and change time and as the
    time of every part: the same workbook from the same data, whatever the clock says."""
    from openpyxl.writer.excel import ExcelWriter

    when = pd.Timestamp(when)
    when = (when.tz_convert("UTC") if when.tzinfo else when).tz_localize(None).floor("s")
    when = max(when, pd.Timestamp("1980-01-01"))  # the oldest time a zip member can carry
    wb.properties.created = wb.properties.modified = when.to_pydatetime()
    with _StampedZip(path, (when.year, when.month, when.day, when.hour, when.minute,
                            when.second)) as archive:
        ExcelWriter(wb, archive).save()


def _wrapped_lines(values: pd.Series, per_line: int) -> np.ndarray:
    """Lines each text takes in a column ``per_line`` characters wide: each of its lines
    counts ``ceil(len / per_line)``, at least 1."""
    arr = _arrow(values).fill_null("")
    parts = pc.split_pattern(arr, "\n")
    lengths = np.asarray(pc.utf8_length(pc.list_flatten(parts)), dtype=np.int64)
    each = np.maximum(1, -(-lengths // per_line))
    owner = np.asarray(pc.list_parent_indices(parts), dtype=np.int64)
    return np.bincount(owner, weights=each, minlength=len(arr)).astype(np.int64)


def _joined_bytes(arr: pa.Array) -> memoryview:
    """All strings of ``arr`` (no nulls) one after the other, as UTF-8: a view of its value
    buffer (no copy)."""
    arr = arr.cast(pa.large_string())
    if not len(arr):
        return memoryview(b"")
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    return memoryview(arr.buffers()[2])[int(offsets[0]):int(offsets[-1])]


def _escaped(arr: pa.Array) -> pa.Array:
    """Text with XML's ``& < >`` as entities, replaced in the values that hold one only (one
    scan for the three characters; most text holds none)."""
    mask = pc.match_substring_regex(arr, "[&<>]")
    if not pc.any(mask).as_py():
        return arr
    sub = pc.filter(arr, mask)
    for ch, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        sub = pc.replace_substring(sub, ch, entity)
    return pc.replace_with_mask(arr, mask, sub)


def _private_temp(folder: Path, suffix: str) -> Path:
    """A new empty file in ``folder`` with a random name, created exclusively (``O_EXCL``: an
    existing file or symlink of that name is never opened or followed)."""
    fd, name = tempfile.mkstemp(prefix=".caselog-", suffix=suffix, dir=folder)
    os.close(fd)
    return Path(name)


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


