"""Which reader a file needs (from its suffix and content, or ``format=``), and the glue that
turns a reader's :class:`~._raw.RawTable` into the loader's raw table, rejects and skipped items."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError, FileFormatError
from ._addresses import AmazonAddresses
from ._email import MSG_ERROR, looks_like_mail, read_email
from ._files import _EXCEL, _Table
from ._helpdesk import read_helpdesk
from ._raw import RawTable
from ._sellercentral import looks_like_case_page, read_sellercentral

__all__ = ["FORMATS", "detect_format", "read_source", "reader_table", "SKIPPED_COLUMNS"]

#: ``format=`` values: a spreadsheet (the table readers) or one of the source readers
FORMATS: tuple[str, ...] = ("table", "excel", "email", "sellercentral", "helpdesk",
                            "zendesk", "freshdesk", "helpscout", "jira")
SKIPPED_COLUMNS: tuple[str, ...] = ("file", "source", "reason")
_MAIL_SUFFIXES = (".mbox", ".eml", ".mbx")
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")


def _head(path: Path, n: int = 65536) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


def _helpdesk_csv(head: str) -> bool:
    first = head.lstrip("\ufeff").split("\n", 1)[0].lower()
    names = [c.strip().strip('"') for c in first.split(",")]
    return ("comment" in names and ("issue key" in names or "summary" in names)) or (
        "public" in names and ("ticket_id" in names or "ticket id" in names))


def detect_format(path: Path, forced: str | None = None) -> str:
    """The reader for ``path``: ``table``, ``excel``, ``email``, ``sellercentral`` or ``helpdesk``.

    Examples
    --------
    >>> detect_format(Path("tests/data/mail/inbox.mbox")), detect_format(Path("tests/data/pages"))
    ('email', 'sellercentral')
    """
    if forced is not None:
        if forced not in FORMATS:
            raise ConfigError(f"format={forced!r} is not a format caselog reads; use one of {list(FORMATS)}")
        return "helpdesk" if forced in ("zendesk", "freshdesk", "helpscout", "jira") else forced
    if path.is_dir():
        names = [f.suffix.lower() for f in path.iterdir() if f.is_file()]
        if ".eml" in names:
            return "email"
        if any(s in _PAGE_SUFFIXES for s in names):
            return "sellercentral"
        return "table"
    suffix = path.suffix.lower()
    if suffix == ".msg":
        raise FileFormatError(MSG_ERROR, file=path.name)
    if suffix in _EXCEL:
        return "excel"
    if suffix in _MAIL_SUFFIXES:
        return "email"
    if suffix in _PAGE_SUFFIXES:
        return "sellercentral"
    if suffix == ".json":
        return "helpdesk"
    head = _head(path)
    if head[:4] == b"PK\x03\x04" or b"\x00" in head[:4096]:
        return "table"  # the table reader says what the file is
    text = head.decode("utf-8", errors="replace")
    if suffix == ".csv":
        return "helpdesk" if _helpdesk_csv(text) else "table"
    if suffix in (".tsv",):
        return "table"
    if looks_like_mail(head):
        return "email"
    first = text.lstrip("\ufeff\r\n").split("\n", 1)[0]
    if re.search(r"<html|<!doctype html", text[:2000], re.I) or (
        "\t" not in first and looks_like_case_page(text)
    ):
        return "sellercentral"
    return "table"


def read_source(path: Path, fmt: str, *, addresses: AmazonAddresses, roles, desk: str | None) -> list[RawTable]:
    """Read one source with the reader ``fmt`` names (a folder of pages gives one table a page)."""
    if fmt == "email":
        return [read_email(path, addresses)]
    if fmt == "sellercentral":
        if path.is_dir():
            return [read_sellercentral(f) for f in sorted(path.iterdir())
                    if f.is_file() and f.suffix.lower() in _PAGE_SUFFIXES]
        return [read_sellercentral(path)]
    desk = desk if desk in ("zendesk", "freshdesk", "helpscout") else None
    return [read_helpdesk(path, addresses=addresses, roles=roles or {}, desk=desk)]


def reader_table(raw: RawTable) -> tuple[_Table, pd.DataFrame, pd.DataFrame]:
    """``(raw table for the pipeline, rejects of unreadable items, skipped items)``."""
    table = _Table(raw.frame, raw.file, raw.sheet, raw.rows)
    bad = raw.unreadable
    rejects = pd.DataFrame({
        "file": [b.file for b in bad], "sheet": "", "row": np.asarray([b.number for b in bad], dtype=np.int64),
        "source": [f"{b.file} {b.where}" if b.where != b.file else b.file for b in bad],
        "reason": [b.reason for b in bad], "raw": "",
    })
    skipped = pd.DataFrame({
        "file": [s.file for s in raw.skipped],
        "source": [f"{s.file} {s.where}" if s.where != s.file else s.file for s in raw.skipped],
        "reason": [s.reason for s in raw.skipped],
    }, columns=list(SKIPPED_COLUMNS))
    return table, rejects, skipped


def relabel(frame: pd.DataFrame, raw: RawTable, row_col: str) -> pd.DataFrame:
    """Sources in words (``inbox.mbox message 5``) instead of ``inbox.mbox row 5``."""
    if frame.empty or not raw.where:
        return frame
    label = raw.file + (f" [{raw.sheet}]" if raw.sheet else "")
    numbers = pd.Index(raw.rows)
    if numbers.is_unique:  # each row's words looked up by position, all at once
        rows = frame[row_col].to_numpy()
        at = numbers.get_indexer(rows)
        words = np.asarray(raw.where, dtype=object)[at]
        if (at < 0).any():
            words[at < 0] = [f"row {r}" for r in rows[at < 0].tolist()]
        source = np.where(words == raw.file, raw.file, (label + " ") + words)
    else:  # the last item of a number names it
        by_number = dict(zip(raw.rows.tolist(), raw.where, strict=True))
        text = (by_number.get(int(r), f"row {r}") for r in frame[row_col].tolist())
        source = [f"{label} {w}" if w != raw.file else raw.file for w in text]
    frame = frame.copy(deep=False)  # the other columns are not changed: not copied
    frame["source"] = source
    return frame


def load_reader_source(
    path: Path, fmt: str, *, forced: str | None, addresses: AmazonAddresses, roles, aliases, mapping,
    values, tz: str, dayfirst: bool | None, tzinfos=None,
) -> dict:
    """Read one mailbox, case page or help-desk export and run the pipeline's row mapping on it.

    Returns ``{"messages", "rejects", "skipped": [frames], "input_rows": int, "decisions": [str],
    "mapped": set of mapped column names}``.
    """
    from ._aliases import normalise_key
    from ._columns import _match_columns
    from ._rows import _messages_from

    out: dict = {"messages": [], "rejects": [], "skipped": [], "input_rows": 0, "decisions": [], "mapped": set()}
    for raw in read_source(path, fmt, addresses=addresses, roles=roles, desk=forced):
        out["decisions"] += list(raw.notes)
        table, unreadable, skipped = reader_table(raw)
        out["skipped"].append(skipped)
        out["rejects"].append(unreadable)
        out["input_rows"] += len(unreadable) + len(skipped)
        if len(table.frame) == 0:
            continue
        fields, case_fields, notes = _match_columns(list(table.frame.columns), aliases, mapping, table.where())
        keys = {normalise_key(c) for c in table.frame.columns}
        out["mapped"].update(c for c in mapping.values() if normalise_key(c) in keys)
        good, rejects, notes = _messages_from(
            table, fields, case_fields, aliases=aliases, values=values, tz=tz, dayfirst=dayfirst,
            tzinfos=tzinfos,
        )
        out["decisions"] += [n for n in notes if "columns not used" not in n]
        out["messages"].append(relabel(good, raw, "_row"))
        out["rejects"].append(relabel(rejects, raw, "row"))
        out["input_rows"] += len(good) + len(rejects)
    return out
