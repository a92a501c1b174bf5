"""The partitioned run on Dask equals the single-process run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import caselog
from caselog.analysis import _distributed
from caselog.analysis._distributed import partition_by_account, partition_by_case
from caselog.errors import ConfigError
from caselog.model import CaseLog


def _log(accounts: list[str], cases: list[str]) -> CaseLog:
    n = len(cases)
    messages = pd.DataFrame({
        "message_id": np.arange(n, dtype=np.int64),
        "case_id": pd.array(cases, dtype="str"),
        "account": pd.array(accounts, dtype="str"),
    })
    return CaseLog(messages=messages, cases=pd.DataFrame({"case_id": [], "account": []}))


def test_partitions_keep_accounts_together_and_pack_largest_first():
    # A has 4 messages, B 3, C 2, D 1: A -> p0, B -> p1, C -> p1 (load 3 < 4), D -> p0 (4 < 5)
    acc = ["A"] * 4 + ["B"] * 3 + ["C"] * 2 + ["D"]
    log = _log(acc, [f"{a}{i}" for i, a in enumerate(acc)])
    parts = partition_by_account(log, 2)
    assert [sorted(set(np.asarray(acc)[p])) for p in parts] == [["A", "D"], ["B", "C"]]
    assert sorted(np.concatenate(parts).tolist()) == list(range(10))


def test_a_case_follows_its_first_account_and_empty_partitions_go():
    # case X is written from two account names: it stays whole, with its first account
    log = _log(["A", "B", "B"], ["X", "X", "Y"])
    parts = partition_by_account(log, 5)
    assert [p.tolist() for p in parts] == [[0, 1], [2]]


def test_bad_partition_count():
    with pytest.raises(ConfigError, match="n_partitions"):
        partition_by_account(_log(["A"], ["X"]), 0)


def test_case_partitions_cut_at_the_case_boundary_nearest_an_equal_share():
    # cases A (4 messages), B (3), C (2), D (1), each together: 10 rows
    cases = ["A"] * 4 + ["B"] * 3 + ["C"] * 2 + ["D"]
    log = _log(["acct"] * 10, cases)
    # half is 5 rows: the boundaries near it are 4 (1 away) and 7 (2 away)
    assert [p.tolist() for p in partition_by_case(log, 2)] == [[0, 1, 2, 3], [4, 5, 6, 7, 8, 9]]
    # thirds, 3.3 and 6.7 rows: boundaries 4 and 7
    assert [len(p) for p in partition_by_case(log, 3)] == [4, 3, 3]
    # more partitions than cases: one case each, the empty ones dropped
    assert [len(p) for p in partition_by_case(log, 9)] == [4, 3, 2, 1]
    assert [p.tolist() for p in partition_by_case(log, 1)] == [list(range(10))]


def test_case_partitions_gather_a_case_written_in_two_places():
    # X's rows are 0 and 2: they stay together, the cases in order of their first row
    log = _log(["a"] * 4, ["X", "Y", "X", "Z"])
    assert [p.tolist() for p in partition_by_case(log, 2)] == [[0, 2], [1, 3]]
    with pytest.raises(ConfigError, match="n_partitions"):
        partition_by_case(log, 0)


def test_one_account_still_splits_into_balanced_partitions():
    log = caselog.sample.generate(n_cases=80, n_accounts=1).log
    assert len(partition_by_account(log, 2)) == 1  # one account: nothing to share out
    parts = partition_by_case(log, 2)
    sizes = [len(p) for p in parts]
    assert len(parts) == 2 and sum(sizes) == len(log.messages)
    assert abs(sizes[0] - sizes[1]) <= log.messages.groupby("case_id").size().max()
    owner = {c: i for i, p in enumerate(parts) for c in log.messages["case_id"].iloc[p]}
    assert len(owner) == log.messages["case_id"].nunique()  # no case in two partitions


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    try:
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
            silence_logs=40,
        )
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"a local Dask cluster cannot start here: {exc}")
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def _same_grouping(a: pd.Series, b: pd.Series) -> bool:
    """Two labelings group the same rows (up to renumbering)."""
    x = a.astype("Int64").fillna(-1).to_numpy()
    y = b.astype("Int64").fillna(-1).to_numpy()
    pairs = set(zip(x.tolist(), y.tolist(), strict=True))
    return len(pairs) == len(set(x.tolist())) == len(set(y.tolist()))


def test_partitioned_run_equals_single_process(client):
    log = caselog.sample.generate(n_cases=200, n_accounts=5).log
    one = caselog.analyse(log)
    many = caselog.analyse_partitioned(log, client=client)
    assert len(client.scheduler_info()["workers"]) == 2
    pd.testing.assert_frame_equal(many.turns, one.turns)
    pd.testing.assert_frame_equal(many.escalations, one.escalations)
    pd.testing.assert_frame_equal(many.readiness, one.readiness)
    tm, tm1 = many.templates.messages, one.templates.messages
    assert tm["message_id"].tolist() == tm1["message_id"].tolist()
    assert _same_grouping(tm["template_id"], tm1["template_id"])
    for c in ("reply_class", "is_canned_repeat", "is_repeat_denial"):
        assert tm[c].tolist() == tm1[c].tolist()
    pd.testing.assert_frame_equal(many.templates.cases, one.templates.cases)
    assert len(many.templates.catalogue) == len(one.templates.catalogue) > 10
    # the faces read the same figures
    pd.testing.assert_frame_equal(many.kpis(), one.kpis())


def test_partitioned_run_applies_the_deadlines(client):
    # a plan of action due in 17 days, stated 16 days before as_of with no seller message
    # after it: within the deadline window, the case goes first with a deadline reason
    log = caselog.sample.generate(n_cases=60, n_accounts=3).log
    m = log.messages
    as_of = log.as_of
    case = m["case_id"].iloc[0]
    row = m[m["case_id"] == case].iloc[[-1]].copy()
    row["message_id"] = int(m["message_id"].max()) + 1
    row["direction"], row["team"] = "amazon", "Seller Performance"
    row["sent_at"] = as_of - pd.Timedelta(days=16)
    row["body"] = "Please send us an acceptable plan of action within 17 days."
    msgs = pd.concat([m[(m["case_id"] != case) | (m["sent_at"] < row["sent_at"].iloc[0])], row],
                     ignore_index=True)
    log = CaseLog(messages=msgs.sort_values(["case_id", "sent_at", "message_id"])
                  .reset_index(drop=True), cases=log.cases)
    one = caselog.analyse(log, as_of=as_of)
    many = caselog.analyse_partitioned(log, client=client, as_of=as_of)
    hit = one.readiness.set_index("case_id").loc[case]
    assert str(hit["deadline_at"]) == str(as_of + pd.Timedelta(days=1))
    assert "deadline: plan of action due" in hit["reasons"]
    pd.testing.assert_frame_equal(many.deadlines, one.deadlines)
    pd.testing.assert_frame_equal(many.readiness, one.readiness)


def test_partitioned_run_with_settings_and_more_partitions(client):
    log = caselog.sample.generate(n_cases=60, n_accounts=3).log
    as_of = log.as_of - pd.Timedelta(days=20)
    one = caselog.analyse(log, as_of=as_of, sla_hours=12)
    many = caselog.analyse_partitioned(log, client=client, n_partitions=3, as_of=as_of,
                                       sla_hours=12)
    assert many.as_of == as_of and len(many.log.messages) < len(log.messages)
    pd.testing.assert_frame_equal(many.turns, one.turns)
    pd.testing.assert_frame_equal(many.readiness, one.readiness)
    assert many.turns["over_sla"].any()


def test_partitioned_turns_use_the_global_template_classes(client):
    # an edited copy of a canned acknowledgement in account B; its six plain copies in account
    # A: only the global templates know it is an acknowledgement, so the partitioned run must
    # take the turns' acknowledgements from them (one partition alone would call it an answer)
    ack = "We have received your appeal and will respond within 48 hours."
    rows = []

    def add(case, account, when, direction, body):
        rows.append({"message_id": len(rows), "case_id": case, "account": account,
                     "sent_at": pd.Timestamp(when, tz="UTC"), "direction": direction,
                     "team": "Seller Performance", "channel": "case", "kind": "",
                     "subject": "", "body": body, "attachments": 0})

    for k in range(6):
        add(f"A{k}", "acct-A", f"2026-03-0{k + 2} 10:00", "seller", "Please reinstate.")
        add(f"A{k}", "acct-A", f"2026-03-0{k + 2} 10:30", "amazon", ack)
    add("B0", "acct-B", "2026-03-02 10:00", "seller", "Please reinstate.")
    add("B0", "acct-B", "2026-03-02 10:30", "amazon", ack + " Please provide the invoice.")
    add("B0", "acct-B", "2026-03-03 10:00", "amazon", "We are unable to reinstate your account.")
    msgs = pd.DataFrame(rows).sort_values(["case_id", "sent_at"]).reset_index(drop=True)
    log = CaseLog(messages=msgs, cases=pd.DataFrame({"case_id": [], "account": []}))
    one = caselog.analyse(log)
    many = caselog.analyse_partitioned(log, client=client)
    b = one.turns.set_index("case_id").loc["B0"]
    assert b["reply_message_id"] == 14 and b["response_hours"] == 24.0
    pd.testing.assert_frame_equal(many.turns, one.turns)


def test_partitioned_run_over_the_network_equals_the_shared_files_run(client, monkeypatch):
    # a cluster that cannot read this machine's files gets the partitions scattered and sends
    # its results back pickled: the same analysis
    log = caselog.sample.generate(n_cases=80, n_accounts=1).log
    one = caselog.analyse(log)
    monkeypatch.setattr(_distributed, "_write_frame", lambda frame, path: False)
    many = caselog.analyse_partitioned(log, client=client)
    pd.testing.assert_frame_equal(many.turns, one.turns)
    pd.testing.assert_frame_equal(many.escalations, one.escalations)
    pd.testing.assert_frame_equal(many.readiness, one.readiness)
    pd.testing.assert_frame_equal(many.templates.cases, one.templates.cases)


def test_partitioned_run_by_account_and_a_case_without_messages(client, tmp_path, monkeypatch):
    log = caselog.sample.generate(n_cases=60, n_accounts=3).log
    extra = log.cases.iloc[[0]].copy()
    extra["case_id"] = "ZZ-no-messages"
    log = CaseLog(messages=log.messages, cases=pd.concat([log.cases, extra], ignore_index=True))
    one = caselog.analyse(log)
    assert "ZZ-no-messages" in set(one.readiness["case_id"])
    monkeypatch.setattr(_distributed, "_scratch_parent", lambda: str(tmp_path))
    written = []
    write = _distributed._write_frame
    monkeypatch.setattr(_distributed, "_write_frame",  # the files written, not only tried
                        lambda frame, path: write(frame, path) and not written.append(path.name))
    for by in ("case", "account"):
        many = caselog.analyse_partitioned(log, client=client, by=by)
        pd.testing.assert_frame_equal(many.readiness, one.readiness)
        pd.testing.assert_frame_equal(many.turns, one.turns)
    # each of the 2 partitions went as two files (messages, cases), in each of the 2 runs
    assert sorted(written) == sorted(["part0-messages.arrow", "part0-cases.arrow",
                                      "part1-messages.arrow", "part1-cases.arrow"] * 2)
    assert list(tmp_path.iterdir()) == []  # the shared files are gone after the run
    with pytest.raises(ConfigError, match="by must be one of"):
        caselog.analyse_partitioned(log, client=client, by="team")


def test_results_left_in_the_shared_folder_come_back_the_same(tmp_path):
    import pyarrow as pa

    frame = pd.DataFrame({"case_id": pd.array(["A", "B"], dtype="str"),
                          "n": np.array([1, 2], dtype=np.int64),
                          "at": pd.to_datetime(["2026-03-14 10:00", None], utc=True)})
    shipped = _distributed._ship(frame, str(tmp_path), "frame0")
    assert isinstance(shipped, _distributed._Shipped)
    pd.testing.assert_frame_equal(_distributed._unship(shipped), frame)
    arr = pa.array(["x", ""], pa.large_string())
    assert _distributed._unship(_distributed._ship(arr, str(tmp_path), "arr0")).equals(arr)
    # a column that would not come back the same dtype travels as itself
    odd = pd.DataFrame({"v": pd.Series([{"a": 1}, None], dtype=object)})
    assert _distributed._ship(odd, str(tmp_path), "odd0") is odd
    assert not (tmp_path / "odd0.arrow").exists()
    # no shared folder, or one that cannot be written: the values themselves
    assert _distributed._ship(frame, None, "x") is frame
    missing = str(tmp_path / "gone" / "deeper")
    assert _distributed._ship(arr, missing, "arr1") is arr
    assert _distributed._ship(frame, missing, "frame1") is frame
