"""Load case-history exports (CSV, TSV, Excel, a list or a folder of them) into a CaseLog.

The loader reads every file, matches its columns to caselog's fields through the alias
tables (:mod:`caselog.aliases`), normalises values, parses timestamps, and sorts every
input row into exactly one of: ``messages``, ``rejects`` (with a plain-words reason) or
the duplicate count.  Problems with a whole file raise a :class:`~caselog.CaselogError`
subclass naming the file, sheet and column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .._memory import release_memory, uses_arrow_pool
from ..errors import (
    EmptyFileError,
    FileFormatError,
    MappingError,
    SchemaError,
)
from ..model import CaseLog, empty_skipped
from ..schema import (
    MESSAGE_COLUMNS,
    REJECT_COLUMNS,
    REQUIRED_MESSAGE_FIELDS,
)
from ._addresses import AmazonAddresses
from ._aliases import CASE_FIELD_ALIASES, MESSAGE_FIELD_ALIASES, Aliases, normalise_key
from ._args import check_load_args, warnings_as_decisions
from ._cases import _coerce, _derive_cases, _fill_seller_team
from ._columns import _match_columns, _where_text
from ._dates import check_tz
from ._excel import _read_excel
from ._files import SUPPORTED_SUFFIXES, _expand_sources, _read_text
from ._limits import ReadLimits
from ._pick import pick_rows, take_in_order
from ._rows import Kept, _cases_from_sheet, _messages_from
from ._sources import detect_format, load_reader_source
from ._zones import zone_names

__all__ = ["load", "SUPPORTED_SUFFIXES"]

# --------------------------------------------------------------------------- public entry point


@uses_arrow_pool
@warnings_as_decisions
def load(
    source: str | PathLike | Iterable[str | PathLike],
    *,
    mapping: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    tz: str = "UTC",
    sheets: str | list[str] | Mapping[str, str | list[str]] | None = None,
    dayfirst: bool | None = None,
    aliases: Aliases | None = None,
    format: str | None = None,  # noqa: A002 - the word users know
    addresses: AmazonAddresses | None = None,
    amazon_domains: Iterable[str] | None = None,
    seller_addresses: Iterable[str] | None = None,
    helpdesk_roles: Mapping[str, str] | None = None,
    tzinfos: Mapping[str, str] | None = None,
    limits: ReadLimits | None = None,
) -> CaseLog:
    """Load case-history exports into a :class:`~caselog.CaseLog`.

    Parameters
    ----------
    source : path, or list of paths
        A CSV, TSV or XLSX file; a mailbox (``.mbox``, one ``.eml``, a folder of ``.eml``); a
        Seller Central case page (saved ``.html``, or pasted as ``.txt``); a help-desk export
        (Zendesk, Freshdesk or Help Scout ``.json``, Jira or Zendesk comment ``.csv``); a folder
        of any of these (sorted by name) or a list.  The reader is chosen from the suffix and
        the content.
    mapping : dict, optional
        Canonical field -> your column name, overriding the alias table, e.g.
        ``{"case_id": "issueid", "sent_at": "created"}``.  Fields: ``case_id, account, sent_at,
        direction, team, channel, subject, body, attachments, kind`` and the case fields
        ``category, status, opened_at, closed_at, outcome, asins``.
    values : dict of dict, optional
        Canonical field -> {raw value: canonical value}, applied before the alias tables, e.g.
        ``{"direction": {"reporter": "seller", "assignee": "amazon"}}``.
    tz : str
        IANA time zone that naive timestamps are in (default UTC); everything is stored in UTC.
    sheets : str, list or dict, optional
        Excel sheets holding messages (``"Messages"`` or ``["Jan", "Feb"]``), or
        ``{"messages": ..., "cases": ...}``.  By default a sheet named Messages (or every sheet
        that is not a Cases sheet) holds messages and a sheet named Cases holds cases; of several
        such sheets, empty ones and ones without a case ID, date and sender column are skipped
        (and reported in ``decisions``).
    dayfirst : bool, optional
        Force the day/month order of slashed dates; by default decided once per column.
    aliases : Aliases, optional
        Replacement alias tables.
    tzinfos : dict, optional
        Zone abbreviation -> IANA zone or fixed offset, e.g. ``{"IST": "Asia/Kolkata"}`` or
        ``{"IST": "+05:30"}`` (command line: ``--zone-abbrev IST=Asia/Kolkata``).  Times followed
        by a zone (``14 Mar 2026 14:05 PST``, ``... -0800``) are read in it; one caselog does not
        know or finds ambiguous (IST, CST, BST, ...) makes the row a reject saying so, unless
        named here.
    format : str, optional
        Force one reader for every source: ``table`` (CSV/TSV text), ``excel``, ``email``,
        ``sellercentral``, ``helpdesk`` (or ``zendesk``, ``freshdesk``, ``helpscout``, ``jira``).
    addresses : AmazonAddresses, optional
        The Amazon address -> team table for mail and help desks (default
        :class:`~caselog.AmazonAddresses`).
    amazon_domains, seller_addresses : list of str, optional
        More domains whose senders are Amazon; addresses or domains that are the seller side
        whatever their domain (added to ``addresses``).
    helpdesk_roles : dict, optional
        Who a help-desk author without an e-mail address is, by role: default
        ``{"agent": "seller", "requester": "amazon"}`` (an agency's or seller's desk).
    limits : ReadLimits, optional
        Largest workbook read (cells per sheet, unpacked bytes, packing ratio); a larger one is
        a ``FileFormatError`` before any sheet is parsed.  Default ``ReadLimits()``.

    Returns
    -------
    CaseLog
        ``messages`` (sorted by case_id, sent_at), ``cases``, ``rejects``, ``duplicates``,
        ``input_rows`` (message rows read) and ``decisions`` (how the input was read).
        ``input_rows == len(messages) + len(rejects) + duplicates + len(skipped)``: a row of a
        Cases sheet without a case ID is a reject (with a reason that says so) and so an input
        row too; ``skipped`` lists the mails, cards and help-desk items that are not case
        correspondence (newsletters, order mails, calendar invitations, internal notes).

    Raises
    ------
    SchemaError
        A required column (case ID, date, sender) is missing; the message lists the columns found.
    FileFormatError, EmptyFileError, EncodingError, SourceNotFoundError
        A file cannot be read; the message names it and says what was found.
    MappingError
        ``mapping`` or ``values`` names an unknown field or a column no file has.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.load("data/sample/caselog_sample.csv")  # run from the repository root
    >>> log
    CaseLog(3,090 messages, 300 cases, 0 rejects, 0 duplicates)
    >>> log.input_rows == len(log.messages) + len(log.rejects) + log.duplicates
    True
    """
    check_load_args(mapping=mapping, values=values, sheets=sheets, dayfirst=dayfirst, aliases=aliases, limits=limits)
    check_tz(tz)
    zone_names(tzinfos)  # a ConfigError now, not at the first date column
    aliases = aliases or Aliases.default()
    mapping, values = _checked_maps(mapping, values)
    addresses = addresses or AmazonAddresses()
    if amazon_domains:
        addresses = addresses.with_domains(list(amazon_domains))
    if seller_addresses:
        addresses = addresses.with_seller_addresses(list(seller_addresses))
    paths, from_folder = _expand_sources(source)
    acc = _Collected()
    opts = _Options(aliases=aliases, mapping=mapping, values=values, tz=tz, dayfirst=dayfirst,
                    tzinfos=tzinfos, sheets=sheets, limits=limits,
                    multi=len(paths) > 1 or from_folder)
    for path in paths:
        fmt = detect_format(path, format)
        if fmt in ("email", "sellercentral", "helpdesk"):
            _read_source(path, fmt, format, addresses, helpdesk_roles, opts, acc)
        else:
            _read_table_file(path, fmt, opts, acc)
    return _finish(acc, paths, mapping)


# ------------------------------------------------------------------------------------ stages


@dataclass
class _Options:
    """What every file of one :func:`load` call is read with."""

    aliases: Aliases
    mapping: dict[str, str]
    values: dict[str, dict[str, str]]
    tz: str
    dayfirst: bool | None
    tzinfos: Any
    sheets: Any
    limits: ReadLimits | None
    multi: bool  # several files (or a folder): a file that is not a history is skipped


@dataclass
class _Collected:
    """What the files of one :func:`load` call gave, in order; every input row lands in
    exactly one of messages, rejects, skipped (the duplicates are found at the end)."""

    messages: list[pd.DataFrame | Kept] = field(default_factory=list)
    rejects: list[pd.DataFrame] = field(default_factory=list)
    cases: list[pd.DataFrame] = field(default_factory=list)
    skipped: list[pd.DataFrame] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    mapped_columns: set[str] = field(default_factory=set)
    mapped_fields: set[str] = field(default_factory=set)
    input_rows: int = 0


def _checked_maps(mapping: Any, values: Any) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """``mapping=`` and ``values=`` as plain dicts, or a MappingError saying what is wrong."""
    if not isinstance(mapping or {}, Mapping):
        raise MappingError(f"mapping= takes {{field: column name}}, found {mapping!r}")
    if not isinstance(values or {}, Mapping) or not all(
        isinstance(v, Mapping) for v in (values or {}).values()
    ):
        raise MappingError(f"values= takes {{field: {{raw value: canonical value}}}}, found {values!r}")
    mapping = dict(mapping or {})
    values = {k: dict(v) for k, v in (values or {}).items()}
    known = set(MESSAGE_FIELD_ALIASES) | set(CASE_FIELD_ALIASES)
    for name in list(mapping) + list(values):
        if name not in known:
            raise MappingError(
                f"{name!r} is not a caselog field; fields are {sorted(known)}"
            )
    return mapping, values


def _read_source(path: Any, fmt: str, forced: str | None, addresses: AmazonAddresses,
                 roles: Any, o: _Options, acc: _Collected) -> None:
    """An e-mail, Seller Central page or help-desk file, through its reader."""
    try:
        got = load_reader_source(
            path, fmt, forced=forced, addresses=addresses, roles=roles, aliases=o.aliases,
            mapping=o.mapping, values=o.values, tz=o.tz, dayfirst=o.dayfirst, tzinfos=o.tzinfos,
        )
    except FileFormatError as exc:
        if not o.multi or forced is not None or path.suffix.lower() not in (".json", ".html", ".htm", ".txt"):
            raise
        # a folder's stray page or JSON file is not fatal, as a notes sheet is not
        acc.decisions.append(f"{path.name}: skipped, not a case history ({exc})")
        return
    acc.decisions += got["decisions"]
    acc.messages += got["messages"]
    acc.rejects += got["rejects"]
    acc.skipped += got["skipped"]
    acc.mapped_columns |= got["mapped"]
    acc.mapped_fields.add("attachments")  # mail, pages and desks count their attachments
    acc.input_rows += got["input_rows"]


def _read_table_file(path: Any, fmt: str, o: _Options, acc: _Collected) -> None:
    """A CSV/TSV file or a workbook: its message tables, its ragged rows, its cases sheets."""
    bad_rows: list[tuple[int, int, str]] = []
    guessed = False
    if fmt == "excel":
        msg_tables, case_tables, notes, guessed = _read_excel(path, o.sheets, o.limits)
    else:
        msg_tables, notes, bad_rows = _read_text(path)
        case_tables = []
    acc.decisions += notes
    while msg_tables:
        table = msg_tables.pop(0)  # let each raw table go as soon as it is mapped
        _message_table(table, skippable=guessed or (o.multi and not case_tables),
                       bad_rows=bool(bad_rows), o=o, acc=acc)
        del table
        release_memory()
    if bad_rows:
        acc.rejects.append(pd.DataFrame({
            "file": path.name, "sheet": "", "row": [r[0] for r in bad_rows],
            "source": [f"{path.name} row {r[0]}" for r in bad_rows],
            "reason": [f"row has {r[1]} fields, more than the header's columns" for r in bad_rows],
            "raw": [r[2] for r in bad_rows],
        }))
        acc.input_rows += len(bad_rows)
    for table in case_tables:
        _cases_table(table, o, acc)


def _message_table(table: Any, *, skippable: bool, bad_rows: bool, o: _Options,
                   acc: _Collected) -> None:
    """One table of messages: its columns matched, its rows into messages and rejects."""
    if table.frame.shape[1] == 0 or (len(table.frame) == 0 and not bad_rows):
        raise EmptyFileError(
            "has a header but no data rows" + (f" (columns: {list(table.frame.columns)})" if table.frame.shape[1] else ""),
            **table.where(),
        )
    fields, case_fields, notes = _match_columns(list(table.frame.columns), o.aliases, o.mapping, table.where())
    keys = {normalise_key(c) for c in table.frame.columns}
    acc.mapped_columns.update(c for c in o.mapping.values() if normalise_key(c) in keys)
    if skippable and any(r not in fields for r in REQUIRED_MESSAGE_FIELDS):
        acc.decisions.append(
            f"{_where_text(table.where())}: skipped, not a case history "
            f"(no {[r for r in REQUIRED_MESSAGE_FIELDS if r not in fields]} column)"
        )
        return
    acc.decisions += notes
    acc.mapped_fields.update(fields)
    good, rejects, notes = _messages_from(
        table, fields, case_fields, aliases=o.aliases, values=o.values, tz=o.tz,
        dayfirst=o.dayfirst, tzinfos=o.tzinfos, defer=True,
    )
    acc.decisions += notes
    acc.decisions.append(
        f"{_where_text(table.where())}: " + ", ".join(f"{k} <- {v!r}" for k, v in fields.items())
    )
    acc.input_rows += len(good) + len(rejects)
    acc.messages.append(good)
    acc.rejects.append(rejects)


def _cases_table(table: Any, o: _Options, acc: _Collected) -> None:
    """A workbook's cases sheet: one row per case, its rows into cases and rejects."""
    fields, case_fields, notes = _match_columns(list(table.frame.columns), o.aliases, o.mapping, table.where())
    cid = fields.get("case_id")
    if cid is None:
        raise SchemaError(
            f"cases sheet has no case ID column; columns found: {list(table.frame.columns)}",
            missing=["case_id"], found=list(table.frame.columns), **table.where(),
        )
    all_fields = {**case_fields}
    if "account" in fields:
        all_fields["account"] = fields["account"]
    if "opened_at" not in all_fields and "sent_at" in fields:
        all_fields["opened_at"] = fields["sent_at"]
    cases, rejects, notes = _cases_from_sheet(
        table, cid, all_fields, aliases=o.aliases, values=o.values, tz=o.tz,
        dayfirst=o.dayfirst, tzinfos=o.tzinfos,
    )
    acc.decisions += notes
    acc.cases.append(cases)
    acc.rejects.append(rejects)
    acc.input_rows += len(rejects)  # a rejected cases-sheet row is an input row too


