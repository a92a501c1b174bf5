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


_FREED_AT_ONCE = """
import os, sys
first = sys.argv[1]
if first == "pyarrow":
    import pyarrow
import caselog
import pyarrow as pa

def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

pool = pa.jemalloc_memory_pool()
before = rss()
chunks = [pa.array(["x" * 60] * 20_000, memory_pool=pool) for _ in range(200)]  # ~250 MB
text = pa.chunked_array(chunks).combine_chunks(memory_pool=pool)
del chunks  # what load does to a column: put in one piece, the pieces freed
print(os.environ.get("JE_ARROW_MALLOC_CONF", "-"), round(rss() - before))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or _memory._preferred_pool() is None,
                    reason="needs Linux and a pyarrow with jemalloc")
def test_importing_caselog_first_makes_jemalloc_hand_freed_pages_back():
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "JE_ARROW_MALLOC_CONF"}

    def run(first):
        out = subprocess.run([sys.executable, "-c", _FREED_AT_ONCE, first], env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        return out[0], float(out[1])

    conf, early = run("caselog")
    assert conf == _memory.JEMALLOC_CONF
    assert early < 340  # ~256 MB live: the pieces' pages went back as they were freed
    conf, late = run("pyarrow")  # too late to ask: jemalloc keeps freed pages a while
    assert conf == "-"
    assert late - early > 50


def test_the_allocator_setting_never_overrides_the_user_or_comes_too_late():
    env = {"JE_ARROW_MALLOC_CONF": "narenas:1"}
    assert not _memory.configure_allocator(env, modules={})
    assert env == {"JE_ARROW_MALLOC_CONF": "narenas:1"}
    env = {}
    assert not _memory.configure_allocator(env, modules={"pyarrow": object()})
    assert env == {}
    assert _memory.configure_allocator(env, modules={})
    assert env == {"JE_ARROW_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}


@pytest.fixture
def fresh_threshold():
    _memory.fix_mmap_threshold.cache_clear()
    yield
    _memory.fix_mmap_threshold.cache_clear()


def test_an_entry_point_fixes_the_mmap_threshold(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(_memory, "fix_mmap_threshold", lambda: calls.append(1))
    path = tmp_path / "m.csv"
    path.write_text("case_id,sent_at,direction,body\n1,2026-03-14 10:00,seller,Hi\n")
    assert len(caselog.load(path).messages) == 1
    assert calls  # before the entry point's work


def test_the_mmap_threshold_is_left_alone_when_the_user_chose(monkeypatch, fresh_threshold):
    monkeypatch.setenv("CASELOG_MALLOC_DEFAULTS", "1")
    assert _memory.fix_mmap_threshold() is False
    _memory.fix_mmap_threshold.cache_clear()
    monkeypatch.delenv("CASELOG_MALLOC_DEFAULTS")
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=1048576")
    assert _memory.fix_mmap_threshold() is False


@pytest.mark.skipif(not sys.platform.startswith("linux") or _memory._malloc_trim() is None,
                    reason="needs Linux with glibc (mallopt)")
def test_glibc_takes_the_fixed_threshold(monkeypatch, fresh_threshold):
    for name in ("CASELOG_MALLOC_DEFAULTS", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES"):
        monkeypatch.delenv(name, raising=False)
    assert _memory.fix_mmap_threshold() is True
    assert _memory.fix_mmap_threshold() is True  # once per process: the answer is kept
    assert _memory.MMAP_THRESHOLD == 4 * 2**20
