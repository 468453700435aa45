"""Calls as OCDS 1.1 releases and release packages: the stored call mapped to the plain data
that the pure builder in ``tenders.notices.ocds`` turns into JSON.

The calls come from ``selectors.calls_exportable()`` (what a release needs is prefetched: the
query count of a package does not grow with its size).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import ProcurementCall
from .notices import (
    AwardData,
    CallData,
    DocumentData,
    EnquiryData,
    LotData,
    OrganisationData,
    build_release,
    release_package,
)

#: Makes a link absolute (a request's ``build_absolute_uri``, or the site's URL).
Absolute = Callable[[str], str]


def ocid_prefix() -> str:
    return getattr(settings, "OCDS_OCID_PREFIX", "ocds-bigsci")


def site_absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def _org_data(org) -> OrganisationData:
    """An organisation as OCDS names it; the contact point only of a published profile (a
    draft's e-mail and website are not public)."""
    public = org.status == org.Status.PUBLISHED
    return OrganisationData(
        id=f"org-{org.pk}",
        name=org.name,
        country=org.country.code if org.country else None,
        country_name=org.country.name if org.country else None,
        town=org.city or None,
        url=(org.website or None) if public else None,
        email=(org.email or None) if public else None,
    )


def _documents(call: ProcurementCall, absolute: Absolute) -> list[DocumentData]:
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
    return documents


def _awards(call: ProcurementCall, lot_numbers: set[str]) -> list[AwardData]:
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
                # the notice's registration number (eForms BT-501); its scheme is not given
                identifier_id=(award.supplier_identifiers or [None])[0],
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
    return awards


def _enquiries(call: ProcurementCall) -> list[EnquiryData]:
    """The answered questions as the public reads them: the question as published, never as
    asked (it may name its asker), and no author."""
    return [
        EnquiryData(
            id=str(q.pk),
            description=q.public_question,
            answer=q.answer,
            date=q.asked_at,
            date_answered=q.answered_at,
        )
        for q in call.clarifications.all()
        if q.is_answered
    ]


def call_data(call: ProcurementCall, absolute: Absolute = site_absolute) -> CallData:
    """The plain-data view of a call that the OCDS builder takes."""
    additional = list(call.additional_cpv.all())
    cpv_codes = ([call.main_cpv_id] if call.main_cpv_id else []) + [
        c.code for c in additional if c.code != call.main_cpv_id
    ]
    labels = {c.code: c.label for c in additional}
    if call.main_cpv_id:
        labels[call.main_cpv_id] = call.main_cpv.label
    lots = list(call.lots.all())
    for lot in lots:
        for c in lot.cpv_codes.all():
            labels.setdefault(c.code, c.label)
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
        documents=_documents(call, absolute),
        awards=_awards(call, {lot.number for lot in lots}),
        enquiries=_enquiries(call),
        language=call.language or "en",
    )


def call_release(call: ProcurementCall, absolute: Absolute = site_absolute) -> dict:
    """The call as one OCDS 1.1 release."""
    return build_release(call_data(call, absolute))


def calls_package(
    calls: Iterable[ProcurementCall], *, uri: str, absolute: Absolute = site_absolute
) -> dict:
    """The calls as an OCDS 1.1 release package published now at ``uri``."""
    return release_package(
        [call_release(call, absolute) for call in calls],
        uri=uri,
        published_date=timezone.now(),
        publisher={"name": "Big Science industry matchmaking portal", "uri": settings.SITE_URL},
    )
