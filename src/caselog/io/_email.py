"""Read e-mail (an ``.mbox``, one ``.eml``, a folder of ``.eml``) as raw case messages.

Each mail that is case correspondence becomes one row: ``direction`` from the sender's domain
(an Amazon domain is ``amazon``, any other the seller side), ``team`` from the Amazon address or
display name (a seller's mail takes the team of its Amazon recipient), ``channel`` ``email``,
``case_id`` from a case ID in the subject or text, else from the thread (Message-ID,
In-Reply-To, References), else from the subject without ``Re:``/``Fwd:``/``AW:``/``WG:``/``TR:``;
``body`` only what the mail adds (see :mod:`._replies`); ``attachments`` the attached documents.
Mail that is not case correspondence is skipped with the reason; a mail that cannot be parsed
at all is reported as unreadable.
"""

from __future__ import annotations

import email
import hashlib
import mmap
import re
from datetime import UTC
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path

from ..errors import EmptyFileError, FileFormatError, SourceNotFoundError
from ._addresses import AmazonAddresses
from ._mime import Facts, Part, decoded_payload, parse, parse_simple
from ._raw import RawTable, Skipped, column_table, find_case_id, find_case_ids
from ._replies import _reply_parser, cut_reply, html_to_text

__all__ = ["read_email", "read_mbox", "read_eml", "read_eml_folder", "looks_like_mail", "MSG_ERROR"]

MSG_ERROR = (
    "is an Outlook .msg file, which caselog does not read (no well-kept, permissively licensed "
    ".msg reader exists); save the mail as .eml instead: in Outlook on the web or the new "
    "Outlook use Save as / Download, in Outlook for Mac or Thunderbird drag it to a folder"
)

_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|tr|sv|vs|antw|rif|r|réf|enc)\s*(?:\[\d+\])?\s*[:：]\s*)+", re.IGNORECASE
)
_ORDER_SUBJECT = re.compile(
    r"order confirmation|your order|order #|has shipped|has been shipped|shipment|delivery "
    r"(?:update|notification)|bestellbestätigung|ihre bestellung|versandbestätigung"
    r"|confirmation de (?:votre )?commande|votre commande|conferma (?:dell')?ordine|confirmación de pedido",
    re.IGNORECASE,
)
_MSGID = re.compile(r"<[^<>\s]+>")
_MISSING = object()
_BATCH = 4096  # mails settled at once (their texts are held until then)
_DATE_BATCH = 65536  # Date headers made ISO-8601 at once


def _order_subject(subject: str) -> bool:
    """``bool(_ORDER_SUBJECT.search(subject))``; an ASCII subject (where ignoring case is
    lower-casing) without a word that each alternative ASCII text can match holds is not
    searched (a search of the case-blind alternation takes microseconds)."""
    if subject.isascii():
        low = subject.lower()
        if not ("order" in low or "ordine" in low or "shipped" in low or "shipment" in low
                or "delivery" in low or "bestell" in low or "commande" in low):
            return False
    return _ORDER_SUBJECT.search(subject) is not None


def normalise_subject(subject: str) -> str:
    """A subject without reply/forward prefixes, lower case, single-spaced.

    Examples
    --------
    >>> normalise_subject("AW: WG: Re:  Your  Account")
    'your account'
    """
    return " ".join(_SUBJECT_PREFIX.sub("", subject or "").split()).lower()


#: what :func:`_read_one` reads of a mail, a tuple in this order (before thread assignment):
#: ``refs`` the Message-IDs of References and In-Reply-To apart by spaces; ``sent_at`` the
#: Date header as written until :func:`_table`, ``own_case`` the subject's case
#: ID until :func:`_settle`; ``text`` the text searched for a case ID after the body when the subject
#: has none (let go by :func:`_settle`); ``attachments`` the count as text
_FIELDS: tuple[str, ...] = (
    "number", "where", "message_id", "refs", "parent", "subject", "sent_at", "direction", "team",
    "body", "attachments", "own_case", "kind", "text",
)


