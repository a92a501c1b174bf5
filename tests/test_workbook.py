"""The Excel audit workbook: sheets, tables, formats, highlighting, text safety, round trip."""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import caselog
from caselog.errors import ConfigError
from caselog.model import CaseLog
from caselog.report import (
    EXCEL_MAX_CHARS,
    SHEETS,
    excel_safe,
    excel_sheet_name,
    excel_text,
    write_workbook,
)

HOSTILE_LINK = '=HYPERLINK("http://x","click")'
HOSTILE_AT = "@SUM(A1)"
LONG = "x" * (EXCEL_MAX_CHARS + 500)

# case, sent (UTC), direction, team, channel, subject, body, attachments, kind
ROWS = [
    ("11111111111", "2026-03-01 09:00", "seller", "Seller Performance", "case", "Appeal",
     "Here is our plan of action.\nRegards,\nJane", 2, "poa"),
    ("11111111111", "2026-03-02 10:00", "amazon", "Seller Performance", "case", "Re: Appeal",
     "Dear Seller, we are unable to accept your appeal. Your account remains deactivated.", 0,
     "denial"),
    ("11111111111", "2026-03-03 10:00", "seller", "Seller Performance", "case", "Follow-up",
     "Please review again, the invoices are attached.", 1, "follow-up"),
    ("11111111111", "2026-03-06 10:30", "amazon", "Seller Performance", "case", "Re: Appeal",
     "Dear Seller, we are unable to accept your appeal. Your account remains deactivated.", 0,
     "denial"),
    ("11111111111", "2026-03-07 10:00", "seller", "Seller Performance", "case", "Follow-up",
     "Please review, third time.", 1, "follow-up"),
    ("11111111111", "2026-03-08 10:00", "amazon", "Seller Performance", "case", "Re: Appeal",
     "Dear Seller, we are unable to accept your appeal. Your account remains deactivated.", 0,
     "denial"),
    ("22222222222", "2026-03-01 12:00", "seller", "Seller Support", "case", "-1 star review",
     HOSTILE_LINK, 0, "inquiry"),
    ("22222222222", "2026-03-01 13:30", "amazon", "Seller Support", "case", "+ answer",
     HOSTILE_AT, 0, "other"),
    ("33333333333", "2026-03-02 08:00", "seller", "Payments", "email", "Payment",
     "Where is my disbursement?", 0, "inquiry"),
    ("33333333333", "2026-03-02 20:00", "amazon", "Payments", "email", "Re: Payment",
     LONG, 0, "acceptance"),
]


def make_log(rows=ROWS) -> CaseLog:
    m = pd.DataFrame(
        rows,
        columns=["case_id", "sent_at", "direction", "team", "channel", "subject", "body",
                 "attachments", "kind"],
    )
    m["sent_at"] = pd.to_datetime(m["sent_at"], utc=True).astype("datetime64[ns, UTC]")
    m.insert(0, "message_id", range(len(m)))
    m["message_id"] = m["message_id"].astype("int64")
    m.insert(2, "account", "Acme")
    m["attachments"] = m["attachments"].astype("int64")
    m["source"] = [f"t.csv row {i + 2}" for i in range(len(m))]
    for c in ("case_id", "account", "direction", "team", "channel", "subject", "body", "kind",
              "source"):
        m[c] = m[c].astype("str")
    cases = pd.DataFrame(
        {
            "case_id": ["11111111111", "22222222222", "33333333333"],
            "account": ["Acme"] * 3,
            "category": ["Account suspension", "Routine inquiry", "Delayed payment"],
            "status": ["open", "open", "closed"],
            "opened_at": pd.to_datetime(["2026-03-01 09:00", "2026-03-01 12:00",
                                         "2026-03-02 08:00"], utc=True),
            "closed_at": pd.to_datetime([pd.NaT, pd.NaT, "2026-03-02 21:00"], utc=True),
            "outcome": ["", "", "released"],
            "asins": ["B0ABCDEFGH", "", ""],
            "source": ["t.csv"] * 3,
        }
    )
    for c in ("case_id", "account", "category", "status", "outcome", "asins", "source"):
        cases[c] = cases[c].astype("str")
    rejects = pd.DataFrame(
        {
            "file": ["t.csv"], "sheet": [""], "row": pd.Series([12], dtype="int64"),
            "source": ["t.csv row 12"], "reason": ["no date"],
            "raw": ["Case ID=44; Message==cmd|'/c calc'!A1"],
        }
    ).astype({c: "str" for c in ("file", "sheet", "source", "reason", "raw")})
    return CaseLog(messages=m, cases=cases, rejects=rejects, decisions=("read t.csv",))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> tuple[Path, openpyxl.Workbook]:
    path = tmp_path_factory.mktemp("wb") / "audit.xlsx"
    out = write_workbook(make_log(), path, charts=False)
    assert out == path and path.exists()
    return path, openpyxl.load_workbook(path)


