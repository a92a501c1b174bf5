"""The default reply-class rules, by function, in English, German, French, Italian, Spanish and
Japanese.

Each rule anchors on the *function* of a sentence -- a decision taken ("we have decided not to",
"has been deactivated", "we have removed your selling privileges"), a request ("please provide",
"we do not have enough information"), a pointer elsewhere ("please write to", "outside the
scope"), a receipt ("we have received your appeal", "we have escalated your case") -- never on a
word that also occurs inside other sentences ("we received" in "complaints we received" is no
receipt; "reactivated" in "your offers will be automatically reactivated once ..." is no
reinstatement). The texts are masked first (:func:`caselog.mask_text`: lower case, placeholders,
greeting and sign-off removed, curly quotes straight, lost spaces after a full stop restored).
The regexes run in RE2 (no look-arounds, no back-references); the first rule that matches wins.
"""

from __future__ import annotations

__all__ = ["DEFAULT_RULES"]

# subjects of a notice that takes something away from the seller
_SUBJ = (
    r"(?:account|privileges|verkaufsberechtigungen|listings?|listing\(s\)|offers?|<ASIN>"
    r"|storefront|konto|compte|annonces|cuenta|anuncios)"
)
_TAKEN = r"(?:deactivated|removed|suspended|revoked|closed|blocked|restricted|canceled|cancelled)"

_DENIAL_EN = (
    # a decision not to / a refusal
    r"\bdecided not to\b|\bdecided that you(?: are)? (?:ineligible|not eligible|may not)"
    r"|\b(?:unable|not able) to (?:accept|approve|reinstate|reactivate|reverse|provide further)"
    r"|\bnot (?:been )?(?:accepted|approved|reinstated|reactivated)\b"
    r"|\b(?:cannot|can ?not|can't|will not|won't|could not) (?:be )?(?:reinstated?"
    r"|reactivated?|accept(?:ed)?|approved?)\b|\bwill not be permitted to\b"
    r"|\bdecision is final\b|\bdecision stands\b|\b(?:denied|rejected)\b"
    r"|\b(?:does|did) not (?:resolve|address)\b|\bthere is (?:currently )?no way to\b"
    # an action taken against the seller
    r"|\bremains? (?:deactivated|suspended|on your account)\b|\bwill remain (?:inactive|deactivated)"
    r"|" + _SUBJ + r"(?: [^.;:]{0,40})? (?:has|have|is|are|was|were) (?:been )?"
    r"(?:temporarily |permanently )?" + _TAKEN + r"\b"
    r"|\bwe (?:have )?(?:removed|deactivated|closed|canceled|cancelled|suspended|blocked|revoked)"
    r" (?:your|the|all|<)|\band removed <ASIN>"
    r"|\bwe (?:have )?(?:extended|placed) (?:the |a )?(?:temporary )?hold\b"
    r"|\bwe (?:took|have taken) (?:these|this) (?:actions?|measures?)\b"
    r"|\bhowever, (?:a|our) review of your\b|\byou have not (?:sent|provided|submitted)\b"
    r"|\b(?:may|can) no longer sell\b|\b(?:currently )?may not sell on\b|\bineligible to sell\b"
    r"|\b(?:are|is) not (?:eligible|permitted|allowed) to (?:sell|enroll|list)\b"
    r"|\bwill not be able to sell\b|\bneed approval to list\b"
    r"|\b(?:is|are) infringing\b|\bgranted the claim\b|\bdetermined that you are responsible\b"
    r"|\brate is (?:considerably )?higher than\b"
    r"|\bfurther e-?mails?[^.]{0,60}\bmay not receive (?:a|any) response\b"
    r"|\b(?:may|will) not (?:respond|reply) to (?:any )?further\b|\bthis decision was (?:made|taken)\b"
    r"|\bnot permitted (?:for sale|on amazon)\b"
    # the reason sentence that names a violation: "you have manipulated ... and violated"
    r"|\byou have (?:deceptively |knowingly |repeatedly )?(?:manipulated|violated|misused|abused)\b"
    r"|\b(?:account|you) (?:has|have) violated\b"
    # a restriction while a review runs: "during the review, ... will be disabled"
    r"|\bduring (?:the|our|this) review\b[^.;]{0,80}\bwill be (?:disabled|withheld|suspended"
    r"|restricted|removed|deactivated)\b"
    # a privilege taken away: "this account can no longer contribute content"
    r"|\b(?:can|may) no longer (?:contribute|list|post|create|access|use)\b"
    r"|\bno longer (?:be )?able to (?:sell|contribute|list|post|create|access|use)\b"
)
_DENIAL_OTHER = (
    # German
    r"|\b(?:entschieden|beschlossen),?[^.]{0,60}\bnicht\b[^.]{0,40}\b(?:reaktivieren|wiederherzustellen)"
    r"|\bwurden? (?:[^.]{0,30} )?(?:entfernt|deaktiviert|gesperrt|geschlossen|aufgehoben)\b"
    r"|\b(?:ist|wurde) (?:[^.]{0,30} )?(?:deaktiviert|gesperrt)\b"
    r"|\bsie haben nicht\b[^.]{0,80}\beingereicht\b|\bkonnte [^.]{0,40}nicht abgeschlossen werden"
    r"|\bbleib(?:t|en) (?:[^.]{0,20} )?(?:deaktiviert|gesperrt)\b"
    r"|\bkönnen [^.]{0,60}\bnicht (?:akzeptieren|annehmen|reaktivieren|wiederherstellen)\b"
    r"|\bkönnen sie nicht (?:mehr|weiter)\b[^;]{0,40}\bverkaufen\b|\bnicht akzeptiert\b"
    # French
    r"|\ba été (?:[^.]{0,20} )?(?:désactivée?|suspendue?|fermée?)\b|\bont été (?:supprimées?|retirées?"
    r"|désactivées?)\b|\bavons décidé de ne pas\b|\bne (?:pouvons|sommes) pas (?:en mesure d(?:e |'))?"
    r"(?:rétablir|réactiver|accepter)\b|\bnotre décision est définitive\b"
    r"|\brest(?:e|ent) (?:désactivée?s?|suspendue?s?)\b"
    # Italian
    r"|\b(?:è|sono) stat[oaie] (?:[^.]{0,20} )?(?:disattivat|sospes|rimoss|chius|bloccat)[oaie]\b"
    r"|\babbiamo deciso di non\b|\bnon (?:siamo in grado|possiamo) di? ?(?:riattivare|ripristinare"
    r"|accettare)|\bquesta decisione è stata presa\b|\bnon ricevere alcuna risposta\b"
    # Spanish
    r"|\bha sido (?:[^.]{0,20} )?(?:desactivada|suspendida|cerrada)\b|\bhan sido (?:eliminad|retirad"
    r"|desactivad)[oa]s\b|\bhemos decidido no\b|\bno (?:podemos|es posible) (?:reactivar|restablecer"
    r"|aceptar)\b|\bnuestra decisión es definitiva\b"
    # Japanese (and the Chinese notice a seller forwards)
    r"|閉鎖されて|停止されました|削除されました|無効になりました|決定に至りました|再開できません"
    r"|再開できない|再開いたしかねます|停止させていただきました"
    r"|(?:アカウント|出品)を(?:一時的に)?停止(?:いたしました|しました)"
    r"|承認できません|停用了|禁用了"
)

