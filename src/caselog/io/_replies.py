"""What a mail adds: cut quoted earlier mail and signatures; HTML mail as readable text.

Quoted mail is cut in three steps:

1. a ``-- `` signature line (RFC 3676) and everything after it;
2. forwarded-mail and original-message separators (Gmail's ``---------- Forwarded message
   ---------``, Outlook's ``-----Original Message-----`` and its line of underscores, Apple's
   ``Begin forwarded message:``, and their German, French, Spanish and Italian forms) and
   everything after them;
3. reply headers -- ``On ... wrote:``, ``Am ... schrieb ...:``, ``Le ... a écrit :``,
   ``Il ... ha scritto:``, ``El ... escribió:``, ``Op ... schreef:`` and the Japanese form, and
   Outlook's ``From: ... Sent: ... To: ... Subject:`` blocks in those languages -- through
   `mail-parser-reply <https://github.com/alfonsrv/mail-parser-reply>`_ (MIT), and then the
   remaining ``>`` quoted lines.

HTML-only mail becomes text with `inscriptis <https://github.com/weblyzard/inscriptis>`_
(Apache-2.0), which keeps paragraphs, line breaks, lists and tables apart.
"""

from __future__ import annotations

import re

__all__ = ["cut_reply", "html_to_text", "tidy_text"]

#: languages whose reply headers are cut (Amazon's marketplaces' languages)
REPLY_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "it", "es", "nl", "sv", "ja")

