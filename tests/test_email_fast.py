"""The fast e-mail reading (:mod:`caselog.io._mime`, the bytes mbox split) against the standard
library's: for any mail, the same row or the same reason, whichever path reads it."""

from __future__ import annotations

import email
import mailbox
from email.message import Message
from email.policy import compat32
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caselog.io import _email
from caselog.io._addresses import AmazonAddresses
from caselog.io._mime import HEADERS, Facts, Unsure, parse, parse_simple
from caselog.io._replies import _reply_parser

MAIL = Path(__file__).parent / "data" / "mail"
SAMPLE = Path(__file__).parent.parent / "data" / "sample" / "sources" / "caselog_sample.mbox"
_PARSER = _reply_parser()


def _outcome(read, raw: bytes):
    memo = _email._Memo(AmazonAddresses())  # noqa: SLF001
    try:
        return read(raw, 1, "m", memo, _PARSER)
    except Exception as exc:  # noqa: BLE001 - the reason reported is compared
        return ("unreadable", type(exc).__name__, str(exc))


def _same(raw: bytes) -> None:
    _same_tree(raw)
    fast = _outcome(_email._read_fast, raw)  # noqa: SLF001
    ref = _outcome(_email._read_parsed, raw)  # noqa: SLF001
    assert fast == ref


def _tree_of_message(msg: Message) -> tuple:
    headers = {h: msg.get(h) for h in sorted(HEADERS) if msg.get(h) is not None}
    payload = msg._payload  # noqa: SLF001 - the parsed structure itself is compared
    if isinstance(payload, list):
        return msg.get_content_type(), headers, None, [_tree_of_message(p) for p in payload]
    raw = None if payload is None else payload.encode("ascii", "surrogateescape")
    return msg.get_content_type(), headers, raw, None


def _tree_of_part(part) -> tuple:
    children = None if part.children is None else [_tree_of_part(p) for p in part.children]
    return part.ctype, dict(sorted(part.headers.items())), part.payload, children


def _same_tree(raw: bytes) -> bool:
    """Whether the fast reading gives email.parser's tree (False: it left the mail to it)."""
    simple = parse_simple(raw, Facts())
    try:
        part = parse(raw, Facts())
    except Unsure:
        assert simple is None  # the simple shape is a part of what the port reads
        return False
    tree = _tree_of_part(part)
    assert tree == _tree_of_message(email.message_from_bytes(raw, policy=compat32))
    if simple is not None:
        assert _tree_of_part(simple) == tree
    return True


def _box_mails(path: Path) -> list[bytes]:
    box = mailbox.mbox(str(path), create=False)
    try:
        return [box.get_bytes(k).replace(b"\n>From ", b"\nFrom ") for k in box.keys()]
    finally:
        box.close()


# --------------------------------------------------------------------------- real formats


@pytest.mark.parametrize("path", sorted(MAIL.glob("*.eml")) + sorted((MAIL / "folder").glob("*.eml")),
                         ids=lambda p: p.name)
def test_fixture_mails_read_the_same(path):
    _same(path.read_bytes())


@pytest.mark.parametrize("path", [MAIL / "inbox.mbox", SAMPLE], ids=lambda p: p.name)
def test_mbox_split_and_mails_the_same(path):
    if not path.exists():
        pytest.skip("sample sources not written")
    ref = _box_mails(path)
    assert list(_email._mbox_mails(path.read_bytes())) == ref  # noqa: SLF001
    for raw in ref:
        _same(raw)


def test_sample_mails_take_the_fast_path():
    """The fast reading is not merely a detour to email.parser: the sample's mails all take it."""
    if not SAMPLE.exists():
        pytest.skip("sample sources not written")
    facts = Facts()
    for raw in _box_mails(SAMPLE):
        parse(raw, facts)  # raises Unsure for a mail it leaves to email.parser
        assert _same_tree(raw)


def test_unsure_cases_go_to_email_parser():
    for raw in (b"From: a@b\nSubject: J\xc3\xbcrgen\n\nx\n", b"Subject: x\nFrom x\nTo: y\n\nz\n",
                b"Content-Type: message/delivery-status\n\nAction: failed\n"):
        with pytest.raises(Unsure):
            parse(raw, Facts())
        _same(raw)


# --------------------------------------------------------------------------- any mail

