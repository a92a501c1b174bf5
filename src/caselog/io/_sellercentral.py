"""Read a Seller Central case page: saved from the browser as HTML, or selected and pasted as text.

A case page shows the case ID, status and subject, and one card per message with the sender
(``You``, ``Amazon`` or a team), the time as Seller Central shows it (``14 Mar 2026 14:05 PST``,
``Mar 6, 2026 4:35 PM PST``), the text and its attachments.  The saved page is read card by card:
a card is a ``kat-box`` element (or an element whose class names a message card) holding a
sender label and a time; class names Amazon hashes are not relied on -- when no card is found the
page's visible text is read the way pasted text is: a short sender line, a time line (or a date
line and a time line), then the text up to the next sender line.  The time text is kept as shown,
so the loader's date parser applies its zone.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import EmptyFileError, FileFormatError, SourceNotFoundError
from ._raw import RawTable, raw_table
from ._replies import html_to_text, tidy_text

__all__ = ["read_sellercentral", "read_case_page_html", "read_case_page_text", "looks_like_case_page"]

_MONTH = r"[A-Za-zÀ-ÿ]{3,9}\.?"
_DATE = (
    rf"(?:\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?\s?[Mm]\.?)?(?:\s*(?:[A-Z]{2,5}|(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?))?"
_TIME_LINE = re.compile(rf"^{_DATE},?\s+(?:at\s+|um\s+|à\s+)?{_CLOCK}$")
_DATE_LINE = re.compile(rf"^{_DATE}$")
_CLOCK_LINE = re.compile(rf"^{_CLOCK}$")
_CASE_ID = re.compile(r"(?:case\s*id|\bid)\s*[:#]?\s*(\d{8,12})\b", re.IGNORECASE)
_CASE_URL = re.compile(r"caseID=(\d{8,12})", re.IGNORECASE)
_STATUS = re.compile(r"^\s*(?:case\s+)?status\s*:?\s*(.*)$", re.IGNORECASE)
_SUBJECT = re.compile(r"^\s*(?:subject|case subject|betreff|objet)\s*:?\s*(.*)$", re.IGNORECASE)
_ATTACH_HEAD = re.compile(r"^(?:attachments?|attached files?|anhänge?|pièces jointes)\s*(?:\(\d+\))?:?$", re.IGNORECASE)
_FILE_LINE = re.compile(r"^\S.{0,150}\.(?:pdf|jpe?g|png|gif|tiff?|docx?|xlsx?|csv|txt|zip|heic)(?:\s*\([\d.,]+\s*[KMG]?B\))?$", re.IGNORECASE)
_FOOTER = re.compile(
    r"^(?:reply|reply to this case|close case|was this (?:information |response )?helpful\??.*"
    r"|©\s*\d{4}.*|conditions of use.*|privacy notice.*)$",
    re.IGNORECASE,
)
#: page lines around the case details that are not its subject
_CHROME = {"case log", "view case", "case details", "case summary", "back to case log", "seller central",
           "help", "get support", "case lobby"}
_NOT_FOUND = (
    "no message card found: looked for kat-box / message-card elements with a sender label, "
    "and for a sender line followed by a time line such as '14 Mar 2026 14:05 PST'"
)


def _is_time(line: str) -> bool:
    return bool(_TIME_LINE.match(line))


def _next(lines: list[str], i: int) -> int:
    """Index of the first non-blank line at or after ``i`` (``len(lines)`` when none)."""
    while i < len(lines) and not lines[i]:
        i += 1
    return i


def _card_start(lines: list[str], i: int) -> tuple[str, int] | None:
    """``(time text, index after it)`` when ``lines[i]`` is a sender line followed by a time
    (blank lines between them allowed)."""
    sender = lines[i] if i < len(lines) else ""
    if not sender or len(sender) > 60 or _is_time(sender) or _DATE_LINE.match(sender):
        return None
    j = _next(lines, i + 1)
    nxt = lines[j] if j < len(lines) else ""
    if _is_time(nxt):
        return nxt, j + 1
    if _DATE_LINE.match(nxt):
        k = _next(lines, j + 1)
        if k < len(lines) and _CLOCK_LINE.match(lines[k]):
            return f"{nxt} {lines[k]}", k + 1
    return None


def _split_attachments(lines: list[str]) -> tuple[list[str], int]:
    """The text lines without an attachment list, and the number of files listed."""
    out: list[str] = []
    files = 0
    in_list = False
    for line in lines:
        if _ATTACH_HEAD.match(line):
            in_list = True
            continue
        if _FILE_LINE.match(line) and (in_list or not out or len(line) < 80):
            files += 1
            continue
        if in_list and not line:
            continue
        in_list = False
        out.append(line)
    return out, files


def _page_fields(lines: list[str], html: str = "") -> dict[str, str]:
    fields = {"case_id": "", "status": "", "subject": ""}
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if not fields["case_id"]:
            m = _CASE_ID.search(line) or (_CASE_ID.search(line + " " + nxt) if re.search(r"\bid\s*:?$", line, re.I) else None)
            if m:
                fields["case_id"] = m.group(1)
        for key, pattern in (("status", _STATUS), ("subject", _SUBJECT)):
            m = pattern.match(line)
            if m and not fields[key]:
                value = m.group(1).strip() or nxt.strip()
                if value and not _card_start(lines, i):
                    fields[key] = value[:300]
    if not fields["subject"]:
        # pasted pages show the subject as a plain line above the case ID
        at = next((i for i, ln in enumerate(lines) if _CASE_ID.search(ln) or re.fullmatch(r"id\s*:?", ln, re.I)), None)
        for line in reversed(lines[:at] if at is not None else []):
            if line and line.lower() not in _CHROME and not _is_time(line):
                fields["subject"] = line[:300]
                break
    if not fields["case_id"] and html:
        m = _CASE_URL.search(html)
        if m:
            fields["case_id"] = m.group(1)
    return fields


def _messages_from_lines(lines: list[str]) -> list[dict[str, str]]:
    starts = []
    i = 0
    while i < len(lines):
        got = _card_start(lines, i)
        if got:
            starts.append((i, got[0], got[1]))
            i = got[1]
        else:
            i += 1
    messages = []
    for k, (i, when, used) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        text = lines[used:end]
        for j, line in enumerate(text):
            if _FOOTER.match(line):
                text = text[:j]
                break
        text, files = _split_attachments(text)
        messages.append({"sender": lines[i], "time": when, "body": tidy_text("\n".join(text)), "attachments": files})
    return messages


def read_case_page_text(text: str, file: str, *, html: str = "") -> RawTable:
    """Read a case page's text (pasted, or a saved page's visible text).

    Examples
    --------
    >>> page = "Case ID: 12345678901\\nStatus: Answered\\nAmazon\\n14 Mar 2026 14:05 PST\\nHello.\\n"
    >>> read_case_page_text(page, "case.txt").frame.loc[0, ["case_id", "sent_at", "direction"]].tolist()
    ['12345678901', '14 Mar 2026 14:05 PST', 'Amazon']
    """
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    messages = _messages_from_lines(lines)
    if not messages:
        raise FileFormatError(_NOT_FOUND, file=file)
    first = min(i for i, ln in enumerate(lines) if _card_start(lines, i))
    fields = _page_fields(lines[:first] + lines, html)
    return _table(messages, fields, file, "text layout (sender line, time line, text)")


def _table(messages: list[dict], fields: dict[str, str], file: str, how: str) -> RawTable:
    if not fields["case_id"]:
        raise FileFormatError(
            "holds message cards but no case ID (looked for 'Case ID: ...', 'ID: ...' and caseID= in links)",
            file=file,
        )
    status = fields["status"].lower()
    kind_status = "closed" if status.startswith(("closed", "resolved")) else "open" if status else ""
    records = [
        {"case_id": fields["case_id"], "sent_at": m["time"], "direction": m["sender"], "team": "",
         "channel": "case", "subject": fields["subject"], "body": m["body"],
         "attachments": str(m["attachments"]), "status": kind_status}
        for m in messages
    ]
    table = raw_table(
        records, file=file, rows=list(range(1, len(records) + 1)),
        where=[f"message card {n}" for n in range(1, len(records) + 1)],
        notes=[f"{file}: Seller Central case page {fields['case_id']} read by {how}: "
               f"{len(records)} messages, status {fields['status'] or 'not shown'}"],
    )
    return table


# --------------------------------------------------------------------------- saved HTML


def _classes(el) -> str:
    return (el.get("class") or "").lower()


def _cards(root) -> list:
    """Message cards: ``kat-box`` elements (tag or class) or message-card classes holding a time."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        cls = _classes(el)
        if el.tag.lower() == "kat-box" or re.search(r"\b(?:kat-box|message-card|case-message|message-container)\b", cls):
            found.append(el)
    # innermost cards only
    inner = [el for el in found if not any(o is not el and _contains(el, o) for o in found)]
    return inner


