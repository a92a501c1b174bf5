"""The sample's files: a CSV in "tool A" form, a workbook in "tool B" form, two truth CSVs.

:func:`to_export_frames` turns a :class:`~caselog.sample.Sample` into the tables of the two export
formats; :func:`write_sample` writes them with fixed bytes (the workbook's zip entries get fixed
times, its properties a fixed date), so the same sample always gives the same files.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from ._generate import Sample, generate
from ._teams import AHS, BR, CAP, CAT, ESR, LIST, PAY, PAYC, POL, PQ, ROUT, SP, SS, SUSP, TECH

#: team -> abbreviation used by the workbook export (``Author`` / ``Department``)
TEAM_ABBREVIATIONS: dict[str, str] = {
    SS: "SS", AHS: "AHS", SP: "SP", PQ: "PQ", CAT: "Catalog", ESR: "ESR", CAP: "Captive",
    BR: "Brand Registry", PAY: "Payments",
}
_CSV_CHANNEL = {"case": "Case", "email": "Email", "phone": "Phone", "chat": "Chat",
                "social": "Social", "other": "Other"}
_XLSX_CHANNEL = {"case": "Seller Central", "email": "E-mail", "phone": "Call", "chat": "Chat",
                 "social": "Twitter", "other": "Other"}
_CSV_KIND = {
    "appeal": "Appeal", "poa": "POA", "follow-up": "Follow-up", "documents": "Documents",
    "escalation": "Escalation", "inquiry": "Inquiry", "call": "Call", "denial": "Denial",
    "acceptance": "Acceptance", "information request": "Information request",
    "deflection": "Deflection", "acknowledgement": "Acknowledgement", "notice": "Notice",
    "other": "Other", "": "",
}
_XLSX_ISSUE = {SUSP: "Suspension", PAYC: "Payment", LIST: "Suppressed listing", POL: "Policy",
               TECH: "Technical", ROUT: "Inquiry", "Unknown": ""}

CSV_COLUMNS = ("Case ID", "Seller Account", "Category", "Case Status", "Sent", "From", "Team",
               "Channel", "Subject", "Message", "Attachments", "Type")
XLSX_MESSAGE_COLUMNS = ("Ticket #", "Client", "Timestamp", "Author", "Department", "Via", "Title",
                        "Text", "Files", "Label")
XLSX_CASE_COLUMNS = ("Ticket #", "Client", "Issue Type", "State", "Opened", "Closed", "Result",
                     "ASINs")
_CSV_DATE = "%m/%d/%Y %I:%M %p"
_XLSX_TEXT_DATE = "%d/%m/%Y %H:%M"
_FIXED_STAMP = datetime(2026, 1, 1, 0, 0, 0)


def to_export_frames(sample: Sample) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three tables :func:`write_sample` writes, as plain DataFrames.

    Returns
    -------
    csv_frame : pandas.DataFrame
        ``CSV_COLUMNS`` ("tool A"): ``Sent`` as ``MM/DD/YYYY hh:mm AM`` text (UTC), ``From``
        ``Seller``/``Amazon``, full team names, channels ``Case/Email/Phone/Chat/Social``,
        ``Case Status`` ``Open``/``Closed``, ``Type`` title-case labels (``POA``, ``Follow-up``).
    xlsx_messages_frame : pandas.DataFrame
        ``XLSX_MESSAGE_COLUMNS`` ("tool B", sheet Messages): ``Timestamp`` naive UTC datetimes,
        ``Author`` ``Me`` for the seller and the team abbreviation (``SS``, ``AHS``, ``SP``...) for
        Amazon, ``Department`` the team abbreviation, ``Via`` ``Seller Central/E-mail/Call/Chat/
        Twitter``, ``Label`` lower-case labels.
    xlsx_cases_frame : pandas.DataFrame
        ``XLSX_CASE_COLUMNS`` (sheet Cases): ``Issue Type`` ``Suspension/Payment/Suppressed
        listing/Policy/Technical/Inquiry``, ``State`` ``OPEN``/``CLOSED``, ``Opened``/``Closed``
        as day-first text ``31/03/2026 14:05`` (``Closed`` empty while open).

    Examples
    --------
    >>> csv, xm, xc = to_export_frames(generate(n_cases=20))
    >>> list(csv.columns) == list(CSV_COLUMNS)
    True
    """
    m, c = sample.messages, sample.cases
    cat = c.set_index("case_id")["category"]
    status = c.set_index("case_id")["status"]
    naive = m["sent_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    csv = pd.DataFrame({
        "Case ID": m["case_id"],
        "Seller Account": m["account"],
        "Category": m["case_id"].map(cat),
        "Case Status": m["case_id"].map(status).map({"open": "Open", "closed": "Closed"}),
        "Sent": naive.dt.strftime(_CSV_DATE),
        "From": m["direction"].map({"seller": "Seller", "amazon": "Amazon"}),
        "Team": m["team"],
        "Channel": m["channel"].map(_CSV_CHANNEL),
        "Subject": m["subject"],
        "Message": m["body"],
        "Attachments": m["attachments"],
        "Type": m["kind"].map(_CSV_KIND).fillna(m["kind"]),
    })
    abbr = m["team"].map(TEAM_ABBREVIATIONS).fillna(m["team"])
    xm = pd.DataFrame({
        "Ticket #": m["case_id"],
        "Client": m["account"],
        "Timestamp": naive,
        "Author": abbr.where(m["direction"] == "amazon", "Me"),
        "Department": abbr,
        "Via": m["channel"].map(_XLSX_CHANNEL),
        "Title": m["subject"],
        "Text": m["body"],
        "Files": m["attachments"],
        "Label": m["kind"],
    })

    def text_date(s: pd.Series) -> pd.Series:
        out = s.dt.tz_convert("UTC").dt.tz_localize(None).dt.strftime(_XLSX_TEXT_DATE)
        return out.fillna("").astype("str")

    xc = pd.DataFrame({
        "Ticket #": c["case_id"],
        "Client": c["account"],
        "Issue Type": c["category"].map(_XLSX_ISSUE).fillna(c["category"]),
        "State": c["status"].str.upper(),
        "Opened": text_date(c["opened_at"]),
        "Closed": text_date(c["closed_at"]),
        "Result": c["outcome"],
        "ASINs": c["asins"],
    })
    return csv, xm, xc