# --------------------------------------------------------------------------- one message


def _raw_value(value: object) -> str:
    """A header as written (folded lines joined; RFC 2047 words still encoded)."""
    if value is None:
        return ""
    if not isinstance(value, str):  # an email.header.Header for undecodable bytes
        value = str(value)
    return " ".join(value.split())


def _unfolded(value: object) -> str:
    """A header as the parser stores it, as text (lines still folded)."""
    return value if isinstance(value, str) else "" if value is None else str(value)


def _raw(msg: Message, name: str) -> str:
    """A header of a parsed message as written."""
    return _raw_value(msg.get(name))


def _decode(value: str) -> str:
    """RFC 2047 encoded words decoded (``=?utf-8?q?J=C3=BCrgen?=`` -> ``Jürgen``)."""
    if "=?" not in value:
        return value
    try:
        return " ".join(str(make_header(decode_header(value))).split())
    except (LookupError, UnicodeError, ValueError, HeaderParseError):
        return value


class _Memo:
    """What one read works out once per distinct value: decoded headers, parsed addresses,
    the address book's answers, the parameters of a Content-Type (no state outlives it)."""

    def __init__(self, addresses: AmazonAddresses) -> None:
        self.addresses = addresses
        self.facts = Facts()
        self._seen: dict[tuple, object] = {}
        self._who: dict[tuple, tuple[str, str, str, str, str, str]] = {}

    def _once(self, key: tuple, work, *args):
        got = self._seen.get(key, _MISSING)
        if got is _MISSING:
            got = self._seen[key] = work(*args)
        return got

    def decode(self, value: str) -> str:
        return value if "=?" not in value else self._once(("decode", value), _decode, value)

    def address(self, raw: str) -> tuple[str, str]:
        """``(display name, address)`` of a one-address header."""
        def work() -> tuple[str, str]:
            display, address = parseaddr(raw)
            return _decode(display), address
        return self._once(("address", raw), work)

    def addresses_of(self, raws: tuple[str, ...]) -> list[tuple[str, str]]:
        """``(display name, address)`` of every address of these headers (empty ones left out)."""
        def work() -> list[tuple[str, str]]:
            return [(_decode(d), a) for d, a in getaddresses([r for r in raws if r]) if a]
        return self._once(("addresses", raws), work)

    def ask(self, question: str, *args: object):
        """``AmazonAddresses.<question>(*args)``, once per distinct arguments."""
        key = (question, *args)
        got = self._seen.get(key, _MISSING)
        if got is _MISSING:  # (:meth:`_once`, without the bound method made for every question)
            got = self._seen[key] = getattr(self.addresses, question)(*args)
        return got

    def case_in(self, subject: str) -> str:
        return self._once(("case", subject), find_case_id, subject)

    def who(self, values: tuple, calendar: bool) -> tuple[str, str, str, str, str, str]:
        """:func:`_who` of these headers (``TypeError`` when one of them is not hashable)."""
        key = (calendar, values)
        got = self._who.get(key)
        if got is None:
            got = self._who[key] = _who(values, calendar, self)
        return got


