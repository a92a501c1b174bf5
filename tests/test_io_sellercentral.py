"""Seller Central case pages: saved HTML (cards, or text layout) and pasted text."""

from __future__ import annotations

from pathlib import Path

import pytest

from caselog.errors import EmptyFileError, FileFormatError
from caselog.io._sellercentral import looks_like_case_page, read_case_page_text, read_sellercentral

PAGES = Path(__file__).parent / "data" / "pages"


def test_saved_page_by_message_cards():
    t = read_sellercentral(PAGES / "case_12345678901.html")
    f = t.frame
    assert f["case_id"].tolist() == ["12345678901", "12345678901"]
    assert f["direction"].tolist() == ["Amazon", "You"]
    assert f["sent_at"].tolist() == ["14 Mar 2026 14:05 PST", "13 Mar 2026 09:00 PST"]
    assert f["subject"].tolist() == ["Listing suppressed - B0LQ9UCRCH"] * 2
    assert f["body"].tolist() == [
        "Hello,\n\nThank you for contacting Amazon.\nWe reviewed your listing and reinstated it.",
        'Our listing for ASIN B0LQ9UCRCH shows as "Search suppressed".\n\nPlease reactivate it.',
    ]
    assert f["attachments"].tolist() == ["0", "2"]  # a kat-link around its link counts once
    assert f["channel"].tolist() == ["case", "case"]
    assert f["status"].tolist() == ["open", "open"]  # "Answered" is open
    assert list(t.where) == ["message card 1", "message card 2"]
    assert "read by message cards" in t.notes[0]


def test_pasted_text_layout_with_split_date_and_time_lines():
    t = read_sellercentral(PAGES / "case_23456789012.txt")
    f = t.frame
    assert f["case_id"].unique().tolist() == ["23456789012"]
    assert f["subject"].unique().tolist() == ["Listing removed for policy violation"]
    assert f["direction"].tolist() == ["Seller Performance", "You", "You"]
    assert f["sent_at"].tolist() == ["Mar 12, 2026 4:35 PM PDT", "Mar 11, 2026 9:15 AM PDT", "Mar 10, 2026 8:00 AM PDT"]
    assert f["body"].tolist() == [
        "Hello,\n\nWe removed your listing because of an intellectual property complaint.",
        "We are the brand owner. Our trademark certificate is attached.",
        "Why was our listing removed?",  # the page footer (Reply, Was this helpful?) is cut
    ]
    assert f["attachments"].tolist() == ["1", "2", "0"]


def test_page_with_hashed_class_names_is_read_by_its_text():
    t = read_sellercentral(PAGES / "case_hashed.html")
    f = t.frame
    assert f["case_id"].unique().tolist() == ["34567890123"]
    assert f["direction"].tolist() == ["Amazon", "You"]
    assert f["sent_at"].tolist() == ["Mar 06, 2026 4:35 PM PST", "Mar 05, 2026 11:00 AM PST"]
    assert f["status"].unique().tolist() == ["closed"]
    assert "text layout" in t.notes[0]


def test_no_card_is_an_error_naming_what_was_looked_for():
    with pytest.raises(FileFormatError, match=r"not_a_case\.html: no message card found: looked for kat-box"):
        read_sellercentral(PAGES / "not_a_case.html")


def test_cards_without_a_case_id_are_an_error():
    with pytest.raises(FileFormatError, match="x.txt: holds message cards but no case ID"):
        read_case_page_text("You\n14 Mar 2026 14:05 PST\nHello\n", "x.txt")


def test_case_id_from_the_saved_url_when_the_page_does_not_show_it():
    html = ('<!-- saved from url=https://sellercentral.amazon.de/cu/case-dashboard/view-case?caseID=98765432101 -->'
            '<html><body><kat-box><div class="sender-label">Amazon</div>'
            '<div class="time">14 Mar 2026 14:05 CET</div><div class="body">Hallo</div></kat-box></body></html>')
    from caselog.io._sellercentral import read_case_page_html

    f = read_case_page_html(html, "p.html").frame
    assert f[["case_id", "direction", "sent_at", "body"]].values.tolist() == [
        ["98765432101", "Amazon", "14 Mar 2026 14:05 CET", "Hallo"]]


def test_empty_file(tmp_path):
    (tmp_path / "e.html").write_text("  ")
    with pytest.raises(EmptyFileError, match="e.html: is empty"):
        read_sellercentral(tmp_path / "e.html")


def test_sniffing():
    assert looks_like_case_page((PAGES / "case_23456789012.txt").read_text())
    assert looks_like_case_page((PAGES / "case_12345678901.html").read_text())
    assert not looks_like_case_page("Case ID,Sent,From\n1,2026-03-01,Seller\n")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LINES = st.sampled_from([
    "You", "Amazon", "Seller Performance", "14 Mar 2026 14:05 PST", "Mar 6, 2026", "4:35 PM PDT",
    "Case ID: 12345678901", "Status: Answered", "Attachments (1)", "invoice.pdf", "", "Reply",
    "Hello, we reviewed your case.", "2026-03-14 14:05", "ID:", "98765432101",
]) | st.text(max_size=30).map(lambda s: s.replace("\n", " "))


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, max_size=30))
def test_any_pasted_text_reads_or_says_what_is_missing(lines):
    text = "\n".join(lines)
    try:
        t = read_case_page_text(text, "p.txt")
    except FileFormatError as exc:
        assert str(exc).startswith("p.txt: ")
        return
    f = t.frame
    assert len(f) == len(t.rows) == len(t.where) >= 1
    assert f["case_id"].str.fullmatch(r"\d{8,12}").all()
    assert (f["sent_at"] != "").all() and (f["direction"] != "").all()
    assert f["attachments"].astype(int).ge(0).all()


def test_a_class_that_merely_contains_date_is_not_taken_for_the_time():
    from caselog.io._sellercentral import read_case_page_html

    html = ('<html><body><div>Case ID: 12345678901</div><kat-box><div class="sender-label">You</div>'
            '<div class="update-note">edited</div><span class="msg-date">Mar 6, 2026, 4:35 PM PST</span>'
            '<div class="message-body">Hello</div></kat-box></body></html>')
    f = read_case_page_html(html, "p.html").frame
    assert f[["direction", "sent_at", "body"]].values.tolist() == [["You", "Mar 6, 2026, 4:35 PM PST", "Hello"]]