def _finish(acc: _Collected, paths: list[Any], mapping: dict[str, str]) -> CaseLog:
    """The CaseLog of what was read: duplicates counted and dropped, messages in case, time
    and reading order, the cases table derived, every table in its canonical dtypes."""
    unknown_cols = [c for c in mapping.values() if c not in acc.mapped_columns]
    if unknown_cols:
        raise MappingError(
            f"mapping names column(s) {unknown_cols} that no file has; files: {[p.name for p in paths]}"
        )
    skipped = (pd.concat(acc.skipped, ignore_index=True) if acc.skipped else empty_skipped())
    skipped = skipped.astype({c: "str" for c in skipped.columns})
    if not acc.messages and len(skipped):
        reasons = skipped["reason"].str.split(" (", n=1, regex=False).str[0].value_counts()
        raise EmptyFileError(
            f"holds no case messages: all {len(skipped)} items are not case correspondence ("
            + ", ".join(f"{n} {r}" for r, n in reasons.items()) + ")",
            file=", ".join(p.name for p in paths),
        )
    if not acc.messages:
        raise SchemaError(
            "no file holds case messages (a case ID, a date and a sender column)",
            file=", ".join(p.name for p in paths),
        )
    decisions = acc.decisions
    msg_frames = acc.messages
    rows = None
    if len(msg_frames) == 1:  # one table: its rows taken once, with the duplicates and the sort
        only = msg_frames[0]
        messages, rows = (only.frame, only.rows) if isinstance(only, Kept) else (only, None)
        messages = messages.reset_index(drop=True)
        del only  # the table's frame lives on in messages only: let it go after the take
    else:
        messages = pd.concat([m.taken() if isinstance(m, Kept) else m for m in msg_frames], ignore_index=True)
    msg_frames.clear()
    messages, duplicates = _without_duplicates(messages, decisions, rows)
    messages = _fill_seller_team(messages)
    release_memory()
    sheet_cases = pd.concat(acc.cases, ignore_index=True) if acc.cases else None
    cases, notes = _derive_cases(messages, sheet_cases)
    decisions += notes
    rejects = pd.concat(acc.rejects, ignore_index=True) if acc.rejects else pd.DataFrame(columns=list(REJECT_COLUMNS))
    rejects = _coerce(rejects, REJECT_COLUMNS) if len(rejects) else _coerce(pd.DataFrame({c: pd.Series(dtype=object) for c in REJECT_COLUMNS}), REJECT_COLUMNS)
    messages = _coerce(messages, MESSAGE_COLUMNS)
    attachments_recorded = "attachments" in acc.mapped_fields
    if not attachments_recorded:
        decisions.append("no attachments column: attachments not recorded (readiness and briefs do not count them)")
    log = CaseLog(
        messages=messages,
        cases=cases,
        rejects=rejects,
        duplicates=duplicates,
        input_rows=acc.input_rows,
        decisions=tuple(decisions),
        skipped=skipped,
        attachments_recorded=attachments_recorded,
    )
    del messages, cases, rejects
    release_memory()  # what the loading steps freed: the analyses start from the log alone
    return log


