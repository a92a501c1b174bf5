"""Rows picked from Arrow text columns without Arrow's temporary copies.

Arrow gathers rows from a column of many chunks by joining the chunks into one temporary copy
first; for a few rows of a large column that copy is most of the cost, in time and memory.
:func:`pick_rows` filters each chunk by its part of the mask instead.  From a column of one
chunk, :func:`take_in_order` copies rows kept in order into buffers of their exact size (Arrow's
gather grows its buffer by doubling).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["pick_rows", "selected_pieces", "take_in_order"]

#: the most runs of consecutive rows :func:`take_in_order` copies one by one (past that,
#: Arrow's own gather)
_MAX_RUNS = 200_000


def selected_pieces(arr: pa.Array | pa.ChunkedArray, rows: np.ndarray,
                    size: int) -> Iterator[tuple[np.ndarray, pa.Array]]:
    """For each slice of ``arr`` (at most ``size`` values, chunk by chunk) that holds a true
    ``rows``: the positions of those rows in ``arr`` and their values (the slice itself when
    every row of it is selected, else a filter of it: never a gather across chunks)."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    start = 0
    for chunk in chunks:
        for lo in range(0, len(chunk), size):
            piece = chunk.slice(lo, size)
            flags = rows[start : start + len(piece)]
            where = np.flatnonzero(flags) + start
            start += len(piece)
            if len(where) == len(piece):
                yield where, piece
            elif len(where):
                yield where, piece.filter(pa.array(flags))


def _pick_column(column: pd.Series, mask: np.ndarray) -> pd.Series:
    """``column[mask]`` (same dtype and index labels), chunk by chunk for chunked Arrow data."""
    data = getattr(column.array, "_pa_array", None)
    if not isinstance(data, pa.ChunkedArray) or data.num_chunks <= 1:
        return column[mask]
    parts = [part for _, part in selected_pieces(data, mask, max(len(data), 1))]
    picked = pa.chunked_array(parts, type=data.type)
    return pd.Series(type(column.array)(picked), index=column.index[mask], name=column.name,
                     dtype=column.dtype, copy=False)


def pick_rows(frame: pd.DataFrame, rows: np.ndarray, columns: list | None = None) -> pd.DataFrame:
    """The rows of ``frame`` where the boolean ``rows`` holds (``columns`` only, when given), in
    their order: ``frame.loc[rows, columns]`` without the temporary copy of each text column.

    Examples
    --------
    >>> import numpy as np, pandas as pd, pyarrow as pa
    >>> s = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["a", "b"], ["c"]])))
    >>> pick_rows(pd.DataFrame({"x": s, "n": [1, 2, 3]}), np.array([False, True, True]))
       x  n
    1  b  2
    2  c  3
    """
    mask = np.asarray(rows, dtype=bool)
    names = list(frame.columns) if columns is None else list(columns)
    picked = {k: _pick_column(frame.iloc[:, frame.columns.get_loc(c)], mask)
              for k, c in enumerate(names)}
    out = pd.DataFrame(picked, index=frame.index[mask])
    out.columns = pd.Index(names, dtype=frame.columns.dtype) if len(names) else frame.columns[:0]
    return out


def take_in_order(arr: pa.Array, at: np.ndarray) -> pa.Array:
    """``arr.take(at)`` for a text array of one chunk and increasing positions ``at``.

    Arrow's gather of strings grows its data buffer by doubling: for a large column the
    result's capacity and the copy made when it grows (up to 1.7 times the result) come on
    top of the column.  Here the result's size is worked out first and the kept rows, runs of
    consecutive rows when few are left out, are copied into buffers of exactly that size.  Other
    arrays (numbers, many chunks) and positions that are not increasing or make too many runs
    go to Arrow's gather.

    Examples
    --------
    >>> import numpy as np, pyarrow as pa
    >>> take_in_order(pa.array(["a", None, "cd", "e"]), np.array([0, 1, 2])).to_pylist()
    ['a', None, 'cd']
    """
    at = np.asarray(at, dtype=np.int64)
    kind = arr.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind)
            or pa.types.is_large_binary(kind)) or (len(at) > 1 and not (at[1:] > at[:-1]).all()):
        return arr.take(pa.array(at))
    if len(at) and (at[0] < 0 or at[-1] >= len(arr)):
        raise IndexError(f"positions outside 0..{len(arr) - 1}")
    starts = np.flatnonzero(np.diff(at) != 1) + 1 if len(at) else np.zeros(0, np.int64)
    if len(starts) >= _MAX_RUNS:
        return arr.take(pa.array(at))
    large = pa.types.is_large_string(kind) or pa.types.is_large_binary(kind)
    width = np.int64 if large else np.int32
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=width, count=len(arr) + 1, offset=arr.offset * np.dtype(width).itemsize)
    data = (np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None and data_buf.size
            else np.zeros(0, np.uint8))
    lengths = offsets[at + 1] - offsets[at]
    offsets_out = pa.allocate_buffer((len(at) + 1) * np.dtype(width).itemsize)  # Arrow's pool
    new_offsets = np.frombuffer(offsets_out, dtype=width)
    new_offsets[0] = 0
    np.cumsum(lengths, out=new_offsets[1:])
    data_out = pa.allocate_buffer(int(new_offsets[-1]))
    out = np.frombuffer(data_out, dtype=np.uint8)
    first = np.r_[0, starts].astype(np.int64)
    last = np.r_[starts, len(at)].astype(np.int64)  # each run: at[first] .. at[last - 1]
    for a, b in zip(first.tolist(), last.tolist(), strict=True):
        if b > a:
            out[new_offsets[a]:new_offsets[b]] = data[offsets[at[a]]:offsets[at[b - 1] + 1]]
    mask = None
    if arr.null_count:
        valid = arr.is_valid().to_numpy(zero_copy_only=False)[at]
        mask = pa.array(valid).buffers()[1]
    null_count = -1 if mask is not None else 0
    return pa.Array.from_buffers(kind, len(at), [mask, offsets_out, data_out], null_count=null_count)
