"""Tiny hand-built case logs for the escalation and readiness tests."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from caselog.model import CaseLog


@dataclass(frozen=True)
class Msg:
    """One message of a hand-built log; ``cls``/``canned`` describe Amazon replies."""

    case_id: str
    at: str  # "2026-03-02 10:00" (UTC)
    direction: str
    body: str = ""
    team: str = "Seller Support"
    channel: str = "case"
    subject: str = ""
    attachments: int = 0
    kind: str = ""
    cls: str = "other"  # reply class of an Amazon message
    canned: bool = False  # canned repeat (Amazon)
    tpl: str = ""  # template key (Amazon); "" = a template of its own
    account: str = "acme"


def make_log(msgs: list[Msg], cases: list[dict] | None = None) -> CaseLog:
    """A CaseLog with canonical dtypes from ``msgs`` and optional case rows."""
    rows = [
        {
            "message_id": i,
            "case_id": m.case_id,
            "account": m.account,
            "sent_at": pd.Timestamp(m.at, tz="UTC"),
            "direction": m.direction,
            "team": m.team,
            "channel": m.channel,
            "subject": m.subject,
            "body": m.body,
            "attachments": m.attachments,
            "kind": m.kind,
            "source": f"test row {i + 2}",
        }
        for i, m in enumerate(msgs)
    ]
    messages = pd.DataFrame(rows)
    messages["sent_at"] = pd.to_datetime(messages["sent_at"], utc=True).astype(
        "datetime64[ns, UTC]"
    )
    messages["attachments"] = messages["attachments"].astype("int64")
    messages["message_id"] = messages["message_id"].astype("int64")
    messages = messages.sort_values(["case_id", "sent_at", "message_id"], kind="stable")
    messages = messages.reset_index(drop=True)
    case_rows = []
    for c in cases or []:
        row = {
            "case_id": c["case_id"],
            "account": c.get("account", "acme"),
            "category": c.get("category", "Account suspension"),
            "status": c.get("status", "open"),
            "opened_at": pd.Timestamp(c.get("opened_at", "2026-03-01 09:00"), tz="UTC"),
            "closed_at": pd.Timestamp(c["closed_at"], tz="UTC") if c.get("closed_at") else pd.NaT,
            "outcome": c.get("outcome", ""),
            "asins": c.get("asins", ""),
            "source": "test",
        }
        case_rows.append(row)
    cols = ["case_id", "account", "category", "status", "opened_at", "closed_at", "outcome",
            "asins", "source"]
    cases_df = pd.DataFrame(case_rows, columns=cols)
    cases_df["opened_at"] = pd.to_datetime(cases_df["opened_at"], utc=True).astype(
        "datetime64[ns, UTC]"
    )
    cases_df["closed_at"] = pd.to_datetime(cases_df["closed_at"], utc=True).astype(
        "datetime64[ns, UTC]"
    )
    for c in ("case_id", "account", "category", "status", "outcome", "asins", "source"):
        cases_df[c] = cases_df[c].astype("str")
    return CaseLog(messages=messages, cases=cases_df)


@dataclass(frozen=True)
class FakeTemplates:
    """Stands in for ``caselog.TemplateResult`` (``.messages`` and ``.cases``)."""

    messages: pd.DataFrame
    cases: pd.DataFrame


def fake_templates(log: CaseLog, msgs: list[Msg]) -> FakeTemplates:
    """Reply classes and canned flags as given in ``msgs`` (matched by message order)."""
    info = {
        i: (m.cls, m.canned, m.tpl or f"t{i}")
        for i, m in enumerate(msgs)
        if m.direction == "amazon"
    }
    am = log.messages[log.messages["direction"].eq("amazon")]
    tm = pd.DataFrame(
        {
            "message_id": am["message_id"].to_numpy(),
            "case_id": am["case_id"].to_numpy(),
            "template_id": [info[i][2] for i in am["message_id"]],
            "variant_id": 0,
            "reply_class": [info[i][0] for i in am["message_id"]],
            "is_canned_repeat": [info[i][1] for i in am["message_id"]],
        }
    )
    tm["is_repeat_denial"] = tm["is_canned_repeat"] & tm["reply_class"].eq("denial")
    g = tm.groupby("case_id", sort=True)
    cases = pd.DataFrame(
        {
            "amazon_messages": g.size(),
            "canned_repeats": g["is_canned_repeat"].sum().astype("int64"),
            "repeat_canned_denials": g["is_repeat_denial"].sum().astype("int64"),
        }
    )
    cases["longest_canned_run"] = 0
    cases = cases.reset_index()
    return FakeTemplates(messages=tm, cases=cases)