_EOLS = st.sampled_from(["\n", "\r\n", "\r"])
_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
_LINE = st.one_of(
    _TEXT.map(lambda t: t.replace("\n", " ").replace("\r", " ")),
    st.sampled_from(["--B", "--B--", "--C", "--C--", "--B  ", "--B--x", "From the start", ">From x",
                     "On Mon, 9 Mar 2026, A <a@amazon.com> wrote:", "> quoted", "-- ", "Case ID: 12345678901",
                     "=C3=BC=", "SGVsbG8gd29ybGQ=", "", " folded", "x: y", ":z"]),
)
_CTYPES = st.sampled_from([
    None, "text/plain", "text/plain; charset=utf-8", "text/plain; charset=\"iso-8859-1\"",
    "text/plain; charset=bogus", "text/html; charset=utf-8", "text/calendar", "application/pdf; name=a.pdf",
    "image/png; name=\"logo.png\"", "message/rfc822", "message/global", "multipart/mixed; boundary=B",
    "multipart/alternative; boundary=\"C\"", "multipart/mixed; boundary=\"B\"; charset=x",
    "multipart/related; boundary=C ", "multipart/digest; boundary=B", "multipart/mixed", "bogus",
    "text/plain; name*=utf-8''r%C3%A9sum%C3%A9.txt", "multipart/mixed; boundary*=utf-8''B",
    "Multipart/Mixed; Boundary=B",
])
_DISPOSITIONS = st.sampled_from([None, "attachment", "inline", "attachment; filename=\"x.ics\"",
                                 "inline; filename=a.pdf", "ATTACHMENT", "attachment; filename*=utf-8''%C3%A9.pdf"])
_ENCODINGS = st.sampled_from([None, "base64", "quoted-printable", "7bit", "8bit", "uuencode", "BASE64", "base64 "])


@st.composite
def _part_headers(draw) -> list[str]:
    headers = []
    for name, values in (("Content-Type", _CTYPES), ("Content-Disposition", _DISPOSITIONS),
                         ("Content-Transfer-Encoding", _ENCODINGS)):
        value = draw(values)
        if value is not None:
            if draw(st.integers(0, 5)) == 0:  # folded over two lines
                head, _, tail = value.partition(";")
                value = head + (";\n\t" + tail if tail else "")
            headers.append(f"{name}: {value}")
    if draw(st.booleans()):
        headers.append("Content-ID: " + draw(st.sampled_from(["<logo@x>", ""])))
    return headers


@st.composite
def _body(draw, depth: int = 0) -> str:
    lines = draw(st.lists(_LINE, max_size=6))
    if depth < 2 and draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            sep = draw(st.sampled_from(["--B", "--C"]))
            lines.append(sep)
            lines += draw(_part_headers())
            lines.append("")
            lines.append(draw(_body(depth + 1)))
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["--B--", "--C--"])))
        lines += draw(st.lists(_LINE, max_size=2))
    return "\n".join(lines)


@st.composite
def _any_mail(draw) -> bytes:
    sender = draw(st.sampled_from(["seller-performance@amazon.com", "Me <me@shop.example>", "=?utf-8?q?J=C3=BCrgen?= <j@x.example>",
                                   "marketing@amazon.com", "", "<<>>", "auto-confirm@amazon.com"]))
    headers = [f"From: {sender}",
               "To: " + draw(st.sampled_from(["me@shop.example", "seller-support@amazon.com", "a@b, c@amazon.fr", ""])),
               "Subject: " + draw(st.sampled_from(["Case 12345678901", "=?utf-8?b?w4RyZ2Vy?=", "Re: x", "", "Your order #1"])),
               "Date: " + draw(st.sampled_from(["Mon, 09 Mar 2026 10:02:00 +0000", "Mon, 09 Mar 2026 10:02:00 -0000",
                                                "Sat, 14 Mar 2026 14:05:00 IST", "garbage", ""]))]
    headers += draw(_part_headers())
    extra = draw(st.lists(st.sampled_from([
        "Message-ID: <1@x>", "In-Reply-To: <1@x>", "References: <0@x> <1@x>", "List-Id: <l.x>",
        "Precedence: bulk", "Auto-Submitted: auto-replied", "X-Note: caf\u00e9", " orphan continuation",
        ":no name", "Received: from x\n by y", "Subject: second subject", "From the envelope",
    ]), max_size=3))
    headers += extra
    separator = draw(st.sampled_from(["\n", "", "\n\n"]))
    text = "\n".join(headers) + "\n" + separator + draw(_body())
    eol = draw(_EOLS)
    if eol != "\n":
        text = text.replace("\n", eol)
    return text.encode(draw(st.sampled_from(["utf-8", "latin-1"])), "replace")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_any_mail())
def test_any_mail_reads_the_same_fast_and_through_email_parser(raw):
    _same(raw)


