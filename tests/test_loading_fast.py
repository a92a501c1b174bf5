"""Fast paths of the loader give what the plain ones gave: the Arrow CSV reader (ragged rows
included) and regex searches run with Arrow where Python's re would give the same."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
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


def test_rows_across_many_blocks_and_one_longer_than_a_block(tmp_path, monkeypatch):
    long_body = "word " * 500_000 + "\nend"  # 2.5 MB: longer than the first try's 2 MiB block
    rows = [f'{i},2026-01-02,Seller,"line {i}\nsecond"' for i in range(30_000)]
    rows[20_000] = "20000,extra,fields,x,y"  # ragged, far past the first block
    text = "Case,Date,From,Body\n" + "\n".join(rows[:100]) + f'\n1,2026-01-02,Seller,"{long_body}"\n' + "\n".join(rows[100:]) + "\n"
    p = _write(tmp_path, "long.csv", text)
    got = _files._read_arrow(p, ",", text[:65536])
    assert got is not None
    frame, numbers, bad = got
    assert frame["Body"].iloc[100] == long_body and len(frame) == 30_000
    assert bad == [(20_003, 5, "20000; extra; fields; x; y")]  # header 1, 100 rows, the long one
    assert numbers[99:102].tolist() == [101, 102, 103]
    _same(_files._read_text(p), _slow(monkeypatch, p))


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


# ------------------------------------------------------------- ASINs found in the text's bytes

def _asin_reference(subject, body):
    """The pairs the loader found before: RE2 extract-and-remove on the texts _contains keeps."""
    import pandas as pd

    from caselog.io._cases import _ASIN_ANY, _asins_in, _contains

    text = subject + " " + body
    has = _contains(text, _ASIN_ANY)
    found = _asins_in(text[has]) if has.any() else pd.Series([], dtype=object)
    return sorted(zip(found.index.tolist(), found.tolist(), strict=True))


@pytest.mark.parametrize("dtype", ["str", object])
def test_asin_pairs_hand_computed(dtype):
    import pandas as pd

    from caselog.io._asins import asin_pairs

    subject = pd.Series(["B0AAAAAAAA", "x", "éB0AAAAAAAA", "B0AAAAAAAAA", "Re: B0SUBJECT1", "", "_B0AAAAAAAA"], dtype=dtype)
    body = pd.Series(["B0BBBBBBBB,B0CCCCCCCC B0DDDDDDDD", "B0EEEEEEEE", "é B0FFFFFFFF", "b0aaaaaaaa", "B0BODY0001", "B0X", "-"], dtype=dtype)
    rows, asins = asin_pairs(subject, body)
    # at most three a message, the subject's first; row 2 counts because Python's re finds the
    # body's ASIN, and then RE2 (to which "é" is not a word character) takes the subject's too
    assert sorted(zip(rows.tolist(), asins.tolist(), strict=True)) == [
        (0, "B0AAAAAAAA"), (0, "B0BBBBBBBB"), (0, "B0CCCCCCCC"), (1, "B0EEEEEEEE"),
        (2, "B0AAAAAAAA"), (2, "B0FFFFFFFF"), (4, "B0BODY0001"), (4, "B0SUBJECT1"),
    ]
    assert sorted(zip(rows.tolist(), asins.tolist(), strict=True)) == _asin_reference(subject, body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(*[st.lists(st.sampled_from(
    ["B0AAAAAAAA", "B0CCCCCCC1", "B0", "AAAAAAAA", " ", "x", "é", "B0DDDDDDDDD", "-", "\n", "_", "9"]
), max_size=7).map("".join)] * 2), max_size=8), st.booleans())
def test_asin_pairs_match_the_regex_search(texts, chunked):
    import pandas as pd
    import pyarrow as pa

    from caselog.io._asins import asin_pairs

    subject = pd.Series([s for s, _ in texts], dtype="str")
    body = pd.Series([b for _, b in texts], dtype="str")
    if chunked and len(texts) > 2:  # several chunks, one of them a slice
        arr = pa.chunked_array([pa.array(body.tolist()[:2], pa.large_string()),
                                pa.array(["pad"] + body.tolist()[2:], pa.large_string()).slice(1)])
        body = pd.Series(pd.arrays.ArrowStringArray(arr) if hasattr(pd.arrays, "ArrowStringArray") else arr.to_pandas())
    rows, asins = asin_pairs(subject, body)
    assert sorted(zip(rows.tolist(), asins.tolist(), strict=True)) == _asin_reference(subject, body)


# ------------------------------------------------------------- repeats: text compared where it may repeat

@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["1", "2"]), st.sampled_from([0, 1, None]),
                          st.sampled_from(["seller", "amazon"]), st.sampled_from(["s", "t"]),
                          st.sampled_from(["a", "b", ""])), max_size=12))
def test_repeats_are_what_duplicated_gives(rows):
    import numpy as np
    import pandas as pd

    from caselog.io._load import _in_case_time_order, _repeats

    frame = pd.DataFrame(rows, columns=["case_id", "sent_at", "direction", "subject", "body"])
    frame = frame.astype({"case_id": "str", "direction": "str", "subject": "str", "body": "str"})
    frame["sent_at"] = pd.to_datetime(frame["sent_at"], unit="h", utc=True)
    codes, _ = pd.factorize(frame["case_id"], sort=True)
    sent_ns = pd.DatetimeIndex(frame["sent_at"]).as_unit("ns").asi8
    want = frame.duplicated(["case_id", "sent_at", "direction", "subject", "body"]).to_numpy(dtype=bool)
    assert np.array_equal(_repeats(frame, codes, sent_ns), want)
    # the same rows in case and time order: the runs of one case and time alone are compared
    frame = frame.assign(_c=codes, _t=sent_ns).sort_values(["_c", "_t"], kind="stable")
    codes, sent_ns = frame.pop("_c").to_numpy(), frame.pop("_t").to_numpy()
    frame = frame.reset_index(drop=True)
    assert _in_case_time_order(codes, sent_ns)
    want = frame.duplicated(["case_id", "sent_at", "direction", "subject", "body"]).to_numpy(dtype=bool)
    assert np.array_equal(_repeats(frame, codes, sent_ns, ordered=True), want)


def test_case_time_order_hand_examples():
    import numpy as np

    from caselog.io._load import _in_case_time_order

    assert _in_case_time_order(np.array([0, 0, 1]), np.array([5, 7, 1]))
    assert not _in_case_time_order(np.array([0, 0, 1]), np.array([7, 5, 1]))  # time goes back
    assert not _in_case_time_order(np.array([1, 0]), np.array([1, 2]))  # case goes back
    nat = np.iinfo(np.int64).min  # NaT sorts first within its case
    assert _in_case_time_order(np.array([0, 0]), np.array([nat, 3]))
    assert _in_case_time_order(np.array([], dtype=np.int64), np.array([], dtype=np.int64))


# ------------------------------------------------------------- vocabularies mapped once per value

def test_team_channel_and_status_values_hand_computed(tmp_path):
    text = (
        "Case,Date,From,Team,Channel,Status\n"
        "1,2026-01-02 10:00,Seller,,Case,\n"
        "1,2026-01-02 11:00,Amazon,Brand Registry,phone,Closed\n"
        "2,2026-01-02 12:00,Amazon,Night Shift,,pending\n"
        "2,2026-01-02 13:00,Seller,seller performance,carrier pigeon,open\n"
    )
    log = caselog.load(_write(tmp_path, "t.csv", text))
    m = log.messages
    assert m["team"].tolist() == ["Brand Registry", "Brand Registry", "Other", "Seller Performance"]
    assert m["channel"].tolist() == ["case", "phone", "case", "other"]
    assert str(m["team"].dtype) == str(m["channel"].dtype) == "str"
    assert any("Night Shift" in d for d in log.decisions) and any("carrier pigeon" in d for d in log.decisions)
    with pytest.raises(caselog.errors.MappingError, match="maps channel to \\['fax'\\]"):
        caselog.load(_write(tmp_path, "t.csv", text), values={"channel": {"phone": "fax"}})


# ------------------------------------------------------------- UTF-8 checked by Arrow, in chunks

@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([b"a", b'"', b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\xef\xbb\xbf",
                                 b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xff", b"\xe2\x82"]),
                max_size=12).map(b"".join), st.integers(1, 7))
def test_utf8_check_in_chunks_is_pythons(tmp_path, data, chunk_size):
    p = tmp_path / "u.csv"
    p.write_bytes(data)
    try:
        data.decode("utf-8")
        want = data.count(b'"')
    except UnicodeDecodeError:
        want = None
    assert _files._utf8_quotes(p, chunk_size) == want
    assert _files._utf8_quotes(p) == want


def test_encoding_errors_still_name_the_byte(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"Case,Date\n1,\x81\x8d\x8f\x90\x9d\n")  # not UTF-8, and bytes cp1252 has no character for
    with pytest.raises(caselog.errors.EncodingError, match="byte 0x81 at offset 12"):
        _files._detect_encoding(p, "bad.csv")
    p.write_bytes("Case,Date\n1,caf\u00e9\n".encode("cp1252"))
    assert _files._detect_encoding(p, "bad.csv") == "cp1252"
    p.write_bytes("\ufeffCase,Date\n1,\"caf\u00e9\"\n".encode("utf-8"))
    quotes: list[int] = []
    assert _files._detect_encoding(p, "ok.csv", quotes) == "utf-8-sig" and quotes == [2]


# ------------------------------------------------------------- rejects, repeats and the sort in one take

def test_rejects_repeats_and_order_hand_computed(tmp_path):
    text = (
        "Case,Date,From,Body\n"
        "2,2026-01-02 10:00,Seller,a\n"   # row 2: message 0
        "1,2026-01-02 12:00,Amazon,b\n"   # row 3: message 1
        "1,,Seller,no date\n"             # row 4: a reject, no message ID
        "2,2026-01-02 10:00,Seller,a\n"   # row 5: message 2, a repeat of row 2
        "1,2026-01-02 10:00,Seller,c\n"   # row 6: message 3
    )
    one = caselog.load(_write(tmp_path, "t.csv", text))
    m = one.messages
    assert m["message_id"].tolist() == [3, 1, 0] and m["case_id"].tolist() == ["1", "1", "2"]
    assert m["source"].tolist() == ["t.csv row 6", "t.csv row 3", "t.csv row 2"]
    assert (one.duplicates, one.rejects["row"].tolist(), one.input_rows) == (1, [4], 5)
    # two files: the tables are taken one by one and joined, with the same messages
    lines = text.splitlines(keepends=True)
    two = caselog.load([_write(tmp_path, "a.csv", "".join(lines[:3])), _write(tmp_path, "b.csv", lines[0] + "".join(lines[3:]))])
    assert two.messages["message_id"].tolist() == [3, 1, 0] and two.duplicates == 1
    assert two.messages.drop(columns="source").equals(m.drop(columns="source"))


# ------------------------------------------------ outer white space found from the outer bytes

_EDGE = [" ", "\t", "\n", "\v", "\x1c", "\x1f", "\x85", "\xa0", "\u1680", "\u2000", "\u200a", "\u2028",
         "\u202f", "\u205f", "\u3000", "\u201c", "\u201d", "\u2014", "\u2026", "\u00e9", "\u00c2", "a", "1", "é "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(_EDGE), max_size=4).map("".join)), max_size=8))
def test_outer_space_check_is_what_strip_changes(values):
    import pandas as pd

    from caselog.io._columns import _has_outer_space

    s = pd.Series(values, dtype="str")
    want = any(v is not None and v != v.strip() for v in values)
    assert _has_outer_space(s) is want


def test_a_no_break_space_after_a_case_id_does_not_split_the_case(tmp_path):
    # text pasted from a web page ends in U+00A0; no other value of the column has outer space
    text = ("Case ID,Sent,From,Message\n1001,2026-03-01 10:00,Seller,hello\n"
            "1001\u00a0,2026-03-02 10:00,Amazon,reply\n1002,2026-03-02 11:00,Seller,\u3000other\n")
    log = caselog.load(_write(tmp_path, "nbsp.csv", text))
    assert log.messages["case_id"].tolist() == ["1001", "1001", "1002"]
    assert log.messages["body"].tolist() == ["hello", "reply", "other"]
    assert len(log.cases) == 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["1", "2", "3", "10"]), st.integers(0, 4), st.booleans(),
                          st.sampled_from(["seller", "amazon"]),
                          st.sampled_from(["suspended", "payment reserve", "listing", "a question", "hello"])),
                min_size=1, max_size=30))
def test_infer_category_by_position_is_the_sorted_frames(rows):
    """The first (seller) message of each case found by position is the one the sorts and
    de-duplications of whole frames find: times that tie, NaT, any input order."""
    import pandas as pd

    from caselog.io._cases import _infer_category, _infer_category_plain

    sent = [pd.NaT if nat else pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(hours=h)
            for _, h, nat, _, _ in rows]
    frame = pd.DataFrame({
        "message_id": pd.Series(range(len(rows)), dtype="int64")[::-1].to_numpy(),
        "case_id": pd.Series([r[0] for r in rows], dtype="str"),
        "sent_at": pd.Series(sent, dtype="datetime64[ns, UTC]"),
        "direction": pd.Series([r[3] for r in rows], dtype="str"),
        "subject": pd.Series([r[4] for r in rows], dtype="str"),
        "body": pd.Series([f"text {k}" for k in range(len(rows))], dtype="str"),
    })
    pd.testing.assert_series_equal(_infer_category(frame), _infer_category_plain(frame))


def test_raw_text_of_no_rows_is_the_joined_columns_of_none():
    import pandas as pd

    from caselog.io._rows import _raw_text

    frame = pd.DataFrame({"a": pd.Series(["x"], dtype=object), "b": [1.5], "c": pd.Series(["y"], dtype="str")})
    got = _raw_text(frame[0:0])
    joined = "a=" + frame["a"].astype(str)[0:0] + "; b=" + frame["b"].astype(str)[0:0]
    pd.testing.assert_series_equal(got, joined.astype("str"), check_names=False)


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.lists(st.one_of(st.text(max_size=5), st.none(), st.just(float("nan"))), max_size=12),
    st.lists(st.one_of(st.text(max_size=5), st.none(), st.just(float("nan")), st.integers(-3, 3),
                       st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                       st.datetimes(), st.times()), max_size=12),
))
def test_classify_cells_of_text_only_is_the_cell_by_cell_reading(cells):
    import pandas as pd

    from caselog.io._dates import _classify_cells, _classify_each_cell

    raw = pd.Series(cells, dtype=object)
    for a, b in zip(_classify_cells(raw), _classify_each_cell(raw.astype(object)), strict=True):
        pd.testing.assert_series_equal(a, b)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["1", "2", "10", "é"]), st.sampled_from(["B0A", "B0B", "B0C", "b0a", "Z"])),
                max_size=30), st.integers(1, 4), st.booleans())
def test_join_groups_by_codes_is_the_pivot(pairs, limit, as_object):
    import pandas as pd

    from caselog.io._cases import _join_groups, _join_groups_plain

    dtype = object if as_object else "str"
    frame = pd.DataFrame({"case_id": pd.Series([p[0] for p in pairs], dtype=dtype),
                          "asin": pd.Series([p[1] for p in pairs], dtype=dtype)})
    # (the name of the series is not used: the caller puts it in a column)
    pd.testing.assert_series_equal(_join_groups(frame, "case_id", "asin", limit=limit),
                                   _join_groups_plain(frame, "case_id", "asin", limit=limit), check_names=False)


def _normalise_values_plain(raw, field, aliases, overrides):
    """_normalise_values through a Series per step (the reference)."""
    import pandas as pd

    from caselog.io._aliases import normalise_key

    codes, found = pd.factorize(raw, use_na_sentinel=False)
    uniques = pd.Series(found)
    table = aliases.values.get(field, {})
    over = {normalise_key(k): v for k, v in (overrides or {}).items()}
    over_exact = {str(k).strip().lower(): v for k, v in (overrides or {}).items()}
    keys = uniques.map(normalise_key)
    mapped = uniques.str.lower().map(over_exact).astype(object)
    mapped = mapped.fillna(keys.map(over).astype(object)).fillna(keys.map(table).astype(object))
    lookup = dict(zip(uniques, mapped, strict=True))
    per_unique = pd.Series(found, dtype=raw.dtype).map(lookup)
    return pd.Series(per_unique.take(codes).array, index=raw.index)


_VALUE_WORDS = st.sampled_from(["seller", "Amazon", "SELLER ", "Seller Support", "seller-performance", "İstanbul",
                                "Straße", "agent", "", "x#1", "ǅ", "requester", "ﬃ"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_VALUE_WORDS, max_size=12), st.sampled_from(["direction", "team", "channel", "kind"]),
       st.one_of(st.none(), st.dictionaries(_VALUE_WORDS, st.sampled_from(["seller", "amazon", "Payments"]),
                                            max_size=3)),
       st.sampled_from([object, "str"]))
def test_normalise_values_by_distinct_value_is_the_series_steps(values, field, overrides, dtype):
    import pandas as pd

    from caselog.io._aliases import Aliases
    from caselog.io._columns import _normalise_values

    raw = pd.Series(values, dtype=dtype)
    pd.testing.assert_series_equal(_normalise_values(raw, field, Aliases.default(), overrides),
                                   _normalise_values_plain(raw, field, Aliases.default(), overrides))


def test_loaded_text_columns_are_one_chunk():
    """A column of many Arrow chunks comes out in one chunk, same values, dtype, index and name
    (the analyses gather rows from it many times); other columns are left as they are."""
    import pyarrow as pa

    from caselog.io._load import _one_chunk

    t = pa.large_string()
    chunks = pa.chunked_array([pa.array(["a", None], t), pa.array(["b"], t),
                               pa.array(["c", "d"], t)])
    s = pd.Series(pd.arrays.ArrowStringArray(chunks), index=[5, 6, 7, 8, 9], name="body",
                  dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    one = _one_chunk(s)
    assert one.array._pa_array.num_chunks == 1
    pd.testing.assert_series_equal(one, s)
    ints = pd.Series([1, 2, 3], name="attachments")
    assert _one_chunk(ints) is ints
