from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Organisation


def organisation_list(request):
    """The directory of published organisations."""
    queryset = Organisation.objects.filter(status=Organisation.Status.PUBLISHED).order_by("name")
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(request, "organisations/organisation_list.html", {"page_obj": page})


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug, status=Organisation.Status.PUBLISHED)
    return render(request, "organisations/organisation_detail.html", {"organisation": organisation})
