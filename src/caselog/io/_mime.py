"""A fast reading of one mail's MIME structure, part for part as :mod:`email` reads it.

:func:`parse` follows the standard library's ``compat32`` feed parser line for line (the same
header unfolding, the same boundary rule, the same line end taken from a part before its
boundary, the same default types), but on bytes, without building :class:`email.message.Message`
objects, and with the parameter parsing of ``Content-Type`` / ``Content-Disposition`` done once
per distinct header value (through :class:`email.message.Message` itself, so charsets, file
names and boundaries are exactly the library's). A mail it does not handle the same way for sure
-- a header with raw 8-bit bytes, a stray ``From`` line among the headers, a
``message/delivery-status`` part, a boundary that is not ASCII -- raises :class:`Unsure`, and the
caller reads that mail with :mod:`email` instead. :func:`parse_simple` reads the usual mail
(``\\n`` line ends, an ASCII header block, leaves or multiparts closed by their boundary) by a few
searches of the whole text rather than line by line, to the same tree, and leaves any other
mail to :func:`parse`.

Examples
--------
>>> part = parse(b"From: a@b.example\\nContent-Type: text/plain; charset=utf-8\\n\\nHi\\n", Facts())
>>> part.ctype, part.headers["from"], part.payload
('text/plain', 'a@b.example', b'Hi\\n')
"""

from __future__ import annotations

import quopri
import re
from email._encoded_words import decode_b
from email.message import Message, _decode_uu, _splitparam

__all__ = ["HEADERS", "Unsure", "Facts", "Part", "parse", "parse_simple", "decoded_payload"]

_HEADER_LINE = re.compile(rb"[\041-\071\073-\176]*:")
_EOL = (b"\r\n", b"\n", b"\r")
_UU = ("x-uuencode", "uuencode", "uue", "x-uue")

#: the headers a :class:`Part` keeps (the e-mail reader asks for no others)
HEADERS: frozenset[str] = frozenset({
    "from", "to", "cc", "subject", "date", "message-id", "in-reply-to", "references",
    "precedence", "list-unsubscribe", "list-id", "auto-submitted",
    "content-type", "content-disposition", "content-transfer-encoding", "content-id",
})
_WANTED = {h.encode("ascii"): h for h in HEADERS}
_FOLD = (b" ", b"\t")
# "multipart/mixed; boundary=..." with nothing the parameter parser could read otherwise
_SIMPLE_MULTIPART = re.compile(
    r"\s*multipart/[A-Za-z0-9.+-]+\s*;\s*boundary=(?:\"([A-Za-z0-9'()+_,./:=? -]+)\"|([A-Za-z0-9'()+_,./:=?-]+))\s*"
)


_MISSING = object()
_BLOCKS_KEPT = 4096  # distinct sub-part header blocks a read remembers


class Unsure(Exception):
    """This mail is read with :mod:`email` instead (the fast reading is not sure to agree)."""


class Facts:
    """Per-read caches of what the library makes of a ``Content-Type`` / ``Content-Disposition``."""

    def __init__(self) -> None:
        self._params: dict[tuple[str | None, str | None], tuple[str | None, str | None, str | None]] = {}
        self._types: dict[tuple[str | None, str], str] = {}
        self._blocks: dict[bytes, dict[str, str] | None] = {}
        self._dispositions: dict[str, str] = {}
        self.names: dict[str, str] = {}  # header name -> key it is kept under ("": not kept)

    def part_headers(self, block: bytes) -> dict[str, str] | None:
        """:func:`_simple_headers` of the header block of a sub-part, once per distinct block
        (a mailbox repeats its parts' few header blocks; at most :data:`_BLOCKS_KEPT` kept)."""
        got = self._blocks.get(block, _MISSING)
        if got is _MISSING:
            got = _simple_headers(block, self.names)
            if len(self._blocks) < _BLOCKS_KEPT:
                self._blocks[block] = got
        return got  # type: ignore[return-value]

    def ctype(self, value: str | None, default: str) -> str:
        """``Message.get_content_type`` of a part with this Content-Type (``None``: none)."""
        key = (value, default)
        got = self._types.get(key)
        if got is None:
            if value is None:
                got = default
            else:
                got = _splitparam(value)[0].lower()
                if got.count("/") != 1:
                    got = "text/plain"
            self._types[key] = got
        return got

    def disposition(self, cd: str) -> str:
        """``Message.get_content_disposition()`` of a part with this Content-Disposition, or ``""``."""
        got = self._dispositions.get(cd)
        if got is None:
            got = self._dispositions[cd] = _splitparam(cd)[0].lower()
        return got

    def params(self, ct: str | None, cd: str | None) -> tuple[str | None, str | None, str | None]:
        """``(get_content_charset(), get_filename(), get_boundary())`` of such a part."""
        key = (ct, cd)
        got = self._params.get(key)
        if got is None and cd is None and ct is not None:
            simple = _SIMPLE_MULTIPART.fullmatch(ct)
            if simple:  # no charset, no name: only the boundary (get_boundary strips its end)
                return None, None, (simple.group(1) or simple.group(2)).rstrip()
        if got is None:
            m = Message()
            if ct is not None:
                m._headers.append(("Content-Type", ct))  # noqa: SLF001 - as the parser stores it
            if cd is not None:
                m._headers.append(("Content-Disposition", cd))  # noqa: SLF001
            got = (m.get_content_charset(), m.get_filename(), m.get_boundary())
            self._params[key] = got
        return got


