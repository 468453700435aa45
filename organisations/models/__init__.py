"""The directory's models, one module per topic (Django finds them through this package):
reference classifications, organisations, people, clusters."""

from .clusters import ClusterMembership
from .organisation import (
    MESSAGE_VALIDATORS,
    PROFILE_FIELDS,
    Approval,
    ContractReference,
    Organisation,
    OrganisationQuerySet,
    ProfileChange,
    acting_condition,
    optional_organisation,
)
from .people import (
    Decision,
    Invitation,
    JoinRequest,
    Membership,
    MembershipChange,
    _invitation_expiry,
    _invitation_token,
)
from .reference import Certification, CPVCode, NACECode, TechnologyDomain

__all__ = [
    "MESSAGE_VALIDATORS",
    "PROFILE_FIELDS",
    "Approval",
    "CPVCode",
    "Certification",
    "ClusterMembership",
    "ContractReference",
    "Decision",
    "Invitation",
    "JoinRequest",
    "Membership",
    "MembershipChange",
    "NACECode",
    "Organisation",
    "OrganisationQuerySet",
    "ProfileChange",
    "TechnologyDomain",
    "_invitation_expiry",
    "_invitation_token",
    "acting_condition",
    "optional_organisation",
]
