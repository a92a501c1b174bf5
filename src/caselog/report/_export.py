"""CSV and JSON exports: one writer for every face (CLI, widgets), formula-safe for every byte.

A spreadsheet program runs a cell that starts with ``= + - @`` (or a tab or CR that it strips
first) as a formula.  A line break inside a field can start a new row in a reader that does not
honour quotes.  So every text field is quoted, CR and CR LF inside a text become LF, and a
``'`` is put before any hostile character that starts the text or a line inside it.  Timestamps
are ISO 8601 with the offset of the display zone (``2026-03-14T14:05:00+00:00``).
"""

from __future__ import annotations

import csv
import io
import json
from os import PathLike
from pathlib import Path

import pandas as pd

__all__ = ["csv_safe", "write_frame_csv", "frame_json", "iso_times"]

_HOSTILE_START = r"^([=+\-@\t])"
_HOSTILE_LINE = r"\n([=+\-@\t])"


def csv_safe(text: pd.Series) -> pd.Series:
    """Text made safe for a CSV cell: CR/CR LF -> LF, ``'`` before a hostile first character
    of the text or of any line in it.

    Examples
    --------
    >>> import pandas as pd
    >>> csv_safe(pd.Series(["=1+1", "Acme\\r@SUM(1)", "plain", "-5 units"])).tolist()
    ["'=1+1", "Acme\\n'@SUM(1)", 'plain', "'-5 units"]
    """
    s = text.astype("str")
    s = s.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    s = s.str.replace(_HOSTILE_START, r"'\1", regex=True)
    return s.str.replace(_HOSTILE_LINE, "\n'\\1", regex=True)


def iso_times(s: pd.Series, tz: str) -> pd.Series:
    """tz-aware datetimes -> ISO 8601 text in ``tz`` with its offset (None for NaT)."""
    local = s.dt.tz_convert(tz)
    text = local.dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(
        r"([+-]\d\d)(\d\d)$", r"\1:\2", regex=True
    )
    return text.where(s.notna(), None)


def _for_export(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    out = frame.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = iso_times(out[c], tz)
    return out


def write_frame_csv(
    frame: pd.DataFrame, path: str | PathLike[str] | None = None, *, tz: str = "UTC"
) -> str | Path:
    """Write ``frame`` as formula-safe CSV (UTF-8, LF line ends, every text field quoted).

    Parameters
    ----------
    frame : pandas.DataFrame
    path : path, optional
        Where to write; None returns the CSV text instead.
    tz : str
        Time zone of the timestamps.

    Returns
    -------
    str or pathlib.Path
        The CSV text, or the path written.

    Examples
    --------
    >>> import pandas as pd
    >>> print(write_frame_csv(pd.DataFrame({"account": ["=HYPERLINK(1)"], "n": [2]})), end="")
    account,n
    "'=HYPERLINK(1)",2
    """
    out = _for_export(frame, tz)
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            out[c] = csv_safe(s.where(s.notna(), "")).where(s.notna(), None)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(
        csv_safe(pd.Series([str(c) for c in out.columns], dtype="str")).tolist()
    )
    out.to_csv(buf, index=False, header=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    text = buf.getvalue()
    if path is None:
        return text
    p = Path(path)
    p.write_text(text, encoding="utf-8", newline="")
    return p


def frame_json(frame: pd.DataFrame, *, tz: str = "UTC") -> str:
    """``frame`` as a JSON array of records (exact text; timestamps ISO 8601 in ``tz``)."""
    records = json.loads(_for_export(frame, tz).to_json(orient="records", force_ascii=False))
    return json.dumps(records, indent=2, ensure_ascii=False)