class Part:
    """One MIME part: ``headers`` (lower-case name -> first value, as ``compat32`` gives it),
    ``ctype``, ``payload`` (the raw bytes of a leaf, ``None`` otherwise) and ``children``
    (sub-parts of a multipart or the mail inside a ``message/*`` part; ``None`` for a leaf)."""

    __slots__ = ("headers", "ctype", "payload", "children", "params")

    def __init__(self, headers: dict[str, str] | None = None, ctype: str = "text/plain",
                 payload: bytes | None = None) -> None:
        self.headers: dict[str, str] = {} if headers is None else headers
        self.ctype = ctype
        self.payload = payload
        self.children: list[Part] | None = None
        #: :meth:`Facts.params` of its headers, when the reading worked them out already
        self.params: tuple[str | None, str | None, str | None] | None = None

    def get(self, name: str) -> str | None:
        """The first header ``name`` (one of :data:`HEADERS`), ``None`` when there is none."""
        key = name.lower()
        if key not in HEADERS:
            raise KeyError(f"{name} is not kept by caselog.io._mime")
        return self.headers.get(key)


def _boundary_matcher(boundary: bytes):
    """The library's ``--boundary(--)?[ \\t]*(\\r\\n|\\r|\\n)?$`` on one line: ``None`` or
    ``(is the close boundary, line end)``."""
    sep = b"--" + boundary
    n = len(sep)

    def match(line: bytes):
        if not line.startswith(sep):
            return None
        rest = line[n:]
        end = rest[:2] == b"--"
        if end:
            rest = rest[2:]
        rest = rest.lstrip(b" \t")
        if rest == b"" or rest in _EOL:
            return end, rest
        return None

    return match


def _headers(lines: list[bytes]) -> dict[str, str]:
    """``feedparser._parse_headers`` + ``Compat32.header_source_parse`` for the headers in
    :data:`HEADERS`: the first value of each (folded lines joined as the library joins them)."""
    out: dict[str, str] = {}
    n = len(lines)
    k = 1 if lines[0].startswith(b"From ") else 0  # the Unix From_ line
    while k < n:
        line = lines[k]
        k += 1
        first = line[:1]
        if first == b" " or first == b"\t":
            continue  # a continuation of a header not needed, or of none (dropped)
        if line.startswith(b"From "):
            raise Unsure("From line among the headers")
        i = line.find(b":")
        if i <= 0:
            continue  # ":x" (the library notes a defect and drops it)
        key = _WANTED.get(line[:i].lower())
        if key is None or key in out:
            continue
        value = line[i + 1:].lstrip(b" \t")
        if k < n and lines[k][:1] in _FOLD:
            folded = [value]
            while k < n and lines[k][:1] in _FOLD:
                folded.append(lines[k])
                k += 1
            value = b"".join(folded)
        value = value.rstrip(b"\r\n")
        if not value.isascii():
            raise Unsure("8-bit header")  # the library makes an email.header.Header of it
        out[key] = value.decode("ascii")
    return out


