"""Freed memory handed back to the system between the stages of a large run.

Two allocators hold caselog's data: Arrow's pool (mimalloc) for the text columns and the C
library's ``malloc`` for numpy and pandas.  Each keeps the pages it freed for its own later use,
so the transient copies of one stage (say, Arrow strings) stay resident while the next stage
allocates from the other one (numpy arrays), and the process's peak is the sum of both.
:func:`release_memory` returns both allocators' free pages at the end of a stage.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache

__all__ = ["release_memory"]


@cache
def _malloc_trim():
    """glibc's ``malloc_trim`` (``None`` on other C libraries and systems)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_memory() -> None:
    """Hand the free pages that Arrow's pool and ``malloc`` keep back to the system.

    Costs a few milliseconds; call it after a stage that made large short-lived copies.

    Examples
    --------
    >>> release_memory()  # nothing to see: the process's resident size may fall
    """
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover - pyarrow is a dependency
        pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
