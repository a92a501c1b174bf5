"""The Excel reader builds its frames from calamine's cells directly; the zip scan takes a fast path.

Both must give what they gave before: the frames of ``pandas.read_excel(engine="calamine",
dtype=object, keep_default_na=False)`` and the same refusals of hostile workbooks.
"""

import datetime as dt
import re
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caselog.errors import FileFormatError
from caselog.io import _excel, _limits
from caselog.io._excel import _frame, _read_sheets
from caselog.io._limits import ReadLimits, check_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import xlsx_limits  # noqa: E402


def _tricky(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Messages"
    ws.append(["a", "a", None, 5, 1.5, dt.datetime(2024, 1, 2, 3, 4), True, " b ", "a.1", None, "Unnamed: 2"])
    ws.append(["NA", "N/A", "", 3.0, 2.5, dt.date(2024, 1, 2), False, "#N/A", dt.time(3, 4, 5), None, 1e20])
    ws.append([None] * 11)
    ws.append(["", " ", "x", 7, -0.0, dt.datetime(2024, 1, 2), dt.timedelta(days=1, hours=2), "1.0", 2.5e-3, "nan", "None"])
    wb.create_sheet("Empty")
    wb.create_sheet("HeaderOnly").append(["h1", None, "h3"])
    offset = wb.create_sheet("Offset")
    offset["C3"], offset["D3"], offset["C4"] = "hdr", "h2", 1
    wb.create_sheet("Bom").append(["\ufeffCase", "x"])
    mixed = wb.create_sheet("MixedHeader")
    mixed.append([1, True, "1", dt.timedelta(hours=5), dt.date(2024, 2, 2)])
    mixed.append(["p", "q", "r", "s", "t"])
    wb.create_chartsheet("Chart")
    wb.save(path)
    return path


def test_sheets_read_as_pandas_read_them(tmp_path):
    p = _tricky(tmp_path / "t.xlsx")
    new = _read_sheets(p)
    old = pd.read_excel(p, sheet_name=None, dtype=object, engine="calamine", keep_default_na=False)
    assert list(new) == list(old) == ["Messages", "Empty", "HeaderOnly", "Offset", "Bom", "MixedHeader"]
    for name in old:
        a, b = old[name], new[name]
        assert a.shape == b.shape and list(a.dtypes) == list(b.dtypes) and a.index.equals(b.index), name
        assert [str(c) for c in a.columns] == [str(c) for c in b.columns], name
        for i in range(a.shape[1]):
            x, y = a.iloc[:, i].tolist(), b.iloc[:, i].tolist()
            assert x == y and [type(v) for v in x] == [type(v) for v in y], (name, i)


def test_sheet_values_by_hand(tmp_path):
    book = _read_sheets(_tricky(tmp_path / "t.xlsx"))
    m = book["Messages"]
    assert [str(c) for c in m.columns] == [
        "a", "a.2", "Unnamed: 2.1", "5", "1.5", "2024-01-02 03:04:00", "True", " b ", "a.1", "Unnamed: 9", "Unnamed: 2",
    ]
    assert m.shape == (3, 11) and all(d == object for d in m.dtypes)  # noqa: E721
    assert m.iloc[0].tolist() == [
        "NA", "N/A", "", 3, 2.5, dt.datetime(2024, 1, 2), False, "", dt.time(3, 4, 5), "", 10**20,
    ]
    assert type(m.iloc[0, 3]) is int and type(m.iloc[0, 5]) is dt.datetime  # whole float, date
    assert m.iloc[1].tolist() == [""] * 11  # the blank row stays a row: row numbers stay right
    assert m.iloc[2].tolist() == [
        "", " ", "x", 7, 0, dt.datetime(2024, 1, 2), dt.timedelta(days=1, hours=2), "1.0", 0.0025, "nan", "None",
    ]
    assert book["Empty"].shape == (0, 0)
    assert list(book["HeaderOnly"].columns) == ["h1", "Unnamed: 1", "h3"] and len(book["HeaderOnly"]) == 0
    off = book["Offset"]
    assert off.shape == (3, 4) and off.iloc[1].tolist() == ["", "", "hdr", "h2"] and off.iloc[2, 2] == 1
    assert list(book["Bom"].columns) == ["Case", "x"]
    assert [str(c) for c in book["MixedHeader"].columns] == ["1", "True.1", "1", "5:00:00", "2024-02-02 00:00:00"]


def _scan(xml: str, tmp_path: Path, limits: ReadLimits | None = None) -> str | None:
    p = xlsx_limits.workbook(tmp_path / "s.xlsx", xml)
    try:
        check_workbook(p, limits or ReadLimits())
    except FileFormatError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_scan_refuses_the_same_with_or_without_a_namespace_prefix(tmp_path, prefix):
    def rows(body: str) -> str:
        body = body.replace("<row", f"<{prefix}row").replace("</row", f"</{prefix}row")
        return body.replace("<c ", f"<{prefix}c ").replace("</c>", f"</{prefix}c>")

    far = rows(xlsx_limits._HEAD + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    assert "has cells as far as row 1,048,576, column 16,384" in _scan(xlsx_limits.sheet(far), tmp_path)
    low = rows(xlsx_limits._HEAD + '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    assert "holds 7 cells spread over 1,048,576 rows x 3 columns" in _scan(xlsx_limits.sheet(low), tmp_path)
    # rows out of order, and a cell's reference after other attributes: still the largest counts
    late = rows('<row r="900000" spans="1:2"><c s="1" r="B900000"/></row>' + xlsx_limits._HEAD)
    assert "holds 7 cells spread over 900,000 rows x 3 columns" in _scan(xlsx_limits.sheet(late), tmp_path)
    ok = rows(xlsx_limits._HEAD)
    assert _scan(xlsx_limits.sheet(ok), tmp_path) is None
    assert "over the limit of 5 cells" in _scan(xlsx_limits.sheet(ok), tmp_path, ReadLimits(max_cells=5))


_CELLS = st.one_of(
    st.sampled_from(["", " ", "NA", "a", "1", "x\x00y"]), st.text(max_size=6),
    st.floats(allow_nan=False, width=32), st.integers(-3, 3).map(float), st.integers(-3, 3), st.booleans(),
    st.dates(), st.datetimes(), st.times(), st.timedeltas(max_value=dt.timedelta(days=9)),
)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 4).flatmap(
    lambda w: st.lists(st.lists(_CELLS, min_size=w, max_size=w), min_size=1, max_size=6)
))
def test_frame_from_one_array_is_the_frame_cell_by_cell(rows):
    # the array path (every row as wide as the header) against the zip-of-rows path it replaces
    fast = _frame(rows)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_excel, "_grid", lambda body, width: None)
        plain = _frame(rows)
    pd.testing.assert_frame_equal(fast, plain)
    for i in range(plain.shape[1]):
        x, y = fast.iloc[:, i].tolist(), plain.iloc[:, i].tolist()
        assert x == y and [type(v) for v in x] == [type(v) for v in y]


