"""Charts of canned templates: the most used templates, and case x template repeats."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ._base import (
    PALETTE,
    _axes,
    _require,
    _shorten,
    _template_frame,
    _template_label,
    _title,
    no_data,
)


def plot_top_templates(catalogue: pd.DataFrame, n: int = 10, ax: Axes | None = None) -> Axes:
    """The ``n`` canned templates sent most often, with their counts.

    Only templates sent at least twice are drawn, most messages first (ties: most repeats,
    then template id).  Each bar is one template: its length the
    number of messages, coloured by reply class; the label is the template id and its text cut
    to about 48 characters; the annotation gives messages, cases and repeats (messages after
    the first in each case).

    Parameters
    ----------
    catalogue : pandas.DataFrame
        ``TemplateResult.catalogue`` (needs ``template_id, text, n_messages, n_cases``;
        ``reply_class`` colours the bars when present).
    n : int
        How many templates (default 10).
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One bar per template (``ax.patches``), most used on top.

    Examples
    --------
    >>> from caselog import find_templates
    >>> ax = plot_top_templates(find_templates(log).catalogue)
    """
    title = "Most repeated Amazon templates"
    _require(catalogue, ("template_id", "text", "n_messages", "n_cases"), "plot_top_templates()")
    top = catalogue[catalogue["n_messages"] >= 2]
    if top.empty or n <= 0:
        return no_data(ax, title)
    top = top.assign(_id=_template_label(top["template_id"]))
    top = top.assign(_repeats=top["n_messages"] - top["n_cases"])
    top = top.sort_values(["n_messages", "_repeats", "_id"], ascending=[False, False, True],
                          kind="stable").head(n)
    ax = _axes(ax, (9, 0.45 * len(top) + 1.6))
    y = np.arange(len(top))[::-1]
    classes = (
        top["reply_class"].astype(str) if "reply_class" in top.columns
        else pd.Series("other", index=top.index)
    )
    colors = [PALETTE.reply_class.get(c, PALETTE.other) for c in classes]
    bars = ax.barh(y, top["n_messages"].to_numpy(), color=colors, height=0.7)
    for bar, tid in zip(bars, top["_id"], strict=True):
        bar.set_gid(f"template:{tid}")
    labels = [f"{tid}  {_shorten(text, 40)}" for tid, text in zip(top["_id"], top["text"],
                                                                 strict=True)]
    ax.set_yticks(y, labels, fontsize=8)
    repeats = top["_repeats"]
    for yi, msgs, ncase, rep in zip(y, top["n_messages"], top["n_cases"], repeats, strict=True):
        ax.annotate(
            f"{int(msgs)} · {int(ncase)} cases · {int(rep)} rep.", (msgs, yi),
            xytext=(4, 0), textcoords="offset points", va="center", fontsize=7.5,
            color="#343a40",
        )
    ax.set_xlim(0, float(top["n_messages"].max()) * 2.0)  # room for the bar labels
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Amazon messages\n(labels: messages · cases · repeats in a case)")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    present = list(dict.fromkeys(classes))
    handles = [Patch(color=PALETTE.reply_class.get(c, PALETTE.other), label=c) for c in present]
    # inside the axes, bottom right: the shortest bars leave that corner free (nothing is cut)
    ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=8,
              title="reply class", title_fontsize=8)
    _title(ax, title, f"top {len(top)} of {int((catalogue['n_messages'] >= 2).sum())} "
           "templates sent twice or more")
    return ax


def plot_repeat_heatmap(
    template_result: Any,
    top_cases: int = 20,
    top_templates: int = 12,
    ax: Axes | None = None,
) -> Axes:
    """How often each case received each of the most repeated templates.

    Cells count the Amazon messages of a case with a template (numbers written in the cells);
    the ``top_cases`` cases with most canned repeats are the rows, and the ``top_templates``
    templates repeated most often within those cases the columns.

    Parameters
    ----------
    template_result : TemplateResult or pandas.DataFrame
        :func:`caselog.find_templates` output or its ``.messages`` (needs ``case_id,
        template_id, is_canned_repeat``).
    top_cases, top_templates : int
    ax : Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        An image (``ax.images[0]``) of shape (cases, templates); rows labelled with case ids,
        columns with template ids.

    Examples
    --------
    >>> from caselog import find_templates
    >>> ax = plot_repeat_heatmap(find_templates(log))
    """
    title = "Canned repeats: case x template"
    tm = _template_frame(template_result)
    _require(tm, ("case_id", "template_id", "is_canned_repeat"), "plot_repeat_heatmap()")
    tm = tm[tm["template_id"].notna()]
    if len(tm):
        tm = tm[tm["template_id"].astype(str) != ""]
    rep = tm[tm["is_canned_repeat"].fillna(False).astype(bool)]
    if rep.empty or top_cases <= 0 or top_templates <= 0:
        return no_data(ax, title)
    rep = rep.assign(_t=_template_label(rep["template_id"]), _c=rep["case_id"].astype(str))
    c_counts = rep.groupby("_c").size().reset_index(name="n")
    c_counts = c_counts.sort_values(["n", "_c"], ascending=[False, True], kind="stable")
    cases = c_counts["_c"].head(top_cases).tolist()
    rep = rep[rep["_c"].isin(cases)]
    t_counts = rep.groupby("_t").size().reset_index(name="n")
    t_counts = t_counts.sort_values(["n", "_t"], ascending=[False, True], kind="stable")
    templates = t_counts["_t"].head(top_templates).tolist()
    allm = tm.assign(_t=_template_label(tm["template_id"]), _c=tm["case_id"].astype(str))
    allm = allm[allm["_t"].isin(templates) & allm["_c"].isin(cases)]
    grid = (
        allm.groupby(["_c", "_t"]).size().unstack("_t", fill_value=0)
        .reindex(index=cases, columns=templates, fill_value=0)
    )
    ax = _axes(ax, (0.55 * len(templates) + 3.2, 0.32 * len(cases) + 1.9))
    values = grid.to_numpy()
    image = ax.imshow(values, aspect="auto", cmap="Purples", vmin=0,
                      vmax=max(2, int(values.max())), interpolation="nearest")
    ax.set_xticks(np.arange(len(templates)), templates, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(np.arange(len(cases)), cases, fontsize=8)
    ax.tick_params(length=0)
    threshold = values.max() * 0.6
    for (i, j), v in np.ndenumerate(values):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7.5,
                    color="white" if v > threshold else "#212529")
    ax.set_xlabel(f"template (top {len(templates)} by canned repeats)")
    ax.set_ylabel(f"case (top {len(cases)} by canned repeats)")
    cbar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    cbar.set_label("messages in the case", fontsize=8)
    cbar.locator = MaxNLocator(integer=True)
    cbar.update_ticks()
    _title(ax, title)
    return ax