def _part_text(part: Message) -> str:
    """A text part decoded: transfer encoding (base64, quoted-printable), then its charset."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = str(part.get_payload() or "").encode("utf-8", "replace")
    return _text_of(payload, part.get_content_charset())


def _text_of(payload: bytes, charset: str | None) -> str:
    """Bytes of a text part as text: its charset, else UTF-8, else Windows-1252."""
    charset = (charset or "utf-8").strip().strip('"')
    for enc in (charset, "utf-8", "cp1252"):
        try:
            return payload.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", "replace")  # pragma: no cover - cp1252 decodes nearly all


def _is_document(part: Message) -> bool:
    """An attached document: ``Content-Disposition: attachment``, or a named part that is not
    inline; inline images of a signature or a layout (with a Content-ID) are not documents."""
    if part.is_multipart():
        return False
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment":
        return True
    if disposition == "inline":
        return False
    if part.get_filename() and not part.get("Content-ID"):
        return part.get_content_maintype() not in ("text", "multipart")
    return False


def _walk(msg: Message) -> tuple[str, str, int, bool]:
    """``(plain text, html, attached documents, has a calendar part)``; an attached or forwarded
    mail (``message/rfc822``) is one document and its own text is not this mail's."""
    plain: list[str] = []
    html: list[str] = []
    documents = 0
    calendar = False
    stack = [msg]
    while stack:
        part = stack.pop(0)
        ctype = part.get_content_type()
        if ctype == "text/calendar" or (part.get_filename() or "").lower().endswith(".ics"):
            calendar = True
            continue
        if ctype == "message/rfc822":
            documents += 1
            continue
        if part.is_multipart():
            payload = part.get_payload()
            stack[:0] = [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []
            continue
        if _is_document(part):
            documents += 1
        elif ctype == "text/plain":
            plain.append(_part_text(part))
        elif ctype == "text/html":
            html.append(_part_text(part))
    return "\n".join(plain), "\n".join(html), documents, calendar


def _walk_parts(root: Part, facts: Facts) -> tuple[str, str, int, bool]:
    """:func:`_walk` on the fast reading of :mod:`._mime` (the same rules, part for part)."""
    plain: list[str] = []
    html: list[str] = []
    documents = 0
    calendar = False
    stack = [root]
    while stack:
        part = stack.pop(0)
        headers = part.headers
        ctype = part.ctype
        cd = headers.get("content-disposition")
        charset, filename, _ = part.params or facts.params(headers.get("content-type"), cd)
        if ctype == "text/calendar" or (filename or "").lower().endswith(".ics"):
            calendar = True
            continue
        if ctype == "message/rfc822":
            documents += 1
            continue
        if part.children is not None:
            stack[:0] = part.children
            continue
        disposition = facts.disposition(cd) if cd is not None else ""
        if disposition == "attachment" or (
            disposition != "inline" and filename and not headers.get("content-id")
            and ctype.partition("/")[0] not in ("text", "multipart")
        ):
            documents += 1
        elif ctype == "text/plain":
            plain.append(_text_of(decoded_payload(part), charset))
        elif ctype == "text/html":
            html.append(_text_of(decoded_payload(part), charset))
    return "\n".join(plain), "\n".join(html), documents, calendar


_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # days of each month (February: 29 in a leap year)
# the Date header as nearly every mail program writes it; anything else goes to email.utils
_PLAIN_DATE = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([1-9][0-9]{3}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-5][0-9])"
)


def _sent_at(value: str) -> str:
    """ISO-8601 with offset from a Date header (``-0000`` is UTC); the raw text when unreadable."""
    plain = _PLAIN_DATE.fullmatch(value)
    if plain:  # what parsedate_to_datetime makes of it, without its general parsing
        day, month, year, hour, minute, second, sign, oh, om = plain.groups()
        d, m, y = int(day), _MONTHS[month], int(year)
        if (1 <= d <= (_DAYS[m] if m != 2 or y % 4 or (y % 100 == 0 and y % 400) else 29)
                and hour < "24" and minute < "60" and second < "60" and oh < "24"):
            # datetime(...).isoformat() of it (a zero offset is written +00:00)
            zone = ("+" if sign == "+" or oh == om == "00" else "-") + oh + ":" + om
            return f"{year}-{m:02d}-{d:02d}T{hour}:{minute}:{second}{zone}"
        # 31 February, hour 25, an offset of a day: as the library says
    if not value.strip():
        return ""
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return value.strip()
    if dt is None:
        return value.strip()
    if dt.tzinfo is None:
        # naive: either "-0000" (UTC, RFC 5322) or a zone name the e-mail parser does not know
        # (e.g. "IST"): the latter goes to the date parser, which applies or rejects it
        if not re.search(r"-0000\s*(?:\([^)]*\))?\s*$", value.strip()):
            return re.sub(r"\s*\([^)]*\)\s*$", "", value.strip())
        dt = dt.replace(tzinfo=UTC)
    return dt.isoformat()


