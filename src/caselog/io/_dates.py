"""Timestamp parsing for export columns.

One column may hold ISO 8601 text (with or without an offset), US (``03/14/2026 2:05 PM``) or
day-first (``14.03.2026 14:05``) text, Excel serial numbers, or real spreadsheet datetimes.
Everything is parsed with whole-column (vectorised) pandas calls; the day/month order of a
column is decided once, from the values that can only be read one way, and reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
from dateutil.parser import parse as dateutil_parse

from ..errors import ConfigError, ParseError

__all__ = ["ParsedTimes", "parse_timestamps", "check_tz", "to_utc_timestamp"]

_ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_NUMERIC = r"^\d+(?:\.\d+)?$"
_SLASHED = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T,]+(.*))?$"
_DATE_ONLY = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$"
#: times accepted after a slashed date (tried in this order)
_TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %I %p")
#: Excel's day zero (serial 1 = 1900-01-01, with Lotus' leap-year bug absorbed)
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: the largest serial a nanosecond Timedelta holds (2192-04-07); larger ones are unreadable, not an error
_EXCEL_MAX = 106_750
#: two different fill-ins for the parts a written-out date leaves out (see _parse_words)
_DEFAULT_A, _DEFAULT_B = datetime(2000, 1, 1), datetime(2001, 2, 2)
_UTC = "datetime64[ns, UTC]"


@dataclass(frozen=True)
class ParsedTimes:
    """The result of :func:`parse_timestamps`.

    Attributes
    ----------
    values : pandas.Series
        ``datetime64[ns, UTC]``, NaT where a value was empty or unreadable.
    bad : pandas.Series
        Boolean, True where a non-empty value could not be read.
    decision : str
        How the column was read, in plain words ("" when nothing needed deciding).
    """

    values: pd.Series
    bad: pd.Series
    decision: str


def check_tz(tz: str) -> ZoneInfo:
    """Return the :class:`~zoneinfo.ZoneInfo` for ``tz`` or raise :class:`ConfigError`."""
    try:
        return ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"time zone {tz!r} is not known; use an IANA name such as 'UTC' or 'America/New_York'"
        ) from exc


def to_utc_timestamp(value: object, name: str = "as_of") -> pd.Timestamp:
    """One moment as a UTC :class:`pandas.Timestamp`; naive values are read as UTC.

    Raises :class:`ConfigError` naming ``name`` when ``value`` is not a moment.

    Examples
    --------
    >>> to_utc_timestamp("2026-03-31T14:00+02:00")
    Timestamp('2026-03-31 12:00:00+0000', tz='UTC')
    """
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: expected a timestamp, found {value!r}") from exc
    if pd.isna(stamp):
        raise ConfigError(f"{name}: expected a timestamp, found {value!r}")
    return stamp.tz_localize("UTC") if stamp.tz is None else stamp.tz_convert("UTC")


def _localise(naive: pd.Series, tz: str) -> pd.Series:
    """Naive wall-clock times in ``tz`` -> UTC (ambiguous/nonexistent DST times shifted)."""
    naive = naive.astype("datetime64[ns]")
    if tz == "UTC":
        return naive.dt.tz_localize("UTC")
    local = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    # the repeated hour at the end of DST: read it as the first (summer-time) occurrence
    again = local.isna() & naive.notna()
    if again.any():
        local[again] = naive[again].dt.tz_localize(tz, ambiguous=np.ones(again.sum(), dtype=bool))
    return local.dt.tz_convert("UTC")


def _excel_serial(numbers: pd.Series, tz: str) -> pd.Series:
    ok = numbers.between(1, _EXCEL_MAX)  # 1900-01-01 .. 2192-04-07
    out = _EXCEL_EPOCH + pd.to_timedelta(numbers.where(ok).astype("float64").round(6), unit="D")
    return _localise(out.dt.round("s"), tz)


def _decide_dayfirst(
    first: pd.Series, second: pd.Series, seps: pd.Series, dayfirst: bool | None
) -> tuple[bool, str]:
    """Decide the day/month order of a column from the values that settle it."""
    a = pd.to_numeric(first, errors="coerce")
    b = pd.to_numeric(second, errors="coerce")
    day_first_votes = int(((a > 12) & (b <= 12)).sum())
    month_first_votes = int(((b > 12) & (a <= 12)).sum())
    if dayfirst is not None:
        return dayfirst, "day-first as asked" if dayfirst else "month-first as asked"
    if day_first_votes and month_first_votes:
        return (
            day_first_votes >= month_first_votes,
            f"mixed: {day_first_votes} values are only valid day-first, "
            f"{month_first_votes} only month-first; read as "
            + ("day-first" if day_first_votes >= month_first_votes else "month-first")
            + " and the others rejected",
        )
    if day_first_votes:
        return True, f"day-first (DD/MM): {day_first_votes} dates have a day above 12"
    if month_first_votes:
        return False, f"month-first (MM/DD): {month_first_votes} dates have a day above 12"
    if (seps == ".").any():
        return True, "day-first (DD.MM): no value settles it; dotted dates are read day-first"
    return False, (
        "month-first (MM/DD) assumed: no value settles the order; pass dayfirst=True if the "
        "column is day-first"
    )


def _parse_slashed(text: pd.Series, dayfirst: bool | None) -> tuple[pd.Series, str]:
    """Parse ``D/M/Y [time]`` or ``M/D/Y [time]`` strings with explicit formats.

    The date and the clock parts are split off with one regex pass each, and only their
    *unique* values are parsed (a year of minute-stamped messages has a few hundred dates),
    so a million rows take well under a second.
    """
    date_part = text.str.replace(r"[ T,].*$", "", regex=True)
    clock_part = text.str.replace(r"^[^ T,]+[ T,]*", "", regex=True)
    date_codes, date_uniques = pd.factorize(date_part)
    parts = pd.Series(date_uniques, dtype=object).str.extract(_DATE_ONLY)
    seps = pd.Series(date_uniques, dtype=object).str.extract(r"^\d{1,2}([/.\-])")[0]
    first_day, why = _decide_dayfirst(parts[0], parts[1], seps, dayfirst)
    year = parts[2].where(parts[2].str.len() == 4, "20" + parts[2])
    day, month = (parts[0], parts[1]) if first_day else (parts[1], parts[0])
    days = pd.to_datetime(
        year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2), format="%Y-%m-%d", errors="coerce"
    )
    clock_codes, clock_uniques = pd.factorize(clock_part)
    clocks = (
        pd.Series(clock_uniques, dtype=object).str.strip().str.upper().str.replace(".", "", regex=False)
    )
    offsets = pd.Series(pd.NaT, index=clocks.index, dtype="timedelta64[ns]")
    offsets[clocks.eq("")] = pd.Timedelta(0)
    for fmt in _TIME_FORMATS[1:]:
        todo = offsets.isna()
        if not todo.any():
            break
        parsed = pd.to_datetime("2000-01-01 " + clocks[todo], format="%Y-%m-%d " + fmt.strip(), errors="coerce")
        offsets[todo] = parsed - pd.Timestamp("2000-01-01")
    day_values = days.to_numpy(dtype="datetime64[ns]")[date_codes]
    clock_values = offsets.to_numpy(dtype="timedelta64[ns]")[clock_codes]
    out = pd.Series(day_values + clock_values, index=text.index)
    return out, why


def _parse_words(rest: pd.Series, tz: str, dayfirst: bool) -> pd.Series:
    """dateutil parsing of the unique leftover strings, mapped back to the rows.

    Each value is parsed against two different default dates: a value that leaves the year,
    month or day out ("10:00", "March 3") reads differently and is unreadable, rather than
    completed from today's date (results never depend on the wall clock).
    """
    codes, uniques = pd.factorize(rest)
    out = pd.Series(pd.NaT, index=range(len(uniques)), dtype=_UTC)
    for i, value in enumerate(uniques):
        try:
            parsed = dateutil_parse(value, dayfirst=dayfirst, default=_DEFAULT_A)
            if parsed != dateutil_parse(value, dayfirst=dayfirst, default=_DEFAULT_B):
                continue
            ts = pd.Timestamp(parsed)
        except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
            continue
        if not (pd.Timestamp.min.year < ts.year < pd.Timestamp.max.year):
            continue
        if ts.tzinfo is None:
            try:
                ts = ts.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
            except (ValueError, TypeError):
                continue
        out.iat[i] = ts.tz_convert("UTC")
    return pd.Series(out.to_numpy()[codes], index=rest.index, dtype=_UTC)


def _classify_cells(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Object columns (spreadsheets): which cells are datetimes, which are numbers."""
    obj = raw.astype(object)
    is_dt = obj.map(lambda v: isinstance(v, (datetime, pd.Timestamp)), na_action="ignore")
    is_num = obj.map(
        lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool),
        na_action="ignore",
    )
    return obj, is_dt.fillna(False).astype(bool), is_num.fillna(False).astype(bool)


