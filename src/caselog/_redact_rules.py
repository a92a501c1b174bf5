"""Patterns and checks behind :func:`caselog.redact` (private).

Each rule is a regular expression run by ``Series.str.replace`` on the rows a cheap pre-filter
(RE2-compatible, no look-arounds) selects.  Where a regular expression alone cannot decide --
is this digit run a phone number, is this capitalised word a person or a business -- the
replacement is a function that looks at the match and returns either the placeholder or the
text unchanged.

Phone numbers are confirmed by ``phonenumbers`` (libphonenumber's metadata): a candidate
digit run found by a regular expression is handed to :class:`phonenumbers.PhoneNumberMatcher`
for a few regions in turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import phonenumbers

# ------------------------------------------------------------------------------- letters

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĪİĹĽŁŃŇŌŐŒŔŘŚŞŠŢŤŪŮŰŹŻŽ"
_LO = "a-zß-öø-ÿāăąćčďđēėęěğīıĺľłńňōőœŕřśşšţťūůűźżž"
_CAP = rf"(?:[{_UP}][{_LO}]*['’])?[{_UP}][{_LO}]+(?:[{_UP}][{_LO}]+)?(?:-[{_UP}][{_LO}]+)*"
_CAPS = rf"(?:[{_UP}]['’])?[{_UP}]{{2,}}(?:['’\-][{_UP}]+)*(?![{_LO}])"
_PARTICLES = frozenset(
    "van von der den de del della di da du le la dos das ter ten bin ibn al el ó ní nic uí mac"
    .split()
)
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|le|la|dos|das|ter|ten|bin|ibn|al|el)"
_INITIAL = rf"[{_UP}]\.(?![{_LO}{_UP}])"
_LEAD_PARTICLE = r"(?:(?:Ó|Ní|Nic|Uí|Mac|Van|Von|De|Di|Da|Du|Le|La|Del|Della|El|Al)[ \t]+)"
#: a name in a greeting or a sign-off: capitalised or all-capital words, particles, initials
_NAME = (
    rf"{_LEAD_PARTICLE}?(?:{_CAP}|{_CAPS})"
    rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:{_CAP}|{_CAPS}|{_INITIAL})){{0,3}}"
)
#: a name in running text: capitalised words only
_NAME_RT = rf"{_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_CAP}){{0,2}}"
_TITLE = (
    r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Hr|Fr|Madame|Monsieur|Mme|Mlle|Mademoiselle"
    r"|Señor|Señora|Señorita|Sr|Sra|Srta|Doña|Signor|Signora|Sig|Sig\.ra|Dott|Dott\.ssa|Avv"
    r")\.?[ \t]+)"
)
_TITLES_RE = re.compile(r"^(?:" + _TITLE + r")+")

# Words that are never a person's name (compared case-insensitively).
NOT_NAMES: frozenset[str] = frozenset(
    """
    seller sellers selling support account accounts amazon amazonhelp team teams performance
    partner partners health services service executive executives relations product products
    quality catalog catalogue brand registry payments payment captive sir sirs madam madame
    monsieur mesdames messieurs herr frau herren damen mr mrs ms miss dr all everyone there
    customer customers valued colleague colleagues friend friends again the our your my his her
    their department dept investigator investigators investigation investigations specialist
    specialists manager managers merchant merchants esr sp ahs pq ss fba fbm asin asins sku
    policy policies appeals appeal case cases concerned whom hiring everybody folks guys ladies
    gentlemen in on at of from and for with as by to we i it he she they you who which what
    this that these those thank thanks please regards best sincerely hello hi hey dear good
    morning afternoon evening today yesterday tomorrow monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december associate associates agent agents representative rep buyer buyers
    supplier suppliers manufacturer carrier ups dhl fedex usps hermes dpd gls royal mail
    nobody someone somebody everything nothing finally then also however unfortunately subject
    re fwd fw urgent important update notice note attached attachment invoice invoices order
    orders shipment shipments listing listings plan action poa central selling kundenservice
    equipo equipe équipe squadra servizio clienti service-client zusammen kollegen kolleginnen
    señores senores signori spettabile gentile team-amazon operations compliance legal finance
    warehouse logistics returns director ceo cfo coo owner founder cordialement saludos
    grüßen grüsse grüße gruß merci gracias grazie danke atentamente salutations distinti
    cordiali saluti lg mfg vg yours cheers ok okay yes no hallo hola bonjour ciao buongiorno
    unable thankyou sorry hope just kindly re: q1 q2 q3 q4 uk us usa eu
    greetings greeting call calls callback feedback reply replies response responses message
    messages email e-mail emails mail letter letters notice notices anyone help escalation
    escalations news word approval rejection request requests statement statements
    confirmation documents document documentation information staff people person nothing
    follow-up followup reminder chat phone ticket tickets review reviews decision decisions
    status result results outcome summary report reports question questions answer answers
    proof evidence support-team contact contacts meeting meetings conversation note notes
    someone's nobody's here where when why how while after before during since until about
    our if so but or not yet still already later soon now dear hey hallo welcome regarding
    re re: aw aw: tr tr: fwd: fw: subject: sent from cc bcc attn attention per ask told
    vendor vendors applicant applicants user users member members client clients shopper
    shoppers owners rights holder holders sender recipient recipients reviewer reviewers
    buy sent: date date: subject error errors problem problems issue issues question trouble delay delays complaint
    complaints claim claims dispute disputes refund refunds payment
    """.split()
)
# Words that make a capitalised phrase a business, not a person (case-insensitive).
BUSINESS_WORDS: frozenset[str] = frozenset(
    """
    llc l.l.c. ltd ltd. limited inc inc. incorporated corp corp. corporation co co. company
    gmbh ag kg ug ohg e.k. sarl sas sa s.a. srl s.r.l. spa s.p.a. sl s.l. bv b.v. nv plc
    lp llp pty goods home homes store stores shop shops trading traders supplies supply
    outdoors outdoor brands group holdings kitchen electronics boutique tienda casa handel
    enterprises industries international global solutions studio studios labs market
    marketplace mart depot direct online imports exports distribution distributors wholesale
    retail co-op collective crafts designs apparel beauty pets toys tools gear
    """.split()
)


def _clean(word: str) -> str:
    return word.strip(",.:;!?()[]\"'").lower()


@dataclass(frozen=True)
class Keep:
    """Phrases (account names) and digit runs (case IDs) that are never masked."""

    phrases: tuple[str, ...] = ()
    digits: frozenset[str] = frozenset()

    @classmethod
    def of(cls, keep: Iterable[str]) -> Keep:
        phrases: list[str] = []
        digits: set[str] = set()
        for item in keep:
            s = str(item).strip()
            if not s:
                continue
            if s.isdigit():
                digits.add(s)
            else:
                phrases.append(s)
        return cls(tuple(sorted(set(phrases), key=len, reverse=True)), frozenset(digits))

    def protects(self, text: str, start: int) -> bool:
        return any(text.startswith(p, start) for p in self.phrases)


def mask_name_span(full: str, start: int, end: int, keep: Keep) -> str | None:
    """``[name]`` for ``full[start:end]``, keeping leading words that are not names.

    Returns None when the words are not a person's name (a team, a business, a kept phrase);
    the caller then leaves the text as it is.  A leading title (``Mr.``, ``Frau``) is masked
    with the name.
    """
    text = full[start:end]
    head = ""
    title = _TITLES_RE.match(text)
    if title is None:
        pos = 0
        for word in re.finditer(r"\S+", text):
            if _clean(word.group()) not in NOT_NAMES:
                break
            pos = word.end()
        else:
            return None
        if pos:
            pos = re.compile(r"[ \t]*").match(text, pos).end()  # type: ignore[union-attr]
        head = text[:pos]
        body = text[pos:]
    else:
        body = text[title.end():]
    words = body.split()
    if not words:
        return None
    if any(
        (_clean(w) in NOT_NAMES or _clean(w) in BUSINESS_WORDS) and _clean(w) not in _PARTICLES
        for w in words
    ):
        return None
    if keep.protects(full, end - len(body)):
        return None
    return head + "[name]"


# ------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """One masking pass: rows matching ``prefilter`` get ``pattern`` replaced by ``repl``."""

    kind: str
    pattern: re.Pattern[str]
    repl: str | Callable[[re.Match[str]], str]
    prefilter: str  # cheap RE2-compatible pattern selecting candidate rows
    marker: str  # the placeholder the pass adds (counted to report matches)


# ---- e-mail addresses, plain and written out ("jane [at] example [dot] com")
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_TLD = (
    r"(?i:com|net|org|info|biz|io|co|uk|de|fr|it|es|nl|be|at|ch|pl|se|dk|no|fi|ie|pt|cz|eu"
    r"|us|ca|mx|br|au|nz|jp|cn|in|sg|ae|tr|ru|shop|store|online|email|me|app)"
)
_AT_WORD = r"(?:[ \t]*(?:\[at\]|\(at\)|\{at\}|<at>|\[@\]|\(@\))[ \t]*|[ \t]+(?:at|AT)[ \t]+)"
_AT_ANY = r"(?:" + _AT_WORD + r"|[ \t]*[@＠][ \t]*)"
_DOT_WORD = r"(?:[ \t]*(?:\[dot\]|\(dot\)|\{dot\}|<dot>|\[\.\]|\(\.\))[ \t]*|[ \t]+(?:dot|DOT)[ \t]+)"
_DOT_ANY = r"(?:" + _DOT_WORD + r"|\.|[ \t]+\.[ \t]+)"
_LOCAL = r"[A-Za-z0-9_%+\-]+(?:(?:\.|[ \t]+\.[ \t]+|" + _DOT_WORD + r")[A-Za-z0-9_%+\-]+)*"
_LABEL = r"[A-Za-z0-9\-]+"
# written-out forms: an obfuscated "at" or an obfuscated "dot" (or spaces round "@" / ".")
_EMAIL_OBFUSCATED = (
    r"(?<![\w.])(?:"
    # jane [at] example [dot] com / jane(at)example.de / support <at> acme <dot> com
    + _LOCAL + r"[ \t]*(?:\[at\]|\(at\)|\{at\}|<at>|\[@\]|\(@\))[ \t]*"
    + _LABEL + r"(?:" + _DOT_ANY + _LABEL + r")*" + _DOT_ANY + _TLD
    + r"|"
    # jane at example dot com / jane@example[.]jp
    + _LOCAL + _AT_ANY + _LABEL + r"(?:" + _DOT_ANY + _LABEL + r")*" + _DOT_WORD + _TLD
    + r"|"
    # giulia.rossi at casa-bella.it (a dotted or numbered local part before a plain "at")
    + r"[A-Za-z0-9_%+\-]*[._\d][A-Za-z0-9_%+\-]*" + r"[ \t]+(?:at|AT)[ \t]+"
    + _LABEL + r"(?:\." + _LABEL + r")*\." + _TLD
    + r"|"
    # anna . kowalska @ example . pl
    + _LOCAL + r"[ \t]+[@＠][ \t]+" + _LABEL + r"(?:" + _DOT_ANY + _LABEL + r")*" + _DOT_ANY
    + _TLD
    + r")(?![\w@])"
)
_EMAIL_OBFUSCATED_PREFILTER = (
    r"(?i)\[at\]|\(at\)|\{at\}|<at>|\[@\]|\(@\)|[ \t][@＠]|[@＠][ \t]"
    r"|[ \t]at[ \t]+[A-Za-z0-9\-]+(?:\.[A-Za-z]|[ \t]+dot[ \t]|[ \t]*[\[({<]dot)"
    r"|@[A-Za-z0-9\-]+[\[(]\.[\])]"
)

# ---- order IDs
_ORDER_ID = r"\b\d{3}-\d{7}-\d{7}\b"

# ---- phones: a candidate run of digits and separators, confirmed by phonenumbers
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+/\-.,$€£¥#])(?<![\w][.,])"
    r"(?:\+[ \t]?|00|\()?\d[\d \t().\-/]{5,24}\d(?:\))?"
    r"(?![\w/\-]|[.,:]\d)"
)
_PHONE_PREFILTER = r"\+[ \t]?\d|\b00\d|\(\d|\d[ \t.\-/)]+\d{2}[ \t.\-/]?\d{2}|\d{9}"
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IT", "ES", "JP", "IN", "NL", "PL", "CA", "AU")
_DATE_LIKE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$"
)
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_ORDER_SHAPE = re.compile(r"\d{3}-\d{7}-\d{7}|\d{5}-\d{4}")  # order ID, ZIP+4
_PHONE_CUES = re.compile(
    r"(?i)(?:phone|tel\b|tel\.|telephone|call|ring|mobile|cell|whats ?app|fax|reach (?:me|us)"
    r"|(?:my|our|your|his|her|contact|call ?back|direct|mobile|phone|cell)[ \t]+number"
    r"|text me|sms|handy|telefon|rufnummer|mobil|portable|t[ée]l[ée]phone|joindre|m[óo]vil"
    r"|tel[ée]fono|cellulare|numero|número|電話)"
)
_ID_CUES = re.compile(
    r"(?i)(?:case|order|ticket|\bid\b|asin|tracking|invoice|ean|upc|gtin|isbn|ref|reference"
    r"|batch|lot|sku|reimbursement|shipment|transaction|trademark|registration|account"
    r"|vat|tax|iban|bic|routing|serial|po\b)"
)


def _last_cue_is_phone(text: str, start: int) -> bool:
    window = text[max(0, start - 40):start]
    phone = [m.end() for m in _PHONE_CUES.finditer(window)]
    ident = [m.end() for m in _ID_CUES.finditer(window)]
    return bool(phone) and (not ident or phone[-1] > ident[-1])


def _phone_spans(candidate: str) -> list[tuple[int, int]]:
    """Spans of ``candidate`` that libphonenumber accepts as phone numbers."""
    digits = sum(ch.isdigit() for ch in candidate)
    lenient = candidate.lstrip("(").startswith(("+", "0")) and digits >= 9
    for leniency in (phonenumbers.Leniency.VALID, phonenumbers.Leniency.POSSIBLE):
        if leniency == phonenumbers.Leniency.POSSIBLE and not lenient:
            break
        for region in _PHONE_REGIONS:
            found = [
                (m.start, m.end)
                for m in phonenumbers.PhoneNumberMatcher(candidate, region, leniency=leniency)
            ]
            if found:
                return found
    return []


def _phone_repl(keep: Keep) -> Callable[[re.Match[str]], str]:
    def repl(m: re.Match[str]) -> str:
        cand = m.group()
        digits = re.sub(r"\D", "", cand)
        if len(digits) < 7 or len(digits) > 15 or digits in keep.digits:
            return cand
        core = cand.strip("()")
        if _DATE_LIKE.match(core) or _ISO_DATE.search(core) or _ORDER_SHAPE.fullmatch(core):
            return cand
        bare = core.isdigit()
        if bare and not _last_cue_is_phone(m.string, m.start()):
            return cand  # a run of digits without a phone word before it: an ID
        if not bare and _ID_CUES.search(m.string[max(0, m.start() - 12):m.start()]):
            return cand  # "ISBN 978-3-16-148410-0", "order 123-..."
        spans = _phone_spans(cand)
        if not spans:
            return cand
        out, pos = [], 0
        for a, b in spans:
            out.append(cand[pos:a])
            out.append("[phone]")
            pos = b
        out.append(cand[pos:])
        return "".join(out)

    return repl


# ---- street addresses (UK/US, German, French, Italian/Spanish) and post boxes
_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Parkway|Pkwy|Highway|Hwy|Terrace|Ter|Circle|Cir|Square|Sq|Trail|Trl|Close|Crescent"
    r"|Cres|Gardens|Gdns|Grove|Mews|Row|Walk|Hill|Loop|Green|Rise|Vale|Wharf|Yard|Quay"
    r"|Parade|Alley|Plaza|Pike|Broadway)"
)
_DIRECTION = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)"
_UNIT = r"(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm|#)"
_ADDRESS_EN = (
    r"\b\d{1,6}[A-Za-z]?[ \t]+"
    rf"(?:[A-Z0-9{_UP[3:]}][\w'\-]*\.?[ \t]+){{1,4}}"
    + _STREET_SUFFIX
    + rf"\b\.?(?:[ \t]+{_DIRECTION}\b\.?)?"
    + rf"(?:,?[ \t]*{_UNIT}\.?[ \t]*#?[ \t]*[A-Za-z0-9\-]+)?"
)
_DE_STREET = r"(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad)"
_ADDRESS_DE = (
    rf"\b(?:[{_UP}][{_LO}\-]*{_DE_STREET}"
    rf"|[{_UP}][{_LO}]+[ \t\-](?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer))"
    r"[ \t]+\d{1,4}[ \t]?[a-zA-Z]?(?:[ \t]*[-/][ \t]*\d{1,4}[a-z]?)?\b"
)
_FR_WORD = rf"(?:[{_UP}][\w\-'’]*|de|du|des|la|le|les|d['’]|l['’]|sur|en|et)"
_ADDRESS_FR = (
    r"\b\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+"
    r"(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours|square"
    r"|passage|faubourg)"
    rf"[ \t]+(?:{_FR_WORD}[ \t]*)*[{_UP}][\w\-'’]*"
)
_ADDRESS_IT_ES = (
    r"\b(?:Via|Viale|Piazza|Piazzale|Corso|Largo|Calle|C/|Avenida|Avda\.|Plaza|Paseo|Carrer"
    r"|Rua|Ronda|Travesía)"
    rf"[ \t]+(?:(?:de|del|della|dei|di|la|los|las)[ \t]+)*[{_UP}][{_LO}]+"
    rf"(?:[ \t]+[{_UP}][{_LO}]+){{0,3}},?[ \t]*\d{{1,4}}\b"
)
_PO_BOX = r"\b(?:P\.?[ \t]?O\.?[ \t]?Box|Post[ \t]?Office[ \t]Box|Postfach|BP)[ \t]+\d{1,6}\b"
_ADDRESS = "|".join((_ADDRESS_EN, _ADDRESS_DE, _ADDRESS_FR, _ADDRESS_IT_ES, _PO_BOX))
_ADDRESS_PREFILTER = (
    r"\b" + _STREET_SUFFIX + r"\b|(?i:straße|strasse|str\.|weg\b|allee|platz|gasse|ring\b"
    r"|damm|ufer|rue|avenue|boulevard|place|chemin|allée|impasse|quai|route|cours|via|viale"
    r"|piazza|corso|calle|c/|avenida|plaza|paseo|box|postfach)"
)

# ---- postcodes: UK, US state + ZIP, ZIP+4, five digits before a town (DE/FR/IT/ES)
_UK_POSTCODE = r"\b[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t]?\d[ABD-HJLNP-UW-Z]{2}\b"
_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV"
    "|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
_US_ZIP = rf"((?:,|[a-z.])[ \t]+)(?:{_US_STATES})[ \t]+\d{{5}}(?:-\d{{4}})?\b"
_ZIP4 = r"\b\d{5}-\d{4}\b"
_EU_POSTCODE = (
    r"(?m)((?:^|,)[ \t]*)(?:D-|F-|I-|E-|DE-|FR-)?\d{5}"
    r"(?=[ \t]+(?!(?i:units|stück|stk|artikel|items|orders|pcs|pieces|eur|usd|gbp)\b)"
    rf"[{_UP}][{_LO}]+)"
)
_POSTCODE = _UK_POSTCODE + "|" + _ZIP4
_POSTCODE_PREFILTER = r"[A-Z]\d[A-Z\d]?[ \t]?\d[A-Z]{2}|\d{5}-\d{4}"
_US_ZIP_PREFILTER = r"[A-Z]{2}[ \t]+\d{5}"
_EU_POSTCODE_PREFILTER = r"(?m)(?:^|,)[ \t]*(?:[DFIE]-|DE-|FR-)?\d{5}[ \t]+[A-ZÀ-ÞŁŚŻ]"

# ---- names in greetings, sign-offs and running text
_GREETING_WORDS = (
    r"(?:Hello|Hi|Hey|Dear|Greetings|Good[ \t]+(?:morning|afternoon|evening|day)|Hallo|Hola"
    r"|Bonjour|Bonsoir|Salut|Ciao|Buongiorno|Buonasera|Salve|Gentile|Gentilissim[oa]|Egregi[oa]"
    r"|Estimad[oa]|Querid[oa]|Buenos[ \t]+d[ií]as|Buenas[ \t]+tardes|Liebe|Lieber"
    r"|Sehr[ \t]+geehrte[r]?|Guten[ \t]+(?:Tag|Morgen)|Moin|Servus|Cher|Chère|Geachte|Beste"
    r"|Hej|Hei|Olá|Caro|Cara|Witam|Szanown[ya])"
)
_NAME_LIST = _NAME + r"(?:[ \t]*(?:,|&|and|und|et|y|e)[ \t]*" + _NAME + r")*"
_GREETING = (
    r"(?m)(^[ \t]*" + _GREETING_WORDS + r",?[ \t]+)"
    r"(?P<n>" + _TITLE + r"{0,2}" + _NAME_LIST + r")"
    r"(?=[ \t]*(?:[,!:;.\-–—]|\r?\n|$|(?:and|&)[ \t]+(?i:team|all|everyone)\b))"
)
_GREETING_PREFILTER = r"(?m)^[ \t]*" + _GREETING_WORDS + r",?[ \t]+[A-ZÀ-ÞŁŚŻ]"
_CLOSING_WORDS = (
    r"(?i:best(?:[ \t]+(?:regards|wishes))?|kind(?:est)?[ \t]+regards|warm(?:est)?[ \t]+regards"
    r"|regards|many[ \t]+thanks|thanks(?:[ \t]+(?:again|so[ \t]+much|a[ \t]+lot))?"
    r"|thank[ \t]+you(?:[ \t]+again)?|sincerely(?:[ \t]+yours)?|yours[ \t]+(?:sincerely"
    r"|faithfully|truly)|yours|cheers|respectfully|with[ \t]+thanks|all[ \t]+the[ \t]+best"
    r"|take[ \t]+care|cordially|mit[ \t]+freundlichen[ \t]+gr(?:ü|ue|u)(?:ß|ss)en"
    r"|(?:freundliche|viele|beste|liebe|herzliche|sonnige)[ \t]+gr(?:ü|ue)(?:ß|ss)e"
    r"|gr(?:u|ü|ue)(?:ß|ss)|gr(?:ü|ue)(?:ß|ss)e|mfg|lg|vg|danke(?:[ \t]+schön)?"
    r"|vielen[ \t]+dank|(?:bien[ \t]+)?cordialement|bien[ \t]+à[ \t]+vous"
    r"|(?:sincères[ \t]+)?salutations|merci(?:[ \t]+beaucoup)?|bonne[ \t]+journée"
    r"|(?:un[ \t]+)?saludos?(?:[ \t]+cordiales)?|atentamente|(?:muchas[ \t]+)?gracias"
    r"|distinti[ \t]+saluti|cordiali[ \t]+saluti|(?:un[ \t]+)?salut[oi]|grazie(?:[ \t]+mille)?"
    r"|met[ \t]+vriendelijke[ \t]+groet(?:en)?|groeten|pozdrawiam|venlig[ \t]+hilsen"
    r"|med[ \t]+vänliga[ \t]+hälsningar|atenciosamente|obrigad[oa])"
)
_NAME_LINE_END = r"(?=[ \t]*[,.]?[ \t]*(?:[|/,–—\-][^\n]*)?(?:\r?\n|$))"
# "Regards,\nJohn" / "Mit freundlichen Grüßen\n\nHans Müller": the name on the next line
_CLOSING_LEAD = r"(?:(?i:danke|thanks|thank[ \t]+you|merci|gracias|grazie)[ \t]+(?i:und|and|et|y|e)[ \t]+)?"
_SIGNOFF_NEXT_LINE = (
    r"(?m)(^[ \t]*" + _CLOSING_LEAD + _CLOSING_WORDS + r"[ \t]*[,!.]?[ \t]*(?:\r?\n[ \t]*){1,2})"
    r"(?P<n>(?!" + _CLOSING_WORDS + r"(?!\w))" + _TITLE + r"{0,2}" + _NAME + r")"
    + _NAME_LINE_END
)
_SIGNOFF_NEXT_PREFILTER = (
    r"(?m)^[ \t]*" + _CLOSING_LEAD + _CLOSING_WORDS + r"[ \t]*[,!.]?[ \t]*\r?\n[ \t]*(?:\r?\n[ \t]*)?[A-ZÀ-ÞŁŚŻ]"
)
# "Thanks, John" / "Thanks again - Ravi" alone on their line
_SIGNOFF_SAME_LINE = (
    r"(?m)(^[ \t]*" + _CLOSING_WORDS + r"(?:[ \t]*(?:,|!|[-–—])[ \t]*|[ \t]+))"
    r"(?P<n>" + _TITLE + r"{0,2}" + _NAME + r")"
    r"(?=[ \t]*[.!]?[ \t]*(?:[(,|/–—\-][^\n]*)?(?:\r?\n|$))"
)
_SIGNOFF_SAME_PREFILTER = (
    r"(?m)^[ \t]*" + _CLOSING_WORDS + r"[ \t]*(?:,|!|-|–|—)?[ \t]*[A-ZÀ-ÞŁŚŻ][^\n]*$"
)
# a signature after the "-- " delimiter
_SIGNATURE = (
    r"(?m)(^[ \t]*--[ \t]*\r?\n[ \t]*)(?P<n>" + _TITLE + r"{0,2}" + _NAME + r")" + _NAME_LINE_END
)
_SIGNATURE_PREFILTER = r"(?m)^[ \t]*--[ \t]*\r?\n"

# running text: a cue word before the name ...
_ROLE = (
    r"(?i:colleague|co-?worker|manager|boss|assistant|accountant|bookkeeper|partner|wife"
    r"|husband|brother|sister|son|daughter|father|mother|friend|cousin|va|developer|lawyer"
    r"|attorney|solicitor|consultant|employee|agent|owner|director|ceo|cfo|coo|cto|founder"
    r"|co-?founder|supervisor|contact|representative|rep|specialist|associate|investigator"
    r"|intern|admin|administrator|designer|photographer|advisor|adviser|analyst|buyer|lead"
    r"|head|clerk|packer|driver|courier)"
)
_ROLE_MOD = (
    r"(?i:warehouse|operations|ops|account|office|finance|legal|compliance|business|virtual"
    r"|sales|marketing|logistics|it|general|managing|brand|supplier|shipping|customer|service"
    r"|support|amazon|our|senior|junior|chief|financial|technical|new|former|main|team)"
)
_RT_CUES: tuple[str, ...] = (
    # my colleague / our warehouse manager, / the associate (
    r"(?i:my|our|his|her|their|the|a|an)(?:[ \t]+" + _ROLE_MOD + r")*[ \t]+" + _ROLE
    + r"(?:[ \t]+(?i:is|was))?[ \t]*[,(]?",
    # spoke with / forwarded it to
    r"(?i:spoke|spoken|speaking|talked|talking|chatted|chatting|met|meeting|call|called"
    r"|calling|phoned|emailed|e-mailed|messaged|wrote|writing|forwarded|sent|explained"
    r"|mentioned|introduced|reached[ \t]+out|handed|passed|conversation|chat)"
    r"(?:[ \t]+(?:it|this|them|that|everything))?[ \t]+(?i:with|to)",
    # told by / signed by
    r"(?i:told|signed|written|sent|drafted|prepared|approved|checked|reviewed|confirmed"
    r"|handled|contacted|emailed|called|helped|assisted|advised|recommended|referred"
    r"|authori[sz]ed)[ \t]+by",
    # according to / ask / this is / cc:
    r"(?i:according[ \t]+to|thanks[ \t]+to|as[ \t]+per|per|ask|asked|tell|thank|thanked"
    r"|contact|i[ \t]+am|i'm|my[ \t]+name[ \t]+is|this[ \t]+is|name[ \t]+is|care[ \t]+of|c/o"
    r"|cc|bcc|attn|attention)[ \t]*:?",
    # rep Fatima
    r"(?i:rep|representative|associate|agent|specialist|investigator)",
    # From: Jane Doe / Name: Jane Doe / Ansprechpartner: Herr Becker / Signed, Jane Doe
    r"(?i:from|to|cc|bcc|reply-to|sender|name|full[ \t]+name|contact(?:[ \t]+(?:person|name))?"
    r"|owner|account[ \t]+holder|card[ \t]*holder|signed|signatory|ansprechpartner(?:in)?"
    r"|kontakt|nom|nombre|nome|contatto|contacto)[ \t]*[:,]",
)
_RT_NAMES = (
    r"(?P<n>" + _TITLE + r"?" + _NAME_RT + r"(?:[ \t]*(?:,|and|&)[ \t]*" + _NAME_RT + r")*)"
)


def _rt_cue_rule(cue: str) -> tuple[str, str]:
    """(pattern, RE2 pre-filter) for a name after ``cue``."""
    pattern = r"(\b(?:" + cue + r")(?:[ \t]+|(?<=\())" + ")" + _RT_NAMES
    prefilter = r"\b(?:" + cue + r")[ \t]*[A-ZÀ-ÞŁŚŻ]"
    return pattern, prefilter


_RT_VERBS = (
    r"(?:said|says|told|tells|mentioned|confirmed|explained|wrote|writes|replied|responded"
    r"|promised|advised|asked|called|emailed|e-mailed|checked|sent|suggested|agreed|noted"
    r"|stated|informed|assured|claimed|insisted|handles|handled|manages|managed|uploaded"
    r"|prepared|drafted|fixed|reviewed|signed|approved|recommended|escalated|answered"
    r"|contacted|phoned|spoke|talked|visited|forwarded|shared|submitted|packed|shipped)"
)
_RT_TEAMS = (
    r"(?:Amazon|Account[ \t]+Health|Seller[ \t]+Support|Seller[ \t]+Performance|Brand[ \t]+"
    r"Registry|Product[ \t]+Quality|Catalog|Payments|Executive[ \t]+Seller[ \t]+Relations|ESR"
    r"|AHS|Selling[ \t]+Partner|Seller[ \t]+Central|(?:the|our|your|their)[ \t]+(?:[\w\-]+"
    r"[ \t]+){0,2}(?i:team|department|dept|office|warehouse))"
)
# ... or after it ("Jane said", "Mark from Account Health")
_RT_CUE_AFTER = (
    r"(?<![\w.\-])(?P<n>" + _NAME_RT + r")"
    r"(?=[ \t]+(?:" + _RT_VERBS + r"\b|(?:from|at)[ \t]+" + _RT_TEAMS + r")"
    r"|[ \t]*\((?:" + _ROLE_MOD + r"[ \t]+)*" + _ROLE + r"\))"
)
_RT_TITLE = r"\b(?P<n>" + _TITLE + r"{1,2}" + _NAME_RT + r")"

_RT_AFTER_PREFILTER = (
    r"[A-ZÀ-ÞŁŚŻ][a-zß-ÿ]+(?:[ \t]+(?:" + _RT_VERBS + r"\b|(?:from|at)[ \t]+(?:Amazon"
    r"|Account|Seller|Brand|Product|Catalog|Payments|Executive|ESR|AHS|Selling|the|our|your"
    r"|their)\b)|[ \t]*\([A-Za-z \t]+\))"
)
_RT_TITLE_PREFILTER = r"\b(?:" + _TITLE + r")[A-ZÀ-ÞŁŚŻ]"


def _name_repl(keep: Keep, *, lists: bool) -> Callable[[re.Match[str]], str]:
    """Replace group ``n`` of a match by ``[name]`` when it holds a person's name."""
    name_re = re.compile(_TITLE + r"{0,2}" + _NAME) if lists else None

    def repl(m: re.Match[str]) -> str:
        full = m.string
        a, b = m.span("n")
        pieces: list[tuple[int, int]]
        if name_re is not None:
            pieces = [(a + x.start(), a + x.end()) for x in name_re.finditer(full[a:b])]
        else:
            pieces = [(a, b)]
        out, pos, changed = [], a, False
        for pa, pb in pieces:
            masked = mask_name_span(full, pa, pb, keep)
            if masked is None:
                continue
            out.append(full[pos:pa])
            out.append(masked)
            pos, changed = pb, True
        if not changed:
            return m.group()
        out.append(full[pos:b])
        return full[m.start():a] + "".join(out) + full[b:m.end()]

    return repl