def test_most_generated_mails_take_the_fast_path():
    fast = []

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(_any_mail())
    def run(raw):
        fast.append(_same_tree(raw))

    run()
    assert sum(fast) >= 0.5 * len(fast)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([b"From a@b Mon Mar  9 10:02:00 2026\n", b"\n", b"x\n", b">From q\n",
                                 b"From:x\n", b"y", b"From \n", b"\r\n"]), max_size=12))
def test_mbox_split_is_mailbox_split(tmp_path, pieces):
    data = b"From a@b Mon Mar  9 10:02:00 2026\n" + b"".join(pieces)
    p = tmp_path / "box.mbox"
    p.write_bytes(data)
    assert list(_email._mbox_mails(data)) == _box_mails(p)  # noqa: SLF001


# --------------------------------------------------------------------------- fast text tests

_WORDY = st.lists(st.one_of(
    st.sampled_from(["wrote", "WROTE", "Schrieb", "a écrit", "A ÉCRIT", "ha scritto", "escribió", "ESCRIBIÓ",
                     "schreef", "skrev", "ſkrev", "SKREV", "2026年", "年", "From:", "\nfrom :", "\n** Sent:",
                     "\nEnvoyé :", "\nFRÅN:", "\nde:", "Case ID: 12345678901", "CASE 1234567890", "ca\u017fe 123456789",
                     "Fall-ID 12345678901", "caso 12345678", "ID de cas : 12345678901", "case #12345678",
                     "\u212aase", "n° 12345678", "case no. 123456789012", "1234567", "١٢٣٤٥٦٧٨٩", "\n", " ", "x"]),
    st.text(max_size=8)), max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(_WORDY)
def test_maybe_header_is_the_one_big_pattern(text):
    from caselog.io._replies import _MAYBE_HEADER, _maybe_header

    assert _maybe_header(text) == (_MAYBE_HEADER.search(text) is not None)


@settings(max_examples=500, deadline=None)
@given(_WORDY, _WORDY)
def test_find_case_id_is_the_case_blind_pattern(a, b):
    from caselog.io._raw import _CASE_ID, find_case_id

    def reference(*texts):
        for text in texts:
            m = _CASE_ID.search(text) if text else None
            if m:
                return m.group(1)
        return ""

    assert find_case_id(a, b) == reference(a, b)


def test_the_reader_asks_only_for_headers_the_fast_reading_keeps():
    asked = set()
    raw = (MAIL / "notice.eml").read_bytes()
    headers = parse(raw, Facts()).headers

    def get(name):
        asked.add(name)
        return headers.get(name)

    memo = _email._Memo(AmazonAddresses())  # noqa: SLF001
    _email._read_one(get, ("Hi", "", 0, False), 1, "m", memo, _PARSER)  # noqa: SLF001
    assert asked and asked <= HEADERS


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(["", "Mon, ", "Sun, ", "mon, ", "Mon "]), st.integers(0, 32), st.sampled_from(["Jan", "Feb", "Jun", "Dec", "dec"]),
       st.sampled_from(["2026", "1999", "2024", "2000", "1900", "0099", "99", "10000"]), st.sampled_from(["10:02:00", "23:59:60", "24:00:00", "9:05:07", "10:02"]),
       st.sampled_from(["+0000", "-0000", "-0700", "+0530", "+2359", "+2400", "-9959", "+0199", "GMT", "IST", "+0000 (UTC)", ""]))
def test_plain_dates_read_as_email_utils_reads_them(weekday, day, month, year, time, zone):
    from email.utils import parsedate_to_datetime

    value = " ".join(f"{weekday}{day} {month} {year} {time} {zone}".split())

    def reference(value):  # _sent_at without its fast branch
        if not value.strip():
            return ""
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return value.strip()
        if dt.tzinfo is None:
            if not __import__("re").search(r"-0000\s*(?:\([^)]*\))?\s*$", value.strip()):
                return __import__("re").sub(r"\s*\([^)]*\)\s*$", "", value.strip())
            dt = dt.replace(tzinfo=__import__("datetime").UTC)
        return dt.isoformat()

    assert _email._sent_at(value) == reference(value)  # noqa: SLF001


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\t", "\n", "\r", "\r\n", "\xa0", "\x1c", "\x85", "\u2028", "\u3000", "b c"]),
                max_size=30).map("".join))
def test_tidy_text_strips_each_line(text):
    import re

    from caselog.io._replies import tidy_text

    t = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    expected = re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in t.split("\n"))).strip()
    assert tidy_text(text) == expected
    # the white space around each line end as one pattern (the earlier tidy_text): the same
    assert re.sub(r"\n{3,}", "\n\n", re.sub(r"[^\S\n]*\n[^\S\n]*", "\n", t)).strip() == expected


