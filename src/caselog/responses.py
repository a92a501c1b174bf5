"""Response times: turns, first responses, summaries and business hours.

A **turn** is a maximal run of seller messages in a case, ended by the first Amazon reply
after it.  Its **response time** is that reply's time minus the *first* seller message of the
run: the seller's own follow-ups do not restart the clock.  Amazon messages that come before
any seller message (the suspension notice that opens a case, say) answer nothing and are not
replies.  Automated acknowledgements ("we have received your appeal and will respond within
48 hours") do not end a turn unless ``exclude_acknowledgements=False``.  A turn without a
reply is *open*; its age runs to ``as_of``, which defaults to the newest ``sent_at`` in the
data (never the wall clock), and messages after ``as_of`` are ignored.

Everything here is vectorised (no Python loop per message or per turn), so a million messages
take a few seconds.

Functions
---------
turns
    One row per turn.
first_response
    The first turn of every case.
response_summary
    Counts, mean, median, 90th percentile and the share over the SLA, by any column(s).
business_hours_between
    Working hours between two timestamp columns under a :class:`BusinessCalendar`.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dates import to_utc_timestamp
from .errors import ConfigError, SchemaError
from .model import CaseLog

__all__ = [
    "ACKNOWLEDGEMENT_PATTERN",
    "SUBSTANTIVE_PATTERN",
    "BusinessCalendar",
    "business_hours_between",
    "turns",
    "first_response",
    "response_summary",
    "TURN_COLUMNS",
    "SUMMARY_COLUMNS",
]

#: An Amazon message whose subject or body matches this (case-insensitive) pattern is an
#: automated acknowledgement ("we have received your appeal", "your e-mail has been received",
#: "we will respond within 48 hours", "your appeal is under review", "this is an automated
#: message", "thank you for contacting ..."), unless its body also matches
#: :data:`SUBSTANTIVE_PATTERN`.  Override it with ``turns(..., acknowledgement_pattern=...)``.
ACKNOWLEDGEMENT_PATTERN = (
    r"(?i)"
    r"\bwe(?:\s+have|['’]ve)?\s+received\s+your\s+(?:appeal|message|request|e-?mail|inquiry|enquiry"
    r"|case|plan\s+of\s+action|submission|documents?|reply|response)\b"
    r"|\b(?:has|have)\s+been\s+received\b"
    r"|\bwe\s+will\s+(?:respond|reply|get\s+back\s+to\s+you|contact\s+you|be\s+in\s+touch"
    r"|notify\s+you|update\s+you)\b"
    r"|\b(?:is|are)\s+(?:now\s+|currently\s+)?(?:under|in)\s+review\b"
    r"|\bthis\s+is\s+an\s+automated\s+(?:message|response|reply|e-?mail|notification)\b"
    r"|\bthank\s+you\s+for\s+(?:contacting|submitting)\b"
    r"|\b(?:has|have)\s+been\s+(?:forwarded|assigned)\s+to\b"
    r"|\byou\s+will\s+receive\s+(?:a|an|our)\s+(?:response|reply|answer|update)\b"
    r"|\bcontact\s+you\s+within\b"
)

#: Words that make a message a real answer even when it carries acknowledgement wording
#: ("Thank you for contacting us. We are unable to reinstate ...", a help-page link): such a
#: message ends the turn.  Tested on the body only (the subject often repeats the seller's
#: "Reinstatement request"); kept broad on purpose, so only plain acknowledgements are skipped.
SUBSTANTIVE_PATTERN = (
    r"(?i)\b(?:unable\s+to|not\s+able\s+to|cannot|can't|could\s+not|will\s+not|won't"
    r"|den(?:y|ied|ial)|declin\w*|reject\w*|not\s+accept\w*|insufficient|reinstat\w*|restored"
    r"|approved|accepted|resolved|deactivat\w*|suspen\w*|remov\w*|please\s+(?:provide|submit"
    r"|send|attach|include|upload)|we\s+need|required|invoices?|suppliers?|not\s+the\s+correct"
    r"|determined|decision|final|fixed|corrected|reactivat\w*|help\s+page"
    r"|for\s+more\s+information)\b|https?://"
)

#: Columns of :func:`turns`, in order.
TURN_COLUMNS: tuple[str, ...] = (
    "case_id",
    "account",
    "category",
    "turn",
    "first_seller_message_id",
    "first_seller_at",
    "n_seller_messages",
    "reply_message_id",
    "reply_at",
    "team",
    "channel",
    "is_open",
    "response_hours",
    "age_hours",
    "business_hours",
    "over_sla",
    "month",
)

#: Columns of :func:`response_summary` after the ``by`` columns.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "n",
    "n_answered",
    "n_open",
    "mean_hours",
    "median_hours",
    "p90_hours",
    "share_over_sla",
)

#: ``kind`` labels that mark an acknowledgement (the loader maps aliases to the first one)
_ACK_KINDS = ("acknowledgement", "acknowledgment", "ack", "auto-reply", "autoreply", "auto reply")
_NS_PER_HOUR = 3_600 * 10**9
_NS_PER_DAY = 24 * _NS_PER_HOUR
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NINE_TO_FIVE = (("09:00", "17:00"),)


# --------------------------------------------------------------------------------------------
# Business calendar
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Turns
# --------------------------------------------------------------------------------------------

_NEEDED = ("message_id", "case_id", "sent_at", "direction")
_OPTIONAL_TEXT = {
    "account": "default",
    "team": "Unknown",
    "channel": "other",
    "kind": "",
    "subject": "",
    "body": "",
}


def _split_log(log: Any) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    if isinstance(log, CaseLog):
        return log.messages, log.cases
    if isinstance(log, pd.DataFrame):
        return log, None
    raise ConfigError(f"log: expected a CaseLog or a messages DataFrame, found {type(log).__name__}")


def _resolve_as_of(as_of: Any, sent_ns: np.ndarray) -> int | None:
    """``as_of`` as UTC nanoseconds; default the newest ``sent_at`` (None when there is none)."""
    if as_of is None:
        valid = sent_ns[sent_ns != np.iinfo(np.int64).min]
        return int(valid.max()) if valid.size else None
    return int(to_utc_timestamp(as_of).as_unit("ns").value)


def _contains(text: pd.Series, pattern: str | re.Pattern[str]) -> np.ndarray:
    """Boolean mask of ``text`` matching ``pattern`` anywhere.

    Runs in pyarrow's RE2 engine when it accepts the pattern (pandas would fall back to
    Python's ``re`` for any text with non-ASCII characters: ten to forty times slower); other
    patterns (lookarounds, back-references, compiled Python patterns) go through pandas.
    """
    if isinstance(pattern, str):
        try:
            hit = pc.match_substring_regex(pa.array(text.astype("str")), pattern)
            return np.asarray(hit.fill_null(False), dtype=bool)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            pass  # not RE2 syntax: Python's re decides below
    try:
        return np.array(text.str.contains(pattern, regex=True), dtype=bool)
    except (re.error, TypeError, ValueError) as exc:
        raise ConfigError(f"acknowledgement_pattern: not a valid regex ({exc})") from exc


def _text_at(messages: pd.DataFrame, column: str, positions: np.ndarray) -> pd.Series:
    """``messages[column]`` at ``positions`` as ``str`` (the column's default when absent)."""
    default = _OPTIONAL_TEXT[column]
    if column not in messages.columns:
        return pd.Series(default, index=np.arange(positions.size), dtype="str")
    values = messages[column].iloc[positions].reset_index(drop=True)
    return values.fillna(default).astype("str")


def _acknowledgements(
    messages: pd.DataFrame, positions: np.ndarray, pattern: str | re.Pattern[str] | None
) -> np.ndarray:
    """Which of the Amazon messages at ``positions`` are automated acknowledgements."""
    kind = _text_at(messages, "kind", positions)
    is_ack = np.array(kind.str.strip().str.lower().isin(_ACK_KINDS), dtype=bool)
    rest = np.flatnonzero(~is_ack)
    if rest.size == 0:
        return is_ack
    body = _text_at(messages, "body", positions[rest])
    text = _text_at(messages, "subject", positions[rest]) + "\n" + body
    if pattern is None:
        hit = _contains(text, ACKNOWLEDGEMENT_PATTERN)
        if hit.any():
            hit[hit] = ~_contains(body[hit], SUBSTANTIVE_PATTERN)
    else:
        hit = _contains(text, pattern)
    is_ack[rest[hit]] = True
    return is_ack


def _empty_turns() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": pd.Series(dtype="str"),
            "account": pd.Series(dtype="str"),
            "category": pd.Series(dtype="str"),
            "turn": pd.Series(dtype="int64"),
            "first_seller_message_id": pd.Series(dtype="int64"),
            "first_seller_at": pd.Series(dtype="datetime64[ns, UTC]"),
            "n_seller_messages": pd.Series(dtype="int64"),
            "reply_message_id": pd.Series(dtype="Int64"),
            "reply_at": pd.Series(dtype="datetime64[ns, UTC]"),
            "team": pd.Series(dtype="str"),
            "channel": pd.Series(dtype="str"),
            "is_open": pd.Series(dtype="bool"),
            "response_hours": pd.Series(dtype="float64"),
            "age_hours": pd.Series(dtype="float64"),
            "business_hours": pd.Series(dtype="float64"),
            "over_sla": pd.Series(dtype="bool"),
            "month": pd.Series(dtype="str"),
        }
    )


