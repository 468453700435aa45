"""The people of the innovation tests: a technology-transfer office (a university) with an
editor and an administrator, a municipality with both, a company and a university that answer
challenges together, another organisation's user and staff."""

from __future__ import annotations

import pytest

from organisations.models import Membership
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StaffFactory,
    UniversityFactory,
)


def member(organisation, role=Membership.Role.EDITOR):
    return MembershipFactory(organisation=organisation, role=role).user


@pytest.fixture
def tto(db):
    return UniversityFactory(name="Technology Transfer University")


@pytest.fixture
def tto_editor(tto):
    return member(tto)


@pytest.fixture
def tto_admin(tto):
    return member(tto, Membership.Role.ADMIN)


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Demo Kommune")


@pytest.fixture
def city_editor(municipality):
    return member(municipality)


@pytest.fixture
def city_admin(municipality):
    return member(municipality, Membership.Role.ADMIN)


@pytest.fixture
def company(db):
    return OrganisationFactory(name="Heat Control ApS")


@pytest.fixture
def company_user(company):
    return member(company)


@pytest.fixture
def university(db):
    return UniversityFactory(name="Partner University")


@pytest.fixture
def university_user(university):
    return member(university)


@pytest.fixture
def outsider(db):
    return member(OrganisationFactory(name="Elsewhere GmbH"))


@pytest.fixture
def staff(db):
    return StaffFactory()
