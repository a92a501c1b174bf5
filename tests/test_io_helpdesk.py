"""Help-desk exports: direction rule, notes skipped, case IDs, each desk's field names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caselog.errors import EmptyFileError, FileFormatError
from caselog.io._helpdesk import detect_helpdesk, read_helpdesk

DESK = Path(__file__).parent / "data" / "helpdesk"


def rows(t, *cols):
    return t.frame[list(cols)].values.tolist()


def test_zendesk_tickets_json():
    t = read_helpdesk(DESK / "zendesk_tickets.json")
    assert rows(t, "case_id", "sent_at", "direction", "team", "attachments") == [
        ["12345678901", "2026-03-09T17:02:00Z", "amazon", "Seller Performance", "0"],
        ["12345678901", "2026-03-10T09:30:00Z", "seller", "", "1"],  # the inline logo is not a document
        ["ZD-502", "2026-03-11T08:00:00+00:00", "amazon", "Payments", "0"],  # address from via.source
    ]
    assert t.frame["body"].tolist()[1] == "Our plan of action is attached."  # quoted mail cut
    assert [(s.where, s.reason) for s in t.skipped] == [("ticket 501 comment 2", "internal note (public: false)")]
    assert t.items == 4
    assert t.frame["status"].tolist() == ["open", "open", "closed"]


def test_zendesk_comment_csv_case_id_per_ticket():
    t = read_helpdesk(DESK / "zendesk_comments.csv")
    assert rows(t, "case_id", "direction", "team") == [
        ["23456789012", "amazon", "Seller Performance"], ["23456789012", "seller", ""]]
    assert [s.where for s in t.skipped] == ["row 3"]


def test_freshdesk_conversations():
    t = read_helpdesk(DESK / "freshdesk_conversations.json")
    assert rows(t, "case_id", "direction", "team", "attachments") == [
        ["34567890123", "amazon", "Product Quality", "0"],
        ["34567890123", "seller", "", "2"],  # no address: outgoing = the desk's agent = seller side
    ]
    assert [s.reason for s in t.skipped] == ["internal note (private: true)"]


def test_helpscout_threads():
    t = read_helpdesk(DESK / "helpscout_threads.json")
    assert rows(t, "case_id", "direction", "team", "body", "attachments") == [
        ["45678901234", "amazon", "Catalog", "Your listing was suppressed.", "0"],
        ["45678901234", "seller", "", "The new main image is attached.", "1"],
    ]
    assert [s.reason for s in t.skipped] == [
        "internal note (type: note)", "status change (type: lineitem)", "draft, never sent"]


def test_jira_repeated_comment_columns():
    t = read_helpdesk(DESK / "jira.csv")
    assert rows(t, "case_id", "sent_at", "direction", "team", "body") == [
        ["56789012345", "09/Mar/26 10:02 AM", "amazon", "Seller Performance", "We have deactivated your account."],
        ["56789012345", "10/Mar/26 9:30 AM", "dana", "", "POA sent to Amazon."],  # for values= to map
        ["SUP-13", "11/Mar/26 8:05 AM", "amazon-log", "", "Funds released."],
    ]
    assert list(t.where) == ["row 2 (SUP-12) comment 1", "row 2 (SUP-12) comment 2", "row 3 (SUP-13) comment 1"]


def test_roles_override_for_a_desk_run_the_other_way(tmp_path):
    data = {"comments": [
        {"id": 1, "ticket_id": 5, "author_id": 1, "public": True, "body": "hi", "created_at": "2026-03-01T00:00:00Z"},
        {"id": 2, "ticket_id": 5, "author_id": 2, "public": True, "body": "yo", "created_at": "2026-03-02T00:00:00Z"}],
        "users": [{"id": 1, "role": "end-user"}, {"id": 2, "role": "agent"}]}
    p = tmp_path / "z.json"
    p.write_text(json.dumps(data))
    assert read_helpdesk(p).frame["direction"].tolist() == ["amazon", "seller"]
    flipped = read_helpdesk(p, roles={"agent": "amazon", "requester": "seller"})
    assert flipped.frame["direction"].tolist() == ["seller", "amazon"]
    assert flipped.frame["case_id"].tolist() == ["ZD-5", "ZD-5"]


def test_detection():
    assert detect_helpdesk(json.loads((DESK / "zendesk_tickets.json").read_text())) == "zendesk"
    assert detect_helpdesk(json.loads((DESK / "freshdesk_conversations.json").read_text())) == "freshdesk"
    assert detect_helpdesk(json.loads((DESK / "helpscout_threads.json").read_text())) == "helpscout"
    assert detect_helpdesk({"rows": [1, 2]}) is None


def test_errors(tmp_path):
    (tmp_path / "a.json").write_text("{not json")
    with pytest.raises(FileFormatError, match="a.json: is not readable JSON"):
        read_helpdesk(tmp_path / "a.json")
    (tmp_path / "b.json").write_text('{"rows": []}')
    with pytest.raises(FileFormatError, match="b.json: is JSON but not a help-desk export"):
        read_helpdesk(tmp_path / "b.json")
    (tmp_path / "c.json").write_text("")
    with pytest.raises(EmptyFileError, match="c.json: is empty"):
        read_helpdesk(tmp_path / "c.json")
    (tmp_path / "d.csv").write_text("a,b\n1,2\n")
    with pytest.raises(FileFormatError, match="d.csv: is not a help-desk CSV"):
        read_helpdesk(tmp_path / "d.csv")
    (tmp_path / "e.json").write_text('{"tickets": [{"id": 1, "comments": "oops"}], "users": [], "public": 1, "author_id": 2}')
    with pytest.raises(FileFormatError, match="e.json: does not have the shape of a zendesk export"):
        read_helpdesk(tmp_path / "e.json")


def test_folder_with_a_stray_json_skips_it_with_a_decision(tmp_path):
    import shutil

    import caselog

    shutil.copy(DESK / "freshdesk_conversations.json", tmp_path / "desk.json")
    (tmp_path / "package.json").write_text('{"name": "x"}')
    log = caselog.load(tmp_path)
    assert len(log.messages) == 2
    assert any(d.startswith("package.json: skipped, not a case history") for d in log.decisions)
    with pytest.raises(FileFormatError, match="package.json: is JSON but not a help-desk export"):
        caselog.load(tmp_path / "package.json")