_ACCEPT_STRONG = (
    r"\bdecided to (?:reinstate|reactivate|restore)\b|\bwelcome back\b"
    r"|\b(?:has|have) (?:now )?been (?:reinstated|reactivated|restored)\b"
    r"|\b(?:have|has|we) (?:reinstated|reactivated|restored) (?:your|the)\b"
    r"|\band (?:have )?(?:reinstated|reactivated|restored) (?:your|the|<)"
    r"|\bdecided that you may (?:continue to )?sell\b|\bqualif(?:y|ies) for a reimbursement\b"
    r"|\btaking steps to reimburse\b|\bfix has been deployed\b"
    # German, French, Italian, Spanish, Japanese
    r"|\bwurden? (?:[^.]{0,30} )?(?:wiederhergestellt|reaktiviert|wieder freigeschaltet)\b"
    r"|\bwillkommen zurück\b|\ba été (?:[^.]{0,20} )?(?:réactivée?|rétablie?)\b|\bbon retour\b"
    r"|\b(?:è|sono) stat[oaie] (?:[^.]{0,20} )?(?:riattivat|ripristinat)[oaie]\b|\bbentornat[oa]\b"
    r"|\bha sido (?:[^.]{0,20} )?(?:reactivada|restablecida)\b|\bbienvenid[oa] de nuevo\b"
    r"|再開されました|再開いたしました|復元されました"
)

_INFO_FIRST = (
    # a request for specific documents (supplier details, invoices of the last 180 days)
    r"\b(?:please|kindly|send us|provide us)\b[^.;]{0,120}\b(?:invoices?|suppliers?"
    r"|letter of authori[sz]ation|documents|documentation|bank statement|proof of"
    r"|(?:last|past) (?:180|<NUM>) days)\b"
    # "we received your submission but do not have enough information"
    r"|\b(?:do not|don't|did not) have (?:enough|sufficient) information\b"
    r"|\binformationen reichen [^.]{0,20}nicht aus\b|\bpas suffisamment d'informations\b"
    r"|\binformazioni (?:non sono )?sufficienti\b|\binformación suficiente\b|情報が不足"
    # the document list of such a request
    r"|\b(?:copies|a copy) of (?:invoices|receipts)\b|(?:請求書|領収書)[^。]{0,80}(?:写し|コピー)"
)

