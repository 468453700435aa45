"""Partnership opportunities through the services: review before publication (the
organisation's administrators; staff for an organisation that is not approved), an EEN-style
reference and a validity on publication; an offer past its expiry leaves the public list and
the matching."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery
from innovation import loaders, selectors, services
from innovation.models import OpportunityAttachment, OpportunityMatch, PartnershipOpportunity
from organisations.models import Approval
from tests.factories import InfrastructureFactory, OpportunityFactory, OpportunityMatchFactory

from .conftest import member

pytestmark = pytest.mark.django_db

Status = PartnershipOpportunity.Status
FIELDS = {
    "kind": PartnershipOpportunity.Kind.TECHNOLOGY_OFFER,
    "title": "Superconducting cavity coating",
    "summary": "Niobium-tin coating for SRF cavities.",
    "description": "A coating process for superconducting radio-frequency cavities.",
    "trl": 4,
    "visibility": PartnershipOpportunity.Visibility.PUBLIC,
}


def _draft(org, user, **extra):
    return services.opportunity_create(user=user, organisation=org, fields={**FIELDS, **extra})


def test_an_editors_draft_is_published_by_an_administrator(tto, tto_editor, tto_admin):
    draft = _draft(tto, tto_editor)
    with pytest.raises(ActionRefused, match="Submit it for review"):
        services.opportunity_publish(opportunity=draft, user=tto_editor)
    services.opportunity_submit(opportunity=draft, user=tto_editor)
    assert MailDelivery.objects.filter(to=tto_admin.email).exists()
    with pytest.raises(ActionRefused, match="administrators review"):
        services.opportunity_review(opportunity=draft, user=tto_editor, publish=True)
    services.opportunity_review(opportunity=draft, user=tto_admin, publish=True)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.reference.startswith("TODK")
    assert draft.expires_on > timezone.localdate() + timedelta(days=360)
    assert draft in selectors.opportunities_public()


def test_a_returned_draft_needs_the_reasons(tto, tto_editor, tto_admin):
    draft = _draft(tto, tto_editor)
    services.opportunity_submit(opportunity=draft, user=tto_editor)
    with pytest.raises(ActionRefused, match="Say why"):
        services.opportunity_review(opportunity=draft, user=tto_admin, publish=False, note=" ")
    services.opportunity_review(
        opportunity=draft, user=tto_admin, publish=False, note="Add the patent number."
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_staff_review_for_an_organisation_not_approved_yet(staff):
    pending = InfrastructureFactory(approval=Approval.PENDING)
    admin = member(pending, "admin")
    draft = _draft(pending, admin)
    with pytest.raises(ActionRefused):
        services.opportunity_publish(opportunity=draft, user=admin)
    services.opportunity_submit(opportunity=draft, user=admin)
    assert MailDelivery.objects.filter(to=staff.email).exists()
    with pytest.raises(ActionRefused, match="Staff review"):
        services.opportunity_review(opportunity=draft, user=admin, publish=True)
    services.opportunity_review(opportunity=draft, user=staff, publish=True)
    assert PartnershipOpportunity.objects.get(pk=draft.pk).status == Status.PUBLISHED


def test_an_offer_past_its_expiry_leaves_the_public_list_and_the_matching(db):
    live = OpportunityFactory(title="Live offer")
    lapsed = OpportunityFactory(
        title="Lapsed offer", expires_on=timezone.localdate() - timedelta(days=1)
    )
    last_day = OpportunityFactory(title="Last day", expires_on=timezone.localdate())
    public = set(PartnershipOpportunity.objects.public())
    assert public == {live, last_day}
    assert {p.id for p in loaders.load_opportunities()} == {live.pk, last_day.pk}
    assert loaders.load_opportunities([lapsed.pk]) == []
    # its stored matches go with the daily scan
    OpportunityMatchFactory(opportunity=lapsed)
    services.validity_scan()
    assert not OpportunityMatch.objects.filter(opportunity=lapsed).exists()


def test_renewal_gives_another_year_and_lists_it_again(tto, tto_editor):
    offer = OpportunityFactory(
        organisation=tto, expires_on=timezone.localdate() - timedelta(days=3)
    )
    assert offer not in PartnershipOpportunity.objects.public()
    services.opportunity_renew(opportunity=offer, user=tto_editor)
    offer.refresh_from_db()
    assert offer in PartnershipOpportunity.objects.public()
    with pytest.raises(ActionRefused, match="valid until"):
        services.opportunity_renew(opportunity=offer, user=tto_editor)


def test_reminder_and_expiry_notice_are_sent_once_each(tto, tto_editor):
    today = timezone.localdate()
    offer = OpportunityFactory(
        organisation=tto, contact=tto_editor, expires_on=today + timedelta(days=10)
    )
    assert services.validity_scan(today=today) == {"reminded": 1, "expired": 0}
    assert services.validity_scan(today=today) == {"reminded": 0, "expired": 0}
    later = today + timedelta(days=11)
    assert services.validity_scan(today=later) == {"reminded": 0, "expired": 1}
    assert services.validity_scan(today=later) == {"reminded": 0, "expired": 0}
    mails = MailDelivery.objects.filter(to=tto_editor.email).values_list("key", flat=True)
    assert len(mails) == 2 and len(set(mails)) == 2
    offer.refresh_from_db()
    assert offer.renewal_reminded_on == offer.expires_on == offer.expiry_noticed_on


def _pdf(name="flyer.pdf", size=None):
    data = b"%PDF-1.4 flyer" if size is None else b"%PDF-" + b"0" * (size - 5)
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (lambda: _pdf(size=5 * 1024 * 1024 + 1), "larger than 5 MB"),
        (lambda: SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "exe"),
        (lambda: SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script>"), "."),
    ],
    ids=["too-large", "wrong-type", "disguised-html"],
)
def test_a_refused_attachment_saves_nothing(tto, tto_editor, upload, reason):
    with pytest.raises(ActionRefused, match=reason):
        services.opportunity_create(
            user=tto_editor,
            organisation=tto,
            fields=FIELDS,
            attachments=[("Flyer", upload())],
        )
    assert not PartnershipOpportunity.objects.exists()
    assert not OpportunityAttachment.objects.exists()


def test_an_accepted_attachment_is_stored(tto, tto_editor):
    offer = services.opportunity_create(
        user=tto_editor, organisation=tto, fields=FIELDS, attachments=[("Flyer", _pdf())]
    )
    (attachment,) = offer.attachments.all()
    assert attachment.title == "Flyer" and attachment.size == 14
