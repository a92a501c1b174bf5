"""Benchmark of template detection on the synthetic sample.

Usage::

    .venv/bin/python benchmarks/bench_templates.py [n_cases] [repeats]

Generates ``caselog.sample.generate(n_cases=...)`` (default 100,000 cases, about 1M messages),
times :func:`caselog.find_templates` (median of ``repeats`` runs, default 3) and prints Amazon
messages per second, the scores against the sample's true templates (pairwise F1, grouping
accuracy, reply-class accuracy) and memory: the peak of Python/numpy allocations during one more
(untimed) run under ``tracemalloc``, the Arrow memory pool's peak above what it held before, and
the process's peak resident size.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc

import pyarrow as pa

import caselog
from caselog import evaluate_templates, find_templates


def main(n_cases: int = 100_000, repeats: int = 3) -> None:
    t0 = time.perf_counter()
    sample = caselog.sample.generate(n_cases=n_cases)
    log = sample.log
    n_amazon = int((log.messages["direction"] == "amazon").sum())
    print(f"sample: {n_cases:,} cases, {len(log.messages):,} messages, {n_amazon:,} Amazon "
          f"messages (generated in {time.perf_counter() - t0:.1f} s)")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    result = None
    for _ in range(repeats):
        t = time.perf_counter()
        result = find_templates(log)
        times.append(time.perf_counter() - t)
    median = statistics.median(times)
    pool = pa.default_memory_pool()
    arrow_before = pool.bytes_allocated()
    tracemalloc.start()
    find_templates(log)
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    arrow_peak = max(pool.max_memory() - arrow_before, 0)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scores = evaluate_templates(result, sample.truth_messages, log.messages)
    print(f"find_templates: median {median:.2f} s of {[round(x, 2) for x in times]} -> "
          f"{n_amazon / median:,.0f} Amazon messages/s")
    print(f"templates found: {len(result.catalogue):,} "
          f"(true: {sample.truth_messages['template'].replace('', None).nunique():,})")
    print("pairwise precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}; grouping accuracy "
          "{grouping_accuracy:.4f}; majority accuracy {majority_accuracy:.4f}; reply-class "
          "accuracy {reply_class_accuracy:.4f}".format(**scores))
    print(f"memory: numpy/Python peak {py_peak / 2**20:,.0f} MB (tracemalloc), Arrow pool peak "
          f"<= {arrow_peak / 2**20:,.0f} MB above its level before; process peak RSS "
          f"{rss_after:,.0f} MB (after generating the sample: {rss_before:,.0f} MB)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