# _PLAIN_DATE for Arrow's RE2 (the same expression: ASCII classes only), anchored as fullmatch
_PLAIN_DATE_RE2 = "^" + "".join(
    f"(?P<g{k}>" + piece if k else piece
    for k, piece in enumerate(re.split(r"\((?!\?)", _PLAIN_DATE.pattern))
) + "$"


def _sent_ats(values: list[str]) -> list[str]:
    """``[_sent_at(v) for v in values]``: the Date headers of the plain form turned into
    ISO-8601 all at once (Arrow), the others (and impossible dates) one by one."""
    if len(values) < 16:
        return [_sent_at(v) for v in values]
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(values, type=pa.string())
    except (pa.ArrowException, UnicodeError):  # a lone surrogate: one by one
        return [_sent_at(v) for v in values]
    parts = pc.extract_regex(arr, _PLAIN_DATE_RE2)
    day, month, year, hour, minute, second, sign, oh, om = (
        pc.fill_null(pc.struct_field(parts, [k]), "0") for k in range(_PLAIN_DATE.groups))
    ok = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    months = pc.fill_null(pc.index_in(month, value_set=pa.array(list(_MONTHS))), 0).to_numpy() + 1
    d = pc.cast(day, pa.int64()).to_numpy()
    y = pc.cast(year, pa.int64()).to_numpy()
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    last = np.asarray(_DAYS)[months] + ((months == 2) & leap)
    for text, bound in ((hour, "24"), (minute, "60"), (second, "60"), (oh, "24")):
        ok &= pc.less(text, bound).to_numpy(zero_copy_only=False)
    ok &= (d >= 1) & (d <= last)
    zone = pc.if_else(pc.or_(pc.equal(sign, "+"), pc.and_(pc.equal(oh, "00"), pc.equal(om, "00"))), "+", "-")
    mm = pc.utf8_lpad(pc.cast(pa.array(months), pa.string()), 2, "0")
    iso = pc.binary_join_element_wise(year, "-", mm, "-", pc.utf8_lpad(day, 2, "0"), "T", hour, ":", minute, ":",
                                      second, zone, oh, ":", om, "").to_pylist()
    for i in np.flatnonzero(~ok).tolist():
        iso[i] = _sent_at(values[i])
    return iso


def _skip_reason(get, sender: str, recipients: list[str], subject: str,
                 subject_case: str, calendar: bool, memo: _Memo) -> str:
    if calendar:
        return "calendar invitation"
    if not subject_case:
        precedence = memo.decode(_raw_value(get("precedence"))).strip().lower()
        if (memo.decode(_raw_value(get("list-unsubscribe"))) or memo.decode(_raw_value(get("list-id")))
                or precedence in ("bulk", "list", "junk")):
            return "newsletter or mailing list (List-Unsubscribe/List-Id/Precedence header)"
    if memo.ask("is_marketing", sender):
        return f"Amazon marketing ({parseaddr(sender)[1]})"
    if memo.ask("is_order_mail", sender) or (not subject_case and _order_subject(subject)):
        return "order or shipping confirmation"
    amazon_party = memo.ask("is_amazon", sender) or any(memo.ask("is_amazon", a) for a in recipients)
    if not amazon_party:
        return "neither from nor to an Amazon address"
    auto = memo.decode(_raw_value(get("auto-submitted"))).strip().lower()
    if auto and auto != "no" and not memo.ask("is_amazon", sender):
        return "automatic reply from the seller side (Auto-Submitted header)"
    return ""


