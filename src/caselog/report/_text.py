"""Text helpers the deliverables share: Markdown/HTML escaping, terminal-safe text, dates and
waits written as a person writes them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = ["md_escape", "html_escape", "terminal_safe", "day", "days_list", "wait_words"]

_MD_INLINE = re.compile(r"([\\`*_\[\]|~$])")
_MD_LINE_START = re.compile(r"(?m)^(\s*)([-+=>#]|\d+[.)])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# C0/C1 controls except tab and newline, DEL, bidi overrides and isolates
_TERMINAL_BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def md_escape(text: Any) -> str:
    """``text`` made inert for Markdown and HTML: it shows as written, nothing in it renders.

    Markdown metacharacters (``\\ ` * _ [ ] | ~ $``) get a backslash (with ``[`` and ``]``
    escaped no link or image can form); list, quote and heading markers at a line start are
    escaped; ``<``, ``>`` and entity-like ``&`` become
    HTML entities, so ``<img src=x onerror=...>`` shows as text in JupyterLab, GitHub or any
    Markdown viewer.  ``$`` is escaped because notebooks render ``$...$`` as mathematics.

    Examples
    --------
    >>> md_escape("<img src=x onerror=alert(1)> **bold** $5")
    '&lt;img src=x onerror=alert(1)&gt; \\\\*\\\\*bold\\\\*\\\\* \\\\$5'
    >>> md_escape("- not a list")
    '\\\\- not a list'
    """
    s = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    s = _MD_INLINE.sub(r"\\\1", s)
    s = _ENTITY.sub("&amp;", s).replace("<", "&lt;").replace(">", "&gt;")
    return _MD_LINE_START.sub(r"\1\\\2", s)


def html_escape(text: Any) -> str:
    """``html.escape`` of ``str(text)`` (quotes included); missing values become ``""``."""
    import html

    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True)


def terminal_safe(text: Any) -> str:
    """``text`` without the characters a terminal acts on (escape sequences, other control
    characters, bidirectional overrides); tabs and line ends are kept, ``\\r`` becomes ``\\n``.

    Examples
    --------
    >>> terminal_safe("Acme\\x1b]0;pwned\\x07 Ltd\\r\\n")
    'Acme]0;pwned Ltd\\n'
    """
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _TERMINAL_BAD.sub("", s)


def day(ts: Any, *, year: bool = True) -> str:
    """``7 Jun 2026`` (or ``7 Jun``); ``""`` for a missing time."""
    if ts is None or pd.isna(ts):
        return ""
    ts = pd.Timestamp(ts)
    return f"{ts.day} {ts.strftime('%b %Y' if year else '%b')}"


def days_list(times: Sequence[Any], limit: int = 12) -> str:
    """Dates as a person lists them: ``17 Jun, 24 Jun and 5 Jul 2026``; the year once when all
    share it; more than ``limit`` dates are cut in the middle (``…``)."""
    ts = [pd.Timestamp(t) for t in times if t is not None and not pd.isna(t)]
    if not ts:
        return ""
    same_year = len({t.year for t in ts}) == 1
    words = [day(t, year=not same_year) for t in ts]
    if same_year:
        words[-1] = day(ts[-1])
    if len(words) > limit:
        words = words[: limit - 2] + ["…", words[-1]]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def wait_words(hours: Any) -> str:
    """A wait as a person writes it: ``40 minutes``, ``1 hour``, ``36 hours``, ``26 days``
    (days once the wait passes 48 hours).

    Examples
    --------
    >>> wait_words(0.5), wait_words(1), wait_words(36.4), wait_words(617.4)
    ('30 minutes', '1 hour', '36 hours', '26 days')
    """
    if hours is None or pd.isna(hours):
        return ""
    h = float(hours)
    if h < 1:
        m = max(1, round(h * 60))
        return f"{m} minute{'s' if m != 1 else ''}"
    if h <= 48:
        n = round(h)
        return f"{n} hour{'s' if n != 1 else ''}"
    d = round(h / 24)
    return f"{d} day{'s' if d != 1 else ''}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 case``, ``2 cases``."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
