"""Django's ``makemessages``, also extracting the sentences the pure cores translate through a
``t(template, **values)`` of their own (``matchmaking.engine.explain``: no Django import there,
so no ``gettext`` call xgettext would find). Run by ``scripts/messages.sh`` (``make messages``)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=t"]