def build_rules(*, order_ids: bool, names: bool, keep: Keep) -> list[Rule]:
    """The masking passes in the order they run."""

    def rx(p: str) -> re.Pattern[str]:
        return re.compile(p)

    rules = [
        Rule("e-mail", rx(_EMAIL), "[email]", "@", "[email]"),
        Rule("e-mail", rx(_EMAIL_OBFUSCATED), "[email]", _EMAIL_OBFUSCATED_PREFILTER, "[email]"),
    ]
    if order_ids:
        rules.append(Rule("order id", rx(_ORDER_ID), "[order id]", r"\d{3}-\d{7}", "[order id]"))
    rules += [
        Rule("phone", _PHONE_CANDIDATE, _phone_repl(keep), _PHONE_PREFILTER, "[phone]"),
        Rule("address", rx(_ADDRESS), "[address]", _ADDRESS_PREFILTER, "[address]"),
        Rule("address", rx(_POSTCODE), "[postcode]", _POSTCODE_PREFILTER, "[postcode]"),
        Rule("address", rx(_US_ZIP), r"\1[postcode]", _US_ZIP_PREFILTER, "[postcode]"),
        Rule("address", rx(_EU_POSTCODE), r"\1[postcode]", _EU_POSTCODE_PREFILTER, "[postcode]"),
    ]
    if names:
        listed = _name_repl(keep, lists=True)
        single = _name_repl(keep, lists=False)
        rules += [
            Rule("name", rx(_GREETING), listed, _GREETING_PREFILTER, "[name]"),
            Rule("name", rx(_SIGNOFF_NEXT_LINE), single, _SIGNOFF_NEXT_PREFILTER, "[name]"),
            Rule("name", rx(_SIGNOFF_SAME_LINE), single, _SIGNOFF_SAME_PREFILTER, "[name]"),
            Rule("name", rx(_SIGNATURE), single, _SIGNATURE_PREFILTER, "[name]"),
            Rule("name", rx(_RT_TITLE), single, _RT_TITLE_PREFILTER, "[name]"),
            *(
                Rule("name", rx(pattern), listed, prefilter, "[name]")
                for pattern, prefilter in map(_rt_cue_rule, _RT_CUES)
            ),
            Rule("name", rx(_RT_CUE_AFTER), single, _RT_AFTER_PREFILTER, "[name]"),
        ]
    return rules
