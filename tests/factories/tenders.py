"""Factories of the tenders app (re-exported by tests.factories).

``ProcurementCallFactory`` writes a call row in the status asked for (published by default,
deadline in ``deadline_days``): the way tests build the calls they look at. A test about the
lifecycle itself builds its calls through ``tenders.services`` (which also record the history).
CPV codes are codes of the reference data the suite loads (``main_cpv_id="31711420"``,
``additional_cpv=["31711424"]``).
"""

from datetime import timedelta

import factory
from django.utils import timezone

from tenders.models import (
    Amendment,
    Award,
    CallDocument,
    Clarification,
    ExpressionOfInterest,
    Lot,
    ProcurementCall,
    SavedSearch,
)

from .organisations import InfrastructureFactory, OrganisationFactory, UserFactory

__all__ = [
    "AmendmentFactory",
    "AwardFactory",
    "CallDocumentFactory",
    "ClarificationFactory",
    "ExpressionOfInterestFactory",
    "LotFactory",
    "ProcurementCallFactory",
    "SavedSearchFactory",
]

Status = ProcurementCall.Status


class ProcurementCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcurementCall
        skip_postgeneration_save = True

    class Params:
        deadline_days = 20

    buyer = factory.SubFactory(InfrastructureFactory)
    title = "Gyrotron RF source prototype"
    description = "A 170 GHz continuous-wave gyrotron for plasma heating."
    main_cpv_id = "31711420"
    status = Status.PUBLISHED
    tender_period_end = factory.LazyAttribute(
        lambda o: timezone.now() + timedelta(days=o.deadline_days)
    )
    enquiry_period_end = factory.LazyAttribute(
        lambda o: (
            o.tender_period_end - timedelta(days=min(5, o.deadline_days / 2))
            if o.tender_period_end
            else None
        )
    )
    published_at = factory.LazyAttribute(
        lambda o: None if o.status == Status.DRAFT else timezone.now()
    )

    @factory.post_generation
    def additional_cpv(self, create, extracted, **kwargs):
        if create and extracted:
            self.additional_cpv.set(list(extracted))


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    call = factory.SubFactory(ProcurementCallFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Lot {n + 1}")


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    call = factory.SubFactory(ProcurementCallFactory, status=Status.AWARDED)
    supplier_name = "Winner GmbH"


class CallDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallDocument

    call = factory.SubFactory(ProcurementCallFactory)
    title = "Technical specification"
    url = "https://example.org/specification.pdf"


class ClarificationFactory(factory.django.DjangoModelFactory):
    """A question (unanswered unless ``answer`` is given)."""

    class Meta:
        model = Clarification

    call = factory.SubFactory(ProcurementCallFactory)
    question = "Is the superconducting magnet part of the supply?"
    asked_by = factory.SubFactory(UserFactory)
    answer = ""
    answered_at = factory.LazyAttribute(lambda o: timezone.now() if o.answer else None)


class ExpressionOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpressionOfInterest

    call = factory.SubFactory(ProcurementCallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    submitted_by = factory.SubFactory(UserFactory)
    message = "We build gyrotron magnets."


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    call = factory.SubFactory(ProcurementCallFactory)
    field = "title"
    field_label = "title"
    old_value = "Before"
    new_value = "After"


class SavedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedSearch

    user = factory.SubFactory(UserFactory)
    name = "RF sources"
    querystring = "cpv=31"
    frequency = SavedSearch.Frequency.DAILY