class _Reader:
    def __init__(self, lines: list[bytes], facts: Facts) -> None:
        self.lines = lines
        self.n = len(lines)
        self.i = 0
        self.eof: list = []
        self.facts = facts
        self.last: Part | None = None

    def readline(self) -> bytes:
        i = self.i
        if i >= self.n:
            return b""
        line = self.lines[i]
        if self.eof and line[:2] == b"--":
            for match in self.eof:
                if match(line):
                    return b""
        self.i = i + 1
        return line

    def rest(self) -> bytes:
        """Every line up to this part's end."""
        start = self.i
        if not self.eof:
            self.i = self.n
        else:
            lines, eof, i, n = self.lines, self.eof, start, self.n
            while i < n:
                line = lines[i]
                if line[:2] == b"--" and any(m(line) for m in eof):
                    break
                i += 1
            self.i = i
        return b"".join(self.lines[start:self.i])

    def part(self, default: str) -> Part:
        part = Part()
        self.last = part
        lines, eof, start, n = self.lines, self.eof, self.i, self.n
        i = start
        while i < n:
            line = lines[i]
            if eof and line[:2] == b"--" and any(m(line) for m in eof):
                break  # the part ends within its headers
            first = line[:1]
            if first == b" " or first == b"\t" or line.startswith(b"From ") or _HEADER_LINE.match(line):
                i += 1
                continue
            break
        header_lines = lines[start:i]
        if i < n and lines[i] in _EOL:
            i += 1  # the blank line after the headers (any other line is body)
        self.i = i
        headers = part.headers = _headers(header_lines) if header_lines else {}
        ctype = part.ctype = self.facts.ctype(headers.get("content-type"), default)
        if ctype == "message/delivery-status":
            raise Unsure("delivery status")
        main = ctype.partition("/")[0]
        if main == "message":
            part.children = [self.part("text/plain")]
            return part
        if main != "multipart":
            part.payload = self.rest()
            return part
        boundary = self.facts.params(headers.get("content-type"), headers.get("content-disposition"))[2]
        if boundary is None:
            part.payload = self.rest()
            return part
        if not boundary.isascii():
            raise Unsure("non-ASCII boundary")
        match = _boundary_matcher(boundary.encode("ascii"))
        child_default = "message/rfc822" if ctype == "multipart/digest" else "text/plain"
        preamble: list[bytes] = []
        in_preamble = True
        close_seen = False
        while True:
            line = self.readline()
            if not line:
                break
            mo = match(line)
            if mo is None:
                if not in_preamble:  # the library asserts this cannot happen
                    raise Unsure("line after a part that is no boundary")
                preamble.append(line)
                continue
            if mo[0]:
                close_seen = True
                break
            if in_preamble:
                in_preamble = False
                self.i -= 1
                continue
            while True:  # several boundary lines in a row make no part
                line = self.readline()
                if not line or match(line) is None:
                    if line:
                        self.i -= 1
                    break
            self.eof.append(match)
            if part.children is None:
                part.children = []
            child = self.part(child_default)
            part.children.append(child)
            last = self.last
            if last is not None and last.payload is not None and not last.ctype.startswith("multipart/"):
                for eol in _EOL:  # the line end before a boundary belongs to the boundary
                    if last.payload.endswith(eol):
                        last.payload = last.payload[: -len(eol)]
                        break
            self.eof.pop()
            self.last = part
        if in_preamble:
            part.payload = b"".join(preamble)
            part.children = None
            self.rest()
            return part
        if close_seen:
            self.rest()  # the epilogue
        return part


# the common mail shape, in a few searches of the whole text instead of line by line: a header
# block of ASCII header lines (``Name: value``, continuation lines) ended by a blank line, ``\n``
# line ends only
_BLOCK = re.compile(rb"(?:[\041-\071\073-\176]+:[^\n]*\n(?:[ \t][^\n]*\n)*)+")


_NAME = re.compile(r"[\041-\071\073-\176]+")


def _simple_headers(block: bytes, names: dict[str, str] | None = None) -> dict[str, str] | None:
    """:func:`_headers` of a header block of the simple shape (:data:`_BLOCK`; ``None``: not
    that shape): line by line, each line ``Name: value`` (the value without the blanks after
    the colon) or a continuation of the line before (joined to it with its line end).

    ``names`` remembers, for each header name seen, the key it is kept under (``""``: a name
    not kept), so that a name is checked and lower-cased once per read."""
    if (not block.isascii() or block[-1:] != b"\n" or block[:1] in (b" ", b"\t", b"\n")
            or b"\n\n" in block):
        return None  # not lines ended by their line end, the first a header line
    if names is None:
        names = {}
    out: dict[str, str] = {}
    key = None  # the header the continuation lines that follow belong to (None: one not kept)
    lines = block.decode("ascii").split("\n")
    lines.pop()  # the block ends with its last line's end
    for line in lines:
        first = line[0]
        if first == " " or first == "\t":
            if key is not None:
                out[key] += "\n" + line
            continue
        name, colon, value = line.partition(":")
        if not colon:
            return None  # neither a header nor a continuation line
        got = names.get(name)
        if got is None:
            if _NAME.fullmatch(name) is None:
                return None
            low = name.lower()
            got = names[name] = low if low in HEADERS else ""
        if got and got not in out:
            out[got] = value.lstrip(" \t")
            key = got
        else:
            key = None
    return out


def _simple_leaf(raw: bytes, facts: Facts, default: str) -> Part | None:
    """A mail of the simple shape read as a leaf part (``None``: not that shape); its sub-parts
    are read by :func:`_simple_sub`."""
    if raw[:1] == b"\n":
        headers: dict[str, str] | None = {}
        payload = raw[1:]
    else:
        end = raw.find(b"\n\n")
        if end < 0:
            return None
        headers = _simple_headers(raw[:end + 1], facts.names)
        if headers is None:
            return None
        payload = raw[end + 2:]
    return Part(headers, facts.ctype(headers.get("content-type"), default), payload)