def _without_duplicates(messages: pd.DataFrame, decisions: list[str],
                        rows: np.ndarray | None = None) -> tuple[pd.DataFrame, int]:
    """Message IDs in input order; exact repeats (same case, time, sender, subject and text)
    counted and dropped, the rest sorted by case, time and reading order in one take (one copy
    of the text).  ``rows``, when given, are the positions of the message rows in
    ``messages`` (the others are rejects, not yet dropped: they go in the same take).
    ``messages`` is emptied: each column is dropped from it as soon as it is taken."""
    n = len(messages) if rows is None else len(rows)
    ids = np.arange(n, dtype=np.int64)
    if rows is None:
        messages["message_id"] = ids
        part = messages
    else:
        column = np.full(len(messages), -1, dtype=np.int64)
        column[rows] = ids
        messages["message_id"] = column
        part = messages[["case_id", "sent_at", "direction"]].iloc[rows]
    codes, _ = pd.factorize(part["case_id"], sort=True)  # sorted codes: their order is the IDs' order
    sent_ns = pd.DatetimeIndex(part["sent_at"]).as_unit("ns").asi8
    ordered = _in_case_time_order(codes, sent_ns)
    dup = _repeats(messages if rows is None else part, codes, sent_ns,
                   text=None if rows is None else (messages, rows), ordered=ordered)
    duplicates = int(dup.sum())
    if duplicates:
        decisions.append(
            f"{duplicates} rows are exact repeats (same case, time, sender, subject and text) "
            "of an earlier row and were counted as duplicates"
        )
    keep = np.flatnonzero(~dup)
    # rows already in case and time order stay in it (their IDs increase): no sort needed
    order = (np.arange(len(keep)) if ordered
             else np.lexsort((ids[keep], sent_ns[keep], codes[keep])))
    at = keep[order] if rows is None else rows[keep[order]]
    # column by column, each let go once taken: the text is held twice one column at a time
    # (``messages`` is left without columns); a column in many Arrow chunks is put in one
    # first (Arrow's gather from many chunks would join them into a temporary copy anyway)
    # a table already in case, time and reading order with nothing dropped (an export sorted
    # by case, as they usually are) keeps its rows where they are: no gather at all
    in_place = len(at) == len(messages) and bool((at[1:] > at[:-1]).all())
    taken = {}
    for name in list(messages.columns):
        column = _one_chunk(messages[name])
        del messages[name]
        taken[name] = (column if in_place else _take_rows(column, at)).reset_index(drop=True)
        del column
        release_memory()  # the pages of the column let go: the next one may need them
    return pd.DataFrame(taken, index=pd.RangeIndex(len(at))), duplicates


