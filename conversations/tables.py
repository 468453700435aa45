from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.tables import Column, Table


class ConversationTable(Table):
    caption = _("Your conversations")
    caption_hidden = True
    empty_text = _(
        "No conversation yet: write to an officer from your expression of interest, or to a "
        "company from its expression of interest in your call; an interest in a technology "
        "offer opens one too."
    )
    columns = [
        Column(_("Conversation"), template="conversations/cells/subject.html"),
        Column(_("With"), template="conversations/cells/parties.html"),
        Column(_("Last message"), "last_message_at", format="datetime"),
    ]