_INFO = (
    r"\b(?:please|kindly) (?:provide|send|submit|upload|share|add|post|attach|confirm)\b"
    r"|\bsend us\b|\bwe (?:still )?need (?:more|additional|the following|your)\b|\bwe require\b"
    r"|\bneed more information\b|\byou must provide\b|\bcan you (?:please )?(?:provide|share|send)\b"
    r"|\breichen sie\b[^.]{0,80}\bein\b|\bbestätigen sie\b|\bsenden sie uns\b"
    r"|\bbitte (?:senden|reichen|stellen|laden)\b|\bveuillez (?:fournir|envoyer|nous (?:fournir"
    r"|envoyer))\b|\bmerci de (?:fournir|nous envoyer)\b|\b(?:la preghiamo|ti preghiamo) di "
    r"(?:fornire|inviare|caricare)\b|\bper favore,? (?:fornisci|invia)\b"
    r"|\bpor favor,? (?:env[ií]e|envía|proporcione|proporciona)\b|\bnecesitamos\b"
    r"|提出してください|お送りください|ご提供ください|ご提出ください"
    # a requirement: "you are required to show up for ...", "you must complete ..."
    r"|\byou (?:are|will be) required to (?:provide|submit|send|complete|show up|attend|upload"
    r"|verify|confirm)\b|\byou must (?:complete|submit|send|upload|verify|confirm|attend)\b"
    r"|\bsie müssen (?:uns )?(?:folgende|die folgenden|ihre[nmrs]?|eine[nmrs]?|die|den|das)\b"
    r"[^.]{0,60}\b(?:einreichen|vorlegen|hochladen|abschließen|nachweisen)\b"
    r"|\bvous devez (?:fournir|soumettre|envoyer|compléter|télécharger)\b"
    r"|\b(?:deve|devi) (?:fornire|inviare|completare|caricare)\b"
    r"|\b(?:debe|debes) (?:proporcionar|enviar|completar|presentar)\b"
    r"|ご提出いただきますよう|ご提出をお願い|お送りいただきますよう|提出する必要があります"
    # what a reply must contain: "your explanation should include the following information"
    r"|\b(?:should|must) include the following\b|\bwhen you (?:respond|reply|appeal), (?:please )?include\b"
    r"|\b(?:respond|reply) to this (?:message|e-?mail|notification) with\b"
    # a conditional request (not a conditional promise): "if you would like your listing
    # reinstated, respond / email ..."
    r"|\bif you\b[^.;]{0,60}\b(?:would like|want|wish)\b[^.;]{0,60}\b(?:reinstated|reactivated|restored),? "
    r"(?:please )?(?:respond|reply|send|submit|provide|write|e-?mail|<EMAIL>)"
)

_DEFLECT_STRONG = (
    r"\bnot the (?:correct|right|appropriate) (?:channel|team|place|department|address)\b"
    r"|\b(?:unable|not able|aren't able|are not able|cannot) to (?:help|assist|discuss)"
    r"[^.;]{0,40}\b(?:here|through|via|by)\b|\bonly way to (?:appeal|submit|reach)\b"
    r"|\bcannot be transferred\b|\boutside (?:of )?the scope of\b"
    r"|\bdo not provide (?:technical )?support (?:by|through|via|here)\b"
    r"|\bsend an e-?mail to ?<EMAIL>"
    r"|\bnicht der richtige kanal\b|\bpas le bon canal\b|\bnon è il canale corretto\b"
    r"|\bno es el canal correcto\b"
)

_DEFLECT = (
    r"\b(?:please|kindly) (?:contact\b|reach out to\b|write\b|open a\b)|\bwrite to ?<EMAIL>"
    r"|\buse the \w+(?: \w+){0,3} form\b|\bcontact the (?:appropriate|relevant|correct|rights)\b"
    r"|\byou can (?:contact us|ask our)\b|\bvia a support case\b|\bonly by replying to\b"
    r"|\bto (?:speak|talk) (?:with|to) someone about this\b|\brequest a (?:telephone |phone )?call from\b"
    r"|\b(?:transfer|refer|route) (?:your|this) case to\b|\b(?:advise|ask|tell) the rights? owner\b"
    r"|\bwenden sie sich an\b|(?:^|[.!?:;,] ?|\bbitte )kontaktieren sie\b|\bcontactez\b"
    r"|\bcontatta(?:re)?\b"
    r"|\bpuedes contactar\b|\bpóngase en contacto\b|お問い合わせください"
)

