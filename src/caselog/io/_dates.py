"""Timestamp parsing for export columns.

One column may hold ISO 8601 text (with or without an offset), US (``03/14/2026 2:05 PM``) or
day-first (``14.03.2026 14:05``) text, written-out dates (``14 Mar 2026 14:05 PST``,
``Sat, 14 Mar 2026 14:05:00 -0800``), Excel serial numbers, or real spreadsheet datetimes.
The common forms are parsed with whole-column (vectorised) pandas calls, the rare written-out
ones once per distinct value; the day/month order of a column is decided once, from the
values that can only be read one way, and reported.

A time is never read wrong without a word: a zone name or offset after the time is applied
(the table: ``caselog.io`` README section on time zones); an ambiguous or unknown zone name, a year outside
1678-2261 (what a nanosecond timestamp holds) and digits other than ASCII 0-9 make the value
unreadable, with the reason in :attr:`ParsedTimes.reasons`.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from datetime import time as dt_time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
from dateutil.parser import parse as dateutil_parse

from ..errors import ConfigError, ParseError
from ._zones import NAMED, NOT_ZONES, ZoneNames, split_clock_zone, split_zone, zone_names

__all__ = [
    "ParsedTimes", "parse_timestamps", "check_tz", "to_utc_timestamp", "UNREADABLE",
    "FIRST_YEAR", "LAST_YEAR",
]

_ISO_BODY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
#: Python's ``\s`` spelt out, so that pandas runs the patterns below with Arrow's RE2 (whose
#: ``\s`` is narrower) rather than row by row with Python's ``re``; the same matches either way
_WS = "[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_NAMED = NAMED.replace(r"\s", _WS)
_ISO = rf"^{_ISO_BODY}{_WS}*(?:Z|[+-][0-9]{{2}}:?[0-9]{{2}})?$"
_ISO_BODY_RE = re.compile(rf"^{_ISO_BODY}$")
#: ISO 8601 followed by a zone name ("2026-03-14 14:05:00 UTC", "2026-03-14 14:05 PST")
_ISO_ZONED = rf"^{_ISO_BODY}{_WS}*\(?(?:{_NAMED})\)?$"
#: written-out forms tried whole-column before dateutil (English month names)
_WORD_FORMATS = (
    "%d %b %Y %H:%M", "%d %b %Y %H:%M:%S", "%a, %d %b %Y %H:%M:%S", "%a, %d %b %Y %H:%M",
    "%b %d, %Y %I:%M %p", "%B %d, %Y %I:%M %p", "%d %B %Y %H:%M", "%d %b %Y", "%B %d, %Y",
)
_OFFSET = r"(?:Z|[+-][0-9]{2}:?[0-9]{2})$"
_NUMERIC = r"^[0-9]+(?:\.[0-9]+)?$"
_SLASHED = r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2}|[0-9]{4})(?:[ T,]+(.*))?$"
_DATE_ONLY = r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2}|[0-9]{4})$"
#: no-break spaces (macOS and ICU put U+202F before AM/PM) read as spaces
_SPACES = re.compile("[\u00a0\u2007\u202f]")
#: times accepted after a slashed date (tried in this order)
_TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %I %p")
#: Excel's day zero (serial 1 = 1900-01-01, with Lotus' leap-year bug absorbed)
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_FIRST = pd.Timestamp("1900-01-01")
#: the largest serial a nanosecond Timedelta holds (2192-04-07); larger ones are unreadable
_EXCEL_MAX = 106_750
#: two different fill-ins for the parts a written-out date leaves out (see _parse_words)
_DEFAULT_A, _DEFAULT_B = datetime(2000, 1, 1), datetime(2001, 2, 2)
_UTC = "datetime64[ns, UTC]"
#: the years a value may have (pandas' nanosecond timestamps run 1677-09-21 .. 2262-04-11)
FIRST_YEAR, LAST_YEAR = 1678, 2261
_LO, _HI = pd.Timestamp(f"{FIRST_YEAR}-01-01"), pd.Timestamp(f"{LAST_YEAR + 1}-01-01")
#: the reason of an unreadable value when there is nothing more specific to say
UNREADABLE = "not a readable date"


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
    reasons : pandas.Series
        Why each bad value could not be read (:data:`UNREADABLE` when nothing more specific
        is known, e.g. "time zone 'IST' is ambiguous ..."); ``""`` where ``bad`` is False.
    """

    values: pd.Series
    bad: pd.Series
    decision: str
    reasons: pd.Series


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
    except (TypeError, ValueError, OverflowError) as exc:
        raise ConfigError(f"{name}: expected a timestamp, found {value!r}") from exc
    if pd.isna(stamp):
        raise ConfigError(f"{name}: expected a timestamp, found {value!r}")
    if not _LO.year <= stamp.year <= LAST_YEAR:
        raise ConfigError(f"{name}: {value!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    stamp = stamp.as_unit("ns")
    return stamp.tz_localize("UTC") if stamp.tz is None else stamp.tz_convert("UTC")


def _blank_reasons(index: pd.Index) -> pd.Series:
    return pd.Series("", index=index, dtype=object)


def _in_range(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Datetimes of any unit -> nanoseconds; years outside the range become NaT, with a reason.

    Naive values are checked on their wall clock; tz-aware ones get a day's slack either side
    (an offset can't carry a value past pandas' limits from there)."""
    aware = values.dt.tz is not None
    lo, hi = (_LO, _HI) if not aware else (_LO.tz_localize("UTC") - pd.Timedelta(days=1),
                                           _HI.tz_localize("UTC") + pd.Timedelta(days=1))
    outside = values.notna() & ~values.between(lo, hi, inclusive="left")
    reasons = _blank_reasons(values.index)
    if outside.any():
        reasons[outside] = (
            "year " + values[outside].dt.year.astype(str)
            + f" is outside the years {FIRST_YEAR}-{LAST_YEAR} that caselog can hold"
        )
        values = values.where(~outside)
    return values.astype(_UTC if aware else "datetime64[ns]"), reasons


def _localise(naive: pd.Series, tz: str) -> pd.Series:
    """Naive wall-clock times in ``tz`` (in range) -> UTC (ambiguous/nonexistent DST times shifted)."""
    naive = naive.astype("datetime64[ns]")
    if tz == "UTC":
        return naive.dt.tz_localize("UTC")
    local = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    # the repeated hour at the end of DST: read it as the first (summer-time) occurrence
    again = local.isna() & naive.notna()
    if again.any():
        local[again] = naive[again].dt.tz_localize(tz, ambiguous=np.ones(again.sum(), dtype=bool))
    return local.dt.tz_convert("UTC")


def _excel_serial(numbers: pd.Series, tz: str) -> tuple[pd.Series, pd.Series]:
    ok = numbers.between(1, _EXCEL_MAX)  # 1900-01-01 .. 2192-04-07
    out = _EXCEL_EPOCH + pd.to_timedelta(numbers.where(ok).astype("float64").round(6), unit="D")
    reasons = _blank_reasons(numbers.index)
    wrong = numbers.notna() & ~ok
    if wrong.any():
        reasons[wrong] = (
            "Excel day number " + numbers[wrong].map("{:.12g}".format)
            + f" is outside 1-{_EXCEL_MAX} (1900-01-01 to 2192-04-07)"
        )
    return _localise(out.dt.round("s"), tz), reasons


def _datetime_cells(cells: pd.Series, tz: str) -> tuple[pd.Series, pd.Series]:
    """Spreadsheet date cells (``datetime``/``Timestamp`` objects) -> UTC; out-of-range ones rejected."""
    out = pd.Series(pd.NaT, index=cells.index, dtype=_UTC)
    reasons = _blank_reasons(cells.index)
    aware = cells.map(lambda v: v.tzinfo is not None).astype(bool)
    for is_aware in (True, False):
        part = cells[aware == is_aware]
        if len(part):
            stamps = pd.Series(pd.to_datetime(part.tolist(), errors="coerce", utc=is_aware), index=part.index)
            values, why = _in_range(stamps)
            if not is_aware:  # Excel's first date is 1900-01-01; before it: a bare time or a negative serial
                early = values < _EXCEL_FIRST
                why[early] = "a spreadsheet date before 1900-01-01 (a time without a date, or a negative day number)"
                values = values.where(~early)
            out[part.index] = values if is_aware else _localise(values, tz)
            reasons[part.index] = why
    return out, reasons


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


def _parse_slashed(text: pd.Series, dayfirst: bool | None) -> tuple[pd.Series, pd.Series, pd.Series, str]:
    """Parse ``D/M/Y [time] [zone]`` or ``M/D/Y [time] [zone]`` strings with explicit formats.

    The date and the clock parts are split off with one regex pass each, and only their
    *unique* values are parsed (a year of minute-stamped messages has a few hundred dates),
    so a million rows take well under a second.  Returns naive wall times, the zone label of
    each row ("" for none), the reasons of out-of-range dates and the day/month decision.
    """
    date_part, clock_part = _date_and_clock(text)
    date_codes, date_uniques = pd.factorize(date_part)
    parts = pd.Series(date_uniques, dtype=object).str.extract(_DATE_ONLY)
    seps = pd.Series(date_uniques, dtype=object).str.extract(r"^[0-9]{1,2}([/.\-])")[0]
    first_day, why = _decide_dayfirst(parts[0], parts[1], seps, dayfirst)
    year = parts[2].where(parts[2].str.len() == 4, "20" + parts[2])
    day, month = (parts[0], parts[1]) if first_day else (parts[1], parts[0])
    days = pd.to_datetime(
        year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2), format="%Y-%m-%d", errors="coerce"
    )
    days, day_reasons = _in_range(days)  # before the nanosecond arithmetic below can wrap around
    clock_codes, clock_uniques = pd.factorize(clock_part)
    split = [split_clock_zone(str(c).strip()) for c in clock_uniques]
    labels = pd.Series([label for _, label in split], dtype=object)
    clocks = pd.Series([body for body, _ in split], dtype=object).str.upper().str.replace(".", "", regex=False)
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
    row_labels = pd.Series(labels.to_numpy()[clock_codes], index=text.index, dtype=object)
    row_reasons = pd.Series(day_reasons.to_numpy()[date_codes], index=text.index, dtype=object)
    return out, row_labels, row_reasons, why


def _date_and_clock(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Slashed values split into the date (up to the first space, ``T`` or comma) and the
    clock (after that run of spaces, ``T`` and commas; ``""`` when there is none).

    ``text.str.replace(r"[ T,].*$", "")`` and ``text.str.replace(r"^[^ T,]+[ T,]*", "")``
    for values that start with a digit and hold no line break (what :data:`_SLASHED` takes),
    made with one Arrow split of each value at its first run of separators."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = getattr(text.array, "_pa_array", None)
    if arr is None or len(text) == 0 or arr.null_count:
        return (text.str.replace(r"[ T,].*$", "", regex=True),
                text.str.replace(r"^[^ T,]+[ T,]*", "", regex=True))
    split = pc.split_pattern_regex(arr, r"[ T,]+", max_splits=1).combine_chunks()
    starts = split.offsets.to_numpy().astype(np.int64)[:-1]  # into .values (not rebased)
    length = pc.list_value_length(split).to_numpy(zero_copy_only=False)
    parts = pa.concat_arrays([split.values.cast(arr.type), pa.array([""], arr.type)])
    after = np.where(length > 1, starts + 1, len(parts) - 1)

    def column(at: np.ndarray) -> pd.Series:
        return pd.Series(parts.take(pa.array(at)).to_pandas().array, index=text.index).astype(text.dtype)

    return column(starts), column(after)


def _read_words(text: str, dayfirst: bool) -> tuple[datetime | None, str, str]:
    """One written-out value through dateutil: ``(naive datetime or None, zone label, reason)``.

    The value is parsed against two different default dates: a value that leaves the year,
    month or day out ("10:00", "March 3") reads differently and is unreadable, rather than
    completed from today's date (results never depend on the wall clock).  A zone dateutil
    finds is handed back as a label (never looked up in the computer's own zone names), and
    any warning it would print makes the value unreadable instead.
    """
    found: set[tuple[str | None, int | None]] = set()

    def note(name: str | None, offset: int | None) -> None:
        if name is not None or offset is not None:
            found.add((name, offset))

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            a = dateutil_parse(text, dayfirst=dayfirst, default=_DEFAULT_A, tzinfos=note)
            b = dateutil_parse(text, dayfirst=dayfirst, default=_DEFAULT_B, tzinfos=note)
    except (ValueError, TypeError, OverflowError, Warning):
        return None, "", ""
    if a != b:
        return None, "", ""
    if len(found) > 1:
        return None, "", "it names more than one time zone"
    label = ""
    if found:
        name, offset = found.pop()
        if offset is None or (offset == 0 and name):
            label = name or ""
        elif not name:
            sign = "-" if offset < 0 else "+"
            label = f"{sign}{abs(offset) // 3600:02d}:{abs(offset) % 3600 // 60:02d}"
        else:
            return None, "", f"its time zone ({name} with an offset) is unclear; write it as e.g. '14:05 +02:00'"
    return a.replace(tzinfo=None, fold=0), label, ""


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: ``14 Mar 2026 14:05`` written the plainest way (two-digit day and hour, English month)
_PLAIN_FIRST_FORM_NAMED = (
    rf"^(?P<d>[0-9]{{2}}) (?P<b>{'|'.join(_MONTHS)}) (?P<Y>[0-9]{{4}}) (?P<H>[0-9]{{2}}):(?P<M>[0-9]{{2}})$"
)


def _plain_first_form(bodies: pd.Series) -> pd.Series:
    """The values of ``bodies`` (Arrow text, unique labels) that the first of
    :data:`_WORD_FORMATS` (``%d %b %Y %H:%M``) reads, among those written the plainest way
    (:data:`_PLAIN_FIRST_FORM_NAMED`): parsed as ``%Y-%m-%d %H:%M`` after one regex pass, instead
    of one ``strptime`` a value.  Values that do not read (``31 Feb``) are left out, for the
    formats to try as before; so are all values when ``%b`` is not English here (another
    ``LC_TIME``)."""
    import calendar

    import pyarrow as pa
    import pyarrow.compute as pc

    arr = getattr(bodies.array, "_pa_array", None)
    if (arr is None or not len(bodies) or tuple(calendar.month_abbr[1:]) != _MONTHS
            or not bodies.index.is_unique or arr.null_count):
        return pd.Series(dtype="datetime64[ns]")
    got = pc.extract_regex(arr, _PLAIN_FIRST_FORM_NAMED)
    hit = pc.is_valid(got).to_numpy(zero_copy_only=False).astype(bool)
    if not hit.any():
        return pd.Series(dtype="datetime64[ns]")
    got = got.filter(pa.array(hit))
    day, name, year, hour, minute = (pc.struct_field(got, [i]) for i in range(5))
    kind = got.type.field(0).type
    month = pc.take(pa.array([f"{i:02d}" for i in range(1, 13)], kind),
                    pc.index_in(name, value_set=pa.array(_MONTHS, kind)))
    dash, space, colon, none = (pa.scalar(c, kind) for c in ("-", " ", ":", ""))
    iso = pc.binary_join_element_wise(year, dash, month, dash, day, space, hour, colon, minute, none)
    parsed = pd.to_datetime(pd.Series(iso.to_pandas().array, index=bodies.index[hit]),
                            format="%Y-%m-%d %H:%M", errors="coerce")
    return parsed[parsed.notna()]


def _common_words(bodies: pd.Series) -> pd.Series:
    """The written-out values in one of :data:`_WORD_FORMATS`, parsed whole-column (the others
    are left to dateutil): ``datetime64`` values, indexed as ``bodies``."""
    found = []
    bodies = bodies.astype("str")  # Arrow's regex, not one Python call a value
    bodies = bodies[bodies.str.contains(r"[0-9]{4}")]  # every format has a year; pandas reads "today" as today
    plain = _plain_first_form(bodies)
    if len(plain):
        found.append(plain)
        bodies = bodies[~bodies.index.isin(plain.index)]
    for fmt in _WORD_FORMATS:
        if not len(bodies):
            break
        parsed = pd.to_datetime(bodies, format=fmt, errors="coerce")
        hit = parsed.notna()
        found.append(parsed[hit])
        bodies = bodies[~hit]
    hits = [f for f in found if len(f)]
    return pd.concat(hits) if hits else pd.Series(dtype="datetime64[ns]")


def _parse_words(rest: pd.Series, dayfirst: bool) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Written-out values, once per distinct value: naive wall times, zone labels and reasons.

    Values that are one of :data:`_WORD_FORMATS` as they stand (no zone after them) are parsed
    whole-column first; only the others are split from their zone and looked at one by one."""
    codes, uniques = pd.factorize(rest)
    stamps: list[datetime | None] = [None] * len(uniques)
    labels = [""] * len(uniques)
    reasons = [""] * len(uniques)
    iso: dict[int, str] = {}
    bodies: dict[int, str] = {}
    whole = _common_words(pd.Series(uniques, dtype=object))  # a format matches all of the value: no zone
    direct = np.zeros(len(uniques), dtype=bool)
    direct[whole.index.to_numpy()] = True
    for i in np.flatnonzero(~direct).tolist():
        body, labels[i] = split_zone(str(uniques[i]))
        (iso if _ISO_BODY_RE.match(body) else bodies)[i] = body
    known = _common_words(pd.Series(list(bodies.values()), index=list(bodies), dtype=object))
    known_at = dict(zip(known.index.tolist(), known.dt.to_pydatetime().tolist(), strict=True)) if len(known) else {}
    for i, body in bodies.items():
        if i in known_at:
            stamps[i] = known_at[i]
            continue
        stamps[i], found, reasons[i] = _read_words(body, dayfirst)
        if found and labels[i]:
            stamps[i], reasons[i] = None, "it names more than one time zone"
        labels[i] = labels[i] or found
    naive = pd.Series(pd.to_datetime(pd.Series(stamps, dtype=object), errors="coerce")).astype("datetime64[us]")
    if len(whole):
        naive[whole.index.to_numpy()] = whole.to_numpy().astype("datetime64[us]")
    if iso:
        naive[list(iso)] = pd.to_datetime(pd.Series(list(iso.values())), format="ISO8601", errors="coerce").to_numpy()
    naive, range_reasons = _in_range(naive)
    why = pd.Series(reasons, dtype=object).where(pd.Series(reasons).ne(""), range_reasons)
    return (
        pd.Series(naive.to_numpy()[codes], index=rest.index),
        pd.Series(np.asarray(labels, dtype=object)[codes], index=rest.index, dtype=object),
        pd.Series(why.to_numpy()[codes], index=rest.index, dtype=object),
    )


def _apply_zones(
    naive: pd.Series, labels: pd.Series, reasons: pd.Series, tz: str, names: ZoneNames
) -> tuple[pd.Series, pd.Series, list[str]]:
    """Naive wall times + their zone labels -> UTC; ``tz`` where a row has no label.

    Explicit abbreviations and offsets are fixed offsets; generic ones and the user's IANA
    zones are that zone's wall time at the date.  Loops over the distinct labels only.
    """
    out = pd.Series(pd.NaT, index=naive.index, dtype=_UTC)
    reasons = reasons.copy()
    used: list[str] = []
    codes, uniques = pd.factorize(labels)
    for i, label in enumerate(uniques):
        rows = naive.index[codes == i]
        part = naive.loc[rows]
        if label == "":
            out.loc[rows] = _localise(part, tz)
            continue
        zone = names.resolve(str(label))
        if zone.reason:
            readable = rows[part.notna().to_numpy()]
            reasons.loc[readable] = zone.reason
        elif zone.minutes is not None:
            out.loc[rows] = (part - pd.Timedelta(minutes=zone.minutes)).dt.tz_localize("UTC")
        else:
            out.loc[rows] = _localise(part, str(zone.name))
        if not zone.reason and part.notna().any():
            used.append(str(label))
    return out, reasons, used


def _non_ascii(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """No-break spaces -> spaces; values with digits other than ASCII 0-9 get a reason.

    Python's and dateutil's ``\\d``/``isdigit`` accept full-width and Arabic-Indic digits,
    which would otherwise be read (or half-read) as dates; they are refused instead."""
    reasons = _blank_reasons(text.index)
    odd = ~text.str.isascii().astype(bool)
    if not odd.any():
        return text, reasons
    codes, uniques = pd.factorize(text[odd])
    fixed, why = [], []
    for value in uniques:
        value = _SPACES.sub(" ", str(value))
        digit = next((c for c in value if c.isdigit() and not c.isascii()), "")
        fixed.append(value)
        why.append(
            f"it has a digit other than 0-9 ({digit!r}, {unicodedata.name(digit, 'a digit')}); "
            "write dates with the ASCII digits 0-9" if digit else ""
        )
    text = text.astype(object)
    text[odd] = np.asarray(fixed, dtype=object)[codes]
    reasons[odd] = np.asarray(why, dtype=object)[codes]
    return text, reasons


def _put(out: pd.Series, reasons: pd.Series, values: pd.Series, why: pd.Series) -> None:
    """Write a part's values and reasons back into the whole column (by index)."""
    out.loc[values.index] = values
    reasons.loc[why.index] = why


def _matches(text: pd.Series, done: pd.Series, pattern: str, full: bool = False) -> pd.Series:
    """Which values not yet ``done`` match ``pattern`` (the regex runs on those only)."""
    hit = pd.Series(False, index=text.index)
    todo = text[~done]
    if len(todo):
        hit[todo.index] = (todo.str.fullmatch(pattern) if full else todo.str.match(pattern)).astype(bool)
    return hit


def _parse_text(
    text: pd.Series, tz: str, dayfirst: bool | None, names: ZoneNames
) -> tuple[pd.Series, pd.Series, list[str]]:
    """Stripped, non-empty text values -> (UTC values, reasons, decision notes)."""
    out = pd.Series(pd.NaT, index=text.index, dtype=_UTC)
    text, reasons = _non_ascii(text)
    notes: list[str] = []
    zones: list[str] = []
    done = reasons.ne("")
    # no value is both slashed and a number or ISO 8601 (a slashed value has two separators
    # after one or two digits): a column whose first value is slashed is searched for slashed
    # values first, and the other searches run on the rest only (same masks, fewer passes)
    first = text[~done].head(1).tolist()
    slashed = _matches(text, done, _SLASHED) if first and re.match(_SLASHED, first[0]) else None
    numeric = _matches(text, done if slashed is None else done | slashed, _NUMERIC, full=True)
    if numeric.any():
        _put(out, reasons, *_excel_serial(pd.to_numeric(text[numeric]), tz))
        done |= numeric
        notes.append("Excel serial numbers in text")
    iso = _matches(text, done if slashed is None else done | slashed, _ISO)
    if iso.any():
        t = text[iso]
        has_off = t.str.contains(_OFFSET).astype(bool)
        if has_off.any():
            parsed = pd.to_datetime(t[has_off], format="ISO8601", errors="coerce", utc=True)
            _put(out, reasons, *_in_range(parsed))
        naive = t[~has_off]
        if len(naive):
            values, why = _in_range(pd.to_datetime(naive, format="ISO8601", errors="coerce"))
            _put(out, reasons, _localise(values, tz), why)
        done |= iso
        notes.append("ISO 8601" + (" with UTC offsets" if has_off.all() else ""))
    if slashed is None:
        slashed = _matches(text, done, _SLASHED)
    if slashed.any():
        naive, labels, why, decided = _parse_slashed(text[slashed], dayfirst)
        values, why, more = _apply_zones(naive, labels, why, tz, names)
        _put(out, reasons, values, why)
        zones += more
        done |= slashed
        notes.append(decided)
    zoned = _matches(text, done, _ISO_ZONED)
    if zoned.any():  # ISO with a zone name: split it off whole-column, leave "10:00 PM" to dateutil
        t = text[zoned]
        labels = t.str.replace(rf"^{_ISO_BODY}{_WS}*\(?", "", regex=True).str.rstrip(")").str.replace(" ", "")
        t, labels = t[~labels.isin(NOT_ZONES)], labels[~labels.isin(NOT_ZONES)]
        body = t.str.replace(rf"{_WS}*\(?(?:{_NAMED})\)?$", "", regex=True)
        naive, why = _in_range(pd.to_datetime(body, format="ISO8601", errors="coerce"))
        values, why, more = _apply_zones(naive, labels.astype(object), why, tz, names)
        _put(out, reasons, values, why)
        zones += more
        done[t.index] = True
        notes.append("ISO 8601")
    rest = text[~done]
    if len(rest):  # words ("March 3, 2026 10:00", "3 Mar 2026 PST"): dateutil on the leftovers
        naive, labels, why = _parse_words(rest, bool(dayfirst))
        values, why, more = _apply_zones(naive, labels, why, tz, names)
        if values.notna().any():
            notes.append("written-out dates")
        _put(out, reasons, values, why)
        zones += more
    if zones:
        notes.append("times read in the zone written after them (" + ", ".join(sorted(set(zones))[:8]) + ")")
    return out, reasons, notes


def _text_only(raw: pd.Series) -> bool:
    """Whether every cell is text or empty: a text column, or an object column of texts and
    missing cells only (as a spreadsheet's often is), where no cell is a date or a number and
    :func:`_classify_each_cell` would find none."""
    if raw.dtype != object:
        return pd.api.types.is_string_dtype(raw.dtype)
    return len(raw) > 0 and pd.api.types.infer_dtype(raw, skipna=True) == "string"


def _classify_cells(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Object columns (spreadsheets): which cells are datetimes, which are numbers."""
    obj = raw.astype(object)
    if _text_only(obj):  # text only (a reader's table): no cell to look at
        return obj, pd.Series(False, index=obj.index), pd.Series(False, index=obj.index)
    return _classify_each_cell(obj)


def _classify_each_cell(obj: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """:func:`_classify_cells` of an object column, cell by cell."""
    if any(isinstance(v, dt_time) for v in obj.to_numpy()):
        # a time without a date (some readers give Excel's bare times as time objects): as
        # Excel stores it, a day fraction of 1899-12-30, which is rejected as before 1900
        obj = obj.map(lambda v: datetime.combine(_EXCEL_EPOCH.date(), v) if isinstance(v, dt_time) else v)
    cells = obj.to_numpy()
    present = obj.notna().to_numpy()
    is_dt = np.fromiter((isinstance(v, (datetime, pd.Timestamp)) for v in cells), bool, len(cells))
    is_num = np.fromiter(
        (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in cells),
        bool, len(cells),
    )
    return obj, pd.Series(is_dt & present, index=obj.index), pd.Series(is_num & present, index=obj.index)


def parse_timestamps(
    raw: pd.Series,
    *,
    tz: str = "UTC",
    dayfirst: bool | None = None,
    column: str = "",
    file: str | None = None,
    tzinfos: Mapping[str, str] | None = None,
) -> ParsedTimes:
    """Parse one export column into UTC timestamps.

    Parameters
    ----------
    raw : pandas.Series
        Strings, numbers (Excel serials), ``datetime`` objects or a mix.
    tz : str
        IANA zone that naive values are in (values with an offset or zone name keep theirs).
    dayfirst : bool, optional
        Force the day/month order of slashed dates; by default it is decided from the data.
    column, file : str
        Used in the decision text and in errors.
    tzinfos : mapping, optional
        Zone abbreviation -> IANA zone name or fixed offset (``{"IST": "Asia/Kolkata"}``,
        ``{"IST": "+05:30"}``), for abbreviations caselog does not know or finds ambiguous,
        or to override its reading of one.

    Returns
    -------
    ParsedTimes

    Raises
    ------
    ConfigError
        ``tz`` or an entry of ``tzinfos`` is not a time zone.
    ParseError
        No value of a non-empty column reads as a date at all (the wrong column?).

    Examples
    --------
    >>> p = parse_timestamps(pd.Series(["03/14/2026 2:05 PM", "14 Mar 2026 14:05 PST"]))
    >>> p.values.dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2026-03-14 14:05', '2026-03-14 22:05']
    >>> p = parse_timestamps(pd.Series(["2026-03-14 14:05 IST"]))
    >>> p.reasons.tolist()[0][:34]
    "time zone 'IST' is ambiguous (Indi"
    >>> parse_timestamps(pd.Series(["2026-03-14 14:05 IST"]), tzinfos={"IST": "+05:30"}).values[0]
    Timestamp('2026-03-14 08:35:00+0000', tz='UTC')
    """
    check_tz(tz)
    names = zone_names(tzinfos)
    if len(raw) >= _DISTINCT_FROM and pd.api.types.is_string_dtype(raw.dtype) and raw.dtype != object:
        codes, uniques = pd.factorize(raw, use_na_sentinel=False)
        if len(uniques) <= _DISTINCT_SHARE * len(raw):  # each distinct value read once
            one = _parse_column(pd.Series(uniques, dtype=raw.dtype), tz, dayfirst, column, file, names)
            return ParsedTimes(
                pd.Series(one.values.array.take(codes), index=raw.index),
                pd.Series(one.bad.to_numpy()[codes], index=raw.index, dtype=bool),
                one.decision,
                pd.Series(one.reasons.to_numpy()[codes], index=raw.index, dtype=object),
            )
    return _parse_column(raw, tz, dayfirst, column, file, names)


#: a text column of at least this many values, of which at most this share are distinct, is
#: read one distinct value at a time (message times repeat: minutes, imports of one export)
_DISTINCT_FROM = 10_000
_DISTINCT_SHARE = 0.7


def _parse_column(raw: pd.Series, tz: str, dayfirst: bool | None, column: str, file: str | None,
                  names: ZoneNames) -> ParsedTimes:
    """:func:`parse_timestamps` of one column (``tz`` checked, the zone names made)."""
    index = raw.index
    out = pd.Series(pd.NaT, index=index, dtype=_UTC)
    reasons = _blank_reasons(index)
    notes: list[str] = []

    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        if raw.dt.tz is not None:
            out, reasons = _in_range(raw.dt.tz_convert("UTC"))
        else:
            values, reasons = _in_range(raw)
            out = _localise(values, tz)
        obj = raw
    elif pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        out, reasons = _excel_serial(raw.astype("float64"), tz)
        obj = raw
        notes.append("Excel serial day numbers")
    else:
        if _text_only(raw):
            obj = raw
            is_dt = is_num = pd.Series(False, index=index)
        else:
            obj, is_dt, is_num = _classify_cells(raw)
        if is_dt.any():
            _put(out, reasons, *_datetime_cells(obj[is_dt], tz))
            notes.append("spreadsheet date cells")
        if is_num.any():
            _put(out, reasons, *_excel_serial(pd.to_numeric(obj[is_num], errors="coerce"), tz))
            notes.append("Excel serial numbers")
        text = obj[~is_dt & ~is_num & obj.notna()].astype(str).str.strip()
        text = text[text != ""]
        if len(text):
            values, why, text_notes = _parse_text(text, tz, dayfirst, names)
            _put(out, reasons, values, why)
            notes += text_notes

    empty = obj.isna() | obj.astype(str).str.strip().eq("")
    bad = (out.isna() & ~empty).astype(bool)
    reasons = reasons.where(bad, "")
    reasons[bad & reasons.eq("")] = UNREADABLE
    label = f"{column}: " if column else ""
    decision = label + ", ".join(dict.fromkeys(notes)) if notes else ""
    if len(raw) and bad.all() and reasons.eq(UNREADABLE).all():
        examples = ", ".join(repr(v) for v in obj[bad].head(3))
        raise ParseError(
            f"column {column!r} holds no readable dates (found e.g. {examples}); "
            "map the right column with mapping={'sent_at': '<column>'}",
            file=file,
            column=column,
        )
    return ParsedTimes(out.astype(_UTC), bad, decision, reasons.astype(object))
