"""The case explorer widget: one case's timeline, messages, escalations, verdict, brief and
matter."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import plotting
from ..analysis import Analysis, Settings
from ..analysis._matter_queue import RULE_WORDS
from ..errors import CaseNotFoundError
from ..model import CaseLog
from ._common import _as_analyses, _bundle, _figure, _html_table, _size, _widgets, figure_png


@dataclass(frozen=True)
class CaseDetails:
    """Everything the case explorer shows about one case.

    Attributes
    ----------
    case_id : str
    messages : pandas.DataFrame
        ``sent (UTC), from, team, channel, kind, text, attachments, template, reply class,
        canned repeat, escalation`` in time order.
    escalations : pandas.DataFrame
        The case's rows of :func:`caselog.escalations` (display columns).
    verdict : dict
        The case's :func:`caselog.readiness` row (``verdict, reasons, missing,
        next_step, facts`` ...).
    brief : str
        :func:`caselog.brief` (Markdown).
    matter_id : str
        The case's matter when it has two or more cases (``""`` for a case alone).
    matter_cases : pandas.DataFrame
        The cases of that matter in order of their first message: ``case, account, channels,
        first message (UTC), last message (UTC), verdict, with the matter, linked by`` (empty
        for a case alone).
    matter_links : pandas.DataFrame
        The links between them: ``cases, rule, evidence`` (plain words).
    """

    case_id: str
    messages: pd.DataFrame
    escalations: pd.DataFrame
    verdict: dict
    brief: str
    matter_id: str = ""
    matter_cases: pd.DataFrame = field(default_factory=pd.DataFrame)
    matter_links: pd.DataFrame = field(default_factory=pd.DataFrame)


def _snippet(text: Any, n: int = 140) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= n else flat[: n - 1].rstrip() + "…"


def _check_case(a: Analysis, case_id: str) -> str:
    case_id = str(case_id)
    known = set(a.log.cases["case_id"].astype(str)) | set(a.log.messages["case_id"].astype(str))
    if case_id not in known:
        raise CaseNotFoundError(f"case {case_id!r} is not in the case log", column="case_id")
    return case_id


def case_details(data: CaseLog | Analysis, case_id: str, as_of: Any = None) -> CaseDetails:
    """The messages, escalations, readiness verdict and brief of one case.

    Raises
    ------
    CaseNotFoundError
        ``case_id`` is not in the log.
    """
    a = _as_analyses(data, as_of)
    case_id = _check_case(a, case_id)
    m = a.log.messages
    m = m[m["case_id"].astype(str) == case_id]
    if a.as_of is not None:
        m = m[m["sent_at"] <= a.as_of]
    m = m.sort_values(["sent_at", "message_id"], kind="stable")
    tm = a.templates.messages
    tm = tm[tm["message_id"].isin(m["message_id"])]
    esc = a.escalations[a.escalations["case_id"].astype(str) == case_id]
    info = m[["message_id"]].merge(
        tm[["message_id", "template_id", "reply_class", "is_canned_repeat"]],
        on="message_id", how="left",
    ).merge(esc[["message_id", "level"]], on="message_id", how="left")
    template = info["template_id"]
    table = pd.DataFrame(
        {
            "sent (UTC)": m["sent_at"].dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
            "from": m["direction"].to_numpy(),
            "team": m["team"].to_numpy(),
            "channel": m["channel"].to_numpy(),
            "kind": m["kind"].to_numpy(),
            "text": [
                _snippet(b if str(b).strip() else s)
                for s, b in zip(m["subject"], m["body"], strict=True)
            ],
            "attachments": m["attachments"].to_numpy(),
            "template": [
                "" if pd.isna(v) else (f"T{v}" if str(v).isdigit() else str(v)) for v in template
            ],
            "reply class": info["reply_class"].fillna("").astype(str).to_numpy(),
            "canned repeat": np.where(
                info["is_canned_repeat"].fillna(False).astype(bool), "yes", ""
            ),
            "escalation": ["" if pd.isna(v) else f"level {int(v)}" for v in info["level"]],
        }
    )
    esc_cols = [c for c in ("sent_at", "level", "target", "detected_by", "outcome",
                            "hours_to_outcome", "new_material", "quality_score",
                            "quality_missing") if c in esc.columns]
    esc_table = esc[esc_cols].copy()
    if "sent_at" in esc_table.columns:
        esc_table["sent_at"] = esc_table["sent_at"].dt.strftime("%Y-%m-%d %H:%M")
    if "hours_to_outcome" in esc_table.columns:
        esc_table["hours_to_outcome"] = esc_table["hours_to_outcome"].round(1)
    if "new_material" in esc_table.columns:
        esc_table["new_material"] = np.where(
            esc_table["new_material"].fillna(False).astype(bool), "yes", "no")
    esc_table = esc_table.rename(columns=_ESCALATION_HEADERS)
    row = a.readiness[a.readiness["case_id"].astype(str) == case_id]
    verdict = row.iloc[0].to_dict() if len(row) else {"verdict": "", "reasons": ""}
    text = a.brief(case_id)
    mid, cases, links = _matter_tables(a, case_id)
    return CaseDetails(case_id, table.reset_index(drop=True), esc_table.reset_index(drop=True),
                       verdict, text, mid, cases, links)


def _matter_tables(a: Analysis, case_id: str) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """The case's matter (of two or more cases): its ID, its cases and its links."""
    mt = a.matters.matters
    row = mt[mt["case_id"] == case_id]
    if row.empty or int(row["n_cases"].iloc[0]) < 2:
        return "", pd.DataFrame(), pd.DataFrame()
    mid = str(row["matter_id"].iloc[0])
    cases = mt[mt["matter_id"] == mid]
    mr = a.matter_readiness.set_index(a.matter_readiness["case_id"].astype(str))
    verdict = mr["case_verdict"].reindex(cases["case_id"]).fillna("")
    matter = mr["verdict"].reindex(cases["case_id"]).fillna("")
    table = pd.DataFrame({
        "case": [c + (" (this case)" if c == case_id else "") for c in cases["case_id"]],
        "account": cases["account"].to_numpy(),
        "channels": cases["channels"].to_numpy(),
        "first message (UTC)": cases["case_first_at"].dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
        "last message (UTC)": cases["case_last_at"].dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
        "verdict": verdict.to_numpy(),
        "with the matter": np.where(matter.to_numpy() != verdict.to_numpy(), matter.to_numpy(),
                                    ""),
        "linked by": cases["linked_by"].str.replace("_", " ").to_numpy(),
    })
    k = a.matters.links
    ids = set(cases["case_id"])
    k = k[k["case_a"].isin(ids) | k["case_b"].isin(ids)]
    links = pd.DataFrame({
        "cases": (k["case_a"] + " and " + k["case_b"]).to_numpy(),
        "rule": k["rule"].map(RULE_WORDS).fillna(k["rule"]).to_numpy(),
        "evidence": k["evidence"].to_numpy(),
    })
    return mid, table.reset_index(drop=True), links.reset_index(drop=True)


