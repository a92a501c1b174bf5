"""Hostile input on the read path: argument checks, workbook limits, text encodings, senders."""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import openpyxl
import pytest

import caselog
from caselog.errors import CaselogError, ConfigError, EncodingError, FileFormatError, MappingError
from caselog.io import ReadLimits

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "caselog_sample.csv"
sys.path.insert(0, str(ROOT / "benchmarks"))
import xlsx_limits  # noqa: E402

CSV = "Case ID,Date,From,Body\n1,2026-03-14 14:05,Amazon,Your listing\n1,2026-03-15 09:00,seller,Fixed\n"


def _csv(tmp_path, text=CSV, name="a.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- load() arguments

@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"aliases": 5}, ConfigError, "aliases: expected a caselog.Aliases (Aliases.default()...), found 5"),
        ({"limits": "big"}, ConfigError, "limits: expected a caselog.ReadLimits, found 'big'"),
        ({"dayfirst": "yes"}, ConfigError, "dayfirst: expected True, False or None, found 'yes'"),
        ({"mapping": 5}, MappingError, "mapping= takes {field: column name}, found 5"),
        ({"mapping": {"case_id": 5}}, MappingError, "mapping= takes {field: column name} as text, found ('case_id', 5)"),
        ({"values": {"direction": 5}}, MappingError, "values= takes {field: {raw value: canonical value}}, found {'direction': 5}"),
        ({"values": {"direction": {"boss": 1}}}, MappingError,
         "values= takes text {field: {raw value: canonical value}}; 'direction' has ('boss', 1)"),
        ({"sheets": 5}, ConfigError,
         "sheets: expected a sheet name, a list of names, or {'messages': ..., 'cases': ...}, found 5"),
        ({"sheets": {"msgs": "A"}}, ConfigError, "sheets: keys are 'messages' and 'cases', found ['msgs']"),
        ({"tz": 5}, ConfigError, "time zone 5 is not known"),
    ],
)
def test_load_argument_of_the_wrong_kind(tmp_path, kwargs, error, message):
    with pytest.raises(error) as exc:
        caselog.load(_csv(tmp_path), **kwargs)
    assert message in str(exc.value)


def test_read_limits_checked():
    with pytest.raises(ConfigError, match=r"ReadLimits.max_ratio: expected a positive number, found 'x'"):
        ReadLimits(max_ratio="x")
    with pytest.raises(ConfigError, match=r"ReadLimits.max_cells: expected a positive whole number, found 1.5"):
        ReadLimits(max_cells=1.5)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda log, d: caselog.analyse(log, as_of="garbage"), "as_of: expected a timestamp, found 'garbage'"),
        (lambda log, d: caselog.analyse(log, sla_hours="x"), "sla_hours: expected a non-negative number, found 'x'"),
        (lambda log, d: caselog.write_workbook(log, d / "w.xlsx", max_briefs="x"),
         "max_briefs: expected a non-negative whole number, found 'x'"),
    ],
)
def test_analysis_entry_points_refuse_hostile_arguments(tmp_path, call, message):
    log = caselog.load(_csv(tmp_path))
    with pytest.raises(ConfigError) as exc:
        call(log, tmp_path)
    assert message in str(exc.value)


# --------------------------------------------------------------------------- text files

def test_long_field_with_a_ragged_row(tmp_path):
    # one field over csv's 131,072-character limit, and one row with too many fields
    body = "x" * 200_000
    p = _csv(tmp_path, f"Case ID,Date,From,Body\n1,2026-03-14 14:05,Amazon,{body}\n2,2026-03-14 14:05,Amazon,a,b,c\n")
    log = caselog.load(p)
    assert len(log.messages) == 1 and len(log.messages["body"][0]) == 200_000
    assert log.rejects["reason"].tolist() == ["row has 6 fields, more than the header's columns"]
    assert log.input_rows == 2
    import csv

    assert csv.field_size_limit() == 131072  # restored


def test_unicode_text_utf16_tab_separated(tmp_path):
    p = tmp_path / "export.txt"
    p.write_bytes("Case ID\tDate\tFrom\tBody\n7\t2026-03-14 14:05\tAmazon\tGrüße\n".encode("utf-16"))
    log = caselog.load(p)
    assert log.messages[["case_id", "direction", "body"]].values.tolist() == [["7", "amazon", "Grüße"]]
    assert "export.txt: read as UTF-16 (Unicode Text)" in log.decisions


