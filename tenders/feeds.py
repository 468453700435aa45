"""RSS and Atom feeds of any filtered calls list (same querystring as the list page)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from bigscience_portal.core.mail import one_line

from . import selectors

FEED_SIZE = 50


class CallsFeed(Feed):
    def get_object(self, request, *args, **kwargs):
        return request

    def title(self, request):
        return _("Procurement calls · %(site)s") % {"site": settings.SITE_NAME}

    def link(self, request):
        query = request.GET.urlencode()
        url = reverse("tenders:call_list")
        return f"{url}?{query}" if query else url

    def description(self, request):
        return _("Calls published by research infrastructures, matching the list's filters.")

    def items(self, request):
        queryset, _filterset = selectors.call_search(
            user=request.user, params=request.GET, request=request
        )
        return list(queryset[:FEED_SIZE])

    def item_title(self, item):
        """Plain text; readers that take titles for HTML get no markup to run."""
        return one_line(item.title).replace("<", "&lt;").replace(">", "&gt;")

    def item_description(self, item):
        """Feed readers render descriptions as HTML (Atom: ``type="html"``): the call's texts go
        in escaped, as text, with line breaks kept."""
        deadline = (
            item.tender_period_end.strftime("%Y-%m-%d %H:%M UTC") if item.tender_period_end else "-"
        )
        head = f"{item.buyer.name} · {item.get_stage_display()} · {_('deadline')} {deadline}"
        return linebreaksbr(escape(f"{head}\n\n{Truncator(item.description).words(80)}"))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.buyer.name

    def item_categories(self, item):
        return item.cpv_codes


class CallsAtomFeed(CallsFeed):
    feed_type = Atom1Feed

    def subtitle(self, request):
        return self.description(request)
