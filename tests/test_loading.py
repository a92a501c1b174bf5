"""caselog.load: column and value aliases, sheets, row accounting and every error path."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import caselog
from caselog import (
    CaselogError,
    EmptyFileError,
    EncodingError,
    FileFormatError,
    MappingError,
    SchemaError,
    SourceNotFoundError,
)
from caselog.schema import CASE_COLUMNS, MESSAGE_COLUMNS, REJECT_COLUMNS

HEADER = "Case ID,Seller Account,Sent,From,Team,Channel,Subject,Message,Attachments,Type\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def accounted(log) -> bool:
    return log.input_rows == len(log.messages) + len(log.rejects) + log.duplicates


def test_canonical_columns_and_dtypes(tmp_path):
    p = write(tmp_path, "a.csv", HEADER + "111,Acme,2026-03-14 14:05,Seller,SS,Case,Hi,Hello,1,appeal\n")
    log = caselog.load(p)
    assert list(log.messages.columns) == list(MESSAGE_COLUMNS)
    assert {c: str(t) for c, t in log.messages.dtypes.items()} == MESSAGE_COLUMNS
    assert list(log.cases.columns) == list(CASE_COLUMNS)
    assert {c: str(t) for c, t in log.cases.dtypes.items()} == CASE_COLUMNS
    assert list(log.rejects.columns) == list(REJECT_COLUMNS)
    row = log.messages.iloc[0]
    assert (row.case_id, row.account, row.direction, row.team, row.channel, row.attachments, row.kind) == (
        "111", "Acme", "seller", "Seller Support", "case", 1, "appeal"
    )
    assert row.source == "a.csv row 2"


@pytest.mark.parametrize(
    "header",
    [
        "Case ID,Date,From,Message",
        "case #,timestamp,author,text",
        "CASE_NUMBER,Created At,Sender,Body",
        "Ticket No.,sent-on,Sent By,content",
        "issue id,when,who,notes",
    ],
)
def test_column_aliases_are_case_space_and_punctuation_insensitive(tmp_path, header):
    p = write(tmp_path, "a.csv", header + "\n42,2026-01-02 03:04,Seller,hello\n")
    log = caselog.load(p)
    m = log.messages.iloc[0]
    assert (m.case_id, m.sent_at, m.direction, m.body) == ("42", pd.Timestamp("2026-01-02 03:04", tz="UTC"), "seller", "hello")
    assert m.account == "default"


@pytest.mark.parametrize(
    "raw, direction, team",
    [
        ("You", "seller", "Unknown"),
        ("Seller", "seller", "Unknown"),
        ("Me", "seller", "Unknown"),
        ("Amazon", "amazon", "Unknown"),
        ("Seller Support", "amazon", "Seller Support"),
        ("SP", "amazon", "Seller Performance"),
        ("AHS", "amazon", "Account Health Services"),
        ("Account Health", "amazon", "Account Health Services"),
        ("ESR", "amazon", "Executive Seller Relations"),
        ("captive", "amazon", "Captive Team"),
    ],
)
def test_sender_values_give_direction_and_team(tmp_path, raw, direction, team):
    p = write(tmp_path, "a.csv", f"Case ID,Date,From\n1,2026-01-02,{raw}\n")
    m = caselog.load(p).messages.iloc[0]
    assert (m.direction, m.team) == (direction, team)


def test_team_and_channel_values(tmp_path):
    text = (
        "Case,Date,From,Department,Via\n"
        "1,2026-01-02 10:00,Amazon,AHS,Call\n"
        "1,2026-01-02 11:00,Amazon,seller-performance,E-mail\n"
        "1,2026-01-02 12:00,Amazon,Logistics,Fax\n"
        "1,2026-01-02 13:00,Amazon,,@AmazonHelp\n"
    )
    log = caselog.load(write(tmp_path, "a.csv", text))
    assert log.messages["team"].tolist() == ["Account Health Services", "Seller Performance", "Other", "Unknown"]
    assert log.messages["channel"].tolist() == ["phone", "email", "other", "social"]
    assert any("Logistics" in d for d in log.decisions)


def test_seller_messages_take_the_team_of_the_thread(tmp_path):
    text = (
        "Case,Date,From,Team\n"
        "1,2026-01-02 10:00,Seller,\n"
        "1,2026-01-02 11:00,Amazon,SP\n"
        "1,2026-01-03 11:00,Seller,\n"
    )
    log = caselog.load(write(tmp_path, "a.csv", text))
    assert log.messages["team"].tolist() == ["Seller Performance"] * 3


def test_mapping_and_values_override_the_alias_tables(tmp_path):
    text = "issueid,created,role,summary\nX-1,2026-05-01 08:00,reporter,help\nX-1,2026-05-02 08:00,assignee,no\n"
    log = caselog.load(
        write(tmp_path, "jira.csv", text),
        mapping={"case_id": "issueid", "sent_at": "created", "direction": "role"},
        values={"direction": {"reporter": "seller", "assignee": "amazon"}},
    )
    assert log.messages["direction"].tolist() == ["seller", "amazon"]
    assert log.messages["case_id"].tolist() == ["X-1", "X-1"]


def test_mapping_errors_name_the_field_or_column(tmp_path):
    p = write(tmp_path, "a.csv", "Case,Date,From\n1,2026-01-02,Seller\n")
    with pytest.raises(MappingError, match="'colour' is not a caselog field"):
        caselog.load(p, mapping={"colour": "Case"})
    with pytest.raises(MappingError, match="nosuch"):
        caselog.load(p, mapping={"case_id": "nosuch"})
    with pytest.raises(MappingError, match="use one of"):
        caselog.load(p, values={"direction": {"seller": "buyer"}})


def test_long_csv_and_row_accounting(tmp_path):
    text = HEADER + (
        "111,Acme,03/14/2026 2:05 PM,Seller,Seller Performance,Case,Appeal,Please reinstate B012345678,2,appeal\n"
        "111,Acme,03/16/2026 09:00 AM,Amazon,SP,Case,Re,We are unable to accept your appeal,,\n"
        "111,Acme,03/16/2026 09:00 AM,Amazon,SP,Case,Re,We are unable to accept your appeal,,\n"
        ",Acme,03/17/2026 09:00 AM,Seller,,Case,x,y,,\n"
        "222,Beta,not a date,You,,Email,s,b,,\n"
        "222,Beta,04/01/2026 10:00,Martian,,Email,s,b,,\n"
        ",,,,,,,,,\n"
        "222,Beta,04/01/2026 11:00,You,,,s,b,,\n"
    )
    log = caselog.load(write(tmp_path, "a.csv", text))
    assert (log.input_rows, len(log.messages), len(log.rejects), log.duplicates) == (7, 3, 3, 1)
    assert accounted(log)
    assert log.rejects["row"].tolist() == [5, 6, 7]
    reasons = log.rejects["reason"].tolist()
    assert reasons[0] == "case ID (Case ID) is empty"
    assert reasons[1] == "date 'not a date' (Sent) is not a readable date"
    assert reasons[2].startswith("sender 'Martian' (From) is neither the seller nor an Amazon team")
    assert "Case ID=222" in log.rejects["raw"].iloc[1]
    assert log.messages["sent_at"].tolist() == [
        pd.Timestamp("2026-03-14 14:05", tz="UTC"),
        pd.Timestamp("2026-03-16 09:00", tz="UTC"),
        pd.Timestamp("2026-04-01 11:00", tz="UTC"),
    ]
    assert any("month-first" in d for d in log.decisions)
    assert any("blank rows" in d for d in log.decisions)


def test_cases_are_derived_from_a_long_export(tmp_path):
    text = (
        "Case ID,Category,Case Status,Sent,From,Message\n"
        "1,Suspension,Open,2026-01-02 10:00,Seller,Please reinstate B0AAAAAAAA\n"
        "1,Suspension,Resolved,2026-01-05 10:00,Amazon,Your account has been reinstated\n"
        "2,,,2026-01-03 10:00,Seller,Where is my payment?\n"
    )
    log = caselog.load(write(tmp_path, "a.csv", text))
    c = log.cases.set_index("case_id")
    assert c.loc["1", "category"] == "Account suspension"
    assert c.loc["1", "status"] == "closed"
    assert c.loc["1", "closed_at"] == pd.Timestamp("2026-01-05 10:00", tz="UTC")
    assert c.loc["1", "asins"] == "B0AAAAAAAA"
    assert c.loc["2", "status"] == "open" and pd.isna(c.loc["2", "closed_at"])
    assert c.loc["1", "opened_at"] == pd.Timestamp("2026-01-02 10:00", tz="UTC")


def test_category_inferred_from_words_when_no_column(tmp_path):
    text = "Case,Date,From,Subject,Message\n1,2026-01-02,Seller,Account suspended,Please review our plan of action\n2,2026-01-02,Seller,Funds,My disbursement is late\n"
    log = caselog.load(write(tmp_path, "a.csv", text))
    assert log.cases["category"].tolist() == ["Account suspension", "Delayed payment"]
    assert any("inferred" in d for d in log.decisions)


def make_workbook(path: Path, *, cases: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Messages"
    ws.append(["Ticket #", "Client", "Timestamp", "Author", "Department", "Via", "Title", "Text", "Files", "Label"])
    ws.append([7, "Acme", pd.Timestamp("2026-02-01 10:00").to_pydatetime(), "Me", "SS", "Seller Central", "Help", "Listing down", 0, None])
    ws.append([7, "Acme", pd.Timestamp("2026-02-02 09:30").to_pydatetime(), "SS", "SS", "Seller Central", "Re", "Fixed now", None, None])
    ws.append([None, "Acme", pd.Timestamp("2026-02-02 09:30").to_pydatetime(), "SS", "SS", "Seller Central", "Re", "orphan", None, None])
    if cases:
        wc = wb.create_sheet("Cases")
        wc.append(["Ticket #", "Client", "Issue Type", "State", "Opened", "Closed", "Result", "ASINs"])
        wc.append([7, "Acme", "Listing suppression", "Closed", "01/02/2026 10:00", "02/02/2026 09:30", "Resolved", "B0CCCCCCCC"])
        wc.append([8, "Acme", "Routine inquiry", "Open", "03/02/2026 10:00", None, None, None])
    wb.save(path)
    return path


def test_workbook_with_messages_and_cases_sheets(tmp_path):
    log = caselog.load(make_workbook(tmp_path / "book.xlsx"))
    assert len(log.messages) == 2 and len(log.rejects) == 1 and accounted(log)
    assert log.rejects["sheet"].iloc[0] == "Messages" and log.rejects["row"].iloc[0] == 4
    m = log.messages
    assert m["case_id"].tolist() == ["7", "7"]
    assert m["direction"].tolist() == ["seller", "amazon"]
    assert m["source"].iloc[0] == "book.xlsx [Messages] row 2"
    c = log.cases.set_index("case_id")
    assert c.loc["7", "category"] == "Listing suppression" and c.loc["7", "status"] == "closed"
    # day-first text on the Cases sheet, decided from "01/02" vs "02/02"? both ambiguous -> "03/02" too;
    # nothing settles it, so month-first is assumed and reported
    assert c.loc["8", "status"] == "open"
    assert "8" in c.index and c.loc["8", "source"].startswith("book.xlsx [Cases]")


def test_workbook_dayfirst_argument_reads_the_cases_sheet(tmp_path):
    log = caselog.load(make_workbook(tmp_path / "book.xlsx"), dayfirst=True)
    c = log.cases.set_index("case_id")
    assert c.loc["7", "opened_at"] == pd.Timestamp("2026-02-01 10:00", tz="UTC")
    assert c.loc["7", "closed_at"] == pd.Timestamp("2026-02-02 09:30", tz="UTC")


def test_workbook_single_sheet_derives_cases(tmp_path):
    log = caselog.load(make_workbook(tmp_path / "one.xlsx", cases=False))
    assert log.cases["case_id"].tolist() == ["7"]
    assert log.cases["source"].iloc[0].startswith("derived from messages")


def test_sheet_selection_and_missing_sheet(tmp_path):
    p = make_workbook(tmp_path / "book.xlsx")
    log = caselog.load(p, sheets={"messages": "Messages", "cases": "Cases"})
    assert len(log.messages) == 2
    with pytest.raises(SchemaError, match=r"no sheet 'Thread'.*\['Messages', 'Cases'\]"):
        caselog.load(p, sheets="Thread")


def test_folder_list_and_tsv(tmp_path):
    write(tmp_path, "a.csv", "Case,Date,From\n1,2026-01-02,Seller\n")
    write(tmp_path, "b.tsv", "Case\tDate\tFrom\n2\t2026-01-03\tAmazon\n")
    write(tmp_path, "notes.txt", "just,some,notes\nnothing,here,really\n")
    log = caselog.load(tmp_path)
    assert sorted(log.messages["case_id"]) == ["1", "2"]
    assert any("notes.txt" in d and "skipped" in d for d in log.decisions)
    log2 = caselog.load([tmp_path / "a.csv", tmp_path / "b.tsv"])
    assert len(log2.messages) == 2


def test_semicolon_delimiter_and_cp1252(tmp_path):
    text = "Case;Date;From;Message\n1;14.03.2026 10:00;Seller;Grüße – café\n"
    log = caselog.load(write(tmp_path, "eu.csv", text, encoding="cp1252"))
    m = log.messages.iloc[0]
    assert m.body == "Grüße – café"
    assert m.sent_at == pd.Timestamp("2026-03-14 10:00", tz="UTC")
    assert any("Windows-1252" in d for d in log.decisions)


def test_utf8_bom(tmp_path):
    log = caselog.load(write(tmp_path, "bom.csv", "Case,Date,From\n1,2026-01-02,Seller\n", encoding="utf-8-sig"))
    assert log.messages["case_id"].tolist() == ["1"]


def test_ragged_rows_are_rejected_with_their_line(tmp_path):
    text = "Case,Date,From\n1,2026-01-02,Seller\n2,2026-01-02,Seller,extra,fields\n3,2026-01-03,Amazon\n"
    log = caselog.load(write(tmp_path, "r.csv", text))
    assert len(log.messages) == 2 and accounted(log)
    assert log.rejects["row"].tolist() == [3]
    assert "5 fields" in log.rejects["reason"].iloc[0]


# ---------------------------------------------------------------- error paths, one each


def test_missing_required_column_names_it_and_lists_found(tmp_path):
    p = write(tmp_path, "a.csv", "Case,Message\n1,hi\n")
    with pytest.raises(SchemaError) as err:
        caselog.load(p)
    msg = str(err.value)
    assert msg.startswith("a.csv: no column for required field(s) ['sent_at', 'direction']")
    assert "columns found: ['Case', 'Message']" in msg and "mapping=" in msg
    assert "--map sent_at=COLUMN" in msg
    assert err.value.missing == ["sent_at", "direction"]


def test_unreadable_excel(tmp_path):
    p = write(tmp_path, "broken.xlsx", "this is not a workbook")
    with pytest.raises(FileFormatError, match="broken.xlsx: is not a readable Excel workbook"):
        caselog.load(p)


def test_excel_named_as_csv(tmp_path):
    p = make_workbook(tmp_path / "book.xlsx")
    q = tmp_path / "book.csv"
    q.write_bytes(p.read_bytes())
    with pytest.raises(FileFormatError, match="book.csv: looks like an Excel workbook"):
        caselog.load(q)


def test_wrong_encoding(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"Case,Date,From\n1,2026-01-02,Sell\x81er\xff\xfe\n")
    with pytest.raises(EncodingError, match=r"bad.csv: is neither UTF-8 nor Windows-1252 text \(byte 0x81"):
        caselog.load(p)


def test_utf16_file(tmp_path):
    # UTF-16 with a byte-order mark (Excel's "Unicode Text") loads; without one it is refused
    p = write(tmp_path, "u16.csv", "Case,Date,From\n1,2026-01-02,Seller\n", encoding="utf-16")
    log = caselog.load(p)
    assert log.messages["direction"].tolist() == ["seller"]
    assert "u16.csv: read as UTF-16 (Unicode Text)" in log.decisions
    q = tmp_path / "u16le.csv"
    q.write_bytes("Case,Date,From\n1,2026-01-02,Seller\n".encode("utf-16-le"))
    with pytest.raises(EncodingError, match="u16le.csv: holds NUL bytes"):
        caselog.load(q)


def test_empty_file(tmp_path):
    with pytest.raises(EmptyFileError, match="empty.csv: is empty"):
        caselog.load(write(tmp_path, "empty.csv", ""))


def test_header_only_file(tmp_path):
    with pytest.raises(EmptyFileError, match=r"head.csv: has a header but no data rows \(columns: \['Case', 'Date', 'From'\]\)"):
        caselog.load(write(tmp_path, "head.csv", "Case,Date,From\n"))


def test_header_only_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Messages"
    wb.active.append(["Case", "Date", "From"])
    wb.save(tmp_path / "h.xlsx")
    with pytest.raises(EmptyFileError, match="h.xlsx, sheet 'Messages': has a header but no data rows"):
        caselog.load(tmp_path / "h.xlsx")


def test_missing_file_and_old_xls(tmp_path):
    with pytest.raises(SourceNotFoundError, match="nope.csv: does not exist"):
        caselog.load(tmp_path / "nope.csv")
    with pytest.raises(FileFormatError, match="old.xls: is an old binary .xls workbook"):
        caselog.load(write(tmp_path, "old.xls", "x"))


def test_date_column_with_no_dates(tmp_path):
    with pytest.raises(CaselogError, match="'Date' holds no readable dates"):
        caselog.load(write(tmp_path, "a.csv", "Case,Date,From\n1,soon,Seller\n"))


def test_unknown_time_zone_is_a_caselog_error(tmp_path):
    p = write(tmp_path, "a.csv", "Case,Date,From\n1,2026-01-02,Seller\n")
    with pytest.raises(CaselogError, match="time zone 'Nowhere/City'"):
        caselog.load(p, tz="Nowhere/City")


def test_tz_applies_to_naive_times_only(tmp_path):
    text = "Case,Date,From\n1,2026-01-02 09:00,Seller\n1,2026-01-02T09:00:00+00:00,Amazon\n"
    log = caselog.load(write(tmp_path, "a.csv", text), tz="Europe/Berlin")
    assert log.messages["sent_at"].tolist() == [
        pd.Timestamp("2026-01-02 08:00", tz="UTC"),
        pd.Timestamp("2026-01-02 09:00", tz="UTC"),
    ]


# ---------------------------------------------------------------- property test

cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(["Case", "Date", "From", "Body", "Team", "x", ""]), min_size=1, max_size=5),
    rows=st.lists(st.lists(cell, min_size=0, max_size=6), max_size=6),
)
def test_arbitrary_csv_loads_with_counts_adding_up_or_raises_caselog_error(tmp_path, header, rows):
    text = ",".join(header) + "\n" + "\n".join(",".join(r) for r in rows)
    p = tmp_path / "prop.csv"
    p.write_text(text, encoding="utf-8")
    try:
        log = caselog.load(p)
    except CaselogError:
        return
    assert accounted(log)
    assert log.messages["sent_at"].notna().all()
    assert log.messages["case_id"].ne("").all()
    assert set(log.messages["direction"]) <= {"seller", "amazon"}


def test_bracketed_header_suffix_and_its_time_zone(tmp_path):
    text = "Case ID,Sent (Europe/Berlin),From,Files [count]\n1,2026-01-02 10:00,Seller,2\n"
    log = caselog.load(write(tmp_path, "a.csv", text))
    m = log.messages.iloc[0]
    assert m.sent_at == pd.Timestamp("2026-01-02 09:00", tz="UTC")  # Berlin is UTC+1 in January
    assert m.attachments == 2
    assert any("read in Europe/Berlin" in d for d in log.decisions)


def test_every_row_one_field_too_many_is_rejected_not_reindexed(tmp_path):
    text = "Case,Date,From\n1,2026-01-02,Seller,x\n2,2026-01-03,Amazon,y\n3,2026-01-03,Amazon\n"
    log = caselog.load(write(tmp_path, "r.csv", text))
    assert log.messages["case_id"].tolist() == ["3"]
    assert log.rejects["row"].tolist() == [2, 3] and accounted(log)


def test_a_list_of_one_file_gets_the_detailed_missing_column_error(tmp_path):
    # a one-file list is not a folder: the error names the missing fields and the columns found
    p = write(tmp_path, "a.csv", "Case,Message\n1,hi\n")
    with pytest.raises(SchemaError, match=r"a.csv: no column for required field\(s\) \['sent_at', 'direction'\]"):
        caselog.load([p])


def test_workbook_sheets_that_hold_no_case_history_are_skipped(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Case", "Date", "From"])
    ws.append([1, "2026-01-02 10:00", "Seller"])
    wb.create_sheet("Sheet2")  # Excel's empty default sheet
    wb.create_sheet("Notes").append(["note"])
    wb["Notes"].append(["call back on Monday"])
    wb.save(tmp_path / "b.xlsx")
    log = caselog.load(tmp_path / "b.xlsx")
    assert log.messages["case_id"].tolist() == ["1"] and accounted(log)
    assert any("empty sheet(s) ['Sheet2'] skipped" in d for d in log.decisions)
    assert any("b.xlsx [Notes]: skipped, not a case history" in d for d in log.decisions)


def test_mapping_and_values_of_the_wrong_shape_are_mapping_errors(tmp_path):
    p = write(tmp_path, "a.csv", "Case,Date,From\n1,2026-01-02,Seller\n")
    with pytest.raises(MappingError, match="values= takes"):
        caselog.load(p, values={"direction": "seller"})
    with pytest.raises(MappingError, match="mapping= takes"):
        caselog.load(p, mapping=[("case_id", "Case")])


def test_attachment_counts_that_are_not_finite_numbers_do_not_overflow(tmp_path):
    text = "Case,Date,From,Attachments\n1,2026-01-02,Seller,inf\n1,2026-01-03,Seller,1e30\n1,2026-01-04,Seller,3\n"
    log = caselog.load(write(tmp_path, "a.csv", text))
    # "inf" and "1e30" are not counts: read as one named file each, like "invoice.pdf"
    assert log.messages["attachments"].tolist() == [1, 1, 3]


@pytest.mark.parametrize("header", ["Number of attachments", "# attachments", "Attachment count"])
def test_attachment_count_headers(tmp_path, header):
    log = caselog.load(write(tmp_path, "a.csv", f"Case,Date,From,{header}\n1,2026-01-02,Seller,3\n"))
    assert log.messages["attachments"].tolist() == [3]


def test_a_cases_sheet_row_without_case_id_is_a_reject_and_an_input_row(tmp_path):
    p = make_workbook(tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(p)
    wb["Cases"].append([None, "Acme", "Routine inquiry", "Open", "04/02/2026 10:00", None, None, None])
    wb.save(p)
    log = caselog.load(p)
    # 3 message rows (2 kept, 1 without case ID) + 1 cases-sheet row without case ID
    assert (log.input_rows, len(log.messages), len(log.rejects)) == (4, 2, 2) and accounted(log)
    assert log.rejects["reason"].iloc[1] == "cases sheet: case ID (Ticket #) is empty"


def test_subset_takes_one_case_id_or_several(tmp_path):
    log = caselog.load(write(tmp_path, "a.csv", "Case,Date,From\n10,2026-01-02,Seller\n2,2026-01-03,Seller\n"))
    assert log.subset("10").messages["case_id"].tolist() == ["10"]
    assert log.subset(["2", "10"]).cases["case_id"].tolist() == ["10", "2"]
