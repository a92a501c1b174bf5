"""Which e-mail addresses are Amazon's, and which Amazon team each one is.

:class:`AmazonAddresses` is plain data the user extends: the domains that make a sender Amazon,
the address (or its local part) -> team table, the display name -> team table, the marketing
senders whose mail is not case correspondence, and addresses that are the seller side whatever
their domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from email.utils import getaddresses, parseaddr
from types import MappingProxyType

from ..errors import ConfigError
from ..schema import TEAMS
from ._aliases import normalise_key

__all__ = ["AmazonAddresses", "AMAZON_DOMAINS", "TEAM_BY_ADDRESS", "TEAM_BY_DISPLAY_NAME"]

#: a sender at one of these domains, or at a subdomain of one (marketplace.amazon.de), is Amazon
AMAZON_DOMAINS: tuple[str, ...] = (
    "amazon.com", "amazon.co.uk", "amazon.de", "amazon.fr", "amazon.it", "amazon.es",
    "amazon.ca", "amazon.com.mx", "amazon.com.br", "amazon.in", "amazon.co.jp", "amazon.com.au",
    "amazon.nl", "amazon.se", "amazon.pl", "amazon.com.be", "amazon.com.tr", "amazon.ae",
    "amazon.sa", "amazon.sg", "amazon.eg", "amazon.ie",
)

#: address or local part (before the @, any Amazon domain) -> team
TEAM_BY_ADDRESS: Mapping[str, str] = MappingProxyType({
    "seller-performance": "Seller Performance",
    "performance-notifications": "Seller Performance",
    # the notice (intellectual-property complaint) team belongs to Seller Performance
    "notice": "Seller Performance",
    "notice-dispute": "Seller Performance",
    "pq-product-review": "Product Quality",
    "product-quality": "Product Quality",
    "seller-support": "Seller Support",
    "sellersupport": "Seller Support",
    "selling-partner-support": "Seller Support",
    "seller-answers": "Seller Support",
    "jeff": "Executive Seller Relations",
    "jeff-bezos": "Executive Seller Relations",
    "jassy": "Executive Seller Relations",
    "andy-jassy": "Executive Seller Relations",
    "executive-seller-relations": "Executive Seller Relations",
    "esr": "Executive Seller Relations",
    "account-health": "Account Health Services",
    "accounthealth": "Account Health Services",
    "account-health-support": "Account Health Services",
    "ahs": "Account Health Services",
    "catalog-team": "Catalog",
    "catalog": "Catalog",
    "brand-registry": "Brand Registry",
    "brandregistry": "Brand Registry",
    "seller-payments": "Payments",
    "payments": "Payments",
    "captive-team": "Captive Team",
})

#: display name (compared as :func:`caselog.aliases.normalise_key`, also as a part) -> team
TEAM_BY_DISPLAY_NAME: Mapping[str, str] = MappingProxyType({
    "Selling Partner Support": "Seller Support",
    "Seller Support": "Seller Support",
    "Seller Central Support": "Seller Support",
    "Seller Performance": "Seller Performance",
    "Notice Dispute": "Seller Performance",
    "Product Quality": "Product Quality",
    "Executive Seller Relations": "Executive Seller Relations",
    "Jeff Bezos": "Executive Seller Relations",
    "Andy Jassy": "Executive Seller Relations",
    "Account Health": "Account Health Services",
    "Brand Registry": "Brand Registry",
    "Catalog Team": "Catalog",
    "Seller Payments": "Payments",
    "Captive Team": "Captive Team",
})

#: local parts of Amazon senders whose mail is marketing, not case correspondence
MARKETING_LOCAL_PARTS: tuple[str, ...] = (
    "marketing", "newsletter", "news", "seller-news", "sellernews", "seller-news-us",
    "promotions", "offers", "deals", "store-news", "events", "webinars", "surveys", "survey",
    "no-reply-marketing", "selling-partner-news",
)

#: local parts of Amazon senders of shop mail (a purchase's order and shipping mails)
ORDER_LOCAL_PARTS: tuple[str, ...] = (
    "auto-confirm", "shipment-tracking", "order-update", "digital-no-reply", "returns",
    "payments-messages",
)


def _addr(address: str) -> str:
    bare = address.strip()
    if "<" not in bare and " " not in bare and '"' not in bare:  # already a bare address
        return bare.lower()
    return parseaddr(address)[1].strip().lower() or bare.lower()


@dataclass(frozen=True)
class AmazonAddresses:
    """The Amazon address -> team table (configuration; build variants with ``with_*``).

    Attributes
    ----------
    amazon_domains : tuple of str
        A sender at one of these domains or a subdomain of one is Amazon.
    team_by_address : mapping
        Full address (``jeff@amazon.com``) or local part (``seller-performance``) -> team.
    team_by_display_name : mapping
        Display name -> team; a name containing a key (``Amazon Seller Performance Team``)
        matches too.
    marketing_local_parts, order_local_parts : tuple of str
        Amazon senders whose mail is marketing, or a purchase's order mail: not case mail.
    seller_addresses : tuple of str
        Addresses or domains that are the seller side even at an Amazon domain.

    Examples
    --------
    >>> a = AmazonAddresses().with_team("appeals@amazon.de", "Seller Performance")
    >>> a.team_of("Amazon <appeals@amazon.de>"), a.is_amazon("x@marketplace.amazon.de")
    ('Seller Performance', True)
    >>> AmazonAddresses().team_of('"Selling Partner Support" <no-reply@amazon.com>')
    'Seller Support'
    """

    amazon_domains: tuple[str, ...] = AMAZON_DOMAINS
    team_by_address: Mapping[str, str] = field(default_factory=lambda: TEAM_BY_ADDRESS)
    team_by_display_name: Mapping[str, str] = field(default_factory=lambda: TEAM_BY_DISPLAY_NAME)
    marketing_local_parts: tuple[str, ...] = MARKETING_LOCAL_PARTS
    order_local_parts: tuple[str, ...] = ORDER_LOCAL_PARTS
    seller_addresses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for table in (self.team_by_address, self.team_by_display_name):
            bad = sorted({t for t in table.values() if t not in TEAMS})
            if bad:
                raise ConfigError(f"AmazonAddresses: unknown team(s) {bad}; teams are {list(TEAMS)}")
        object.__setattr__(self, "amazon_domains", tuple(d.lower().lstrip("@.") for d in self.amazon_domains))
        object.__setattr__(self, "seller_addresses", tuple(_addr(a).lstrip("@") for a in self.seller_addresses))
        object.__setattr__(self, "team_by_address", MappingProxyType({k.lower(): v for k, v in self.team_by_address.items()}))
        object.__setattr__(self, "_names", tuple(
            sorted(((normalise_key(k), v) for k, v in self.team_by_display_name.items()), key=lambda kv: -len(kv[0]))
        ))

    # ------------------------------------------------------------------ variants
    def with_team(self, address: str, team: str) -> AmazonAddresses:
        """A copy where ``address`` (full address or local part) means ``team``."""
        return replace(self, team_by_address={**self.team_by_address, address.strip().lower(): team})

    def with_display_name(self, name: str, team: str) -> AmazonAddresses:
        """A copy where display name ``name`` means ``team``."""
        return replace(self, team_by_display_name={**self.team_by_display_name, name: team})

    def with_domains(self, domains: Iterable[str], *, replace_defaults: bool = False) -> AmazonAddresses:
        """A copy with more Amazon domains (or only ``domains`` with ``replace_defaults=True``)."""
        extra = tuple(domains)
        return replace(self, amazon_domains=extra if replace_defaults else self.amazon_domains + extra)

    def with_seller_addresses(self, addresses: Iterable[str]) -> AmazonAddresses:
        """A copy where ``addresses`` (or domains) are the seller side whatever their domain."""
        return replace(self, seller_addresses=self.seller_addresses + tuple(addresses))

    # ------------------------------------------------------------------ questions
    def is_amazon(self, address: str) -> bool:
        """Whether ``address`` (``"Name <a@b>"`` or ``a@b``) is an Amazon sender."""
        a = _addr(address)
        local, _, domain = a.rpartition("@")
        if not domain or a in self.seller_addresses or domain in self.seller_addresses:
            return False
        return any(domain == d or domain.endswith("." + d) for d in self.amazon_domains)

    def team_of(self, address: str, display_name: str | None = None) -> str | None:
        """The team of an Amazon address (exact address, then local part, then display name)."""
        if "<" in address or " " in address.strip():
            name, a = parseaddr(address)
        else:
            name, a = "", address
        a = a.strip().lower() or address.strip().lower()
        if display_name is None:
            display_name = name
        local = a.partition("@")[0]
        team = self.team_by_address.get(a) or self.team_by_address.get(local)
        if team is None and local:
            # "seller-performance-de", "notice-dispute+1234": the longest known prefix
            base = local.split("+", 1)[0]
            hits = [k for k in self.team_by_address if "@" not in k and (base == k or base.startswith(k + "-"))]
            if hits:
                team = self.team_by_address[max(hits, key=len)]
        if team is None and display_name:
            key = normalise_key(display_name)
            for k, v in self._names:  # type: ignore[attr-defined]
                if k and k in key:
                    return v
        return team

    def is_marketing(self, address: str) -> bool:
        """Whether an Amazon ``address`` sends marketing (not case mail)."""
        local = _addr(address).partition("@")[0]
        return self.is_amazon(address) and (
            local in self.marketing_local_parts or any(local.startswith(p + "-") for p in self.marketing_local_parts)
        )

    def is_order_mail(self, address: str) -> bool:
        """Whether an Amazon ``address`` sends a purchase's order or shipping mail."""
        local = _addr(address).partition("@")[0]
        return self.is_amazon(address) and local in self.order_local_parts

    def amazon_recipient_team(self, *headers: str) -> str | None:
        """The team of the first Amazon address in the ``To``/``Cc`` header values."""
        for name, a in getaddresses([h for h in headers if h]):
            if a and self.is_amazon(a):
                team = self.team_of(a, name)
                if team:
                    return team
        return None