def test_mails_without_subject_or_case_are_threads_named_by_their_smallest_message_id(tmp_path):
    import hashlib

    def mail(mid, reply=""):
        return (f"From: seller-support@amazon.com\nTo: me@shop.example\nMessage-ID: <{mid}@x>\n"
                + (f"In-Reply-To: <{reply}@x>\n" if reply else "") + "Date: Mon, 09 Mar 2026 10:02:00 +0000\n\nHello\n")

    box = mailbox.mbox(str(tmp_path / "b.mbox"))
    for m in (mail("b2"), mail("a1", reply="b2"), mail("c3")):
        box.add(m)
    box.flush()
    box.close()
    cases = _email.read_email(tmp_path / "b.mbox").frame["case_id"].tolist()
    name = {k: "email-" + hashlib.sha1(f"<{k}@x>".encode()).hexdigest()[:8] for k in ("a1", "c3")}
    assert cases == [name["a1"], name["a1"], name["c3"]]


_HTML_WORD = st.lists(st.one_of(st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "*", "-", "1.", "--", ">", "&"]),
                                st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"))), min_size=1, max_size=5).map("".join)
_HTML_LINE = st.one_of(st.lists(_HTML_WORD, min_size=1, max_size=4).map(" ".join),
                       st.lists(_HTML_WORD, max_size=3).map(lambda w: " ".join(w) + " "), st.just(""))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_HTML_LINE, min_size=1, max_size=3).map("<br>".join), min_size=1, max_size=3),
       st.sampled_from(["", "\n"]))
def test_simple_html_text_is_what_inscriptis_gives(paragraphs, end):
    from inscriptis import get_text

    from caselog.io._replies import _simple_html_text, tidy_text

    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>" + end
    fast = _simple_html_text(html)
    if fast is not None:
        assert fast == tidy_text(get_text(html))


_HTML_PIECE = st.sampled_from([
    "<p>", "</p>", "<br>", "</p><p>", "<html><body>", "</body></html>", "<b>", "<br/>", "a", "word", "é", "日本",
    " ", "  ", "\n", "\t", "\xa0", "\x85", "\u2028", "\x1c", "\x00", "\x7f", "\x9f", "\xa1", "&amp;", "&lt;", "&gt;",
    "&quot;", "&#x27;", "&", "&amp", "&nbsp;", ";", "<", ">", "-- ", "Case ID: 1",
])


@settings(max_examples=800, deadline=None)
@given(st.lists(_HTML_PIECE, max_size=14).map("".join), st.booleans(), st.sampled_from(["", "\n", "\n\n", " "]))
def test_simple_html_test_is_the_simple_html_pattern(middle, wrapped, end):
    from caselog.io._replies import _SIMPLE_HTML, _simple_html_inner

    html = ("<html><body><p>" + middle + "</p></body></html>" if wrapped else middle) + end
    assert (_simple_html_inner(html) is not None) == (_SIMPLE_HTML.fullmatch(html) is not None)


def test_sample_html_mails_are_simple_html():
    from caselog.io._replies import _simple_html_text
    from caselog.sample._sources import _html

    assert _simple_html_text(_html("Hello,\nwe need invoices & <receipts>.\n\nThanks\n\n-- \nCase ID: 1\n")) == \
        "Hello,\nwe need invoices & <receipts>.\n\nThanks\n\n--\nCase ID: 1"
    assert _simple_html_text("<html><body><p>a</p><script>x</script></body></html>") is None


# --------------------------------------------------------------------------- the simple shape