def _take_rows(column: pd.Series, at: np.ndarray) -> pd.Series:
    """``column.iloc[at]``; a text column of one Arrow chunk through :func:`take_in_order`
    (no doubling buffer for the largest copy of the load)."""
    data = getattr(column.array, "_pa_array", None)
    if not isinstance(data, pa.ChunkedArray) or data.num_chunks != 1:
        return column.iloc[at]
    one = pa.chunked_array([take_in_order(data.chunk(0), at)], type=data.type)
    return pd.Series(type(column.array)(one), index=column.index[at], name=column.name,
                     dtype=column.dtype, copy=False)


def _one_chunk(column: pd.Series) -> pd.Series:
    """``column`` with its Arrow data in one chunk (the same values and dtype).

    A gather from an Arrow column of many chunks joins the chunks into a temporary copy first
    (at 1M messages, 10 % of the bodies in 175 chunks took 0.7-2.6 s instead of 0.01 s, and
    the copy's 214 MB), and the analyses pick rows from the text columns many times; the
    loaded columns are made of one chunk, once.
    """
    data = getattr(column.array, "_pa_array", None)
    if not isinstance(data, pa.ChunkedArray) or data.num_chunks <= 1:
        return column
    if (pa.types.is_string(data.type) or pa.types.is_binary(data.type)) and (
            data.nbytes >= np.iinfo(np.int32).max):
        return column  # 32-bit offsets: more than 2 GB of text does not fit in one chunk
    one = pa.chunked_array([data.combine_chunks()], type=data.type)
    return pd.Series(type(column.array)(one), index=column.index, name=column.name,
                     dtype=column.dtype, copy=False)