def _deterministic_zip(path: Path) -> None:
    """Rewrite an .xlsx with fixed entry times and a fixed ``dcterms:modified``."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    stamp = _FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            info = zipfile.ZipInfo(name, date_time=_FIXED_STAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


def _write_xlsx(path: Path, messages: pd.DataFrame, cases: pd.DataFrame) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "caselog sample"
    wb.properties.created = _FIXED_STAMP
    wb.properties.modified = _FIXED_STAMP
    for title, frame in (("Messages", messages), ("Cases", cases)):
        ws = wb.create_sheet(title)
        ws.append(list(frame.columns))
        cols = []
        for name in frame.columns:
            col = frame[name]
            if pd.api.types.is_datetime64_any_dtype(col):
                cols.append(list(col.dt.to_pydatetime()))
            elif pd.api.types.is_integer_dtype(col):
                cols.append(col.astype(object).tolist())
            else:
                cols.append(col.astype(object).tolist())
        for row in zip(*cols, strict=True):
            ws.append(row)
    wb.save(path)
    _deterministic_zip(path)


def write_sample(
    directory: str | Path, sample: Sample | None = None, *, sources: bool = True
) -> dict[str, Path]:
    """Write the sample files into ``directory`` (created when missing).

    Files: ``caselog_sample.csv`` (tool A form), ``caselog_sample.xlsx`` (tool B form, sheets
    ``Messages`` and ``Cases``), and in the ``truth/`` subfolder (kept apart so that loading the
    folder never mistakes it for a case history) ``truth_messages.csv`` and ``truth_cases.csv``
    (times as ISO UTC text, ``2026-03-31T14:05:00Z``).  Both exports hold the same messages; load one of them.
    The same sample gives the same bytes.

    Parameters
    ----------
    directory : str or Path
        Target folder.
    sample : Sample, optional
        What to write; default ``generate()`` (seed 20260101, 300 cases).
    sources : bool, default True
        Also write the same histories as the other sources a seller's history lives in, in
        ``sources/``: an ``.mbox`` mailbox, Seller Central case pages and a help-desk export.

    Returns
    -------
    dict of str to Path
        ``csv``, ``xlsx``, ``truth_messages``, ``truth_cases`` (and ``mbox``, ``pages``,
        ``helpdesk`` with ``sources``).

    Examples
    --------
    >>> import tempfile
    >>> paths = write_sample(tempfile.mkdtemp(), generate(n_cases=20))
    >>> sorted(paths)
    ['csv', 'helpdesk', 'mbox', 'pages', 'truth_cases', 'truth_messages', 'xlsx']
    """
    sample = generate() if sample is None else sample
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    csv, xm, xc = to_export_frames(sample)
    paths = {
        "csv": out / "caselog_sample.csv",
        "xlsx": out / "caselog_sample.xlsx",
        "truth_messages": out / "truth" / "truth_messages.csv",
        "truth_cases": out / "truth" / "truth_cases.csv",
    }
    (out / "truth").mkdir(exist_ok=True)
    csv.to_csv(paths["csv"], index=False, lineterminator="\n")
    _write_xlsx(paths["xlsx"], xm, xc)
    iso = "%Y-%m-%dT%H:%M:%SZ"
    tm = sample.truth_messages.copy()
    tm["sent_at"] = tm["sent_at"].dt.strftime(iso)
    tm.to_csv(paths["truth_messages"], index=False, lineterminator="\n")
    tc = sample.truth_cases.copy()
    tc["as_of"] = pd.to_datetime(tc["as_of"], utc=True).dt.strftime(iso)
    tc.to_csv(paths["truth_cases"], index=False, lineterminator="\n")
    if sources:
        from ._sources import write_sources

        paths.update(write_sources(out / "sources", sample))
    return paths