#: the headers that decide whether a mail is case mail, who sent it to which team, and its subject
_WHO = ("from", "to", "cc", "subject", "precedence", "list-unsubscribe", "list-id", "auto-submitted")


def _who(values: tuple, calendar: bool, memo: _Memo) -> tuple[str, str, str, str, str, str]:
    """``(skip reason, subject, case ID in the subject, direction, team, kind)`` of a mail with
    these :data:`_WHO` headers (``reason`` ``""``: case mail; the rest is then filled in)."""
    get = dict(zip(_WHO, values, strict=True)).get
    name, address = memo.address(_raw_value(get("from")))
    recipients = memo.addresses_of((_raw_value(get("to")), _raw_value(get("cc"))))
    subject = memo.decode(_raw_value(get("subject")))
    subject_case = memo.case_in(subject)
    reason = _skip_reason(get, address, [a for _, a in recipients], subject, subject_case, calendar, memo)
    if reason:
        return reason, subject, subject_case, "", "", ""
    kind = ""
    if memo.ask("is_amazon", address):
        direction = "amazon"
        team = memo.ask("team_of", address, name) or ""
        auto = _raw_value(get("auto-submitted")).lower()
        if auto and auto != "no":  # Amazon's automatic acknowledgement of a mail
            kind = "acknowledgement"
    else:
        direction = "seller"
        team = next((t for t in (memo.ask("team_of", a, d) for d, a in recipients if memo.ask("is_amazon", a)) if t), "")
    return "", subject, subject_case, direction, team, kind


def _thread_ids(references: object, in_reply_to: object) -> tuple[str, str]:
    """``(refs, parent)`` of a mail with these References and In-Reply-To headers (as the parser
    stores them, or ``None``): the Message-IDs of References, then those of In-Reply-To, apart by
    spaces, and the last of In-Reply-To's, else of References', or ``""``.

    Message-IDs hold no white space: they are found in the headers as they are (not joined into
    one line), in one search (no ID spans the space put between the two). The IDs are kept as one
    text: a text is no object the garbage collector tracks (a list or tuple per mail, held until
    :func:`_table`, makes it collect more often, and walk them)."""
    ids = _MSGID.findall(_unfolded(references) + " " + _unfolded(in_reply_to))
    return " ".join(ids), ids[-1] if ids else ""


def _read_one(get, walked: tuple[str, str, int, bool], number: int, where: str, memo: _Memo,
              parser: object) -> tuple | str:
    """The mail's :data:`_FIELDS`, or the reason the mail is skipped (``"skip:..."``).

    ``get(name)`` gives the first header of that (lower-case) name as the parser stores it
    (``None`` when the mail has none; a name of :data:`._mime.HEADERS`); ``walked`` is
    :func:`_walk`'s ``(plain, html, documents, calendar)``. What the :data:`_WHO` headers decide
    is worked out once per distinct set of them (a thread repeats its sender, recipients and
    subject)."""
    plain, html, documents, calendar = walked
    values = tuple(map(get, _WHO))
    try:
        found = memo.who(values, calendar)
    except TypeError:  # an email.header.Header (a header with 8-bit bytes) is not hashable
        found = memo.who(tuple(map(_raw_value, values)), calendar)  # all _who reads of them
    reason, subject, subject_case, direction, team, kind = found
    if reason:
        return "skip:" + reason
    text = plain if plain and not plain.isspace() else html_to_text(html)  # (plain.strip(), without the copy)
    body = cut_reply(text, parser)
    message_id = _raw_value(get("message-id"))
    refs, parent = _thread_ids(get("references"), get("in-reply-to"))
    # the Date header as written (made ISO-8601 by _table, for many mails at once); without a
    # case ID in the subject, the case ID of the body, else of the text (searched, for many
    # mails at once, by _settle): a case ID is found in tidied text where it is found in the
    # text (only runs of white space differ, and a run stays a run): the text is searched as it is
    return (number, where, message_id, refs, parent, subject, _raw_value(get("date")), direction, team,
            body, str(documents), subject_case, kind, "" if subject_case else text)


