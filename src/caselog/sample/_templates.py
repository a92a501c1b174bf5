"""What Amazon writes in the sample: templates, the pools a script step draws from, and the parts
of a letter (greetings, sign-offs, added sentences, one-word edits, team signatures).

Data only; :mod:`caselog.sample._generate` fills the ``{field}`` placeholders.
"""

from __future__ import annotations

from ._teams import AHS, BR, CAP, CAT, ESR, PAY, PQ, SP, SS

_TEAM_SIGNATURE = {
    SS: "Selling Partner Support", AHS: "Account Health Services", SP: "Seller Performance",
    PQ: "Product Quality", CAT: "Catalog Support", ESR: "Executive Seller Relations",
    CAP: "Account Health Specialist Team", BR: "Brand Registry Support", PAY: "Seller Payments",
}

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

