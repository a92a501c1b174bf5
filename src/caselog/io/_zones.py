"""Time-zone names and UTC offsets written after a time ("14:05 PST", "14:05:00 -0800").

Amazon's pages and mail clients write a time with a zone abbreviation or a numeric offset.
This module says what each one means, splits it off a timestamp's text and resolves it:

- an **explicit** abbreviation (PST, EDT, CEST, JST, ...) is a fixed offset from UTC, whatever
  the date (PST in July is still UTC-8);
- a **generic** one (PT, MT, CT, ET, AKT, AET) is a region's wall time, with its summer time
  as it was at that date (PT is PST in winter and PDT in summer);
- a numeric offset (``+05:30``, ``-0800``, ``GMT+2``, ``UTC-05:00``) is that offset; ``GMT+2``
  means two hours *ahead* of UTC, as people write it (not the reversed POSIX sign);
- an **ambiguous** abbreviation (IST, CST, BST, AST, GST, SST, AMT, ECT) or one caselog does not
  know is not guessed: the value is unreadable with a reason, unless the user says what it
  means (``tzinfos={"IST": "Asia/Kolkata"}``; command line ``--zone-abbrev IST=Asia/Kolkata``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError

__all__ = [
    "Zone", "ZoneNames", "zone_names", "split_zone", "split_clock_zone", "FIXED", "GENERIC", "AMBIGUOUS",
    "NAMED", "NOT_ZONES",
]

#: explicit abbreviations: minutes east of UTC and what they stand for
FIXED: Mapping[str, tuple[int, str]] = MappingProxyType({
    "Z": (0, "UTC"), "UT": (0, "UTC"), "UTC": (0, "UTC"), "GMT": (0, "Greenwich Mean Time"),
    "PST": (-480, "US Pacific Standard Time"), "PDT": (-420, "US Pacific Daylight Time"),
    "MST": (-420, "US Mountain Standard Time"), "MDT": (-360, "US Mountain Daylight Time"),
    "CDT": (-300, "US Central Daylight Time"),
    "EST": (-300, "US Eastern Standard Time"), "EDT": (-240, "US Eastern Daylight Time"),
    "AKST": (-540, "Alaska Standard Time"), "AKDT": (-480, "Alaska Daylight Time"),
    "HST": (-600, "Hawaii Standard Time"), "HDT": (-540, "Hawaii-Aleutian Daylight Time"),
    "ADT": (-180, "Atlantic Daylight Time"),
    "NST": (-210, "Newfoundland Standard Time"), "NDT": (-150, "Newfoundland Daylight Time"),
    "BRT": (-180, "Brasilia Time"), "BRST": (-120, "Brasilia Summer Time"),
    "ART": (-180, "Argentina Time"),
    "WET": (0, "Western European Time"), "WEST": (60, "Western European Summer Time"),
    "CET": (60, "Central European Time"), "CEST": (120, "Central European Summer Time"),
    "MET": (60, "Middle European Time"), "MEST": (120, "Middle European Summer Time"),
    "MEZ": (60, "Mitteleuropaeische Zeit"), "MESZ": (120, "Mitteleuropaeische Sommerzeit"),
    "EET": (120, "Eastern European Time"), "EEST": (180, "Eastern European Summer Time"),
    "MSK": (180, "Moscow Time"), "IDT": (180, "Israel Daylight Time"),
    "WAT": (60, "West Africa Time"), "CAT": (120, "Central Africa Time"),
    "SAST": (120, "South Africa Standard Time"), "EAT": (180, "East Africa Time"),
    "PKT": (300, "Pakistan Standard Time"), "NPT": (345, "Nepal Time"),
    "ICT": (420, "Indochina Time"), "WIB": (420, "Western Indonesia Time"),
    "SGT": (480, "Singapore Time"), "HKT": (480, "Hong Kong Time"), "MYT": (480, "Malaysia Time"),
    "PHT": (480, "Philippine Time"), "AWST": (480, "Australian Western Standard Time"),
    "JST": (540, "Japan Standard Time"), "KST": (540, "Korea Standard Time"),
    "ACST": (570, "Australian Central Standard Time"), "ACDT": (630, "Australian Central Daylight Time"),
    "AEST": (600, "Australian Eastern Standard Time"), "AEDT": (660, "Australian Eastern Daylight Time"),
    "NZST": (720, "New Zealand Standard Time"), "NZDT": (780, "New Zealand Daylight Time"),
})
#: generic abbreviations: the region's wall time, summer time included
GENERIC: Mapping[str, str] = MappingProxyType({
    "PT": "America/Los_Angeles", "MT": "America/Denver", "CT": "America/Chicago",
    "ET": "America/New_York", "AKT": "America/Anchorage", "AET": "Australia/Sydney",
})
#: ambiguous abbreviations: the meanings in use, each with a zone the user can pass
AMBIGUOUS: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType({
    "IST": (("India", "Asia/Kolkata"), ("Ireland", "Europe/Dublin"), ("Israel", "Asia/Jerusalem")),
    "CST": (("US Central", "America/Chicago"), ("China", "Asia/Shanghai"), ("Cuba", "America/Havana")),
    "BST": (("British Summer Time", "Europe/London"), ("Bangladesh", "Asia/Dhaka")),
    "AST": (("Atlantic", "America/Halifax"), ("Arabia", "Asia/Riyadh")),
    "GST": (("Gulf", "Asia/Dubai"), ("South Georgia", "Atlantic/South_Georgia")),
    "SST": (("Samoa", "Pacific/Pago_Pago"), ("Singapore", "Asia/Singapore")),
    "AMT": (("Amazon", "America/Manaus"), ("Armenia", "Asia/Yerevan")),
    "ECT": (("Ecuador", "America/Guayaquil"), ("Eastern Caribbean", "America/Port_of_Spain")),
})
_KNOWN = frozenset(FIXED) | frozenset(GENERIC) | frozenset(AMBIGUOUS)
#: upper-case words after a time that are not zones
NOT_ZONES = frozenset(
    "AM PM A P JAN FEB MAR APR MAY JUN JUL AUG SEP SEPT OCT NOV DEC "
    "MON TUE TUES WED THU THUR THURS FRI SAT SUN".split()
)
_OFFSET = r"[+-][0-9]{2}(?::?[0-9]{2})?"
#: a zone name or a GMT/UTC offset (the pattern needs no look-around: Arrow's regex engine runs it)
NAMED = r"(?:GMT|UTC|UT)\s*[+-][0-9]{1,2}(?::?[0-9]{2})?|Z|[A-Z]{2,5}"
_CLOCK = r"[0-9]:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:\s*[AaPp]\.?\s?[Mm]\.?)?"
#: a zone after a clock; a parenthesised comment ("-0800 (PST)") and a trailing year may follow
_AFTER_CLOCK = re.compile(
    rf"^(?P<body>.*{_CLOCK})\s*\(?(?P<zone>{NAMED}|{_OFFSET})\)?"
    r"(?:\s*\((?P<note>[^()]*)\))?(?P<year>\s+[0-9]{4})?\s*$"
)
#: a named zone after a date without a clock ("14 Mar 2026 PST")
_AFTER_DATE = re.compile(rf"^(?P<body>.*[0-9])\s+\(?(?P<zone>{NAMED})\)?$")
#: the same with the name in any case ("14:05 pst"), taken only for a name in the tables
_ANY_CASE = tuple(re.compile(r.pattern.replace("[A-Z]{2,5}", "[A-Za-z]{2,5}")) for r in (_AFTER_CLOCK, _AFTER_DATE))
_NUMERIC = re.compile(r"^(?:(?:GMT|UTC|UT)\s*)?([+-])([0-9]{1,2})(?::?([0-9]{2}))?$")
_NAMED_ONLY = re.compile(rf"^\(?(?P<zone>{NAMED})\)?$")


@dataclass(frozen=True)
class Zone:
    """What one zone label means: a fixed offset, an IANA zone, or why it can't be used."""

    minutes: int | None = None  #: fixed offset, minutes east of UTC
    name: str | None = None  #: IANA zone (wall time at that date)
    reason: str = ""  #: non-empty: unusable, in plain words