_ACK = (
    r"\bwe(?: have|'ve)? received your (?:appeal|message|e-?mail|inquiry|enquiry|request|case"
    r"|plan|documents?|submission|information|reply|response)\b|\b(?:has|have) been received\b"
    r"|\bwill (?:respond|reply) within\b|\bthank you for contacting us\b"
    r"|\bcontact you within\b"
    r"|\bthis is an automated (?:message|response|reply|e-?mail|notification)\b"
    r"|\bwe will (?:get back to you|be in touch|update you)\b"
    r"|\byou will receive (?:a|an|our) (?:response|reply|answer|update)\b"
    r"|\b(?:is|are) (?:now |being |still )?(?:under|in) review\b|\bwill be reviewed\b"
    r"|\bhas been (?:forwarded|assigned)\b|\bwill (?:notify|contact) you\b"
    r"|\byou will receive a response\b|\bwe have escalated your\b|\bare working on it\b"
    r"|\bworking diligently\b|\bcreated an internal request\b"
    r"|\b(?:will|we'll) (?:send you an e-?mail|notify you by e-?mail) when\b"
    r"|\bexpect an update\b|\bwill be reviewing\b|\bapologi[sz]e[^.]{0,30}\bdelay\b"
    r"|\bwir haben ihre[nm]? [^.]{0,30}erhalten\b|\bnous avons (?:bien )?reçu votre\b"
    r"|\babbiamo ricevuto (?:la sua|il suo|la tua|il tuo)\b|\bhemos recibido su\b"
    r"|\bwerden sie [^.]{0,30}benachrichtigen\b|\bwird (?:derzeit )?geprüft\b|\bweitergeleitet\b"
    r"|\bnous vous informerons\b|\ben cours d'examen\b|\ba été transmise?\b"
    r"|\bla informeremo\b|\bin fase di revisione\b|\ble notificaremos\b"
    r"|受け付けました|受領いたしました|確認しております"
)

#: The default ordered ``(class, regex)`` rules; matched case-insensitively against the *masked*
#: text (see :func:`caselog.mask_text`); the first rule that matches wins.
DEFAULT_RULES: tuple[tuple[str, str], ...] = (
    # 0. a one-sentence reassurance ("please be assured that your supplier's information will
    #    remain confidential") asks for nothing, whatever it names
    ("other", r"^(?:please )?(?:be|rest) assured\b[^.;]*[.!]?$"),
    # 1. a request for specific documents, or "not enough information to ..."
    ("information request", _INFO_FIRST),
    # 2. a reply that only redirects
    ("deflection", _DEFLECT_STRONG),
    # 3. notes of a call or chat logged by the seller are no written decision
    ("other", r"^(?:call|callback|phone call|voicemail)(?: with| from| to)\b"),
    # 4. a one-sentence warning: "if we do not receive ..., your account will remain
    #    deactivated", "once privileges have been removed, sellers are not allowed to ..."
    (
        "other",
        r"^(?:if|once|unless)\b[^.;]{0,160}\b(?:will remain|will be (?:deactivated|removed"
        r"|suspended|closed)|may (?:not|no longer)|will no longer|(?:are|is) not allowed to)\b[^.;]*[.!]?$",
    ),
    # 5. a decision against the seller, or an action taken against the seller
    ("denial", _DENIAL_EN + _DENIAL_OTHER),
    # 6. a decision for the seller, said as done
    ("acceptance", _ACCEPT_STRONG),
    # 7. any other request
    ("information request", _INFO),
    # 8. a pointer elsewhere
    ("deflection", _DEFLECT),
    # 9. a receipt or "we are working on it"
    ("acknowledgement", _ACK),
    # 10. a condition or a future: "if we can confirm ..., we will reinstate", "once ... your
    #    offers will be reactivated", "even if ... the issue has been resolved" decide nothing
    (
        "other",
        r"\b(?:if|once|unless|whether|even if|until)\b[^.;]{0,120}\b(?:reinstat|reactivat|restor|resolved"
        r"|approv)|\bwill be (?:automatically )?(?:reinstated|reactivated|restored)\b",
    ),
    # 11. the plain words of a decision for the seller
    (
        "acceptance",
        r"\b(?:reinstated|reactivated|restored|approved)\b"
        r"|\b(?:has|have) (?:been )?(?:resolved|fixed|released|lifted|updated)\b",
    ),
)