def _contains(outer, inner) -> bool:
    return any(d is inner for d in outer.iterdescendants())


def _first_text(card, pattern: str, accept=bool) -> tuple[str, object | None]:
    """The text of the first element under ``card`` whose class matches ``pattern`` and whose
    text ``accept`` takes."""
    for el in card.iterdescendants():
        if isinstance(el.tag, str) and re.search(pattern, _classes(el)):
            text = " ".join(el.text_content().split())
            if text and accept(text):
                return text, el
    return "", None


def _card_message(card) -> dict | None:
    import lxml.html

    sender, _ = _first_text(card, r"sender")
    when, _ = _first_text(card, r"time|date", _is_time)
    if not when:
        for el in card.iterdescendants("time"):
            text = " ".join(el.text_content().split())
            if _is_time(text):
                when = text
                break
    body_el = None
    for el in card.iterdescendants():
        if isinstance(el.tag, str) and re.search(r"\b[\w-]*(?:body|content|message-text)[\w-]*\b", _classes(el)):
            body_el = el
            break
    marked = [el for el in card.iterdescendants()
              if isinstance(el.tag, str) and el.tag in ("a", "li", "kat-link") and re.search(r"attachment", _classes(el))]
    files = sum(1 for el in marked if not any(o is not el and _contains(el, o) for o in marked))
    text = html_to_text(lxml.html.tostring(body_el if body_el is not None else card, encoding="unicode"))
    lines = text.split("\n")
    if not sender or not when:  # the card's text layout: sender line, time line
        stripped = [ln.strip() for ln in lines]
        for i in range(len(stripped)):
            got = _card_start(stripped, i)
            if got:
                sender, when = stripped[i], got[0]
                lines = stripped[got[1]:]
                break
        else:
            return None
    elif body_el is None:
        lines = [ln for ln in lines if ln.strip() not in (sender, when)]
    lines, listed = _split_attachments([ln.strip() for ln in lines])
    return {"sender": sender, "time": when, "body": tidy_text("\n".join(lines)), "attachments": files or listed}


