"""Seeded synthetic Amazon seller case histories with ground truth.

:func:`generate` builds a :class:`Sample`: canonical ``messages`` and ``cases`` tables (exactly the
columns of :data:`caselog.schema.MESSAGE_COLUMNS` / :data:`~caselog.schema.CASE_COLUMNS`) plus the
truth behind them: the template each Amazon message was made from, its reply class, which seller
messages are escalations (level and target), and per case the scenario and the readiness verdict
the rules in ``docs/architecture.md`` give at ``as_of``.  :func:`write_sample` writes the files of
``data/sample/`` (one CSV in "tool A" form, one workbook in "tool B" form, two truth CSVs).

How the data is made
--------------------
Every case follows one *variant* of a *scenario* (``SCENARIOS``): a fixed script of steps
(who writes, to which team, on which channel, which text bank).  Variants differ in the number of
rounds, optional acknowledgements, AHS calls, escalations.  Cases are assigned to scenarios in fixed
shares, then everything is built column-wise with numpy: delays per step from per-team
distributions (Seller Support hours, Seller Performance days, Executive Seller Relations days,
some beyond 48 hours), texts by filling the chosen template or sentence per batch of rows that share
it.  Amazon replies come from a bank of templates (``TEMPLATES``) with greeting and sign-off
variants, an optional added sentence (~20 %) and occasional one-word edits; a step that reuses a
*slot* in the same case repeats the same template (the canned loop).  Only ~7 % of Amazon messages
carry a ``kind`` label, so reply classes have to be read from the text.

Timing: the last message of every case lies a scenario-specific margin before ``as_of`` (the
last day of the last month at 17:00 UTC; one fresh case's message lands exactly on it), so each
scenario's verdict is unambiguous: a follow-up meant to be "unanswered for 48 hours" is at least
49 hours old, a follow-up meant to be "inside the window" is 2 to 44 hours old.  Within a case no
two messages share a minute.

Examples
--------
>>> from caselog.sample import generate
>>> s = generate(n_cases=40)
>>> len(s.cases), s.as_of == s.messages["sent_at"].max()
(40, True)
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from .errors import ConfigError
from .model import CaseLog
from .schema import CASE_COLUMNS, MESSAGE_COLUMNS

__all__ = [
    "Sample",
    "generate",
    "write_sample",
    "to_export_frames",
    "SCENARIOS",
    "TEMPLATES",
    "CSV_COLUMNS",
    "XLSX_MESSAGE_COLUMNS",
    "XLSX_CASE_COLUMNS",
]

# --------------------------------------------------------------------------------------------
# Teams, channels and their spellings in the two export formats
# --------------------------------------------------------------------------------------------
SS, AHS = "Seller Support", "Account Health Services"
SP, PQ = "Seller Performance", "Product Quality"
CAT, ESR, CAP = "Catalog", "Executive Seller Relations", "Captive Team"
BR, PAY = "Brand Registry", "Payments"

SUSP, PAYC, LIST = "Account suspension", "Delayed payment", "Listing suppression"
POL, TECH, ROUT = "Policy violation", "Technical problem", "Routine inquiry"

#: team -> abbreviation used by the workbook export (``Author`` / ``Department``)
TEAM_ABBREVIATIONS: dict[str, str] = {
    SS: "SS", AHS: "AHS", SP: "SP", PQ: "PQ", CAT: "Catalog", ESR: "ESR", CAP: "Captive",
    BR: "Brand Registry", PAY: "Payments",
}
_TEAM_SIGNATURE = {
    SS: "Selling Partner Support", AHS: "Account Health Services", SP: "Seller Performance",
    PQ: "Product Quality", CAT: "Catalog Support", ESR: "Executive Seller Relations",
    CAP: "Account Health Specialist Team", BR: "Brand Registry Support", PAY: "Seller Payments",
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

# --------------------------------------------------------------------------------------------
# Amazon templates: key -> (reply class, style, text).  style "letter" gets a greeting, an
# optional added sentence and a sign-off; "log" (phone notes) and "short" (chat/social) do not.
# --------------------------------------------------------------------------------------------
TEMPLATES: dict[str, tuple[str, str, str]] = {
    # Seller Performance
    "sp_ack_appeal": ("acknowledgement", "letter",
        "We have received your appeal and will respond within 48 hours. You do not need to submit "
        "another appeal while we review the information you provided for case {case}."),
    "sp_ack_poa": ("acknowledgement", "letter",
        "Thank you for submitting your plan of action for {store}. Your appeal is now under "
        "review. "
        "We will notify you by e-mail when our review is complete; this usually takes 2 business "
        "days."),
    "sp_denial_generic": ("denial", "letter",
        "Thank you for your appeal. We have reviewed the information you provided and we are "
        "unable to accept your appeal at this time. Your selling privileges remain deactivated and "
        "the funds in your account will be held. If you would like to submit a new appeal, go to "
        "Account Health: {url}"),
    "sp_denial_poa": ("denial", "letter",
        "We reviewed your plan of action and found that it does not address the issues that led to "
        "the deactivation of your account. Your account remains deactivated. Please review our "
        "policies at {url} before you submit a revised appeal."),
    "sp_deactivated": ("denial", "letter",
        "We have reviewed your appeal for {store}. Your account has been deactivated. Your "
        "listings "
        "will not be available to customers and the funds in your account will be held."),
    "sp_reinstated": ("acceptance", "letter",
        "We have reviewed your appeal for {store}. Your account has been reinstated. Your listings "
        "will be available to customers again and the funds in your account will be released."),
    "sp_reinstated_b": ("acceptance", "letter",
        "Good news: after a review of the information you provided, your selling privileges have "
        "been reactivated. You can view the status of your account at {url}."),
    "sp_notice_resend": ("denial", "letter",
        "Your Amazon.com selling privileges have been removed. Why is this happening? We received "
        "complaints from customers such as {buyer} (order {order}) about the authenticity of items "
        "in your inventory, including ASIN {asin}. How do I reactivate my account? Send us a plan "
        "of action that explains the root cause, the actions you have taken and the steps you will "
        "take to prevent it. Where do I send my appeal? Go to Account Health: {url}"),
    "sp_info_supplier": ("information request", "letter",
        "To continue our review of your appeal, please provide the following information:\n"
        "- Supplier information (name, phone number, address, website)\n"
        "- Invoices issued within the last 180 days\n"
        "- Item descriptions and quantities for ASIN {asin}\n"
        "Please send the documents in this case. We cannot complete our review until we receive "
        "them."),
    "sp_info_invoices": ("information request", "letter",
        "We need additional information to review your appeal. Please provide invoices from your "
        "supplier for ASIN {asin} issued within the last 180 days. The invoices must show the "
        "supplier name, address, phone number and website, and the quantities purchased."),
    "sp_deflection_email": ("deflection", "letter",
        "This email address is not the correct channel to submit an appeal. Please follow the "
        "instructions below to resubmit your appeal to the correct channel: go to Seller Central, "
        "open Account Health ({url}) and click Appeal next to the notification."),
    "sp_deflection_ahs": ("deflection", "letter",
        "We are unable to discuss the details of your account through this channel. For questions "
        "about your account status, please contact Account Health Services through Seller Central: "
        "{url}"),
    "sp_l2_forwarded": ("acknowledgement", "letter",
        "Your request has been forwarded to a senior investigator. You will receive a response by "
        "e-mail once the review of case {case} is complete."),
    "sp_l2_upheld": ("denial", "letter",
        "A senior investigator has reviewed your account and the information you submitted. We are "
        "unable to reverse our decision at this time. Your account remains deactivated."),
    "sp_l2_reinstated": ("acceptance", "letter",
        "Following a review by a senior investigator, we have reinstated your selling privileges. "
        "We apologise for the inconvenience. Your listings, including ASIN {asin}, will be active "
        "within 24 hours."),
    # Account Health Services: notes of phone calls
    "ahs_escalated": ("other", "log",
        "Call with Account Health Services, rep {rep}. The rep looked at the notes on the account "
        "and said: \"I have escalated this to the investigation team.\" No timeline given; told to "
        "wait 24 to 48 hours."),
    "ahs_reviewed": ("other", "log",
        "Call with Account Health Services, rep {rep}. The rep confirmed that the appeal sent on "
        "{date} was reviewed and not accepted, but could not say why. Advised to rewrite the root "
        "cause section and resubmit in Seller Central."),
    "ahs_no_transfer": ("deflection", "log",
        "Call with Account Health Services, rep {rep}. Asked to be transferred to the team that "
        "made the decision. The rep said calls cannot be transferred and that Seller Central is "
        "the only way to appeal."),
    "ahs_wait": ("other", "log",
        "Call with Account Health Services, rep {rep}. The rep said the appeal is still under "
        "review and that submitting anything new will only stall the investigation. Wait for an "
        "e-mail."),
    "ahs_other_team": ("other", "log",
        "Callback from Account Health Services, rep {rep}. The case was sent to another team to "
        "verify the invoices; the rep would not say which team."),
    # Seller Support
    "ss_ack_case": ("acknowledgement", "letter",
        "Thank you for contacting Amazon Selling Partner Support. We have received your case "
        "{case} "
        "and are looking into it. We will update you within 24 hours."),
    "ss_generic": ("other", "letter",
        "Thank you for contacting Selling Partner Support. We understand your concern. For more "
        "information about this topic, please review the following help page: {url}. If you have "
        "further questions, reply to this case."),
    "ss_tech_wait": ("other", "letter",
        "We have checked ASIN {asin} and the files meet our requirements. Changes to a listing can "
        "take up to 24 hours to appear on the detail page. Please check again after that time."),
    "ss_tech_known": ("other", "letter",
        "We are aware of a technical issue that affects how some listings are displayed. Our "
        "technical team is working on a fix. We appreciate your patience while this is resolved."),
    "ss_tech_forwarded": ("other", "letter",
        "I have forwarded your case to our technical team for further investigation. They will "
        "look into the issue with ASIN {asin} and we will update this case as soon as we hear "
        "back."),
    "ss_tech_update": ("other", "letter",
        "Thank you for the screenshots. Our technical team is still working on the issue with ASIN "
        "{asin}; we expect a fix within 2 business days and will update this case."),
    "ss_tech_resolved": ("acceptance", "letter",
        "Our technical team has fixed the issue. ASIN {asin} now displays correctly on the detail "
        "page. Thank you for your patience."),
    "ss_tech_info": ("information request", "letter",
        "To investigate further, please provide a screenshot of the error message, the ASIN "
        "affected and the steps you took before the error appeared."),
    "ss_routine_fees": ("other", "letter",
        "The referral fee for the category you asked about is 15% of the total sales price, with a "
        "minimum of $0.30 per item. You can see the fees for each of your listings in the Fee "
        "Preview report: {url}"),
    "ss_routine_shipping": ("other", "letter",
        "You can change your shipping settings from Settings > Shipping Settings in Seller "
        "Central. "
        "Changes take effect within 15 minutes. The help page {url} explains each option."),
    "ss_routine_address": ("acceptance", "letter",
        "We have updated your business address as requested. The change is now visible in "
        "Settings > Account Info."),
    "ss_routine_report": ("other", "letter",
        "The report you asked about is available under Reports > Fulfillment and is updated daily. "
        "More details: {url}"),
    "ss_routine_more": ("other", "letter",
        "Yes, the same applies to orders fulfilled by Amazon and to your other marketplaces. You "
        "can find the details at {url}"),
    "ss_l1_reply": ("other", "letter",
        "I understand your frustration. I have shared your case with my supervisor, who will "
        "review it and respond in this case."),
    "ss_chat": ("other", "short",
        "Thanks for chatting with Selling Partner Support. I checked case {case}; it is still with "
        "the team that handles this issue. Please continue to use the case for updates."),
    "ss_social": ("deflection", "short",
        "Hi {seller}, we're sorry to hear that. We aren't able to discuss account details here. "
        "Please reach out to Seller Support through Seller Central so we can look into this: "
        "{url}"),
    # Payments
    "pay_on_hold": ("other", "letter",
        "Your disbursement of {amount} has been placed on hold while we review recent activity on "
        "your account. You can see the status in your Payments dashboard: {url}"),
    "pay_released": ("acceptance", "letter",
        "Your disbursement of {amount} has been released and will be transferred to your bank "
        "account within 3 to 5 business days. You can see the status in your Payments dashboard: "
        "{url}"),
    "pay_reserve": ("other", "letter",
        "The funds are held in an account level reserve because of the delivery dates of recent "
        "orders, such as order {order}. Funds become available 7 days after the delivery date. No "
        "action is required from you."),
    "pay_investigating": ("other", "letter",
        "We have contacted the Payments team about the disbursement scheduled for {date}. They are "
        "investigating and we will update this case within 3 to 5 business days."),
    "pay_info_bank": ("information request", "letter",
        "To release your funds, please upload a bank statement issued within the last 180 days "
        "that shows the account holder name and the last four digits of the account number."),
    # Catalog
    "cat_unable": ("denial", "letter",
        "We have reviewed your request for ASIN {asin}. We are unable to reactivate the listing at "
        "this time because it does not meet our detail page requirements. Please review the style "
        "guide at {url} and update the listing."),
    "cat_guidelines": ("other", "letter",
        "ASIN {asin} is suppressed because the main image does not meet our image requirements. "
        "Main images must have a pure white background and show only the product. More "
        "information: {url}"),
    "cat_reactivated": ("acceptance", "letter",
        "Thank you for your patience. The listing for ASIN {asin} has been reactivated and is now "
        "visible to customers."),
    "cat_deactivated": ("denial", "letter",
        "Thank you for your patience. The listing for ASIN {asin} has been deactivated and is no "
        "longer visible to customers."),
    "cat_info": ("information request", "letter",
        "To reactivate ASIN {asin}, please provide images of the product packaging that show the "
        "brand name, and a letter of authorization from the brand owner."),
    "cat_escalated": ("other", "letter",
        "I have escalated your request for ASIN {asin} to the catalog team. They will update you "
        "in this case."),
    # Product Quality
    "pq_ip_denial": ("denial", "letter",
        "We have reviewed your appeal regarding ASIN {asin}. The information you provided does not "
        "resolve the rights owner's complaint (complaint ID {ref}). To have the listing "
        "reinstated, "
        "contact the rights owner at {rights} and ask them to retract the complaint."),
    "pq_auth_denial": ("denial", "letter",
        "Your appeal to reinstate ASIN {asin} was not accepted because we could not verify the "
        "invoices you provided. Our decision is based on a review of your account."),
    "pq_removed": ("denial", "letter",
        "We have reviewed your appeal and removed ASIN {asin}. The complaint (complaint ID {ref}) "
        "remains on your Account Health page."),
    "pq_reinstated": ("acceptance", "letter",
        "We have reviewed your appeal and reinstated ASIN {asin}. The complaint (complaint ID "
        "{ref}) "
        "has been removed from your Account Health page."),
    # Brand Registry
    "br_rights_owner": ("deflection", "letter",
        "Amazon cannot act as an arbiter in disputes between rights owners and sellers. Please "
        "contact the rights owner directly at {rights} to resolve this complaint."),
    "br_ack": ("acknowledgement", "letter",
        "Thank you for contacting Brand Registry Support. We have received your request about ASIN "
        "{asin} and will respond within 2 business days."),
    # Executive Seller Relations
    "esr_canned": ("denial", "letter",
        "Thank you for writing to Jeff Bezos. My name is {rep} and I work with Executive Seller "
        "Relations. I have reviewed your account and the decision was made by the appropriate team "
        "after a thorough review. We are unable to provide further information about this "
        "decision."),
    "esr_canned_b": ("denial", "letter",
        "Thank you for contacting the Amazon executive offices. We have reviewed your concerns "
        "about "
        "{store}. The previous decision stands and we will not be able to respond to further "
        "messages on this topic."),
    "esr_ack": ("acknowledgement", "letter",
        "Your e-mail has been received by Executive Seller Relations and will be reviewed. Please "
        "do not send additional e-mails about case {case}."),
    # Captive Team
    "cap_ack": ("acknowledgement", "letter",
        "Thank you for speaking with us today. Your account has been assigned to a member of our "
        "team, who will review case {case} and contact you within 3 business days."),
    "cap_reinstated": ("acceptance", "letter",
        "I am following up on our call. I reviewed your appeal and the supporting documents, and "
        "your account has been reinstated. Please allow up to 24 hours for your listings to become "
        "active."),
}

#: groups of templates a script step draws from (one draw per case and slot)
_POOLS: dict[str, tuple[str, ...]] = {
    "sp_ack": ("sp_ack_appeal", "sp_ack_poa"),
    "sp_denial": ("sp_denial_generic", "sp_denial_poa", "sp_deactivated"),
    "sp_first": ("sp_notice_resend", "sp_deactivated"),
    "sp_info": ("sp_info_supplier", "sp_info_invoices"),
    "sp_accept": ("sp_reinstated", "sp_reinstated_b"),
    "sp_deflect": ("sp_deflection_email", "sp_deflection_ahs"),
    "sp_deflect_email": ("sp_deflection_email",),
    "sp_l2_ack": ("sp_l2_forwarded",),
    "sp_l2_no": ("sp_l2_upheld",),
    "sp_l2_yes": ("sp_l2_reinstated", "sp_reinstated"),
    "ahs_escalated": ("ahs_escalated",),
    "ahs_any": ("ahs_reviewed", "ahs_no_transfer", "ahs_wait", "ahs_other_team"),
    "ahs_pending": ("ahs_wait", "ahs_other_team"),
    "ss_generic": ("ss_generic",),
    "ss_tech_first": ("ss_tech_wait", "ss_tech_known"),
    "ss_tech_forwarded": ("ss_tech_forwarded",),
    "ss_tech_update": ("ss_tech_update",),
    "ss_tech_resolved": ("ss_tech_resolved",),
    "ss_tech_info": ("ss_tech_info",),
    "ss_routine_fees": ("ss_routine_fees",),
    "ss_routine_shipping": ("ss_routine_shipping",),
    "ss_routine_address": ("ss_routine_address",),
    "ss_routine_report": ("ss_routine_report",),
    "ss_routine_more": ("ss_routine_more",),
    "ss_ack": ("ss_ack_case",),
    "ss_l1": ("ss_l1_reply",),
    "ss_chat": ("ss_chat",),
    "ss_social": ("ss_social",),
    "pay_first": ("pay_on_hold", "pay_reserve"),
    "pay_investigating": ("pay_investigating",),
    "pay_info": ("pay_info_bank",),
    "pay_released": ("pay_released",),
    "cat_canned": ("cat_unable",),
    "cat_first": ("cat_guidelines",),
    "cat_info": ("cat_info",),
    "cat_escalated": ("cat_escalated",),
    "cat_yes": ("cat_reactivated",),
    "cat_no": ("cat_deactivated",),
    "pq_denial": ("pq_ip_denial", "pq_auth_denial", "pq_removed"),
    "pq_yes": ("pq_reinstated",),
    "br_deflect": ("br_rights_owner",),
    "br_ack": ("br_ack",),
    "esr_canned": ("esr_canned", "esr_canned_b", "sp_denial_generic"),
    "esr_ack": ("esr_ack",),
    "cap_ack": ("cap_ack",),
    "cap_yes": ("cap_reinstated",),
}

_GREETINGS = ("Hello {seller},", "Dear {seller},", "Hi {seller},", "Hello,", "Dear Seller,",
              "Greetings from Amazon,", "Dear {store} team,")
_SIGNOFFS = ("Regards,\n{team}", "Thank you,\n{rep}", "Sincerely,\n{team} Team",
             "Best regards,\n{rep}\n{team}\nAmazon.com", "Kind regards,\n{rep}",
             "Thank you for selling on Amazon,\n{team}")
_EXTRAS_DENIAL = (" Our decision is final.", " Please do not reply to this message.",
                  " We will not respond to further messages about this decision.",
                  " Thank you for your understanding.")
_EXTRAS_OTHER = (" Please do not reply to this message.", " We appreciate your patience.",
                 " Thank you for selling on Amazon.",
                 " Please do not open a new case for the same issue.")
#: one-word edits, tried in order; the first that applies gives a template's edited variant
_EDITS = ((r"\bunable to\b", "not able to"), (r"\bat this time\b", "currently"),
          (r"\bPlease\b", "Kindly"), (r"\breviewed\b", "evaluated"),
          (r"\binformation\b", "details"), (r"\bthe issue\b", "the problem"))

# --------------------------------------------------------------------------------------------
# Seller text banks: role -> slots; a message takes one sentence from each slot.
# Only roles meant as a plan of action say "plan of action"; only escalation roles say
# "escalate" or name a level-2/3 target.
# --------------------------------------------------------------------------------------------
_ROOT = ("The root cause was a supplier that shipped {n} units with damaged packaging.",
         "The root cause was unclear wording on the detail page of ASIN {asin}.",
         "We traced the complaints to {n} units bought from a wholesaler we had not vetted.",
         "The complaints came from late shipments while we moved warehouses.")
_FIX = ("We have removed the affected inventory, changed suppliers and now inspect every shipment.",
        "We have retrained our staff, added a second quality check and updated the listing.",
        "We ended the relationship with that supplier and now buy only from {supplier}.")
_PREVENT = ("To prevent this from happening again we will audit our suppliers every quarter.",
            "Going forward, every new supplier is checked against our approval list before we buy.",
            "We now review customer feedback daily and act within 24 hours.")
_FU_WHY = ("We received the same reply as before, which does not address our appeal.",
           "The last message is identical to the previous one and does not explain the decision.",
           "We have now waited {age} days without a specific answer.",
           "Our account has been inactive for {age} days and we are losing about {amount} a "
           "week.")
_FU_ASK = ("Please have someone review the documents we sent.", "Please tell us what is missing.",
           "We ask for a review of the information we already provided.")
_L2_FACTS = ("Please note that we supplied invoices and supply chain documentation on {date}.",
             "We have submitted everything Amazon asked for, including {n} invoices issued within "
             "the last 180 days, and have not received a meaningful response.")
_L2_WHY = ("The replies so far repeat the same template and give no reason for the denial.",
           "Account Health confirmed that there are no notes on the account that justify the "
           "denial.")
_L2_ASK = ("Desired outcome: reinstatement of our selling privileges.",
           "We ask that our account be reinstated at your earliest convenience.")

_SELLER: dict[str, tuple[tuple[str, ...], ...]] = {
    "appeal_poa": (
        ("Please find attached our plan of action for the deactivation of {store}.",
         "We are appealing the deactivation of our account {store}. Our plan of action is "
         "attached.",
         "Hello, attached is our plan of action regarding the complaints on ASIN {asin}."),
        _ROOT, _FIX, _PREVENT),
    "poa_revised": (
        ("We have revised our plan of action and attached it again.",
         "Following your last reply, here is an updated plan of action with more detail on the "
         "root cause.",
         "Attached is our revised plan of action and {n} supporting invoices."),
        ("We do not understand what is missing from our appeal.",
         "Your last message did not say what was wrong with our appeal.",
         "We have answered every point in the notification."),
        ("Please review the attached documents.", "Please let us know which information you still "
         "need.", "We would appreciate a specific answer this time.")),
    "followup": (
        ("Following up on case {case}.", "We are writing again about case {case}.",
         "Hello, any update on this case?", "This is our {nth} follow-up on this case."),
        _FU_WHY, _FU_ASK),
    "nudge": (
        ("Any update on this?", "Hello, we are still waiting for a reply on case {case}.",
         "Checking in again: we have not heard back since {date}.",
         "Please respond to this case; it has been {age} days."),),
    "documents": (
        ("Attached are the documents you asked for: supplier name, address, phone number and "
         "website, and {n} invoices issued within the last 180 days.",
         "Please find attached {n} invoices from {supplier} with item descriptions and quantities "
         "for ASIN {asin}.",
         "As requested, we attach our supplier details ({supplier}) and invoices dated {date}."),
        ("Please let us know if anything else is needed.", "All invoices show the quantities we "
         "sold.", "The supplier can be reached at the phone number on the invoice.")),
    "documents_bank": (
        ("Attached is the bank statement you asked for.", "As requested, we uploaded a bank "
         "statement dated {date}."),
        ("Please release the funds.", "Please let us know if anything else is needed.")),
    "call": (
        ("Called Account Health Services about case {case}.",
         "Phone call with Account Health about our appeal.",
         "Called the Account Health line to ask about the status of our appeal."),
        ("Waited {n} minutes on hold.", "Asked whether our appeal was reviewed.",
         "Asked why the appeal was denied.", "Asked for a specific reason for the denial.")),
    "email_appeal": (
        ("To: seller-performance@amazon.com\n",
         "Sent by e-mail to seller-performance@amazon.com.\n"),
        ("Please find attached our plan of action for {store}.",
         "We are appealing the deactivation of {store}; our plan of action is attached."),
        _ROOT, _FIX),
    "email_resend": (
        ("To: seller-performance@amazon.com\n",),
        ("We are sending our plan of action again because we had no useful answer.",
         "Resending our appeal and plan of action; please pass it to the right team."),
        _FU_WHY),
    "social": (
        ("@AmazonHelp our seller account {store} has been deactivated for {age} days and nobody "
         "answers our appeal. Please help.",
         "@AmazonHelp we have waited weeks for Seller Performance to review our appeal. Case "
         "{case}.", "@AmazonHelp why does nobody read our appeal? Case {case}."),),
    "chat": (
        ("Chat with Seller Support about case {case}: asked for a status update.",
         "Started a chat to ask whether the technical team has looked at ASIN {asin}."),),
    "inquiry_payment": (
        ("Our disbursement of {amount} scheduled for {date} has not arrived.",
         "We have not received our payment of {amount} for the settlement period ending {date}.",
         "The payment of {amount} has shown as 'processing' for {n} days."),
        ("Our bank confirms nothing was received.", "There are no warnings on the Account Health "
         "page.", "Our account is in good standing."),
        ("Please tell us when the funds will be released.", "Please check what is blocking the "
         "transfer.", "We need these funds to pay our suppliers.")),
    "followup_payment": (
        ("We still have not received the {amount}.",
         "It has been {age} days and the funds are still "
         "not in our bank account.", "Following up: the disbursement is still missing."),
        ("Your last reply said 3 to 5 business days; that has passed.", "Please give us a date.",
         "Can you confirm the transfer was sent?")),
    "inquiry_listing": (
        ("ASIN {asin} has been suppressed since {date}.",
         "Our listing for ASIN {asin} shows as 'Search suppressed' in Manage Inventory.",
         "ASIN {asin} disappeared from search results after we updated the images."),
        ("The main image has a white background and meets the style guide.",
         "We have fixed the title and bullet points as the alert asked.",
         "We see no alert that explains the suppression."),
        ("Please reactivate the listing.", "Please tell us what needs to change.",
         "Screenshots attached.")),
    "followup_listing": (
        ("The reply we received is the same as before and does not say what is wrong with ASIN "
         "{asin}.", "We updated the listing again on {date} and it is still suppressed.",
         "The listing is still not shown in search."),
        ("Please have someone check the detail page.", "Please look at the screenshots we "
         "attached.", "We have lost about {amount} in sales so far.")),
    "ip_appeal": (
        ("We are appealing the intellectual property complaint (complaint ID {ref}) on ASIN "
         "{asin}.",
         "Our listing for ASIN {asin} was removed after a trademark complaint we believe "
         "is inaccurate."),
        ("We buy this item from {supplier}, an authorised distributor; invoices are attached.",
         "The product is genuine and we sell it in its original packaging."),
        ("Our plan of action explains how we check brand authorisation before listing a product.",
         "We have attached our plan of action and the distributor's letter of authorisation."),
        ("Please reinstate the listing.", "Please review the invoices and remove the complaint.")),
    "followup_ip": (
        ("We contacted the rights owner on {date} and have had no answer.",
         "The rights owner has not responded to our retraction request."),
        ("Your reply repeats the previous message and does not address our invoices.",
         "We supplied invoices from the authorised distributor."),
        ("Please review our appeal again.", "Please tell us what else you need.")),
    "br_inquiry": (
        ("We asked Brand Registry to check the complaint on ASIN {asin} (complaint ID {ref}).",
         "Can Brand Registry confirm whether the complainant owns the trademark for ASIN "
         "{asin}?"),),
    "inquiry_tech": (
        ("Images for ASIN {asin} are not showing on the detail page.",
         "The price of ASIN {asin} shows as {amount} on the detail page although we set a "
         "different "
         "price.", "We cannot save shipping templates; Seller Central shows an error."),
        ("We uploaded the files {n} times.", "This started on {date}.",
         "We have tried different browsers."),
        ("Screenshots attached.", "Please fix this as soon as possible.")),
    "followup_tech": (
        ("The problem with ASIN {asin} is still there.", "We followed your instructions and the "
         "problem continues.", "We tried again as suggested and it still does not work."),
        ("This is costing us sales every day.", "Please pass this to the technical team.",
         "Please give us an update.")),
    "routine_q_fees": (("What is the referral fee for {product}?",
                        "Which referral fee applies to {product}?"),),
    "routine_q_shipping": (("How do I change the shipping settings for my Prime listings?",
                            "Where do I edit our shipping templates?"),),
    "routine_q_address": (("Please update our business address to the one in the attached "
                           "letter.", "We have moved: please change our business address to the "
                           "one on the attached utility bill."),),
    "routine_q_report": (("Where can I find the inventory health report?",
                          "Which report shows our stranded inventory?"),),
    "routine_thanks": (("Thank you, that answers our question.", "Thanks for the quick help.",
                        "Thanks, all clear."),),
    "routine_more": (("One more question: does this also apply to FBA orders?",
                      "Thanks. Does the same apply to our European marketplaces?"),),
    "plea": (
        ("Our account {store} was deactivated on {date}.", "We just received a message that our "
         "selling account is deactivated."),
        ("We have not done anything wrong.", "We do not know why this happened."),
        ("Please reactivate our account immediately.", "We need our account back as soon as "
         "possible, we have {n} orders waiting.")),
    "plea_followup": (
        ("Why was our account deactivated?", "We still do not understand the reason for the "
         "deactivation."),
        ("We have always followed the rules.", "Our customers are waiting."),
        ("Please reactivate the account.", "Please answer us.")),
    # escalations, level 1: in the thread
    "l1_good": (
        ("Please escalate case {case} to a manager.", "We request that this case be escalated to "
         "a supervisor."),
        ("We have written {n} times and each answer repeats the same text without addressing our "
         "case.", "The replies so far are copies of the same message and do not address the "
         "documents we sent."),
        ("Desired outcome: a review by someone who can resolve the issue.",
         "We ask for a specific answer within 48 hours.")),
    "l1_short": (("We want to escalate this.", "Please escalate this to a manager.",
                  "Escalate this please, this has gone on long enough."),),
    # level 2: named reviewer
    "l2_si": (("We request that a senior investigator review our appeal for {store} (case "
               "{case}).",), _L2_FACTS, _L2_WHY, _L2_ASK),
    "l2_spm": (("Dear Seller Performance manager, we ask for a review of case {case} for "
                "{store}.",), _L2_FACTS, _L2_WHY, _L2_ASK),
    "l2_pqm": (("We request that a Product Quality manager review the complaint on ASIN {asin} "
                "(case {case}).",), _L2_FACTS,
               ("Our items are neither used nor inauthentic and we can provide any additional "
                "evidence you require.",),
               ("Desired outcome: reinstatement of ASIN {asin}.",)),
    "l2_cap": (("As agreed on our call, we ask the Captive Team to review case {case} for "
                "{store}.",), _L2_FACTS, _L2_WHY, _L2_ASK),
    "l2_short": (("Please forward this to a senior investigator. We want this reviewed.",
                  "Seller Performance manager: please look at case {case}."),),
    # level 3: executives
    "l3_good": (
        ("Dear Jeff,\n", "To: jeff@amazon.com\nDear Mr. Bezos,\n", "Dear Mr. Jassy,\n",
         "To Executive Seller Relations,\n"),
        ("We request your assistance with case {case} for {store}.",
         "We ask for an executive review of the deactivation of {store} (case {case})."),
        ("Seller Performance has sent us the same denial {n} times without naming a reason.",
         "We supplied every document Amazon asked for and received only copies of the same "
         "message."),
        ("Desired outcome: a review by someone at manager level and the reinstatement of our "
         "account.",)),
    "l3_bad": (
        ("Dear Jeff,\n", "To: jassy@amazon.com\n", "Jeff,\n"),
        ("This has gone on long enough. We want to escalate this.",
         "Your teams are not doing their job. Fix it.",
         "We are getting no response or bogus responses from your teams."),),
    "l3_repeat": (
        ("Dear Jeff, we are writing again about case {case}.",
         "To: jeff@amazon.com\nThis is our next message to Executive Seller Relations.",
         "Mr. Jassy, we still have no answer on case {case}."),
        ("We have nothing new to add, but the decision is wrong.",
         "We have already sent you everything.", "Please read our earlier e-mail again."),),
}

_SUBJECTS: dict[str, tuple[str, ...]] = {
    SUSP: ("Appeal for account deactivation - {store}", "Account deactivated - appeal",
           "Reinstatement request for {store}"),
    PAYC: ("Missing disbursement {amount}", "Payment not received", "Funds on hold"),
    LIST: ("ASIN {asin} suppressed", "Listing suppressed - {asin}", "Search suppressed listing"),
    POL: ("IP complaint on ASIN {asin}", "Appeal: intellectual property complaint {ref}"),
    TECH: ("Images not displaying - {asin}", "Error in Seller Central", "Price display problem"),
    ROUT: ("Question", "General question", "Question about my account", "Quick question"),
}
_SUBJECT_BANKS: dict[str, tuple[str, ...]] = {
    "esc_l2": ("Request for senior review: case {case}", "Escalation request: case {case}",
               "Review request - {store}"),
    "esc_l3": ("Escalation request: case {case} for account deactivation", "URGENT!!! READ NOW",
               "Jeff, please help!!!", "FINAL NOTICE - legal action",
               "Request for executive review - {store}"),
    "email_appeal": ("Appeal - {store} - seller account deactivated", "Plan of action - {store}"),
    "email_reply": ("Your Amazon.com selling account", "RE: Appeal - {store}"),
    "esr_reply": ("Your e-mail to Jeff Bezos", "RE: Executive escalation - {store}"),
    "chat": ("Chat transcript", "Chat with Selling Partner Support"),
}

_ACCOUNT_NAMES = ("Northwind Goods", "Blue Heron Home", "Kestrel Outdoors", "Tidewater Toys")
_NAME_A = ("Amber", "Cedar", "Copper", "Falcon", "Granite", "Harbor", "Juniper", "Maple", "Meadow",
           "Orchid", "Pine", "Silver", "Summit", "Willow")
_NAME_B = ("Supply", "Living", "Gear", "Crafts", "Kitchen", "Pets", "Beauty", "Sports", "Tools",
           "Baby")
_CONTACTS = ("Anna Whitfield", "Marcus Lee", "Priya Natarajan", "Tom Brennan", "Sofia Ruiz",
             "David Okafor", "Lena Fischer", "Kenji Sato", "Grace Kim", "Omar Haddad")
_REPS = ("Priya S.", "Daniel", "Maria G.", "Kevin", "Aisha", "Tom R.", "Sandeep", "Laura", "Jorge",
         "Mei", "Ravi K.", "Emily", "Carlos", "Nadia", "Peter", "Fatima", "Ahmed", "Julia")
_BUYERS = ("John Miller", "Sarah Connor", "Li Wei", "Rosa Diaz", "Mark Evans", "Hannah Brooks",
           "Ali Khan", "Chloe Martin")
_SUPPLIERS = ("Pacific Wholesale Supply", "Greenline Distributors", "Harbor Trade Co.",
              "Summit Brands LLC", "Lakeside Imports", "Northstar Wholesale", "Evergreen Sourcing")
_URLS = ("https://sellercentral.amazon.com/performance/dashboard",
         "https://sellercentral.amazon.com/help/hub/reference/external/G200370560",
         "https://sellercentral.amazon.com/gp/help/external/200386250",
         "https://sellercentral.amazon.com/performance/account/health",
         "https://sellercentral.amazon.com/cu/contact-us")
_PRODUCTS = ("kitchen scales", "camping lanterns", "wooden puzzles", "bath towels", "dog leashes")
_NTH = ("second", "third", "fourth", "fifth")
_DATE_FORMATS = ("%B %d, %Y", "%Y-%m-%d", "%d %B %Y", "%m/%d/%Y", "%b %d")

# delay classes: ("logn", median h, sigma, min h, max h) or ("unif", min h, max h)
_DELAYS: dict[str, tuple] = {
    "first": ("unif", 0.0, 0.0),
    "ack": ("unif", 2 / 60, 15 / 60),
    "phone": ("unif", 5 / 60, 45 / 60),
    "short": ("unif", 0.2, 6.0),
    "fresh": ("unif", 1.0, 6.0),
    "seller": ("logn", 18.0, 0.9, 0.5, 120.0),
    "nudge": ("logn", 50.0, 0.35, 24.0, 140.0),
    "routine": ("logn", 4.0, 0.8, 0.2, 30.0),
    SS: ("logn", 9.0, 0.9, 0.3, 72.0),
    AHS: ("logn", 20.0, 0.8, 1.0, 96.0),
    SP: ("logn", 46.0, 0.6, 6.0, 240.0),
    PQ: ("logn", 52.0, 0.6, 8.0, 240.0),
    CAT: ("logn", 22.0, 0.8, 1.0, 150.0),
    ESR: ("logn", 80.0, 0.5, 12.0, 336.0),
    CAP: ("logn", 60.0, 0.5, 8.0, 200.0),
    BR: ("logn", 36.0, 0.6, 4.0, 200.0),
    PAY: ("logn", 30.0, 0.7, 2.0, 168.0),
}
_DELAY_NAMES = tuple(_DELAYS)


# --------------------------------------------------------------------------------------------
# Scripts
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Step:
    seller: bool
    team: str
    channel: str
    role: str  # seller text role, or Amazon template pool
    kind: str = ""
    att: tuple[int, int] = (0, 0)
    delay: str = "seller"
    slot: str = ""  # Amazon: steps of a case with the same slot repeat the same template
    esc: int = 0
    target: str = ""
    subject: str = "thread"


@dataclass(frozen=True)
class _Variant:
    scenario: str
    category: str
    steps: tuple[_Step, ...]
    verdict: str
    status: str = "open"
    outcome: str = ""
    margin: tuple[float, float | None] = (0.0, None)  # hours from the last message to as_of
    weight: float = 1.0


def _s(role, team, *, ch="case", kind="", att=(0, 0), d="seller", esc=0, target="",
       subj="thread") -> _Step:
    return _Step(True, team, ch, role, kind, att, d, "", esc, target, subj)


def _a(pool, team, *, ch="case", slot="", d=None, subj="thread") -> _Step:
    return _Step(False, team, ch, pool, "", (0, 0), d or team, slot, 0, "", subj)


_L1_TARGET = "in-thread request"


def _l1(role: str, team: str) -> _Step:
    return _s(role, team, kind="escalation", att=(0, 1), d="short", esc=1, target=_L1_TARGET)


def _call(pool: str, slot: str = "") -> list[_Step]:
    return [_s("call", AHS, ch="phone", kind="call", subj="none"),
            _a(pool, AHS, ch="phone", slot=slot, d="phone", subj="none")]


def _canned_loop() -> list[_Variant]:
    out = []
    for k in (3, 4, 5, 6, 7):
        for ack in (True, False):
            for l1 in ("", "l1_good", "l1_short"):
                for call in (False, True):
                    for end in ("noreply", "denial"):
                        st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first")]
                        st += [_a("sp_ack", SP, d="ack", slot="K")] if ack else []
                        st += [_a("sp_denial", SP, slot="D")]
                        for i in range(k - 1):
                            if i == 0:
                                st += [_s("poa_revised", SP, kind="poa", att=(1, 3))]
                                st += [_a("sp_ack", SP, d="ack", slot="K")] if ack else []
                            else:
                                st += [_s("followup", SP, kind="follow-up", att=(0, 1))]
                            if i == 1 and l1:
                                st += [_l1(l1, SP)]
                            if i == 1 and call:
                                st += _call("ahs_any")
                            if i in (0, 2):
                                st += [_s("nudge", SP, kind="follow-up", d="nudge")]
                            st += [_a("sp_denial", SP, slot="D")]
                        st += [_s("followup", SP, kind="follow-up")]
                        if end == "denial":
                            st += [_a("sp_denial", SP, slot="D")]
                            margin: tuple[float, float | None] = (0.0, None)
                        else:
                            st += [_s("nudge", SP, kind="follow-up", d="nudge")]
                            margin = (49.0, None)
                        out.append(_Variant("suspension_canned_loop", SUSP, tuple(st), "ready",
                                            margin=margin))
    return out


def _info_pending() -> list[_Variant]:
    out = []
    for ack in (True, False):
        for pre in (1, 2, 3):
            for call in (False, True):
                st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first")]
                st += [_a("sp_ack", SP, d="ack")] if ack else []
                for _ in range(pre):
                    st += [_a("sp_denial", SP, slot="D"),
                           _s("poa_revised", SP, kind="poa", att=(1, 3))]
                st += _call("ahs_pending") if call else []
                st += [_a("sp_info", SP)]
                out.append(_Variant("suspension_info_request_pending", SUSP, tuple(st), "not yet"))
    return out


def _reinstated_after_docs() -> list[_Variant]:
    out = []
    for ack in (True, False):
        for pre in (0, 1):
            for call in (False, True):
                st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first")]
                st += [_a("sp_ack", SP, d="ack")] if ack else []
                if pre:
                    st += [_a("sp_denial", SP), _s("poa_revised", SP, kind="poa", att=(1, 3))]
                st += [_a("sp_info", SP)]
                st += _call("ahs_pending") if call else []
                st += [_s("documents", SP, kind="documents", att=(2, 6)),
                       _s("nudge", SP, kind="follow-up", d="nudge"), _a("sp_accept", SP)]
                out.append(_Variant("suspension_reinstated_after_docs", SUSP, tuple(st), "closed",
                                    status="closed", outcome="Reinstated"))
    return out


def _ahs_calls() -> list[_Variant]:
    out = []
    for ack in (True, False):
        for extra in (0, 1, 2, 3):
            st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first")]
            st += [_a("sp_ack", SP, d="ack")] if ack else []
            st += [_a("sp_denial", SP, slot="D")]
            st += _call("ahs_escalated")
            st += [_s("poa_revised", SP, kind="poa", att=(1, 3)),
                   _s("nudge", SP, kind="follow-up", d="nudge"), _a("sp_denial", SP, slot="D")]
            st += _call("ahs_any", "X")
            st += [_s("followup", SP, kind="follow-up"), _a("sp_denial", SP, slot="D")]
            for _ in range(extra):
                st += _call("ahs_any")
                st += [_s("followup", SP, kind="follow-up"), _a("sp_denial", SP, slot="D")]
            out.append(_Variant("ahs_phone_calls", SUSP, tuple(st), "ready"))
    return out


def _wrong_channel() -> list[_Variant]:
    out = []
    for social in (False, True):
        for resend in (1, 2, 3):
            st = [_s("email_appeal", SP, ch="email", kind="appeal", att=(1, 4), d="first",
                     subj="email_appeal"),
                  _a("sp_deflect_email", SP, ch="email", slot="E", subj="email_reply")]
            for j in range(resend):
                pool = "sp_deflect" if j == 2 else "sp_deflect_email"  # a third reply may differ
                st += [_s("email_resend", SP, ch="email", kind="follow-up", att=(0, 2),
                          subj="email_appeal"),
                       _a(pool, SP, ch="email", slot="E", subj="email_reply")]
            if social:
                st += [_s("social", SS, ch="social", kind="inquiry", subj="none"),
                       _a("ss_social", SS, ch="social", d="short", subj="none")]
            out.append(_Variant("wrong_channel_email", SUSP, tuple(st), "not yet"))
    return out


def _level2_success() -> list[_Variant]:
    out = []
    paths = (
        ("l2_si", SP, "email", "Senior investigator", "sp_l2_ack", "sp_l2_yes", SUSP),
        ("l2_si", SP, "case", "Senior investigator", "", "sp_l2_yes", SUSP),
        ("l2_spm", SP, "email", "Seller Performance manager", "sp_l2_ack", "sp_accept", SUSP),
        ("l2_pqm", PQ, "case", "Product Quality manager", "", "pq_yes", POL),
        ("l2_cap", CAP, "email", "Captive Team", "cap_ack", "cap_yes", SUSP),
    )
    for role, team, ch, target, ack_pool, yes_pool, cat in paths:
        for rounds in (1, 2, 3):
            if cat == POL:
                st = [_s("ip_appeal", PQ, kind="appeal", att=(1, 4), d="first"),
                      _a("pq_denial", PQ, slot="D")]
                for _ in range(rounds):
                    st += [_s("followup_ip", PQ, kind="follow-up", att=(0, 2)),
                           _a("pq_denial", PQ, slot="D")]
            else:
                st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first"),
                      _a("sp_ack", SP, d="ack"), _a("sp_denial", SP, slot="D")]
                for i in range(rounds):
                    st += [_s("poa_revised" if i == 0 else "followup", SP,
                              kind="poa" if i == 0 else "follow-up",
                              att=(1, 3) if i == 0 else (0, 1)),
                           _a("sp_denial", SP, slot="D")]
                if team == CAP:
                    st += _call("ahs_any")
            st += [_s(role, team, ch=ch, kind="escalation", att=(1, 3), esc=2, target=target,
                      subj="esc_l2")]
            st += [_a(ack_pool, team, ch=ch, d="ack" if ack_pool != "cap_ack" else "short",
                      subj="email_reply" if ch == "email" else "thread")] if ack_pool else []
            st += [_a(yes_pool, team, ch=ch, subj="email_reply" if ch == "email" else "thread")]
            out.append(_Variant("level2_success", cat, tuple(st), "closed", status="closed",
                                outcome="Reinstated"))
    return out


def _exec_canned() -> list[_Variant]:
    out = []
    for n3 in (2, 3):
        for l2 in (False, True):
            for first in ("l3_good", "l3_bad"):
                for esr_ack in (False, True):
                    st = [_s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first"),
                          _a("sp_ack", SP, d="ack"), _a("sp_denial", SP, slot="D"),
                          _s("poa_revised", SP, kind="poa", att=(1, 3)),
                          _a("sp_denial", SP, slot="D"),
                          _s("followup", SP, kind="follow-up"), _a("sp_denial", SP, slot="D"),
                          _s("followup", SP, kind="follow-up"),
                          _s("nudge", SP, kind="follow-up", d="nudge"),
                          _a("sp_denial", SP, slot="D")]
                    if l2:
                        st += [_s("l2_spm" if esr_ack else "l2_short", SP, ch="email",
                                  kind="escalation", att=(0, 2), esc=2,
                                  target="Seller Performance manager" if esr_ack
                                  else "Senior investigator", subj="esc_l2"),
                               _a("sp_l2_no", SP, ch="email", subj="email_reply")]
                    for j in range(n3):
                        st += [_s(first if j == 0 else "l3_repeat", ESR, ch="email",
                                  kind="escalation", att=(0, 0), esc=3, target=ESR,
                                  subj="esc_l3")]
                        if j == 0 and esr_ack:
                            st += [_a("esr_ack", ESR, ch="email", d="ack", subj="esr_reply")]
                        st += [_a("esr_canned", ESR, ch="email", slot="E", subj="esr_reply")]
                    out.append(_Variant("exec_canned", SUSP, tuple(st), "not advisable"))
    return out


def _payment_delay() -> list[_Variant]:
    out = []
    for info in (False, True):
        for l1 in ("", "l1_good", "l1_short"):
            for nudge in (False, True):
                st = [_s("inquiry_payment", SS, kind="inquiry", att=(0, 1), d="first"),
                      _a("pay_first", SS),
                      _s("followup_payment", SS, kind="follow-up")]
                if info:
                    st += [_a("pay_info", PAY), _s("documents_bank", PAY, kind="documents",
                                                   att=(1, 2))]
                st += [_a("pay_investigating", PAY), _s("followup_payment", PAY, kind="follow-up"),
                       _s("nudge", PAY, kind="follow-up", d="nudge"),
                       _a("pay_investigating", PAY), _s("followup_payment", PAY, kind="follow-up")]
                st += [_l1(l1, PAY)] if l1 else []
                st += [_s("nudge", PAY, kind="follow-up", d="nudge")] if nudge else []
                out.append(_Variant("payment_delay", PAYC, tuple(st), "ready", margin=(49.0, None),
                                    weight=1.0))
    for rounds in (1, 2, 3):
        for l1 in (False, True):
            st = [_s("inquiry_payment", SS, kind="inquiry", att=(0, 1), d="first"),
                  _a("pay_first", SS), _s("followup_payment", SS, kind="follow-up")]
            st += [_l1("l1_good", SS), _a("ss_l1", SS)] if l1 else []
            for _ in range(rounds):
                st += [_a("pay_investigating", PAY), _s("followup_payment", PAY, kind="follow-up")]
            st += [_a("pay_released", PAY)]
            out.append(_Variant("payment_delay", PAYC, tuple(st), "closed", status="closed",
                                outcome="Resolved", weight=1.5))
    return out


def _listing() -> list[_Variant]:
    out = []
    for rounds in (3, 4, 5):
        for mid in (False, True):
            for end in ("denial", "noreply"):
                st = [_s("inquiry_listing", CAT, kind="inquiry", att=(1, 3), d="first"),
                      _a("cat_canned", CAT, slot="C")]
                if mid:
                    st += [_s("followup_listing", CAT, kind="follow-up", att=(0, 2)),
                           _a("cat_escalated", CAT)]
                for i in range(rounds):
                    st += [_s("followup_listing", CAT, kind="follow-up", att=(0, 2))]
                    st += [_l1("l1_good", CAT)] if i == 1 else []
                    st += [_a("cat_canned", CAT, slot="C")]
                margin: tuple[float, float | None] = (0.0, None)
                if end == "noreply":
                    st += [_s("followup_listing", CAT, kind="follow-up"),
                           _s("nudge", CAT, kind="follow-up", d="nudge")]
                    margin = (49.0, None)
                out.append(_Variant("listing_suppression", LIST, tuple(st), "ready", margin=margin))
    for docs in (False, True):
        st = [_s("inquiry_listing", CAT, kind="inquiry", att=(1, 3), d="first"),
              _a("cat_first", CAT), _s("followup_listing", CAT, kind="follow-up", att=(1, 2))]
        if docs:
            st += [_a("cat_info", CAT), _s("documents", CAT, kind="documents", att=(1, 4))]
        st += [_a("cat_yes", CAT)]
        out.append(_Variant("listing_suppression", LIST, tuple(st), "closed", status="closed",
                            outcome="Resolved", weight=4.0))
    st = (_s("inquiry_listing", CAT, kind="inquiry", att=(1, 3), d="first"), _a("cat_first", CAT),
          _s("followup_listing", CAT, kind="follow-up", att=(1, 2)), _a("cat_no", CAT))
    out.append(_Variant("listing_suppression", LIST, st, "closed", status="closed",
                        outcome="Denied", weight=4.0))
    return out


def _policy() -> list[_Variant]:
    out = []
    for br in (False, True):
        for rounds in (3, 4, 5):
            st = [_s("ip_appeal", PQ, kind="appeal", att=(1, 4), d="first"),
                  _a("pq_denial", PQ, slot="P")]
            if br:
                st += [_s("br_inquiry", BR, kind="inquiry"), _a("br_ack", BR, d="ack"),
                       _a("br_deflect", BR)]
            for i in range(rounds):
                st += [_s("followup_ip", PQ, kind="follow-up", att=(0, 2))]
                st += [_l1("l1_short", PQ)] if i == 2 else []
                st += [_s("nudge", PQ, kind="follow-up", d="nudge")] if i == 1 else []
                st += [_a("pq_denial", PQ, slot="P")]
            out.append(_Variant("policy_violation", POL, tuple(st), "ready"))
    return out


def _technical() -> list[_Variant]:
    out = []
    base = [_s("inquiry_tech", SS, kind="inquiry", att=(1, 2), d="first"), _a("ss_tech_first", SS),
            _s("followup_tech", SS, kind="follow-up", att=(0, 1))]
    for chat in (False, True):
        for nudge in (False, True):
            st = base + [_a("ss_tech_forwarded", SS), _s("followup_tech", SS, kind="follow-up"),
                         _a("ss_tech_update", SS)]
            st += [_s("chat", SS, ch="chat", kind="inquiry", subj="chat"),
                   _a("ss_chat", SS, ch="chat", d="phone", subj="chat")] if chat else []
            st += [_s("followup_tech", SS, kind="follow-up")]
            st += [_s("nudge", SS, kind="follow-up", d="nudge")] if nudge else []
            out.append(_Variant("technical_problem", TECH, tuple(st), "ready", margin=(49.0, None),
                                weight=1.5))
    out.append(_Variant("technical_problem", TECH, tuple(base), "not yet", margin=(2.0, 44.0),
                        weight=2.0))
    st = base + [_a("ss_tech_forwarded", SS), _s("followup_tech", SS, kind="follow-up")]
    out.append(_Variant("technical_problem", TECH, tuple(st), "not yet", margin=(2.0, 44.0),
                        weight=2.0))
    out.append(_Variant("technical_problem", TECH, tuple(base + [_a("ss_tech_update", SS)]),
                        "not yet", weight=2.0))
    st = base + [_a("ss_tech_forwarded", SS), _s("followup_tech", SS, kind="follow-up"),
                 _a("ss_tech_resolved", SS)]
    out.append(_Variant("technical_problem", TECH, tuple(st), "closed", status="closed",
                        outcome="Resolved", weight=2.0))
    st = [base[0], _a("ss_tech_info", SS), _s("documents", SS, kind="documents", att=(1, 3)),
          _a("ss_tech_resolved", SS)]
    out.append(_Variant("technical_problem", TECH, tuple(st), "closed", status="closed",
                        outcome="Resolved", weight=2.0))
    return out


def _routine() -> list[_Variant]:
    out = []
    for topic in ("fees", "shipping", "address", "report"):
        q = _s("routine_q_" + topic, SS, kind="inquiry", d="first",
               att=(1, 1) if topic == "address" else (0, 0))
        ans = _a("ss_routine_" + topic, SS, d="routine")
        ans2 = _a("ss_routine_more", SS, d="routine")
        more = _s("routine_more", SS, kind="inquiry")
        thanks = _s("routine_thanks", SS)
        closed = {"status": "closed", "outcome": "Resolved"}
        out += [
            _Variant("routine_inquiry", ROUT, (q, ans), "closed", weight=3.0, **closed),
            _Variant("routine_inquiry", ROUT, (q, ans, thanks), "closed", weight=3.0, **closed),
            _Variant("routine_inquiry", ROUT, (q, _a("ss_ack", SS, d="ack"), ans, more, ans2,
                                               thanks), "closed", weight=2.0, **closed),
            _Variant("routine_inquiry", ROUT, (q, ans, more), "not advisable", weight=1.0),
            _Variant("routine_inquiry", ROUT, (q, ans, more, ans2, thanks, more), "not advisable",
                     weight=1.0),
        ]
    return out


def _fresh() -> list[_Variant]:
    out = []
    firsts = ((TECH, _s("inquiry_tech", SS, kind="inquiry", att=(1, 2), d="first"), SS),
              (PAYC, _s("inquiry_payment", SS, kind="inquiry", d="first"), SS),
              (LIST, _s("inquiry_listing", CAT, kind="inquiry", att=(1, 3), d="first"), CAT),
              (SUSP, _s("appeal_poa", SP, kind="appeal", att=(1, 4), d="first"), SP))
    for cat, first, team in firsts:
        for nudge in (False, True):
            st = (first, _s("nudge", team, kind="follow-up", d="fresh")) if nudge else (first,)
            out.append(_Variant("fresh_case", cat, st, "not yet", margin=(1.0, 40.0)))
    return out


def _no_followup() -> list[_Variant]:
    return [
        _Variant("no_followup", TECH, (_s("inquiry_tech", SS, kind="inquiry", att=(1, 2),
                                          d="first"), _a("ss_generic", SS)), "not yet"),
        _Variant("no_followup", PAYC, (_s("inquiry_payment", SS, kind="inquiry", d="first"),
                                       _a("ss_generic", SS)), "not yet"),
        _Variant("no_followup", LIST, (_s("inquiry_listing", CAT, kind="inquiry", att=(1, 3),
                                          d="first"), _a("cat_first", CAT)), "not yet"),
        _Variant("no_followup", TECH, (_s("inquiry_tech", SS, kind="inquiry", att=(1, 2),
                                          d="first"), _a("ss_ack", SS, d="ack"),
                                       _a("ss_tech_first", SS)), "not yet"),
    ]


def _poa_missing() -> list[_Variant]:
    out = []
    for rounds in (1, 2, 3):
        for end_seller in (False, True):
            st = [_s("plea", SP, kind="inquiry", d="first"), _a("sp_first", SP, slot="N")]
            for _ in range(rounds - 1):
                st += [_s("plea_followup", SP, kind="follow-up"), _a("sp_first", SP, slot="N")]
            st += [_s("plea_followup", SP, kind="follow-up")] if end_seller else []
            out.append(_Variant("poa_missing", SUSP, tuple(st), "not yet"))
    return out


#: scenario -> (share of cases, variant builder)
_SCENARIO_SPECS: dict[str, tuple[float, Callable[[], list[_Variant]]]] = {
    "suspension_canned_loop": (0.15, _canned_loop),
    "suspension_info_request_pending": (0.06, _info_pending),
    "suspension_reinstated_after_docs": (0.06, _reinstated_after_docs),
    "ahs_phone_calls": (0.09, _ahs_calls),
    "wrong_channel_email": (0.04, _wrong_channel),
    "level2_success": (0.05, _level2_success),
    "exec_canned": (0.06, _exec_canned),
    "payment_delay": (0.09, _payment_delay),
    "listing_suppression": (0.09, _listing),
    "policy_violation": (0.08, _policy),
    "technical_problem": (0.08, _technical),
    "routine_inquiry": (0.07, _routine),
    "fresh_case": (0.02, _fresh),
    "no_followup": (0.03, _no_followup),
    "poa_missing": (0.03, _poa_missing),
}

#: scenario -> the verdicts its cases can have at as_of
SCENARIOS: dict[str, tuple[str, ...]] = {
    "suspension_canned_loop": ("ready",),
    "suspension_info_request_pending": ("not yet",),
    "suspension_reinstated_after_docs": ("closed",),
    "ahs_phone_calls": ("ready",),
    "wrong_channel_email": ("not yet",),
    "level2_success": ("closed",),
    "exec_canned": ("not advisable",),
    "payment_delay": ("ready", "closed"),
    "listing_suppression": ("ready", "closed"),
    "policy_violation": ("ready",),
    "technical_problem": ("ready", "not yet", "closed"),
    "routine_inquiry": ("closed", "not advisable"),
    "fresh_case": ("not yet",),
    "no_followup": ("not yet",),
    "poa_missing": ("not yet",),
}


# --------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sample:
    """A generated case log and its ground truth.

    Attributes
    ----------
    messages, cases : pandas.DataFrame
        Canonical tables (columns of :data:`caselog.schema.MESSAGE_COLUMNS` and
        :data:`~caselog.schema.CASE_COLUMNS`);
        ``message_id`` is ``0..n-1`` in ``case_id, sent_at`` order.
    truth_messages : pandas.DataFrame
        Row *i* describes ``message_id`` *i*: ``case_id, sent_at`` (UTC datetimes here, ISO text in
        the file), ``direction, template`` (template key, ``""`` for seller messages),
        ``reply_class`` (``""`` for seller messages), ``is_escalation, escalation_level`` (0-3),
        ``escalation_target``.
    truth_cases : pandas.DataFrame
        ``case_id, account, scenario, category, expected_verdict, as_of``.
    as_of : pandas.Timestamp
        The newest ``sent_at`` (UTC).
    """

    messages: pd.DataFrame
    cases: pd.DataFrame
    truth_messages: pd.DataFrame
    truth_cases: pd.DataFrame
    as_of: pd.Timestamp

    @property
    def log(self) -> CaseLog:
        """The canonical tables as a :class:`~caselog.CaseLog`."""
        return CaseLog(messages=self.messages, cases=self.cases)

    def __repr__(self) -> str:
        return (f"Sample({len(self.messages):,} messages, {len(self.cases):,} cases, "
                f"as_of={self.as_of})")


# --------------------------------------------------------------------------------------------
# Vectorised text filling
# --------------------------------------------------------------------------------------------
_FIELD = re.compile(r"\{(\w+)\}")


class _Context:
    """Per-message values of the template fields, computed on first use."""

    def __init__(self, makers: dict[str, Callable[[], np.ndarray]]):
        self._makers = makers
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = self._makers[name]()
        return self._cache[name]


def _fill(texts: np.ndarray, rows: np.ndarray, ctx: _Context) -> np.ndarray:
    """Fill ``{field}`` placeholders of ``texts[i]`` with ``ctx[field][rows[i]]``, per batch of
    rows sharing a text (object arrays; numpy adds strings element-wise in C)."""
    out = np.empty(len(texts), dtype=object)
    if len(texts) == 0:
        return out
    codes, uniques = pd.factorize(texts)
    order = np.argsort(codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))])
    for u, tmpl in enumerate(uniques):
        sel = order[bounds[u]:bounds[u + 1]]
        parts = _FIELD.split(tmpl)  # literal, field, literal, field, ..., literal
        if len(parts) == 1:
            out[sel] = tmpl
            continue
        acc = np.full(len(sel), parts[0], dtype=object)
        for i in range(1, len(parts), 2):
            acc = acc + ctx[parts[i]][rows[sel]]
            if parts[i + 1]:
                acc = acc + parts[i + 1]
        out[sel] = acc
    return out


def _pick(rng: np.random.Generator, bank: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(bank, dtype=object)[rng.integers(0, len(bank), n)]


def _random_codes(rng: np.random.Generator, n: int, length: int) -> np.ndarray:
    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), dtype="<U1")
    chars = alphabet[rng.integers(0, 36, (n, length))]
    return np.ascontiguousarray(chars).view(f"<U{length}").ravel()


def _digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    return np.char.zfill(rng.integers(0, 10**width, n).astype(f"<U{width}"), width)


def _default_as_of(start: pd.Timestamp, months: int) -> pd.Timestamp:
    """17:00 UTC on the last day of the ``months``-th month counted from ``start``'s month."""
    first_after = (start + pd.DateOffset(months=months)).replace(day=1).normalize()
    return first_after - pd.Timedelta(days=1) + pd.Timedelta(hours=17)


