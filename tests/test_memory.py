"""Which Arrow pool caselog allocates from, and freed memory going back to the system between
stages (glibc's malloc and Arrow's pool)."""

from __future__ import annotations

import os
import sys

import numpy as np
import pyarrow as pa
import pytest

import caselog
from caselog import _memory


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux") or _memory._malloc_trim() is None,
                    reason="needs Linux with glibc (malloc_trim)")
def test_freed_pages_of_both_allocators_go_back():
    strings = [pa.array(["x" * 60] * 1000) for _ in range(4000)]  # ~240 MB in Arrow's pool
    arrays = [np.ones(8192) for _ in range(4096)]  # 256 MiB through malloc, 64 KiB each
    del strings, arrays
    held = _rss_mib()  # both allocators keep most of what was freed
    _memory.release_memory()
    assert held - _rss_mib() > 250


def test_each_stage_of_an_analysis_releases_once(monkeypatch):
    log = caselog.sample.generate(seed=3, n_cases=60).log
    calls = []
    monkeypatch.setattr(caselog.analysis._analysis, "release_memory", lambda: calls.append(1))
    a = caselog.analyse(log)
    assert len(a.readiness)  # needs templates, escalations and deadlines first
    assert len(calls) == 4
    assert len(a.turns) and len(a.readiness) and a.templates is a.templates  # cached: computed (and released) once
    assert len(calls) == 5


_JEMALLOC = _memory._preferred_pool() is not None


@pytest.fixture
def fresh_preference():
    _memory._preferred_pool.cache_clear()
    yield
    _memory._preferred_pool.cache_clear()


@pytest.mark.skipif(not _JEMALLOC, reason="this pyarrow has no jemalloc pool")
def test_load_allocates_from_jemalloc_and_puts_the_default_back(monkeypatch, tmp_path):
    before = pa.default_memory_pool().backend_name
    seen = []
    real = caselog.io._load._finish

    def spy(*args, **kwargs):
        seen.append(pa.default_memory_pool().backend_name)
        return real(*args, **kwargs)

    monkeypatch.setattr(caselog.io._load, "_finish", spy)
    path = tmp_path / "h.csv"
    caselog.sample.generate(seed=1, n_cases=5).log.messages.to_csv(path, index=False)
    caselog.load(path)
    assert seen == ["jemalloc"]
    assert pa.default_memory_pool().backend_name == before


@pytest.mark.skipif(not _JEMALLOC, reason="this pyarrow has no jemalloc pool")
def test_pool_blocks_nest_and_restore_on_error():
    before = pa.default_memory_pool().backend_name
    with pytest.raises(RuntimeError), _memory.arrow_pool():
        with _memory.arrow_pool():
            assert pa.default_memory_pool().backend_name == "jemalloc"
        assert pa.default_memory_pool().backend_name == "jemalloc"  # the inner block kept it
        raise RuntimeError
    assert pa.default_memory_pool().backend_name == before


def test_a_pool_the_user_chose_is_left_alone(monkeypatch, fresh_preference):
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    before = pa.default_memory_pool().backend_name
    if before == "jemalloc":
        pytest.skip("the process already allocates from jemalloc: nothing to tell apart")
    with _memory.arrow_pool():
        assert pa.default_memory_pool().backend_name == before


def test_entry_points_keep_their_names_signatures_and_docs():
    import inspect

    for func in (caselog.load, caselog.find_templates, caselog.turns, caselog.escalations,
                 caselog.readiness, caselog.write_workbook):
        assert func.__doc__ and func.__name__ != "wrapper"
        assert "args" not in inspect.signature(func).parameters