def _table(ws):
    (table,) = ws.tables.values()
    return table


def _headers(ws) -> list[str]:
    return [c.value for c in ws[1]]


def _column(ws, header: str) -> list:
    i = _headers(ws).index(header)
    return [row[i].value for row in ws.iter_rows(min_row=2)]


def _cell(ws, header: str, row: int):
    return ws.cell(row=row, column=_headers(ws).index(header) + 1)


# ------------------------------------------------------------------------------ structure


def test_sheets_in_order(book):
    _, wb = book
    assert wb.sheetnames == list(SHEETS)


def test_every_data_sheet_is_a_table_with_filter_style_and_frozen_header(book):
    _, wb = book
    for name in SHEETS[2:]:  # not Summary, Charts
        ws = wb[name]
        table = _table(ws)
        assert table.ref.startswith("A1:"), name
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref
        assert table.tableStyleInfo.name == "TableStyleMedium2"
        assert [c.name for c in table.tableColumns] == _headers(ws)
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")
        last_row = int("".join(ch for ch in table.ref.split(":")[1] if ch.isdigit()))
        assert last_row == max(ws.max_row, 2)
    assert _table(wb["Messages"]).ref == "A1:P11"  # 10 messages, 16 columns
    assert _table(wb["Rejects"]).ref == "A1:F2"


def test_headers_name_the_time_zone_and_formats(book):
    _, wb = book
    ws = wb["Messages"]
    assert "Sent (UTC)" in _headers(ws)
    sent = _cell(ws, "Sent (UTC)", 2)
    assert sent.is_date and sent.number_format == "yyyy-mm-dd hh:mm"
    assert sent.value == pd.Timestamp("2026-03-01 09:00").to_pydatetime()
    rt = wb["Response times"]
    hours = _column(rt, "Response hours")
    assert hours[:3] == [25.0, 72.5, 24.0]  # case 1: 09:00 -> next day 10:00, ...
    assert _cell(rt, "Response hours", 2).number_format == "0.0"
    assert _cell(rt, "Reply (UTC)", 2).number_format == "yyyy-mm-dd hh:mm"
    widths = [ws.column_dimensions[chr(65 + i)].width for i in range(16)]
    assert all(6 <= w <= 80 for w in widths)
    body = ws.column_dimensions[chr(65 + _headers(ws).index("Body"))].width
    assert body == 70  # a wrapped column: fixed width
    assert _cell(ws, "Body", 2).alignment.wrap_text


def test_other_time_zone(tmp_path):
    path = write_workbook(make_log(), tmp_path / "ny.xlsx", tz="America/New_York", charts=False)
    ws = openpyxl.load_workbook(path)["Messages"]
    assert "Sent (America/New_York)" in _headers(ws)
    # 2026-03-01 09:00 UTC is 04:00 in New York (EST, UTC-5)
    assert _cell(ws, "Sent (America/New_York)", 2).value == pd.Timestamp(
        "2026-03-01 04:00"
    ).to_pydatetime()
    with pytest.raises(ConfigError):
        write_workbook(make_log(), tmp_path / "x.xlsx", tz="Mars/Olympus")


def test_conditional_formatting(book):
    _, wb = book
    rt = wb["Response times"]
    col = chr(65 + _headers(rt).index("Response hours"))
    rules = {str(r.sqref): [x for x in r.rules] for r in rt.conditional_formatting}
    rule = rules[f"{col}2:{col}{rt.max_row}"][0]
    assert rule.type == "cellIs" and rule.operator == "greaterThan" and rule.formula == ["48"]
    cases = wb["Cases"]
    v = chr(65 + _headers(cases).index("Verdict"))
    formulas = [x.formula[0] for r in cases.conditional_formatting for x in r.rules]
    assert f'${v}2="ready"' in formulas
    # the ready case is first and is case 1 (three identical denials)
    assert _column(cases, "Verdict")[0] == "ready"
    assert _column(cases, "Case ID")[0] == "11111111111"
    assert _column(cases, "Case ID") == ["11111111111", "22222222222", "33333333333"]


