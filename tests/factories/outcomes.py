"""Factories of the outcomes app (re-exported by tests.factories)."""

from decimal import Decimal

import factory
from django.utils import timezone

from outcomes.models import (
    Contribution,
    ContributionSource,
    ExchangeRate,
    FunnelStep,
    ReturnSettings,
)

from .organisations import InfrastructureFactory, OrganisationFactory, UserFactory
from .tenders import ProcurementCallFactory

__all__ = [
    "ContributionFactory",
    "ContributionSourceFactory",
    "ExchangeRateFactory",
    "FunnelStepFactory",
    "ReturnSettingsFactory",
]


class FunnelStepFactory(factory.django.DjangoModelFactory):
    """A step the company recorded itself (a bid unless told)."""

    class Meta:
        model = FunnelStep

    company = factory.SubFactory(OrganisationFactory)
    call = factory.SubFactory(ProcurementCallFactory)
    kind = FunnelStep.Kind.BID
    occurred_at = factory.LazyFunction(timezone.now)
    recorded_by = factory.SubFactory(UserFactory)


class ContributionSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributionSource

    infrastructure = factory.SubFactory(InfrastructureFactory)
    title = "Hand-made figures of a test"


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    source = factory.SubFactory(ContributionSourceFactory)
    infrastructure = factory.SelfAttribute("source.infrastructure")
    country = "DK"
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    share_percent = Decimal(10)


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency", "valid_from")

    currency = "CHF"
    valid_from = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    eur_per_unit = Decimal("1.05")
    source = "Test rate"


class ReturnSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnSettings
        django_get_or_create = ("infrastructure",)

    infrastructure = factory.SubFactory(InfrastructureFactory)