def split_zone(text: str) -> tuple[str, str]:
    """Split a zone label off a timestamp's text: ``(rest, label)``; label ``""`` if none.

    Examples
    --------
    >>> split_zone("14 Mar 2026 14:05 PST")
    ('14 Mar 2026 14:05', 'PST')
    >>> split_zone("Sat, 14 Mar 2026 14:05:00 -0800 (PST)")
    ('Sat, 14 Mar 2026 14:05:00', '-0800')
    >>> split_zone("March 14, 2026 2:05 PM")
    ('March 14, 2026 2:05 PM', '')
    """
    m = _AFTER_CLOCK.match(text) or _AFTER_DATE.match(text)
    if not m or m.group("zone") in NOT_ZONES:
        m = next((m for r in _ANY_CASE if (m := r.match(text))), None)
        if not m or m.group("zone").upper() not in _KNOWN:
            return text, ""
    year = m.groupdict().get("year") or ""
    return m.group("body") + year, m.group("zone").replace(" ", "")


def split_clock_zone(text: str) -> tuple[str, str]:
    """Like :func:`split_zone`, for the part after a slashed date (which may be a zone alone)."""
    m = _NAMED_ONLY.match(text)
    if m and m.group("zone") not in NOT_ZONES:
        return "", m.group("zone").replace(" ", "")
    return split_zone(text)


