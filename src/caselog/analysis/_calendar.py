"""Business hours: a weekly working-hours calendar with holidays, and the working hours
between two timestamps under it (vectorised)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, SchemaError

__all__ = ["BusinessCalendar", "business_hours_between"]

_NS_PER_HOUR = 3_600 * 10**9
_NS_PER_DAY = 24 * _NS_PER_HOUR
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NINE_TO_FIVE = (("09:00", "17:00"),)



def _minutes(value: Any, where: str) -> int:
    """Minutes after midnight of ``"HH:MM"``, a ``datetime.time`` or a number of hours."""
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, bool):
        raise ConfigError(f"{where}: expected a time like '09:00', found {value!r}")
    if isinstance(value, int | float):
        if not np.isfinite(value) or not 0 <= value <= 24:
            raise ConfigError(f"{where}: hours must lie between 0 and 24, found {value!r}")
        return round(value * 60)
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2})(?::(\d{2}))?\s*", value)
        if match:
            hours, minutes = int(match.group(1)), int(match.group(2) or 0)
            if minutes < 60 and (hours < 24 or (hours == 24 and minutes == 0)):
                return hours * 60 + minutes
    raise ConfigError(f"{where}: expected a time like '09:00' (up to '24:00'), found {value!r}")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _normalise_day(day: Any, where: str) -> tuple[tuple[str, str], ...]:
    """One weekday's working hours as a tuple of ``("HH:MM", "HH:MM")`` pairs."""
    if day is None:
        return ()
    if isinstance(day, str | bytes) or not isinstance(day, Iterable):
        raise ConfigError(
            f"{where}: expected a (start, end) pair such as ('09:00', '17:00'), a tuple of "
            f"such pairs, or () for a day off; found {day!r}"
        )
    items = tuple(day)
    if len(items) == 2 and not any(isinstance(i, tuple | list) for i in items):
        items = (items,)  # a single (start, end) pair
    spans: list[tuple[int, int]] = []
    for k, pair in enumerate(items):
        if isinstance(pair, str | bytes) or not isinstance(pair, Iterable) or len(pair) != 2:
            raise ConfigError(f"{where}[{k}]: expected a (start, end) pair, found {pair!r}")
        start = _minutes(pair[0], f"{where}[{k}] start")
        end = _minutes(pair[1], f"{where}[{k}] end")
        if end <= start:
            raise ConfigError(
                f"{where}[{k}]: end {_hhmm(end)} must come after start {_hhmm(start)}"
            )
        spans.append((start, end))
    spans.sort()
    for (_, end_a), (start_b, _) in zip(spans, spans[1:], strict=False):
        if start_b < end_a:
            raise ConfigError(f"{where}: working hours overlap ({_hhmm(start_b)} < {_hhmm(end_a)})")
    return tuple((_hhmm(s), _hhmm(e)) for s, e in spans)