_QP = "Hello J=C3=BCrgen, the case is=\n open.=20\nCase ID: 12345678901\n"
_B64 = "SGVsbG8gSsO8cmdlbiwKQ2FzZSBJRDogMTIzNDU2Nzg5MDEK\n"
_SIMPLE_LEAVES = st.sampled_from([
    ("text/plain; charset=\"utf-8\"", "quoted-printable", _QP),
    ("text/plain; charset=utf-8", "base64", _B64),
    ("text/plain; charset=\"iso-8859-1\"", "8bit", "Gr\xfc\xdfe\n\nOn Mon, 9 Mar 2026, A <a@amazon.com> wrote:\n> x\n"),
    ("text/plain", None, "Thanks.\n-- \nJane\n"),
    ("text/html; charset=\"utf-8\"", "quoted-printable", "<html><body><p>Hi,<br>ok</p></body></html>\n"),
    ("text/html", "7bit", "<div>a<b>b</b></div>\n\n"),
    ("application/pdf", "base64", "JVBERi0xLjQK\n"),
    ("image/png; name=\"logo.png\"", "base64", "iVBORw0K\n"),
    ("text/calendar; charset=utf-8", "7bit", "BEGIN:VCALENDAR\n"),
    ("message/rfc822", None, "From: a@b\n\nx\n"),
    ("multipart/alternative; boundary=\"C\"", None, "--C\n\nx\n--C--\n"),
    (None, None, "plain text\n\n\n"),
    (None, "base64", "\n"),
])
_SIMPLE_HEADER = st.sampled_from([
    "From: Amazon Seller Support <seller-support@amazon.com>", "From: =?utf-8?q?J=C3=BCrgen?= <j@shop.example>",
    "From: \"Shop, Team\" <me@shop.example>", "To: Amazon Seller Support <seller-support@amazon.com>",
    "To: me@shop.example,\n c@amazon.fr", "Cc: =?iso-8859-1?q?M=FCller?= <m@amazon.de>",
    "Subject: RE: [CASE 12345678901] Listing", "Subject: =?utf-8?b?w4RyZ2Vy?= mit\n =?utf-8?q?Umlauten?=",
    "Subject: folded\n\tover lines", "Subject:", "Date: Mon, 09 Mar 2026 10:02:00 +0000", "Date: Thu, 5 Mar 2026 21:33:00 -0800",
    "Date:  Mon, 09 Mar 2026 10:02:00 -0000 (UTC)", "Message-ID: <1@x>", "In-Reply-To: <0@x>", "References: <a@x>\n <0@x>",
    "MIME-Version: 1.0", "X-Mailer: caselog", "Received: from a\n\tby b", "content-type: text/plain; charset=us-ascii",
    "SUBJECT: upper case", "Auto-Submitted: auto-replied", "List-Id: <l.x>", "Content-ID: <logo@x>",
])


@st.composite
def _simple_part(draw, boundary_ok: bool = True) -> str:
    ctype, cte, payload = draw(_SIMPLE_LEAVES)
    headers = []
    if ctype is not None:
        headers.append("Content-Type: " + ctype)
    if cte is not None:
        headers.append("Content-Transfer-Encoding: " + cte)
    headers += draw(st.lists(st.sampled_from([
        "Content-Disposition: attachment; filename=\"a.pdf\"", "Content-Disposition: inline", "Content-ID: <logo@x>",
        "MIME-Version: 1.0", "X-Note: x\n y"]), max_size=2))
    blank = draw(st.sampled_from(["\n"] * 5 + [""]))  # "": no blank line after the headers
    return "\n".join(headers) + ("\n" if headers else "") + blank + payload


@st.composite
def _near_simple_mail(draw) -> bytes:
    """Mails of the simple shape and near it (a perturbation makes parse_simple leave most to parse)."""
    headers = draw(st.lists(_SIMPLE_HEADER, min_size=1, max_size=8))
    if draw(st.booleans()):
        b = draw(st.sampled_from(["B", "=_caselog_4_0", "b'(x)+_,./:=?", "B-"]))
        quoted = draw(st.sampled_from([f"\"{b}\"", f"\"{b}\"", b if "(" not in b else f"\"{b}\""]))
        headers.append(draw(st.sampled_from(["multipart/mixed", "multipart/alternative", "multipart/related"] * 2
                                            + ["multipart/digest"])).join(["Content-Type: ", f"; boundary={quoted}"]))
        lines = draw(st.lists(st.sampled_from(["This is a multi-part message.", "", f"--{b}x"]), max_size=2))
        for _ in range(draw(st.integers(1, 3))):
            lines.append(draw(st.sampled_from([f"--{b}"] * 4 + [f"--{b} \t", f"--{b}\n--{b}"])))
            lines.append(draw(_simple_part()))
        lines.append(draw(st.sampled_from([f"--{b}--"] * 4 + [f"--{b}-- ", f"--{b}--x", ""])))
        lines += draw(st.lists(st.sampled_from(["epilogue", f"--{b}", ""]), max_size=2))
        body = "\n".join(lines)
    else:
        body = draw(_simple_part())
        head, _, body = body.partition("\n\n") if "\n\n" in body else ("", "", body)
        headers += [h for h in head.split("\n") if h]
    text = "\n".join(headers) + "\n" + draw(st.sampled_from(["\n", "\n", "", "\n\n"])) + body
    text += draw(st.sampled_from(["", "\n", "\r\n"]))
    return text.encode(draw(st.sampled_from(["utf-8", "latin-1"])), "replace")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_near_simple_mail())
