"""Reading Excel workbooks (.xlsx, .xlsm) into raw tables: which sheets hold messages and cases."""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import (
    FileFormatError,
    SchemaError,
)
from ._aliases import normalise_key
from ._files import _CASE_SHEETS, _MESSAGE_SHEETS, _dedupe_names, _Table

_BAD_DATE_CELL = re.compile(
    r"Cell ([A-Z]+)([0-9]+) is marked as a date but the serial value (\S+) is outside the limits"
)


def _read_book(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as an object frame.  A cell formatted as a date whose serial is past Excel's
    last date is given back as its number (openpyxl would warn and make it empty, so the row
    would read as "date is empty"); the date parser then rejects it saying why."""
    book: dict[str, pd.DataFrame] = {}
    with pd.ExcelFile(path, engine="openpyxl") as xl:
        for name in xl.sheet_names:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                frame = xl.parse(name, dtype=object)
            for w in caught:
                m = _BAD_DATE_CELL.search(str(w.message))
                if not m:
                    continue
                col = 0
                for ch in m.group(1):
                    col = col * 26 + ord(ch) - 64
                row = int(m.group(2)) - 2  # row 1 is the header
                if 0 <= row < len(frame) and col <= frame.shape[1]:
                    frame.iat[row, col - 1] = pd.to_numeric(m.group(3), errors="coerce")
            book[str(name)] = frame
    return book


def _read_excel(
    path: Path, sheets: object
) -> tuple[list[_Table], list[_Table], list[str], bool]:
    """``(message tables, case tables, notes, guessed)``; ``guessed`` is True when several
    sheets were taken for messages without ``sheets=`` naming them (so a sheet that is not a
    case history, such as a notes sheet, is skipped rather than fatal)."""
    file = path.name
    try:
        book = _read_book(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(
            f"is not a readable Excel workbook ({type(exc).__name__}: {exc}); "
            "open it in Excel and save as .xlsx",
            file=file,
        ) from None
    except Exception as exc:  # openpyxl raises its own types for damaged files
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