# ------------------------------------------------------------------------------ text safety


def test_hostile_text_is_stored_as_text_not_formula(book):
    path, wb = book
    ws = wb["Messages"]
    bodies = _column(ws, "Body")
    for text in (HOSTILE_LINK, HOSTILE_AT):
        row = bodies.index(text) + 2
        cell = _cell(ws, "Body", row)
        assert cell.data_type == "s", text
        assert cell.value == text
        assert cell.quotePrefix
    subject = _cell(ws, "Subject", bodies.index(HOSTILE_LINK) + 2)
    assert subject.value == "-1 star review" and subject.data_type == "s"
    raw = _cell(wb["Rejects"], "Raw", 2)
    assert raw.value == "Case ID=44; Message==cmd|'/c calc'!A1" and raw.data_type == "s"
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    # data_only reading gives the same strings (no cached formula results involved)
    ws2 = openpyxl.load_workbook(path, data_only=True)["Messages"]
    assert HOSTILE_LINK in _column(ws2, "Body")


def test_long_text_is_cut_with_a_marker_and_noted(book):
    _, wb = book
    bodies = _column(wb["Messages"], "Body")
    (cut,) = [b for b in bodies if b and b.startswith("xxxx")]
    assert len(cut) <= EXCEL_MAX_CHARS
    assert cut.endswith("characters left out]")
    notes = [c.value for row in wb["Summary"].iter_rows() for c in row if c.value]
    assert any("cells longer than Excel's 32,767 characters were cut" in str(n) for n in notes)


def test_excel_text_helper():
    s = pd.Series(["a\x00b", "x\r\ny\rz", None, "é" * 10, "😀" * 20_000])
    out, cut = excel_text(s)
    assert out.tolist()[:4] == ["a\ufffdb", "x\ny\nz", "", "é" * 10]
    assert cut == 1
    assert len(out.iloc[4].encode("utf-16-le")) // 2 <= EXCEL_MAX_CHARS
    assert excel_sheet_name("Response times / by team: 2026 (all accounts)") == (
        "Response times _ by team_ 2026 "
    )
    assert len(excel_sheet_name("x" * 40)) == 31


def test_excel_safe_prefixes_formula_text_only():
    frame = pd.DataFrame({
        "t": pd.Series(["=1+1", "+49 30", "-x", "@SUM(A1)", "\tx", "ok", "a=b", ""], dtype="str"),
        "n": [-1, 2, 3, 4, 5, 6, 7, 8],
        "f": [-1.5, None, 0, 0, 0, 0, 0, 0],
        "b": [True, False] * 4,
    })
    frame.loc[7, "t"] = pd.NA
    out = excel_safe(frame)
    assert out["t"].tolist()[:7] == ["'=1+1", "'+49 30", "'-x", "'@SUM(A1)", "'\tx", "ok", "a=b"]
    assert pd.isna(out["t"].iloc[7])
    assert out["n"].tolist() == frame["n"].tolist() and out["n"].dtype == frame["n"].dtype
    assert out["f"].iloc[0] == -1.5 and out["b"].dtype == bool
    assert frame["t"].iloc[0] == "=1+1"  # the input is not changed


# ------------------------------------------------------------------------------ content


def test_summary_key_figures(book):
    _, wb = book
    ws = wb["Summary"]
    figures: dict = {}
    for row in ws.iter_rows():
        if len(row) > 1:
            figures.setdefault(row[0].value, row[1].value)
    assert figures["Accounts"] == 1
    assert figures["Cases"] == 3
    assert figures["Messages"] == 10
    assert figures["  from the seller"] == 5
    assert figures["Rejected rows (see Rejects)"] == 1
    assert figures["First message (UTC)"] == pd.Timestamp("2026-03-01 09:00").to_pydatetime()
    assert figures["Last message (UTC)"] == pd.Timestamp("2026-03-08 10:00").to_pydatetime()
    # first responses: 25 h (case 1), 1.5 h (case 2), 12 h (case 3) -> median 12
    assert figures["First response, median"] == pytest.approx(12.0)
    assert figures["ready"] == 1 and figures["closed"] == 1
    assert figures["Repeat canned denials"] == 2


