"""The sub-commands: each loads the input, makes the one analysis and renders it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CaselogError
from ._args import PROG
from ._output import _emit, _plural, _Progress, _tell, _write_frame

#: columns whose text is wrapped (name -> width) in the queue's table output
_WRAP = {"account": 16, "category": 14, "target": 16, "reasons": 40, "next step": 32}


# ---------------------------------------------------------------------------------- helpers


def _load(args: argparse.Namespace, progress: _Progress) -> Any:
    from ..io import load

    values: dict[str, dict[str, str]] = {}
    for field, raw, canonical in args.value:
        values.setdefault(field, {})[raw] = canonical
    with progress.stage("loading"):
        log = load(
            args.inputs,
            mapping=dict(args.map) or None,
            values=values or None,
            tz=args.input_tz or args.tz,
            sheets=list(args.sheet) or None,
            dayfirst=args.dayfirst,
            tzinfos=dict(args.zone_abbrev) or None,
            format=getattr(args, "input_format", None),
            amazon_domains=list(getattr(args, "amazon_domain", [])) or None,
            seller_addresses=list(getattr(args, "seller_address", [])) or None,
        )
    if len(log.skipped):
        reasons = log.skipped["reason"].str.split(" (", n=1, regex=False).str[0].value_counts()
        sys.stderr.write(
            f"{PROG}: {len(log.skipped)} items skipped as not case correspondence: "
            + ", ".join(f"{n} {r}" for r, n in reasons.items()) + "\n"
        )
    for note in log.decisions:  # how an ambiguous date column was read: said by every command
        if "day-first" in note or "month-first" in note:
            sys.stderr.write(f"{PROG}: {note}\n")
    if args.redact or args.redact_order_ids:
        from .._redaction import redact_with_report

        with progress.stage("redacting"):
            log, _ = redact_with_report(log, order_ids=args.redact_order_ids)
        _tell(args, log.decisions[-1])
    return log


def _analyse(args: argparse.Namespace, log: Any) -> Any:
    """The one analysis every command renders, with the command line's settings; only the
    accounts of ``--account`` when given."""
    from ..analysis import analyse

    a = analyse(
        log,
        as_of=args.as_of,
        tz=args.tz,
        sla_hours=args.sla_hours,
        wait_hours=args.wait_hours,
    )
    names = getattr(args, "account", None)
    return a.filter(accounts=_accounts(names, log.account_names)) if names else a


def _accounts(names: Sequence[str], known: Any) -> list[str]:
    """The accounts of ``--account`` as the log spells them (case-insensitive match)."""
    from ..errors import ConfigError

    spelled = {str(k).casefold(): str(k) for k in known}
    out, unknown = [], []
    for name in names:
        hit = spelled.get(name.strip().casefold())
        (out.append(hit) if hit is not None else unknown.append(name))
    if unknown:
        shown = ", ".join(repr(k) for k in list(spelled.values())[:20])
        raise ConfigError(
            f"--account: {', '.join(repr(u) for u in unknown)} not in the input; its accounts "
            f"are {shown or '(none)'}"
        )
    return out


# ---------------------------------------------------------------------------------- commands


def _cmd_summary(args: argparse.Namespace, progress: _Progress) -> int:
    log = _load(args, progress)
    lines = [str(log.summary())]
    if len(log.messages):
        with progress.stage("analysing"):
            a = _analyse(args, log)
            k = a.kpis().set_index("key")["value"]
        if k["cases_answered"]:
            lines += [
                "",
                "response times (hours)",
                f"  first response  median {k['first_response_median']:.1f}, "
                f"p90 {k['first_response_p90']:.1f}  ({k['cases_answered']:,} cases answered, "
                f"{k['cases_waiting']:,} waiting)",
            ]
        if k["turns"]:
            lines.append(
                f"  all turns       median {k['response_median']:.1f}, p90 {k['response_p90']:.1f}"
                f"  ({k['turns']:,} turns, {k['turns_open']:,} open, "
                f"{k['share_over_sla']:.0%} over {a.settings.sla_hours:g} h)"
            )
    _emit("\n".join(lines), None)
    return 0


def _ranked(queue: pd.DataFrame) -> pd.DataFrame:
    """The queue with ``rank`` (1 = most urgent) first, in place of the urgency score."""
    out = queue.drop(columns=[c for c in ("urgency",) if c in queue.columns])
    out.insert(0, "rank", range(1, len(out) + 1))
    return out.reset_index(drop=True)


def _cmd_flag(args: argparse.Namespace, progress: _Progress) -> int:
    from ..schema import VERDICTS

    log = _load(args, progress)
    with progress.stage("analysing"):
        a = _analyse(args, log)
        ready = a.readiness
        queue = a.queue(VERDICTS if args.all else ("ready", "not yet"))
    queue = _ranked(queue)
    if args.format == "table":
        cols = ["rank", "case_id", "account", "category", "verdict", "target", "reasons",
                "next_step"]
        if "matter_id" in queue.columns and queue["matter_id"].ne("").any():
            cols[2:2] = ["matter_id"]  # the cases of a matter sit together: name it
        queue = queue[[c for c in cols if c in queue.columns]].rename(
            columns={"case_id": "case", "next_step": "next step", "matter_id": "matter"})
    _write_frame(queue, args.format, args.tz, args.output, quiet=args.quiet, wrap=_WRAP)
    if args.format == "table" and args.output is None:
        counts = ready["verdict"].value_counts()
        tally = ", ".join(f"{int(counts.get(v, 0)):,} {v}" for v in VERDICTS)
        _tell(args, f"{_plural(len(ready), 'case')}: {tally}")
    return 0


def _cmd_report(args: argparse.Namespace, progress: _Progress) -> int:
    from ..report import write_workbook

    log = _load(args, progress)
    with progress.stage("analysing"):
        a = _analyse(args, log)
        if args.workers or args.scheduler:
            from ..analysis import analyse_partitioned

            a = analyse_partitioned(a, a.settings, client=args.scheduler,
                                    n_workers=args.workers or 2)
    if args.per_account is None:
        path = write_workbook(a, args.output, charts=not args.no_charts, progress=progress.stage)
        _emit(f"wrote {path}", None)
        return 0
    folder = Path(args.per_account)
    if folder.exists() and not folder.is_dir():
        raise CaselogError(f"--per-account: {folder} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted({str(x) for x in a.readiness["account"]})
    written = []
    for name, file in zip(names, _file_names(names), strict=True):
        with progress.stage(f"workbook of {name}"):
            path = write_workbook(a.filter(accounts=[name]), folder / file,
                                  charts=not args.no_charts)
        written.append(f"wrote {path}")
    _emit("\n".join(written) or f"no accounts: nothing written to {folder}", None)
    return 0


def _file_names(names: Sequence[str]) -> list[str]:
    """A safe, distinct ``.xlsx`` file name per account name."""
    import re

    out, seen = [], set()
    for name in names:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "account"
        stem, k = stem[:80], 2
        base = stem
        while stem.lower() in seen:
            stem, k = f"{base}_{k}", k + 1
        seen.add(stem.lower())
        out.append(f"{stem}.xlsx")
    return out


def _cmd_brief(args: argparse.Namespace, progress: _Progress) -> int:
    log = _load(args, progress)
    with progress.stage("analysing"):
        text = _analyse(args, log).brief(args.case_id, format=args.format)
    _emit(text, args.output, quiet=args.quiet)
    return 0


def _cmd_templates(args: argparse.Namespace, progress: _Progress) -> int:
    log = _load(args, progress)
    from ..report._catalogue import display_catalogue

    with progress.stage("finding templates"):
        catalogue = display_catalogue(_analyse(args, log))
    top = catalogue.head(args.top)
    if args.format == "table":
        cols = ["template_id", "n_messages", "n_cases", "n_accounts", "reply_class", "teams",
                "text"]
        top = top[[c for c in cols if c in top.columns]]
    _write_frame(top, args.format, args.tz, args.output, quiet=args.quiet)
    return 0


def _cmd_matters(args: argparse.Namespace, progress: _Progress) -> int:
    log = _load(args, progress)
    with progress.stage("linking matters"):
        a = _analyse(args, log)
        frame = a.matters.links if args.links else a.matter_summary()
    if not args.links and not args.all:
        frame = frame[frame["n_cases"] > 1].reset_index(drop=True)
    if args.format == "table":
        cols = (["case_a", "case_b", "rule", "evidence"] if args.links else
                ["matter_id", "accounts", "n_cases", "case_ids", "channels", "first_at",
                 "days_since_start", "repeat_canned_denials", "escalations_level_3", "verdicts"])
        frame = frame[[c for c in cols if c in frame.columns]]
    _write_frame(frame, args.format, args.tz, args.output)
    return 0


def _cmd_sample(args: argparse.Namespace, progress: _Progress) -> int:
    from ..sample import generate, write_sample

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise CaselogError(f"{out} exists and is not a folder")
    with progress.stage("writing the sample"):
        sample = None
        if args.seed is not None or args.cases is not None:
            kwargs: dict[str, Any] = {}
            if args.seed is not None:
                kwargs["seed"] = args.seed
            if args.cases is not None:
                kwargs["n_cases"] = args.cases
            sample = generate(**kwargs)
        paths = write_sample(out, sample)
    _emit("\n".join(f"wrote {p}" for p in paths.values()), None)
    return 0


# ---------------------------------------------------------------------------------- main
