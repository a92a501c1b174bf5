"""The sample's mailbox, Seller Central pages and help-desk export load to the CSV's messages."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import caselog
from caselog.sample._sources import helpdesk_cases, mbox_cases, page_cases, write_sources

COLS = ["case_id", "sent_at", "direction", "team", "subject", "body", "attachments"]


@pytest.fixture(scope="module")
def written(sample, tmp_path_factory):
    return write_sources(tmp_path_factory.mktemp("sources"), sample)


@pytest.fixture(scope="module")
def csv_messages(sample_dir):
    return caselog.load(sample_dir / "caselog_sample.csv").messages


def same(got: pd.DataFrame, want: pd.DataFrame, cols: list[str]) -> None:
    pd.testing.assert_frame_equal(got[cols].reset_index(drop=True), want[cols].reset_index(drop=True))


def test_mbox_holds_the_csv_messages_of_its_cases(written, sample, csv_messages):
    log = caselog.load(written["mbox"])
    ids = mbox_cases(sample)
    assert len(ids) > 100
    same(log.messages, csv_messages[csv_messages["case_id"].isin(ids)], COLS)
    assert set(log.messages["channel"]) == {"email"}
    assert sorted(log.skipped["reason"].str.split(" (", regex=False).str[0]) == [
        "Amazon marketing", "calendar invitation", "newsletter or mailing list", "order or shipping confirmation"]
    assert log.input_rows == len(log.messages) + len(log.rejects) + log.duplicates + len(log.skipped)


@pytest.mark.parametrize("suffix", ["html", "txt"])
def test_case_pages_hold_the_csv_messages_of_their_case(written, sample, csv_messages, suffix):
    for cid in page_cases(sample):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no third-party warning reaches the user
            log = caselog.load(written["pages"] / f"case_{cid}.{suffix}")
        want = csv_messages[csv_messages["case_id"] == cid]
        # the page shows times as Seller Central does ("14 Mar 2026 14:05 PST"): read exactly
        cols = ["case_id", "sent_at", "direction", "team", "body", "attachments"]
        same(log.messages.sort_values("sent_at"), want.sort_values("sent_at"), cols)
        assert log.cases["status"].tolist() == sample.cases.set_index("case_id").loc[[cid], "status"].tolist()


def test_helpdesk_export_holds_the_csv_messages_of_its_tickets(written, sample, csv_messages):
    log = caselog.load(written["helpdesk"])
    want = csv_messages[csv_messages["case_id"].isin(helpdesk_cases(sample))]
    same(log.messages, want, ["case_id", "sent_at", "direction", "body", "attachments"])
    amazon = want["direction"].eq("amazon").to_numpy()
    assert log.messages["team"].to_numpy()[amazon].tolist() == want["team"].to_numpy()[amazon].tolist()
    assert len(log.skipped) == len(helpdesk_cases(sample))  # one internal note per ticket
    assert set(log.skipped["reason"]) == {"internal note (public: false)"}


def test_same_sample_same_bytes(tmp_path):
    small = caselog.sample.generate(n_cases=30)
    a = write_sources(tmp_path / "a", small)
    b = write_sources(tmp_path / "b", small)
    for key in ("mbox", "helpdesk"):
        assert a[key].read_bytes() == b[key].read_bytes()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(p.name for p in (tmp_path / "b").iterdir())