def test_simple_shape_reads_the_same_as_email_parser(raw):
    _same(raw)


def test_the_simple_shape_is_common_among_generated_mails():
    simple = []

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None,
              derandomize=True)  # a fixed draw: a share of random draws can fall short by chance
    @given(_near_simple_mail())
    def run(raw):
        part = parse_simple(raw, Facts())
        simple.append(0 if part is None else 2 if part.children else 1)

    run()
    assert simple.count(1) >= 0.15 * len(simple) and simple.count(2) >= 0.05 * len(simple)


def test_sample_mails_take_the_simple_path():
    if not SAMPLE.exists():
        pytest.skip("sample sources not written")
    facts = Facts()
    mails = _box_mails(SAMPLE)
    assert sum(parse_simple(raw, facts) is not None for raw in mails) >= len(mails) - 2


_SPACY = st.lists(st.one_of(st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "\xa0", "\x1c", "\x85", "\u3000", "\n\n\n"]), _WORDY),
                  max_size=10).map("".join)


@settings(max_examples=600, deadline=None)
@given(_SPACY)
def test_case_id_of_a_text_is_the_case_id_of_it_tidied(text):
    """The reader searches a mail's text as it is for a case ID, not its tidied form (tidying
    only shortens runs of white space): the same ID either way."""
    from caselog.io._raw import find_case_id
    from caselog.io._replies import tidy_text

    assert find_case_id(text) == find_case_id(tidy_text(text))


_SEPARATOR_TEXT = st.lists(st.one_of(_WORDY, st.sampled_from([
    "--", "-", "---- Forwarded message ----", "-----Original Message-----", "Begin forwarded message:",
    "BEGIN FORWARDED MESSAGE:", "begin forwarded meſsage:", "Anfang der weitergeleiteten Nachricht:",
    "Début du message réexpédié", "DÉBUT DU MESSAGE RÉEXPÉDIÉ :", "_" * 19, "_" * 20, "\n", " > ", "\t",
    "-- Message d'origine --", "Oorspronkelijk bericht", "forwarded message", "ORIGINAL MESSAGE", "mensaje",
    " original", "--\t", "Messaggio Originale", "Weitergeleitete Nachricht", "Doorgestuurd bericht"])),
    max_size=8).map("".join)


@settings(max_examples=600, deadline=None)
@given(_SEPARATOR_TEXT)
def test_separator_prefilter_never_skips_a_match(text):
    from caselog.io._replies import _SEPARATOR, _may_separate

    if _SEPARATOR.search(text):
        assert _may_separate(text)


_SPACED = st.lists(st.one_of(_WORDY, st.sampled_from(["\v", "\x1c", "\x1f", "\f", "\t", "Case\vID: 12345678901",
                                                       "case\x1c12345678", "CASE\t#1234567890123", "_case 12345678"])),
                   max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPACED, min_size=0, max_size=40))
def test_find_case_ids_is_find_case_id_of_each(texts):
    from caselog.io._raw import find_case_id, find_case_ids

    assert find_case_ids(texts) == [find_case_id(t) for t in texts]


def test_find_case_ids_of_many_texts_searches_them_at_once():
    from caselog.io._raw import find_case_id, find_case_ids

    texts = ["Case ID: 12345678901", "no id", "FALL-Nr. 123456789", "case\v12345678", "Ärger: case 98765432",
             "case 1234567890123", "see case#12345678 and case 87654321"] * 5
    assert find_case_ids(texts) == [find_case_id(t) for t in texts]


_HEADER_BLOCK_LINES = st.lists(st.one_of(
    st.tuples(st.sampled_from(["From", "from", "FROM", "To", "Cc", "CC", "Subject", "subject", "Date", "Message-ID",
                               "Message-Id", "In-Reply-To", "References", "Content-Type", "content-type",
                               "Content-ID", "Content-Id", "List-Id", "Received", "X-Mailer", "Fromage", "a"]),
              st.sampled_from(["", " ", "\t", "  \t"]),
              st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)).map(lambda t: f"{t[0]}:{t[1]}{t[2]}"),
    st.tuples(st.sampled_from([" ", "\t"]),
              st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=10)).map("".join),
), min_size=1, max_size=12)


