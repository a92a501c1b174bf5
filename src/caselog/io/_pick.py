"""Rows picked from a table whose text columns are Arrow arrays of many chunks.

Arrow gathers rows from a column of many chunks by joining the chunks into one temporary copy
first; for a few rows of a large column that copy is most of the cost, in time and memory.
:func:`pick_rows` filters each chunk by its part of the mask instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["pick_rows", "selected_pieces"]


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
