"""Read help-desk exports: Zendesk, Freshdesk, Help Scout (JSON) and Jira / Zendesk CSV.

Each public comment, conversation or thread becomes one message; internal notes (Zendesk
``public: false``, Freshdesk ``private: true``, Help Scout ``type: note``), Help Scout status
lines (``lineitem``) and drafts are skipped and counted.

Direction, in this order:

1. the author's e-mail address, where the export has one: an Amazon domain is ``amazon`` (and
   gives the team), any other address the seller side (the seller, or the agency working for it);
2. else the author's role through ``roles`` -- by default ``agent -> seller`` and
   ``requester -> amazon``: on an agency's or a seller's desk the agent is the consultant and
   Amazon is the one writing in, so the desk's own idea of "customer" points the wrong way.
   Pass ``roles={"agent": "amazon", "requester": "seller"}`` for a desk run the other way round;
3. else (Jira, a CSV with user names) the author's name as written, for the loader's
   ``values={"direction": {...}}`` to map; unmapped names are rejects that say so.

The case ID is an Amazon case ID in the ticket's subject, external ID, tags or text, else the
ticket's own ID (``ZD-123``, ``FD-45``, ``HS-678``, the Jira issue key).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path

from ..errors import EmptyFileError, FileFormatError, SourceNotFoundError
from ._addresses import AmazonAddresses
from ._raw import RawTable, Skipped, find_case_id, raw_table
from ._replies import cut_reply, html_to_text, tidy_text

__all__ = ["read_helpdesk", "read_helpdesk_json", "read_helpdesk_csv", "detect_helpdesk", "DEFAULT_ROLES"]

DEFAULT_ROLES: Mapping[str, str] = {"agent": "seller", "requester": "amazon"}
_CHANNELS = {"email": "email", "mail": "email", "voice": "phone", "phone": "phone", "chat": "chat",
             "beaconchat": "chat", "twitter": "social", "facebook": "social", "web": "other", "api": "other"}
_JIRA_COMMENT = re.compile(r"^\s*([^;]{6,40});([^;]*);(.*)$", re.DOTALL)


class _Out:
    """Collects rows and skipped items of one file."""

    def __init__(self, file: str, addresses: AmazonAddresses, roles: Mapping[str, str]):
        self.file, self.addresses, self.roles = file, addresses, dict(DEFAULT_ROLES) | dict(roles)
        self.records: list[dict[str, str]] = []
        self.where: list[str] = []
        self.skipped: list[Skipped] = []
        self._who: dict[tuple[str, str, str], tuple[str, str]] = {}

    def who(self, email: str, name: str, role: str) -> tuple[str, str]:
        """``(direction, team)`` by the rule in the module docstring (once per distinct author)."""
        key = (email, name, role)
        got = self._who.get(key)
        if got is None:
            got = self._who[key] = self._work_out(email, name, role)
        return got

    def _work_out(self, email: str, name: str, role: str) -> tuple[str, str]:
        if email and "@" in email:
            if self.addresses.is_amazon(email):
                return "amazon", self.addresses.team_of(email, name) or ""
            return "seller", ""
        if role in self.roles:
            return self.roles[role], ""
        return name or role, ""

    def add(self, where: str, **fields: str) -> None:
        self.records.append(fields)
        self.where.append(where)

    def skip(self, where: str, reason: str) -> None:
        self.skipped.append(Skipped(self.file, where, reason))

    def table(self, desk: str) -> RawTable:
        counts: dict[str, int] = {}
        for s in self.skipped:
            counts[s.reason] = counts.get(s.reason, 0) + 1
        notes = [f"{self.file}: {desk} export, {len(self.records)} messages"
                 + (", skipped: " + ", ".join(f"{n} {r}" for r, n in sorted(counts.items())) if counts else "")]
        return raw_table(self.records, file=self.file, rows=list(range(1, len(self.records) + 1)),
                         where=self.where, skipped=self.skipped, notes=notes)


def _text(plain: object, html: object) -> str:
    if isinstance(plain, str) and plain.strip():
        return cut_reply(plain)
    if isinstance(html, str) and html.strip():
        return cut_reply(html_to_text(html))
    return ""


def _files(attachments: object) -> int:
    if not isinstance(attachments, list):
        return 0
    return sum(1 for a in attachments if not (isinstance(a, dict) and a.get("inline")))


def _case_id(prefix: str, ticket_id: object, *texts: object) -> str:
    found = find_case_id(*[t if isinstance(t, str) else " ".join(map(str, t)) if isinstance(t, list) else "" for t in texts])
    return found or (f"{prefix}-{ticket_id}" if ticket_id not in (None, "") else "")


def _status(value: object) -> str:
    v = str(value or "").lower()
    return "closed" if v in ("closed", "solved", "resolved", "4", "5") else "open" if v else ""


# --------------------------------------------------------------------------- Zendesk


def _zendesk(data: dict | list, out: _Out) -> None:
    users = {u.get("id"): u for u in (data.get("users", []) if isinstance(data, dict) else []) if isinstance(u, dict)}
    if isinstance(data, dict) and "ticket" in data:
        tickets = [dict(data["ticket"], comments=data.get("comments", data["ticket"].get("comments", [])))]
    elif isinstance(data, dict):
        tickets = data.get("tickets") or []
        if not tickets and "comments" in data:  # comments of several tickets, each with ticket_id
            by: dict[object, list] = {}
            for c in data["comments"]:
                by.setdefault(c.get("ticket_id"), []).append(c)
            tickets = [{"id": k, "comments": v} for k, v in by.items()]
    else:
        tickets = data
    for t in tickets:
        comments = t.get("comments") or []
        first = next((c.get("plain_body") or c.get("body") or "" for c in comments), "")
        case = _case_id("ZD", t.get("id"), t.get("subject", ""), str(t.get("external_id") or ""),
                        t.get("tags") or [], t.get("description") or "", first)
        requester = t.get("requester_id")
        for n, c in enumerate(comments, start=1):
            where = f"ticket {t.get('id')} comment {c.get('id', n)}"
            if c.get("public") is False:
                out.skip(where, "internal note (public: false)")
                continue
            author = users.get(c.get("author_id"), {})
            source = ((c.get("via") or {}).get("source") or {}).get("from") or {}
            email = str(c.get("author_email") or author.get("email") or source.get("address") or "")
            name = str(author.get("name") or source.get("name") or "")
            role = "requester" if c.get("author_id") == requester or author.get("role") == "end-user" else "agent"
            direction, team = out.who(email, name, role)
            channel = _CHANNELS.get(str((c.get("via") or {}).get("channel") or "email"), "other")
            out.add(where, case_id=case, sent_at=str(c.get("created_at") or ""), direction=direction, team=team,
                    channel=channel, subject=str(t.get("subject") or ""),
                    body=_text(c.get("plain_body") or c.get("body"), c.get("html_body")),
                    attachments=str(_files(c.get("attachments"))), status=_status(t.get("status")))


# --------------------------------------------------------------------------- Freshdesk


def _freshdesk(data: dict | list, out: _Out) -> None:
    if isinstance(data, dict):
        if "conversations" in data and "id" in data and "subject" in data:
            tickets = [data]
        else:
            items = data.get("conversations") or data.get("tickets") or []
            tickets = items if items and "conversations" in items[0] else None
            data = items
    else:
        tickets = None
    if tickets is None:  # a flat list of conversations with ticket_id
        by: dict[object, list] = {}
        for c in data:
            by.setdefault(c.get("ticket_id"), []).append(c)
        tickets = [{"id": k, "conversations": v} for k, v in by.items()]
    for t in tickets:
        convs = t.get("conversations") or []
        case = _case_id("FD", t.get("id"), t.get("subject", ""), t.get("tags") or [],
                        t.get("description_text") or "", *[c.get("body_text") or "" for c in convs[:1]])
        requester = (t.get("requester") or {}).get("email", "")
        if t.get("description_text") or t.get("description"):
            direction, team = out.who(requester, "", "requester")
            out.add(f"ticket {t.get('id')} description", case_id=case, sent_at=str(t.get("created_at") or ""),
                    direction=direction, team=team, channel="email", subject=str(t.get("subject") or ""),
                    body=_text(t.get("description_text"), t.get("description")),
                    attachments=str(_files(t.get("attachments"))), status=_status(t.get("status")))
        for n, c in enumerate(convs, start=1):
            where = f"ticket {c.get('ticket_id', t.get('id'))} conversation {c.get('id', n)}"
            if c.get("private") is True:
                out.skip(where, "internal note (private: true)")
                continue
            role = "requester" if c.get("incoming") else "agent"
            direction, team = out.who(str(c.get("from_email") or ""), "", role)
            out.add(where, case_id=case, sent_at=str(c.get("created_at") or ""), direction=direction, team=team,
                    channel="email", subject=str(t.get("subject") or ""),
                    body=_text(c.get("body_text"), c.get("body")), attachments=str(_files(c.get("attachments"))),
                    status=_status(t.get("status")))


# --------------------------------------------------------------------------- Help Scout


def _helpscout(data: dict | list, out: _Out) -> None:
    if isinstance(data, dict) and "threads" in (data.get("_embedded") or {}) and "subject" not in data:
        convs = [{"id": "", "_embedded": data["_embedded"]}]
    elif isinstance(data, dict) and "conversations" in (data.get("_embedded") or {}):
        convs = data["_embedded"]["conversations"]
    elif isinstance(data, dict):
        convs = [data]
    else:
        convs = data
    for conv in convs:
        threads = (conv.get("_embedded") or {}).get("threads") or conv.get("threads") or []
        number = conv.get("number") or conv.get("id")
        case = _case_id("HS", number, conv.get("subject", ""), conv.get("tags") or [],
                        *[th.get("body") or "" for th in threads])
        for n, th in enumerate(threads, start=1):
            where = f"conversation {number} thread {th.get('id', n)}"
            kind = str(th.get("type") or "").lower()
            if kind == "note":
                out.skip(where, "internal note (type: note)")
                continue
            if kind == "lineitem":
                out.skip(where, "status change (type: lineitem)")
                continue
            if str(th.get("state") or "").lower() == "draft":
                out.skip(where, "draft, never sent")
                continue
            by = th.get("createdBy") or {}
            email = str(by.get("email") or (th.get("customer") or {}).get("email") or "")
            name = " ".join(str(by.get(k) or "") for k in ("first", "last")).strip()
            role = "requester" if (by.get("type") == "customer" or kind == "customer") else "agent"
            direction, team = out.who(email, name, role)
            via = str((th.get("source") or {}).get("type") or ("chat" if kind == "chat" else "phone" if kind == "phone" else "email"))
            out.add(where, case_id=case, sent_at=str(th.get("createdAt") or ""), direction=direction, team=team,
                    channel=_CHANNELS.get(via, "email"), subject=str(conv.get("subject") or ""),
                    body=_text(None, th.get("body")) if "<" in str(th.get("body") or "") else _text(th.get("body"), None),
                    attachments=str(_files((th.get("_embedded") or {}).get("attachments"))),
                    status=_status(conv.get("status")))


# --------------------------------------------------------------------------- detection and files


def detect_helpdesk(data: object) -> str | None:
    """``"zendesk"``, ``"freshdesk"``, ``"helpscout"`` or ``None`` from a parsed JSON export."""
    def keys_of(obj: object, depth: int = 0) -> set[str]:
        if depth > 4:
            return set()
        if isinstance(obj, dict):
            found = set(obj)
            for v in obj.values():
                if isinstance(v, (dict, list)):
                    found |= keys_of(v, depth + 1)
            return found
        if isinstance(obj, list) and obj:
            return keys_of(obj[0], depth + 1)
        return set()

    keys = keys_of(data)
    if {"createdBy", "createdAt"} & keys and ("threads" in keys or "type" in keys):
        return "helpscout"
    if {"body_text", "incoming", "private"} & keys and ("from_email" in keys or "incoming" in keys):
        return "freshdesk"
    if {"public", "author_id"} <= keys or ({"plain_body", "html_body"} & keys and "public" in keys):
        return "zendesk"
    return None


def read_helpdesk_json(path: str | Path, *, addresses: AmazonAddresses | None = None,
                       roles: Mapping[str, str] | None = None, desk: str | None = None) -> RawTable:
    """Read a Zendesk, Freshdesk or Help Scout JSON export (``desk=`` forces one)."""
    path = Path(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise EmptyFileError("is empty: no tickets", file=path.name)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileFormatError(f"is not readable JSON ({exc})", file=path.name) from None
    desk = desk or detect_helpdesk(data)
    if desk not in ("zendesk", "freshdesk", "helpscout"):
        raise FileFormatError(
            "is JSON but not a help-desk export caselog knows: looked for Zendesk comments "
            "(public, author_id), Freshdesk conversations (body_text, incoming, private) and Help "
            "Scout threads (type, createdBy, createdAt)",
            file=path.name,
        )
    out = _Out(path.name, addresses or AmazonAddresses(), roles or {})
    try:
        {"zendesk": _zendesk, "freshdesk": _freshdesk, "helpscout": _helpscout}[desk](data, out)
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        raise FileFormatError(f"does not have the shape of a {desk} export ({type(exc).__name__}: {exc})",
                              file=path.name) from None
    if not out.records and not out.skipped:
        raise EmptyFileError(f"is a {desk} export without comments", file=path.name)
    return out.table({"zendesk": "Zendesk", "freshdesk": "Freshdesk", "helpscout": "Help Scout"}[desk])


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise EmptyFileError("is empty: no header", file=path.name)
    return [h.strip() for h in rows[0]], rows[1:]


def read_helpdesk_csv(path: str | Path, *, addresses: AmazonAddresses | None = None,
                      roles: Mapping[str, str] | None = None) -> RawTable:
    """Read Jira's CSV (repeated ``Comment`` columns) or Zendesk's ticket-comment CSV."""
    path = Path(path)
    header, rows = _csv_rows(path)
    low = [h.lower() for h in header]
    out = _Out(path.name, addresses or AmazonAddresses(), roles or {})
    if low.count("comment") >= 1 and ("issue key" in low or "summary" in low):
        col = {h: low.index(h) for h in ("issue key", "summary", "status", "description") if h in low}
        case_col = next((i for i, h in enumerate(low) if "case id" in h or "amazon case" in h), None)
        comment_cols = [i for i, h in enumerate(low) if h == "comment"]
        for r, row in enumerate(rows, start=2):
            row = row + [""] * (len(header) - len(row))
            key = row[col["issue key"]] if "issue key" in col else f"row {r}"
            summary = row[col["summary"]] if "summary" in col else ""
            case = (row[case_col].strip() if case_col is not None else "") or _case_id(
                "JIRA", "", summary, row[col["description"]] if "description" in col else "") or key
            for n, i in enumerate(comment_cols, start=1):
                cell = row[i].strip()
                if not cell:
                    continue
                m = _JIRA_COMMENT.match(cell)
                when, author, body = (m.group(1), m.group(2), m.group(3)) if m else ("", "", cell)
                direction, team = out.who(author.strip(), author.strip(), "")
                out.add(f"row {r} ({key}) comment {n}", case_id=case, sent_at=when.strip(), direction=direction,
                        team=team, channel="other", subject=summary, body=tidy_text(body),
                        status=_status(row[col["status"]] if "status" in col else ""))
        return out.table("Jira")
    if "public" in low and any(h in low for h in ("ticket_id", "ticket id")):
        def get(row: list[str], *names: str) -> str:
            for n in names:
                if n in low:
                    return row[low.index(n)].strip()
            return ""
        rows = [row + [""] * (len(header) - len(row)) for row in rows]
        texts: dict[str, list[str]] = {}
        for row in rows:
            texts.setdefault(get(row, "ticket_id", "ticket id"), []).extend(
                [get(row, "subject"), get(row, "plain_body", "body")])
        cases = {t: _case_id("ZD", t, *v) for t, v in texts.items()}
        for r, row in enumerate(rows, start=2):
            where = f"row {r}"
            if not any(v.strip() for v in row):
                continue
            if get(row, "public").lower() in ("false", "0", "no", "private", "internal"):
                out.skip(where, "internal note (public: false)")
                continue
            author = get(row, "author_email", "author email", "email", "author", "user", "author_id")
            direction, team = out.who(author, author, get(row, "role", "author_role").lower().replace("end-user", "requester"))
            out.add(where, case_id=cases[get(row, "ticket_id", "ticket id")],
                    sent_at=get(row, "created_at", "created at"), direction=direction, team=team, channel="email",
                    subject=get(row, "subject"), body=cut_reply(get(row, "plain_body", "body")),
                    attachments=get(row, "attachments") or "0")
        return out.table("Zendesk comment CSV")
    raise FileFormatError(
        "is not a help-desk CSV caselog knows: a Jira export needs 'Issue key' and 'Comment' "
        "columns, a Zendesk comment export 'ticket_id' and 'public'",
        file=path.name,
    )


def read_helpdesk(path: str | Path, *, addresses: AmazonAddresses | None = None,
                  roles: Mapping[str, str] | None = None, desk: str | None = None) -> RawTable:
    """Read a help-desk export (``.json``: Zendesk, Freshdesk, Help Scout; ``.csv``: Jira, Zendesk).

    Examples
    --------
    >>> t = read_helpdesk("tests/data/helpdesk/zendesk_tickets.json")  # from the repository root
    >>> t.frame[["case_id", "direction", "team"]].values.tolist()[0]
    ['12345678901', 'amazon', 'Seller Performance']
    >>> [s.reason for s in t.skipped]
    ['internal note (public: false)']
    """
    path = Path(path)
    if not path.exists():
        raise SourceNotFoundError("does not exist", file=str(path))
    if path.suffix.lower() == ".csv":
        return read_helpdesk_csv(path, addresses=addresses, roles=roles)
    return read_helpdesk_json(path, addresses=addresses, roles=roles, desk=desk)
