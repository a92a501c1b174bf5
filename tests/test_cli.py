"""The caselog command line: every sub-command's exit code and output, errors and parsing."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from caselog.cli import main, parse_map, parse_value

HEADER = ["Case ID", "Seller Account", "Category", "Case Status", "Sent", "From", "Team",
          "Channel", "Subject", "Message", "Attachments", "Type"]
DENIAL = "Dear Seller, we are unable to accept your appeal. Your account remains deactivated."
ROWS = [
    ["11111111111", "Acme", "Account suspension", "Open", "2026-03-01 09:00", "Seller",
     "Seller Performance", "Case", "Appeal",
     "Hello,\nHere is our plan of action. Call 206-266-1000.\nRegards,\nJane", "2", "poa"],
    ["11111111111", "Acme", "Account suspension", "Open", "2026-03-02 10:00", "Amazon",
     "Seller Performance", "Case", "Re: Appeal", DENIAL, "0", "denial"],
    ["11111111111", "Acme", "Account suspension", "Open", "2026-03-03 10:00", "Seller",
     "Seller Performance", "Case", "Follow-up", "Please review again.", "0", "follow-up"],
    ["11111111111", "Acme", "Account suspension", "Open", "2026-03-04 10:00", "Amazon",
     "Seller Performance", "Case", "Re: Appeal", DENIAL, "0", "denial"],
    ["11111111111", "Acme", "Account suspension", "Open", "2026-03-05 10:00", "Seller",
     "Seller Performance", "Case", "Follow-up", "Please review, third time.", "1", "follow-up"],
    ["11111111111", "Acme", "Account suspension", "Open", "2026-03-06 10:00", "Amazon",
     "Seller Performance", "Case", "Re: Appeal", DENIAL, "0", "denial"],
    ["22222222222", "Acme", "Routine inquiry", "Open", "2026-03-01 12:00", "Seller",
     "Seller Support", "Case", "Question", '=HYPERLINK("http://x","click")', "0", "inquiry"],
    ["22222222222", "Acme", "Routine inquiry", "Open", "2026-03-04 12:00", "Amazon",
     "Seller Support", "Case", "Re: Question", "@SUM(A1)", "0", "other"],
    ["33333333333", "Beta", "Delayed payment", "Closed", "2026-03-02 08:00", "Seller",
     "Payments", "Email", "Payment", "Where is my disbursement?", "0", "inquiry"],
    ["33333333333", "Beta", "Delayed payment", "Closed", "2026-03-02 20:00", "Amazon",
     "Payments", "Email", "Re: Payment", "Your funds were released.", "0", "acceptance"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def small(tmp_path) -> Path:
    return write_csv(tmp_path / "small.csv", HEADER, ROWS)


def figure(out: str, name: str) -> str:
    """The value of a key figure line of ``caselog summary`` ("cases      12" -> "12")."""
    match = re.search(rf"^{name}\s+(\S+)$", out, flags=re.M)
    assert match, out
    return match.group(1)


def run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------------ sub-commands


def test_summary(small, capsys):
    code, out, err = run(["summary", small], capsys)
    assert code == 0, err
    assert figure(out, "cases") == "3"
    assert figure(out, "messages") == "10"
    assert "date range   2026-03-01 09:00 UTC .. 2026-03-06 10:00 UTC" in out
    # first responses 25 h, 72 h (case 2: 12:00 -> 3 days later), 12 h -> median 25
    assert "first response  median 25.0" in out
    assert err == ""  # not a terminal: no progress


def test_flag_table_default_and_all(small, capsys):
    code, out, _ = run(["flag", small], capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split()[:5] == ["rank", "case", "account", "category", "verdict"]
    assert lines[0].split()[-2:] == ["next", "step"]
    assert lines[1].split()[:2] == ["1", "11111111111"] and "ready" in lines[1]
    code, out, _ = run(["flag", small, "--all"], capsys)
    assert code == 0
    firsts = [ln.split()[:2] for ln in out.strip().splitlines()[1:] if ln[:4].strip()]
    assert firsts == [["1", "11111111111"], ["2", "22222222222"], ["3", "33333333333"]]
    assert "not advisable" in out and "closed" in out


def test_flag_csv_and_json_parse(small, capsys):
    code, out, _ = run(["flag", small, "--all", "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["case_id"] for r in rows] == ["11111111111", "22222222222", "33333333333"]
    assert [r["verdict"] for r in rows] == ["ready", "not advisable", "closed"]
    assert rows[0]["last_seller_at"] == "2026-03-05T10:00:00+00:00"
    code, out, _ = run(
        ["flag", small, "--format", "json", "--tz", "Europe/Berlin", "--input-tz", "UTC"], capsys
    )
    assert code == 0
    records = json.loads(out)
    assert [r["case_id"] for r in records] == ["11111111111"]
    assert records[0]["last_seller_at"] == "2026-03-05T11:00:00+01:00"
    assert records[0]["repeat_canned_denials"] == 2


def test_csv_output_cannot_run_as_an_excel_formula(tmp_path, capsys):
    rows = [list(r) for r in ROWS]
    for r in rows:
        if r[0] == "33333333333":
            r[1] = "=cmd|' /C calc'!A0"
    path = write_csv(tmp_path / "hostile.csv", HEADER, rows)
    code, out, _ = run(["flag", path, "--all", "--format", "csv"], capsys)
    assert code == 0
    rows_out = list(csv.DictReader(io.StringIO(out)))
    assert [r["account"] for r in rows_out] == ["Acme", "Acme", "'=cmd|' /C calc'!A0"]
    code, out, _ = run(["flag", path, "--all", "--format", "json"], capsys)
    assert [r["account"] for r in json.loads(out)][2] == "=cmd|' /C calc'!A0"  # JSON: exact
    # the Amazon reply "@SUM(A1)" is a (masked) template text
    code, out, _ = run(["templates", path, "--format", "csv"], capsys)
    texts = [r["text"] for r in csv.DictReader(io.StringIO(out))]
    assert [t for t in texts if t[:2] in ("@S", "'@")] == ["'@SUM(A<NUM>)"]


def test_flag_as_of_and_output_file(small, tmp_path, capsys):
    out_file = tmp_path / "queue.csv"
    code, out, err = run(
        ["flag", small, "--as-of", "2026-03-03T12:00+01:00", "--format", "csv", "-o", out_file],
        capsys,
    )
    assert code == 0 and out == ""
    assert f"wrote {out_file}" in err
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    # as of 3 Mar 11:00 UTC only one denial has come: case 1 is not ready yet
    assert [r["verdict"] for r in rows] == ["not yet"]


def test_report(small, tmp_path, capsys):
    target = tmp_path / "audit.xlsx"
    code, out, err = run(["report", small, "-o", target, "--no-charts"], capsys)
    assert code == 0, err
    assert out.strip() == f"wrote {target}"
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[:5] == ["Summary", "Charts", "Cases", "Matters", "Messages"]
    ws = wb["Messages"]
    bodies = [c.value for c in ws["I"][1:]]
    cell = ws.cell(row=bodies.index('=HYPERLINK("http://x","click")') + 2, column=9)
    assert cell.data_type == "s"


def test_report_redacted(small, tmp_path, capsys):
    target = tmp_path / "audit.xlsx"
    code, _, err = run(["report", small, "-o", target, "--no-charts", "--redact"], capsys)
    assert code == 0
    assert "redacted: 0 e-mail addresses, 1 phone numbers, 0 street addresses, 1 names" in err
    bodies = [c.value for c in openpyxl.load_workbook(target)["Messages"]["I"][1:]]
    assert "Hello,\nHere is our plan of action. Call [phone].\nRegards,\n[name]" in bodies


def test_brief(small, capsys):
    code, out, _ = run(["brief", "11111111111", small], capsys)
    assert code == 0
    assert out.startswith("# Escalation request: Case 11111111111")
    assert "Verdict: ready." in out


def test_brief_unknown_case(small, capsys):
    code, out, err = run(["brief", "11111111112", small], capsys)
    assert code == 1 and out == ""
    assert err.startswith("caselog: error: case '11111111112' is not in the case log")
    assert "Traceback" not in err


def test_templates(small, capsys):
    code, out, _ = run(["templates", small, "--top", "1"], capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split()[:4] == ["template_id", "n_messages", "n_cases", "n_accounts"]
    assert len(lines) == 2
    assert lines[1].split()[1:3] == ["3", "1"]  # the denial: 3 messages in 1 case
    code, out, _ = run(["templates", small, "--format", "json"], capsys)
    assert json.loads(out)[0]["n_messages"] == 3


def test_sample(tmp_path, capsys):
    target = tmp_path / "sample"
    code, out, _ = run(["sample", "-o", target, "--cases", "12", "--seed", "7"], capsys)
    assert code == 0
    names = sorted(p.relative_to(target).as_posix() for p in target.rglob("*.*"))
    assert names[:2] == ["caselog_sample.csv", "caselog_sample.xlsx"]
    assert names[-2:] == ["truth/truth_cases.csv", "truth/truth_messages.csv"]
    sources = [n for n in names if n.startswith("sources/")]
    assert "sources/caselog_sample.mbox" in sources and "sources/helpdesk_zendesk.json" in sources
    assert any(n.endswith(".html") for n in sources) and len(names) == 4 + len(sources)
    assert out.count("wrote ") == 7  # 4 files, the mailbox, the pages folder, the help-desk export
    code, out, _ = run(["summary", target / "caselog_sample.csv"], capsys)
    assert code == 0 and figure(out, "cases") == "12"


# ------------------------------------------------------------------------------ input options


def test_map_and_value(tmp_path, capsys):
    header = ["issueid", "created", "reporter", "text"]
    rows = [
        ["A-1", "2026-03-01 09:00", "me", "please help"],
        ["A-1", "2026-03-01 15:00", "them", "we are looking into it"],
    ]
    path = write_csv(tmp_path / "jira.csv", header, rows)
    code, _, err = run(["summary", path], capsys)
    # one file: the loader's detailed message names the field it could not find
    assert code == 1 and "Traceback" not in err
    assert err.startswith("caselog: error: jira.csv: no column for required field(s) ['direction']")
    code, out, err = run(
        ["summary", path, "--map", "case_id=issueid", "--map", "direction=reporter",
         "--value", "direction:me=seller", "--value", "direction:them=amazon"],
        capsys,
    )
    assert code == 0, err
    assert figure(out, "cases") == "1"
    assert "first response  median 6.0" in out


def test_parse_map_and_value():
    assert parse_map("case_id=issueid") == ("case_id", "issueid")
    assert parse_map(" case_id = Case = Number ") == ("case_id", "Case = Number")
    assert parse_value("direction:reporter=seller") == ("direction", "reporter", "seller")
    assert parse_value("direction:Agent: Bob=amazon") == ("direction", "Agent: Bob", "amazon")
    for bad in ("case_id", "=x", "case_id="):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_map(bad)
    for bad in ("direction=seller", "direction:seller", ":a=b", "direction:a="):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_value(bad)


def test_dayfirst_and_monthfirst(tmp_path, capsys):
    rows = [["1", "03/04/2026 09:00", "Seller", "hi"], ["1", "03/04/2026 11:00", "Amazon", "ok"]]
    path = write_csv(tmp_path / "d.csv", ["Case ID", "Sent", "From", "Message"], rows)
    code, out, _ = run(["summary", path, "--dayfirst"], capsys)
    assert code == 0 and "2026-04-03 09:00 UTC" in out
    code, out, _ = run(["summary", path, "--monthfirst"], capsys)
    assert code == 0 and "2026-03-04 09:00 UTC" in out
    code, _, err = run(["summary", path, "--dayfirst", "--monthfirst"], capsys)
    assert code == 2 and "not allowed with" in err


def test_input_tz(tmp_path, capsys):
    rows = [["1", "2026-03-04 09:00", "Seller", "hi"], ["1", "2026-03-04 11:00", "Amazon", "ok"]]
    path = write_csv(tmp_path / "t.csv", ["Case ID", "Sent", "From", "Message"], rows)
    code, out, _ = run(["summary", path, "--tz", "America/New_York"], capsys)
    assert code == 0 and "2026-03-04 14:00 UTC" in out  # read as New York time (UTC-5)
    code, out, _ = run(["summary", path, "--tz", "America/New_York", "--input-tz", "UTC"], capsys)
    assert code == 0 and "2026-03-04 09:00 UTC" in out


def test_zone_abbrev(tmp_path, capsys):
    rows = [["1", "14 Mar 2026 14:05 IST", "Seller", "hi"], ["1", "14 Mar 2026 15:05 PST", "Amazon", "ok"]]
    path = write_csv(tmp_path / "z.csv", ["Case ID", "Sent", "From", "Message"], rows)
    code, out, _ = run(["summary", path], capsys)
    assert code == 0 and figure(out, "rejects") == "1"
    assert "time zone 'IST' is ambiguous" in out and "--zone-abbrev IST=Asia/Kolkata" in out
    code, out, _ = run(["summary", path, "--zone-abbrev", "IST=Asia/Kolkata", "--zone-abbrev", "X=+1"], capsys)
    assert code == 2  # 'X' is not an abbreviation
    code, out, _ = run(["summary", path, "--zone-abbrev", "IST=Asia/Kolkata", "--zone-abbrev", "ABC=+01:00"], capsys)
    assert code == 0 and figure(out, "rejects") == "0"
    # 14:05 India (UTC+5:30) is 08:35 UTC; 15:05 PST (UTC-8) is 23:05 UTC
    assert "2026-03-14 08:35 UTC .. 2026-03-14 23:05 UTC" in out
    code, _, err = run(["flag", path, "--zone-abbrev", "IST=Mars/Olympus"], capsys)
    assert code == 2 and "'IST' -> 'Mars/Olympus' is neither a time zone nor a UTC offset" in err
    code, _, err = run(["report", path, "-o", tmp_path / "r.xlsx", "--zone-abbrev", "IST"], capsys)
    assert code == 2 and "expected ABBR=ZONE" in err


def test_dates_out_of_range_or_with_odd_digits_are_rejects_not_tracebacks(tmp_path):
    rows = [["1", "2026-03-01 10:00", "Seller", "hi"], ["1", "9999-12-31", "Amazon", "no"],
            ["2", "01/01/1000", "Seller", "x"], ["3", "２０２６-03-01 10:00", "Seller", "y"],
            ["3", "١٢/٠١/٢٠٢٦", "Amazon", "z"]]
    path = write_csv(tmp_path / "d.csv", ["Case ID", "Sent", "From", "Message"], rows)
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-m", "caselog", "summary", str(path)],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr and "Warning" not in proc.stderr
    assert figure(proc.stdout, "rejects") == "4" and "year 1000 is outside" in proc.stdout


def test_sheet_option(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Jan"
    ws.append(["Case ID", "Sent", "From", "Message"])
    ws.append(["1", "2026-01-04 09:00", "Seller", "hi"])
    other = wb.create_sheet("Notes")
    other.append(["Case ID", "Sent", "From", "Message"])
    other.append(["2", "2026-01-05 09:00", "Seller", "x"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    code, out, _ = run(["summary", path, "--sheet", "Jan"], capsys)
    assert code == 0 and figure(out, "cases") == "1"
    code, _, err = run(["summary", path, "--sheet", "Feb"], capsys)
    assert code == 1 and "Feb" in err


# ------------------------------------------------------------------------------ errors


def test_missing_file(tmp_path, capsys):
    code, out, err = run(["summary", tmp_path / "nope.csv"], capsys)
    assert code == 1 and out == ""
    assert err == f"caselog: error: {tmp_path / 'nope.csv'}: does not exist\n"


def test_missing_required_column(tmp_path, capsys):
    path = write_csv(tmp_path / "x.csv", ["Case ID", "From", "Message"], [["1", "Seller", "x"]])
    code, out, err = run(["flag", path], capsys)
    assert code == 1 and out == ""
    assert err.startswith("caselog: error: x.csv: no column for required field(s) ['sent_at']")
    assert "columns found: ['Case ID', 'From', 'Message']" in err and "Traceback" not in err and err.count("\n") == 1


def test_unwritable_output(small, tmp_path, capsys):
    code, _, err = run(["report", small, "-o", tmp_path / "no" / "dir" / "a.xlsx",
                        "--no-charts"], capsys)
    assert code == 1 and "Traceback" not in err
    assert err.startswith("caselog: error: cannot write") and "does not exist" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "required: COMMAND"),
        (["frobnicate"], "invalid choice"),
        (["flag"], "required: FILE"),
        (["flag", "x.csv", "--format", "xml"], "invalid choice"),
        (["summary", "x.csv", "--map", "case_id"], "expected FIELD=COLUMN"),
        (["summary", "x.csv", "--value", "direction=seller"], "expected FIELD:RAW=CANONICAL"),
        (["summary", "x.csv", "--as-of", "yesterday-ish"], "expected an ISO date"),
        (["summary", "x.csv", "--tz", "Mars/Olympus"], "unknown time zone"),
        (["templates", "x.csv", "--top", "0"], "positive whole number"),
        (["brief"], "required: CASE_ID"),
        (["sample"], "required: -o/--output"),
    ],
)
def test_usage_errors_exit_2(argv, message, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert message in err


def test_help_has_examples(capsys):
    for command in ("summary", "flag", "report", "brief", "templates", "sample"):
        code, out, _ = run([command, "--help"], capsys)
        assert code == 0
        assert "example:" in out and f"caselog {command}" in out
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "summary" in out and "report" in out


def test_python_dash_m(small):
    proc = subprocess.run(
        [sys.executable, "-m", "caselog", "flag", str(small), "--format", "csv"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1].startswith('1,"11111111111",')  # text fields quoted
    proc = subprocess.run(
        [sys.executable, "-m", "caselog", "summary", str(small) + ".missing"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


# ------------------------------------------------------------------------------ one client, terminal


def test_flag_wraps_the_whole_reason_and_shows_the_next_step(small, capsys):
    from caselog import analyse, load

    a = analyse(load(small))
    row = a.readiness.set_index("case_id").loc["11111111111"]
    code, out, _ = run(["flag", small], capsys)
    flat = " ".join(out.split())
    assert " ".join(row["reasons"].split()) in flat.replace("  ", " ") or all(
        word in flat for word in row["reasons"].split())
    assert "…" not in out
    assert all(w in flat for w in row["next_step"].split())


def test_account_option_on_every_reading_command(small, tmp_path, capsys):
    code, out, _ = run(["flag", small, "--all", "--account", "beta", "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["rank"], r["case_id"], r["account"]) for r in rows] == [("1", "33333333333",
                                                                         "Beta")]
    assert "urgency" not in rows[0]
    code, out, _ = run(["summary", small, "--account", "Acme"], capsys)
    assert code == 0
    code, out, _ = run(["templates", small, "--account", "Acme", "--format", "csv"], capsys)
    assert code == 0
    code, out, _ = run(["brief", "11111111111", small, "--account", "Acme"], capsys)
    assert code == 0 and out.startswith("# Escalation request: Case 11111111111")
    target = tmp_path / "acme.xlsx"
    code, out, _ = run(["report", small, "--account", "Acme", "-o", target, "--no-charts"], capsys)
    assert code == 0
    ids = [r[1].value for r in openpyxl.load_workbook(target)["Cases"].iter_rows(min_row=2)]
    assert sorted(ids) == ["Acme", "Acme"]  # the Account column: only Acme's two cases
    code, _, err = run(["flag", small, "--account", "Gamma"], capsys)
    assert code == 1 and "'Gamma' not in the input" in err and "'Acme'" in err


def test_report_per_account(small, tmp_path, capsys):
    folder = tmp_path / "audits"
    code, out, _ = run(["report", small, "--per-account", folder, "--no-charts"], capsys)
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["Acme.xlsx", "Beta.xlsx"]
    assert out.strip().splitlines() == [f"wrote {folder / 'Acme.xlsx'}",
                                        f"wrote {folder / 'Beta.xlsx'}"]
    wb = openpyxl.load_workbook(folder / "Beta.xlsx")
    assert [r[1].value for r in wb["Cases"].iter_rows(min_row=2)] == ["Beta"]


def test_quiet_prints_only_the_result(small, tmp_path, capsys):
    code, out, err = run(["flag", small, "-q"], capsys)
    assert code == 0 and out.startswith("rank") and err == ""
    code, out, err = run(["flag", small], capsys)
    assert err.strip() == "caselog: 3 cases: 1 ready, 0 not yet, 1 not advisable, 1 closed"
    target = tmp_path / "b.md"
    code, out, err = run(["brief", "11111111111", small, "-q", "-o", target], capsys)
    assert code == 0 and out == "" and err == "" and target.exists()


def test_one_case_in_the_singular(small, capsys):
    code, _, err = run(["flag", small, "--account", "Beta"], capsys)
    assert err.strip().startswith("caselog: 1 case: ")


def test_terminal_output_loses_control_characters(tmp_path, capsys):
    rows = [list(r) for r in ROWS]
    for r in rows:
        if r[0] == "11111111111":
            r[1] = "Acme\x1b]0;pwned\x07\x1b[2J"
    path = write_csv(tmp_path / "esc.csv", HEADER, rows)
    for argv in (["flag", path], ["summary", path], ["brief", "11111111111", path]):
        code, out, err = run(argv, capsys)
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out and "\x1b" not in err, argv
        assert "pwned" in out or argv[0] == "summary", argv


def test_emit_strips_control_characters_on_stdout(capsys):
    from caselog.cli import _emit

    _emit("Acme\x1b]0;pwned\x07 \u202eevil\r\n", None)
    assert capsys.readouterr().out == "Acme]0;pwned evil\n"


def test_flag_names_the_matter_when_there_are_matters(tmp_path, capsys):
    import caselog

    s = caselog.sample.generate(n_cases=20, n_matters=2)
    path = tmp_path / "m.csv"
    s.messages.to_csv(path, index=False)
    code, out, _ = run(["flag", str(path), "-q"], capsys)
    assert code == 0
    head = out.splitlines()[0].split()
    assert head[:3] == ["rank", "case", "matter"]
    # M-20's ready case and its two not-yet cases follow each other
    lines = [ln for ln in out.splitlines() if " M-20 " in ln]
    assert [ln.split()[1] for ln in lines] == ["3624314870", "5122066487", "6663216071"]
    code, out, _ = run(["flag", str(path), "-q", "--format", "csv"], capsys)
    assert out.splitlines()[0].endswith("matter_id,matter_verdict,matter_reason")


def test_report_on_dask_workers_equals_one_process(small, tmp_path):
    # the partitioned run from the command line: a local cluster of 2 processes, nothing but
    # the path written on stdout, no warning or traceback on stderr, the same workbook sheets
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    one, many = tmp_path / "one.xlsx", tmp_path / "many.xlsx"
    for target, extra in ((one, []), (many, ["--workers", "2"])):
        proc = subprocess.run(
            [sys.executable, "-m", "caselog", "report", str(small), "-o", str(target),
             "--no-charts", *extra],
            capture_output=True, text=True, check=False, timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"wrote {target}"
        assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr
    a, b = openpyxl.load_workbook(one), openpyxl.load_workbook(many)
    for name in ("Cases", "Messages"):
        assert [[c.value for c in r] for r in a[name].iter_rows()] == [
            [c.value for c in r] for r in b[name].iter_rows()]
    assert a["Cases"].max_row == 4  # the three cases of the fixture under the header
