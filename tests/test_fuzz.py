"""Bounded fuzzing of the read path: any input loads with counts adding up, or is a CaselogError.

The long run (10,000+ inputs, counts per outcome) is ``python benchmarks/fuzz.py``; these tests run
the same generators under hypothesis, and treat any warning that reaches the caller as a failure.
"""

from __future__ import annotations

import random
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import caselog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import fuzz  # noqa: E402

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(call) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            log = call()
        except caselog.CaselogError as exc:
            assert str(exc)  # a message, naming where when a file is involved
            return type(exc).__name__
    if isinstance(log, caselog.CaseLog):
        assert log.input_rows == len(log.messages) + len(log.rejects) + log.duplicates + len(getattr(log, "skipped", ()))
    return "loaded"


_cells = st.one_of(
    st.sampled_from([t for t in fuzz.TOKENS if len(t) < 1000]),
    st.text(max_size=12),
)


@_SETTINGS
@given(
    extra=st.lists(st.sampled_from(fuzz.HEADERS), max_size=4),
    rows=st.lists(st.lists(_cells, min_size=2, max_size=8), max_size=8),
    sep=st.sampled_from([",", "\t", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_any_csv_text(tmp_path, extra, rows, sep, encoding):
    header = ["Case ID", "Date", "From"] + extra

    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"'

    text = sep.join(header) + "\n" + "\n".join(sep.join(cell(c) for c in r) for r in rows) + "\n"
    p = tmp_path / "f.csv"
    p.write_bytes(text.encode(encoding, errors="replace") if encoding != "utf-8" else text.encode("utf-8", "surrogatepass"))
    _check(lambda: caselog.load(p))


@_SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_and_mutated_csv(tmp_path, seed):
    rng = random.Random(seed)
    for gen in (fuzz.gen_csv_text, fuzz.gen_mutated_csv):
        suffix, data = gen(rng)
        p = tmp_path / f"m{suffix}"
        p.write_bytes(data)
        _check(lambda p=p: caselog.load(p))


@_SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_xlsx(tmp_path, seed):
    suffix, data = fuzz.gen_mutated_xlsx(random.Random(seed))
    p = tmp_path / f"m{suffix}"
    p.write_bytes(data)
    _check(lambda: caselog.load(p))


@pytest.fixture(scope="module")
def small_log():
    log = caselog.load(fuzz.SAMPLE_CSV)
    return log.subset([str(c) for c in log.cases["case_id"][:4]])


@_SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_hostile_arguments(tmp_path, small_log, seed):
    rng = random.Random(seed)
    kw = fuzz.gen_args(rng, fuzz.LOAD_ARGS)
    _check(lambda: caselog.load(fuzz.SAMPLE_CSV, **kw))
    kw = fuzz.gen_args(rng, fuzz.ANALYSE_ARGS)
    _check(lambda: caselog.analyse(small_log, **kw).readiness)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_hostile_workbook_arguments(tmp_path, small_log, seed):
    kw = fuzz.gen_args(random.Random(seed), fuzz.WB_ARGS)
    _check(lambda: caselog.write_workbook(small_log, tmp_path / "w.xlsx", **kw))
