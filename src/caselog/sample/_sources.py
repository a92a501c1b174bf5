"""The sample's histories as the other sources a seller has: a mailbox, case pages, a help desk.

:func:`write_sources` writes, from the same :class:`~caselog.sample.Sample` as the CSV:

* ``caselog_sample.mbox`` -- every case whose messages are all case or e-mail messages, as
  mail: Amazon's from the team's address (``seller-performance@amazon.com``...), the seller's
  to it, quoting the mail they answer (``On ... wrote:`` and ``>`` lines), each ending with a
  ``-- `` signature that carries the case ID; one Amazon mail in five HTML-only, documents as
  PDF attachments (and an inline logo that is not one), and a few mails that are not case
  correspondence (a newsletter, an order confirmation, a calendar invitation, Amazon marketing);
* ``case_<ID>.html`` and ``case_<ID>.txt`` -- two cases as Seller Central shows them, saved from
  the browser and pasted, times in Pacific time as the US site shows them;
* ``helpdesk_zendesk.json`` -- a few cases as Zendesk tickets of an agency's desk, with an
  internal note per ticket.

Loaded with :func:`caselog.load`, each holds the same messages (case, time, sender, team, text,
attachments) as the CSV for the cases it holds.
"""

from __future__ import annotations

import html
import json
import mailbox
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from ._generate import Sample, generate

__all__ = ["write_sources", "TEAM_ADDRESSES", "mbox_cases", "page_cases", "helpdesk_cases"]

#: the address each team writes from in the sample (all in the reader's address table)
TEAM_ADDRESSES: dict[str, str] = {
    "Seller Support": "seller-support@amazon.com",
    "Account Health Services": "account-health@amazon.com",
    "Seller Performance": "seller-performance@amazon.com",
    "Product Quality": "pq-product-review@amazon.com",
    "Catalog": "catalog-team@amazon.com",
    "Executive Seller Relations": "jeff@amazon.com",
    "Captive Team": "captive-team@amazon.com",
    "Brand Registry": "brand-registry@amazon.com",
    "Payments": "seller-payments@amazon.com",
}
_PACIFIC = ZoneInfo("America/Los_Angeles")
_PDF = b"%PDF-1.4\n% caselog sample document\n"
_LOGO = b"\x89PNG\r\n\x1a\n caselog sample logo"


def _slug(account: str) -> str:
    return "".join(ch for ch in account.lower() if ch.isalnum()) or "seller"


def _cases_where(sample: Sample, channels: tuple[str, ...], one_team: bool = False) -> list[str]:
    m = sample.messages
    ok = m.groupby("case_id")["channel"].agg(lambda s: set(s) <= set(channels))
    if one_team:
        ok &= m.groupby("case_id")["team"].nunique().eq(1)
        ok &= m.groupby("case_id")["direction"].nunique().eq(2)
    return sorted(ok[ok].index.astype(str))


def mbox_cases(sample: Sample) -> list[str]:
    """The cases the mailbox holds: those with only case and e-mail messages."""
    return _cases_where(sample, ("case", "email"))


def page_cases(sample: Sample) -> list[str]:
    """The two cases written as Seller Central pages (case messages only, one team)."""
    return _cases_where(sample, ("case",), one_team=True)[:2]


def helpdesk_cases(sample: Sample) -> list[str]:
    """The cases the help-desk export holds (case and e-mail messages only)."""
    return mbox_cases(sample)[-10:]


# --------------------------------------------------------------------------- mailbox


def _html(text: str) -> str:
    paras = [p for p in text.split("\n\n")]
    return "<html><body>" + "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>" for p in paras
    ) + "</body></html>"


def _mail(row, n: int, prev, seller: str, contact: str) -> EmailMessage:
    msg = EmailMessage()
    team_address = TEAM_ADDRESSES.get(row.team, "seller-support@amazon.com")
    domain = seller.partition("@")[2]
    if row.direction == "amazon":
        msg["From"] = f"Amazon {row.team} <{team_address}>"
        msg["To"] = f"{contact} <{seller}>"
        when = row.sent_at.tz_convert(_PACIFIC)
        signature = f"\n\n-- \nCase ID: {row.case_id}\n"
    else:
        msg["From"] = f"{contact} <{seller}>"
        msg["To"] = f"Amazon {row.team} <{team_address}>"
        when = row.sent_at.tz_convert("UTC")
        signature = f"\n\n-- \n{contact}\n{row.account}\nCase ID: {row.case_id}\n"
    msg["Subject"] = row.subject
    msg["Date"] = format_datetime(when.floor("s").to_pydatetime())
    msg["Message-ID"] = f"<{row.case_id}.{n}@{'amazon.com' if row.direction == 'amazon' else domain}>"
    quote = ""
    if prev is not None:
        msg["In-Reply-To"] = prev[0]
        msg["References"] = prev[0]
        if row.direction == "seller":
            quoted = "\n".join("> " + line if line else ">" for line in prev[2].split("\n"))
            quote = f"\n\nOn {format_datetime(prev[1].floor('s').to_pydatetime())}, {prev[3]} wrote:\n{quoted}\n"
    text = row.body + signature + quote
    html_only = row.direction == "amazon" and n % 5 == 0
    if html_only:
        msg.set_content(_html(row.body + signature.replace("\n", "\n")), subtype="html")
    else:
        msg.set_content(text, cte="quoted-printable" if n % 3 == 0 else None)
    if row.direction == "seller" and n % 4 == 0:
        msg.add_related(_LOGO, maintype="image", subtype="png", cid="<logo@sample>",
                        disposition="inline", filename="logo.png")
    for k in range(int(row.attachments)):
        msg.add_attachment(_PDF + str(k).encode(), maintype="application", subtype="pdf",
                           filename=f"document-{k + 1}.pdf")
    return msg