def _simple_sub(body: bytes, start: int, stop: int, facts: Facts, depth: int) -> Part | None:
    """The sub-part ``body[start:stop]`` as :func:`_simple_leaf` reads a mail (its headers through
    :meth:`Facts.part_headers`) and, for a multipart or ``message/*``, its tree (``None``: not the
    simple shape); a leaf without the line end before the boundary that follows it (which belongs
    to the boundary). Read in place: only the payload is copied out of ``body``."""
    if body[start] == 10:  # "\n": no headers
        headers: dict[str, str] | None = {}
        at = start + 1
    else:
        end = body.find(b"\n\n", start, stop)
        if end < 0:
            return None
        headers = facts.part_headers(body[start:end + 1])
        if headers is None:
            return None
        at = end + 2
    ctype = facts.ctype(headers.get("content-type"), "text/plain")
    if ctype.startswith(("multipart/", "message/")):
        return _simple_tree(Part(headers, ctype, body[at:stop]), facts, depth + 1)
    return Part(headers, ctype, body[at:stop - 1] if stop > at and body[stop - 1] == 10 else body[at:stop])


def parse_simple(raw: bytes, facts: Facts) -> Part | None:
    """:func:`parse` for the usual mail, ``None`` for any other (then :func:`parse` reads it).

    The usual mail: ``\\n`` line ends only, a header block of ASCII header lines ended by a blank
    line (or no headers and a blank line); a leaf part (not ``message/*``), or a multipart (not a
    digest) with an ASCII boundary whose parts are of that shape too (nested up to three deep),
    each after one boundary line, the last one followed by the close boundary (the line end
    before a boundary line belongs to it, as in :func:`parse`).
    """
    if b"\r" in raw:
        return None
    root = _simple_leaf(raw, facts, "text/plain")
    if root is None:
        return None
    return _simple_tree(root, facts, 0)


def _simple_tree(part: Part, facts: Facts, depth: int) -> Part | None:
    """``part`` (read by :func:`_simple_leaf`) with its sub-parts, ``None``: not the simple shape."""
    main = part.ctype.partition("/")[0]
    if main == "message":
        return None
    if main != "multipart":
        return part
    if part.ctype == "multipart/digest" or depth >= 3:
        return None
    part.params = facts.params(part.headers.get("content-type"), part.headers.get("content-disposition"))
    boundary = part.params[2]
    if boundary is None or not boundary.isascii():
        return None
    body = part.payload or b""
    size = len(body)
    sep = b"--" + boundary.encode("ascii")
    width = len(sep)
    # every boundary line up to the close one: (start, end after its line end, is the close one)
    lines: list[tuple[int, int, bool]] = []
    at = body.find(sep)
    while at >= 0:
        if at == 0 or body[at - 1] == 10:  # 10 is "\n": at a line start
            rest = at + width
            close = body.startswith(b"--", rest)
            if close:
                rest += 2
            if body.startswith(b"\n", rest):  # the usual boundary line: its line end right after it
                lines.append((at, rest + 1, close))
                if close:
                    break
            else:  # blanks may follow it, and the text may end without a line end
                eol = body.find(b"\n", rest)
                stop = size if eol < 0 else eol
                if body[rest:stop].strip(b" \t") == b"":
                    lines.append((at, size if eol < 0 else eol + 1, close))
                    if close:
                        break
        at = body.find(sep, at + width)
    if len(lines) < 2 or lines[0][2] or not lines[-1][2]:
        return None  # no part, or no close boundary: left to parse
    children: list[Part] = []
    for (_, start, _), (stop, _, _) in zip(lines, lines[1:], strict=False):
        if start >= stop:
            return None  # boundary lines in a row
        child = _simple_sub(body, start, stop, facts, depth)
        if child is None:
            return None
        children.append(child)
    part.payload = None
    part.children = children
    return part


def parse(raw: bytes, facts: Facts) -> Part:
    """The MIME tree of one mail (raises :class:`Unsure` when :mod:`email` should read it)."""
    reader = _Reader(raw.splitlines(keepends=True), facts)
    return reader.part("text/plain")


def decoded_payload(part: Part) -> bytes:
    """``Message.get_payload(decode=True)`` of a leaf: its transfer encoding undone."""
    payload = part.payload or b""
    cte = part.headers.get("content-transfer-encoding", "").lower()
    if cte == "quoted-printable":
        return quopri.decodestring(payload)
    if cte == "base64":
        return decode_b(b"".join(payload.splitlines()))[0]
    if cte in _UU:
        try:
            return _decode_uu(payload)
        except ValueError:
            return payload
    return payload