@settings(max_examples=500, deadline=None)
@given(_HEADER_BLOCK_LINES)
def test_simple_headers_line_by_line_is_the_header_pattern(lines):
    import re

    from caselog.io._mime import _BLOCK, _simple_headers

    block = ("\n".join(lines) + "\n").encode("ascii")
    if _BLOCK.fullmatch(block) is None:  # a block starting with a continuation line
        assert _simple_headers(block) is None
        return
    field = re.compile(r"^(" + "|".join(re.escape(h) for h in sorted(HEADERS)) + r"):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)",
                       re.MULTILINE | re.IGNORECASE | re.ASCII)
    reference: dict[str, str] = {}
    for name, value in field.findall(block.decode("ascii")):
        reference.setdefault(name.lower(), value)
    assert _simple_headers(block) == reference
    assert _simple_headers(block) == parse(block + b"\n", Facts()).headers


_DATES = st.builds(
    lambda w, d, m, y, t, z: " ".join(f"{w}{d} {m} {y} {t} {z}".split()),
    st.sampled_from(["", "Mon, ", "Sun, ", "mon, "]), st.integers(0, 32),
    st.sampled_from(["Jan", "Feb", "Apr", "Jun", "Dec", "dec"]),
    st.sampled_from(["2026", "2024", "2000", "2100", "1900", "0099", "10000"]),
    st.sampled_from(["10:02:00", "23:59:60", "24:00:00", "9:05:07", "00:00:00"]),
    st.sampled_from(["+0000", "-0000", "-0700", "+0530", "+2359", "+2400", "-0060", "GMT", "IST", "+0000 (UTC)", ""]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_DATES, st.sampled_from(["", "garbage", "Mon, 09 Mar 2026 10:02:00 +0000\u00e9"])),
                max_size=40))
def test_sent_ats_is_sent_at_of_each(values):
    assert _email._sent_ats(values) == [_email._sent_at(v) for v in values]  # noqa: SLF001


@pytest.mark.parametrize("rows", [[1, 2, 3, 4], [4, 2, 9, 1], [1, 1, 2, 3]], ids=["ordered", "shuffled", "repeated"])
def test_relabel_by_position_is_the_lookup(rows):
    import numpy as np
    import pandas as pd

    from caselog.io._raw import RawTable
    from caselog.io._sources import relabel

    raw = RawTable(frame=pd.DataFrame(), file="box.mbox", rows=np.asarray(rows, dtype=np.int64),
                   where=("message 1", "box.mbox", "message 3", "message 4"))
    frame = pd.DataFrame({"_row": [4, 1, 7, 2, 3, 1], "body": list("abcdef")})
    words = {}
    for r, w in zip(rows, raw.where, strict=True):
        words[r] = w
    expect = [f"box.mbox {words.get(r, f'row {r}')}" if words.get(r) != "box.mbox" else "box.mbox"
              for r in frame["_row"]]
    got = relabel(frame, raw, "_row")
    assert got["source"].tolist() == expect
    assert "source" not in frame and got["body"].tolist() == list("abcdef")


_ANY_HEADER_LINE = st.one_of(
    _HEADER_BLOCK_LINES.map(lambda lines: lines[0]),
    st.sampled_from(["", "From", "From x", "From : x", " From: x", ":x", "Subject\tx", "To:\x7f", "X Y: z",
                     "Date:\rx", "Subject: \xe9"]),
    st.text(st.characters(max_codepoint=127, blacklist_characters="\n"), max_size=10),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_ANY_HEADER_LINE, max_size=8), min_size=1, max_size=4), st.booleans())
def test_simple_headers_checks_the_block_shape_itself(blocks, trailing):
    """The line-by-line reading refuses exactly the blocks the header-block pattern refuses,
    and reads the same values whatever names an earlier block of the read left remembered."""
    from caselog.io._mime import _BLOCK, _simple_headers

    names: dict[str, str] = {}
    for lines in blocks:
        block = ("\n".join(lines) + ("\n" if trailing or not lines else "")).encode("utf-8")
        fresh = _simple_headers(block)
        assert (fresh is None) == (not block.isascii() or _BLOCK.fullmatch(block) is None)
        assert _simple_headers(block, names) == fresh
        if fresh is not None and b"\r" not in block:  # (parse_simple leaves \r to parse)
            assert fresh == parse(block + b"\n", Facts()).headers


_SPACEY = st.lists(st.sampled_from(["a", "b", " ", "\n", "\t", "\x0b", "\x0c", "\x1c", "\x1f", "\r", "\xa0", "\u2028",
                                    "\x85", "é", ">", ":", "from", "wrote", "De", "* sent"]), max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(_SPACEY)
def test_tidy_text_without_the_line_strips_is_the_line_strips(text):
    from caselog.io._replies import _BLANK_RUN, tidy_text

    plain = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    plain = "\n".join([line.strip() for line in plain.split("\n")])
    assert tidy_text(text) == (_BLANK_RUN.sub("\n\n", plain) if "\n\n\n" in plain else plain).strip()


@settings(max_examples=300, deadline=None)
@given(_SPACEY)
def test_maybe_header_is_the_header_pattern(text):
    from caselog.io._replies import _MAYBE_HEADER, _maybe_header

    assert _maybe_header(text) == bool(_MAYBE_HEADER.search(text))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["-", "--", "-- ", " ", "\n", "a", "\r", "\u2028", "\x85"]), max_size=14).map("".join))
