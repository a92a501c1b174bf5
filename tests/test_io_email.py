"""E-mail reader: direction, team, case ID, threads, quote cutting, decoding, skipped mail."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caselog.errors import CaselogError, EmptyFileError, FileFormatError, SourceNotFoundError
from caselog.io._addresses import (
    AMAZON_DOMAINS,
    TEAM_BY_ADDRESS,
    TEAM_BY_DISPLAY_NAME,
    AmazonAddresses,
)
from caselog.io._email import normalise_subject, read_email, read_mbox
from caselog.io._replies import cut_reply, html_to_text

MAIL = Path(__file__).parent / "data" / "mail"


def one(name: str) -> dict:
    t = read_email(MAIL / name)
    assert len(t.frame) == 1 and not t.skipped
    return t.frame.iloc[0].to_dict()


# --------------------------------------------------------------------------- whole mails


def test_notice_qp_and_rfc2047_subject():
    row = one("notice.eml")
    assert row["case_id"] == "12345678901"
    assert row["subject"] == "Your Amazon.com selling account – Case ID: 12345678901"
    assert row["sent_at"] == "2026-03-09T10:02:00-07:00"
    assert (row["direction"], row["team"], row["channel"]) == ("amazon", "Seller Performance", "email")
    assert "customer complaints about the condition of ASIN B0LQ9UCRCH." in row["body"]  # soft break joined
    assert "plan of action – with invoices" in row["body"]
    assert row["attachments"] == "0"


def test_reply_cuts_quote_and_signature_counts_documents_not_inline_logo():
    row = one("reply_on_wrote.eml")
    assert row["body"] == "Hello,\n\nplease find our plan of action and the invoices attached."
    # poa.pdf (attachment) + invoices.pdf (named, not inline); the inline logo is not a document
    assert row["attachments"] == "2"
    assert (row["direction"], row["team"]) == ("seller", "Seller Performance")
    assert row["sent_at"] == "2026-03-10T08:15:00+01:00"


def test_outlook_original_message_and_cp1252():
    row = one("reply_outlook.eml")
    assert row["body"] == "We sent the invoices yesterday – please confirm you received them."


def test_outlook_header_block_and_first_amazon_recipient_team():
    row = one("reply_outlook_block.eml")
    assert row["body"] == "Third request: please review our appeal."
    assert row["team"] == "Seller Performance"  # To: before Cc: jeff@


def test_german_latin1_qp_and_encoded_headers():
    row = one("reply_german.eml")
    assert row["subject"] == "AW: Ihr Verkäuferkonto [CASE 23456789012]"
    assert row["case_id"] == "23456789012"
    assert row["body"] == "Sehr geehrte Damen und Herren,\n\nanbei die Rechnungen für ASIN B0ABCDEFGH."
    assert row["team"] == "Product Quality"


def test_french_base64_utf8():
    row = one("reply_french.eml")
    assert row["subject"] == "TR: Votre compte vendeur (case 34567890123)"
    assert row["body"] == "Bonjour,\n\nVoici les factures demandées pour l'ASIN B0LQ9UCRCH."
    assert row["case_id"] == "34567890123"


def test_gmail_forward_cut_and_case_id_from_body():
    row = one("forwarded.eml")
    assert row["body"] == "Please see the notice below, case 45678901234."
    assert (row["case_id"], row["team"]) == ("45678901234", "Seller Support")


def test_html_only_mail_becomes_text():
    row = one("html_only.eml")
    assert row["body"] == (
        "Hello,\n\nWe received complaints about ASIN B0XYZ12345.\nPlease send invoices & supplier details."
        "\n\nOrder  123-1234567-1234567"
    )
    assert "track()" not in row["body"] and "color" not in row["body"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("newsletter.eml", "newsletter or mailing list (List-Unsubscribe/List-Id/Precedence header)"),
        ("marketing.eml", "Amazon marketing (selling-partner-news@amazon.com)"),
        ("order.eml", "order or shipping confirmation"),
        ("invite.eml", "calendar invitation"),
        ("internal.eml", "neither from nor to an Amazon address"),
    ],
)
def test_not_case_mail_is_skipped_with_reason(name, reason):
    t = read_email(MAIL / name)
    assert len(t.frame) == 0
    assert [s.reason for s in t.skipped] == [reason]
    assert t.skipped[0].where == name


def test_mbox_counts_add_up_and_thread_takes_case_id():
    t = read_email(MAIL / "inbox.mbox")
    assert t.items == 13
    assert (len(t.frame), len(t.skipped), len(t.unreadable)) == (8, 5, 0)
    # reply_outlook.eml has no case ID of its own: its In-Reply-To is the notice
    assert t.frame["case_id"].tolist() == [
        "12345678901", "12345678901", "12345678901", "12345678901",
        "23456789012", "34567890123", "45678901234", "56789012345",
    ]
    assert list(t.where[:2]) == ["message 1", "message 2"]
    assert t.rows.tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    assert any("5 mails skipped" in n for n in t.notes)


def test_folder_threads_by_references_then_subject():
    t = read_email(MAIL / "folder")
    f = t.frame
    assert f["case_id"].iloc[0] == f["case_id"].iloc[1] == f["case_id"].iloc[2]  # In-Reply-To, then subject
    assert f["case_id"].iloc[3] != f["case_id"].iloc[0]
    assert f["case_id"].iloc[0].startswith("email-")
    assert f["team"].tolist() == ["Seller Performance", "Seller Performance", "Seller Performance", "Seller Support"]
    assert f["direction"].tolist() == ["amazon", "seller", "seller", "amazon"]
    assert list(t.where) == ["1_notice.eml", "2_reply.eml", "3_again.eml", "4_other.eml"]


# --------------------------------------------------------------------------- errors


def test_msg_refused_with_how_to_save_as_eml(tmp_path):
    p = tmp_path / "notice.msg"
    p.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(FileFormatError, match=r"notice\.msg: is an Outlook \.msg file.*save the mail as \.eml"):
        read_email(p)


def test_empty_and_non_mail_files(tmp_path):
    (tmp_path / "a.mbox").write_bytes(b"")
    with pytest.raises(EmptyFileError, match="a.mbox: is empty"):
        read_email(tmp_path / "a.mbox")
    (tmp_path / "b.mbox").write_text("hello world\nthis is not mail\n")
    with pytest.raises(FileFormatError, match="b.mbox: is not an mbox file"):
        read_email(tmp_path / "b.mbox")
    (tmp_path / "c.eml").write_text("just text\n")
    with pytest.raises(FileFormatError, match="c.eml: is not an e-mail"):
        read_email(tmp_path / "c.eml")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceNotFoundError, match="folder has no .eml files"):
        read_email(tmp_path / "empty")


def test_one_mail_saved_as_mbox_is_read(tmp_path):
    p = tmp_path / "one.mbox"
    p.write_bytes((MAIL / "notice.eml").read_bytes())
    assert read_mbox(p).frame["case_id"].tolist() == ["12345678901"]


def test_unreadable_date_is_left_for_the_loader_to_reject(tmp_path):
    p = tmp_path / "x.eml"
    p.write_text("From: seller-support@amazon.com\nTo: a@b.example\nSubject: case 12345678901\n"
                 "Date: someday\n\nHi\n")
    assert read_email(p).frame["sent_at"].tolist() == ["someday"]
    p.write_text("From: seller-support@amazon.com\nTo: a@b.example\nSubject: case 12345678901\n"
                 "Date: Mon, 09 Mar 2026 10:02:00 -0000\n\nHi\n")
    assert read_email(p).frame["sent_at"].tolist() == ["2026-03-09T10:02:00+00:00"]


# --------------------------------------------------------------------------- addresses -> teams


@pytest.mark.parametrize(("local", "team"), sorted(TEAM_BY_ADDRESS.items()))
def test_every_address_row_gives_its_team(tmp_path, local, team):
    a = AmazonAddresses()
    assert a.team_of(f"{local}@amazon.com") == team
    assert a.team_of(f"Amazon <{local}@amazon.co.jp>") == team
    # a seller's mail to that address takes its team
    p = tmp_path / "m.eml"
    p.write_text(f"From: me@shop.example\nTo: {local}@amazon.de\nSubject: case 12345678901\n"
                 "Date: Mon, 09 Mar 2026 10:02:00 +0000\n\nHello\n")
    row = read_email(p).frame.iloc[0]
    assert (row["direction"], row["team"]) == ("seller", team)


@pytest.mark.parametrize(("name", "team"), sorted(TEAM_BY_DISPLAY_NAME.items()))
def test_every_display_name_row_gives_its_team(name, team):
    assert AmazonAddresses().team_of(f'"Amazon {name}" <no-reply@amazon.com>') == team


@pytest.mark.parametrize("domain", AMAZON_DOMAINS)
def test_every_amazon_domain_and_its_subdomains(domain):
    a = AmazonAddresses()
    assert a.is_amazon(f"x@{domain}") and a.is_amazon(f"x@marketplace.{domain}")
    assert not a.is_amazon(f"x@{domain}.evil.example") and not a.is_amazon(f"x@not{domain}")


def test_address_table_is_extensible_and_overridable():
    a = AmazonAddresses().with_team("appeals@amazon.com", "Seller Performance")
    assert a.team_of("appeals@amazon.com") == "Seller Performance"
    assert AmazonAddresses().team_of("appeals@amazon.com") is None
    a = AmazonAddresses().with_domains(["amzn.example"])
    assert a.is_amazon("x@amzn.example")
    a = AmazonAddresses().with_seller_addresses(["me@amazon.com"])
    assert not a.is_amazon("Me <me@amazon.com>") and a.is_amazon("you@amazon.com")
    assert AmazonAddresses().team_of("seller-performance-de@amazon.de") == "Seller Performance"
    with pytest.raises(CaselogError, match="unknown team"):
        AmazonAddresses().with_team("x", "Legal")


# --------------------------------------------------------------------------- quote styles


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Yes.\n> old line\n> older", "Yes."),
        ("Yes.\n\nOn Mon, 9 Mar 2026 at 10:02, A <a@amazon.com> wrote:\n> old", "Yes."),
        ("Yes.\n\nOn Mon, 9 Mar 2026 at 10:02, Seller Performance\n<a@amazon.com> wrote:\n> old", "Yes."),
        ("Yes.\n\n-----Original Message-----\nFrom: a@amazon.com\nSent: Monday\nTo: me\nSubject: x\n\nold", "Yes."),
        ("Yes.\n\nFrom: a@amazon.com\nSent: Monday, March 9, 2026\nTo: me\nSubject: x\n\nold", "Yes."),
        ("Yes.\n\n---------- Forwarded message ---------\nFrom: A <a@amazon.com>\nDate: Mon\n\nold", "Yes."),
        ("Yes.\n\n________________________________\nFrom: A <a@amazon.com>\nSent: Monday\nold", "Yes."),
        ("Yes.\n\nBegin forwarded message:\n\nFrom: A <a@amazon.com>\nold", "Yes."),
        ("Ja.\n\nAm 09.03.2026 um 10:02 schrieb Amazon <a@amazon.de>:\n> alt", "Ja."),
        ("Ja.\n\nVon: Amazon <a@amazon.de>\nGesendet: Montag, 9. März 2026\nAn: mich\nBetreff: x\n\nalt", "Ja."),
        ("Ja.\n\n-------- Ursprüngliche Nachricht --------\nVon: a@amazon.de\nalt", "Ja."),
        ("Oui.\n\nLe lun. 9 mars 2026 à 10:02, Amazon <a@amazon.fr> a écrit :\n> ancien", "Oui."),
        ("Oui.\n\nDe : Amazon <a@amazon.fr>\nEnvoyé : lundi 9 mars 2026\nÀ : moi\nObjet : x\n\nancien", "Oui."),
        ("Sì.\n\nIl giorno lun 9 mar 2026 alle 10:02 Amazon <a@amazon.it> ha scritto:\n> vecchio", "Sì."),
        ("Our POA.\n-- \nJane Doe\nACME", "Our POA."),
        ("Line one\nLine two\n\nRegards,\nJane", "Line one\nLine two\n\nRegards,\nJane"),
        ("From: our side, nothing changed.\nPlease review.", "From: our side, nothing changed.\nPlease review."),
    ],
)
def test_quote_styles_are_cut(text, kept):
    assert cut_reply(text) == kept


def test_subject_prefixes():
    assert normalise_subject("Re: AW: WG: TR: Fwd: FW: Notice") == "notice"
    assert normalise_subject("RE[2]: Notice") == "notice"


def test_html_to_text_blocks():
    assert html_to_text("<ul><li>one</li><li>two</li></ul>") == "* one\n* two"
    assert html_to_text("") == ""


# --------------------------------------------------------------------------- property


_header_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"), max_size=40)
_body_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300)


@st.composite
def _mail(draw) -> bytes:
    sender = draw(st.sampled_from(["seller-performance@amazon.com", "me@shop.example", "Amazon <notice@amazon.de>",
                                   "marketing@amazon.com", "", "=?utf-8?q?J=C3=BCrgen?= <j@x.example>", "<<>>"]))
    to = draw(st.sampled_from(["me@shop.example", "seller-support@amazon.com", "", "a@b, c@amazon.fr"]))
    headers = [f"From: {sender}", f"To: {to}", f"Subject: {draw(_header_text)}",
               f"Date: {draw(st.sampled_from(['Mon, 09 Mar 2026 10:02:00 +0000', 'garbage', '', 'Mon, 99 Foo 99999 99:99']))}"]
    if draw(st.booleans()):
        headers.append(f"Message-ID: <{draw(st.integers(0, 5))}@x>")
    if draw(st.booleans()):
        headers.append(f"In-Reply-To: <{draw(st.integers(0, 5))}@x>")
    if draw(st.booleans()):
        headers.append("Content-Type: " + draw(st.sampled_from([
            "text/html; charset=utf-8", "text/plain; charset=bogus-charset", "multipart/mixed; boundary=B",
            "text/plain; charset=utf-8", "text/calendar"])))
    if draw(st.booleans()):
        headers.append("Content-Transfer-Encoding: " + draw(st.sampled_from(["base64", "quoted-printable", "8bit"])))
    return ("\n".join(headers) + "\n\n" + draw(_body_text)).encode("utf-8", "surrogatepass")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_mail(), min_size=0, max_size=6))
def test_any_mailbox_reads_with_counts_adding_up(tmp_path, mails):
    p = tmp_path / "box.mbox"
    p.unlink(missing_ok=True)
    box = mailbox.mbox(str(p))
    for m in mails:
        box.add(m)
    box.flush()
    n = len(box)
    box.close()
    try:
        t = read_email(p)
    except CaselogError:
        return
    assert t.items == n
    assert len(t.frame) == len(t.rows) == len(t.where)
    assert set(t.frame["direction"]) <= {"seller", "amazon"}


# --------------------------------------------------------------------------- through load()


def test_load_reads_a_mailbox_with_skipped_counted():
    import caselog

    log = caselog.load(MAIL / "inbox.mbox")
    assert (len(log.messages), len(log.skipped), len(log.rejects), log.input_rows) == (8, 5, 0, 13)
    assert log.messages["source"].iloc[0] == "inbox.mbox message 1"
    assert log.messages["sent_at"].iloc[0] == __import__("pandas").Timestamp("2026-03-09 17:02", tz="UTC")
    assert "inbox.mbox message 9" in set(log.skipped["source"])
    # a seller mail without a team of its own would take the case's Amazon team; here all have one
    assert set(log.messages["team"]) == {"Seller Performance", "Product Quality", "Seller Support"}


def test_load_only_skipped_mail_is_an_error_that_counts_them(tmp_path):
    import caselog

    with pytest.raises(EmptyFileError, match=r"newsletter.eml: holds no case messages: all 1 items"):
        caselog.load(MAIL / "newsletter.eml")


def test_load_folder_of_eml_is_one_mailbox_and_format_forces(tmp_path):
    import caselog

    log = caselog.load(MAIL / "folder")
    assert log.messages["case_id"].nunique() == 2
    (tmp_path / "notice.txt").write_bytes((MAIL / "notice.eml").read_bytes())
    assert len(caselog.load(tmp_path / "notice.txt", format="email").messages) == 1
    with pytest.raises(CaselogError, match="format='pdf' is not a format"):
        caselog.load(tmp_path / "notice.txt", format="pdf")
    with pytest.raises(FileFormatError, match="x.msg: is an Outlook .msg file"):
        (tmp_path / "x.msg").write_bytes(b"\xd0\xcf")
        caselog.load(tmp_path / "x.msg")


def test_load_seller_addresses_and_amazon_domains(tmp_path):
    import caselog

    p = tmp_path / "m.eml"
    p.write_text("From: help@amzn-support.example\nTo: me@shop.example\nSubject: case 12345678901\n"
                 "Date: Mon, 09 Mar 2026 10:02:00 +0000\n\nHello\n")
    with pytest.raises(EmptyFileError, match="neither from nor to an Amazon address"):
        caselog.load(p)
    log = caselog.load(p, amazon_domains=["amzn-support.example"])
    assert log.messages["direction"].tolist() == ["amazon"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_mail(), min_size=1, max_size=6))
def test_any_mailbox_loads_with_counts_adding_up(tmp_path, mails):
    import caselog

    p = tmp_path / "box.mbox"
    p.unlink(missing_ok=True)
    box = mailbox.mbox(str(p))
    for m in mails:
        box.add(m)
    box.flush()
    n = len(box)
    box.close()
    try:
        log = caselog.load(p)
    except CaselogError:
        return
    assert log.input_rows == n
    assert log.input_rows == len(log.messages) + len(log.rejects) + log.duplicates + len(log.skipped)


def test_attached_mail_is_one_document_and_not_this_mails_text(tmp_path):
    p = tmp_path / "fwd.eml"
    p.write_text(
        "From: me@shop.example\nTo: seller-performance@amazon.com\nSubject: Appeal, case 12345678901\n"
        "Date: Mon, 09 Mar 2026 10:02:00 +0000\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\nOur appeal.\n'
        "--B\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
        "From: x@supplier.example\nSubject: invoice\n\nThe supplier's own text.\n--B--\n"
    )
    row = read_email(p).frame.iloc[0]
    assert (row["body"], row["attachments"]) == ("Our appeal.", "1")


def test_amazon_auto_acknowledgement_is_labelled(tmp_path):
    p = tmp_path / "ack.eml"
    p.write_text("From: seller-performance@amazon.com\nTo: me@shop.example\nSubject: case 12345678901\n"
                 "Auto-Submitted: auto-replied\nDate: Mon, 09 Mar 2026 10:02:00 +0000\n\nWe received your mail.\n")
    assert read_email(p).frame["kind"].tolist() == ["acknowledgement"]


def test_a_date_header_with_an_unknown_zone_is_a_reject_not_utc(tmp_path):
    """email.utils reads 'IST' as 'no zone'; caselog hands it to the date parser, which rejects
    the ambiguous name instead of reading the time as UTC."""
    import caselog

    mail = (
        "From: seller-performance@amazon.com\nTo: shop@example.com\n"
        "Subject: Your Amazon.com selling privileges [CASE 12345678901]\n"
        "Date: Sat, 14 Mar 2026 14:05:00 IST\nMessage-ID: <a@x>\n\n"
        "We are unable to reinstate your account.\n"
    )
    path = tmp_path / "one.eml"
    path.write_text(mail, encoding="utf-8")
    log = caselog.load(path)
    assert len(log.messages) == 0 and len(log.rejects) == 1
    assert "'IST' is ambiguous" in log.rejects["reason"].iloc[0]
    ok = caselog.load(path, tzinfos={"IST": "Asia/Kolkata"})
    assert ok.messages["sent_at"].iloc[0] == pd.Timestamp("2026-03-14 08:35", tz="UTC")