def test_messages_sheet_has_template_and_reply_class(book):
    _, wb = book
    ws = wb["Messages"]
    classes = _column(ws, "Reply class")
    templates = _column(ws, "Template")
    assert classes[1] == "denial" and classes[0] is None  # seller messages have none
    assert templates[1] == templates[3] == templates[5] is not None
    assert _column(ws, "Canned repeat")[:6] == [None, "no", None, "yes", None, "yes"]


def test_briefs_sheet_one_paragraph_a_row(book):
    _, wb = book
    ws = wb["Briefs"]
    assert _headers(ws) == ["Case ID", "Account", "Part", "Text"]
    ids, parts, texts = _column(ws, "Case ID"), _column(ws, "Part"), _column(ws, "Text")
    assert set(ids) == {"11111111111"}
    assert parts[:3] == ["To", "Subject", "Opening"]
    assert texts[1] == "Escalation request: Case 11111111111 – account deactivation"
    assert texts[2] == "Dear Seller Performance manager,"
    assert "Summary" in parts and "What we have done so far" in parts
    assert parts[-1] == "Notes (not to send)"
    assert not any(t.startswith("#") or "**" in t for t in texts)  # no Markdown
    assert _cell(ws, "Text", 2).alignment.wrap_text


def test_print_setup_on_every_sheet(book):
    _, wb = book
    for name in SHEETS:
        ws = wb[name]
        ps = ws.page_setup
        assert ps.fitToWidth == 1 and ps.fitToHeight == 0, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ps.orientation == ("portrait" if name == "Summary" else "landscape"), name
        if name not in ("Summary", "Charts"):
            assert ws.print_title_rows == "$1:$1", name
            assert ws.print_title_cols == "$A:$A", name
    assert wb["Cases"].print_area == "'Cases'!$A$1:$J$4"  # case ID .. target on paper
    cases = wb["Cases"]
    for header in ("Reasons", "Next step"):
        assert _cell(cases, header, 2).alignment.wrap_text, header
    assert _cell(wb["Messages"], "Body", 2).alignment.wrap_text


def test_summary_notes_in_plain_words(tmp_path):
    log = make_log()
    log = CaseLog(messages=log.messages, cases=log.cases, decisions=(
        "t.xlsx [Messages]: case_id <- 'Ticket #', sent_at <- 'Timestamp'",
        "t.xlsx [Cases]: dates in Opened: day-first (DD/MM): 8 dates have a day above 12"))
    wb = openpyxl.load_workbook(write_workbook(log, tmp_path / "n.xlsx", charts=False))
    text = [r[0].value for r in wb["Summary"].iter_rows() if r[0].value]
    assert "t.xlsx [Messages]: columns read: 'Ticket #' as case ID, 'Timestamp' as sent at." in text
    assert ("t.xlsx [Cases]: the dates in column Opened are read day first (DD/MM): 8 of them "
            "have a day above 12.") in text
    assert not any("<-" in t for t in text)


def test_templates_in_original_case_without_client_names(sample_log, tmp_path):
    log = sample_log.subset(sorted(sample_log.cases["case_id"])[:120])
    for redact in (False, True):
        path = write_workbook(log, tmp_path / f"t{redact}.xlsx", charts=False, max_briefs=0,
                              redact=redact)
        texts = _column(openpyxl.load_workbook(path)["Templates"], "Text")
        joined = "\n".join(texts)
        for name in log.account_names:
            assert name.lower() not in joined.lower(), (redact, name)
        assert "<SELLER>" in joined and "<ASIN>" in joined
        assert any(t[:1].isupper() for t in texts)  # original case
        assert "Anna Whitfield" not in joined  # greeting names left out


def test_xml_illegal_characters_load_back(tmp_path):
    log = make_log()
    m = log.messages.copy()
    m.loc[0, "body"] = "bad \ufffe and \uffff and \x01 end"
    m.loc[1, "account"] = "Acme\uffff"
    bad = CaseLog(messages=m, cases=log.cases, decisions=("read \ufffe.csv",))
    path = write_workbook(bad, tmp_path / "x.xlsx", charts=False)
    wb = openpyxl.load_workbook(path)
    assert _column(wb["Messages"], "Body")[0] == "bad \ufffd and \ufffd and \ufffd end"
    back = caselog.load(path, sheets={"messages": "Messages"})
    assert len(back.messages) == len(m)


