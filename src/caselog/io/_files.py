"""Finding the files to read and reading text exports (CSV, TSV) into raw tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import (
    CaselogError,
    EmptyFileError,
    EncodingError,
    FileFormatError,
    SourceNotFoundError,
)

SUPPORTED_SUFFIXES = (
    ".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".mbox", ".eml", ".json", ".html", ".htm", ".msg",
)
_EXCEL = (".xlsx", ".xlsm")
_MESSAGE_SHEETS = {"messages", "message", "thread", "threads", "history", "log", "caselog", "contacts"}
_CASE_SHEETS = {"cases", "case", "tickets", "casesummary", "caselist"}


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


def _check_utf16(path: Path, file: str) -> str:
    """``utf-16`` when the whole file (with its byte-order mark) decodes, else :class:`EncodingError`."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-16")()
    offset = 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 24):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"starts as UTF-16 text but is not valid UTF-16 (at byte offset {offset + exc.start}); "
            "save it as UTF-8 CSV",
            file=file,
        ) from None
    return "utf-16"


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
    if head_bytes[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileFormatError(
            "is an old binary .xls workbook (OLE2 file), not text; open it in Excel and save as .xlsx or CSV",
            file=file,
        )
    if head_bytes[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = _check_utf16(path, file)  # Excel's "Unicode Text": UTF-16 with a BOM, tab-separated
    elif b"\x00" in head_bytes[:4096]:
        raise EncodingError(
            "holds NUL bytes (UTF-16 without a byte-order mark, or binary?); save it as UTF-8 CSV", file=file
        )
    else:
        encoding = _detect_encoding(path, file)
    head = head_bytes.decode(encoding, errors="ignore")
    first = head.lstrip("\r\n").split("\n", 1)[0]
    sep = _sniff_delimiter(first, path.suffix.lower())
    notes = []
    if encoding == "cp1252":
        notes.append(f"{file}: read as Windows-1252 (not valid UTF-8)")
    elif encoding == "utf-16":
        notes.append(f"{file}: read as UTF-16 (Unicode Text)")
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
    # a field can be as long as the file: lift csv's 131,072-character limit for this read only
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, min(len(text) + 1, 2**31 - 1)))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        header = next(reader, None)
        if header is None:
            raise csv.Error("no header line")
        good, rows, bad = [], [], []
        for i, rec in enumerate(reader, start=2):
            if len(rec) > len(header):
                bad.append((i, len(rec), "; ".join(rec)))
                continue
            good.append(rec + [""] * (len(header) - len(rec)))
            rows.append(i)
    finally:
        csv.field_size_limit(limit)
    frame = pd.DataFrame(good, columns=_dedupe_names(header), dtype=str)
    return frame, np.asarray(rows, dtype=np.int64), bad




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
            mails = [f for f in found if f.suffix.lower() == ".eml"]
            if mails:  # a folder of saved mails is one mailbox: its threads span the files
                paths.append(p)
            paths.extend(f for f in found if f.suffix.lower() != ".eml")
        elif p.is_file():
            if p.suffix.lower() == ".xls":
                raise FileFormatError(
                    "is an old binary .xls workbook; save it as .xlsx or CSV", file=p.name
                )
            paths.append(p)
        else:
            raise SourceNotFoundError("does not exist", file=str(p))
    return paths, folder


def _dedupe_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        out.append(n if k == 0 else f"{n}.{k}")
        seen[n] = k + 1
    return out