def _settle(mails: list[tuple], columns: dict[str, list]) -> None:
    """What :func:`_read_one` leaves to be worked out for many mails at once, then these mails'
    fields added to ``columns`` (but ``text``): for each mail without a case ID in its subject,
    ``own_case`` the case ID of its body, else of its text (``find_case_id(body) or
    find_case_id(text)``), the bodies and then the texts searched all at once."""
    if not mails:
        return
    batch = dict(zip(_FIELDS, map(list, zip(*mails, strict=True)), strict=True))
    own = batch["own_case"]
    todo = [i for i, case in enumerate(own) if not case]
    if todo:
        bodies, texts = batch["body"], batch["text"]
        rest = []
        for i, case in zip(todo, find_case_ids([bodies[i] for i in todo]), strict=True):
            if case:
                own[i] = case
            else:
                rest.append(i)
        for i, case in zip(rest, find_case_ids([texts[i] for i in rest]), strict=True):
            own[i] = case
    for name, column in columns.items():
        column.extend(batch[name])


def _read_parsed(raw: bytes, number: int, where: str, memo: _Memo, parser: object) -> tuple | str:
    """One mail through :mod:`email` (the reference reading, and the one for unusual mail)."""
    msg = email.message_from_bytes(raw, policy=compat32)
    return _read_one(msg.get, _walk(msg), number, where, memo, parser)


def _read_fast(raw: bytes, number: int, where: str, memo: _Memo, parser: object) -> tuple | str:
    """One mail through :mod:`._mime` (its simple-shape reading, else its port of the feed
    parser); a mail it is not sure of, or one that fails, is read
    again by :func:`_read_parsed` (whose failure is the one reported)."""
    try:
        root = parse_simple(raw, memo.facts) or parse(raw, memo.facts)
        return _read_one(root.headers.get, _walk_parts(root, memo.facts), number, where, memo, parser)
    except Exception:  # noqa: BLE001 - Unsure, or anything: the reference reading decides
        return _read_parsed(raw, number, where, memo, parser)


# --------------------------------------------------------------------------- threads


def _assign_cases(columns: dict[str, list]) -> tuple[list[str], list[str]]:
    """Each mail's case ID (own, else its thread's, else its subject's) and notes."""
    message_ids, own_cases, subjects, sent_ats = (
        columns["message_id"], columns["own_case"], columns["subject"], columns["sent_at"])
    n = len(message_ids)
    parent_of = list(range(n))

    def find(i: int) -> int:
        while parent_of[i] != i:
            parent_of[i] = parent_of[parent_of[i]]
            i = parent_of[i]
        return i

    owner: dict[str, int] = {}  # the first mail naming each Message-ID
    claim = owner.setdefault
    for i, (message_id, refs) in enumerate(zip(message_ids, columns["refs"], strict=True)):
        if message_id:
            j = claim(message_id, i)
            if j != i:
                parent_of[find(i)] = find(j)
        for key in refs.split():  # (each a <...> found in a header)
            j = claim(key, i)
            if j != i:
                parent_of[find(i)] = find(j)
    thread = [find(i) for i in range(n)]  # each mail's thread, once all are joined
    by_id = {m: i for i, m in enumerate(message_ids) if m}
    # by time, then reading order (a stable sort keeps the mails of one time in reading order)
    in_time = sorted(range(n), key=sent_ats.__getitem__)
    first_case: dict[int, str] = {}
    for i in in_time:
        if own_cases[i]:
            first_case.setdefault(thread[i], own_cases[i])
    normal = {subject: normalise_subject(subject) for subject in set(subjects)}  # each subject normalised once
    by_subject: dict[str, str] = {}
    for i in in_time:
        case = own_cases[i] or first_case.get(thread[i], "")
        if case:
            by_subject.setdefault(normal[subjects[i]], case)
    out: list[str] = []
    made: dict[str, str] = {}
    lowest_id: dict[int, str] = {}  # each thread's smallest Message-ID ("" when one has none)

    def thread_id(i: int) -> str:
        if not lowest_id:
            for root, message_id in zip(thread, message_ids, strict=True):
                lowest_id[root] = min(lowest_id.get(root, message_id), message_id)
        return lowest_id.get(thread[i], "")

    for i, (case, parent) in enumerate(zip(own_cases, columns["parent"], strict=True)):
        if not case and parent in by_id and own_cases[by_id[parent]]:
            case = own_cases[by_id[parent]]
        case = case or first_case.get(thread[i], "")
        if not case:
            subject = normal[subjects[i]]
            case = by_subject.get(subject, "")
            if not case:
                key = subject or thread_id(i) or str(i)
                case = "email-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
                made.setdefault(case, subjects[i] or "(no subject)")
        out.append(case)
    notes = [f"mail without a case ID: thread {c} is {s!r}" for c, s in sorted(made.items())]
    return out, notes