def _account_names(n: int) -> list[str]:
    names = list(_ACCOUNT_NAMES)
    for a in _NAME_A:
        for b in _NAME_B:
            if len(names) >= n:
                return names[:n]
            names.append(f"{a} {b}")
    names += [f"Seller {i:05d}" for i in range(len(names) + 1, n + 1)]
    return names[:n]


def _allocate(shares: np.ndarray, n: int) -> np.ndarray:
    """Largest-remainder split of ``n`` into parts proportional to ``shares``."""
    raw = shares / shares.sum() * n
    counts = np.floor(raw).astype(np.int64)
    rest = n - counts.sum()
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts


# --------------------------------------------------------------------------------------------
# generate()
# --------------------------------------------------------------------------------------------
def generate(
    seed: int = 20260101,
    n_cases: int = 300,
    *,
    n_accounts: int | None = None,
    start: str | pd.Timestamp = "2026-01-05",
    months: int = 7,
) -> Sample:
    """Generate synthetic seller case histories with their ground truth.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed gives identical frames.
    n_cases : int
        Number of cases (300 gives ~3,300 messages; 100,000 gives ~1.1 million).
    n_accounts : int, optional
        Number of seller accounts (default 4: Northwind Goods, Blue Heron Home, Kestrel Outdoors,
        Tidewater Toys; more get generated names).  Cases are spread unevenly over them.
    start : str or Timestamp
        Earliest day a case may open (UTC).
    months : int
        Months covered; ``as_of`` is 17:00 UTC on the last day of the last month
        (2026-07-31 17:00 for the defaults).

    Returns
    -------
    Sample
        ``messages``, ``cases`` (canonical), ``truth_messages``, ``truth_cases`` and ``as_of``.

    Raises
    ------
    ConfigError
        If ``n_cases``, ``n_accounts`` or ``months`` is below 1 or ``start`` is not a date.

    Examples
    --------
    >>> s = generate(seed=1, n_cases=30)
    >>> sorted(s.truth_cases["expected_verdict"].unique())[:2]
    ['closed', 'not advisable']
    """
    n_accounts = 4 if n_accounts is None else n_accounts
    for name, value in (("n_cases", n_cases), ("n_accounts", n_accounts), ("months", months)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"argument {name!r} must be a whole number >= 1, got {value!r}")
    try:
        start_ts = pd.Timestamp(start)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"argument 'start' must be a date, got {start!r}") from exc
    if start_ts.tzinfo is not None:
        start_ts = start_ts.tz_convert("UTC").tz_localize(None)
    start_ts = start_ts.normalize()
    as_of_naive = _default_as_of(start_ts, int(months))
    rng = np.random.default_rng(seed)
    n_cases = int(n_cases)

    # ---- variants and their flattened step table ------------------------------------------
    scen_names = list(_SCENARIO_SPECS)
    variants: list[_Variant] = []
    var_scen: list[int] = []
    for si, name in enumerate(scen_names):
        vs = _SCENARIO_SPECS[name][1]()
        variants += vs
        var_scen += [si] * len(vs)
    var_scen_a = np.array(var_scen)
    var_weight = np.array([v.weight for v in variants], dtype=float)
    var_len = np.array([len(v.steps) for v in variants])
    var_off = np.concatenate([[0], np.cumsum(var_len)[:-1]])
    steps = [st for v in variants for st in v.steps]
    pool_names = list(_POOLS)
    tkeys = list(TEMPLATES)
    tindex = {k: i for i, k in enumerate(tkeys)}
    roles = list(_SELLER)
    teams = sorted({st.team for st in steps})
    channels = sorted({st.channel for st in steps})
    subj_keys = ["thread", "none", *(_SUBJECT_BANKS)]

    slot_ids: list[int] = []  # per step: which per-case random draw picks its template
    n_slots = 1
    for v in variants:
        named: dict[str, int] = {}
        for st in v.steps:
            if st.slot:
                named.setdefault(st.slot, len(named))
        free = len(named)
        for st in v.steps:
            if st.slot:
                slot_ids.append(named[st.slot])
            else:
                slot_ids.append(free)
                free += 1
        n_slots = max(n_slots, free)

    st_seller = np.array([st.seller for st in steps])
    st_team = np.array([teams.index(st.team) for st in steps])
    st_channel = np.array([channels.index(st.channel) for st in steps])
    st_role = np.array([roles.index(st.role) if st.seller else -1 for st in steps])
    st_pool = np.array([-1 if st.seller else pool_names.index(st.role) for st in steps])
    st_kind = np.array([st.kind for st in steps], dtype=object)
    st_att_lo = np.array([st.att[0] for st in steps])
    st_att_hi = np.array([st.att[1] for st in steps])
    st_delay = np.array([_DELAY_NAMES.index(st.delay) for st in steps])
    st_slot = np.array(slot_ids)
    st_esc = np.array([st.esc for st in steps])
    st_target = np.array([st.target for st in steps], dtype=object)
    st_subj = np.array([subj_keys.index(st.subject) for st in steps])

    # ---- cases: scenario, variant, account ------------------------------------------------
    shares = np.array([_SCENARIO_SPECS[n][0] for n in scen_names])
    counts = _allocate(shares, n_cases)
    fresh_i = scen_names.index("fresh_case")
    if n_cases >= len(scen_names) and counts[fresh_i] == 0:  # pragma: no cover - shares > 0
        counts[fresh_i] = 1
        counts[int(np.argmax(counts))] -= 1
    case_scen = rng.permutation(np.repeat(np.arange(len(scen_names)), counts))
    case_var = np.empty(n_cases, dtype=np.int64)
    for si in range(len(scen_names)):
        idx = np.flatnonzero(case_scen == si)
        cand = np.flatnonzero(var_scen_a == si)
        w = var_weight[cand] / var_weight[cand].sum()
        case_var[idx] = rng.choice(cand, size=len(idx), p=w)
    acc_names = _account_names(n_accounts)
    acc_w = 1.0 / np.sqrt(np.arange(1, n_accounts + 1))
    case_acc = rng.choice(n_accounts, size=n_cases, p=acc_w / acc_w.sum())
    case_ids = np.sort(rng.choice(9 * 10**9, size=n_cases, replace=False) + 10**9).astype("<U10")

    # ---- messages: one row per step of each case's variant --------------------------------
    lens = var_len[case_var]
    n_msg = int(lens.sum())
    msg_case = np.repeat(np.arange(n_cases), lens)
    starts = np.cumsum(lens) - lens
    pos = np.arange(n_msg) - starts[msg_case]
    step = var_off[case_var][msg_case] + pos
    seller = st_seller[step]

    # delays (minutes since the previous message of the case), offsets, absolute times
    params = np.array([(*d[1:], 0.0, 0.0)[:4] if d[0] == "logn" else (0.0, 0.0, d[1], d[2])
                       for d in _DELAYS.values()])
    is_logn = np.array([d[0] == "logn" for d in _DELAYS.values()])
    dcode = st_delay[step]
    z = rng.standard_normal(n_msg)
    u = rng.random(n_msg)
    p = params[dcode]
    logn = np.clip(p[:, 0] * np.exp(p[:, 1] * z), p[:, 2], p[:, 3])
    unif = p[:, 2] + u * (p[:, 3] - p[:, 2])
    hours = np.where(is_logn[dcode], logn, unif)
    minutes = np.maximum(np.rint(hours * 60).astype(np.int64), 1)
    minutes[starts] = 0
    cum = np.cumsum(minutes)
    offset = cum - cum[starts][msg_case]
    duration = offset[starts + lens - 1]

    as_of_min = int(as_of_naive.value // 60_000_000_000)
    start_min = int(start_ts.value // 60_000_000_000)
    v_lo = np.array([v.margin[0] for v in variants]) * 60
    v_hi = np.array([np.nan if v.margin[1] is None else v.margin[1] for v in variants]) * 60
    lo, hi = v_lo[case_var], v_hi[case_var]
    anchored = ~np.isnan(hi)
    cu = rng.random(n_cases)
    margin = np.where(anchored, lo + cu * (np.nan_to_num(hi) - lo), 0.0)
    fresh_cases = np.flatnonzero(case_scen == fresh_i)
    if len(fresh_cases):
        margin[fresh_cases[0]] = 0.0  # one fresh message lands exactly on as_of
    latest_open = as_of_min - lo - duration
    free_open = np.where(latest_open > start_min,
                         start_min + cu * (latest_open - start_min), latest_open)
    opened = np.where(anchored, as_of_min - np.rint(margin) - duration, np.floor(free_open))
    opened = opened.astype(np.int64)
    t_min = opened[msg_case] + offset

    # ---- per-case and per-message values for the template fields --------------------------
    acc_contact = np.array([_CONTACTS[i % len(_CONTACTS)] for i in range(n_accounts)], dtype=object)
    acc_name_arr = np.array(acc_names, dtype=object)
    acc_email = np.array(["ops@" + re.sub(r"[^a-z0-9]", "", a.lower()) + ".com" for a in acc_names],
                         dtype=object)
    case_cat = np.array([v.category for v in variants], dtype=object)[case_var]
    n_asins = np.where(np.isin(case_cat, [PAYC, ROUT]), 0,
                       np.where(np.isin(case_cat, [LIST, POL, TECH]), rng.integers(1, 4, n_cases),
                                rng.integers(0, 3, n_cases)))
    asin_codes = ("B0" + _random_codes(rng, 3 * n_cases, 8).astype(object)).reshape(n_cases, 3)
    first_asin = asin_codes[:, 0]
    asins_text = np.full(n_cases, "", dtype=object)
    for k in (1, 2, 3):
        sel = n_asins == k
        joined = asin_codes[sel, 0]
        for j in range(1, k):
            joined = joined + ", " + asin_codes[sel, j]
        asins_text[sel] = joined
    order_ids = (_digits(rng, n_cases, 3).astype(object) + "-" + _digits(rng, n_cases, 7)
                 + "-" + _digits(rng, n_cases, 7))
    cents = rng.integers(5_000, 2_500_000, n_cases)
    amounts = np.array([f"${c / 100:,.2f}" for c in cents.tolist()], dtype=object)
    refs = _digits(rng, n_cases, 10).astype(object)
    supplier = _pick(rng, _SUPPLIERS, n_cases)
    rights = np.char.add("brandprotection@",
                         np.array(["acme", "zentro", "lumio", "brightway", "nordika"])[
                             rng.integers(0, 5, n_cases)]).astype(object) + ".com"

    day0 = pd.Timestamp(as_of_naive.normalize()) - pd.Timedelta(days=int((as_of_min - int(
        opened.min())) // 1440) + 30)
    n_days = int((as_of_naive - day0).days) + 2
    days = pd.date_range(day0, periods=n_days, freq="D")
    date_table = np.array([days.strftime(f).to_numpy(dtype=object) for f in _DATE_FORMATS])
    msg_day = (t_min // 1440 - int(day0.value // 86_400_000_000_000)).astype(np.int64)

    team_names = np.array(teams, dtype=object)
    team_sig = np.array([_TEAM_SIGNATURE.get(t, t) for t in teams], dtype=object)
    msg_team = st_team[step]

    def per_case(arr: np.ndarray) -> Callable[[], np.ndarray]:
        return lambda: arr[msg_case]

    def dates() -> np.ndarray:
        back = np.clip(msg_day - rng.integers(0, 15, n_msg), 0, n_days - 1)
        return date_table[rng.integers(0, len(_DATE_FORMATS), n_msg), back]

    ctx = _Context({
        "seller": per_case(acc_contact[case_acc]),
        "store": per_case(acc_name_arr[case_acc]),
        "email": per_case(acc_email[case_acc]),
        "case": per_case(case_ids.astype(object)),
        "asin": per_case(first_asin),
        "order": per_case(order_ids),
        "amount": per_case(amounts),
        "ref": per_case(refs),
        "supplier": per_case(supplier),
        "rights": per_case(rights),
        "date": dates,
        "rep": lambda: _pick(rng, _REPS, n_msg),
        "buyer": lambda: _pick(rng, _BUYERS, n_msg),
        "url": lambda: _pick(rng, _URLS, n_msg),
        "product": lambda: _pick(rng, _PRODUCTS, n_msg),
        "nth": lambda: _pick(rng, _NTH, n_msg),
        "n": lambda: rng.integers(2, 41, n_msg).astype(str).astype(object),
        "team": lambda: team_sig[msg_team],
        "age": lambda: np.maximum((t_min - opened[msg_case]) // 1440, 1).astype(str).astype(object),
    })
    # draw all per-message randomness up front so the fields' lazy draws come after, in order
    ctx_keys = ("seller", "store", "email", "case", "asin", "order", "amount", "ref", "supplier",
                "rights", "date", "rep", "buyer", "url", "product", "nth", "n", "team", "age")
    for key in ctx_keys:
        ctx[key]

    body = np.empty(n_msg, dtype=object)
    template = np.full(n_msg, "", dtype=object)
    reply_class = np.full(n_msg, "", dtype=object)

    # Amazon messages: template per (case, slot), then greeting + text + extra + sign-off
    amz = np.flatnonzero(~seller)
    pool_members = [np.array([tindex[k] for k in _POOLS[p]]) for p in pool_names]
    pool_size = np.array([len(m) for m in pool_members])
    pool_off = np.concatenate([[0], np.cumsum(pool_size)[:-1]])
    pool_flat = np.concatenate(pool_members)
    slot_draw = rng.random((n_cases, n_slots))
    ap = st_pool[step[amz]]
    choice = np.floor(slot_draw[msg_case[amz], st_slot[step[amz]]] * pool_size[ap]).astype(int)
    tid = pool_flat[pool_off[ap] + choice]
    t_class = np.array([TEMPLATES[k][0] for k in tkeys], dtype=object)
    t_style = np.array([TEMPLATES[k][1] for k in tkeys], dtype=object)
    t_text = np.array([TEMPLATES[k][2] for k in tkeys], dtype=object)
    t_edit = t_text.copy()
    for i, text in enumerate(t_text):
        for pat, rep in _EDITS:
            new = re.sub(pat, rep, text, count=1)
            if new != text:
                t_edit[i] = new
                break
    template[amz] = np.array(tkeys, dtype=object)[tid]
    reply_class[amz] = t_class[tid]
    edited = rng.random(len(amz)) < 0.08
    core = _fill(np.where(edited, t_edit[tid], t_text[tid]), amz, ctx)
    letter = t_style[tid] == "letter"
    greet = _fill(_pick(rng, _GREETINGS, len(amz)), amz, ctx)
    sign = _fill(_pick(rng, _SIGNOFFS, len(amz)), amz, ctx)
    is_denial = t_class[tid] == "denial"
    extra = np.where(is_denial, _pick(rng, _EXTRAS_DENIAL, len(amz)),
                     _pick(rng, _EXTRAS_OTHER, len(amz)))
    extra = np.where((rng.random(len(amz)) < 0.2) & letter, extra, "")
    full = greet + "\n\n" + core + extra + "\n\n" + sign
    body[amz] = np.where(letter, full, core)

    # seller messages: one sentence per slot of the role's bank
    sel_rows = np.flatnonzero(seller)
    msg_role = st_role[step]
    for ri, role in enumerate(roles):
        rows = sel_rows[msg_role[sel_rows] == ri]
        if len(rows) == 0:
            continue
        text = None
        for slot in _SELLER[role]:
            piece = _fill(_pick(rng, slot, len(rows)), rows, ctx)
            text = piece if text is None else text + " " + piece
        body[rows] = text
    body[sel_rows] = pd.Series(body[sel_rows], dtype=object).str.replace(
        "\n ", "\n", regex=False).to_numpy(dtype=object)

    # subjects
    case_subject = np.empty(n_cases, dtype=object)
    for cat, bank in _SUBJECTS.items():
        cs = np.flatnonzero(case_cat == cat)
        if len(cs):
            first_rows = starts[cs]
            case_subject[cs] = _fill(_pick(rng, bank, len(cs)), first_rows, ctx)
    subject = np.full(n_msg, "", dtype=object)
    msg_subj = st_subj[step]
    thread = msg_subj == 0
    subject[thread] = case_subject[msg_case[thread]]
    reply = thread & ((pos > 0) | ~seller)
    subject[reply] = "RE: " + subject[reply]
    for k, key in enumerate(subj_keys[2:], start=2):
        rows = np.flatnonzero(msg_subj == k)
        if len(rows):
            subject[rows] = _fill(_pick(rng, _SUBJECT_BANKS[key], len(rows)), rows, ctx)

    # kind labels, attachments, escalations
    kind = np.where(seller, st_kind[step], "").astype(object)
    labelled = rng.random(n_msg)
    kind[seller & (labelled >= 0.65)] = ""
    amz_label = ~seller & (labelled < 0.07)
    kind[amz_label] = reply_class[amz_label]
    lo_a, hi_a = st_att_lo[step], st_att_hi[step]
    attachments = lo_a + np.floor(rng.random(n_msg) * (hi_a - lo_a + 1)).astype(np.int64)
    esc_level = st_esc[step].astype(np.int64)
    esc_target = st_target[step]

    # ---- frames (text columns go through pyarrow: twice as fast as .astype("str")) ----------
    seed_text = f"sample seed {seed}"
    direction = np.where(seller, 1, 0)
    dir_values = np.array(["amazon", "seller"], dtype=object)
    chan_values = np.array(channels, dtype=object)
    case_id_col = _str_codes(msg_case, case_ids.astype(object))
    sent_ns = (t_min * 60_000_000_000).astype("datetime64[ns]")
    sent_at = pd.Series(sent_ns).dt.tz_localize("UTC")
    messages = pd.DataFrame({
        "message_id": np.arange(n_msg, dtype=np.int64),
        "case_id": case_id_col,
        "account": _str_codes(case_acc[msg_case], acc_name_arr),
        "sent_at": sent_at,
        "direction": _str_codes(direction, dir_values),
        "team": _str_codes(msg_team, team_names),
        "channel": _str_codes(st_channel[step], chan_values),
        "subject": _str(subject),
        "body": _str(body),
        "attachments": attachments.astype(np.int64),
        "kind": _str(kind),
        "source": _str(np.char.add(f"{seed_text} row ",
                                   np.arange(1, n_msg + 1).astype(str)).astype(object)),
    })

    last = starts + lens - 1
    status = np.array([v.status for v in variants], dtype=object)[case_var]
    closed_ns = np.where(status == "closed", sent_ns[last], np.datetime64("NaT", "ns"))
    cases = pd.DataFrame({
        "case_id": _str(case_ids.astype(object)),
        "account": _str(acc_name_arr[case_acc]),
        "category": _str(case_cat),
        "status": _str(status),
        "opened_at": pd.Series(sent_ns[starts]).dt.tz_localize("UTC"),
        "closed_at": pd.Series(closed_ns).dt.tz_localize("UTC"),
        "outcome": _str(np.array([v.outcome for v in variants], dtype=object)[case_var]),
        "asins": _str(asins_text),
        "source": _str(np.char.add(f"{seed_text} case ",
                                   np.arange(1, n_cases + 1).astype(str)).astype(object)),
    })

    truth_messages = pd.DataFrame({
        "case_id": case_id_col,
        "sent_at": sent_at,
        "direction": messages["direction"],
        "template": _str(template),
        "reply_class": _str(reply_class),
        "is_escalation": esc_level > 0,
        "escalation_level": esc_level,
        "escalation_target": _str(esc_target),
    })
    messages = messages.astype(MESSAGE_COLUMNS)  # no-op guard: the dtypes are already these
    cases = cases.astype(CASE_COLUMNS)
    as_of = messages["sent_at"].max()
    truth_cases = pd.DataFrame({
        "case_id": cases["case_id"],
        "account": cases["account"],
        "scenario": _str(np.array(scen_names, dtype=object)[case_scen]),
        "category": cases["category"],
        "expected_verdict": _str(np.array([v.verdict for v in variants], dtype=object)[case_var]),
        "as_of": pd.Series(np.full(n_cases, as_of.tz_localize(None).to_datetime64()))
        .dt.tz_localize("UTC"),
    })
    return Sample(messages=messages, cases=cases, truth_messages=truth_messages,
                  truth_cases=truth_cases, as_of=as_of)


def _str(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """An object array of Python strings as pandas' default ``str`` array."""
    return pd.array(pa.array(values, type=pa.large_string()), dtype="str")


def _str_codes(codes: np.ndarray, values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[codes]`` as a ``str`` array, decoded from an Arrow dictionary (few values)."""
    dictionary = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)),
                                                pa.array(values, type=pa.large_string()))
    return pd.array(dictionary.cast(pa.large_string()), dtype="str")


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------
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


def write_sample(directory: str | Path, sample: Sample | None = None) -> dict[str, Path]:
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

    Returns
    -------
    dict of str to Path
        ``csv``, ``xlsx``, ``truth_messages``, ``truth_cases``.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_sample(tempfile.mkdtemp(), generate(n_cases=20))
    >>> sorted(paths)
    ['csv', 'truth_cases', 'truth_messages', 'xlsx']
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
    return paths