def matter_figure(data: CaseLog | Analysis, case_id: str, as_of: Any = None) -> Figure | None:
    """The timeline of the case's matter (:func:`caselog.plot_matter_timeline`, a lane per
    case labelled with its case ID and channels, this case in bold) on a Figure; None when the
    case is alone in its matter."""
    a = _as_analyses(data, as_of)
    case_id = _check_case(a, case_id)
    mt = a.matters.matters
    row = mt[mt["case_id"] == case_id]
    if row.empty or int(row["n_cases"].iloc[0]) < 2:
        return None
    n = int((mt["matter_id"] == row["matter_id"].iloc[0]).sum())
    fig, ax = _figure((10, 1.6 + 0.7 * n))
    plotting.plot_matter_timeline(a, str(row["matter_id"].iloc[0]), ax=ax, highlight=case_id)
    return fig


def _matter_html(d: CaseDetails) -> str:
    """The Matter tab's text: the cases of the matter and the evidence of each link."""
    head = (f"<p><b>Matter {html.escape(d.matter_id)}</b>: {len(d.matter_cases)} cases about "
            "one problem, linked by the evidence below.</p>")
    items = "".join(
        f"<li><b>{html.escape(c)}</b> ({html.escape(r)}): {html.escape(e)}</li>"
        for c, r, e in zip(d.matter_links["cases"], d.matter_links["rule"],
                           d.matter_links["evidence"], strict=True))
    return (head + _html_table(d.matter_cases)
            + f"<p><b>Links</b></p><ul style='margin-top:2px'>{items}</ul>")


