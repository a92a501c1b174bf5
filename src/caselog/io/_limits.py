"""Size limits for spreadsheet workbooks, checked on the zip before any sheet is parsed.

An ``.xlsx`` file is a zip of XML parts.  A few kilobytes can declare or hold a sheet of a
million rows by sixteen thousand columns, or unpack to gigabytes (a "deflate bomb"); a reader
that trusts the file then runs out of memory.  :func:`check_workbook` streams every part through
the decompressor once, in fixed-size chunks, counting unpacked bytes and scanning each sheet's
``<dimension ref=...>`` and cell references, and refuses the file as soon as a limit is passed.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, FileFormatError

__all__ = ["ReadLimits", "check_workbook"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 20
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{1,3})?(\d{1,7})?(?::([A-Z]{1,3})(\d{1,7}))?"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,9})"')
_CELL_COL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,4})\d')
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]()")  # the empty group: findall lists b"", one shared object
# the same three without the namespace prefix: several times faster (the regex engine can jump to
# "<row"/"<c" instead of trying every "<"), and the same matches in a chunk with no "<prefix:" tag
_PREFIXED = re.compile(rb"<\w+:")
# a prefixed pattern can match where its plain one does not only at a "<prefix:c" or
# "<prefix:row" tag, so a chunk without ":c" or ":row" (as a word) needs no look for "<prefix:"
# (the literal ":" is found several times faster than every "<" is tried)
_PREFIXED_TAG = re.compile(rb":(?:c|row)\b")
_ROW_PLAIN = re.compile(rb'<row\b[^>]*?\br="(\d{1,9})"')
_CELL_COL_PLAIN = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,4})\d')
_CELL_PLAIN = re.compile(rb"<c[\s/>]()")


@dataclass(frozen=True)
class ReadLimits:
    """How large a workbook :func:`caselog.load` reads; a larger one is refused before parsing.

    Parameters
    ----------
    max_cells : int
        Largest used area of one sheet, rows x columns (declared or real).  Default 10,000,000:
        half a million messages of 20 columns.
    max_unpacked_bytes : int
        Largest total size of the workbook's parts once unpacked.  Default 1 GB.
    max_ratio : float
        Largest unpacked/packed ratio of a part larger than 10 MB unpacked.  Default 200 (real
        sheets pack 5-30 times; a deflate bomb a thousand times).

    Examples
    --------
    >>> ReadLimits().max_cells
    10000000
    >>> ReadLimits(max_cells=0)
    Traceback (most recent call last):
    ...
    caselog.errors.ConfigError: ReadLimits.max_cells: expected a positive whole number, found 0
    """

    max_cells: int = 10_000_000
    max_unpacked_bytes: int = 1_000_000_000
    max_ratio: float = 200.0

    def __post_init__(self) -> None:
        for name in ("max_cells", "max_unpacked_bytes", "max_ratio"):
            value = getattr(self, name)
            whole = name != "max_ratio"
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
            if ok and whole:
                ok = float(value).is_integer()
            if not ok or value != value:
                kind = "a positive whole number" if whole else "a positive number"
                raise ConfigError(f"ReadLimits.{name}: expected {kind}, found {value!r}")


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_workbook(path: Path, limits: ReadLimits) -> None:
    """Refuse ``path`` with a :class:`FileFormatError` if it is not a zip or passes a limit.

    Reads the file once in 1 MB chunks: memory stays bounded whatever the file declares.
    """
    file = path.name
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic == _OLE2:
        raise FileFormatError(
            "is an old binary .xls workbook (OLE2 file) with an .xlsx name; "
            "open it in Excel and save as .xlsx (Excel Workbook)",
            file=file,
        )
    if not magic.startswith(b"PK"):
        raise FileFormatError(
            f"is not a readable Excel workbook (an .xlsx file is a zip; this one starts with {magic[:4]!r}); "
            "open it in Excel and save as .xlsx",
            file=file,
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            declared = sum(i.file_size for i in infos)
            if declared > limits.max_unpacked_bytes:
                raise FileFormatError(
                    f"unpacks to {declared:,} bytes, more than the limit of "
                    f"{limits.max_unpacked_bytes:,} (ReadLimits.max_unpacked_bytes)",
                    file=file,
                )
            total = 0
            for info in infos:
                total = _scan_part(zf, info, total, limits, file)
    except FileFormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as exc:  # zlib.error is a subclass of Exception
        raise FileFormatError(
            f"is not a readable Excel workbook ({type(exc).__name__}: {exc}); "
            "open it in Excel and save as .xlsx",
            file=file,
        ) from None
    except Exception as exc:  # zlib.error and other damaged-stream errors
        raise FileFormatError(
            f"is not a readable Excel workbook ({type(exc).__name__}: {exc})", file=file
        ) from None


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, limits: ReadLimits, file: str) -> int:
    """Stream one part, returning the running total of unpacked bytes; raise at a limit."""
    name = info.filename
    sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
    where = f"part {name!r}"
    unpacked = 0
    max_row = max_col = cells = 0
    carry = b""
    with zf.open(info) as part:
        while chunk := part.read(_CHUNK):
            unpacked += len(chunk)
            total += len(chunk)
            if total > limits.max_unpacked_bytes:
                raise FileFormatError(
                    f"unpacks to more than {limits.max_unpacked_bytes:,} bytes "
                    "(ReadLimits.max_unpacked_bytes)",
                    file=file,
                )
            if unpacked > 10 * _CHUNK and unpacked > limits.max_ratio * max(info.compress_size, 1):
                raise FileFormatError(
                    f"{where} unpacks more than {limits.max_ratio:g} times its packed size "
                    f"({info.compress_size:,} bytes packed); this is not a spreadsheet export "
                    "(ReadLimits.max_ratio)",
                    file=file,
                )
            if not sheet:
                continue
            data = carry + chunk
            cut = data.rfind(b">") + 1  # the scan stops there (endpos: no copy of the chunk)
            carry = data[cut:]
            if len(carry) > _CHUNK:  # one tag longer than a chunk: not a sheet a reader can use
                carry = carry[-256:]
            if max_row == 0 and (m := _DIMENSION.search(data, 0, cut)):
                _check_extent(m, limits, file, name)
            last_row, last_col, found = _extent(data, cut, max_col)
            max_row, max_col, cells = max(max_row, last_row), max(max_col, last_col), cells + found
            if max_row * max(max_col, 1) > limits.max_cells:
                raise FileFormatError(
                    f"sheet part {name!r} has cells as far as row {max_row:,}, column {max_col:,}: "
                    f"a used area over the limit of {limits.max_cells:,} cells "
                    "(ReadLimits.max_cells); delete the stray cells or raise the limit",
                    file=file,
                )
    if sheet and cells and max_row * max(max_col, 1) > 1_000_000 and cells * 100 < max_row * max(max_col, 1):
        raise FileFormatError(
            f"sheet part {name!r} holds {cells:,} cells spread over {max_row:,} rows x {max_col:,} "
            "columns (a cell far from the data?); delete the stray cells, or save the sheet as CSV",
            file=file,
        )
    return total


def _extent(data: bytes, end: int, above: int = 0) -> tuple[int, int, int]:
    """``(largest row number, largest column number, cells)`` in the sheet XML ``data[:end]``
    (0 when there is none), read without copying ``data``; the column is exact when it is larger
    than ``above`` (the largest found so far), otherwise a number no larger than ``above``.

    Examples
    --------
    >>> _extent(b'<row r="7"><c r="AA7"/><c r="B7" t="s"><v>0</v></c></row><row r="9">', 40)
    (7, 27, 2)
    >>> _extent(b'<row r="7"><c r="AA7"/><c r="B7" t="s"><v>0</v></c></row><row r="9">', 40, above=27)
    (7, 0, 2)
    """
    row_rx, col_rx, cell_rx = (
        (_ROW, _CELL_COL, _CELL)
        if _PREFIXED_TAG.search(data, 0, end) and _PREFIXED.search(data, 0, end)
        else (_ROW_PLAIN, _CELL_COL_PLAIN, _CELL_PLAIN)
    )
    rows = row_rx.findall(data, 0, end)
    col = 0
    # a cell's column is an r="LETTERS<digit>"; only when some such reference is past ``above``
    # are the cells' columns read one by one (a sheet's widest row comes early: once per sheet)
    past = _past_column(above)
    if past is not None and past.search(data, 0, end):
        cols = set(col_rx.findall(data, 0, end))
        col = max(map(_col_number, cols)) if cols else 0
    return max(map(int, rows)) if rows else 0, col, len(cell_rx.findall(data, 0, end))


def _col_letters(n: int) -> bytes:
    out = b""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = bytes([65 + rest]) + out
    return out


def _past_column(col: int) -> re.Pattern[bytes] | None:
    r"""A pattern found wherever ``r="LETTERS<digit>"`` names a column past ``col`` (1-4
    letters, as :data:`_CELL_COL` reads them), or None when no such column can be written.

    Examples
    --------
    >>> _past_column(12).pattern
    b'r="(?:[A-Z]{2,4}|[M-Z])\\d'
    >>> _past_column(28).search(b'<c r="AC1"/>') is not None, _past_column(28).search(b'<c r="AB1"/>')
    (True, None)
    """
    letters = _col_letters(col)
    width = len(letters)
    if width > 4:
        return None
    ways = [f"[A-Z]{{{width + 1},4}}"] if width < 4 else []
    for i, ch in enumerate(letters):
        if ch < ord("Z"):
            nxt = chr(ch + 1)
            rest = width - i - 1
            ways.append(letters[:i].decode() + f"[{nxt}-Z]" + (f"[A-Z]{{{rest}}}" if rest else ""))
    if not ways:
        return None
    return re.compile(('r="(?:' + "|".join(ways) + r")\d").encode())


def _check_extent(m: re.Match[bytes], limits: ReadLimits, file: str, part: str) -> None:
    first_col, first_row, last_col, last_row = m.groups()
    col = last_col or first_col
    row = last_row or first_row
    if not col or not row:
        return
    rows, cols = int(row), _col_number(col)
    if rows * cols > limits.max_cells:
        raise FileFormatError(
            f"sheet part {part!r} declares a used area of {rows:,} rows x {cols:,} columns "
            f"(dimension {m.group(0).split(b'ref=')[1].decode('ascii', 'replace')}), over the limit "
            f"of {limits.max_cells:,} cells (ReadLimits.max_cells)",
            file=file,
        )
