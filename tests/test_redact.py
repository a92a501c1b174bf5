"""Redaction: what is masked (with counts per kind) and, as important, what must stay."""

from __future__ import annotations

import pandas as pd
import pytest

from caselog.model import CaseLog
from caselog.redact import REDACTION_KINDS, describe_counts, redact, redact_text, redact_with_report
from caselog.schema import empty_rejects


def _one(text: str, **kw) -> tuple[str, dict[str, int]]:
    out, counts = redact_text(pd.Series([text], dtype="str"), **kw)
    return out.iloc[0], counts


# ------------------------------------------------------------------------------- masked


def test_seller_message_with_every_kind():
    text = (
        "Hello Jane,\n"
        "Please call me at +1 (206) 266-1000 or 206-266-1000, or write to jane.doe@example.com.\n"
        "Our warehouse is at 410 Terry Ave N, Suite 200, Seattle.\n"
        "Regards,\n"
        "John"
    )
    out, counts = _one(text)
    assert out == (
        "Hello [name],\n"
        "Please call me at [phone] or [phone], or write to [email].\n"
        "Our warehouse is at [address], Seattle.\n"
        "Regards,\n"
        "[name]"
    )
    assert counts == {"e-mail": 1, "phone": 2, "address": 1, "name": 2}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dear Mr. Smith,\nThanks.", "Dear [name],\nThanks."),
        ("Dear Mrs Anna Maria Lopez,", "Dear [name],"),
        ("Hi Tom!", "Hi [name]!"),
        ("Good morning Dr. Schmidt,", "Good morning [name],"),
        ("Thank you,\nMaria Lopez", "Thank you,\n[name]"),
        ("Best,\nAisha", "Best,\n[name]"),
        ("Kind regards,\nTom R.", "Kind regards,\n[name]"),
        ("Many thanks, John", "Many thanks, [name]"),
        ("Sincerely,\r\nJean-Luc Picard", "Sincerely,\r\n[name]"),
    ],
)
def test_names_in_greetings_and_signoffs(text, expected):
    out, counts = _one(text)
    assert out == expected
    assert counts["name"] == 1


@pytest.mark.parametrize(
    "phone",
    [
        "+44 20 7946 0958",
        "+1 (206) 266-1000",
        "+49 30 123456",
        "(206) 266-1000",
        "206-266-1000",
        "206.266.1000",
        "206 266 1000",
        "1-800-555-0199",
    ],
)
def test_phone_forms(phone):
    out, counts = _one(f"Call {phone} today.")
    assert out == "Call [phone] today."
    assert counts["phone"] == 1


@pytest.mark.parametrize(
    "address",
    [
        "1600 Pennsylvania Avenue",
        "12 Main St",
        "221B Baker Street",
        "500 Oak Road",
        "77 Sunset Blvd",
        "9 Elm Lane",
        "3000 Ocean Dr",
        "410 Terry Ave N, Suite 200",
        "15 W 47th Street Apt 4B",
    ],
)
def test_street_addresses(address):
    out, counts = _one(f"Ship to {address}, thanks")
    assert out == "Ship to [address], thanks"
    assert counts["address"] == 1


def test_order_ids_only_when_asked():
    text = "Order 123-1234567-1234567 was refunded."
    out, counts = _one(text)
    assert out == text and counts["phone"] == 0 and "order id" not in counts
    out, counts = _one(text, order_ids=True)
    assert out == "Order [order id] was refunded."
    assert counts["order id"] == 1


# ------------------------------------------------------------------------------- kept


KEEP = [
    "ASIN B0ABCDEFGH and B07XJ8C8F5 are affected.",
    "Case ID 12345678901 was opened on 03/31/2026.",
    "Refund of $1,234.56 on 2026-03-31 14:05 and 31/03/2026.",
    "Order 123-1234567-1234567 is late.",
    "Hello Seller Support,\nplease review.",
    "Hello Account Health,\nany news?",
    "Hello team,\nany news?",
    "Dear Seller Performance,\nplease review.",
    "Dear Seller,\nWe are unable to reinstate your account.",
    "Hello Amazon Selling Partner Support,",
    "Dear Sir or Madam,",
    "Regards,\nSeller Performance Team",
    "Sincerely,\nAmazon.com",
    "Thanks,\nThe Amazon Team",
    "Thank you for contacting Amazon Seller Support.",
    "We waited 48 hours and 3 Business Days.",
    "Invoice INV-2026-0042, qty 1200, 15 units at 3.50 each.",
    "Tracking 1Z999AA10123456784, version 2.10.3, ISBN 978-3-16-148410-0.",
    "Account health rating 180 of 1000 (score 2026).",
]


@pytest.mark.parametrize("text", KEEP)
def test_must_not_mask(text):
    out, counts = _one(text)
    assert out == text
    assert sum(counts.values()) == 0


# ------------------------------------------------------------------------------- CaseLog