# --------------------------------------------------------------------------- files


def _table(columns: dict[str, list], skipped: list[Skipped], unreadable: list[Skipped], file: str,
           notes: list[str]) -> RawTable:
    dates = columns["sent_at"]  # the Date headers as ISO-8601 (:func:`_sent_at`), in place, a batch at a time
    for k in range(0, len(dates), _DATE_BATCH):
        dates[k:k + _DATE_BATCH] = _sent_ats(dates[k:k + _DATE_BATCH])
    cases, case_notes = _assign_cases(columns)
    table = {
        "case_id": cases, "sent_at": columns["sent_at"], "direction": columns["direction"],
        "team": columns["team"], "channel": ["email"] * len(cases), "subject": columns["subject"],
        "body": columns["body"], "attachments": columns["attachments"], "kind": columns["kind"],
    }
    if skipped:
        reasons: dict[str, int] = {}
        for s in skipped:
            reasons[s.reason.split(" (")[0]] = reasons.get(s.reason.split(" (")[0], 0) + 1
        notes = notes + [f"{file}: {len(skipped)} mails skipped, not case correspondence: "
                         + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))]
    return column_table(table, file=file, rows=columns["number"], where=columns["where"],
                        skipped=skipped, notes=notes + case_notes, unreadable=unreadable)


def _read_messages(items, file: str, addresses: AmazonAddresses, read=None) -> RawTable:
    read = read or _read_fast
    parser = _reply_parser()
    memo = _Memo(addresses)
    columns: dict[str, list] = {name: [] for name in _FIELDS if name != "text"}
    mails: list[tuple] = []  # read, not yet settled (their texts are held until then)
    skipped: list[Skipped] = []
    unreadable: list[Skipped] = []
    for number, where, raw in items:
        if len(mails) >= _BATCH:
            _settle(mails, columns)
            mails = []
        try:
            got = read(raw, number, where, memo, parser)
        except Exception as exc:  # noqa: BLE001 - a broken mail is reported, not fatal
            unreadable.append(Skipped(file, where, f"mail cannot be parsed ({type(exc).__name__}: {exc})", number))
            continue
        if isinstance(got, str):
            skipped.append(Skipped(file, where, got[len("skip:"):], number))
        else:
            mails.append(got)
    _settle(mails, columns)
    del mails
    return _table(columns, skipped, unreadable, file, [])