_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
_SEPARATOR = re.compile(
    r"^[ \t>]*(?:"
    r"-{2,}\s*(?:Forwarded message|Original Message|Weitergeleitete Nachricht|Ursprüngliche Nachricht"
    r"|Message transféré|Message d'origine|Mensaje reenviado|Mensaje original|Messaggio inoltrato"
    r"|Messaggio originale|Doorgestuurd bericht|Oorspronkelijk bericht)\s*-{2,}"
    r"|Begin forwarded message:|Anfang der weitergeleiteten Nachricht:|Début du message réexpédié :?"
    r"|_{20,}"
    r")[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
# only hand a text to the reply parser when it holds something the parser could cut
_HEADER_LINE = r"^[* ]*(?:from|sent|von|gesendet|de|envoyé|da|inviato|enviado|van|verzonden|från|skickat)\s?:"
_MAYBE_HEADER = re.compile(
    r"wrote|schrieb|a écrit|ha scritto|escribió|schreef|skrev|\d{4}年|" + _HEADER_LINE,
    re.MULTILINE | re.IGNORECASE,
)
_MAYBE_WORDS = re.compile(r"wrote|schrieb|a écrit|ha scritto|escribió|schreef|skrev", re.IGNORECASE)
_MAYBE_YEAR = re.compile(r"\d{4}年")
_MAYBE_LINE = re.compile(_HEADER_LINE, re.MULTILINE | re.IGNORECASE)
_MAYBE_LINE_ASCII = re.compile(_HEADER_LINE, re.MULTILINE)
_MAYBE_WORDS_ASCII = ("wrote", "schrieb", "ha scritto", "schreef", "skrev")


def _maybe_header(text: str, low: str | None = None) -> bool:
    """``bool(_MAYBE_HEADER.search(text))``, in a few microseconds instead of tens: one search
    per alternative (one big case-blind alternation is slow in :mod:`re`), and for ASCII text
    (where ignoring case is exactly lower-casing) plain substring tests on the lower-cased text
    (``low``, when the caller has it already)."""
    if text.isascii():
        low = text.lower() if low is None else low
        # a header line needs its colon
        return ("wrote" in low or "schrieb" in low or "ha scritto" in low or "schreef" in low or "skrev" in low
                or (":" in low and _header_line_ascii(low)))  # _MAYBE_WORDS_ASCII
    return (_MAYBE_WORDS.search(text) is not None or ("年" in text and _MAYBE_YEAR.search(text) is not None)
            or _MAYBE_LINE.search(text) is not None)


#: the words a header line of :data:`_HEADER_LINE` starts with
_HEADER_WORDS = frozenset(
    ("from", "sent", "von", "gesendet", "de", "envoyé", "da", "inviato", "enviado", "van", "verzonden", "från", "skickat"))
_COLONS_LOOKED_AT = 16  # a text with more colons is searched with the pattern instead


def _header_line_ascii(low: str) -> bool:
    """``bool(_MAYBE_LINE_ASCII.search(low))`` for lower-cased ASCII text, found from its colons
    (a search of the pattern tries each position of the text; a mail has few colons): a colon
    after one of :data:`_HEADER_WORDS` (and at most one white space character), the word at a
    line start or after only ``*`` and spaces."""
    if low.count(":") > _COLONS_LOOKED_AT:
        return _MAYBE_LINE_ASCII.search(low) is not None
    at = low.find(":")
    while at >= 0:
        end = at - 1 if at and low[at - 1].isspace() else at  # where the word ends
        start = low.rfind("\n", 0, end) + 1  # the start of its line
        if low[start:end].lstrip("* ") in _HEADER_WORDS:
            return True
        at = low.find(":", at + 1)
    return False


# longer texts (a pasted log, a mail of megabytes) get only the separator and ">" cuts, so one
# mail cannot hold the reply parser's regular expressions for seconds
_PARSER_LIMIT = 100_000
_QUOTED_LINE = re.compile(r"^[ \t]*>.*(?:\n|$)", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{3,}")


def tidy_text(text: str) -> str:
    """Unix line ends, no outer white space on lines, at most one blank line in a row.

    Examples
    --------
    >>> tidy_text("  a \\r\\n\\r\\n\\r\\n b\\n")
    'a\\n\\nb'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    # each line stripped (str.strip: re's \s), then runs of blank lines made one; ASCII text
    # in which no line starts or ends with white space (but the first and the last, which the
    # final strip takes care of) has nothing to strip
    # (str.strip's ASCII white space: space, \t, \n, \x0b, \x0c, \r -- replaced above -- and \x1c-\x1f)
    if not (text.isascii() and " \n" not in text and "\n " not in text and "\t" not in text
            and "\x0b" not in text and "\x0c" not in text and "\x1c" not in text and "\x1d" not in text
            and "\x1e" not in text and "\x1f" not in text):
        text = "\n".join([line.strip() for line in text.split("\n")])
    return (_BLANK_RUN.sub("\n\n", text) if "\n\n\n" in text else text).strip()


def _signature_start(text: str) -> int:
    """Where :data:`_SIGNATURE` first matches (``-1``: nowhere): a line ``--`` or ``-- ``, found
    by searching for ``--`` at line starts instead of trying the pattern at every position."""
    at = 0 if text.startswith("--") else text.find("\n--") + 1 or -1
    size = len(text)
    while at >= 0:
        end = at + 2
        if end == size or text[end] == "\n" or (text[end] == " " and (end + 1 == size or text[end + 1] == "\n")):
            return at
        at = text.find("\n--", at + 1) + 1 or -1
    return -1


# the words of _SEPARATOR's "-- words --" lines that ASCII text can hold, lower case
_SEPARATOR_WORDS_ASCII = (
    "forwarded message", "original message", "weitergeleitete nachricht", "message d'origine",
    "mensaje reenviado", "mensaje original", "messaggio inoltrato", "messaggio originale",
    "doorgestuurd bericht", "oorspronkelijk bericht",
)


def _may_separate(text: str, low: str | None = None) -> bool:
    """False only when :data:`_SEPARATOR` cannot match: none of its alternatives' plain parts
    (``--`` with the words of a forwarded-mail line, 20 ``_``, the forwarded-mail lines) is in
    the text, as ASCII text (where ignoring case is lower-casing, and the French lines' ``é``
    and ``Ursprüngliche`` cannot be) shows (``low``: its lower-cased text, when the caller has it)."""
    if "____________________" in text or not text.isascii():
        return True
    low = text.lower() if low is None else low
    if "begin forwarded message:" in low or "anfang der weitergeleiteten nachricht:" in low:
        return True
    return "--" in text and any(w in low for w in _SEPARATOR_WORDS_ASCII)


def _reply_parser():  # pragma: no cover - trivial
    from mailparser_reply import EmailReplyParser

    return EmailReplyParser(languages=list(REPLY_LANGUAGES))


def cut_reply(text: str, parser: object | None = None) -> str:
    """The part of a mail's text its sender wrote: quoted mail and signature cut.

    Parameters
    ----------
    text : str
        The plain text of the mail.
    parser : optional
        A ``mailparser_reply.EmailReplyParser`` to reuse (built when ``None``).

    Examples
    --------
    >>> cut_reply("Invoices attached.\\n\\nOn Mon, 9 Mar 2026, A <a@amazon.com> wrote:\\n> Send invoices")
    'Invoices attached.'
    >>> cut_reply("Anbei.\\n\\n-----Original Message-----\\nFrom: a@amazon.de\\nSent: Monday\\n")
    'Anbei.'
    >>> cut_reply("Our POA.\\n-- \\nJane Doe, ACME")
    'Our POA.'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    at = _signature_start(text) if "--" in text else -1
    if at >= 0:
        text = text[:at]
    low = text.lower() if text.isascii() else None  # (for both prefilters; the same length)
    m = _SEPARATOR.search(text) if _may_separate(text, low) else None
    if m:
        text = text[: m.start()]
        low = None if low is None else low[: m.start()]
    if len(text) <= _PARSER_LIMIT and _maybe_header(text, low):
        parser = parser if parser is not None else _reply_parser()
        try:
            cut = parser.parse_reply(text=text)  # type: ignore[attr-defined]
        except (re.error, RecursionError, IndexError, ValueError):  # pragma: no cover - defensive
            cut = None
        if cut is not None:
            text = cut
    if ">" in text:
        text = _QUOTED_LINE.sub("", text)
    return tidy_text(text)


# the simplest HTML mail -- paragraphs of lines (words with single spaces, the five entities of
# html.escape; a line may be empty or end in a space, as "-- " does), nothing else -- whose text is known without an HTML engine
_WORDS = r"(?:[^\s<>&\x00-\x1f\x7f-\x9f]|&(?:amp|lt|gt|quot|#x27);)+"
_LINE = r"(?:" + _WORDS + r"(?: " + _WORDS + r")* ?)?"  # may be empty, may end in one space
_PARAGRAPH = r"<p>" + _LINE + r"(?:<br>" + _LINE + r")*</p>"
_SIMPLE_HTML = re.compile(r"<html><body>(?:" + _PARAGRAPH + r")+</body></html>\n?")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'"}
_ENTITY = re.compile("|".join(_ENTITIES))


_HTML_OPEN, _HTML_CLOSE = "<html><body><p>", "</p></body></html>"
# what the lines of _SIMPLE_HTML cannot hold (but <, > and &, counted): white space other than
# a space, control characters
_NOT_IN_LINE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f]")


def _simple_html_inner(html: str) -> str | None:
    """The paragraphs of ``html`` when it is :data:`_SIMPLE_HTML`, else ``None``: its full match,
    without the regular expression's steps per character (slow in :mod:`re`), by counting.

    Between the outer tags, the text's tags are ``</p><p>`` and ``<br>`` (every ``<`` and ``>``
    is one of theirs), which part it into lines: each empty, or words with single spaces
    between them and at most one after them (no line starts with a space: none follows a tag),
    the words of characters other than white space and control characters, an ``&`` only as
    one of the five entities."""
    end = len(html) - 1 if html[-1:] == "\n" else len(html)  # (one line end may follow)
    if (end < len(_HTML_OPEN) + len(_HTML_CLOSE) or not html.startswith(_HTML_OPEN)
            or not html.endswith(_HTML_CLOSE, 0, end)):
        return None
    inner = html[len(_HTML_OPEN):end - len(_HTML_CLOSE)]
    if inner[:1] == " " or "> " in inner or "  " in inner:
        return None
    tags = 2 * inner.count("</p><p>") + inner.count("<br>")  # (neither tag overlaps itself or the other)
    if inner.count("<") != tags or inner.count(">") != tags:
        return None
    if "&" in inner and inner.count("&") != sum(map(inner.count, _ENTITIES)):
        return None  # (each entity holds one &, and none starts another)
    # printable text has no white space but the space and no control character (the test of
    # each character for the rare rest, which may hold a character that is neither)
    return inner if inner.isprintable() or not _NOT_IN_LINE.search(inner) else None


def _simple_html_text(html: str) -> str | None:
    """What inscriptis makes of :data:`_SIMPLE_HTML` (paragraphs apart, ``<br>`` a line end),
    ``None`` for any other HTML."""
    inner = _simple_html_inner(html)
    if inner is None:
        return None
    text = inner.replace("</p><p>", "\n\n").replace("<br>", "\n")
    return tidy_text(_ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text))


def html_to_text(html: str) -> str:
    """Readable text of an HTML mail or page fragment (scripts and styles dropped).

    Examples
    --------
    >>> html_to_text("<p>Hello,<br>we need <b>invoices</b> &amp; receipts.</p><p>Thanks</p>")
    'Hello,\\nwe need invoices & receipts.\\n\\nThanks'
    """
    if not html or not html.strip():
        return ""
    simple = _simple_html_text(html)
    if simple is not None:
        return simple
    from inscriptis import get_text

    try:
        text = get_text(html)
    except (ValueError, TypeError):  # lxml rejects some byte-order marks / encodings
        text = get_text(html.encode("utf-8", "replace").decode("utf-8"))
    return tidy_text(text)
