"""The committed sample files: two tools' exports of the same history load to the same messages."""

import pandas as pd

import caselog

COLUMNS = ["case_id", "account", "sent_at", "direction", "team", "channel", "subject", "body",
           "attachments", "kind"]


def test_csv_and_xlsx_give_the_same_messages(sample_dir, sample):
    a = caselog.load(sample_dir / "caselog_sample.csv")
    b = caselog.load(sample_dir / "caselog_sample.xlsx")
    for log in (a, b):
        assert (len(log.messages), len(log.rejects), log.duplicates) == (len(sample.messages), 0, 0)
        assert log.input_rows == len(sample.messages)
    pd.testing.assert_frame_equal(a.messages[COLUMNS], b.messages[COLUMNS])
    # and both equal the generator's canonical table
    pd.testing.assert_frame_equal(a.messages[COLUMNS], sample.messages[COLUMNS].reset_index(drop=True))
    # the two files' date columns were read in different ways, and that is reported
    assert any("Sent: month-first" in d for d in a.decisions)
    assert any("Timestamp: spreadsheet date cells" in d for d in b.decisions)
    assert any("Opened: day-first" in d for d in b.decisions)


def test_cases_sheet_matches_the_generator(sample_dir, sample):
    b = caselog.load(sample_dir / "caselog_sample.xlsx")
    got = b.cases.set_index("case_id").sort_index()
    want = sample.cases.set_index("case_id").sort_index()
    for col in ("account", "category", "status", "opened_at", "closed_at", "outcome"):
        pd.testing.assert_series_equal(got[col], want[col], check_names=False)
    # the sheet wins where it lists ASINs; where it leaves them empty, the messages fill the gap
    listed = want["asins"].ne("")
    pd.testing.assert_series_equal(got.loc[listed, "asins"], want.loc[listed, "asins"], check_names=False)
    filled = got.loc[~listed & got["asins"].ne("")]
    assert len(filled) > 0
    m = b.messages
    for case_id, asins in filled["asins"].head(5).items():
        text = " ".join(m.loc[m["case_id"] == case_id, "body"])
        assert all(a in text for a in asins.split(", "))


def test_loading_the_folder_counts_the_second_copy_as_duplicates(sample_dir, sample):
    log = caselog.load(sample_dir)
    n = len(sample.messages)
    assert (log.input_rows, len(log.messages), log.duplicates) == (2 * n, n, n)
    assert log.input_rows == len(log.messages) + len(log.rejects) + log.duplicates
