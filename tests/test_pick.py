"""Rows picked chunk by chunk from Arrow columns are the rows a plain selection gives."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import caselog
from caselog.io._pick import pick_rows

_STR = pd.StringDtype("pyarrow", na_value=np.nan)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text(alphabet="ab é\n", max_size=5)), max_size=20),
       data=st.data(), cuts=st.lists(st.integers(0, 20), max_size=4))
def test_picked_rows_are_the_selected_rows(values, data, cuts):
    bounds = sorted({0, len(values), *[min(c, len(values)) for c in cuts]})
    chunks = pa.chunked_array([pa.array(values[a:b], pa.large_string())
                               for a, b in itertools.pairwise(bounds)], pa.large_string())
    index = pd.Index([f"r{i}" for i in range(len(values))])
    frame = pd.DataFrame({"text": pd.Series(pd.arrays.ArrowStringArray(chunks), index=index, dtype=_STR),
                          "n": np.arange(len(values))}, index=index)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values))),
                    dtype=bool)
    got = pick_rows(frame, mask)
    pd.testing.assert_frame_equal(got, frame[mask])
    pd.testing.assert_frame_equal(pick_rows(frame, mask, ["text"]), frame.loc[mask, ["text"]])


def test_many_blocks_with_rejects_and_repeats_hand_counted(tmp_path):
    """A file of many Arrow blocks (columns of many chunks): every 1,000th row has no date (a
    reject, with its raw text) and every 500th row repeats the one before it (a duplicate)."""
    lines = ["Case,Date,From,Body"]
    n, rejects, repeats = 60_000, [], 0
    body = "We have reviewed your appeal and the listing stays removed. " * 2
    for i in range(n):
        if i % 1000 == 999:
            lines.append(f"{i % 700},,Seller,no date {i}")
            rejects.append(len(lines))  # its row number (the header is row 1)
        elif i % 500 == 499:
            lines.append(lines[-1])
            repeats += 1
        else:
            lines.append(f"{i % 700},2026-01-02 {i % 24:02d}:{i % 60:02d}:{i // 60 % 60:02d},"
                         f"Amazon,\"{body}{i}\"")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 3 * (1 << 21)  # several of the reader's 2 MiB blocks
    log = caselog.load(path)
    assert log.rejects["row"].tolist() == rejects and len(rejects) == 60
    assert log.rejects["raw"].iloc[0] == "Case=299; Date=; From=Seller; Body=no date 999"
    assert log.duplicates == repeats == 60
    assert len(log.messages) + log.duplicates + len(log.rejects) == log.input_rows == n


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=6)), max_size=40),
       large=st.booleans(), start=st.integers(0, 3), data=st.data())
def test_take_in_order_is_arrows_gather(values, large, start, data):
    from caselog.io._pick import take_in_order

    arr = pa.array(values, pa.large_string() if large else pa.string()).slice(min(start, len(values)))
    keep = data.draw(st.lists(st.booleans(), min_size=len(arr), max_size=len(arr)))
    at = np.flatnonzero(np.asarray(keep, dtype=bool))
    got = take_in_order(arr, at)
    assert got.type == arr.type
    got.validate(full=True)
    assert got.to_pylist() == arr.take(pa.array(at, pa.int64())).to_pylist()
    assert got.null_count == sum(v is None for v in got.to_pylist())


def test_take_in_order_hands_other_orders_and_types_to_arrow():
    from caselog.io._pick import take_in_order

    arr = pa.array(["a", "b", None, "d"])
    assert take_in_order(arr, np.array([3, 0, 0])).to_pylist() == ["d", "a", "a"]
    assert take_in_order(pa.array([1, 2, 3]), np.array([0, 2])).to_pylist() == [1, 3]
    with pytest.raises(IndexError):
        take_in_order(arr, np.array([1, 4]))