def _in_case_time_order(codes: np.ndarray, sent_ns: np.ndarray) -> bool:
    """The rows are sorted by case code, then time (as integers: NaT first, as a sort puts it)."""
    if len(codes) < 2:
        return True
    if (codes[1:] < codes[:-1]).any():
        return False
    back = sent_ns[1:] < sent_ns[:-1]  # compared, not subtracted: NaT is the smallest integer
    return not (back & (codes[1:] == codes[:-1])).any()


def _repeats(messages: pd.DataFrame, codes: np.ndarray, sent_ns: np.ndarray,
             text: tuple[pd.DataFrame, np.ndarray] | None = None,
             ordered: bool = False) -> np.ndarray:
    """``messages.duplicated(["case_id", "sent_at", "direction", "subject", "body"])`` as a
    boolean array, with the text compared only among the rows whose case, time and sender
    recur (a row whose case, time and sender no earlier or later row has is no repeat).

    ``codes`` are the case IDs' codes and ``sent_ns`` the times as integers (NaT the same
    integer everywhere, as ``duplicated`` treats NaT as equal to NaT).  ``text``, when given,
    is ``(frame, rows)``: the subject and body of row ``i`` are those of ``frame`` at
    ``rows[i]`` (``messages`` then needs only the case, time and sender).  ``ordered`` says the
    rows are in case and time order (:func:`_in_case_time_order`): then rows that share a case
    and a time are neighbours, and only those runs are looked at."""
    dup = np.zeros(len(messages), dtype=bool)
    if len(messages) < 2:
        return dup
    if ordered:
        new = np.empty(len(codes), dtype=bool)
        new[0] = True
        new[1:] = (codes[1:] != codes[:-1]) | (sent_ns[1:] != sent_ns[:-1])
        run = np.cumsum(new) - 1
        cand = np.flatnonzero(np.bincount(run)[run] >= 2)
        if not len(cand):
            return dup
        sender, _ = pd.factorize(messages["direction"].iloc[cand])
        triple = pd.DataFrame({"c": codes[cand], "t": sent_ns[cand], "d": sender})
        recur = np.zeros(len(codes), dtype=bool)
        recur[cand] = triple.duplicated(keep=False).to_numpy()
    else:
        sender, _ = pd.factorize(messages["direction"])
        triple = pd.DataFrame({"c": codes, "t": sent_ns, "d": sender})
        recur = triple.duplicated(keep=False).to_numpy()
    if recur.any():
        at = np.flatnonzero(recur)
        key = ["case_id", "sent_at", "direction", "subject", "body"]
        frame, where = (messages, at) if text is None else (text[0], text[1][at])
        flags = np.zeros(len(frame), dtype=bool)
        flags[where] = True  # the positions increase (rows do): a mask picks them in order
        part = pick_rows(frame, flags, key)
        dup[at] = part.duplicated(key, keep="first").to_numpy(dtype=bool)
    return dup
