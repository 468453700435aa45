"""Receivers of the lower apps' signals: what they did that opens a conversation."""

from __future__ import annotations

from . import services


def on_interest_expressed(sender, interest, user, **kwargs) -> None:
    """An interest in a technology offer was expressed: its conversation opens, the interest's
    message first (in the transaction of ``innovation.services.interest_express``)."""
    services.conversation_open(
        about=interest, user=user, organisation=interest.organisation, body=interest.message
    )
