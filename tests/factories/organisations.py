"""Factories of the organisations app (users, organisations, people, clusters, curation;
re-exported by tests.factories)."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from organisations.models import (
    Certification,
    ClusterMembership,
    ContractReference,
    Decision,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    ProfileChange,
    TechnologyDomain,
)

PASSWORD = "Test-Password-2026"

__all__ = [
    "PASSWORD",
    "CertificationFactory",
    "ClusterFactory",
    "ClusterMembershipFactory",
    "ContractReferenceFactory",
    "InfrastructureFactory",
    "InvitationFactory",
    "JoinRequestFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "ProfileChangeFactory",
    "StaffFactory",
    "TechnologyDomainFactory",
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


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cert-{n}")
    name = factory.LazyAttribute(lambda o: o.code.upper().replace("-", " "))


class TechnologyDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnologyDomain
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"domain-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation as code with staff's authority creates it: an infrastructure, cluster
    or public authority is approved at once (``Organisation.save``); pass
    ``approval=Approval.PENDING`` for one that waits for staff."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = Organisation.Kind.SME
    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    country = "DK"
    city = "Aarhus"
    status = Organisation.Status.PUBLISHED
    size_class = Organisation.SizeClass.SMALL
    capabilities = "Precision machining of vacuum chambers and cryostat components."

    @factory.post_generation
    def cpv_codes(self, create, extracted, **kwargs):
        """``OrganisationFactory(cpv_codes=["42123000"])``: codes of the reference table."""
        if create and extracted:
            self.cpv_codes.set(extracted)

    @factory.post_generation
    def nace_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.nace_codes.set(extracted)

    @factory.post_generation
    def certifications(self, create, extracted, **kwargs):
        if create and extracted:
            self.certifications.set(extracted)


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


class ContractReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractReference

    organisation = factory.SubFactory(OrganisationFactory)
    client_name = "CERN"
    year = 2021
    value_band = ContractReference.ValueBand.A
    description = "Cryostat for a test stand"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.EDITOR


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation to join an organisation (``organisations.Invitation``)."""

    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.EDITOR
    invited_by = factory.SubFactory(UserFactory)


class JoinRequestFactory(factory.django.DjangoModelFactory):
    """A pending request of a user to join an organisation."""

    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Decision.PENDING


class ClusterMembershipFactory(factory.django.DjangoModelFactory):
    """A company's membership of a cluster, pending unless ``status=Decision.APPROVED``."""

    class Meta:
        model = ClusterMembership

    cluster = factory.SubFactory(ClusterFactory)
    member = factory.SubFactory(OrganisationFactory)
    status = Decision.PENDING


class ProfileChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfileChange

    organisation = factory.SubFactory(OrganisationFactory)
    changed_by = factory.SubFactory(UserFactory)
    changes = factory.LazyFunction(lambda: {"city": ["Aarhus", "Odense"]})