#: the explorer's escalation columns in words
_ESCALATION_HEADERS = {
    "sent_at": "sent (UTC)", "level": "level", "target": "to", "detected_by": "found by",
    "outcome": "outcome", "hours_to_outcome": "hours to outcome", "new_material": "new material",
    "quality_score": "quality (of 7)", "quality_missing": "quality: missing",
}


def case_figure(data: CaseLog | Analysis, case_id: str, as_of: Any = None) -> Figure:
    """The timeline of one case (:func:`caselog.plotting.plot_case_timeline`) on a Figure."""
    a = _as_analyses(data, as_of)
    case_id = _check_case(a, case_id)
    fig, ax = _figure((10, 3.4))
    plotting.plot_case_timeline(
        a.log, case_id, templates=a.templates, escalations=a.escalations, as_of=a.as_of, ax=ax
    )
    return fig


def _verdict_html(verdict: dict) -> str:
    v = str(verdict.get("verdict", ""))
    colour = plotting.PALETTE.verdict.get(v, plotting.PALETTE.other)
    text_colour = "white" if v in ("ready", "not advisable") else "black"
    parts = [
        f"<p><span style='background:{colour};color:{text_colour};"
        f"padding:2px 8px;border-radius:3px;font-weight:bold'>{html.escape(v or 'unknown')}</span>"
    ]
    if verdict.get("next_step"):
        parts.append(f" &nbsp;next step: {html.escape(str(verdict['next_step']))}")
    parts.append("</p>")
    for key, label in (("reasons", "Reasons"), ("missing", "Missing"), ("facts", "Facts")):
        value = str(verdict.get(key, "") or "")
        if value:
            items = "".join(
                f"<li>{html.escape(x.strip())}</li>" for x in value.split(";") if x.strip()
            )
            parts.append(f"<b>{label}</b><ul style='margin-top:2px'>{items}</ul>")
    return "".join(parts)


_TAB_TITLES = ("Messages", "Escalations", "Readiness", "Brief", "Matter")