def _fixed(msg: EmailMessage, n: int, when: pd.Timestamp) -> mailbox.mboxMessage:
    """The mail with fixed MIME boundaries and a ``From`` line of its own date (same bytes each run)."""
    for i, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_caselog_{n}_{i}")
    out = mailbox.mboxMessage(msg)
    out.set_from("sample@caselog.example", when.tz_convert("UTC").floor("s").to_pydatetime().timetuple())
    return out


def _not_case_mail(seller: str) -> list[EmailMessage]:
    out = []
    specs = [
        ("Seller Tools Weekly <news@sellertools.example>", "5 tips for your account health",
         {"List-Unsubscribe": "<mailto:unsubscribe@sellertools.example>", "Precedence": "bulk"}),
        ('"Amazon.com" <auto-confirm@amazon.com>', 'Your Amazon.com order of "Packing tape"', {}),
        ("Amazon Selling Partner News <selling-partner-news@amazon.com>", "Grow your brand this spring", {}),
    ]
    for i, (sender, subject, headers) in enumerate(specs):
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = sender, seller, subject
        msg["Date"] = f"Mon, 0{i + 2} Mar 2026 06:00:00 +0000"
        for k, v in headers.items():
            msg[k] = v
        msg.set_content("Not case correspondence.\n")
        out.append(msg)
    invite = EmailMessage()
    invite["From"], invite["To"], invite["Subject"] = seller, "account-health@amazon.com", "Call: account health"
    invite["Date"] = "Thu, 05 Mar 2026 08:00:00 +0000"
    invite.set_content("Invitation to a call.\n")
    invite.add_alternative("BEGIN:VCALENDAR\nMETHOD:REQUEST\nEND:VCALENDAR\n", subtype="calendar")
    out.append(invite)
    return out


def write_mbox(path: Path, sample: Sample, case_ids: list[str]) -> int:
    """Write the cases' messages as an mbox; returns the number of mails written."""
    m = sample.messages[sample.messages["case_id"].isin(case_ids)].sort_values(["case_id", "sent_at", "message_id"])
    path.unlink(missing_ok=True)
    box = mailbox.mbox(str(path))
    n = 0
    try:
        for _, case in m.groupby("case_id", sort=True):
            prev = None
            for row in case.itertuples(index=False):
                n += 1
                account = str(row.account)
                seller = f"appeals@{_slug(account)}.example"
                contact = f"{account} Team"
                msg = _mail(row, n, prev, seller, contact)
                box.add(_fixed(msg, n, row.sent_at))
                sender = f"Amazon {row.team} <{TEAM_ADDRESSES.get(row.team, '')}>" if row.direction == "amazon" else contact
                prev = (msg["Message-ID"], row.sent_at, row.body, sender)
        for msg in _not_case_mail("appeals@sample-seller.example"):
            n += 1
            box.add(_fixed(msg, n, pd.Timestamp("2026-03-01", tz="UTC")))
        box.flush()
    finally:
        box.close()
    return n


# --------------------------------------------------------------------------- Seller Central pages


def _shown(ts: pd.Timestamp) -> str:
    local = ts.tz_convert(_PACIFIC)
    return local.strftime("%d %b %Y %H:%M ") + local.tzname()