def _log() -> CaseLog:
    messages = pd.DataFrame(
        {
            "message_id": pd.Series([0, 1], dtype="int64"),
            "case_id": pd.Series(["12345678901", "12345678901"], dtype="str"),
            "account": pd.Series(["Acme", "Acme"], dtype="str"),
            "sent_at": pd.to_datetime(["2026-03-01 09:00", "2026-03-02 10:00"], utc=True),
            "direction": pd.Series(["seller", "amazon"], dtype="str"),
            "team": pd.Series(["Seller Performance"] * 2, dtype="str"),
            "channel": pd.Series(["case", "case"], dtype="str"),
            "subject": pd.Series(["Appeal from jane@acme.com", "Re: Appeal"], dtype="str"),
            "body": pd.Series(
                ["Hello Seller Performance,\nCall 206-266-1000.\nRegards,\nJane Roe",
                 "Dear Jane,\nWe are unable to accept your appeal for B0ABCDEFGH."],
                dtype="str",
            ),
            "attachments": pd.Series([1, 0], dtype="int64"),
            "kind": pd.Series(["poa", "denial"], dtype="str"),
            "source": pd.Series(["x.csv row 2", "x.csv row 3"], dtype="str"),
        }
    )
    cases = pd.DataFrame(
        {
            "case_id": pd.Series(["12345678901"], dtype="str"),
            "account": pd.Series(["Acme"], dtype="str"),
            "category": pd.Series(["Account suspension"], dtype="str"),
            "status": pd.Series(["open"], dtype="str"),
            "opened_at": pd.to_datetime(["2026-03-01 09:00"], utc=True),
            "closed_at": pd.to_datetime([pd.NaT], utc=True),
            "outcome": pd.Series(["call back on +44 20 7946 0958"], dtype="str"),
            "asins": pd.Series(["B0ABCDEFGH"], dtype="str"),
            "source": pd.Series(["x.csv"], dtype="str"),
        }
    )
    rejects = pd.concat(
        [
            empty_rejects(),
            pd.DataFrame(
                {
                    "file": ["x.csv"], "sheet": [""], "row": [4], "source": ["x.csv row 4"],
                    "reason": ["no date"],
                    "raw": ["Case ID=12345678901; From=Seller; Message=mail bob@shop.com"],
                }
            ),
        ],
        ignore_index=True,
    ).astype({"row": "int64"})
    return CaseLog(messages=messages, cases=cases, rejects=rejects, decisions=("read x.csv",))


def test_redact_caselog_masks_every_text_column_and_reports():
    log = _log()
    safe, report = redact_with_report(log)
    assert safe.messages["subject"].tolist() == ["Appeal from [email]", "Re: Appeal"]
    assert safe.messages["body"].tolist() == [
        "Hello Seller Performance,\nCall [phone].\nRegards,\n[name]",
        "Dear [name],\nWe are unable to accept your appeal for B0ABCDEFGH.",
    ]
    assert safe.cases["outcome"].tolist() == ["call back on [phone]"]
    assert safe.rejects["raw"].tolist() == [
        "Case ID=12345678901; From=Seller; Message=mail [email]"
    ]
    # IDs, dates, other columns untouched
    for col in ("case_id", "sent_at", "direction", "account", "attachments", "kind"):
        pd.testing.assert_series_equal(safe.messages[col], log.messages[col])
    assert safe.cases["asins"].tolist() == ["B0ABCDEFGH"]
    counts = dict(zip(report["kind"], report["count"], strict=True))
    assert counts == {"e-mail": 2, "phone": 2, "address": 0, "name": 2}
    assert report.loc[report["kind"] == "e-mail", "columns"].item() == (
        "messages.subject, rejects.raw"
    )
    assert safe.decisions == (
        "read x.csv",
        "redacted: 2 e-mail addresses, 2 phone numbers, 0 street addresses, 2 names",
    )
    # the original is not modified
    assert "jane@acme.com" in log.messages["subject"].iloc[0]


def test_redact_simple_call_and_order_ids():
    log = _log()
    log = CaseLog(
        messages=log.messages.assign(body=["Order 123-1234567-1234567", "ok"]),
        cases=log.cases,
    )
    safe = redact(log)
    assert safe.messages["body"].iloc[0] == "Order 123-1234567-1234567"
    safe = redact(log, order_ids=True)
    assert safe.messages["body"].iloc[0] == "Order [order id]"
    assert "1 order IDs" in safe.decisions[-1]


def test_redact_empty_log_and_kinds():
    log = _log()
    empty = CaseLog(messages=log.messages.iloc[:0], cases=log.cases.iloc[:0])
    safe, report = redact_with_report(empty)
    assert len(safe.messages) == 0
    assert report["count"].sum() == 0
    assert list(report["kind"]) == ["e-mail", "phone", "address", "name"]
    assert list(REDACTION_KINDS) == ["e-mail", "order id", "phone", "address", "name", "account"]
    assert describe_counts({}) == "redacted: nothing"


def test_redact_keeps_missing_values_and_index():
    s = pd.Series(["mail a@b.co", None, "x"], index=[10, 20, 30], dtype="str")
    out, counts = redact_text(s)
    assert out.index.tolist() == [10, 20, 30]
    assert out.iloc[0] == "mail [email]" and pd.isna(out.iloc[1]) and out.iloc[2] == "x"
    assert counts["e-mail"] == 1


def test_redact_sample_keeps_ids(sample_log):
    safe, report = redact_with_report(sample_log, order_ids=False)
    assert report["count"].sum() > 0
    pd.testing.assert_series_equal(safe.messages["case_id"], sample_log.messages["case_id"])
    asins = sample_log.messages["body"].str.count(r"\bB0[A-Z0-9]{8}\b").sum()
    assert safe.messages["body"].str.count(r"\bB0[A-Z0-9]{8}\b").sum() == asins
    assert not safe.messages["body"].str.contains(r"[\w.]+@[\w-]+\.\w{2,}", regex=True).any()