def read_case_page_html(html: str, file: str) -> RawTable:
    """Read a case page saved from the browser (``.html``)."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as exc:
        raise FileFormatError(f"is not a readable HTML page ({exc})", file=file) from None
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    page_text = html_to_text(lxml.html.tostring(root, encoding="unicode"))
    lines = [ln.strip() for ln in page_text.split("\n")]
    messages = [m for m in (_card_message(c) for c in _cards(root)) if m]
    fields = _page_fields(lines, html)
    if not fields["subject"]:
        for xp in ("//*[contains(@class,'subject')]", "//h1", "//title"):
            hits = [" ".join(e.text_content().split()) for e in root.xpath(xp)]
            hits = [h for h in hits if h and not _SUBJECT.match(h)] or [
                _SUBJECT.match(h).group(1) for h in hits if h and _SUBJECT.match(h) and _SUBJECT.match(h).group(1)]
            if hits:
                fields["subject"] = hits[0][:300]
                break
    if messages:
        return _table(messages, fields, file, "message cards")
    return read_case_page_text(page_text, file, html=html)


def looks_like_case_page(text: str) -> bool:
    """Whether text (pasted or HTML) looks like a Seller Central case page."""
    head = text[:200000]
    if re.search(r"kat-box|case-dashboard|sender-label", head):
        return True
    lines = [ln.strip() for ln in head.split("\n")]
    return bool(_CASE_ID.search(head)) and any(_card_start(lines, i) for i in range(min(len(lines), 400)))


def read_sellercentral(path: str | Path) -> RawTable:
    """Read a saved (``.html``/``.htm``) or pasted (``.txt``) Seller Central case page.

    Examples
    --------
    >>> t = read_sellercentral("tests/data/pages/case_12345678901.html")  # from the repository root
    >>> t.frame[["direction", "sent_at", "attachments"]].values.tolist()[0]
    ['Amazon', '14 Mar 2026 14:05 PST', '0']
    """
    path = Path(path)
    if not path.exists():
        raise SourceNotFoundError("does not exist", file=str(path))
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFileError("is empty: no case page", file=path.name)
    text = data.decode("utf-8-sig", errors="replace")
    if path.suffix.lower() in (".html", ".htm", ".xhtml") or re.match(r"\s*(?:<!doctype html|<html)", text, re.I):
        return read_case_page_html(text, path.name)
    return read_case_page_text(text, path.name)
