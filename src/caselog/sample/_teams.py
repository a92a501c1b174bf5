"""Team and category names the sample generator writes (the canonical spellings of ``schema``)."""

from __future__ import annotations

SS, AHS = "Seller Support", "Account Health Services"
SP, PQ = "Seller Performance", "Product Quality"
CAT, ESR, CAP = "Catalog", "Executive Seller Relations", "Captive Team"
BR, PAY = "Brand Registry", "Payments"

SUSP, PAYC, LIST = "Account suspension", "Delayed payment", "Listing suppression"
POL, TECH, ROUT = "Policy violation", "Technical problem", "Routine inquiry"