def _to_date(value: Any, where: str) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{where}: expected a date such as '2026-12-25', found {value!r}")


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours for business-hours response times.

    Working time is counted in the calendar's local wall time, so a 09:00-17:00 day is eight
    hours on the days clocks change too (DST transitions happen at night).

    Parameters
    ----------
    tz : str
        IANA time zone the working hours are in, e.g. ``"Europe/Berlin"`` (default ``"UTC"``).
    weekly : tuple
        Seven entries, Monday first.  Each entry is a ``(start, end)`` pair such as
        ``("09:00", "17:00")``, a tuple of such pairs (split shifts), or ``()`` for a day off.
        Times are ``"HH:MM"`` strings (``"24:00"`` allowed as an end), ``datetime.time`` or
        numbers of hours.  Stored normalised as pairs of ``"HH:MM"`` strings.
        Default: Monday to Friday 09:00-17:00.
    holidays : tuple of datetime.date
        Days off in the calendar's zone (ISO strings and timestamps are accepted and converted).

    Raises
    ------
    ConfigError
        Unknown time zone, not seven weekdays, a malformed or empty time span, overlapping
        spans, or a holiday that is not a date.

    Examples
    --------
    >>> cal = BusinessCalendar(tz="Europe/Berlin", holidays=("2026-12-25",))
    >>> cal.weekly[0], cal.weekly[5]
    ((('09:00', '17:00'),), ())
    """

    tz: str = "UTC"
    weekly: tuple = (_NINE_TO_FIVE,) * 5 + ((), ())
    holidays: tuple[dt.date, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.tz, str) or not self.tz:
            raise ConfigError(f"tz: expected an IANA time-zone name, found {self.tz!r}")
        try:
            zoneinfo.ZoneInfo(self.tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"tz: unknown time zone {self.tz!r} (use an IANA name such as 'Europe/Berlin')"
            ) from exc
        if isinstance(self.weekly, str | bytes) or not isinstance(self.weekly, Iterable):
            raise ConfigError(f"weekly: expected seven entries (Monday first), found {self.weekly!r}")
        days = tuple(self.weekly)
        if len(days) != 7:
            raise ConfigError(f"weekly: expected seven entries (Monday first), found {len(days)}")
        weekly = tuple(_normalise_day(d, f"weekly[{i}] ({_WEEKDAYS[i]})") for i, d in enumerate(days))
        if isinstance(self.holidays, str | bytes) or not isinstance(self.holidays, Iterable):
            raise ConfigError(f"holidays: expected a tuple of dates, found {self.holidays!r}")
        holidays = tuple(
            sorted({_to_date(h, f"holidays[{i}]") for i, h in enumerate(self.holidays)})
        )
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "holidays", holidays)

    @property
    def hours_per_week(self) -> float:
        """Working hours in a week without holidays."""
        return float(self._spans()[1].sum()) / 3600.0

    def _spans(self) -> tuple[np.ndarray, np.ndarray]:
        """Per weekday, padded start offsets and lengths of the working spans, in seconds."""
        width = max(1, max(len(d) for d in self.weekly))
        starts = np.zeros((7, width), dtype=np.float64)
        lengths = np.zeros((7, width), dtype=np.float64)
        for i, day in enumerate(self.weekly):
            for k, (start, end) in enumerate(day):
                s, e = _minutes(start, ""), _minutes(end, "")
                starts[i, k] = s * 60.0
                lengths[i, k] = (e - s) * 60.0
        return starts, lengths


def _as_utc_ns(values: Any, name: str) -> tuple[np.ndarray, pd.Index | None]:
    """int64 nanoseconds since the epoch (UTC) and the index of a timestamp Series/array.

    Naive timestamps are taken as UTC.  Missing values come back as ``NaT``'s integer.
    """
    index = values.index if isinstance(values, pd.Series) else None
    try:
        stamps = pd.DatetimeIndex(values)
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"column {name!r}: expected timestamps", column=name) from exc
    stamps = stamps.tz_localize("UTC") if stamps.tz is None else stamps.tz_convert("UTC")
    return stamps.as_unit("ns").asi8, index


def _working_seconds_since_grid(ns: np.ndarray, calendar: BusinessCalendar) -> np.ndarray:
    """Working seconds between the start of the first day in ``ns`` and each instant.

    ``ns`` holds valid (non-NaT) UTC nanoseconds.  Every instant is converted to the
    calendar's wall time; the count is a cumulative sum over a day grid (holidays removed)
    plus the clipped part of the instant's own day.
    """
    if ns.size == 0:
        return np.zeros(0, dtype=np.float64)
    wall = (
        pd.DatetimeIndex(ns.view("datetime64[ns]"))
        .tz_localize("UTC")
        .tz_convert(calendar.tz)
        .tz_localize(None)
        .asi8
    )
    day = wall // _NS_PER_DAY  # days since 1970-01-01 (a Thursday), floor for older dates
    seconds = (wall - day * _NS_PER_DAY) / 1e9
    weekday = (day + 3) % 7  # Monday = 0
    starts, lengths = calendar._spans()
    day0 = int(day.min())
    grid = np.arange(day0, int(day.max()) + 1, dtype=np.int64)
    off = np.zeros(grid.size, dtype=bool)
    if calendar.holidays:
        epoch = np.datetime64("1970-01-01", "D")
        holiday_days = (np.array(calendar.holidays, dtype="datetime64[D]") - epoch).astype(np.int64)
        off = np.isin(grid, holiday_days)
    daily = np.where(off, 0.0, lengths.sum(axis=1)[(grid + 3) % 7])
    before = np.concatenate(([0.0], np.cumsum(daily)))  # working seconds before grid day k
    pos = day - day0
    within = np.clip(seconds[:, None] - starts[weekday], 0.0, lengths[weekday]).sum(axis=1)
    within[off[pos]] = 0.0
    return before[pos] + within


def business_hours_between(start: Any, end: Any, calendar: BusinessCalendar) -> pd.Series:
    """Working hours between two timestamp columns, vectorised.

    Both sides are converted to the calendar's local wall time; the working seconds before
    each instant are counted on a day grid covering the data (cumulative sum of each day's
    working time, holidays removed, plus the clipped part of the instant's own day), and the
    two counts are subtracted.  No Python loop runs per row.

    Parameters
    ----------
    start, end : pandas.Series (or anything ``pandas.DatetimeIndex`` accepts) of timestamps
        Same length; tz-aware (naive values are read as UTC).  ``NaT`` on either side gives NaN.
    calendar : BusinessCalendar
        Working hours, time zone and holidays.

    Returns
    -------
    pandas.Series of float
        Working hours from ``start`` to ``end`` (negative when ``end`` is earlier), on the
        index of ``start`` when it is a Series.

    Examples
    --------
    >>> fri = pd.Series(pd.to_datetime(["2026-03-06 16:00"], utc=True))
    >>> mon = pd.Series(pd.to_datetime(["2026-03-09 10:00"], utc=True))
    >>> business_hours_between(fri, mon, BusinessCalendar()).tolist()
    [2.0]
    """
    if not isinstance(calendar, BusinessCalendar):
        raise ConfigError(f"calendar: expected a BusinessCalendar, found {type(calendar).__name__}")
    start_ns, index = _as_utc_ns(start, "start")
    end_ns, _ = _as_utc_ns(end, "end")
    if start_ns.shape != end_ns.shape:
        raise ConfigError(f"start and end differ in length ({start_ns.size} vs {end_ns.size})")
    nat = np.iinfo(np.int64).min
    valid = (start_ns != nat) & (end_ns != nat)
    result = np.full(start_ns.size, np.nan)
    if valid.any():
        both = np.concatenate((start_ns[valid], end_ns[valid]))
        counted = _working_seconds_since_grid(both, calendar)
        k = int(valid.sum())
        result[valid] = (counted[k:] - counted[:k]) / 3600.0
    return pd.Series(result, index=index, dtype="float64", name="business_hours")


