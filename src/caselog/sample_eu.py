"""An EU account for the sample: some cases of a generated sample, answered in German and French.

:func:`to_eu_account` takes a :class:`caselog.sample.Sample` and moves a share of its cases to one
account on the European marketplaces (``"Rheinwerk Handel GmbH"``): in every second of those cases
Amazon writes German, in the others French -- the same templates as the English sample (same reply
classes, same canned repeats), with German / French greetings and sign-offs, the case's ASINs,
case IDs and links kept. Seller messages stay as they were (the account's consultant writes in
English), so escalations and readiness verdicts do not change. The truth follows: the template
key of a translated reply is ``"<key>@de"`` / ``"<key>@fr"``, the reply class is unchanged.

Only Amazon templates that have a translation in :data:`TEMPLATES_DE` / :data:`TEMPLATES_FR` are
translated; the others (Seller Support's routine answers) stay English, as they often are.

Examples
--------
>>> import caselog
>>> from caselog.sample_eu import to_eu_account
>>> s = to_eu_account(caselog.sample.generate(n_cases=40))
>>> sorted(caselog.detect_language(s.messages[s.messages["direction"] == "amazon"]).unique())
['de', 'en', 'fr']
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from .sample import Sample

__all__ = ["EU_ACCOUNT", "TEMPLATES_DE", "TEMPLATES_FR", "to_eu_account"]

#: The account the EU cases move to.
EU_ACCOUNT = "Rheinwerk Handel GmbH"

#: German texts of the sample's Amazon templates (``{asin}``, ``{case}``, ``{url}`` filled from
#: the English message; ``{store}`` is the account).
TEMPLATES_DE: dict[str, str] = {
    "sp_ack_appeal": "Wir haben Ihren Widerspruch erhalten und werden innerhalb von 48 Stunden "
    "antworten. Sie müssen keinen weiteren Widerspruch einreichen, während wir die Informationen "
    "zu Fall {case} prüfen.",
    "sp_ack_poa": "Vielen Dank für Ihren Aktionsplan für {store}. Ihr Widerspruch wird derzeit "
    "geprüft. Wir werden Sie per E-Mail benachrichtigen, sobald unsere Prüfung abgeschlossen ist.",
    "sp_denial_generic": "Vielen Dank für Ihren Widerspruch. Wir haben die von Ihnen "
    "bereitgestellten Informationen geprüft und können Ihren Widerspruch derzeit nicht "
    "akzeptieren. Ihre Verkaufsberechtigungen bleiben deaktiviert. Einen neuen Widerspruch können "
    "Sie unter Kontozustand einreichen: {url}",
    "sp_denial_poa": "Wir haben Ihren Aktionsplan geprüft. Er behebt die Ursachen der "
    "Deaktivierung Ihres Kontos nicht. Ihr Konto bleibt deaktiviert. Bitte lesen Sie unsere "
    "Richtlinien unter {url}, bevor Sie einen überarbeiteten Widerspruch einreichen.",
    "sp_deactivated": "Wir haben Ihren Widerspruch für {store} geprüft. Ihr Verkäuferkonto wurde "
    "deaktiviert. Ihre Angebote sind für Kunden nicht verfügbar und das Guthaben in Ihrem Konto "
    "wird einbehalten.",
    "sp_reinstated": "Wir haben Ihren Widerspruch für {store} geprüft. Ihr Konto wurde "
    "wiederhergestellt. Ihre Angebote sind wieder für Kunden verfügbar und Ihr Guthaben wird "
    "freigegeben.",
    "sp_reinstated_b": "Nach Prüfung der von Ihnen bereitgestellten Informationen wurden Ihre "
    "Verkaufsberechtigungen reaktiviert. Den Status Ihres Kontos sehen Sie unter {url}.",
    "sp_notice_resend": "Ihre Amazon.de Verkaufsberechtigungen wurden entfernt. Wir haben "
    "Beschwerden von Kunden über die Echtheit von Artikeln in Ihrem Bestand erhalten, darunter "
    "ASIN {asin}. Senden Sie uns innerhalb von 17 Tagen einen Aktionsplan über Kontozustand: {url}",
    "sp_info_supplier": "Um die Prüfung Ihres Widerspruchs fortzusetzen, senden Sie uns bitte "
    "folgende Informationen: Angaben zum Lieferanten (Name, Telefonnummer, Adresse, Website), "
    "Rechnungen aus den letzten 180 Tagen, Artikelbeschreibungen und Mengen für ASIN {asin}.",
    "sp_info_invoices": "Die uns derzeit vorliegenden Informationen reichen nicht aus, um Ihren "
    "Widerspruch zu prüfen. Bitte senden Sie uns Rechnungen Ihres Lieferanten für ASIN {asin} "
    "aus den letzten 180 Tagen.",
    "sp_deflection_email": "Diese E-Mail-Adresse ist nicht der richtige Kanal, um einen "
    "Widerspruch einzureichen. Bitte reichen Sie Ihren Widerspruch in Seller Central unter "
    "Kontozustand ein: {url}",
    "sp_l2_forwarded": "Ihre Anfrage wurde an einen leitenden Prüfer weitergeleitet. Wir werden "
    "Sie per E-Mail benachrichtigen, sobald die Prüfung von Fall {case} abgeschlossen ist.",
    "sp_l2_upheld": "Ein leitender Prüfer hat Ihr Konto geprüft. Wir haben entschieden, Ihr Konto "
    "nicht zu reaktivieren. Unsere Entscheidung ist endgültig. Ihr Konto bleibt deaktiviert.",
    "sp_l2_reinstated": "Nach Prüfung durch einen leitenden Prüfer wurden Ihre "
    "Verkaufsberechtigungen wiederhergestellt. Willkommen zurück! Ihre Angebote, darunter ASIN "
    "{asin}, sind innerhalb von 24 Stunden wieder aktiv.",
    "pq_auth_denial": "Ihr Widerspruch zur Wiederherstellung von ASIN {asin} wurde nicht "
    "akzeptiert, da wir die eingereichten Rechnungen nicht überprüfen konnten.",
    "pq_removed": "Wir haben Ihren Widerspruch geprüft. ASIN {asin} wurde entfernt. Die Beschwerde "
    "bleibt auf Ihrer Seite Kontozustand.",
}

#: French texts of the same templates.
TEMPLATES_FR: dict[str, str] = {
    "sp_ack_appeal": "Nous avons bien reçu votre appel et vous répondrons dans un délai de 48 "
    "heures. Inutile de soumettre un autre appel pendant que nous examinons le dossier {case}.",
    "sp_ack_poa": "Merci pour votre plan d'action pour {store}. Votre appel est en cours "
    "d'examen. Nous vous informerons par e-mail lorsque notre examen sera terminé.",
    "sp_denial_generic": "Merci pour votre appel. Nous avons examiné les informations fournies et "
    "nous ne sommes pas en mesure d'accepter votre appel pour le moment. Vos privilèges de vente "
    "restent désactivés. Pour soumettre un nouvel appel : {url}",
    "sp_denial_poa": "Nous avons examiné votre plan d'action. Il ne corrige pas les causes de la "
    "désactivation de votre compte. Votre compte a été désactivé et le reste. Veuillez consulter "
    "nos règles sur {url} avant de soumettre un nouvel appel.",
    "sp_deactivated": "Nous avons examiné votre appel pour {store}. Votre compte vendeur a été "
    "désactivé. Vos annonces ne sont plus disponibles et les fonds de votre compte sont retenus.",
    "sp_reinstated": "Nous avons examiné votre appel pour {store}. Votre compte a été réactivé. "
    "Vos annonces sont de nouveau disponibles et vos fonds seront débloqués.",
    "sp_reinstated_b": "Après examen des informations fournies, votre compte a été rétabli. Vous "
    "pouvez consulter l'état de votre compte sur {url}.",
    "sp_notice_resend": "Vos privilèges de vente sur Amazon.fr ont été supprimés. Nous avons reçu "
    "des réclamations de clients concernant l'authenticité d'articles, dont l'ASIN {asin}. "
    "Envoyez-nous un plan d'action dans un délai de 17 jours via Santé du compte : {url}",
    "sp_info_supplier": "Pour poursuivre l'examen de votre appel, veuillez fournir les "
    "informations suivantes : coordonnées du fournisseur (nom, téléphone, adresse, site web), "
    "factures des 180 derniers jours, descriptions et quantités pour l'ASIN {asin}.",
    "sp_info_invoices": "Nous n'avons pas suffisamment d'informations pour examiner votre appel. "
    "Veuillez fournir les factures de votre fournisseur pour l'ASIN {asin}.",
    "sp_deflection_email": "Cette adresse e-mail n'est pas le bon canal pour soumettre un appel. "
    "Veuillez contactez-nous via Seller Central, Santé du compte : {url}",
    "sp_l2_forwarded": "Votre demande a été transmise à un enquêteur senior. Nous vous "
    "informerons par e-mail lorsque l'examen du dossier {case} sera terminé.",
    "sp_l2_upheld": "Un enquêteur senior a examiné votre compte. Nous avons décidé de ne pas "
    "réactiver votre compte. Notre décision est définitive.",
    "sp_l2_reinstated": "Après examen par un enquêteur senior, votre compte a été réactivé. Bon "
    "retour parmi nous ! Vos annonces, dont l'ASIN {asin}, seront actives sous 24 heures.",
    "pq_auth_denial": "Nous ne pouvons pas accepter votre appel concernant l'ASIN {asin} : les "
    "factures fournies n'ont pas pu être vérifiées.",
    "pq_removed": "Nous avons examiné votre appel. Les annonces de l'ASIN {asin} ont été "
    "supprimées. La réclamation reste sur votre page Santé du compte.",
}

_GREETING = {"de": ("Guten Tag,", "Sehr geehrte Damen und Herren,", "Hallo,"),
             "fr": ("Bonjour,", "Madame, Monsieur,", "Bonjour {store},")}
_SIGN_OFF = {"de": ("Mit freundlichen Grüßen\nSeller Performance", "Viele Grüße\nAmazon.de"),
             "fr": ("Cordialement,\nSeller Performance", "Bien cordialement,\nAmazon.fr")}
_FIELDS = {
    "asin": re.compile(r"\bB0[A-Z0-9]{8}\b"),
    "url": re.compile(r"https?://\S+[^\s.,;:)]"),
    "case": re.compile(r"\b\d{10}\b"),
}


def _fill(text: str, original: str, store: str) -> str:
    for name, rx in _FIELDS.items():
        if "{" + name + "}" in text:
            m = rx.search(original)
            text = text.replace("{" + name + "}", m.group(0) if m else "")
    return text.replace("{store}", store)


def to_eu_account(
    sample: Sample, *, share: float = 0.25, account: str = EU_ACCOUNT, seed: int = 7
) -> Sample:
    """The sample with ``share`` of its cases moved to an EU account answered in German / French.

    Parameters
    ----------
    sample : caselog.sample.Sample
        From :func:`caselog.sample.generate`.
    share : float, default 0.25
        Share of the cases (drawn with ``seed``) that move to ``account``.
    account : str
        The EU account's name.
    seed : int
        The draw of cases and of greeting / sign-off variants (the same seed gives the same
        sample).

    Returns
    -------
    caselog.sample.Sample
        A copy: ``account`` changed in ``messages``, ``cases`` and ``truth_cases`` for the drawn
        cases, the Amazon bodies of translated templates in German (every second drawn case, in
        ``case_id`` order) or French, and their truth ``template`` keys suffixed ``@de`` /
        ``@fr``.
    """
    rng = np.random.default_rng(seed)
    case_ids = np.sort(sample.cases["case_id"].astype("str").unique())
    n = int(round(len(case_ids) * float(share)))
    chosen = np.sort(rng.choice(case_ids, size=n, replace=False)) if n else case_ids[:0]
    lang_of = {c: ("de" if i % 2 == 0 else "fr") for i, c in enumerate(chosen)}
    messages = sample.messages.copy()
    truth = sample.truth_messages.copy()
    cases = sample.cases.copy()
    truth_cases = sample.truth_cases.copy()
    for frame in (messages, cases, truth_cases):
        frame.loc[frame["case_id"].astype("str").isin(chosen), "account"] = account
    body = messages["body"].astype("str").to_numpy(dtype=object).copy()
    keys = truth["template"].astype("str").to_numpy(dtype=object).copy()
    cid = messages["case_id"].astype("str").to_numpy(dtype=object)
    for i in np.flatnonzero(messages["case_id"].astype("str").isin(chosen).to_numpy()):
        lang = lang_of[cid[i]]
        bank = TEMPLATES_DE if lang == "de" else TEMPLATES_FR
        key = keys[i]
        if messages.at[i, "direction"] != "amazon" or key not in bank:
            continue
        greeting = _GREETING[lang][int(rng.integers(len(_GREETING[lang])))]
        sign_off = _SIGN_OFF[lang][int(rng.integers(len(_SIGN_OFF[lang])))]
        text = _fill(bank[key], body[i], account)
        body[i] = "\n".join([greeting.replace("{store}", account), "", text, "", sign_off])
        keys[i] = f"{key}@{lang}"
    messages["body"] = pd.array(body, dtype="str")
    truth["template"] = pd.array(keys, dtype="str")
    return replace(sample, messages=messages, cases=cases, truth_messages=truth,
                   truth_cases=truth_cases)