def _page(case: pd.DataFrame, status: str) -> tuple[str, str]:
    cid = str(case["case_id"].iloc[0])
    subject = str(case["subject"].iloc[0])
    cards, lines = [], ["Case Log", "View case", subject, f"Case ID: {cid}", f"Status: {status}", ""]
    for row in case.sort_values("sent_at", ascending=False).itertuples(index=False):
        sender = "You" if row.direction == "seller" else row.team
        files = "".join(f'<a class="attachment" href="#">document-{k + 1}.pdf</a>' for k in range(int(row.attachments)))
        body = "".join("<p>" + "<br>".join(html.escape(x) for x in p.split("\n")) + "</p>" for p in row.body.split("\n\n"))
        cards.append(
            f'<kat-box class="message-card"><div class="sender-label">{html.escape(sender)}</div>'
            f'<div class="message-time">{_shown(row.sent_at)}</div><div class="message-body">{body}</div>'
            + (f'<div class="message-attachments">{files}</div>' if files else "") + "</kat-box>"
        )
        lines += [sender, _shown(row.sent_at), row.body]
        if int(row.attachments):
            lines += [f"Attachments ({int(row.attachments)})"] + [f"document-{k + 1}.pdf" for k in range(int(row.attachments))]
        lines.append("")
    page = (
        f"<!DOCTYPE html>\n<!-- saved from url=https://sellercentral.amazon.com/cu/case-dashboard/view-case?caseID={cid} -->\n"
        f'<html><head><meta charset="utf-8"><title>Case Log | Amazon Seller Central</title></head><body>'
        f'<h1 class="case-subject">{html.escape(subject)}</h1><div class="case-summary">'
        f"<div>Case ID: {cid}</div><div>Status: {html.escape(status)}</div></div>"
        f'<div class="case-messages">{"".join(cards)}</div></body></html>\n'
    )
    return page, "\n".join(lines + ["Reply", "Was this information helpful?", ""])


def write_case_pages(directory: Path, sample: Sample, case_ids: list[str]) -> list[Path]:
    """Write each case as ``case_<ID>.html`` (saved page) and ``case_<ID>.txt`` (pasted)."""
    status = sample.cases.set_index("case_id")["status"].map({"open": "Answered", "closed": "Closed"})
    out = []
    for cid in case_ids:
        case = sample.messages[sample.messages["case_id"] == cid]
        page, text = _page(case, str(status.get(cid, "Answered")))
        (directory / f"case_{cid}.html").write_text(page, encoding="utf-8", newline="\n")
        (directory / f"case_{cid}.txt").write_text(text, encoding="utf-8", newline="\n")
        out += [directory / f"case_{cid}.html", directory / f"case_{cid}.txt"]
    return out


# --------------------------------------------------------------------------- help desk


def write_helpdesk_json(path: Path, sample: Sample, case_ids: list[str]) -> None:
    """Write the cases as a Zendesk tickets-with-comments export of an agency's desk."""
    m = sample.messages[sample.messages["case_id"].isin(case_ids)].sort_values(["case_id", "sent_at", "message_id"])
    users = {"agent": {"id": 1, "name": "Agency Consultant", "email": "consultant@agency.example", "role": "agent"}}
    tickets = []
    comment_id = 0
    for t, (cid, case) in enumerate(m.groupby("case_id", sort=True), start=1):
        comments = []
        for row in case.itertuples(index=False):
            comment_id += 1
            if row.direction == "amazon":
                address = TEAM_ADDRESSES.get(row.team, "seller-support@amazon.com")
                user = users.setdefault(address, {"id": len(users) + 100, "name": f"Amazon {row.team}",
                                                  "email": address, "role": "end-user"})
            else:
                user = users["agent"]
            comments.append({
                "id": comment_id, "type": "Comment", "author_id": user["id"], "public": True,
                "plain_body": row.body, "created_at": row.sent_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "attachments": [{"file_name": f"document-{k + 1}.pdf"} for k in range(int(row.attachments))],
                "via": {"channel": "email"},
            })
        comment_id += 1
        comments.insert(1, {"id": comment_id, "type": "Comment", "author_id": 1, "public": False,
                            "plain_body": "Internal: check the client's documents before replying.",
                            "created_at": case["sent_at"].iloc[0].strftime("%Y-%m-%dT%H:%M:%SZ"),
                            "attachments": [], "via": {"channel": "web"}})
        status = sample.cases.set_index("case_id")["status"].get(cid, "open")
        tickets.append({"id": 1000 + t, "subject": f"Case {cid}: {case['subject'].iloc[0]}",
                        "status": "solved" if status == "closed" else "open", "comments": comments})
    data = {"tickets": tickets, "users": sorted(users.values(), key=lambda u: u["id"])}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")


def write_sources(directory: str | Path, sample: Sample | None = None) -> dict[str, Path]:
    """Write the mailbox, the case pages and the help-desk export into ``directory``.

    Returns
    -------
    dict of str to Path
        ``mbox``, ``pages`` (the folder of pages: ``directory`` itself), ``helpdesk``.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_sources(tempfile.mkdtemp(), generate(n_cases=20))
    >>> sorted(paths)
    ['helpdesk', 'mbox', 'pages']
    """
    sample = generate() if sample is None else sample
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"mbox": out / "caselog_sample.mbox", "pages": out, "helpdesk": out / "helpdesk_zendesk.json"}
    write_mbox(paths["mbox"], sample, mbox_cases(sample))
    write_case_pages(out, sample, page_cases(sample))
    write_helpdesk_json(paths["helpdesk"], sample, helpdesk_cases(sample))
    return paths