def test_signature_start_is_the_signature_pattern(text):
    from caselog.io._replies import _SIGNATURE, _signature_start

    m = _SIGNATURE.search(text)
    assert _signature_start(text) == (m.start() if m else -1)


_SUBJECT = st.lists(st.one_of(st.sampled_from([
    "Order Confirmation", "your ORDER", "order #", "Order#", "has shipped", "HAS BEEN SHIPPED", "has  shipped",
    "Shipment", "ſhipment", "delivery update", "Delivery Notification", "delivery", "Bestellbestätigung",
    "BESTELLBESTÄTIGUNG", "ihre Bestellung", "Versandbestätigung", "confirmation de votre commande",
    "Confirmation de commande", "votre commande", "conferma dell'ordine", "Conferma ordine", "confirmación de pedido",
    "CONFIRMACIÓN DE PEDIDO", "orde", "ordine", "\u212a", "Re: ", "Case 12345678901", " ", "é"]), st.text(max_size=6)),
    max_size=6).map("".join)


@settings(max_examples=800, deadline=None)
@given(_SUBJECT)
def test_order_subject_is_the_order_pattern(subject):
    assert _email._order_subject(subject) == (_email._ORDER_SUBJECT.search(subject) is not None)  # noqa: SLF001


@settings(max_examples=300, deadline=None)
@given(st.one_of(_SEPARATOR_TEXT, _WORDY))
def test_prefilters_given_the_lower_cased_text_are_the_prefilters(text):
    from caselog.io._replies import _may_separate, _maybe_header

    low = text.lower() if text.isascii() else None
    assert _may_separate(text, low) == _may_separate(text)
    assert _maybe_header(text, low) == _maybe_header(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPACED, min_size=0, max_size=20))
def test_space_byte_search_is_the_space_pattern_on_each(texts):
    import pyarrow as pa
    import pyarrow.compute as pc

    from caselog.io._raw import _RE2_SPACE_DIFFERS, _holds_space_re2_differs_on

    arr = pa.array(texts, type=pa.large_string())
    assert _holds_space_re2_differs_on(arr) == any(pc.match_substring_regex(arr, _RE2_SPACE_DIFFERS).to_pylist())


_HEADER_ASCII = st.lists(st.sampled_from([
    "from", "sent", "von", "gesendet", "de", "da", "van", "verzonden", "inviato", "enviado", "skickat", "xfrom", "fro",
    ":", " :", "  :", "\n:", "\t:", "\r:", "\x1c:", ": ", "::", " ", "*", "** ", "\t", "\n", "\r", "\x0b", "x", "case id: 1",
    "https://a", ":" * 20]), max_size=12).map("".join)


@settings(max_examples=800, deadline=None)
@given(_HEADER_ASCII)
def test_header_line_from_colons_is_the_header_line_pattern(low):
    from caselog.io._replies import _MAYBE_LINE_ASCII, _header_line_ascii

    assert _header_line_ascii(low) == (_MAYBE_LINE_ASCII.search(low) is not None)


_MSGID_HEADER = st.one_of(st.none(), st.lists(st.sampled_from([
    "<a@b>", "<c.1@d.example>", "<a@b>", " ", "\n ", "\t", "<", ">", "<x", "y>", "<<z>>", "<e f>", "junk", "\xa0",
    "<\u3000@x>", "<é@x>"]), max_size=6).map("".join))


@settings(max_examples=600, deadline=None)
@given(_MSGID_HEADER, _MSGID_HEADER)
def test_thread_ids_are_the_ids_of_each_header(references, in_reply_to):
    msgid = _email._MSGID  # noqa: SLF001
    replied = msgid.findall(_email._unfolded(in_reply_to))  # noqa: SLF001
    refs = msgid.findall(_email._unfolded(references)) + replied  # noqa: SLF001
    parent = (replied or refs[-1:] or [""])[-1]
    assert _email._thread_ids(references, in_reply_to) == (" ".join(refs), parent)  # noqa: SLF001
    assert _email._thread_ids(references, in_reply_to)[0].split() == refs  # noqa: SLF001