def _utc(ns: np.ndarray) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC")


def turns(
    log: CaseLog | pd.DataFrame,
    *,
    as_of: Any = None,
    calendar: BusinessCalendar | None = None,
    exclude_acknowledgements: bool = True,
    acknowledgement_pattern: str | re.Pattern[str] | None = None,
    sla_hours: float = 48,
) -> pd.DataFrame:
    """One row per turn: a run of seller messages and the Amazon reply that ended it.

    A turn starts at a seller message that does not follow another seller message of the same
    case and takes in the seller messages after it up to the first Amazon reply; that reply
    ends it.  Response time is measured from the turn's *first* seller message.  Amazon
    messages before any seller message, or after a reply, answer nothing and are skipped.

    With ``exclude_acknowledgements`` (the default) an automated acknowledgement does not end a
    turn: an Amazon message whose ``kind`` is ``"acknowledgement"``, or whose subject or body
    matches :data:`ACKNOWLEDGEMENT_PATTERN` ("we have received your appeal", "we will respond
    within ...", "your appeal is under review", "this is an automated message", "thank you
    for contacting ...") while its body does not match :data:`SUBSTANTIVE_PATTERN` (words of
    a real answer: unable to, denied, reinstated, please provide, invoice, a help-page link,
    ...).  ``acknowledgement_pattern`` replaces both patterns: a message is then an
    acknowledgement when its kind says so or its text matches that regex.
    The text tested is ``subject + "\\n" + body`` (use ``(?s)`` for ``.`` to cross the line).

    Parameters
    ----------
    log : CaseLog or pandas.DataFrame
        A CaseLog, or its ``messages`` table alone (categories are then ``"Unknown"``).
        Needed columns: ``message_id, case_id, sent_at, direction``; used when present:
        ``account, team, channel, kind, subject, body``; ``cases.category``.
    as_of : timestamp, optional
        The moment of the analysis (naive values are UTC).  Default: the newest ``sent_at``.
        Messages after it are ignored; open turns age up to it.
    calendar : BusinessCalendar, optional
        When given, ``business_hours`` holds working hours (to the reply, or to ``as_of`` for
        open turns); otherwise NaN.
    exclude_acknowledgements : bool
        Skip automated acknowledgements (default True).
    acknowledgement_pattern : str or compiled regex, optional
        Replaces the default acknowledgement test (see above).
    sla_hours : float
        Response-time target for ``over_sla`` (default 48, as DOMAIN rule 3).

    Returns
    -------
    pandas.DataFrame
        Sorted by ``case_id, turn``; columns:

        - ``case_id, account`` (str); ``category`` (str, from ``log.cases``, ``"Unknown"`` when
          absent); ``turn`` (int, 1-based within the case);
        - ``first_seller_message_id`` (int), ``first_seller_at`` (UTC), ``n_seller_messages``;
        - ``reply_message_id`` (Int64, NA while open), ``reply_at`` (NaT while open);
        - ``team``: the replying team, or the team of the last seller message while open;
        - ``channel``: of the reply, or of the first seller message while open;
        - ``is_open`` (bool); ``response_hours`` (NaN while open); ``age_hours`` (``as_of``
          minus first seller message; NaN once answered); ``business_hours`` (float);
        - ``over_sla``: ``response_hours > sla_hours``, or open with ``age_hours > sla_hours``;
        - ``month``: ``"YYYY-MM"`` of ``first_seller_at`` (UTC).

    Raises
    ------
    SchemaError
        A needed column is missing.
    ConfigError
        A bad ``as_of``, ``calendar``, ``sla_hours`` or ``acknowledgement_pattern``.

    Examples
    --------
    >>> import caselog
    >>> t = turns(caselog.sample.generate(n_cases=20).log)
    >>> bool((t["reply_at"].dropna() >= t.loc[~t["is_open"], "first_seller_at"]).all())
    True
    """
    messages, cases = _split_log(log)
    missing = [c for c in _NEEDED if c not in messages.columns]
    if missing:
        raise SchemaError(
            f"messages lack column(s) {', '.join(missing)}; found {', '.join(map(str, messages.columns))}",
            missing=missing,
            found=messages.columns,
            column=missing[0],
        )
    if calendar is not None and not isinstance(calendar, BusinessCalendar):
        raise ConfigError(f"calendar: expected a BusinessCalendar, found {type(calendar).__name__}")
    if isinstance(sla_hours, bool) or not isinstance(sla_hours, int | float) or not sla_hours >= 0:
        raise ConfigError(f"sla_hours: expected a non-negative number, found {sla_hours!r}")

    sent_ns, _ = _as_utc_ns(messages["sent_at"], "sent_at")
    as_of_ns = _resolve_as_of(as_of, sent_ns)
    if as_of_ns is None:
        return _empty_turns()

    nat = np.iinfo(np.int64).min
    pos = np.flatnonzero((sent_ns != nat) & (sent_ns <= as_of_ns))  # rows of `messages`
    try:
        all_ids = np.asarray(messages["message_id"], dtype=np.int64)
    except (TypeError, ValueError) as exc:
        raise SchemaError("column 'message_id': expected integers", column="message_id") from exc
    all_codes, case_names = pd.factorize(messages["case_id"].astype("str"), sort=True)

    # canonical order: case_id, sent_at, message_id (skip the sort when already in it)
    c, t, i = all_codes[pos], sent_ns[pos], all_ids[pos]
    dc, dt_, di = np.diff(c), np.diff(t), np.diff(i)
    if not ((dc > 0) | ((dc == 0) & ((dt_ > 0) | ((dt_ == 0) & (di > 0))))).all():
        pos = pos[np.lexsort((i, t, c))]

    direction = messages["direction"].astype("str").str.strip().str.lower()
    seller = np.array(direction == "seller", dtype=bool)[pos]
    amazon = np.array(direction == "amazon", dtype=bool)[pos]
    if exclude_acknowledgements and amazon.any():
        amazon_rows = np.flatnonzero(amazon)
        ack = _acknowledgements(messages, pos[amazon_rows], acknowledgement_pattern)
        amazon[amazon_rows[ack]] = False
    used = seller | amazon
    pos, seller = pos[used], seller[used]
    if not seller.any():
        return _empty_turns()

    codes = all_codes[pos]
    n = pos.size
    same_prev = np.zeros(n, dtype=bool)
    same_prev[1:] = codes[1:] == codes[:-1]
    same_next = np.zeros(n, dtype=bool)
    same_next[:-1] = same_prev[1:]
    prev_seller = np.zeros(n, dtype=bool)
    prev_seller[1:] = seller[:-1]
    prev_seller &= same_prev
    next_seller = np.zeros(n, dtype=bool)
    next_seller[:-1] = seller[1:]
    next_seller &= same_next

    first = np.flatnonzero(seller & ~prev_seller)  # first seller message of each turn
    last = np.flatnonzero(seller & ~next_seller)  # last seller message of each turn
    answered = same_next[last]  # the next row of the case exists and is an Amazon reply
    reply = np.where(answered, last + 1, last)  # row of the reply (own last row while open)

    turn_codes = codes[first]
    k = np.arange(first.size)
    new_case = np.ones(first.size, dtype=bool)
    new_case[1:] = turn_codes[1:] != turn_codes[:-1]
    turn_no = k - np.maximum.accumulate(np.where(new_case, k, 0)) + 1

    ns = sent_ns[pos]
    first_ns = ns[first]
    reply_ns = np.where(answered, ns[reply], nat)
    is_open = ~answered
    response = np.where(answered, (reply_ns - first_ns) / _NS_PER_HOUR, np.nan)
    age = np.where(is_open, (as_of_ns - first_ns) / _NS_PER_HOUR, np.nan)
    ids = all_ids[pos]

    # category: looked up once per case name, then taken per turn
    case_category = pd.Series("Unknown", index=case_names, dtype="str")
    if cases is not None and len(cases) and {"case_id", "category"} <= set(cases.columns):
        lookup = (
            cases[["case_id", "category"]]
            .assign(case_id=lambda x: x["case_id"].astype("str"))
            .drop_duplicates("case_id")
            .set_index("case_id")["category"]
        )
        found = pd.Series(case_names, index=case_names).map(lookup).fillna("").astype("str")
        case_category = found.where(found.str.strip() != "", "Unknown")

    team = _text_at(messages, "team", pos[np.where(answered, reply, last)])
    channel = _text_at(messages, "channel", pos[np.where(answered, reply, first)])
    account = _text_at(messages, "account", pos[first])
    first_at = _utc(first_ns)
    out = pd.DataFrame(
        {
            "case_id": case_names.take(turn_codes).astype("str").array,
            "account": account.array,
            "category": case_category.take(turn_codes).array,
            "turn": turn_no.astype(np.int64),
            "first_seller_message_id": ids[first].astype(np.int64),
            "first_seller_at": first_at,
            "n_seller_messages": (last - first + 1).astype(np.int64),
            "reply_message_id": pd.arrays.IntegerArray(
                np.where(answered, ids[reply], 0).astype(np.int64), is_open.copy()
            ),
            "reply_at": _utc(reply_ns),
            "team": team.array,
            "channel": channel.array,
            "is_open": is_open,
            "response_hours": response,
            "age_hours": age,
            "business_hours": np.full(first.size, np.nan),
            "over_sla": np.where(answered, response > sla_hours, age > sla_hours),
            "month": pd.array(
                first_at.tz_localize(None).to_period("M").strftime("%Y-%m"), dtype="str"
            ),
        }
    )
    if calendar is not None:
        end = np.where(answered, reply_ns, as_of_ns)
        out["business_hours"] = business_hours_between(
            first_at, _utc(end), calendar
        ).to_numpy()
    return out


