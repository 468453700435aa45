"""How the portal's accounts behave where allauth leaves a choice (``ACCOUNT_ADAPTER``)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed log-ins are counted per account AND client address together.

        allauth counts them per address (``10/m/ip``: an attacker's address is blocked) and per
        account (``5/5m/key``); counted per account alone, five wrong guesses by anyone lock the
        owner out of their own account, with the right password, for five minutes. Keyed by
        account and address, an attacker's guesses block the attacker's address, never the
        owner's log-in from elsewhere. (Behind the production TLS proxy the address is the
        client's, from ``X-Forwarded-For``: ``ALLAUTH_TRUSTED_PROXY_COUNT``.)
        """
        key = super()._get_login_attempts_cache_key(request, **credentials)
        try:
            address = self.get_client_ip(request)
        except Exception:  # no address at all (a test client): the account alone
            address = ""
        return f"{key}:{address}"

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's own mails (verify an address, reset a password) are about the account
        itself, not news for the notification centre: they say so in a header, which the
        suite's check that every mail has its notification reads."""
        headers = {**(headers or {}), ACCOUNT_MAIL_HEADER: template_prefix.rsplit("/", 1)[-1]}
        return super().render_mail(template_prefix, email, context, headers=headers)


#: the header that marks allauth's account mails (see ``AccountAdapter.render_mail``)
ACCOUNT_MAIL_HEADER = "X-Portal-Account-Mail"