def test_utf16_that_does_not_decode(tmp_path):
    p = tmp_path / "bad16.txt"
    p.write_bytes(b"\xff\xfeC\x00a\x00\x00\xd8")  # a lone high surrogate at the end
    with pytest.raises(EncodingError, match=r"bad16.txt: starts as UTF-16 text but is not valid UTF-16"):
        caselog.load(p)


def test_old_xls_under_new_names(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    (tmp_path / "old.xlsx").write_bytes(ole)
    (tmp_path / "old.csv").write_bytes(ole)
    with pytest.raises(FileFormatError, match=r"old.xlsx: is an old binary .xls workbook \(OLE2 file\) with an .xlsx name"):
        caselog.load(tmp_path / "old.xlsx")
    with pytest.raises(FileFormatError, match=r"old.csv: is an old binary .xls workbook \(OLE2 file\), not text"):
        caselog.load(tmp_path / "old.csv")


# --------------------------------------------------------------------------- workbooks

def _book(path, rows, cases=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Messages"
    for r in rows:
        ws.append(r)
    if cases:
        cs = wb.create_sheet("Cases")
        for r in cases:
            cs.append(r)
    wb.save(path)
    return path


def test_na_like_cells_stay_text(tmp_path):
    p = _book(tmp_path / "na.xlsx", [
        ["Case ID", "Date", "From", "Body"],
        ["NA", "2026-03-14 14:05", "Amazon", "N/A"],
        ["NULL", "2026-03-14 15:00", "seller", "None"],
    ])
    log = caselog.load(p)
    assert log.messages[["case_id", "body"]].values.tolist() == [["NA", "N/A"], ["NULL", "None"]]
    assert len(log.rejects) == 0


def test_all_empty_date_column_gives_no_warning(tmp_path):
    p = _book(tmp_path / "e.xlsx", [["Case ID", "Date", "From"], ["1", None, "Amazon"], ["2", None, "seller"]],
              cases=[["Case ID", "Opened", "Closed"], ["1", None, None]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log = caselog.load(p)
    assert log.rejects["reason"].tolist() == ["date (Date) is empty", "date (Date) is empty"]


def test_library_warnings_become_decisions(tmp_path, monkeypatch):
    from caselog.io import _load

    real = _load._read_text

    def noisy(path):
        warnings.warn("a library spoke", UserWarning, stacklevel=1)
        return real(path)

    monkeypatch.setattr(_load, "_read_text", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log = caselog.load(_csv(tmp_path))
    assert "a library warned while reading (UserWarning): a library spoke" in log.decisions


@pytest.mark.parametrize(
    "name, message",
    [
        ("far_corner.xlsx", "has cells as far as row 1,048,576, column 16,384: a used area over the limit of "
                            "10,000,000 cells (ReadLimits.max_cells)"),
        ("far_corner_declared.xlsx", "declares a used area of 1,048,576 rows x 16,384 columns"),
        ("last_row.xlsx", "holds 7 cells spread over 1,048,576 rows x 3 columns"),
        ("bomb.xlsx", "unpacks to 1,048,577,851 bytes, more than the limit of 1,000,000,000"),
    ],
)
def test_hostile_workbooks_refused_quickly(tmp_path, name, message):
    path = xlsx_limits.make_all(tmp_path)[name]
    t0 = time.perf_counter()
    with pytest.raises(FileFormatError) as exc:
        caselog.load(path)
    assert time.perf_counter() - t0 < 2.0
    assert f"{name}: " in str(exc.value) and message in str(exc.value)


def test_ratio_bomb_and_user_limits(tmp_path):
    body = xlsx_limits.sheet(xlsx_limits._HEAD)
    split = body.index("</sheetData>")
    bomb = xlsx_limits.workbook(tmp_path / "r.xlsx", body[:split] + " " * (30 << 20) + body[split:])
    with pytest.raises(FileFormatError, match=r"r.xlsx: part 'xl/worksheets/sheet1.xml' unpacks more than 200 times"):
        caselog.load(bomb)
    ok = xlsx_limits.workbook(tmp_path / "ok.xlsx", xlsx_limits.sheet(xlsx_limits._HEAD))
    assert len(caselog.load(ok).messages) == 1
    with pytest.raises(FileFormatError, match=r"ok.xlsx: .*over the limit of 4 cells \(ReadLimits.max_cells\)"):
        caselog.load(ok, limits=ReadLimits(max_cells=4))
    with pytest.raises(FileFormatError, match=r"ok.xlsx: unpacks to 1,851 bytes, more than the limit of 100 \(ReadLimits.max_unpacked_bytes\)"):
        caselog.load(ok, limits=ReadLimits(max_unpacked_bytes=100))


def test_not_a_zip(tmp_path):
    p = tmp_path / "t.xlsx"
    p.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(FileFormatError, match=r"t.xlsx: is not a readable Excel workbook"):
        caselog.load(p)


def test_sample_xlsx_loads_to_the_csv_messages():
    a = caselog.load(SAMPLE)
    b = caselog.load(ROOT / "data" / "sample" / "caselog_sample.xlsx")
    cols = ["case_id", "sent_at", "direction", "team", "channel", "subject", "body", "attachments", "kind"]
    assert a.messages[cols].equals(b.messages[cols])


# --------------------------------------------------------------------------- senders, attachments

def test_sender_addresses(tmp_path):
    p = _csv(tmp_path, "Case ID,Date,From,Body\n"
             "1,2026-03-14 14:05,From: seller-performance@amazon.com,Your account\n"
             "1,2026-03-15 14:05,jo@shop.example,Here is my plan\n"
             "1,2026-03-16 14:05,\"Amazon <pq-product-review@amazon.de>\",Noted\n")
    log = caselog.load(p)
    assert log.messages[["direction", "team"]].values.tolist() == [
        ["amazon", "Seller Performance"], ["seller", "Seller Performance"], ["amazon", "Product Quality"]]
    assert any("3 senders in 'From' are e-mail addresses" in d for d in log.decisions)


def test_attachments_not_recorded(tmp_path):
    log = caselog.load(_csv(tmp_path))
    assert log.attachments_recorded is False
    assert any(d.startswith("no attachments column: attachments not recorded") for d in log.decisions)
    assert caselog.load(SAMPLE).attachments_recorded is True
    assert log.subset(["1"]).attachments_recorded is False


def test_readiness_and_brief_when_attachments_not_recorded(tmp_path):
    text = ("Case ID,Date,From,Body,Category\n"
            "5,2026-01-05 10:00,Amazon,Your account is deactivated,Account suspension\n"
            "5,2026-01-06 10:00,seller,Plan of action: we fixed the root cause,Account suspension\n"
            "5,2026-01-07 10:00,Amazon,We could not accept your plan,Account suspension\n")
    a = caselog.analyse(caselog.load(_csv(tmp_path, text)))
    row = a.readiness.iloc[0]
    assert "no documents attached" not in str(row["reasons"])
    brief = a.briefs(["5"])[0] if isinstance(a.briefs(["5"]), list) else next(iter(a.briefs(["5"]).values()))
    assert "Sent so far: none" not in brief
    assert "no documents" not in brief  # a not-ready case gets a note, which claims nothing either
    recorded = caselog.analyse(caselog.load(_csv(tmp_path, text.replace("Category\n", "Category,Attachments\n", 1)
                                                 .replace(",Account suspension\n", ",Account suspension,0\n"), "b.csv")))
    assert "no documents attached to any message" in str(recorded.readiness.iloc[0]["reasons"])


def test_caselog_error_names_the_file_for_a_damaged_zip(tmp_path):
    src = tmp_path / "x.xlsx"
    _book(src, [["Case ID", "Date", "From"], ["1", "2026-03-14", "Amazon"]])
    data = bytearray(src.read_bytes())
    data[len(data) // 2] ^= 0xFF
    src.write_bytes(bytes(data))
    with pytest.raises(CaselogError, match=r"x.xlsx"):
        caselog.load(src)


def test_every_command_says_how_ambiguous_dates_were_read(tmp_path, capsys):
    from caselog.cli import main

    p = _csv(tmp_path, "Case ID,Date,From,Body\n1,14/03/2026 14:05,Amazon,Your listing\n1,15/03/2026 09:00,seller,Fixed\n")
    for command in (["flag"], ["summary"]):
        code = main(command + [str(p)])
        err = capsys.readouterr().err
        assert code == 0
        assert "caselog: a.csv: dates in Date: day-first (DD/MM): 2 dates have a day above 12" in err