def test_temporary_file_is_random_and_no_symlink_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for name in (".audit.xlsx.partial", "audit.xlsx.splice"):  # the old predictable names
        (tmp_path / name).symlink_to(victim)
    target = tmp_path / "audit.xlsx"
    target.symlink_to(victim)  # an existing symlink at the target is replaced, not followed
    write_workbook(make_log(), target, charts=False)
    assert victim.read_text() == "keep me"
    assert target.is_file() and not target.is_symlink()
    assert not list(tmp_path.glob(".caselog-*"))
    mode = target.stat().st_mode & 0o777
    assert mode & 0o044  # readable by others as an ordinary file (umask applied)


# ------------------------------------------------------------------------------ round trip


def test_messages_sheet_loads_back(tmp_path):
    log = make_log([r for r in ROWS if r[6] is not LONG])  # no cut text
    path = write_workbook(log, tmp_path / "rt.xlsx", charts=False)
    back = caselog.load(path, sheets={"messages": "Messages"})
    cols = ["case_id", "sent_at", "direction", "team", "channel", "subject", "body",
            "attachments", "kind"]
    got = back.messages[cols].reset_index(drop=True)
    want = log.messages[cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert len(back.rejects) == 0


def test_messages_sheet_loads_back_with_mapping(tmp_path):
    log = make_log([r for r in ROWS if r[6] is not LONG])
    path = write_workbook(log, tmp_path / "rt.xlsx", charts=False)
    back = caselog.load(path, sheets={"messages": "Messages"}, mapping={"sent_at": "Sent (UTC)"})
    cols = ["case_id", "sent_at", "direction", "team", "channel", "subject", "body",
            "attachments", "kind"]
    pd.testing.assert_frame_equal(
        back.messages[cols].reset_index(drop=True),
        log.messages[cols].reset_index(drop=True),
        check_dtype=False,
    )


# ------------------------------------------------------------------------------ options


def test_redact_option(tmp_path):
    rows = [list(r) for r in ROWS[:2]]
    rows[0][6] = "Hello Seller Performance,\ncall 206-266-1000 or jane@acme.com\nRegards,\nJane"
    path = write_workbook(make_log([tuple(r) for r in rows]), tmp_path / "r.xlsx", redact=True,
                          charts=False)
    wb = openpyxl.load_workbook(path)
    body = _column(wb["Messages"], "Body")[0]
    assert body == "Hello Seller Performance,\ncall [phone] or [email]\nRegards,\n[name]"
    notes = [str(c.value) for row in wb["Summary"].iter_rows() for c in row if c.value]
    assert any(n.startswith("redacted: 1 e-mail addresses, 1 phone numbers") for n in notes)


def test_empty_log(tmp_path):
    log = make_log()
    empty = CaseLog(messages=log.messages.iloc[:0], cases=log.cases.iloc[:0])
    path = write_workbook(empty, tmp_path / "e.xlsx", charts=False)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    assert _table(wb["Messages"]).ref == "A1:P2"


def test_sample_workbook_with_charts(sample_log, tmp_path):
    import time

    log = sample_log.subset(sorted(sample_log.cases["case_id"])[:80])  # keep the test quick
    t0 = time.perf_counter()
    path = write_workbook(log, tmp_path / "sample.xlsx", max_briefs=3)
    elapsed = time.perf_counter() - t0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    assert wb["Messages"].max_row == len(log.messages) + 1
    assert wb["Cases"].max_row == len(log.cases) + 1
    assert len(wb["Charts"]._images) >= 4  # the main charts
    assert len(wb["Charts"].row_breaks.brk) == len(wb["Charts"]._images)  # one per page
    assert set(_column(wb["Briefs"], "Case ID")) == set(
        caselog.analyse(log).queue(("ready",))["case_id"].iloc[:3])
    assert elapsed < 30  # ~3-5 s on an idle 2-core machine


def test_rows_written_in_chunks(monkeypatch, tmp_path):
    import caselog.report._xlsx as wbmod

    monkeypatch.setattr(wbmod, "_CHUNK", 3)  # 10 messages -> 4 chunks
    log = make_log()
    path = write_workbook(log, tmp_path / "c.xlsx", charts=False)
    wb = openpyxl.load_workbook(path)
    ws = wb["Messages"]
    assert [r[0].row for r in ws.iter_rows(min_row=2)] == list(range(2, 12))
    assert _column(ws, "Message ID") == list(range(10))
    sent = _column(ws, "Sent (UTC)")
    assert sent == [t.to_pydatetime() for t in log.messages["sent_at"].dt.tz_localize(None)]
    heights = [d.height or 0 for d in wb["Briefs"].row_dimensions.values()]
    assert max(heights) > 15  # a wrapped paragraph: a taller row
    assert not list(tmp_path.glob(".caselog-*")) and not list(tmp_path.glob("*.partial"))


def test_columns_missing_from_the_data_are_empty(tmp_path):
    import caselog.report._xlsx as wbmod

    frame = pd.DataFrame({"case_id": ["1", "2"]})
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.create_sheet("Summary")
    writer = wbmod._SheetWriter(wb, "UTC", wbmod._Notes(), tmp_path)
    try:
        n = writer.write("Cases", frame, importlib.import_module("caselog.report._workbook")._CASE_COLS)
        wb.save(tmp_path / "m.xlsx")
        writer.splice(tmp_path / "m.xlsx")
    finally:
        writer.close()
    assert n == 2
    ws = openpyxl.load_workbook(tmp_path / "m.xlsx")["Cases"]
    assert _column(ws, "Case ID") == ["1", "2"]
    assert _column(ws, "Target level") == [None, None]
    assert _column(ws, "Opened (UTC)") == [None, None]


# ------------------------------------------------------------------------------ matters

MATTER_ROW = ("44444444444", "2026-03-09 10:00", "seller", "Seller Support", "email",
              "Still down", "=1+1 following up on case 11111111111: still deactivated", 0,
              "follow-up")


@pytest.fixture(scope="module")
def matter_book(tmp_path_factory) -> tuple[Path, openpyxl.Workbook]:
    path = tmp_path_factory.mktemp("wb") / "matters.xlsx"
    write_workbook(make_log(ROWS + [MATTER_ROW]), path, charts=False)
    return path, openpyxl.load_workbook(path)


def test_matters_sheet_one_row_per_matter_by_hand(matter_book):
    _, wb = matter_book
    ws = wb["Matters"]
    assert ws.max_row == 2  # one matter of two cases; the two cases alone are not listed
    row = {h: c.value for h, c in zip(_headers(ws), ws[2], strict=True)}
    assert row["Matter"] == "M-1" and row["Accounts"] == "Acme" and row["Cases"] == 2
    assert row["Case IDs"] == "11111111111\n44444444444"
    assert row["Channels"] == "case, email"
    assert row["First message (UTC)"] == pd.Timestamp("2026-03-01 09:00").to_pydatetime()
    assert row["Last message (UTC)"] == pd.Timestamp("2026-03-09 10:00").to_pydatetime()
    # as of the newest message, 2026-03-09 10:00: 8 days and 1 hour after the first one
    assert row["Days since start"] == pytest.approx(8 + 1 / 24)
    # case 1 waited 25 + 72.5 + 24 hours; case 4's message is as old as the analysis
    assert row["Hours unanswered"] == 121.5
    # the same denial three times in case 1: two canned repeats, two repeat denials
    assert (row["Canned repeats"], row["Repeat denials"]) == (2, 2)
    assert row["Highest level"] is None  # no escalation in the matter
    assert row["Matter verdict"] == "ready (case 11111111111)"
    assert row["Verdicts of its cases"] == "11111111111: ready\n44444444444: not yet"
    assert row["Evidence of the links"] == (
        "11111111111 and 44444444444 (a case ID quoted): the seller's email message of "
        "2026-03-09 in case 44444444444 quotes case 11111111111: \"Still down =1+1 following "
        "up on case "
        "11111111111: still deactivated\"")
    assert row["First message text"] == ("case 11111111111, seller case: Here is our plan "
                                         "of action. Regards, Jane")
    assert _cell(ws, "Evidence of the links", 2).alignment.wrap_text
    assert _cell(ws, "Days since start", 2).number_format == "0.0"
    assert ws.freeze_panes == "B2" and ws.print_title_rows == "$1:$1"
    assert ws.print_area == "'Matters'!$A$1:$O$2"  # the first message's words on screen only
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.orientation == "landscape"
    assert wb["Matters"].row_dimensions[1].height == 45  # "First message (UTC)": 3 lines


def test_cases_sheet_keeps_a_matter_together_and_names_it(matter_book):
    _, wb = matter_book
    cases = wb["Cases"]
    assert _headers(cases)[:2] == ["Case ID", "Matter"]
    # case 4 (not yet) follows its matter's ready case 1, ahead of case 2
    assert _column(cases, "Case ID") == ["11111111111", "44444444444", "22222222222",
                                         "33333333333"]
    assert _column(cases, "Matter") == ["M-1", "M-1", None, None]
    assert cases.print_area == "'Cases'!$A$1:$K$5"  # case ID .. target, the matter too


def test_matter_cells_are_text_not_formulas(matter_book):
    path, _ = matter_book
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(z.read(n).decode("utf-8") for n in names)
    assert "<f>" not in xml
    ws = openpyxl.load_workbook(path)["Matters"]
    assert ws["O2"].data_type == "s"


def test_no_matters_no_matter_column(book):
    _, wb = book
    assert "Matter" not in _headers(wb["Cases"])
    assert _table(wb["Matters"]).ref == "A1:P2" and wb["Matters"]["A2"].value is None


def test_cases_sheet_says_when_the_matter_changes_the_verdict(tmp_path):
    s = caselog.sample.generate(n_cases=20, n_matters=2)
    wb = openpyxl.load_workbook(write_workbook(caselog.analyse(s.log), tmp_path / "m.xlsx",
                                               charts=False, max_briefs=0))
    cases = wb["Cases"]
    rows = {r[0]: dict(zip(_headers(cases), r, strict=True))
            for r in cases.iter_rows(min_row=2, values_only=True)}
    row = rows["5122066487"]  # not yet alone; two repeat denials across matter M-20
    assert (row["Matter"], row["Verdict"], row["Verdict with the matter"]) == (
        "M-20", "not yet", "ready")
    assert row["Matter reason"] == "matter M-20: 2 repeat canned denials across its cases"
    assert rows["3624314870"]["Verdict with the matter"] is None  # unchanged by its matter
    assert cases.print_area == "'Cases'!$A$1:$K$35"  # the matter verdict is on screen only
    m = wb["Matters"]
    assert [r[0] for r in m.iter_rows(min_row=2, values_only=True)] == ["M-10", "M-20"]
    verdicts = _column(m, "Matter verdict")
    assert verdicts == ["not advisable (case 5884710417)", "ready (case 3624314870)"]
    assert _column(m, "Highest level") == [3, None]


def test_briefs_sheet_follows_the_matter_verdict(tmp_path):
    """The Briefs sheet holds the letters a consultant may send: a case the matter makes ready
    is in it, a case ready alone whose matter burned the executive bridge is not."""
    a = caselog.analyse(caselog.sample.generate(n_cases=20, n_matters=2).log)
    path = caselog.write_workbook(a, tmp_path / "m.xlsx", max_briefs=None)
    wb = openpyxl.load_workbook(path, read_only=True)
    ids = {str(r[0]) for r in wb["Briefs"].iter_rows(min_row=2, values_only=True)}
    assert "5122066487" in ids  # not yet alone, ready with its matter
    assert "5884710417" not in ids  # ready alone, not advisable with its matter
    q = a.queue()
    alone_ready = set(q.loc[q["verdict"].eq("ready") & q["matter_verdict"].eq(""), "case_id"])
    assert alone_ready <= ids


# ------------------------------------------- the Arrow cell writer against the plain-Python rules
_CELL_TEXT = st.text(
    alphabet=st.sampled_from(list("ab =+-@&<>\"'\t\r\n\x00\x01\x0b\x0c\x1c\x1f\x85\xa0\u1680"
                                  "\u2000\u200a\u200b\u2028\u202f\u3000\ufffe\uffff\ufffdé日")),
    max_size=12,
)


def _cell_reference(text: str, ref: str, sid: int, quote_sid: int) -> str:
    """One text cell as the rules say, value by value."""
    if text == "":
        return ""
    style = f' s="{quote_sid}"' if text[:1] in ("=", "+", "-", "@", "\t", "\r") else (
        f' s="{sid}"' if sid else "")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{esc}</t></is></c>'


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELL_TEXT, min_size=1, max_size=8), st.integers(0, 3))
def test_text_cells_and_excel_text_match_the_rules(texts, sid) -> None:
    import pyarrow as pa

    from caselog.report._xlsx import _SheetWriter, excel_text

    arrow = pd.Series(texts, dtype="str")
    plain = pd.Series(texts, dtype=object)
    fast, cut_fast = excel_text(arrow)
    slow, cut_slow = excel_text(plain)
    assert fast.tolist() == slow.tolist() and cut_fast == cut_slow
    assert all("\r" not in t and "\x00" not in t and "\uffff" not in t for t in fast)
    rows = [str(i + 2) for i in range(len(texts))]
    refs = [f"B{r}" for r in rows]
    got = _SheetWriter._text_cells(fast, pa.array(rows, pa.large_string()), "B", sid, 9)
    assert got.to_pylist() == [_cell_reference(t, r, sid, 9) for t, r in zip(
        fast.tolist(), refs, strict=True)]