def _offset(label: str) -> Zone | None:
    """A numeric offset (``+05:30``, ``-0800``, ``GMT+2``) as a Zone; None if not numeric."""
    m = _NUMERIC.match(label)
    if not m:
        return None
    sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes >= 60 or hours * 60 + minutes > 14 * 60:
        return Zone(reason=f"UTC offset {label!r} is not one (offsets run from -14:00 to +14:00)")
    return Zone(minutes=(-1 if sign == "-" else 1) * (hours * 60 + minutes))


def _user_zone(abbr: str, value: object) -> Zone:
    """The user's meaning of ``abbr``: an IANA zone name or a fixed offset; ConfigError if neither."""
    text = str(value).strip()
    fixed = _offset(text) if text not in ("Z", "UTC", "GMT", "UT") else Zone(minutes=0)
    if fixed is not None:
        if fixed.reason:
            raise ConfigError(f"tzinfos: {abbr!r} -> {text!r}: {fixed.reason}")
        return fixed
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ConfigError(
            f"tzinfos: {abbr!r} -> {text!r} is neither a time zone nor a UTC offset; use an IANA "
            "name such as 'Asia/Kolkata' or an offset such as '+05:30'"
        ) from None
    return Zone(name=text)


@dataclass(frozen=True)
class ZoneNames:
    """Zone labels -> :class:`Zone`: the built-in tables, overridden by the user's ``tzinfos``."""

    user: Mapping[str, Zone] = field(default_factory=lambda: MappingProxyType({}))

    def resolve(self, label: str) -> Zone:
        """What ``label`` (as :func:`split_zone` returns it) means.

        Examples
        --------
        >>> names = zone_names({"IST": "Asia/Kolkata"})
        >>> names.resolve("PST"), names.resolve("PT"), names.resolve("IST")
        (Zone(minutes=-480, name=None, reason=''), Zone(minutes=None, name='America/Los_Angeles', reason=''), Zone(minutes=None, name='Asia/Kolkata', reason=''))
        >>> print(zone_names().resolve("IST").reason)
        time zone 'IST' is ambiguous (India, Ireland, Israel); pass tzinfos={'IST': 'Asia/Kolkata'} or --zone-abbrev IST=Asia/Kolkata
        """
        key = label.upper()
        if key in self.user:
            return self.user[key]
        numeric = _offset(key)
        if numeric is not None:
            return numeric
        if key in FIXED:
            return Zone(minutes=FIXED[key][0])
        if key in GENERIC:
            return Zone(name=GENERIC[key])
        if key in AMBIGUOUS:
            meanings = AMBIGUOUS[key]
            return Zone(reason=(
                f"time zone {key!r} is ambiguous ({', '.join(m for m, _ in meanings)}); pass "
                f"tzinfos={{{key!r}: {meanings[0][1]!r}}} or --zone-abbrev {key}={meanings[0][1]}"
            ))
        return Zone(reason=(
            f"time zone {key!r} is not one caselog knows; pass tzinfos={{{key!r}: "
            f"'<IANA zone or +HH:MM>'}} or --zone-abbrev {key}=ZONE"
        ))


def zone_names(tzinfos: Mapping[str, str] | None = None) -> ZoneNames:
    """Check the user's ``tzinfos`` (abbreviation -> IANA zone or ``+HH:MM``) and build the table.

    Raises :class:`~caselog.errors.ConfigError` naming the entry that is not a zone.

    Examples
    --------
    >>> zone_names({"ist": "+05:30"}).resolve("IST")
    Zone(minutes=330, name=None, reason='')
    """
    if tzinfos is None:
        return ZoneNames()
    if not isinstance(tzinfos, Mapping):
        raise ConfigError(
            f"tzinfos= takes {{abbreviation: zone}}, e.g. {{'IST': 'Asia/Kolkata'}}; found {tzinfos!r}"
        )
    user: dict[str, Zone] = {}
    for abbr, value in tzinfos.items():
        key = str(abbr).strip().upper()
        if not re.fullmatch(r"[A-Z]{2,5}", key):
            raise ConfigError(
                f"tzinfos: {abbr!r} is not a zone abbreviation (2 to 5 letters, such as 'IST')"
            )
        user[key] = _user_zone(key, value)
    return ZoneNames(MappingProxyType(user))
