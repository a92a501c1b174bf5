"""Load case-history exports (CSV, TSV, Excel, a list or a folder of them) into a CaseLog.

The loader reads every file, matches its columns to caselog's fields through the alias
tables (:mod:`caselog.aliases`), normalises values, parses timestamps, and sorts every
input row into exactly one of: ``messages``, ``rejects`` (with a plain-words reason) or
the duplicate count.  Problems with a whole file raise a :class:`~caselog.CaselogError`
subclass naming the file, sheet and column.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from ._zones import zone_names
from .aliases import CASE_FIELD_ALIASES, MESSAGE_FIELD_ALIASES, Aliases, normalise_key
from .dates import UNREADABLE, check_tz, parse_timestamps
from .errors import (
    CaselogError,
    EmptyFileError,
    EncodingError,
    FileFormatError,
    MappingError,
    SchemaError,
    SourceNotFoundError,
)
from .model import CaseLog
from .schema import (
    CASE_COLUMNS,
    CATEGORIES,
    CHANNELS,
    DIRECTIONS,
    MESSAGE_COLUMNS,
    REJECT_COLUMNS,
    REQUIRED_MESSAGE_FIELDS,
    STATUSES,
    TEAMS,
)

__all__ = ["load", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
_EXCEL = (".xlsx", ".xlsm")
_MESSAGE_SHEETS = {"messages", "message", "thread", "threads", "history", "log", "caselog", "contacts"}
_CASE_SHEETS = {"cases", "case", "tickets", "casesummary", "caselist"}
_ASIN_ANY = r"\bB0[A-Z0-9]{8}\b"

#: keywords that let the loader infer a case's category when the export has none
_CATEGORY_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("Account suspension", r"suspen|deactivat|plan of action|\bpoa\b|reinstat|account health"),
    ("Policy violation", r"infring|intellectual property|\bip complaint|counterfeit|inauthentic|policy violation|policy warning"),
    ("Delayed payment", r"payment|disburse|\bfunds\b|\breserve\b|payout"),
    ("Listing suppression", r"suppress|listing|detail page|search results"),
    ("Technical problem", r"error|\bbug\b|image|pricing|shipping template|upload|glitch"),
    ("Routine inquiry", r"question|how do i|how can i|inquiry|wondering"),
)


@dataclass(frozen=True)
class _Table:
    """One sheet or text file as read, before mapping."""

    frame: pd.DataFrame  # raw columns, object/str values
    file: str
    sheet: str
    rows: np.ndarray  # spreadsheet row number of each frame row

    def where(self) -> dict[str, str | None]:
        return {"file": self.file, "sheet": self.sheet or None}


# --------------------------------------------------------------------------- reading files


def _release_arrow_memory() -> None:
    """Hand memory that Arrow's allocator keeps cached back to the system between stages.

    Loading a large export makes several short-lived copies of its text columns; without this,
    the default (mimalloc) pool keeps their pages and the process's peak grows by a third.
    """
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover - pyarrow is a dependency
        pass


def _detect_encoding(path: Path, file: str) -> str:
    """``utf-8-sig`` when the whole file is valid UTF-8, else ``cp1252``; streamed in chunks."""
    import codecs

    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 24):
                    decoder.decode(chunk)
                    offset += len(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            bad_offset, bad_byte = offset + exc.start, exc.object[exc.start]
            continue
    raise EncodingError(
        f"is neither UTF-8 nor Windows-1252 text (byte 0x{bad_byte:02x} at offset {bad_offset}); "
        "save it as UTF-8 CSV",
        file=file,
    )


def _sniff_delimiter(first_line: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_text(path: Path) -> tuple[list[_Table], list[str], list[tuple[int, int, str]]]:
    """Read a delimited text file: ``(tables, notes, ragged rows as (row, fields, raw))``."""
    file = path.name
    with path.open("rb") as fh:
        head_bytes = fh.read(65536)
    if not head_bytes.strip() and path.stat().st_size <= len(head_bytes):
        raise EmptyFileError("is empty: no header and no rows", file=file)
    if head_bytes[:4] == b"PK\x03\x04":
        raise FileFormatError(
            "looks like an Excel workbook, not text; give it an .xlsx name", file=file
        )
    if b"\x00" in head_bytes[:4096]:
        raise EncodingError(
            "holds NUL bytes (UTF-16 or binary?); save it as UTF-8 CSV", file=file
        )
    encoding = _detect_encoding(path, file)
    head = head_bytes.decode(encoding, errors="ignore")
    first = head.lstrip("\r\n").split("\n", 1)[0]
    sep = _sniff_delimiter(first, path.suffix.lower())
    notes = []
    if encoding != "utf-8-sig":
        notes.append(f"{file}: read as Windows-1252 (not valid UTF-8)")
    try:
        frame = pd.read_csv(
            path, sep=sep, dtype=str, keep_default_na=False,
            skip_blank_lines=False, engine="c", encoding=encoding,
        )
        if not isinstance(frame.index, pd.RangeIndex):
            # more fields than header names: pandas would quietly make the extras an index
            raise pd.errors.ParserError("rows with more fields than the header")
        rows = np.arange(len(frame)) + 2
    except pd.errors.ParserError:
        try:
            frame, rows, bad = _read_text_tolerant(path.read_text(encoding=encoding), sep)
        except csv.Error as exc:
            raise FileFormatError(f"cannot be read as delimited text: {exc}", file=file) from None
        if bad:
            notes.append(f"{file}: {len(bad)} rows with the wrong number of fields")
        return [_Table(frame, file, "", rows)], notes, bad
    except (pd.errors.EmptyDataError, ValueError) as exc:
        raise FileFormatError(f"cannot be read as delimited text: {exc}", file=file) from None
    return [_Table(frame, file, "", rows)], notes, []


def _read_text_tolerant(
    text: str, sep: str
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, int, str]]]:
    """Python csv fallback for files with ragged rows: keep good rows, report bad ones."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header = next(reader)
    good, rows, bad = [], [], []
    for i, rec in enumerate(reader, start=2):
        if len(rec) > len(header):
            bad.append((i, len(rec), "; ".join(rec)))
            continue
        good.append(rec + [""] * (len(header) - len(rec)))
        rows.append(i)
    frame = pd.DataFrame(good, columns=_dedupe_names(header), dtype=str)
    return frame, np.asarray(rows, dtype=np.int64), bad


