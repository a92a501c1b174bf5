"""Reading Excel workbooks (.xlsx, .xlsm) into raw tables: which sheets hold messages and cases."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype
from pandas.io.parsers import TextParser

from ..errors import (
    FileFormatError,
    SchemaError,
)
from ._aliases import normalise_key
from ._files import _CASE_SHEETS, _MESSAGE_SHEETS, _dedupe_names, _Table
from ._limits import ReadLimits, check_workbook


def _read_sheets(path: Path) -> dict[str, pd.DataFrame]:
    """Every worksheet of ``path`` as a frame of object columns, in workbook order.

    The same frames as ``pandas.read_excel(path, sheet_name=None, dtype=object,
    engine="calamine", keep_default_na=False)``, built from calamine's cells column by column:
    the first row names the columns (blank names become ``Unnamed: i``, repeats get ``.1``), every
    later row is a row (blank rows too), empty cells are ``""``, whole floats are ``int``, dates are
    ``datetime``, text such as ``NA`` stays text.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> d = Path(tempfile.mkdtemp())
    >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Messages"
    >>> ws["A1"], ws["B1"], ws["A3"], ws["B3"], ws["C3"] = "Case", "Case", 1.0, "NA", 2.5
    >>> wb.save(d / "b.xlsx")
    >>> f = _read_sheets(d / "b.xlsx")["Messages"]
    >>> list(f.columns), f.values.tolist()
    (['Case', 'Case.1', 'Unnamed: 2'], [['', '', ''], [1, 'NA', 2.5]])
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        names = [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        return {n: _frame(workbook.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in names}
    finally:
        close = getattr(workbook, "close", None)
        if close is not None:
            close()


def _cell(value: object) -> object:
    """A calamine cell as pandas' calamine reader gives it: whole floats as int, dates as datetime."""
    if type(value) is float:
        return int(value) if value.is_integer() else value
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    return value


def _column(values: Sequence[object]) -> np.ndarray:
    """One column's cells as an object array, as pandas' calamine reader gives them (see
    :func:`_cell`); a column of texts only is kept as it is (an object array is returned itself)."""
    if isinstance(values, np.ndarray) and len(values) and infer_dtype(values, skipna=False) == "string":
        return values
    kinds = set(map(type, values))
    if float in kinds or date in kinds:
        values = tuple(map(_cell, values))
    # one object per distinct text or whole number, as pandas' parser gives: later steps hash and
    # compare these values, and a repeated object keeps its hash and its cache lines
    seen: dict[object, object] = {}
    out = np.empty(len(values), dtype=object)
    out[:] = [seen.setdefault(v, v) if type(v) is str or type(v) is int else v for v in values]
    return out


def _grid(body: list[list[object]], width: int) -> np.ndarray | None:
    """The cells below the header as a ``(width, rows)`` object array (one column a row), or
    None unless every row is ``width`` cells long (the caller then goes cell by cell).

    Several times cheaper than ``zip(*body)``, which makes each column's tuple one cell at a time.
    """
    if not body or set(map(len, body)) != {width}:
        return None
    try:
        grid = np.array(body, dtype=object)
    except ValueError:  # a cell that numpy took for a sequence
        return None
    if grid.shape != (len(body), width):
        return None
    return grid.T.copy()


def _frame(rows: list[list[object]]) -> pd.DataFrame:
    """One sheet's cells (first row the header) as a frame of object columns."""
    if not rows:
        return pd.DataFrame()
    # the header goes through pandas' own parser: blank names, repeats and a leading BOM as before
    header = TextParser(
        [[_cell(v) for v in rows[0]]], header=0, dtype=object, keep_default_na=False,
        skip_blank_lines=False,
    ).read()
    width = header.shape[1]
    grid = _grid(rows[1:], width)
    columns: Iterable[Sequence[object]]
    if grid is not None:
        columns = list(grid)
    else:
        columns = zip(*rows[1:], strict=True) if len(rows) > 1 else [()] * width
    frame = pd.DataFrame(
        {i: _column(col) for i, col in enumerate(columns)}, index=pd.RangeIndex(len(rows) - 1),
        columns=range(width), dtype=object, copy=False,
    )
    frame.columns = header.columns
    return frame


def _read_excel(
    path: Path, sheets: object, limits: ReadLimits | None = None
) -> tuple[list[_Table], list[_Table], list[str], bool]:
    """``(message tables, case tables, notes, guessed)``; ``guessed`` is True when several
    sheets were taken for messages without ``sheets=`` naming them (so a sheet that is not a
    case history, such as a notes sheet, is skipped rather than fatal).

    The zip is checked against ``limits`` first (:func:`check_workbook`); cells are read with
    calamine (:func:`_read_sheets`), and text such as ``NA`` or ``N/A`` stays text (as in CSV)."""
    file = path.name
    check_workbook(path, limits or ReadLimits())
    try:
        book = _read_sheets(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(
            f"is not a readable Excel workbook ({type(exc).__name__}: {exc}); "
            "open it in Excel and save as .xlsx",
            file=file,
        ) from None
    except Exception as exc:  # calamine raises its own types for damaged files
        raise FileFormatError(
            f"is not a readable Excel workbook ({type(exc).__name__}: {exc})", file=file
        ) from None
    names = list(book)
    by_key = {normalise_key(n): n for n in names}
    msg_names: list[str]
    case_names: list[str]
    if sheets is not None:
        if isinstance(sheets, Mapping):
            msg_req = sheets.get("messages", [])
            case_req = sheets.get("cases", [])
        else:
            msg_req, case_req = sheets, []
        msg_req = [msg_req] if isinstance(msg_req, str) else list(msg_req)
        case_req = [case_req] if isinstance(case_req, str) else list(case_req)
        for want in msg_req + case_req:
            if want not in book and normalise_key(want) not in by_key:
                raise SchemaError(
                    f"has no sheet {want!r}; sheets found: {names}", file=file, found=names
                )
        msg_names = [want if want in book else by_key[normalise_key(want)] for want in msg_req]
        case_names = [want if want in book else by_key[normalise_key(want)] for want in case_req]
        if not case_req:
            case_names = [n for n in names if normalise_key(n) in _CASE_SHEETS and n not in msg_names]
    else:
        msg_names = [n for n in names if normalise_key(n) in _MESSAGE_SHEETS]
        case_names = [n for n in names if normalise_key(n) in _CASE_SHEETS]
        if not msg_names:
            msg_names = [n for n in names if n not in case_names]
    notes = []
    guessed = sheets is None and len(msg_names) > 1
    if guessed:
        filled = [n for n in msg_names if book[n].shape[1] and len(book[n])]
        if filled and len(filled) < len(msg_names):
            notes.append(f"{file}: empty sheet(s) {[n for n in msg_names if n not in filled]} skipped")
            msg_names = filled
            guessed = len(msg_names) > 1
    if len(names) > 1:
        notes.append(
            f"{file}: messages from sheet(s) {msg_names}"
            + (f", cases from {case_names}" if case_names else "")
        )

    def table(name: str) -> _Table:
        frame = book[name]
        frame.columns = _dedupe_names([str(c) for c in frame.columns])
        return _Table(frame, file, name, np.arange(len(frame)) + 2)

    return [table(n) for n in msg_names], [table(n) for n in case_names], notes, guessed


