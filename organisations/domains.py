"""Whether an e-mail address belongs to an organisation's website (pure: no Django, no ORM).

A company claims its imported profile with a verified address of its own domain: the address's
domain is the website's host (``www.`` aside) or a subdomain of it. ``https://nordcryo.example/``
takes ``anna@nordcryo.example`` and ``anna@mail.nordcryo.example``, never ``anna@gmail.com``:
an address of a free-mail provider proves nothing about who works where, so it is refused even
when a website were hosted on such a domain.

The rule is stricter than "the registrable domain": without the public-suffix list (not a
dependency of the portal) a site such as ``nordcryo.demo.example`` would otherwise lend its
claim to every ``@*.demo.example``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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
    """``email`` is at the website's domain or one of its subdomains, and not free mail."""
    domain, site = email_domain(email), website_domain(website)
    if not domain or not site or "." not in site or is_free_mail(domain):
        return False
    return domain == site or domain.endswith(f".{site}")
