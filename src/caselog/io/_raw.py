"""What every source reader returns: raw canonical tables of text, and the items it skipped.

A reader (e-mail, Seller Central page, help-desk export) does not parse dates or map values: it
names each value by its canonical field (``case_id, account, sent_at, direction, team, channel,
subject, body, attachments, kind``) and leaves the rest to the loader's pipeline, which treats the
table exactly as a spreadsheet (value aliases, date parsing, rejects, case derivation, duplicates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["CANONICAL", "Skipped", "RawTable", "column_table", "find_case_id", "find_case_ids", "raw_table"]

#: the canonical message fields a reader fills, in this order
CANONICAL: tuple[str, ...] = (
    "case_id", "account", "sent_at", "direction", "team", "channel",
    "subject", "body", "attachments", "kind",
)

#: per-row case fields a reader may add (the case's status as the source shows it)
EXTRA: tuple[str, ...] = ("status",)

# "Case ID: 12345678901", "[CASE 12345678901]", "case 12345678901", "Case #1234567890",
# "Fall-ID 12345678901", "caso 12345678901", "ID de cas : 12345678901"
_CASE_ID = re.compile(
    r"(?:\bcase|\bfall|\bcaso|\bcas)\s*[-_]?\s*(?:id|number|no\.?|nr\.?|nummer|n[°º]|#)?\s*[:#]?\s*"
    r"(\d{8,12})\b",
    re.IGNORECASE,
)


# for ASCII text, where ignoring case is exactly lower-casing: the same pattern on the lower-cased
# text, only when the text has the eight digits in a row a case ID needs
_CASE_ID_LOWER = re.compile(_CASE_ID.pattern)
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")
# the same for Arrow's RE2 on lower-cased ASCII text, where the two engines agree (leftmost-first
# alternation, ASCII \b and \d) except for \s: re's takes \v and \x1c-\x1f too, RE2's does not
_CASE_ID_RE2 = _CASE_ID.pattern.replace(r"(\d{8,12})", r"(?P<id>\d{8,12})")
_RE2_SPACE_DIFFERS = r"[\x0b\x1c-\x1f]"


def find_case_id(*texts: str) -> str:
    """The first Amazon case ID in ``texts`` (searched in order), else ``""``.

    Examples
    --------
    >>> find_case_id("Re: [CASE 12345678901] listing", "")
    '12345678901'
    >>> find_case_id("no id here", "Case ID: 9876543210.")
    '9876543210'
    >>> find_case_id("Order 123-1234567-1234567")
    ''
    """
    for text in texts:
        if text:
            if text.isascii():
                m = None
                if _EIGHT_DIGITS.search(text):
                    # a match starts at a "cas" or "fall": searched from the first one
                    low = text.lower()
                    a, b = low.find("cas"), low.find("fall")
                    first = a if b < 0 else b if a < 0 else min(a, b)
                    m = _CASE_ID_LOWER.search(low, first) if first >= 0 else None
            else:
                m = _CASE_ID.search(text)
            if m:
                return m.group(1)
    return ""


def _holds_space_re2_differs_on(arr: object) -> bool:
    """Whether any text of the Arrow array ``arr`` holds a character of :data:`_RE2_SPACE_DIFFERS`
    (one byte each in UTF-8, which no other character's bytes hold): the bytes of all its texts
    searched at once (a byte search is many times faster than the regular expression per text)."""
    data = arr.buffers()[2]
    if data is None:
        return False
    held = data.to_pybytes()
    return any(byte in held for byte in (b"\x0b", b"\x1c", b"\x1d", b"\x1e", b"\x1f"))


def find_case_ids(texts: list[str]) -> list[str]:
    """``[find_case_id(t) for t in texts]``, the ASCII texts searched all at once (Arrow's RE2 on
    their lower-cased text), the others one by one.

    Examples
    --------
    >>> find_case_ids(["Case ID: 9876543210.", "none", "Fall-ID 12345678901 ü"])
    ['9876543210', '', '12345678901']
    """
    if len(texts) < 16:
        return [find_case_id(t) for t in texts]
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(texts, type=pa.large_string())
    except (pa.ArrowException, UnicodeError):  # a lone surrogate: searched one by one
        return [find_case_id(t) for t in texts]
    found = pc.struct_field(pc.extract_regex(pc.ascii_lower(arr), _CASE_ID_RE2), [0]).to_pylist()
    alone = pc.invert(pc.string_is_ascii(arr))
    if _holds_space_re2_differs_on(arr):
        alone = pc.or_(alone, pc.match_substring_regex(arr, _RE2_SPACE_DIFFERS))
    out = [f or "" for f in found]
    for i in alone.to_numpy(zero_copy_only=False).nonzero()[0].tolist():
        out[i] = find_case_id(texts[i])
    return out


@dataclass(frozen=True)
class Skipped:
    """An item of a source that is not case correspondence (a newsletter, an internal note)."""

    file: str
    where: str  # "message 5", "ticket 12 comment 3"
    reason: str
    number: int = 0  # the item's 1-based number in the file, when it has one


@dataclass(frozen=True)
class RawTable:
    """One source file as read: canonical columns of text, one row per message.

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns :data:`CANONICAL` (all text; ``sent_at`` as ISO-8601 with offset, or the time as
        the source shows it).
    file, sheet : str
        The file's name, and a part of it (``""`` when none).
    rows : numpy.ndarray
        1-based number of each row's item in the file (message, card, comment).
    where : tuple of str
        Each row's location in words (``"message 5"``, ``"notice.eml"``).
    skipped : tuple of Skipped
        Items that are not messages, with the reason.
    notes : tuple of str
        How the file was read.
    unreadable : tuple of Skipped
        Items that cannot be read at all (a mail that does not parse): rejects, with the reason.
    """

    frame: pd.DataFrame
    file: str
    sheet: str = ""
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    where: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()
    unreadable: tuple[Skipped, ...] = ()

    @property
    def items(self) -> int:
        """Items read: ``len(frame) + len(skipped) + len(unreadable)``."""
        return len(self.frame) + len(self.skipped) + len(self.unreadable)


def raw_table(
    records: list[dict[str, str]],
    *,
    file: str,
    rows: list[int],
    where: list[str],
    skipped: list[Skipped] | tuple[Skipped, ...] = (),
    notes: list[str] | tuple[str, ...] = (),
    sheet: str = "",
    unreadable: list[Skipped] | tuple[Skipped, ...] = (),
) -> RawTable:
    """Build a :class:`RawTable` from per-message dicts (missing fields become ``""``)."""
    columns = list(CANONICAL) + [c for c in EXTRA if any(c in r for r in records)]
    return column_table(
        {c: [str(r.get(c, "") or "") for r in records] for c in columns}, file=file, rows=rows,
        where=where, skipped=skipped, notes=notes, sheet=sheet, unreadable=unreadable,
    )


def column_table(
    columns: dict[str, list[str]],
    *,
    file: str,
    rows: list[int],
    where: list[str],
    skipped: list[Skipped] | tuple[Skipped, ...] = (),
    notes: list[str] | tuple[str, ...] = (),
    sheet: str = "",
    unreadable: list[Skipped] | tuple[Skipped, ...] = (),
) -> RawTable:
    """Build a :class:`RawTable` from columns of text, one value a row (a field of
    :data:`CANONICAL` not among them is ``""`` in every row)."""
    n = len(rows)
    names = list(CANONICAL) + [c for c in EXTRA if c in columns]
    frame = pd.DataFrame(
        {c: pd.Series(columns[c] if c in columns else [""] * n, dtype=object) for c in names}
    )
    return RawTable(
        frame=frame, file=file, sheet=sheet, rows=np.asarray(rows, dtype=np.int64),
        where=tuple(where), skipped=tuple(skipped), notes=tuple(notes), unreadable=tuple(unreadable),
    )