def _dedupe_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        out.append(n if k == 0 else f"{n}.{k}")
        seen[n] = k + 1
    return out


_BAD_DATE_CELL = re.compile(
    r"Cell ([A-Z]+)([0-9]+) is marked as a date but the serial value (\S+) is outside the limits"
)


def _read_book(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as an object frame.  A cell formatted as a date whose serial is past Excel's
    last date is given back as its number (openpyxl would warn and make it empty, so the row
    would read as "date is empty"); the date parser then rejects it saying why."""
    book: dict[str, pd.DataFrame] = {}
    with pd.ExcelFile(path, engine="openpyxl") as xl:
        for name in xl.sheet_names:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                frame = xl.parse(name, dtype=object)
            for w in caught:
                m = _BAD_DATE_CELL.search(str(w.message))
                if not m:
                    continue
                col = 0
                for ch in m.group(1):
                    col = col * 26 + ord(ch) - 64
                row = int(m.group(2)) - 2  # row 1 is the header
                if 0 <= row < len(frame) and col <= frame.shape[1]:
                    frame.iat[row, col - 1] = pd.to_numeric(m.group(3), errors="coerce")
            book[str(name)] = frame
    return book


def _read_excel(
    path: Path, sheets: object
) -> tuple[list[_Table], list[_Table], list[str], bool]:
    """``(message tables, case tables, notes, guessed)``; ``guessed`` is True when several
    sheets were taken for messages without ``sheets=`` naming them (so a sheet that is not a
    case history, such as a notes sheet, is skipped rather than fatal)."""
    file = path.name
    try:
        book = _read_book(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(
            f"is not a readable Excel workbook ({type(exc).__name__}: {exc}); "
            "open it in Excel and save as .xlsx",
            file=file,
        ) from None
    except Exception as exc:  # openpyxl raises its own types for damaged files
        raise FileFormatError(
            f"is not a readable Excel workbook ({type(exc).__name__}: {exc})", file=file
        ) from None
    names = list(book)
    by_key = {normalise_key(n): n for n in names}
    msg_names: list[str]
    case_names: list[str]
    if sheets is not None:
        if isinstance(sheets, Mapping):
            msg_req = sheets.get("messages", [])
            case_req = sheets.get("cases", [])
        else:
            msg_req, case_req = sheets, []
        msg_req = [msg_req] if isinstance(msg_req, str) else list(msg_req)
        case_req = [case_req] if isinstance(case_req, str) else list(case_req)
        for want in msg_req + case_req:
            if want not in book and normalise_key(want) not in by_key:
                raise SchemaError(
                    f"has no sheet {want!r}; sheets found: {names}", file=file, found=names
                )
        msg_names = [want if want in book else by_key[normalise_key(want)] for want in msg_req]
        case_names = [want if want in book else by_key[normalise_key(want)] for want in case_req]
        if not case_req:
            case_names = [n for n in names if normalise_key(n) in _CASE_SHEETS and n not in msg_names]
    else:
        msg_names = [n for n in names if normalise_key(n) in _MESSAGE_SHEETS]
        case_names = [n for n in names if normalise_key(n) in _CASE_SHEETS]
        if not msg_names:
            msg_names = [n for n in names if n not in case_names]
    notes = []
    guessed = sheets is None and len(msg_names) > 1
    if guessed:
        filled = [n for n in msg_names if book[n].shape[1] and len(book[n])]
        if filled and len(filled) < len(msg_names):
            notes.append(f"{file}: empty sheet(s) {[n for n in msg_names if n not in filled]} skipped")
            msg_names = filled
            guessed = len(msg_names) > 1
    if len(names) > 1:
        notes.append(
            f"{file}: messages from sheet(s) {msg_names}"
            + (f", cases from {case_names}" if case_names else "")
        )

    def table(name: str) -> _Table:
        frame = book[name]
        frame.columns = _dedupe_names([str(c) for c in frame.columns])
        return _Table(frame, file, name, np.arange(len(frame)) + 2)

    return [table(n) for n in msg_names], [table(n) for n in case_names], notes, guessed


def _expand_sources(source: object) -> tuple[list[Path], bool]:
    """The files to read, and whether a folder was among the sources."""
    if isinstance(source, (str, PathLike)):
        items: Iterable[object] = [source]
    elif isinstance(source, Iterable):
        items = list(source)
        if not items:
            raise CaselogError("no files given: pass a file, a folder or a list of files")
    else:
        raise CaselogError(f"cannot load a {type(source).__name__}; pass a path or a list of paths")
    paths: list[Path] = []
    folder = False
    for item in items:
        p = Path(item)  # type: ignore[arg-type]
        if p.is_dir():
            folder = True
            found = sorted(
                f for f in p.iterdir()
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith(("~$", "."))
            )
            if not found:
                raise SourceNotFoundError(
                    f"folder has no {', '.join(SUPPORTED_SUFFIXES)} files", file=str(p)
                )
            paths.extend(found)
        elif p.is_file():
            if p.suffix.lower() == ".xls":
                raise FileFormatError(
                    "is an old binary .xls workbook; save it as .xlsx or CSV", file=p.name
                )
            paths.append(p)
        else:
            raise SourceNotFoundError("does not exist", file=str(p))
    return paths, folder


# --------------------------------------------------------------------------- mapping columns


def _match_columns(
    columns: list[str], aliases: Aliases, mapping: Mapping[str, str], where: dict
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Return ``(message field -> column, case field -> column, notes)``."""
    by_key: dict[str, str] = {}
    for c in columns:
        by_key.setdefault(normalise_key(c), c)
    msg: dict[str, str] = {}
    case: dict[str, str] = {}
    used: set[str] = set()
    for field, column in mapping.items():
        target = column if column in columns else by_key.get(normalise_key(column))
        if target is None:
            continue  # checked once over all files by the caller
        (case if field in CASE_FIELD_ALIASES else msg)[field] = target
        used.add(target)
    # exact canonical names first, then aliases in table order (most specific first)
    for fields, table in ((MESSAGE_FIELD_ALIASES, aliases.columns), (CASE_FIELD_ALIASES, aliases.case_columns)):
        dest = msg if fields is MESSAGE_FIELD_ALIASES else case
        for field in fields:
            if field in dest:
                continue
            candidates = [c for c in columns if c not in used and table.get(_column_key(c, table)) == field]
            if not candidates:
                continue
            # prefer the column whose key comes earliest in the field's alias list
            order = [normalise_key(a) for a in (field, *fields[field])]
            extra = [k for k, v in table.items() if v == field and k not in order]
            order += extra
            best = min(candidates, key=lambda c: order.index(_column_key(c, table)))
            dest[field] = best
            used.add(best)
    notes = []
    unused = [c for c in columns if c not in used and not str(c).startswith("Unnamed")]
    if unused:
        notes.append(f"{_where_text(where)}: columns not used: {unused}")
    return msg, case, notes


_BRACKETED = re.compile(r"\s*[\(\[]([^\)\]]*)[\)\]]\s*$")


def _column_key(column: str, table: Mapping[str, str]) -> str:
    """The alias key of a header; a bracketed suffix ("Sent (UTC)", "Files [count]") is ignored
    when the whole header is not an alias itself."""
    key = normalise_key(column)
    if key in table:
        return key
    return normalise_key(_BRACKETED.sub("", str(column)))


def _header_zone(column: str) -> str | None:
    """The IANA zone named in a header such as ``"Sent (Europe/Berlin)"``, if any."""
    m = _BRACKETED.search(str(column))
    if not m:
        return None
    try:
        check_tz(m.group(1).strip())
    except CaselogError:
        return None
    return m.group(1).strip()


def _where_text(where: dict) -> str:
    return where["file"] + (f" [{where['sheet']}]" if where.get("sheet") else "")


def _clean_text(s: pd.Series) -> pd.Series:
    """Cell values as stripped text, ``""`` for empty (numbers from Excel without ``.0``)."""
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        s = s.fillna("") if s.hasnans else s
        # copy a (possibly huge) text column only when some value really has outer white space
        return s.str.strip() if _has_outer_space(s) else s
    out = s.astype(object).where(s.notna(), "")
    out = out.map(_cell_text)
    return out.astype(str).str.strip()


def _has_outer_space(s: pd.Series) -> bool:
    """Whether any value starts or ends with white space (Arrow's RE2, not Python's re)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s, type=pa.large_string(), from_pandas=True)
    return bool(pc.any(pc.match_substring_regex(arr, r"^\s|\s$")).as_py())


def _cell_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _normalise_values(
    raw: pd.Series, field: str, aliases: Aliases, overrides: Mapping[str, str] | None
) -> pd.Series:
    """Map raw values through the user's overrides, then the alias table (vectorised by unique)."""
    uniques = pd.Series(raw.unique())
    table = aliases.values.get(field, {})
    over = {normalise_key(k): v for k, v in (overrides or {}).items()}
    over_exact = {str(k).strip().lower(): v for k, v in (overrides or {}).items()}
    keys = uniques.map(normalise_key)
    mapped = uniques.str.lower().map(over_exact).astype(object)
    mapped = mapped.fillna(keys.map(over).astype(object)).fillna(keys.map(table).astype(object))
    lookup = dict(zip(uniques, mapped, strict=True))
    return raw.map(lookup)


# --------------------------------------------------------------------------- per-table work


def _raw_text(frame: pd.DataFrame) -> pd.Series:
    parts = [c + "=" + _clean_text(frame[c]) for c in frame.columns]
    if not parts:
        return pd.Series("", index=frame.index)
    out = parts[0]
    for p in parts[1:]:
        out = out + "; " + p
    return out


def _attachments(raw: pd.Series) -> pd.Series:
    text = _clean_text(raw)
    num = pd.to_numeric(text, errors="coerce")
    num = num.where(num.abs() < 2**31)  # "inf", "1e30": not a count (and no int64 overflow)
    yes = text.str.lower().isin(["yes", "y", "true", "x"])
    names = text.str.count(r"[;,\n]") + 1
    count = num.where(num.notna(), np.where(yes, 1, np.where(text.eq("") | text.str.lower().isin(["no", "n", "false", "none", "0", "-"]), 0, names)))
    return count.clip(lower=0).fillna(0).astype("int64")


def _messages_from(
    table: _Table,
    fields: dict[str, str],
    case_fields: dict[str, str],
    *,
    aliases: Aliases,
    values: Mapping[str, Mapping[str, str]],
    tz: str,
    dayfirst: bool | None,
    tzinfos: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Map one table to canonical message rows (plus per-row case fields) and its rejects."""
    f = table.frame
    where = table.where()
    missing = [r for r in REQUIRED_MESSAGE_FIELDS if r not in fields]
    if missing:
        looked = {m: list(MESSAGE_FIELD_ALIASES[m][:6]) for m in missing}
        raise SchemaError(
            f"no column for required field(s) {missing}; looked for {looked}; columns found: "
            f"{list(f.columns)}. Name your column with mapping={{'{missing[0]}': '<your column>'}} "
            f"(command line: --map {missing[0]}=COLUMN)",
            missing=missing, found=list(f.columns), **where,
        )
    notes: list[str] = []
    out = pd.DataFrame(index=f.index)
    text = {k: _clean_text(f[c]) for k, c in {**fields, **case_fields}.items() if k not in ("sent_at",)}
    reasons = pd.Series("", index=f.index, dtype=object)

    def fail(mask: pd.Series, why: pd.Series | str) -> None:
        nonlocal reasons
        add = why if isinstance(why, str) else why.astype(str)
        reasons = reasons.where(~mask, reasons + np.where(reasons.eq(""), "", "; ") + add)

    out["case_id"] = text["case_id"]
    fail(out["case_id"].eq(""), f"case ID ({fields['case_id']}) is empty")

    sent_tz = _header_zone(fields["sent_at"]) or tz
    if sent_tz != tz:
        notes.append(f"{_where_text(where)}: naive times in {fields['sent_at']!r} read in {sent_tz}, as its header says")
    parsed = parse_timestamps(
        f[fields["sent_at"]], tz=sent_tz, dayfirst=dayfirst, column=fields["sent_at"], file=table.file,
        tzinfos=tzinfos,
    )
    _release_arrow_memory()
    if parsed.decision:
        notes.append(f"{_where_text(where)}: dates in {parsed.decision}")
    out["sent_at"] = parsed.values
    raw_sent = _clean_text(f[fields["sent_at"]])
    fail(raw_sent.eq(""), f"date ({fields['sent_at']}) is empty")
    r = parsed.reasons.astype(str)
    why = pd.Series(np.where(r.isin(["", UNREADABLE]), "", ": " + r), index=r.index)  # the specific reason
    fail(parsed.bad, "date " + raw_sent.map(repr) + f" ({fields['sent_at']}) is not a readable date" + why)

    # direction: seller/amazon, or a team name that implies amazon
    raw_dir = text["direction"]
    direction = _normalise_values(raw_dir, "direction", aliases, values.get("direction"))
    dir_team = _normalise_values(raw_dir, "team", aliases, values.get("team"))
    bad_target = direction.notna() & ~direction.isin(DIRECTIONS)
    if bad_target.any():
        raise MappingError(
            f"values= maps direction to {sorted(set(direction[bad_target]))}; "
            f"use one of {list(DIRECTIONS)}",
            **where,
        )
    direction = direction.where(direction.notna(), np.where(dir_team.notna() & dir_team.ne("Unknown"), "amazon", None))
    fail(raw_dir.eq(""), f"sender ({fields['direction']}) is empty")
    fail(
        raw_dir.ne("") & direction.isna(),
        "sender " + raw_dir.map(repr) + f" ({fields['direction']}) is neither the seller nor an Amazon team; "
        "map it with values={'direction': {...}}",
    )
    out["direction"] = direction.fillna("").astype(str)

    account = text.get("account")
    out["account"] = account.where(account.ne(""), "default") if account is not None else "default"

    unknown_values: dict[str, list[str]] = {}

    def vocab(field: str, allowed: tuple[str, ...], default: str, fallback: str) -> pd.Series:
        if field not in text:
            return pd.Series(default, index=f.index, dtype=object)
        raw = text[field]
        norm = _normalise_values(raw, field, aliases, values.get(field))
        bad = norm.notna() & ~norm.isin(allowed)
        if bad.any():
            raise MappingError(
                f"values= maps {field} to {sorted(set(norm[bad]))}; use one of {list(allowed)}", **where
            )
        unknown = raw.ne("") & norm.isna()
        if unknown.any():
            unknown_values[field] = sorted(set(raw[unknown]))[:8]
        return norm.where(norm.notna(), np.where(raw.eq(""), default, fallback))

    team = vocab("team", TEAMS, "Unknown", "Other")
    team = team.where(~(team.eq("Unknown") & dir_team.notna()), dir_team)
    out["team"] = team.astype(str)
    out["channel"] = vocab("channel", CHANNELS, "case", "other").astype(str)
    out["subject"] = text.get("subject", "")
    out["body"] = text.get("body", "")
    out["attachments"] = _attachments(f[fields["attachments"]]) if "attachments" in fields else 0
    if "kind" in text:
        kind = _normalise_values(text["kind"], "kind", aliases, values.get("kind"))
        out["kind"] = kind.where(kind.notna(), text["kind"].str.lower()).astype(str)
    else:
        out["kind"] = ""
    label = table.file + (f" [{table.sheet}]" if table.sheet else "")
    out["source"] = label + " row " + pd.Series(table.rows, index=f.index).astype(str)
    out["_row"] = table.rows
    # per-row case fields of a long export
    if "category" in case_fields:
        out["_category"] = vocab("category", CATEGORIES, "Unknown", "Unknown").astype(str)
    if "status" in case_fields:
        out["_status"] = vocab("status", STATUSES, "", "open").astype(str)
    for k in ("outcome", "asins"):
        if k in case_fields:
            out[f"_{k}"] = text[k]
    for field, vals in unknown_values.items():
        fallback = "Other" if field == "team" else "other" if field == "channel" else "kept as is"
        notes.append(f"{_where_text(where)}: {field} values not recognised ({vals}) -> {fallback}")

    # blank rows are not data rows: drop without counting
    blank = pd.Series(True, index=f.index)
    for c in f.columns:
        blank &= _clean_text(f[c]).eq("")
    if blank.any():
        notes.append(f"{_where_text(where)}: {int(blank.sum())} blank rows skipped")
    bad = reasons.ne("") & ~blank
    rejects = pd.DataFrame(
        {
            "file": table.file,
            "sheet": table.sheet,
            "row": table.rows[bad.to_numpy()],
            "source": out.loc[bad, "source"],
            "reason": reasons[bad].astype(str),
            "raw": _raw_text(f[bad]),
        }
    )
    keep = ~bad & ~blank
    good = out if keep.all() else out[keep]
    return good, rejects, notes


def _cases_from_sheet(
    table: _Table, case_id_col: str, fields: dict[str, str], *, aliases: Aliases,
    values: Mapping[str, Mapping[str, str]], tz: str, dayfirst: bool | None,
    tzinfos: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    f = table.frame
    notes: list[str] = []
    text = {k: _clean_text(f[c]) for k, c in fields.items() if k not in ("opened_at", "closed_at")}
    out = pd.DataFrame(index=f.index)
    out["case_id"] = _clean_text(f[case_id_col])
    out["account"] = text["account"] if "account" in text else ""

    def norm(field: str, allowed: tuple[str, ...], default: str) -> pd.Series:
        if field not in text:
            return pd.Series(default, index=f.index)
        v = _normalise_values(text[field], field, aliases, values.get(field))
        v = v.where(v.isin(allowed), None)
        return v.where(v.notna(), np.where(text[field].eq(""), default, "Unknown" if field == "category" else "open"))

    out["category"] = norm("category", CATEGORIES, "Unknown").astype(str)
    out["status"] = norm("status", STATUSES, "").astype(str)
    for k in ("opened_at", "closed_at"):
        if k in fields:
            p = parse_timestamps(
                f[fields[k]], tz=_header_zone(fields[k]) or tz, dayfirst=dayfirst,
                column=fields[k], file=table.file, tzinfos=tzinfos,
            )
            out[k] = p.values
            if p.decision:
                notes.append(f"{_where_text(table.where())}: dates in {p.decision}")
            if p.bad.any():
                rows = table.rows[p.bad.to_numpy()][:5].tolist()
                notes.append(
                    f"{_where_text(table.where())}: {int(p.bad.sum())} {fields[k]} values are not dates "
                    f"(rows {rows}); left empty"
                    + "".join(f" ({r})" for r in p.reasons[p.bad].head(1) if r != UNREADABLE)
                )
        else:
            out[k] = pd.Series(pd.NaT, index=f.index, dtype="datetime64[ns, UTC]")
    out["status"] = out["status"].where(
        ~(out["status"].eq("") & out["closed_at"].notna()), "closed"
    )
    out["outcome"] = text.get("outcome", "")
    out["asins"] = text.get("asins", "")
    label = table.file + f" [{table.sheet}]"
    out["source"] = label + " row " + pd.Series(table.rows, index=f.index).astype(str)
    blank = pd.Series(True, index=f.index)
    for c in f.columns:
        blank &= _clean_text(f[c]).eq("")
    bad = out["case_id"].eq("") & ~blank
    rejects = pd.DataFrame(
        {
            "file": table.file, "sheet": table.sheet, "row": table.rows[bad.to_numpy()],
            "source": out.loc[bad, "source"], "reason": f"cases sheet: case ID ({case_id_col}) is empty",
            "raw": _raw_text(f[bad]),
        }
    )
    return out[~bad & ~blank], rejects, notes


def _infer_category(messages: pd.DataFrame) -> pd.Series:
    """Per case, a category from keywords in its first seller (else first) message."""
    first = messages.sort_values(["case_id", "sent_at", "message_id"]).drop_duplicates("case_id")
    sellers = messages[messages["direction"].eq("seller")].sort_values(["case_id", "sent_at", "message_id"])
    sellers = sellers.drop_duplicates("case_id").set_index("case_id")
    base = first.set_index("case_id")
    text = (base["subject"] + " " + base["body"]).str.lower()
    text.update((sellers["subject"] + " " + sellers["body"]).str.lower())
    cat = pd.Series("Unknown", index=text.index, dtype=object)
    for name, pattern in reversed(_CATEGORY_KEYWORDS):  # first listed wins
        cat = cat.where(~text.str.contains(pattern, regex=True), name)
    return cat.astype(str)


def _asins_in(text: pd.Series, per_message: int = 3) -> pd.Series:
    """The first ``per_message`` ASINs of each text (index repeated), found with Arrow's C regex."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.to_numpy(dtype=object), type=pa.string())
    found = []
    for _ in range(per_message):
        got = pc.struct_field(pc.extract_regex(arr, r"(?P<a>\bB0[A-Z0-9]{8}\b)"), [0])
        ok = pc.is_valid(got).to_numpy(zero_copy_only=False)
        if not ok.any():
            break
        found.append(pd.Series(got.to_numpy(zero_copy_only=False)[ok], index=text.index[ok]))
        arr = pc.replace_substring_regex(arr, r"\bB0[A-Z0-9]{8}\b", "", max_replacements=1)
    return pd.concat(found) if found else pd.Series([], dtype=object)


def _join_groups(frame: pd.DataFrame, key: str, value: str, sep: str = ", ", limit: int = 20) -> pd.Series:
    """Sorted unique ``value`` strings per ``key``, joined with ``sep`` (vectorised, no per-group call).

    At most ``limit`` values per key are kept, followed by ``"…"`` when there were more.
    """
    pairs = frame[[key, value]].drop_duplicates().sort_values([key, value], kind="stable")
    if pairs.empty:
        return pd.Series([], dtype=str, index=pd.Index([], name=key))
    rank = pairs.groupby(key, sort=False).cumcount()
    wide = pairs[rank < limit].assign(_r=rank[rank < limit]).pivot(index=key, columns="_r", values=value)
    out = wide[0].astype(str)
    for r in wide.columns[1:]:
        col = wide[r]
        out = out.where(col.isna(), out + sep + col.fillna("").astype(str))
    more = rank.groupby(pairs[key]).max() >= limit
    out = out.where(~more.reindex(out.index, fill_value=False), out + sep + "…")
    return out


def _derive_cases(messages: pd.DataFrame, sheet_cases: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    notes: list[str] = []
    m = messages
    g = m.groupby("case_id", sort=True)
    derived = pd.DataFrame(
        {
            "account": g["account"].first(),
            "opened_at": g["sent_at"].min(),
            "_last": g["sent_at"].max(),
            "source": g["source"].first(),
        }
    )
    derived["source"] = "derived from messages (first: " + derived["source"] + ")"
    if "_category" in m:
        known = m.loc[m["_category"].ne("Unknown"), ["case_id", "_category"]]
        counts = known.value_counts().reset_index(name="n")  # most frequent first
        counts = counts.sort_values(["case_id", "n", "_category"], ascending=[True, False, True])
        cat = counts.drop_duplicates("case_id").set_index("case_id")["_category"]
        derived["category"] = cat.reindex(derived.index).fillna("Unknown")
    else:
        derived["category"] = _infer_category(m).reindex(derived.index).fillna("Unknown")
        if sheet_cases is None or "category" not in sheet_cases:
            notes.append("no category column: categories inferred from the first seller message's words")
    if "_status" in m:
        st = m[m["_status"].ne("")].groupby("case_id")["_status"].last()  # m is in time order
        derived["status"] = st.reindex(derived.index).fillna("open")
    else:
        derived["status"] = "open"
    derived["closed_at"] = derived["_last"].where(derived["status"].eq("closed"))
    for k in ("outcome", "asins"):
        if f"_{k}" in m:
            v = m[m[f"_{k}"].ne("")].groupby("case_id")[f"_{k}"].last()
            derived[k] = v.reindex(derived.index).fillna("")
        else:
            derived[k] = ""
    if "_asins" not in m:
        text = m["subject"] + " " + m["body"]
        has = text.str.contains(_ASIN_ANY)
        if has.any():
            # the first two ASINs of each message (more are rare) -> sorted unique list per case
            found = _asins_in(text[has])
            pairs = pd.DataFrame({"case_id": m.loc[found.index, "case_id"].to_numpy(), "asin": found.to_numpy()})
            derived["asins"] = _join_groups(pairs, "case_id", "asin").reindex(derived.index).fillna("")
    derived = derived.reset_index()

    if sheet_cases is not None and len(sheet_cases):
        sc = sheet_cases.drop_duplicates("case_id", keep="first").set_index("case_id")
        if len(sc) < len(sheet_cases):
            notes.append(f"cases sheet: {len(sheet_cases) - len(sc)} repeated case IDs; first kept")
        d = derived.set_index("case_id")
        both = d.index.intersection(sc.index)
        # the sheet wins where it has a value; messages fill the gaps
        for col in ("account", "category", "status", "opened_at", "closed_at", "outcome", "asins"):
            sheet_val = sc.loc[both, col]
            has = sheet_val.notna() & sheet_val.astype(str).ne("") & sheet_val.astype(str).ne("Unknown")
            d.loc[both[has.to_numpy()], col] = sheet_val[has]
        d.loc[both, "source"] = sc.loc[both, "source"]
        only_sheet = sc.loc[sc.index.difference(d.index)].copy()
        if len(only_sheet):
            notes.append(f"cases sheet: {len(only_sheet)} cases have no messages")
            only_sheet["status"] = only_sheet["status"].where(only_sheet["status"].ne(""), "open")
        derived = pd.concat([d, only_sheet]).reset_index(names="case_id")
        unmatched = len(d.index.difference(sc.index))
        if unmatched:
            notes.append(f"{unmatched} cases with messages are not on the cases sheet: derived")
    # a case with a closing date but no status is closed
    no_status = derived["status"].eq("") | derived["status"].isna()
    derived.loc[no_status & derived["closed_at"].notna(), "status"] = "closed"
    derived["status"] = derived["status"].where(derived["status"].isin(STATUSES), "open")
    derived["account"] = derived["account"].fillna("default").replace("", "default")
    cases = derived[list(CASE_COLUMNS)].copy()
    return _coerce(cases, CASE_COLUMNS), notes


def _coerce(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    out = frame[list(columns)]
    for col, dtype in columns.items():
        if dtype == "str":
            out[col] = out[col].fillna("").astype(str)
        elif dtype.startswith("datetime64"):
            out[col] = pd.to_datetime(out[col], utc=True).astype(dtype)
        elif str(out[col].dtype) != dtype:
            out[col] = out[col].astype(dtype)
    return out.reset_index(drop=True)


def _fill_seller_team(messages: pd.DataFrame) -> pd.DataFrame:
    """Seller messages without a team get the team of the case's latest Amazon message before
    them (else of its first Amazon message after them); ``messages`` is in case/time order."""
    need = messages["direction"].eq("seller") & messages["team"].eq("Unknown")
    if not need.any():
        return messages
    amazon_team = messages["team"].where(messages["direction"].eq("amazon") & messages["team"].ne("Unknown"))
    filled = amazon_team.groupby(messages["case_id"]).ffill()
    filled = filled.fillna(amazon_team.groupby(messages["case_id"]).bfill())
    messages.loc[need, "team"] = filled[need].fillna("Unknown")
    return messages


# --------------------------------------------------------------------------- public entry point


def load(
    source: str | PathLike | Iterable[str | PathLike],
    *,
    mapping: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    tz: str = "UTC",
    sheets: str | list[str] | Mapping[str, str | list[str]] | None = None,
    dayfirst: bool | None = None,
    aliases: Aliases | None = None,
    tzinfos: Mapping[str, str] | None = None,
) -> CaseLog:
    """Load case-history exports into a :class:`~caselog.CaseLog`.

    Parameters
    ----------
    source : path, or list of paths
        A CSV, TSV or XLSX file, a folder (its ``.csv .tsv .txt .xlsx .xlsm`` files, sorted by
        name) or a list of any of these.
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

    Returns
    -------
    CaseLog
        ``messages`` (sorted by case_id, sent_at), ``cases``, ``rejects``, ``duplicates``,
        ``input_rows`` (message rows read) and ``decisions`` (how the input was read).
        ``input_rows == len(messages) + len(rejects) + duplicates``: a row of a Cases sheet
        without a case ID is a reject (with a reason that says so) and so an input row too.

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
    check_tz(tz)
    zone_names(tzinfos)  # a ConfigError now, not at the first date column
    aliases = aliases or Aliases.default()
    if not isinstance(mapping or {}, Mapping):
        raise MappingError(f"mapping= takes {{field: column name}}, found {mapping!r}")
    if not isinstance(values or {}, Mapping) or not all(
        isinstance(v, Mapping) for v in (values or {}).values()
    ):
        raise MappingError(f"values= takes {{field: {{raw value: canonical value}}}}, found {values!r}")
    mapping = dict(mapping or {})
    values = {k: dict(v) for k, v in (values or {}).items()}
    known = set(MESSAGE_FIELD_ALIASES) | set(CASE_FIELD_ALIASES)
    for field in list(mapping) + list(values):
        if field not in known:
            raise MappingError(
                f"{field!r} is not a caselog field; fields are {sorted(known)}"
            )

    paths, from_folder = _expand_sources(source)
    multi = len(paths) > 1 or from_folder
    decisions: list[str] = []
    msg_frames: list[pd.DataFrame] = []
    reject_frames: list[pd.DataFrame] = []
    case_frames: list[pd.DataFrame] = []
    mapped_columns: set[str] = set()
    input_rows = 0
    for path in paths:
        suffix = path.suffix.lower()
        bad_rows: list[tuple[int, int, str]] = []
        guessed = False
        if suffix in _EXCEL:
            msg_tables, case_tables, notes, guessed = _read_excel(path, sheets)
        else:
            msg_tables, notes, bad_rows = _read_text(path)
            case_tables = []
        decisions += notes
        while msg_tables:
            table = msg_tables.pop(0)  # let each raw table go as soon as it is mapped
            if table.frame.shape[1] == 0 or (len(table.frame) == 0 and not bad_rows):
                raise EmptyFileError(
                    "has a header but no data rows" + (f" (columns: {list(table.frame.columns)})" if table.frame.shape[1] else ""),
                    **table.where(),
                )
            fields, case_fields, notes = _match_columns(list(table.frame.columns), aliases, mapping, table.where())
            keys = {normalise_key(c) for c in table.frame.columns}
            mapped_columns.update(c for c in mapping.values() if normalise_key(c) in keys)
            skippable = guessed or (multi and not case_tables)
            if skippable and any(r not in fields for r in REQUIRED_MESSAGE_FIELDS):
                decisions.append(
                    f"{_where_text(table.where())}: skipped, not a case history "
                    f"(no {[r for r in REQUIRED_MESSAGE_FIELDS if r not in fields]} column)"
                )
                continue
            decisions += notes
            good, rejects, notes = _messages_from(
                table, fields, case_fields, aliases=aliases, values=values, tz=tz, dayfirst=dayfirst,
                tzinfos=tzinfos,
            )
            decisions += notes
            decisions.append(
                f"{_where_text(table.where())}: " + ", ".join(f"{k} <- {v!r}" for k, v in fields.items())
            )
            del table
            _release_arrow_memory()
            input_rows += len(good) + len(rejects)
            msg_frames.append(good)
            reject_frames.append(rejects)
        if bad_rows:
            reject_frames.append(pd.DataFrame({
                "file": path.name, "sheet": "", "row": [r[0] for r in bad_rows],
                "source": [f"{path.name} row {r[0]}" for r in bad_rows],
                "reason": [f"row has {r[1]} fields, more than the header's columns" for r in bad_rows],
                "raw": [r[2] for r in bad_rows],
            }))
            input_rows += len(bad_rows)
        for table in case_tables:
            fields, case_fields, notes = _match_columns(list(table.frame.columns), aliases, mapping, table.where())
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
                table, cid, all_fields, aliases=aliases, values=values, tz=tz, dayfirst=dayfirst,
                tzinfos=tzinfos,
            )
            decisions += notes
            case_frames.append(cases)
            reject_frames.append(rejects)
            input_rows += len(rejects)  # a rejected cases-sheet row is an input row too
    unknown_cols = [c for c in mapping.values() if c not in mapped_columns]
    if unknown_cols:
        raise MappingError(
            f"mapping names column(s) {unknown_cols} that no file has; files: {[p.name for p in paths]}"
        )
    if not msg_frames:
        raise SchemaError(
            "no file holds case messages (a case ID, a date and a sender column)",
            file=", ".join(p.name for p in paths),
        )

    messages = msg_frames[0].reset_index(drop=True) if len(msg_frames) == 1 else pd.concat(msg_frames, ignore_index=True)
    msg_frames.clear()
    messages["message_id"] = np.arange(len(messages), dtype=np.int64)
    key = ["case_id", "sent_at", "direction", "subject", "body"]
    dup = messages.duplicated(key, keep="first")
    duplicates = int(dup.sum())
    if duplicates:
        decisions.append(
            f"{duplicates} rows are exact repeats (same case, time, sender, subject and text) "
            "of an earlier row and were counted as duplicates"
        )
    if duplicates:
        messages = messages[~dup]
    codes, _ = pd.factorize(messages["case_id"], sort=True)
    sent_ns = pd.DatetimeIndex(messages["sent_at"]).as_unit("ns").asi8
    order = np.lexsort((messages["message_id"].to_numpy(), sent_ns, codes))
    messages = messages.iloc[order].reset_index(drop=True)
    messages = _fill_seller_team(messages)
    _release_arrow_memory()
    sheet_cases = pd.concat(case_frames, ignore_index=True) if case_frames else None
    cases, notes = _derive_cases(messages, sheet_cases)
    decisions += notes
    rejects = pd.concat(reject_frames, ignore_index=True) if reject_frames else pd.DataFrame(columns=list(REJECT_COLUMNS))
    rejects = _coerce(rejects, REJECT_COLUMNS) if len(rejects) else _coerce(pd.DataFrame({c: pd.Series(dtype=object) for c in REJECT_COLUMNS}), REJECT_COLUMNS)
    messages = _coerce(messages, MESSAGE_COLUMNS)
    return CaseLog(
        messages=messages,
        cases=cases,
        rejects=rejects,
        duplicates=duplicates,
        input_rows=input_rows,
        decisions=tuple(decisions),
    )
