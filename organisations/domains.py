"""Whether an e-mail address belongs to an organisation's website (pure: no Django, no ORM).

A company claims its imported profile with a verified address of its own domain: the address's
domain is the website's *registrable domain* or a subdomain of it, as the Public Suffix List
(the ``publicsuffixlist`` package, which ships the list: nothing is fetched) draws it.
``https://shop.nordcryo.co.uk/`` takes ``anna@nordcryo.co.uk`` and ``anna@mail.nordcryo.co.uk``,
never ``anna@other.co.uk``; ``https://nordcryo.github.io/`` takes only ``@nordcryo.github.io``
(``github.io`` is a suffix of the list's private section, like a country ending).

An address of a free-mail provider proves nothing about who works where, so it is refused even
when a website were hosted on such a domain. A host under an ending the list does not know (the
demo's ``nordcryo.demo.example``, an intranet name) keeps the stricter rule: the host itself
(``www.`` aside) and its subdomains, so that it never lends its claim to ``@*.demo.example``.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

#: domains of free-mail providers (any address there proves nothing about an employer)
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "rocketmail.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "web.de",
        "t-online.de",
        "mail.com",
        "mail.ru",
        "yandex.com",
        "yandex.ru",
        "zoho.com",
        "tutanota.com",
        "fastmail.com",
        "libero.it",
        "laposte.net",
        "orange.fr",
        "free.fr",
        "wp.pl",
        "o2.pl",
        "seznam.cz",
        "qq.com",
        "163.com",
    }
)
#: the providers' names, whatever the country's ending (``yahoo.co.uk``, ``hotmail.fr``)
FREE_MAIL_NAMES = frozenset({"gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "gmx"})


def email_domain(email: str) -> str:
    """The domain of an address, lower case, without a trailing dot ("" when there is none)."""
    _local, at, domain = (email or "").strip().rpartition("@")
    return domain.lower().rstrip(".") if at else ""


def website_domain(website: str) -> str:
    """The host of a website address, lower case, without ``www.`` ("" when there is none)."""
    website = (website or "").strip()
    if not website:
        return ""
    if "://" not in website:
        website = f"https://{website}"
    host = (urlsplit(website).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


@cache
def _suffixes() -> PublicSuffixList:
    # accept_unknown=False: an ending the list does not know is no public suffix (see above)
    return PublicSuffixList(accept_unknown=False)


def claim_domain(website: str) -> str:
    """The domain whose addresses may claim a profile with this website: its registrable
    domain when the list knows the ending, else the host ("" when there is none)."""
    host = website_domain(website)
    if not host:
        return ""
    return _suffixes().privatesuffix(host) or host


def is_free_mail(domain: str) -> bool:
    """An address of a free-mail provider (``gmail.com``, ``outlook.com``, ``yahoo.co.uk``...)."""
    domain = domain.lower()
    labels = domain.split(".")
    for start in range(len(labels) - 1):
        if ".".join(labels[start:]) in FREE_MAIL_DOMAINS:
            return True
    # the provider's name as the label before a country ending: yahoo.fr, hotmail.co.uk
    return any(label in FREE_MAIL_NAMES for label in labels[-3:-1])


def address_at_website(email: str, website: str) -> bool:
    """``email`` is at the website's claim domain or one of its subdomains, and not free mail."""
    domain, site = email_domain(email), claim_domain(website)
    if not domain or not site or "." not in site or is_free_mail(domain):
        return False
    return domain == site or domain.endswith(f".{site}")