def test_wrapped_lines_counts_each_line() -> None:
    from caselog.report._xlsx import _wrapped_lines

    values = pd.Series(["", "a" * 10, "a" * 11, "x\n\nyyyyyyyyyyyy", "日本語\n" * 3], dtype="str")
    # width 10: "" is one line; 10 chars one; 11 two; "x", "", 12 chars -> 1 + 1 + 2; three lines
    # of three characters and an empty last line -> 4
    assert _wrapped_lines(values, 10).tolist() == [1, 1, 2, 4, 4]


def test_same_data_same_bytes_whatever_the_clock(tmp_path):
    """The workbook carries the analysis' "now" (as_of), not the clock's: two writes of the same
    data seconds apart are the same file byte for byte, and Excel shows as_of as its date."""
    import time

    log = caselog.sample.generate(n_cases=30, seed=4).log
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    caselog.write_workbook(log, first, as_of="2026-03-14 13:05:59", charts=False)
    time.sleep(2.1)  # zip times have a 2-second step; docProps have seconds
    caselog.write_workbook(log, second, as_of="2026-03-14 13:05:59", charts=False)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 3, 14, 13, 5, 58)}
        core = z.read("docProps/core.xml").decode()
    assert ">2026-03-14T13:05:59Z</dcterms:created>" in core
    assert ">2026-03-14T13:05:59Z</dcterms:modified>" in core
    props = openpyxl.load_workbook(first, read_only=True).properties
    assert props.created == props.modified == pd.Timestamp("2026-03-14 13:05:59").to_pydatetime()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
                min_size=1, max_size=8), st.booleans())
