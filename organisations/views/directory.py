"""The public directory: the filtered list, an organisation's page, the CPV and NACE code search."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.pagecache import cached_for_visitors, public_pages

from .. import code_search, permissions, selectors
from ..code_labels import CodeLabel, labelled
from ..filtersets import OrganisationFilterSet
from ..forms import CodeLookupForm
from ..models import Organisation
from ..panels import organisation_page
from ..tables import CodeTable, ReferenceTable


@dataclass(frozen=True, slots=True)
class DirectoryRow:
    """What one directory row shows, computed once in Python (cheaper than template lookups)."""

    name: str
    url: str
    kind: str
    place: str
    size: str
    is_draft: bool
    verified_by: str | None
    clusters: list[str]
    capabilities: str
    cpv: list[CodeLabel]
    more_cpv: int
    certifications: list[str]


#: CPV codes a directory row shows, each with its label (the rest are counted)
ROW_CODES = 4


def directory_row(org: Organisation) -> DirectoryRow:
    """The row of one organisation of :func:`selectors.directory_queryset` (uses its prefetches)."""
    cache = getattr(org, "_prefetched_objects_cache", {})
    cpv = cache.get("cpv_codes")
    certs = cache.get("certifications")
    cpv = list(cpv if cpv is not None else org.cpv_codes.all())
    certs = list(certs if certs is not None else org.certifications.all())
    country = org.country
    verified_by = (
        (org.verified_by_cluster.name if org.verified_by_cluster_id else "")
        if org.verified_at
        else None
    )
    return DirectoryRow(
        name=org.display_name,
        url=org.get_absolute_url(),
        kind=org.get_kind_display(),
        place=str(country.name) if country else "",
        size=org.size_class.capitalize() if org.size_class else "",
        is_draft=org.status == Organisation.Status.DRAFT,
        verified_by=verified_by,
        # the cluster that verified it is named once, in the "verified by" badge
        clusters=[
            cm.cluster.name
            for cm in getattr(org, "approved_clusters", [])
            if cm.cluster.name != verified_by
        ],
        capabilities=Truncator(org.capabilities).words(30),
        cpv=labelled(cpv[:ROW_CODES]),  # in the reader's language, read by the prefetch
        more_cpv=max(0, len(cpv) - ROW_CODES),
        certifications=[c.name for c in certs],
    )


class OrganisationListView(PortalListView):
    """The directory: filters, search, sorting and pagination all kept in the URL.

    The number of queries does not depend on the page size: the queryset prefetches what a row
    shows, and the rows are built in Python once.
    """

    template_name = "organisations/organisation_list.html"
    filterset_class = OrganisationFilterSet
    context_object_name = "rows"
    page_cache = public_pages

    def get_queryset(self):
        return selectors.directory_queryset(self.request.user)

    def get_rows(self, page) -> list[DirectoryRow]:
        return [directory_row(org) for org in page.object_list]

    def get_context_data(self, **context) -> dict:
        context = super().get_context_data(**context)
        context["can_create"] = permissions.can_create_organisation(self.request.user)
        return context


@require_GET
@cached_for_visitors(public_pages)
def organisation_detail(request, slug):
    organisation = selectors.organisation_detail(request.user, slug)
    if organisation is None:
        raise Http404(_("No such organisation."))
    user = request.user
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "panels": organisation_page.render(request, organisation),
            "members": (
                selectors.published_members(organisation) if organisation.is_cluster else []
            ),
            "references": ReferenceTable(organisation.references.all(), request=request),
            "can_edit": permissions.can_edit_organisation(user, organisation),
            "can_verify": permissions.can_verify_organisation(user, organisation),
            "can_manage_people": permissions.can_manage_people(user, organisation),
            "can_manage_cluster": permissions.can_manage_cluster(user, organisation),
            "can_request_cluster": permissions.can_request_cluster_membership(user, organisation),
            "can_request_to_join": permissions.can_request_to_join(user, organisation),
            # offered to whom holds an address at its domain, and to newcomers (the page says
            # what the claim needs); not to every manager or member of other organisations
            "can_claim": permissions.can_claim_profile(user, organisation)
            and (
                bool(selectors.claim_addresses(user, organisation))
                or not permissions.member_organisations(user).exists()
            ),
            "can_invite_members": permissions.can_invite_members_of(user, organisation),
        },
    )


# --- code pickers -------------------------------------------------------------------------------


def _codes_json(codes) -> JsonResponse:
    """The codes with their labels in the request's language (LocaleMiddleware: the language
    cookie, else the browser's), English where there is none."""
    return JsonResponse(
        {"results": [{"code": c.code, "label": c.label_in(), "level": c.level} for c in codes]}
    )


@require_GET
def cpv_search(request):
    """JSON matches for the type-ahead: ``?q=vacuum`` or ``?q=4212``."""
    return _codes_json(code_search.cpv_search(request.GET.get("q", "")))


@require_GET
def nace_search(request):
    return _codes_json(code_search.nace_search(request.GET.get("q", "")))


@require_GET
def code_lookup(request, scheme):
    """Server-rendered code search, for those without JavaScript."""
    form = CodeLookupForm(request.GET or None, scheme=scheme)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    search = code_search.cpv_search if scheme == "cpv" else code_search.nace_search
    return render(
        request,
        "organisations/code_lookup.html",
        {
            "scheme": scheme,
            "form": form,
            "query": query,
            "table": CodeTable(search(query, limit=100), request=request),
            "action": reverse(f"organisations:{scheme}_lookup"),
        },
    )
