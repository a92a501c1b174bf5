"""Freed memory goes back to the system between stages (glibc's malloc and Arrow's pool)."""

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
