"""Which allocator caselog's Arrow data comes from, and freed memory handed back to the system
between the stages of a large run.

Two allocators hold caselog's data: an Arrow memory pool for the text columns and the C
library's ``malloc`` for numpy and pandas.

* **Arrow's pool.**  pyarrow's default pool on Linux is mimalloc, which hands the pages of a
  freed block back to the system after a few milliseconds (a "purge") and asks for fresh ones
  at the next allocation.  Every fresh page is zeroed by the kernel at its first touch; where
  that is costly (a virtual machine whose host backs guest memory lazily) the purge-and-refault
  cycles of a CSV parse dominated it: the serial parse of a 366 MB file took 3.7-8.3 s with
  mimalloc (2.6-6.4 s of it in the kernel) against 1.0-1.3 s with Arrow's jemalloc pool, and
  ``caselog.load`` of the same file 10.3-12.5 s against 6.2-6.6 s, with a lower peak.  So
  caselog's entry points (:func:`uses_arrow_pool`) make jemalloc Arrow's default pool while
  they run, where pyarrow has it (its Linux wheels) and the user has not chosen a pool with
  ``ARROW_DEFAULT_MEMORY_POOL``, and put the previous default back on return.  Results do not
  depend on the pool; arrays allocated from one pool are freed to it whatever the default is
  later.
* **Handing pages back.**  Each allocator keeps the pages it freed for its own later use, so
  the transient copies of one stage (say, Arrow strings) stay resident while the next stage
  allocates from the other one (numpy arrays), and the process's peak is the sum of both.
  :func:`release_memory` returns both allocators' free pages at the end of a stage.
* **jemalloc's decay.**  jemalloc hands freed pages back only after a delay, and the purge
  that :func:`release_memory` asks for did not reach the pages freed by the arenas created
  when pyarrow was loaded: at 1M messages the text columns freed while ``load`` put them in
  one piece each stayed resident (a peak of 1,150-1,180 MB against 925 MB with no delay).
  jemalloc reads its settings once, from ``JE_ARROW_MALLOC_CONF``, when pyarrow's library is
  loaded, so ``import caselog`` sets that variable to ``dirty_decay_ms:0,muzzy_decay_ms:0``
  when pyarrow is not loaded yet and the variable is not set already
  (:func:`configure_allocator`): import caselog before pandas or pyarrow, or set the variable
  yourself, to get it.  It affects only Arrow's jemalloc pool, which caselog's own calls use
  (pyarrow's default stays as it is for everything else), and costs some time in the kernel
  (``load`` of 1M messages 0.3-0.5 s more).
* **malloc's sliding threshold.**  glibc serves large blocks from pages of their own only above
  a threshold that rises as such blocks are freed, after which the freed copies of one stage
  stay resident beside the next one's.  The first time one of caselog's entry points runs it
  fixes the threshold at 4 MB (:func:`fix_mmap_threshold`), unless the user set it already or
  set ``CASELOG_MALLOC_DEFAULTS``.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import sys
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, TypeVar

__all__ = ["arrow_pool", "configure_allocator", "fix_mmap_threshold", "release_memory",
           "uses_arrow_pool", "wants_fixed_mmap_threshold"]

_F = TypeVar("_F", bound=Callable[..., Any])

#: jemalloc's settings caselog asks for (see the module notes)
JEMALLOC_CONF = "dirty_decay_ms:0,muzzy_decay_ms:0"


def configure_allocator(environ: Any = None, modules: Any = None) -> bool:
    """Ask Arrow's jemalloc to hand freed pages back at once, if it is still time to.

    Sets ``JE_ARROW_MALLOC_CONF`` to :data:`JEMALLOC_CONF` when pyarrow is not imported yet
    (jemalloc reads it when pyarrow's library loads) and the variable is not set (a user's
    own setting wins).  Returns whether it set the variable.  ``environ`` and ``modules``
    default to ``os.environ`` and ``sys.modules``.

    Examples
    --------
    >>> env = {}
    >>> configure_allocator(env, modules={})
    True
    >>> env
    {'JE_ARROW_MALLOC_CONF': 'dirty_decay_ms:0,muzzy_decay_ms:0'}
    >>> configure_allocator({}, modules={"pyarrow": object()})  # too late: jemalloc is set up
    False
    """
    environ = os.environ if environ is None else environ
    modules = sys.modules if modules is None else modules
    if "pyarrow" in modules or "JE_ARROW_MALLOC_CONF" in environ:
        return False
    environ["JE_ARROW_MALLOC_CONF"] = JEMALLOC_CONF
    return True


@cache
def _preferred_pool() -> Any:
    """Arrow's jemalloc pool, or ``None`` (not built into this pyarrow, or the user chose a pool
    through ``ARROW_DEFAULT_MEMORY_POOL``)."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return None
    try:
        import pyarrow as pa

        return pa.jemalloc_memory_pool()
    except (ImportError, NotImplementedError, AttributeError):
        return None


