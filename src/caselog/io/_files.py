"""Finding the files to read and reading text exports (CSV, TSV) into raw tables."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterable, Iterator
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


def _detect_encoding(path: Path, file: str, quotes: list[int] | None = None) -> str:
    """``utf-8-sig`` when the whole file is valid UTF-8, else ``cp1252``; streamed in chunks.

    ``quotes``, when given, gets the number of ``"`` bytes of a UTF-8 file appended (counted in
    the same pass)."""
    import codecs

    counted = _utf8_quotes(path)
    if counted is not None:
        if quotes is not None:
            quotes.append(counted)
        return "utf-8-sig"
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0
        count = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 24):
                    decoder.decode(chunk)
                    offset += len(chunk)
                    count += chunk.count(b'"')
                decoder.decode(b"", final=True)
            if quotes is not None and encoding == "utf-8-sig":
                quotes.append(count)
            return encoding
        except UnicodeDecodeError as exc:
            bad_offset, bad_byte = offset + exc.start, exc.object[exc.start]
            continue
    raise EncodingError(
        f"is neither UTF-8 nor Windows-1252 text (byte 0x{bad_byte:02x} at offset {bad_offset}); "
        "save it as UTF-8 CSV",
        file=file,
    )


def _utf8_quotes(path: Path, chunk_size: int = 1 << 24) -> int | None:
    """The number of ``"`` bytes of a file that is valid UTF-8 throughout, else ``None``.

    Arrow's UTF-8 check (a byte-wise state machine, in C) rejects what Python's decoder
    rejects (surrogates, overlong forms, code points past U+10FFFF, a sequence cut short); it
    runs on the memory-mapped file (no copy of it is made) in chunks of ``chunk_size`` bytes,
    each ending before a character its end would cut.  ``None`` sends the caller to Python's
    decoder, which says where the file goes wrong.
    """
    import pyarrow as pa

    size = path.stat().st_size
    if not size:
        return 0
    source = pa.memory_map(str(path))
    try:
        data = source.read_buffer()
        view = np.frombuffer(data, dtype=np.uint8)
        count = start = 0
        while start < size:
            end = min(start + chunk_size, size)
            while True:  # a chunk shorter than a character: take the next bytes along
                tail = bytes(view[max(start, end - 4):end])
                cut = end - len(tail) + _last_whole_character(tail)
                if cut > start or end == size:
                    break
                end = min(end + chunk_size, size)
            if cut < end and end == size:
                return None  # the file ends inside a character
            offsets = pa.py_buffer(np.array([0, cut - start], dtype=np.int64))
            text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, data.slice(start, cut - start)])
            try:
                text.validate(full=True)
            except pa.ArrowInvalid:
                return None
            count += int(np.count_nonzero(view[start:cut] == 34))
            start = cut
        return count
    finally:
        view = data = text = None  # the mapping's buffers go before the mapping is closed
        source.close()


def _last_whole_character(chunk: bytes) -> int:
    """Where the last UTF-8 sequence that ``chunk`` holds only the start of begins (its length
    when the chunk ends on a whole character, or on bytes that are not UTF-8 at all)."""
    for back in range(1, min(4, len(chunk)) + 1):
        byte = chunk[-back]
        if 0x80 <= byte < 0xC0:
            continue  # a continuation byte: look further back for its lead
        need = 2 if 0xC0 <= byte < 0xE0 else 3 if 0xE0 <= byte < 0xF0 else 4 if 0xF0 <= byte < 0xF8 else 1
        return len(chunk) - back if need > back else len(chunk)
    return len(chunk)


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
    quotes: list[int] = []
    if head_bytes[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = _check_utf16(path, file)  # Excel's "Unicode Text": UTF-16 with a BOM, tab-separated
    elif b"\x00" in head_bytes[:4096]:
        raise EncodingError(
            "holds NUL bytes (UTF-16 without a byte-order mark, or binary?); save it as UTF-8 CSV", file=file
        )
    else:
        encoding = _detect_encoding(path, file, quotes)
    head = head_bytes.decode(encoding, errors="ignore")
    first = head.lstrip("\r\n").split("\n", 1)[0]
    sep = _sniff_delimiter(first, path.suffix.lower())
    notes = []
    if encoding == "cp1252":
        notes.append(f"{file}: read as Windows-1252 (not valid UTF-8)")
    elif encoding == "utf-16":
        notes.append(f"{file}: read as UTF-16 (Unicode Text)")
    fast = _read_arrow(path, sep, head, quotes[0] if quotes else None) if encoding == "utf-8-sig" else None
    if fast is not None:
        frame, rows, bad = fast
        if bad:
            notes.append(f"{file}: {len(bad)} rows with the wrong number of fields")
        return [_Table(frame, file, "", rows)], notes, bad
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


def _read_arrow(
    path: Path, sep: str, head: str, quotes: int | None = None
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, int, str]]] | None:
    """Read a UTF-8 delimited file with Arrow's C reader: ``(frame, rows, ragged rows)``.

    The result is what ``pandas.read_csv(dtype=str, keep_default_na=False,
    skip_blank_lines=False)`` gives, or for a file with rows of more fields than the header,
    what :func:`_read_text_tolerant` gives (short rows padded with ``""``, long rows returned as
    ``(row, fields, raw)``), without a second pass in Python.  ``None`` when the file is
    outside what this reader is sure to read the same way (the caller then uses the pandas and
    Python readers): a header not on the first line, a header longer than ``head``, or
    anything Arrow cannot parse.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    if not head or head[0] in "\r\n" or ("\n" not in head and len(head) >= 65536 // 4):
        return None
    try:
        header = next(csv.reader(io.StringIO(head, newline=""), delimiter=sep), None)
    except csv.Error:
        return None
    if not header:
        return None
    if (_count_quotes(path) if quotes is None else quotes) % 2:
        return None  # a quote left open: pandas stops at it, the Python reader decides
    invalid: list[tuple[int | None, int, str]] = []

    def on_invalid(row: pcsv.InvalidRow) -> str:
        invalid.append((row.number, row.actual_columns, row.text))
        return "skip"

    table = None
    # blocks of 2 MiB parse in the processor's cache (0.21 -> 0.12 s for a 73 MB file); a row
    # longer than a block is an error there, and such a file is read again in blocks of 64 MiB.
    # The file is memory-mapped: given a path, Arrow's serial reader read()s every block into
    # a freshly allocated buffer, and where a first touch of memory is costly (a virtual
    # machine) those copies show: `load` of a 366 MB file took 6.1-8.1 s read, 5.6-6.0 s mapped
    # (same peak).  The parsed columns are new buffers: nothing refers to the mapping once it
    # is closed.
    for block in (1 << 21, 1 << 26):
        invalid.clear()
        try:
            with _mapped(path) as source:
                table = pcsv.read_csv(
                    source,
                    read_options=pcsv.ReadOptions(use_threads=False, block_size=block),
                    parse_options=pcsv.ParseOptions(
                        delimiter=sep, newlines_in_values=True, ignore_empty_lines=False,
                        invalid_row_handler=on_invalid,
                    ),
                    convert_options=pcsv.ConvertOptions(
                        column_types={name: pa.string() for name in header},
                        strings_can_be_null=False, quoted_strings_can_be_null=False,
                    ),
                )
            break
        except (pa.ArrowException, ValueError, OSError) as exc:
            if "straddl" not in str(exc):
                return None
    if table is None:
        return None
    names = table.schema.names
    if names != header or any(t != pa.string() for t in table.schema.types):
        return None
    total = table.num_rows + len(invalid)
    last_invalid = [text for n, _, text in invalid if n == total + 1]
    if last_invalid:
        try:
            list(csv.reader(io.StringIO(last_invalid[0], newline=""), delimiter=sep, strict=True))
        except csv.Error:
            return None  # the last row may end in a quote left open: the Python reader decides
    elif table.num_rows and _open_at_end(path, table.column(len(header) - 1)[-1].as_py()):
        return None
    numbers = [n for n, _, _ in invalid]
    if any(n is None or not 2 <= n <= total + 1 for n in numbers) or len(set(numbers)) != len(numbers):
        return None
    # the tolerant reader reads the file as text, where "\r\n" and "\r" are "\n" (in values too)
    bad_rows_read_as_text = any(count > len(header) for _, count, _ in invalid)
    short: list[tuple[int, list[str]]] = []
    bad: list[tuple[int, int, str]] = []
    for number, count, text in invalid:
        if text.count('"') % 2:
            return None  # a quote left open (at the end of the file): the Python reader decides
        if bad_rows_read_as_text and "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        try:
            rec = next(csv.reader(io.StringIO(text, newline=""), delimiter=sep), [])
        except csv.Error:
            return None
        if count > len(header):
            bad.append((int(number), len(rec), "; ".join(rec)))  # type: ignore[arg-type]
        else:
            short.append((int(number), rec + [""] * (len(header) - len(rec))))  # type: ignore[arg-type]
    # the names each reader gives: pandas' when every row fits, the tolerant reader's otherwise
    columns = _dedupe_names(header) if bad else _pandas_names(header)
    taken = np.ones(total + 2, dtype=bool)
    taken[:2] = False
    taken[numbers] = False
    rows = np.flatnonzero(taken).astype(np.int64)
    arrays = [pc.fill_null(table.column(i), "") for i in range(len(header))]
    if bad_rows_read_as_text:
        arrays = [pc.replace_substring_regex(a, "\r\n?", "\n") if _holds_byte(a, 13) else a for a in arrays]
    if short:
        extra = pa.table({str(i): pa.array([rec[i] for _, rec in short], pa.string()) for i in range(len(header))})
        arrays = [pa.chunked_array(a.chunks + extra.column(i).chunks, pa.string()) for i, a in enumerate(arrays)]
        rows = np.r_[rows[: table.num_rows], [n for n, _ in short]]
        order = np.argsort(rows, kind="stable")
        rows = rows[order]
        arrays = [a.take(pa.array(order)) for a in arrays]
    del table
    frame = pd.DataFrame({i: a.to_pandas() for i, a in enumerate(arrays)})
    frame.columns = pd.Index(columns, dtype=object)
    return frame, rows, bad


def _holds_byte(arr: object, byte: int) -> bool:
    """Whether the text of an Arrow string array holds ``byte`` (scanned in its data buffers)."""
    chunks = arr.chunks if hasattr(arr, "chunks") else [arr]
    for chunk in chunks:
        data = chunk.buffers()[2]
        if data is not None and data.size and bytes([byte]) in data.to_pybytes():  # memchr, not a mask
            return True
    return False


@contextlib.contextmanager
def _mapped(path: Path) -> Iterator[object]:
    """``path`` memory-mapped for Arrow's readers, closed on exit (the path itself where the
    file cannot be mapped)."""
    import pyarrow as pa

    try:
        source = pa.memory_map(str(path))
    except (OSError, ValueError, pa.ArrowException):
        yield str(path)
        return
    with source:
        yield source


def _count_quotes(path: Path) -> int:
    """How many ``"`` the file holds (an odd number: some quote is never closed)."""
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 24):
            count += chunk.count(b'"')
    return count


def _open_at_end(path: Path, last: str | None) -> bool:
    """Whether the file's last value is a quoted one that is never closed (the file ends in it)."""
    raw = b'"' + (last or "").replace('"', '""').encode("utf-8")
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - len(raw) - 2))
        tail = fh.read()
    return any(tail.endswith(raw + eol) for eol in (b"", b"\n", b"\r\n", b"\r"))


def _pandas_names(header: list[str]) -> list[str]:
    """Header names as ``pandas.read_csv`` gives them: ``Unnamed: i`` for an empty name,
    repeats made unique as ``name.1``, ``name.2``."""
    names = [n if n != "" else f"Unnamed: {i}" for i, n in enumerate(header)]
    counts: dict[str, int] = {}
    for i, col in enumerate(names):
        cur = counts.get(col, 0)
        while cur > 0:
            counts[col] = cur + 1
            col = f"{col}.{cur}"
            cur = counts.get(col, 0)
        names[i] = col
        counts[col] = cur + 1
    return names


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
