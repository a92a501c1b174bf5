"""Fast paths of the loader give what the plain ones gave: the Arrow CSV reader (ragged rows
included) and regex searches run with Arrow where Python's re would give the same."""

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import caselog
from caselog.io import _files


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


def _slow(monkeypatch, path: Path):
    with monkeypatch.context() as m:
        m.setattr(_files, "_read_arrow", lambda *a: None)
        return _files._read_text(path)


def _same(a, b) -> None:
    (ta,), notes_a, bad_a = a
    (tb,), notes_b, bad_b = b
    assert list(ta.frame.columns) == list(tb.frame.columns)
    assert ta.frame.fillna("").to_dict("list") == tb.frame.fillna("").to_dict("list")
    assert [str(t) for t in ta.frame.dtypes] == [str(t) for t in tb.frame.dtypes]
    assert ta.rows.tolist() == tb.rows.tolist()
    assert (notes_a, bad_a) == (notes_b, bad_b)


def test_ragged_short_blank_and_multiline_rows_keep_their_numbers(tmp_path, monkeypatch):
    text = (
        "Case,Date,From,Body\r\n"
        "1,2026-01-02,Seller,\"two\r\nlines\"\r\n"  # row 2 (two physical lines)
        "2,2026-01-02,Seller,a,b\r\n"  # row 3: 5 fields
        "\r\n"  # row 4: blank, dropped uncounted
        "3,2026-01-03\r\n"  # row 5: 2 fields, padded: no sender
        "4,2026-01-04,Amazon,\"x, \"\"y\"\"\",z\r\n"  # row 6: 5 fields, quoted comma
        "5,2026-01-05,Amazon,ok\r\n"  # row 7
    )
    p = _write(tmp_path, "r.csv", text)
    fast = _files._read_text(p)
    assert _files._read_arrow(p, ",", text) is not None  # the fast path was taken
    (table,), notes, bad = fast
    assert table.rows.tolist() == [2, 4, 5, 7]
    assert table.frame["Body"].tolist() == ["two\nlines", "", "", "ok"]  # as the text reader reads it
    assert bad == [(3, 5, "2; 2026-01-02; Seller; a; b"), (6, 5, '4; 2026-01-04; Amazon; x, "y"; z')]
    assert notes == ["r.csv: 2 rows with the wrong number of fields"]
    _same(fast, _slow(monkeypatch, p))
    log = caselog.load(p)
    assert log.messages["case_id"].tolist() == ["1", "5"]
    assert log.rejects[["row", "reason"]].values.tolist() == [
        [5, "sender (From) is empty"],
        [3, "row has 5 fields, more than the header's columns"],
        [6, "row has 5 fields, more than the header's columns"],
    ]
    assert log.input_rows == 5 == len(log.messages) + len(log.rejects) + log.duplicates


def test_header_names_as_pandas_gives_them(tmp_path, monkeypatch):
    p = _write(tmp_path, "h.csv", "Case,Case,,Date,From\n1,x,y,2026-01-02,Seller\n")
    fast = _files._read_text(p)
    assert list(fast[0][0].frame.columns) == ["Case", "Case.1", "Unnamed: 2", "Date", "From"]
    _same(fast, _slow(monkeypatch, p))


@pytest.mark.parametrize("text", [
    'Case,Date,From\n1,2026-01-02,"Seller\n',  # a quote left open at the end
    'Case,Date,From\n1,a"b,x\n2,2026-01-02,"Seller\n',  # ... after a bare quote (even count)
    "\nCase,Date,From\n1,2026-01-02,Seller\n",  # header not on the first line
])
def test_files_the_arrow_reader_leaves_to_the_others(tmp_path, text):
    p = _write(tmp_path, "q.csv", text)
    assert _files._read_arrow(p, ",", text) is None


_ATOMS = ["a", "x y", " sp ", "", '"q"', '"with, comma"', '"multi\nline"', '"a""b"', "1", "é", '"', 'a"b']


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(["id", "", "Sent", "b", "a.1"]), min_size=1, max_size=4),
    rows=st.lists(st.tuples(st.integers(-4, 2), st.lists(st.sampled_from(_ATOMS), min_size=6, max_size=6)), max_size=6),
    sep=st.sampled_from([",", ";", "\t"]),
    eol=st.sampled_from(["\n", "\r\n"]),
    end=st.sampled_from(["", "\n", "\n\n"]),
)
def test_arrow_reader_matches_the_pandas_and_python_readers(tmp_path, monkeypatch, header, rows, sep, eol, end):
    lines = [sep.join(header)] + [sep.join(atoms[: max(0, len(header) + extra)]) for extra, atoms in rows]
    p = _write(tmp_path, "f.csv", eol.join(lines) + end.replace("\n", eol))

    def read(path):
        try:
            return _files._read_text(path)
        except caselog.CaselogError as exc:
            return str(exc)

    fast, slow = read(p), None
    with monkeypatch.context() as m:
        m.setattr(_files, "_read_arrow", lambda *a: None)
        slow = read(p)
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
    else:
        _same(fast, slow)


# ------------------------------------------------------------- regex search, RE2 where it agrees

@pytest.mark.parametrize("dtype", ["str", object])
def test_contains_hand_computed(dtype):
    import pandas as pd

    from caselog.io._cases import _ASIN_ANY, _contains

    text = pd.Series(["see B0AAAAAAAA", "éB0AAAAAAAA", "é B0AAAAAAAA", "B0AAAAAAAAA", "x"], dtype=dtype)
    # "é" is a word character to Python's re (no word boundary before B0...), not to RE2
    assert _contains(text, _ASIN_ANY).tolist() == [True, False, True, False, False]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(
    ["B0AAAAAAAA", "B0CCCCCCC1", " ", "x", "é", "ß", "B0DDDDDDDDD", "-", "suspen", "poa", "\n", "_"]
), max_size=6).map("".join), max_size=8))
def test_contains_matches_python_re(values):
    import pandas as pd

    from caselog.io._cases import _ASIN_ANY, _CATEGORY_KEYWORDS, _contains

    text = pd.Series(values, dtype="str")
    for pattern in [_ASIN_ANY] + [p for _, p in _CATEGORY_KEYWORDS]:
        assert _contains(text, pattern).tolist() == [re.search(pattern, v) is not None for v in values]