def test_number_cells_read_back_as_the_same_number(values, integer) -> None:
    """A number cell's ``<v>`` is a valid number that reads back as the value (ints as ints)."""
    import re

    import pyarrow as pa

    from caselog.report._xlsx import _SheetWriter

    if integer:
        values = [None if v is None else int(max(min(v, 2**62), -(2**62))) for v in values]
    num = pd.Series(values, dtype="Int64" if integer else "float64")
    rows = [str(i + 2) for i in range(len(values))]
    refs = [f"C{r}" for r in rows]
    got = _SheetWriter._number_cells(num, pa.array(rows, pa.large_string()), "C", 4, integer)
    for v, r, cell in zip(values, refs, got.to_pylist(), strict=True):
        if v is None:
            assert cell == ""
            continue
        m = re.fullmatch(rf'<c r="{r}" s="4"><v>([-+0-9.e]+)</v></c>', cell)
        assert m, cell
        assert (int(m.group(1)) if integer else float(m.group(1))) == v


# ------------------------------------------- sheet members from pre-deflated rows
@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_crc32_combine_is_the_crc_of_both(a, b) -> None:
    import zlib

    from caselog.report._xlsx import _crc32_combine

    assert _crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@pytest.mark.parametrize("raw", [True, False])
@settings(max_examples=30, deadline=None)
@given(head=st.binary(max_size=200), chunks=st.lists(st.binary(max_size=3000), max_size=4),
       tail=st.binary(max_size=200))
def test_sheet_member_from_deflated_rows_reads_back(raw, head, chunks, tail,
                                                   tmp_path_factory) -> None:
    """A member written from head, pre-deflated rows and tail inflates to the three one after
    the other with a correct CRC, by the raw path and by the fallback (rows inflated)."""
    import io
    import zlib
    from unittest import mock

    from caselog.report import _xlsx

    deflate = zlib.compressobj(3, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = b"".join(deflate.compress(c) for c in chunks) + deflate.flush(zlib.Z_SYNC_FLUSH)
    rows = b"".join(chunks)
    path = tmp_path_factory.mktemp("zip") / "m.zip"
    with zipfile.ZipFile(path, "w") as dst:
        entry = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2026, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        names = _xlsx._RAW_WRITE + (() if raw else ("_not_there",))  # False: the fallback
        with mock.patch.object(_xlsx, "_RAW_WRITE", names):
            _xlsx._write_entry(dst, entry, head, io.BytesIO(packed), zlib.crc32(rows),
                               len(rows), tail)
        dst.writestr("after.txt", b"next member")
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert z.read("xl/worksheets/sheet1.xml") == head + rows + tail
        assert z.read("after.txt") == b"next member"
