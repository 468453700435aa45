"""Factories of the organisations app (users and organisations; re-exported by tests.factories)."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from organisations.models import Membership, Organisation

PASSWORD = "Test-Password-2026"

__all__ = [
    "PASSWORD",
    "ClusterFactory",
    "InfrastructureFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "StaffFactory",
    "UserFactory",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.SelfAttribute("email")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.SME
    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    country = "DK"
    city = "Aarhus"
    status = Organisation.Status.PUBLISHED
    size_class = Organisation.SizeClass.SMALL
    capabilities = "Precision machining of vacuum chambers and cryostat components."


class InfrastructureFactory(OrganisationFactory):
    kind = Organisation.Kind.RESEARCH_INFRASTRUCTURE
    name = factory.Sequence(lambda n: f"Infrastructure {n}")
    slug = factory.Sequence(lambda n: f"infrastructure-{n}")
    size_class = ""
    capabilities = ""


class ClusterFactory(OrganisationFactory):
    kind = Organisation.Kind.CLUSTER
    name = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")
    size_class = ""
    capabilities = ""


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.EDITOR