@contextlib.contextmanager
def arrow_pool() -> Iterator[None]:
    """Within the block, Arrow allocates from caselog's preferred pool (jemalloc, see the module
    notes); the previous default pool is restored on exit.  Nested blocks do nothing more.

    The default pool is process-wide: Arrow calls that other threads make meanwhile use it too
    (which changes their speed, never their results).

    Examples
    --------
    >>> import pyarrow as pa
    >>> before = pa.default_memory_pool().backend_name
    >>> with arrow_pool():
    ...     pa.default_memory_pool().backend_name in ("jemalloc", before)
    True
    >>> pa.default_memory_pool().backend_name == before
    True
    """
    pool = _preferred_pool()
    if pool is None:
        yield
        return
    import pyarrow as pa

    previous = pa.default_memory_pool()
    if previous.backend_name == pool.backend_name:
        yield
        return
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


#: ``malloc`` blocks of this size and more get pages of their own, handed back when freed
MMAP_THRESHOLD = 4 << 20
#: ``mallopt``'s parameter number for the threshold (glibc's ``M_MMAP_THRESHOLD``)
_M_MMAP_THRESHOLD = -3


def wants_fixed_mmap_threshold(environ: Any = None) -> bool:
    """Whether caselog should fix glibc's ``mmap`` threshold (see :func:`fix_mmap_threshold`):
    not when the user set it already (``MALLOC_MMAP_THRESHOLD_``, or ``mmap_threshold`` in
    ``GLIBC_TUNABLES``) or asked caselog to leave ``malloc`` alone
    (``CASELOG_MALLOC_DEFAULTS`` set to anything).

    Examples
    --------
    >>> wants_fixed_mmap_threshold({})
    True
    >>> wants_fixed_mmap_threshold({"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"})
    False
    >>> wants_fixed_mmap_threshold({"CASELOG_MALLOC_DEFAULTS": "1"})
    False
    """
    environ = os.environ if environ is None else environ
    return not ("MALLOC_MMAP_THRESHOLD_" in environ or "CASELOG_MALLOC_DEFAULTS" in environ
                or "mmap_threshold" in environ.get("GLIBC_TUNABLES", ""))


@cache
def fix_mmap_threshold() -> bool:
    """Fix glibc's ``mmap`` threshold at :data:`MMAP_THRESHOLD` (once per process); returns
    whether it did.

    glibc serves a large block from pages of its own (handed back to the system when it is
    freed) only above a threshold that *slides*: each such block freed raises it to that
    block's size, up to 32 MB.  After the first large arrays of a run are freed, the next
    ones of up to that size come from the heap, whose freed pages stay resident while other
    blocks sit above them; a stage's transient copies then add to the next stage's peak.  At a
    million high-variety messages the peak of ``load`` and the analyses was 1,077 MB with the
    sliding threshold and 1,023-1,027 MB with it fixed at 4 MB, at the same speed.

    The setting is process-wide and stays (glibc cannot be given its sliding threshold back),
    so caselog makes it when one of its entry points first runs, not at import, and not when
    :func:`wants_fixed_mmap_threshold` says no.  Elsewhere than glibc it does nothing.
    """
    if not wants_fixed_mmap_threshold():
        return False
    mallopt = _glibc_function("mallopt", (ctypes.c_int, ctypes.c_int))
    return mallopt is not None and bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def uses_arrow_pool(func: _F) -> _F:
    """Decorate an entry point so that it runs in :func:`arrow_pool` (and, the first time,
    :func:`fix_mmap_threshold`)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        fix_mmap_threshold()
        with arrow_pool():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@cache
def _glibc_function(name: str, argtypes: tuple[Any, ...]) -> Any:
    """glibc's function ``name`` taking ``argtypes`` and returning an int (``None`` on other
    C libraries and systems: musl has neither ``malloc_trim`` nor ``mallopt``'s threshold)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        func = getattr(libc, name)
    except (OSError, AttributeError):
        return None
    func.argtypes = list(argtypes)
    func.restype = ctypes.c_int
    return func


def _malloc_trim() -> Any:
    """glibc's ``malloc_trim`` (``None`` on other C libraries and systems)."""
    return _glibc_function("malloc_trim", (ctypes.c_size_t,))


def release_memory() -> None:
    """Hand the free pages that Arrow's pools (the default one and caselog's) and ``malloc``
    keep back to the system.

    Costs a few milliseconds; call it after a stage that made large short-lived copies.

    Examples
    --------
    >>> release_memory()  # nothing to see: the process's resident size may fall
    """
    try:
        import pyarrow as pa

        pools = [pa.default_memory_pool(), _preferred_pool()]
        for pool in {p.backend_name: p for p in pools if p is not None}.values():
            pool.release_unused()  # each backend once: pyarrow wraps a pool anew at each call
    except (ImportError, AttributeError):  # pragma: no cover - pyarrow is a dependency
        pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
