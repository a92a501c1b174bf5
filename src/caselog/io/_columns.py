"""Matching export columns to caselog's fields, and cleaning and aliasing their values."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import (
    CaselogError,
)
from ._aliases import CASE_FIELD_ALIASES, MESSAGE_FIELD_ALIASES, Aliases, normalise_key
from ._dates import check_tz

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
    if pd.api.types.infer_dtype(s, skipna=False) == "string":  # only text (a reader's table)
        return s.astype(str).str.strip()  # what the cell-by-cell reading below gives it
    out = s.astype(object).where(s.notna(), "")
    out = out.map(_cell_text)
    return out.astype(str).str.strip()


def _has_outer_space(s: pd.Series) -> bool:
    """Whether any value starts or ends with white space: a character ``str.strip`` removes
    (ASCII space, tab, line breaks, ``\\v``, ``\\x1c``-``\\x1f``, and Unicode spaces such as the
    no-break space U+00A0 that text pasted from a web page often ends in)."""
    import pyarrow as pa

    arr = s.array._pa_array if hasattr(s.array, "_pa_array") else pa.array(s, type=pa.large_string(), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        return any(_outer_space_bytes(c) for c in arr.chunks)
    return _outer_space_bytes(arr)


#: the white space ``str.strip`` (and Arrow's ``utf8_trim_whitespace``) removes, UTF-8 encoded
_SPACES = [chr(c).encode("utf-8") for c in range(0x3001) if chr(c).isspace()]
#: the bytes a value starting with white space can start with, and ending with it end with
_FIRST_BYTE = np.zeros(256, dtype=bool)
_FIRST_BYTE[[b[0] for b in _SPACES]] = True
_LAST_BYTE = np.zeros(256, dtype=bool)
_LAST_BYTE[[b[-1] for b in _SPACES]] = True


def _outer_space_bytes(arr: object) -> bool:
    """Whether trimming white space changes any value of one Arrow string array.

    The first and last byte of each value pick the candidates (a value whose first byte no
    white space starts with, and whose last byte none ends with, has no outer white space);
    only those are trimmed to be sure (a left double quote, U+201C, shares its first byte with U+2000)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(arr) == 0 or arr.null_count == len(arr):
        return False
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return _trim_changes(arr)
    _, offsets_buf, data_buf = arr.buffers()
    if data_buf is None or data_buf.size == 0:
        return False
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=width, count=len(arr) + 1, offset=arr.offset * np.dtype(width).itemsize)
    data = np.frombuffer(data_buf, dtype=np.uint8)
    start, end = offsets[:-1], offsets[1:]
    used = end > start
    if arr.null_count:
        used &= arr.is_valid().to_numpy(zero_copy_only=False)
    at = np.flatnonzero(used)
    first, last = data[start[at]], data[end[at] - 1]
    if not (_FIRST_BYTE[first].any() or _LAST_BYTE[last].any()):
        return False
    if _RE2_SPACE[first].any() or _RE2_SPACE[last].any():
        return True  # a value starts or ends with one of the common ASCII ones: no need to look
    candidates = at[_FIRST_BYTE[first] | _LAST_BYTE[last]]
    return _trim_changes(pc.take(arr, pa.array(candidates)))


#: single bytes that are white space on their own (tab, newline, form feed, carriage return, space)
_RE2_SPACE = np.zeros(256, dtype=bool)
_RE2_SPACE[[9, 10, 12, 13, 32]] = True


def _trim_changes(arr: object) -> bool:
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(arr)
    return bool(pc.any(pc.not_equal(pc.binary_length(trimmed), pc.binary_length(arr))).as_py() or False)


def _cell_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _missing(value: object) -> bool:
    """What ``fillna`` fills: ``None``, NaN, ``pd.NA``, ``NaT``."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _first_mapped(value: str, over_exact: Mapping[str, str], over: Mapping[str, str],
                  table: Mapping[str, str]) -> object:
    """What ``value`` maps to: the override of its lower-cased text, else of its key, else the
    alias table's entry for its key; NaN for none (a missing entry is passed over, as
    ``fillna`` passes over it)."""
    got = over_exact.get(value.lower()) if over_exact else None
    if _missing(got):
        key = normalise_key(value)
        got = over.get(key) if over else None
        if _missing(got):
            got = table.get(key)
    return np.nan if _missing(got) else got


def _normalise_values(
    raw: pd.Series, field: str, aliases: Aliases, overrides: Mapping[str, str] | None
) -> pd.Series:
    """Map raw values through the user's overrides, then the alias table (vectorised by unique)."""
    codes, found = pd.factorize(raw, use_na_sentinel=False)
    table = aliases.values.get(field, {})
    over = {normalise_key(k): v for k, v in (overrides or {}).items()}
    over_exact = {str(k).strip().lower(): v for k, v in (overrides or {}).items()}
    values = list(found)
    if all(isinstance(v, str) for v in values) and (not over_exact or all(v.isascii() for v in values)):
        # text only (and Python's lower-casing is Arrow's, or no override needs it): the
        # lookups below, one distinct value at a time without a Series per step
        lookup = {v: _first_mapped(v, over_exact, over, table) for v in values}
    else:
        uniques = pd.Series(found)
        keys = uniques.map(normalise_key)
        mapped = uniques.str.lower().map(over_exact).astype(object)
        mapped = mapped.fillna(keys.map(over).astype(object)).fillna(keys.map(table).astype(object))
        lookup = dict(zip(uniques, mapped, strict=True))
    # what raw.map(lookup) gives, mapped once per distinct value and spread by position
    per_unique = pd.Series(found, dtype=raw.dtype).map(lookup)
    return pd.Series(per_unique.take(codes).array, index=raw.index)


