"""Reply classes of Amazon messages: acceptance, denial, information request, ...

Every Amazon message gets one class from :data:`caselog.schema.REPLY_CLASSES`:

* from the source's ``kind`` label when it names a class (``"denial"``, ``"acceptance"``, ...)
  or an alias of one (``"notice"`` -> ``other``, ``"reinstatement"`` -> ``acceptance``, ...);
* otherwise from the text of the body (the subject only when the body is empty: reply subjects
  are often the seller's own subject with "RE:" in front), **masked** as for templates
  (:func:`caselog.mask_text`: lower case, greeting and sign-off removed, numbers ``<NUM>``, ASINs
  ``<ASIN>`` ...), with an ordered list of regular expressions, :class:`ReplyPatterns`: **the first
  rule that matches wins**, and a message that no rule matches is ``other``. Classifying the masked
  text gives every copy of one wording the same class (and costs one regex pass per distinct
  wording, not per message); write custom rules for lower-case masked text.

The default rules (:mod:`caselog.analysis._replyrules`) anchor on the *function* of a sentence,
in English, German, French, Italian, Spanish and Japanese, never on a word that also occurs inside
other sentences ("we received" inside "complaints we received" is no receipt). Their order is the
decision an analyst would make when a reply says two things:

1. *information request (documents)* -- a reply that asks for specific documents (invoices,
   supplier details, the last 180 days, a letter of authorization ...) or says "we received your
   submission but do not have enough information" is an information request even when it also
   says the appeal was not accepted: the seller has to answer it before anything else, so it is
   the actionable part of the reply. A denial that only asks for a revised plan of action stays a
   denial;
2. *deflection (strong)* -- "not the correct channel", "we are unable to assist ... through",
   "outside the scope of", "the only way to appeal is ...";
3. *other* -- notes of a call logged by the seller ("Call with Account Health Services, ...") are
   not a written decision, whatever the rep said;
4. *other* -- a one-sentence warning ("if we do not receive the information, your account will
   remain deactivated"; "once privileges have been removed, sellers are not allowed to ...");
5. *denial* -- a decision against the seller ("we have decided not to", "we are unable to
   reinstate", "cannot be reinstated", "our decision is final") **and every notice that acts
   against the seller**: "has been deactivated", "we have removed your selling privileges",
   "your listings have been removed", "we took these actions because", "you may no longer
   sell"; a re-sent copy of such a notice is a denial too (Amazon answers appeals with it).
   Before acceptance, so that "we cannot reinstate your account" is a denial;
6. *acceptance (said as done)* -- "we have decided to reinstate", "has been reinstated /
   reactivated", "welcome back", "you may sell while we review", a reimbursement granted,
   "the fix has been deployed";
7. *information request (generic)* -- "please provide / send / submit", "we need ...", "you must
   provide", "can you please share";
8. *deflection (weak)* -- "please contact / write to ...", "contact the rights owner", "use the
   ... form", "open a support case";
9. *acknowledgement* -- "we have received your appeal", "will respond within", "under review",
   "has been forwarded", "we have escalated your case", "we will notify you by e-mail when our
   review is complete"; late, because many replies open with a courtesy line of this kind;
10. *other* -- a condition or a future ("if we can confirm ..., we will reinstate", "your offers
   will be automatically reactivated once ...") decides nothing;
11. *acceptance* -- the plain words: reinstated, reactivated, restored, approved; resolved /
    fixed / released / updated.

Seller messages get ``""``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from .._memory import uses_arrow_pool
from ..errors import ConfigError, SchemaError
from ..schema import REPLY_CLASSES
from ._masking import mask_rows, mask_text
from ._replyrules import DEFAULT_RULES

__all__ = ["ReplyPatterns", "classify_replies", "DEFAULT_RULES", "DEFAULT_KIND_ALIASES"]

#: ``kind`` labels (lower case) that are not class names but name one.
DEFAULT_KIND_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "notice": "other",
        "notification": "other",
        "warning": "other",
        "acknowledgment": "acknowledgement",
        "ack": "acknowledgement",
        "auto-reply": "acknowledgement",
        "autoreply": "acknowledgement",
        "info request": "information request",
        "information_request": "information request",
        "information-request": "information request",
        "document request": "information request",
        "request": "information request",
        "reinstatement": "acceptance",
        "reinstated": "acceptance",
        "accepted": "acceptance",
        "approval": "acceptance",
        "resolution": "acceptance",
        "rejection": "denial",
        "denied": "denial",
        "redirect": "deflection",
        "deflected": "deflection",
    }
)


@dataclass(frozen=True)
class ReplyPatterns:
    """Ordered ``(class, regex)`` rules that classify Amazon replies by their text.

    Parameters
    ----------
    rules : tuple of (str, str)
        ``(reply_class, regex)`` pairs, tried in order; the first rule whose regex matches the
        text (case-insensitively) gives the class. A class may appear in several rules (the
        defaults use that to rank specific document requests above denials and generic
        requests below acceptances). Unmatched texts are ``other``.
    kind_aliases : mapping of str to str
        ``kind`` labels (lower case) that name a class without being one. A ``kind`` that is a
        class name itself always takes that class.
    use_kind : bool
        When False, ``kind`` is ignored and every message is classified by its text.

    Examples
    --------
    >>> p = ReplyPatterns.default().with_rule("denial", r"\\bpermanently closed\\b", first=True)
    >>> p.rules[0]
    ('denial', '\\\\bpermanently closed\\\\b')
    """

    rules: tuple[tuple[str, str], ...] = DEFAULT_RULES
    kind_aliases: Mapping[str, str] = field(default_factory=lambda: DEFAULT_KIND_ALIASES)
    use_kind: bool = True

    def __post_init__(self) -> None:
        rules = tuple((str(c), str(r)) for c, r in self.rules)
        for cls, regex in rules:
            if cls not in REPLY_CLASSES:
                raise ConfigError(
                    f"ReplyPatterns: unknown reply class {cls!r}; expected one of {REPLY_CLASSES}"
                )
            try:
                re.compile(regex)
            except re.error as exc:
                raise ConfigError(f"ReplyPatterns: invalid regex for {cls!r}: {exc}") from exc
        for alias, cls in self.kind_aliases.items():
            if cls not in REPLY_CLASSES:
                raise ConfigError(
                    f"ReplyPatterns: kind alias {alias!r} maps to unknown class {cls!r}"
                )
        object.__setattr__(self, "rules", rules)
        object.__setattr__(
            self,
            "kind_aliases",
            MappingProxyType({str(k).lower(): v for k, v in self.kind_aliases.items()}),
        )

    @classmethod
    def default(cls) -> ReplyPatterns:
        """The documented default rules."""
        return cls()

    def with_rule(self, reply_class: str, regex: str, *, first: bool = True) -> ReplyPatterns:
        """A copy with one more rule, tried before all others (``first=True``) or after them."""
        new = ((reply_class, regex),)
        return replace(self, rules=new + self.rules if first else self.rules + new)

    def with_rules(self, rules: Iterable[tuple[str, str]]) -> ReplyPatterns:
        """A copy whose rules are replaced by ``rules``."""
        return replace(self, rules=tuple(rules))

    def kind_class(self, kind: pd.Series) -> pd.Series:
        """Reply class named by each ``kind`` label, ``""`` when the label names none."""
        mapping = {c: c for c in REPLY_CLASSES} | dict(self.kind_aliases)
        k = kind.astype("str").str.strip().str.lower()
        return k.map(mapping).fillna("").astype("str")

    def classify_masked(self, masked: pd.Series) -> pd.Series:
        """Reply class of each masked text; each distinct text is matched once."""
        codes, uniques = pd.factorize(masked.astype("str").fillna(""))
        classes = self.classify_text(pd.Series(uniques, dtype="str")).to_numpy(dtype=object)
        if len(codes) and codes.min() < 0:  # pragma: no cover - fillna leaves no missing values
            codes = np.where(codes < 0, 0, codes)
        return pd.Series(classes[codes] if len(classes) else np.array([], dtype=object),
                         index=masked.index, dtype="str")

    def classify_text(self, text: pd.Series) -> pd.Series:
        """Reply class of each (masked) text by the rules alone (``other`` when none matches)."""
        text = text.astype("str").fillna("")
        out = np.full(len(text), "other", dtype=object)
        todo = np.ones(len(text), dtype=bool)
        # each rule is matched against the texts still without a class, as a copy of them taken
        # only when half of the previous one has a class (not a copy per rule)
        pos = np.arange(len(text))
        sub = text
        for cls, regex in self.rules:
            live = todo[pos]
            n_live = int(live.sum())
            if not n_live:
                break
            if 2 * n_live <= len(pos):
                pos = pos[live]
                sub = text.iloc[pos]
                live = np.ones(len(pos), dtype=bool)
            hit = sub.str.contains(f"(?i){regex}", regex=True).to_numpy(dtype=bool, na_value=False)
            hit_pos = pos[hit & live]
            out[hit_pos] = cls
            todo[hit_pos] = False
        return pd.Series(out, index=text.index, dtype="str")


@uses_arrow_pool
def classify_replies(messages: pd.DataFrame, patterns: ReplyPatterns | None = None) -> pd.Series:
    """Reply class of every Amazon message.

    Parameters
    ----------
    messages : pandas.DataFrame
        Needs ``direction`` and ``body``; uses ``subject`` and ``kind`` when present.
    patterns : ReplyPatterns, optional
        The rules; :meth:`ReplyPatterns.default` when omitted.

    Returns
    -------
    pandas.Series
        Aligned with ``messages.index``, named ``reply_class``: one of
        :data:`caselog.schema.REPLY_CLASSES` for Amazon messages, ``""`` for seller messages.
        The ``kind`` label wins when it names a class; otherwise the masked ``body`` (the
        ``subject`` when the masked body is empty) is matched against the ordered rules.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"direction": ["seller", "amazon"], "kind": ["", ""],
    ...                   "body": ["Please reinstate", "Your account has been reinstated."]})
    >>> classify_replies(m).tolist()
    ['', 'acceptance']
    """
    patterns = patterns or ReplyPatterns.default()
    missing = [c for c in ("direction", "body") if c not in messages.columns]
    if missing:
        raise SchemaError(
            f"classify_replies needs column(s) {missing}", missing=missing, found=messages.columns
        )
    return reply_classes(messages, patterns)


def reply_classes(messages: pd.DataFrame, patterns: ReplyPatterns) -> pd.Series:
    """:func:`classify_replies` without the column checks.

    The masked ``body`` is classified; where it is empty (a blank body, or one that is only a
    greeting or sign-off) the masked ``subject`` stands in.
    """
    n = len(messages)
    values = np.full(n, "", dtype=object)
    amazon = (messages["direction"].astype("str") == "amazon").to_numpy(dtype=bool, na_value=False)
    if amazon.any():
        pos = np.flatnonzero(amazon)
        masked = mask_rows(messages["body"], amazon)
        values[pos] = classes_of_masked(messages, pos, masked, patterns)
    return pd.Series(values, index=messages.index, dtype="str", name="reply_class")


def classes_of_masked(
    messages: pd.DataFrame, pos: np.ndarray, masked: pd.Series, patterns: ReplyPatterns
) -> np.ndarray:
    """Reply classes of the Amazon messages at ``pos`` whose bodies, masked, are ``masked``.

    The ``kind`` label wins when it names a class; else the class of the masked body (each
    distinct text matched once); where that is empty, the class of the masked ``subject``.
    """
    if patterns.use_kind and "kind" in messages.columns:
        codes, labels = pd.factorize(messages["kind"].iloc[pos].astype("str").fillna(""))
        named = patterns.kind_class(pd.Series(labels, dtype="str")).to_numpy(dtype=object)
        cls = named[codes] if len(named) else np.full(len(pos), "", dtype=object)
    else:
        cls = np.full(len(pos), "", dtype=object)
    need = np.flatnonzero(cls == "")
    if len(need):
        text = masked.iloc[need] if len(need) < len(pos) else masked
        text = text.reset_index(drop=True)
        blank = (text == "").to_numpy(dtype=bool)
        if blank.any() and "subject" in messages.columns:
            subject = messages["subject"].iloc[pos[need[blank]]].astype("str").fillna("")
            text = text.astype(object)
            text.iloc[np.flatnonzero(blank)] = mask_text(subject).to_numpy(dtype=object)
        cls[need] = patterns.classify_masked(text).to_numpy(dtype=object)
    return cls
