"""Data exchange views: the staff upload of TED notices, OCDS releases and release packages."""

from __future__ import annotations

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tenders.importers import ImportOutcome, ted_file_import
from tenders.models import Award, Lot, ProcurementCall
from tenders.notices import (
    MAX_NOTICE_BYTES,
    AwardData,
    CallData,
    DocumentData,
    LotData,
    OrganisationData,
    build_release,
    release_package,
)

#: Statuses exported as OCDS (drafts are never exposed).
EXPORTED_STATUSES = (
    ProcurementCall.Status.PUBLISHED,
    ProcurementCall.Status.CLOSED,
    ProcurementCall.Status.AWARDED,
    ProcurementCall.Status.CANCELLED,
)
#: Releases per package page; ``?page=2`` gives the next ones (``Link: rel=next`` header).
PACKAGE_PAGE_SIZE = 500
MAX_UPLOAD_FILES = 100


def ocid_prefix() -> str:
    return getattr(settings, "OCDS_OCID_PREFIX", "ocds-bigsci")


# --------------------------------------------------------------------------- TED upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class TedUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("TED notices (XML)"),
        help_text=_("One or more TED XML R2.0.9 notice files, each at most %(size)s MB.")
        % {"size": MAX_NOTICE_BYTES // (1024 * 1024)},
        widget=MultipleFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError(_("Choose at least one file."))
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(
                _("At most %(n)d files at a time.") % {"n": MAX_UPLOAD_FILES}
            )
        return files


def _read_upload(upload) -> ImportOutcome | bytes:
    if upload.size > MAX_NOTICE_BYTES:
        return ImportOutcome(
            filename=upload.name,
            action="refused",
            reason=f"file is {upload.size:,} bytes, above the limit of {MAX_NOTICE_BYTES:,} bytes",
            code="too_large",
        )
    return upload.read()


@login_required
def ted_upload(request: HttpRequest) -> HttpResponse:
    """Staff upload TED notices; the page reports what happened to each file."""
    if not request.user.is_staff:
        raise PermissionDenied
    outcomes: list[ImportOutcome] = []
    if request.method == "POST":
        form = TedUploadForm(request.POST, request.FILES)
        if form.is_valid():
            for upload in form.cleaned_data["files"]:
                data = _read_upload(upload)
                if isinstance(data, ImportOutcome):
                    outcomes.append(data)
                else:
                    outcomes.append(ted_file_import(data=data, filename=upload.name))
            form = TedUploadForm()
    else:
        form = TedUploadForm()
    counts = Counter(o.action for o in outcomes)
    return render(
        request,
        "tenders/exchange/ted_upload.html",
        {"form": form, "outcomes": outcomes, "counts": counts},
        status=200,
    )


# --------------------------------------------------------------------------- OCDS


def _exportable():
    return (
        ProcurementCall.objects.filter(status__in=EXPORTED_STATUSES)
        .select_related("buyer", "main_cpv")
        .prefetch_related(
            "additional_cpv",
            Prefetch("lots", queryset=Lot.objects.prefetch_related("cpv_codes")),
            Prefetch("awards", queryset=Award.objects.select_related("supplier")),
            "documents",
        )
    )


def _org_data(org) -> OrganisationData:
    return OrganisationData(
        id=f"org-{org.pk}",
        name=org.name,
        country=org.country.code if org.country else None,
        country_name=org.country.name if org.country else None,
        town=org.city or None,
        url=org.website or None,
        email=org.email or None,
    )


def call_data(call: ProcurementCall, request: HttpRequest | None = None) -> CallData:
    """The plain-data view of a call the OCDS builder takes (needs ``_exportable()`` prefetches)."""
    additional = list(call.additional_cpv.all())
    cpv_codes = ([call.main_cpv_id] if call.main_cpv_id else []) + [
        c.code for c in additional if c.code != call.main_cpv_id
    ]
    labels = {c.code: c.label for c in additional}
    if call.main_cpv_id:
        labels[call.main_cpv_id] = call.main_cpv.label
    lots = list(call.lots.all())
    lot_numbers = {lot.number for lot in lots}
    for lot in lots:
        for c in lot.cpv_codes.all():
            labels.setdefault(c.code, c.label)

    def absolute(url: str) -> str:
        if url.startswith(("http://", "https://")):
            return url
        return request.build_absolute_uri(url) if request else settings.SITE_URL + url

    documents = []
    for doc in call.documents.all():
        # Uploaded files are served by the call's document view (MEDIA_URL is not served).
        url = doc.url or (
            reverse("tenders:call_document", kwargs={"pk": call.pk, "doc_pk": doc.pk})
            if doc.file
            else ""
        )
        documents.append(
            DocumentData(
                id=str(doc.pk),
                title=doc.title,
                url=absolute(url) if url else None,
                document_type="biddingDocuments",
                date_published=doc.created_at,
            )
        )
    awards = []
    for award in call.awards.all():
        supplier = (
            _org_data(award.supplier)
            if award.supplier
            else OrganisationData(
                id=f"supplier-{award.pk}",
                name=award.supplier_name,
                country=award.supplier_country.code if award.supplier_country else None,
                country_name=award.supplier_country.name if award.supplier_country else None,
            )
        )
        awards.append(
            AwardData(
                id=str(award.pk),
                suppliers=[supplier],
                value=award.value_amount,
                currency=award.value_currency,
                date=award.date,
                title=award.contract_number or None,
                lot_ids=[award.lot_number] if award.lot_number in lot_numbers else [],
            )
        )
    return CallData(
        ocid_prefix=ocid_prefix(),
        id=str(call.pk),
        title=call.title,
        status=call.status,
        buyer=_org_data(call.buyer),
        date=call.updated_at,
        reference=call.reference or None,
        description=call.description or None,
        main_category=call.main_procurement_category or None,
        procedure=call.procurement_method or None,
        cpv_codes=cpv_codes,
        cpv_labels=labels,
        value=call.value_amount,
        currency=call.value_currency or None,
        lots=[
            LotData(
                id=lot.number,
                title=lot.title or f"Lot {lot.number}",
                description=lot.description or None,
                value=lot.value_amount,
                currency=call.value_currency or None,
                cpv_codes=[c.code for c in lot.cpv_codes.all()],
            )
            for lot in lots
        ],
        published_at=call.published_at,
        submission_deadline=call.tender_period_end,
        clarification_deadline=call.enquiry_period_end,
        eligibility_criteria=call.selection_criteria or None,
        documents=documents,
        awards=awards,
        language=call.language or "en",
    )


def _json(data: dict, filename: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def call_release(request: HttpRequest, pk: int) -> JsonResponse:
    """The call as an OCDS 1.1 release; drafts do not exist here, for anyone."""
    call = _exportable().filter(pk=pk).first()
    if call is None:
        raise Http404("No such published call.")
    return _json(build_release(call_data(call, request)), f"call-{pk}-ocds.json")


def _filtered(request: HttpRequest):
    """The calls of the list page for the same query string (its FilterSet when there is one)."""
    base = _exportable()
    try:
        from tenders.filtersets import CallFilterSet
    except ImportError:  # pragma: no cover - the calls list ships its FilterSet
        CallFilterSet = None
    if CallFilterSet is not None:
        filterset = CallFilterSet(request.GET, queryset=base, request=request)
        if not filterset.is_valid():
            return None
        return filterset.qs
    qs = base
    params = request.GET
    if params.get("status"):
        qs = qs.filter(status__in=params.getlist("status"))
    elif not params.get("include_closed"):
        qs = qs.filter(status=ProcurementCall.Status.PUBLISHED).filter(
            Q(tender_period_end__isnull=True) | Q(tender_period_end__gt=timezone.now())
        )
    if params.get("buyer"):
        qs = qs.filter(buyer__slug__in=params.getlist("buyer"))
    if params.get("stage"):
        qs = qs.filter(stage__in=params.getlist("stage"))
    if params.get("cpv"):
        qs = qs.filter(main_cpv__prefix__startswith=params["cpv"][:8].rstrip("0") or "0")
    if params.get("q"):
        qs = qs.filter(title__icontains=params["q"])
    return qs


@require_GET
def calls_package(request: HttpRequest) -> JsonResponse:
    """An OCDS 1.1 release package of the calls a list query string selects (drafts excluded)."""
    qs = _filtered(request)
    if qs is None:
        return JsonResponse({"error": "invalid filter parameters"}, status=400)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    start = (page - 1) * PACKAGE_PAGE_SIZE
    calls = list(qs[start : start + PACKAGE_PAGE_SIZE + 1])
    has_next = len(calls) > PACKAGE_PAGE_SIZE
    calls = calls[:PACKAGE_PAGE_SIZE]
    releases = [build_release(call_data(call, request)) for call in calls]
    package = release_package(
        releases,
        uri=request.build_absolute_uri(),
        published_date=timezone.now(),
        publisher={"name": "Big Science industry matchmaking portal", "uri": settings.SITE_URL},
    )
    response = _json(package, "calls-ocds.json")
    if has_next:
        params = request.GET.copy()
        params["page"] = str(page + 1)
        next_url = request.build_absolute_uri(
            reverse("tenders:calls_ocds") + "?" + params.urlencode()
        )
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


__all__ = ["call_data", "call_release", "calls_package", "ted_upload"]