def _mbox_mails(data):
    """The mails of an mbox, split at its ``From`` lines as :class:`mailbox.mbox` splits it
    (a mail ends before the blank line that precedes the next ``From`` line; the ``From`` line
    itself is not part of the mail), with mboxo's ``>From`` quoting undone."""
    starts = [0] if data[:5] == b"From " else []  # where ^From (at a line start) matches
    at = data.find(b"\nFrom ")
    while at >= 0:
        starts.append(at + 1)
        at = data.find(b"\nFrom ", at + 1)
    size = len(data)
    for k, start in enumerate(starts):
        if k + 1 < len(starts):
            stop = starts[k + 1]
            if stop >= 2 and data[stop - 2] == 10:  # a blank line before the From line ("\n\n": 10, 10)
                stop -= 1
        else:
            stop = size - 1 if size >= 2 and data[size - 2:] == b"\n\n" else size
        eol = data.find(b"\n", start, stop)
        body = data[eol + 1:stop] if eol >= 0 else b""
        # mboxo quoting: a body line "From ..." was written as ">From ..."
        yield body.replace(b"\n>From ", b"\nFrom ")


def looks_like_mail(head: bytes) -> bool:
    """Whether the first bytes of a file look like an mbox or one RFC 5322 mail."""
    head = head.lstrip(b"\r\n\xef\xbb\xbf")
    if head.startswith(b"From "):
        return True
    first = head.split(b"\n", 20)[:20]
    names = {ln.split(b":", 1)[0].strip().lower() for ln in first if b":" in ln and not ln[:1].isspace()}
    return len(names & {b"from", b"to", b"subject", b"date", b"message-id", b"received",
                        b"return-path", b"mime-version", b"delivered-to", b"x-gm-thrid"}) >= 2


def read_mbox(path: str | Path, addresses: AmazonAddresses | None = None) -> RawTable:
    """Read an ``.mbox`` file (Gmail's Takeout, Thunderbird); rows are numbered ``message N``."""
    path = Path(path)
    addresses = addresses or AmazonAddresses()
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise EmptyFileError("is empty: no mails", file=path.name)
    if not head.lstrip(b"\r\n").startswith(b"From "):
        if looks_like_mail(head):  # one mail saved with an .mbox name
            return read_eml(path, addresses)
        raise FileFormatError("is not an mbox file (no 'From ' line starts it)", file=path.name)
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        items = ((n, f"message {n}", raw) for n, raw in enumerate(_mbox_mails(data), start=1))
        return _read_messages(items, path.name, addresses)


def read_eml(path: str | Path, addresses: AmazonAddresses | None = None) -> RawTable:
    """Read one saved mail (``.eml``)."""
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFileError("is empty: no mail", file=path.name)
    if not looks_like_mail(data[:4096]):
        raise FileFormatError("is not an e-mail (no From/To/Subject/Date headers)", file=path.name)
    return _read_messages([(1, path.name, data)], path.name, addresses or AmazonAddresses())


def read_eml_folder(folder: str | Path, addresses: AmazonAddresses | None = None) -> RawTable:
    """Read every ``.eml`` file of a folder (sorted by name); rows are numbered by file."""
    folder = Path(folder)
    files = sorted(f for f in folder.iterdir() if f.is_file() and f.suffix.lower() == ".eml")
    if not files:
        raise SourceNotFoundError("folder has no .eml files", file=str(folder))
    items = ((n, f.name, f.read_bytes()) for n, f in enumerate(files, start=1))
    return _read_messages(items, folder.name, addresses or AmazonAddresses())


def read_email(path: str | Path, addresses: AmazonAddresses | None = None) -> RawTable:
    """Read an ``.mbox``, an ``.eml`` or a folder of ``.eml`` files; ``.msg`` is refused.

    Examples
    --------
    >>> t = read_email("tests/data/mail/notice.eml")  # run from the repository root
    >>> t.frame.loc[0, ["case_id", "direction", "team", "channel"]].tolist()
    ['12345678901', 'amazon', 'Seller Performance', 'email']
    """
    path = Path(path)
    if path.is_dir():
        return read_eml_folder(path, addresses)
    if not path.exists():
        raise SourceNotFoundError("does not exist", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".msg":
        raise FileFormatError(MSG_ERROR, file=path.name)
    if suffix == ".eml":
        return read_eml(path, addresses)
    return read_mbox(path, addresses)
