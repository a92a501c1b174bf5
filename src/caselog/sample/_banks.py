"""What the seller writes in the sample, the subjects of the threads, and the values the
``{field}`` placeholders take (accounts, contacts, reps, buyers, suppliers, URLs, products, date
formats).

Data only; :mod:`caselog.sample._generate` draws from these banks.
"""

from __future__ import annotations

from ._teams import LIST, PAYC, POL, ROUT, SUSP, TECH

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

# --------------------------------------------------------------------------------------------
# Values of the {field} placeholders: accounts (and names for more of them), contacts, Amazon
# reps, buyers, suppliers, help-page URLs, products, ordinals, date formats
# --------------------------------------------------------------------------------------------
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