def _extent_by_slicing(data: bytes) -> tuple[int, int, int]:
    # the scan as it was: the old patterns on a copy of the part read so far
    prefixed = re.search(rb"<\w+:", data)
    row = rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,9})"' if prefixed else rb'<row\b[^>]*?\br="(\d{1,9})"'
    col = rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,4})\d' if prefixed else rb'<c\b[^>]*?\br="([A-Z]{1,4})\d'
    cell = rb"<(?:\w+:)?c[\s/>]" if prefixed else rb"<c[\s/>]"
    rows = re.findall(row, data)
    cols = set(re.findall(col, data))
    return (
        max(map(int, rows)) if rows else 0,
        max(_limits._col_number(c) for c in cols) if cols else 0,
        len(re.findall(cell, data)),
    )


_XML = st.lists(st.sampled_from([
    '<row r="', '<row ', "<x:row ", '<c r="', "<c ", "<c>", "<c/>", "<c\t", "<x:c ", "<cols>", "<col ", "<c-x ",
    "<row:c ", 'r="', ' s="1" ', '"', "=", ">", "<", "/", ":", " ", "\n", "A", "B", "Z", "XFD", "AAAAA", "1", "9",
    "1048576", "0", "x", "<v>3</v>", "</c>", "</row>", "<is><t>A1</t></is>",
    '<row r="12">', '<c r="AB3"/>', '<c s="2" r="C9">', '<x:row r="99">', '<x:c r="Q4"/>',
    "<x:y>", "<x:col ", "<x:cols>", "<x:c/>", "<x:c>", ":c ", "c", "row", "<x:", "<x1:row r=", "<_:c ",
]), max_size=30).map(lambda parts: "".join(parts).encode())


@settings(max_examples=500, deadline=None)
@given(_XML, _XML, st.sampled_from([0, 1, 2, 17, 26, 27, 28, 52, 702, 703, 16384, 18278, 475253, 475254]))
def test_scan_without_copies_counts_as_the_scan_of_a_copy(head, tail, above):
    # the scan stops at the end it is given (the last ">" of a chunk), whatever follows; past the
    # widest column found so far (``above``) the column is exact, up to it no larger than it
    rows, col, cells = _limits._extent(head + tail, len(head), above)
    want_rows, want_col, want_cells = _extent_by_slicing(head)
    assert (rows, cells) == (want_rows, want_cells)
    assert col == want_col if want_col > above else col <= above


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 475254), st.text("ABCDXYZ", min_size=1, max_size=5), st.sampled_from(["1", "x", ""]))
def test_past_column_finds_exactly_the_references_past_a_column(col, letters, after):
    past = _limits._past_column(col)
    ref = f'<c r="{letters}{after}"/>'.encode()
    readable = len(letters) <= 4 and after == "1"
    want = readable and _limits._col_number(letters.encode()) > col
    assert (past is not None and past.search(ref) is not None) == want
    assert _limits._col_number(_limits._col_letters(col)) == col