def parse_timestamps(
    raw: pd.Series,
    *,
    tz: str = "UTC",
    dayfirst: bool | None = None,
    column: str = "",
    file: str | None = None,
) -> ParsedTimes:
    """Parse one export column into UTC timestamps.

    Parameters
    ----------
    raw : pandas.Series
        Strings, numbers (Excel serials), ``datetime`` objects or a mix.
    tz : str
        IANA zone that naive values are in (values with an offset keep theirs).
    dayfirst : bool, optional
        Force the day/month order of slashed dates; by default it is decided from the data.
    column, file : str
        Used in the decision text and in errors.

    Returns
    -------
    ParsedTimes

    Examples
    --------
    >>> p = parse_timestamps(pd.Series(["03/14/2026 2:05 PM", "04/01/2026 09:00"]))
    >>> p.values.dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2026-03-14 14:05', '2026-04-01 09:00']
    """
    check_tz(tz)
    index = raw.index
    out = pd.Series(pd.NaT, index=index, dtype=_UTC)
    notes: list[str] = []

    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        vals = raw
        vals = vals.dt.tz_convert("UTC") if vals.dt.tz is not None else _localise(vals, tz)
        return ParsedTimes(vals.astype(_UTC), pd.Series(False, index=index), "")
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        vals = _excel_serial(raw.astype("float64"), tz)
        bad = raw.notna() & vals.isna()
        return ParsedTimes(vals.astype(_UTC), bad, f"{column}: Excel serial day numbers")

    if pd.api.types.is_string_dtype(raw.dtype) and raw.dtype != object:
        obj = raw
        is_dt = is_num = pd.Series(False, index=index)
    else:
        obj, is_dt, is_num = _classify_cells(raw)
    if is_dt.any():
        dts = pd.to_datetime(obj[is_dt], errors="coerce", utc=False, format="mixed")
        if getattr(dts.dt, "tz", None) is not None:
            out[is_dt] = dts.dt.tz_convert("UTC")
        else:
            out[is_dt] = _localise(dts, tz)
        notes.append("spreadsheet date cells")
    if is_num.any():
        out[is_num] = _excel_serial(pd.to_numeric(obj[is_num], errors="coerce"), tz)
        notes.append("Excel serial numbers")

    text = obj[~is_dt & ~is_num & obj.notna()].astype(str).str.strip()
    text = text[text != ""]
    done = pd.Series(False, index=text.index)
    if len(text):
        numeric = text.str.fullmatch(_NUMERIC)
        if numeric.any():
            out[numeric[numeric].index] = _excel_serial(pd.to_numeric(text[numeric]), tz)
            done |= numeric
            notes.append("Excel serial numbers in text")
        iso = ~done & text.str.match(_ISO)
        if iso.any():
            t = text[iso]
            has_off = t.str.contains(_OFFSET)
            if has_off.any():
                out[has_off[has_off].index] = pd.to_datetime(
                    t[has_off], format="ISO8601", errors="coerce", utc=True
                )
            naive = t[~has_off]
            if len(naive):
                out[naive.index] = _localise(
                    pd.to_datetime(naive, format="ISO8601", errors="coerce"), tz
                )
            done |= iso
            notes.append("ISO 8601" + (" with UTC offsets" if has_off.all() else ""))
        slashed = ~done & text.str.match(_SLASHED)
        if slashed.any():
            t = text[slashed]
            values, why = _parse_slashed(t, dayfirst)
            out[t.index] = _localise(values, tz)
            done |= slashed
            notes.append(why)
        rest = text[~done]
        if len(rest):  # words ("March 3, 2026 10:00", "3 Mar 2026"): dateutil on the leftovers
            parsed = _parse_words(rest, tz, bool(dayfirst))
            if parsed.notna().any():
                notes.append("written-out dates")
            out[rest.index] = parsed

    empty = obj.isna() | obj.astype(str).str.strip().eq("")
    bad = out.isna() & ~empty
    label = f"{column}: " if column else ""
    decision = label + ", ".join(dict.fromkeys(notes)) if notes else ""
    if len(raw) and bad.all():
        examples = ", ".join(repr(v) for v in obj[bad].head(3))
        raise ParseError(
            f"column {column!r} holds no readable dates (found e.g. {examples}); "
            "map the right column with mapping={'sent_at': '<column>'}",
            file=file,
            column=column,
        )
    return ParsedTimes(out.astype(_UTC), bad.astype(bool), decision)