@dataclass
class CaseExplorer:
    """What :func:`case_explorer` returns.

    Attributes
    ----------
    root : ipywidgets.VBox
    case : ipywidgets.Dropdown
        The case shown (value: case id; options most urgent first).
    timeline : ipywidgets.Image
    messages, escalations, verdict : ipywidgets.HTML
    brief : ipywidgets.Output
        The escalation brief, displayed as Markdown.
    tabs : ipywidgets.Tab
        Messages, Escalations, Readiness, Brief, and Matter when the case is in a matter of
        two or more cases.
    matter : ipywidgets.VBox
        The Matter tab: :attr:`matter_timeline` (every case of the matter on one timeline) and
        :attr:`matter_text` (its cases and the evidence of each link).
    matter_timeline : ipywidgets.Image
    matter_text : ipywidgets.HTML
    analyses : Analysis
    details : CaseDetails or None
        What is shown now.
    """

    root: Any
    case: Any
    timeline: Any
    messages: Any
    escalations: Any
    verdict: Any
    brief: Any
    tabs: Any
    matter: Any
    matter_timeline: Any
    matter_text: Any
    analyses: Analysis
    details: CaseDetails | None = None

    def _text(self) -> str:
        return f"caselog case explorer: case {self.case.value} ({_size(self.analyses)})"

    def refresh(self, *_: Any) -> None:
        """Show the case selected in :attr:`case`."""
        from IPython.display import Markdown

        case_id = self.case.value
        if case_id is None or case_id == "":
            return
        self.details = case_details(self.analyses, case_id)
        self.timeline.value = figure_png(case_figure(self.analyses, case_id))
        self.messages.value = _html_table(self.details.messages, wide="text")
        self.escalations.value = _html_table(self.details.escalations)
        self.verdict.value = _verdict_html(self.details.verdict)
        self.brief.outputs = ()
        self.brief.append_display_data(Markdown(self.details.brief))
        pages = [self.messages, self.escalations, self.verdict, self.brief]
        if self.details.matter_id:
            fig = matter_figure(self.analyses, case_id)
            self.matter_timeline.value = figure_png(fig) if fig is not None else b""
            self.matter_text.value = _matter_html(self.details)
            pages.append(self.matter)
        else:
            self.matter_timeline.value, self.matter_text.value = b"", ""
        if len(self.tabs.children) != len(pages):
            if self.tabs.selected_index is not None and self.tabs.selected_index >= len(pages):
                self.tabs.selected_index = 0
            self.tabs.children = pages
            for i, title in enumerate(_TAB_TITLES[: len(pages)]):
                self.tabs.set_title(i, title)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return _bundle(self.root, self._text())


def case_explorer(
    log: CaseLog | Analysis, *, as_of: Any = None, settings: Settings | None = None, case_id: str | None = None
) -> CaseExplorer:
    """Pick a case (the list names a case's matter); see its timeline, messages, escalations,
    readiness verdict and brief, and -- when the case is one of a matter of two or more cases --
    a Matter tab: every case of the
    matter on one timeline, the list of its cases and the evidence of each link.

    Parameters
    ----------
    log : CaseLog or Analysis
    as_of : timestamp, optional
    settings : Settings, optional
        Analysis settings when ``log`` is a CaseLog (or to re-analyse an Analysis).
    case_id : str, optional
        The case shown first (default: the most urgent one).

    Returns
    -------
    CaseExplorer
    """
    w = _widgets()
    a = _as_analyses(log, as_of, settings)
    r = a.readiness.sort_values("case_id", kind="stable").sort_values(
        "urgency", ascending=False, kind="stable"
    )
    mt = a.matters.matters
    big = mt[mt["n_cases"] > 1].set_index("case_id")["matter_id"]
    options = [
        (f"{cid} · {acct} · {verdict}" + (f" · matter {big[cid]}" if cid in big.index else ""),
         str(cid))
        for cid, acct, verdict in zip(r["case_id"].astype(str), r["account"], r["verdict"],
                                      strict=True)
    ]
    case = w.Dropdown(options=options, description="Case", layout=w.Layout(width="520px"))
    if case_id is not None:
        case.value = _check_case(a, case_id)
    timeline = w.Image(format="png", layout=w.Layout(width="100%", height="auto"))
    messages, escalations, verdict = w.HTML(), w.HTML(), w.HTML()
    brief = w.Output()
    tabs = w.Tab([messages, escalations, verdict, brief])
    for i, title in enumerate(_TAB_TITLES[:4]):
        tabs.set_title(i, title)
    matter_timeline = w.Image(format="png", layout=w.Layout(width="100%", height="auto"))
    matter_text = w.HTML()
    matter = w.VBox([matter_timeline, matter_text])
    root = w.VBox([w.HTML("<h3 style='margin:4px 0'>case explorer</h3>"), case, timeline, tabs])
    explorer = CaseExplorer(root, case, timeline, messages, escalations, verdict, brief, tabs,
                            matter, matter_timeline, matter_text, a)
    case.observe(explorer.refresh, names="value")
    explorer.refresh()
    return explorer