def first_response(turns: pd.DataFrame) -> pd.DataFrame:
    """The first turn of every case: how long Amazon took to answer the first time.

    Parameters
    ----------
    turns : pandas.DataFrame
        Output of :func:`turns` (needs ``case_id, account, category, turn, response_hours,
        is_open``).

    Returns
    -------
    pandas.DataFrame
        One row per case that has a seller message, sorted by ``case_id``: ``case_id,
        account, category, first_response_hours`` (NaN while the first turn is open),
        ``is_open``.

    Examples
    --------
    >>> import caselog
    >>> t = turns(caselog.sample.generate(n_cases=20).log)
    >>> first_response(t)["case_id"].is_unique
    True
    """
    needed = ["case_id", "account", "category", "turn", "response_hours", "is_open"]
    _require(turns, needed, "turns")
    first = turns.loc[turns["turn"] == 1, needed].sort_values("case_id", kind="stable")
    first = first.drop_duplicates("case_id").reset_index(drop=True)
    return first.rename(columns={"response_hours": "first_response_hours"}).drop(columns="turn")


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{what} lacks column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}",
            missing=missing,
            found=frame.columns,
            column=missing[0],
        )


def response_summary(
    turns: pd.DataFrame,
    by: str | Sequence[str] | None = "team",
    *,
    sla_hours: float = 48,
    value: str = "response_hours",
) -> pd.DataFrame:
    """Response-time statistics of :func:`turns`, by team, case, category, month, ...

    Parameters
    ----------
    turns : pandas.DataFrame
        Output of :func:`turns` (needs ``is_open, response_hours, age_hours`` and, for
        ``value="business_hours"``, ``business_hours``).
    by : str, list of str or None
        Column(s) to group by, e.g. ``"team"``, ``"case_id"``, ``"category"``, ``"account"``,
        ``"month"``, ``["account", "team"]``; ``None`` gives one overall row.
    sla_hours : float
        Target for ``share_over_sla`` (default 48).
    value : {"response_hours", "business_hours"}
        Which measure to summarise.

    Returns
    -------
    pandas.DataFrame
        Sorted by the ``by`` columns; ``[by...], n, n_answered, n_open, mean_hours,
        median_hours, p90_hours, share_over_sla``.

        - ``n``: turns; ``n_answered``: turns with a reply; ``n_open``: turns without one,
          i.e. the turns whose response time is missing.
        - ``mean_hours, median_hours, p90_hours``: over the answered turns (90th percentile
          with linear interpolation); NaN when the group has none.
        - ``share_over_sla``: share of *all* turns over ``sla_hours``: answered turns whose
          value exceeds it and open turns whose age (``age_hours``, or for business hours the
          working hours so far) exceeds it.  NaN when the value is unknown for all of them
          (business hours without a calendar).

    Raises
    ------
    ConfigError
        ``by`` names a column that ``turns`` lacks (the message lists those it has), or
        ``value`` is not one of the two measures.

    Examples
    --------
    >>> import caselog
    >>> t = turns(caselog.sample.generate(n_cases=20).log)
    >>> int(response_summary(t, by=None)["n"].iloc[0]) == len(t)
    True
    """
    if value not in ("response_hours", "business_hours"):
        raise ConfigError(
            f"value: expected 'response_hours' or 'business_hours', found {value!r}"
        )
    if isinstance(sla_hours, bool) or not isinstance(sla_hours, int | float) or not sla_hours >= 0:
        raise ConfigError(f"sla_hours: expected a non-negative number, found {sla_hours!r}")
    if by is None:
        keys: list[str] = []
    elif isinstance(by, str):
        keys = [by]
    else:
        keys = list(by)
    for key in keys:
        if key not in turns.columns:
            raise ConfigError(
                f"by: turns have no column {key!r}; available: {', '.join(map(str, turns.columns))}",
                column=str(key),
            )
    needed = ["is_open", value] + (["age_hours"] if value == "response_hours" else [])
    _require(turns, needed, "turns")

    is_open = turns["is_open"].to_numpy(dtype=bool)
    raw = turns[value].to_numpy(dtype=np.float64, na_value=np.nan)
    elapsed = raw.copy()
    if value == "response_hours":
        elapsed[is_open] = turns["age_hours"].to_numpy(dtype=np.float64, na_value=np.nan)[is_open]
    over = np.where(np.isnan(elapsed), np.nan, elapsed > sla_hours)
    work = pd.DataFrame(
        {
            "_v": np.where(is_open, np.nan, raw),
            "_answered": (~is_open).astype(np.int64),
            "_open": is_open.astype(np.int64),
            "_over": over,
        },
        index=turns.index,
    )
    if keys:
        for key in keys:
            work[key] = turns[key]
        group_keys = keys
    else:
        work["_all"] = 0
        group_keys = ["_all"]
    grouped = work.groupby(group_keys, sort=True, dropna=False, observed=True)
    out = grouped.agg(
        n=("_v", "size"),
        n_answered=("_answered", "sum"),
        n_open=("_open", "sum"),
        mean_hours=("_v", "mean"),
        median_hours=("_v", "median"),
        share_over_sla=("_over", "mean"),
    )
    out["p90_hours"] = grouped["_v"].quantile(0.9, interpolation="linear")
    out = out.reset_index()
    if not keys:
        out = out.drop(columns="_all")
        if out.empty:  # no turns at all: one row of zeros and NaN
            out = pd.DataFrame({"n": [0], "n_answered": [0], "n_open": [0]}).assign(
                mean_hours=np.nan, median_hours=np.nan, p90_hours=np.nan, share_over_sla=np.nan
            )
    for col in ("n", "n_answered", "n_open"):
        out[col] = out[col].astype(np.int64)
    for col in ("mean_hours", "median_hours", "p90_hours", "share_over_sla"):
        out[col] = out[col].astype(np.float64)
    return out[keys + list(SUMMARY_COLUMNS)]
