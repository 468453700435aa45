"""Every organisations view x its actors: anonymous, a user of another organisation, the right
role (the company's administrator or editor, the cluster's manager), another cluster's manager,
and staff (tests/roles.py).

For writes the effect must happen for the allowed actors and must NOT happen for the others (no
IDOR by editing an id or slug in the URL).
"""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations.models import (
    Approval,
    ClusterMembership,
    Decision,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    ProfileChange,
)
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.roles import LOGIN, Access, check_access, matrix, same_for

from .helpers import profile_post

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "other_org",
    "company_admin",
    "company_editor",
    "cluster_manager",
    "other_manager",
    "staff",
)
SIGNED_IN = ROLES[1:]


def everyone(status):
    return same_for(ROLES, status)


def signed_in(status):
    return {"anonymous": LOGIN, **same_for(SIGNED_IN, status)}


def only(status, *allowed, refused=403):
    """Log-in for anonymous, ``status`` for ``allowed`` and staff, ``refused`` for the rest."""
    return {
        "anonymous": LOGIN,
        **same_for(SIGNED_IN, refused),
        **same_for((*allowed, "staff"), status),
    }


def hidden(status, *allowed, seen_by=()):
    """For a draft (issue 14, finding 11): ``status`` for ``allowed`` and staff, 403 for those
    who see the draft but may not do this (``seen_by``), 404 for everyone else: a 403 would tell
    them that the draft exists."""
    return {
        "anonymous": LOGIN,
        **same_for(SIGNED_IN, 404),
        **same_for(seen_by, 403),
        **same_for((*allowed, "staff"), status),
    }


#: edit the company's profile: its people and the managers of the clusters it belongs to
EDITORS = ("company_admin", "company_editor", "cluster_manager")


def _pending_cm(w):
    w.extra["cm"] = ClusterMembershipFactory(cluster=w.cluster, member=w.other_company)


def _join_request(w):
    w.extra["jr"] = JoinRequestFactory(organisation=w.company)


def _invitation(w):
    """An invitation to the company addressed to the user of the other organisation."""
    w.extra["invitation"] = InvitationFactory(
        organisation=w.company, invited_by=w.editor, email=w.other_user.email
    )


def _draft(w):
    w.company.status = Organisation.Status.DRAFT
    w.company.save()


def _draft_cluster(w):
    w.cluster.status = Organisation.Status.DRAFT
    w.cluster.save()


def _awaiting(w):
    w.extra["awaiting"] = ClusterFactory(
        name="Self-made Cluster", slug="self-made", approval=Approval.PENDING
    )


def _approval(w):
    return Organisation.objects.get(pk=w.extra["awaiting"].pk).approval


def _csv(w):
    return {
        "file": SimpleUploadedFile(
            "members.csv",
            b"name,country,website,email,cpv_codes,capabilities\n"
            b"New Co,DK,newco.example,a@newco.example,42123000,Cryostats\n",
            content_type="text/csv",
        )
    }


def _capabilities_changed(w):
    return "Changed capabilities" in Organisation.objects.get(pk=w.company.pk).capabilities


def _company_url(name):
    return lambda w: reverse(f"organisations:{name}", args=[w.company.slug])


def _cluster_url(name):
    return lambda w: reverse(f"organisations:{name}", args=[w.cluster.slug])


def _cm_status(w):
    return ClusterMembership.objects.get(pk=w.extra["cm"].pk).status


CASES = [
    # --- the public directory ---
    Access("list", "get", lambda w: reverse("organisations:organisation_list"), everyone(200)),
    Access("detail", "get", lambda w: w.company.get_absolute_url(), everyone(200)),
    Access(
        "detail of a draft",
        "get",
        lambda w: w.company.get_absolute_url(),
        {**everyone(404), **same_for((*EDITORS, "staff"), 200)},
        setup=_draft,
    ),
    Access(
        "code lookup",
        "get",
        lambda w: reverse("organisations:cpv_lookup"),
        everyone(200),
        data=lambda w: {"q": "vacuum"},
    ),
    Access(
        "code search (JSON)",
        "get",
        lambda w: reverse("organisations:nace_search"),
        everyone(200),
        data=lambda w: {"q": "28"},
    ),
    Access(
        "suggested codes (JSON)",
        "post",
        lambda w: reverse("organisations:cpv_suggest"),
        signed_in(200),
        data=lambda w: {"text": "vacuum pumps"},
    ),
    # --- profiles ---
    Access(
        "create (form)",
        "get",
        lambda w: reverse("organisations:organisation_create"),
        signed_in(200),
    ),
    Access(
        "create",
        "post",
        lambda w: reverse("organisations:organisation_create"),
        signed_in(302),
        data=lambda w: profile_post(w.company, name="Brand New ApS"),
        effect=lambda w: Organisation.objects.filter(name="Brand New ApS").exists(),
    ),
    Access("edit (form)", "get", _company_url("organisation_edit"), only(200, *EDITORS)),
    Access(
        "edit",
        "post",
        _company_url("organisation_edit"),
        only(302, *EDITORS),
        data=lambda w: profile_post(w.company),
        effect=_capabilities_changed,
    ),
    Access("history", "get", _company_url("organisation_history"), only(200, *EDITORS)),
    Access(
        "edit a draft (form)",
        "get",
        _company_url("organisation_edit"),
        hidden(200, *EDITORS),
        setup=_draft,
    ),
    Access(
        "edit a draft",
        "post",
        _company_url("organisation_edit"),
        hidden(302, *EDITORS),
        setup=_draft,
        data=lambda w: profile_post(w.company, status="draft"),
        effect=_capabilities_changed,
    ),
    Access(
        "history of a draft",
        "get",
        _company_url("organisation_history"),
        hidden(200, *EDITORS),
        setup=_draft,
    ),
    Access(
        "verify a draft",
        "get",
        _company_url("organisation_verify"),
        hidden(200, "cluster_manager", seen_by=("company_admin", "company_editor")),
        setup=_draft,
    ),
    Access(
        "people of a draft",
        "get",
        _company_url("organisation_people"),
        hidden(200, "company_admin", seen_by=("company_editor", "cluster_manager")),
        setup=_draft,
    ),
    Access(
        "invite to a draft",
        "post",
        _company_url("invitation_create"),
        hidden(302, "company_admin", seen_by=("company_editor", "cluster_manager")),
        setup=_draft,
        data=lambda w: {"email": "new.person@example.org", "role": "editor"},
        effect=lambda w: Invitation.objects.filter(email="new.person@example.org").exists(),
    ),
    Access(
        "verify (confirmation)",
        "get",
        _company_url("organisation_verify"),
        only(200, "cluster_manager"),
    ),
    Access(
        "verify",
        "post",
        _company_url("organisation_verify"),
        only(302, "cluster_manager"),
        effect=lambda w: Organisation.objects.get(pk=w.company.pk).verified_at is not None,
    ),
    # --- people ---
    Access("people", "get", _company_url("organisation_people"), only(200, "company_admin")),
    Access("invite (form)", "get", _company_url("invitation_create"), only(200, "company_admin")),
    Access(
        "invite",
        "post",
        _company_url("invitation_create"),
        only(302, "company_admin"),
        data=lambda w: {"email": "new.person@example.org", "role": "editor"},
        effect=lambda w: Invitation.objects.filter(
            organisation=w.company, email="new.person@example.org"
        ).exists(),
    ),
    Access(
        "invitation (landing page)",
        "get",
        lambda w: reverse("organisations:invitation_accept", args=[w.extra["invitation"].token]),
        everyone(200),
        setup=_invitation,
    ),
    Access(
        "invitation accept",
        "post",
        lambda w: reverse("organisations:invitation_accept", args=[w.extra["invitation"].token]),
        # the link proves nothing: only the account holding the invited address (issue 14)
        {"anonymous": LOGIN, **same_for(SIGNED_IN, 403), "other_org": 302},
        setup=_invitation,
        effect=lambda w: (
            Invitation.objects.get(pk=w.extra["invitation"].pk).accepted_by is not None
        ),
    ),
    Access(
        "join request (form)",
        "get",
        _company_url("join_request_create"),
        {**signed_in(200), "company_admin": 403, "company_editor": 403},  # members already
    ),
    Access(
        "join request",
        "post",
        _company_url("join_request_create"),
        {**signed_in(302), "company_admin": 403, "company_editor": 403},
        data=lambda w: {"message": "Let me in"},
        effect=lambda w: JoinRequest.objects.filter(organisation=w.company).exists(),
    ),
    Access(
        "join request approve",
        "post",
        lambda w: reverse("organisations:join_request_decide", args=[w.extra["jr"].pk]),
        only(302, "company_admin", refused=404),
        setup=_join_request,
        data=lambda w: {"decision": "approve"},
        effect=lambda w: Membership.objects.filter(
            user=w.extra["jr"].user, organisation=w.company
        ).exists(),
    ),
    Access(
        "join request reject",
        "post",
        lambda w: reverse("organisations:join_request_decide", args=[w.extra["jr"].pk]),
        only(302, "company_admin", refused=404),
        setup=_join_request,
        data=lambda w: {"decision": "reject"},
        effect=lambda w: JoinRequest.objects.get(pk=w.extra["jr"].pk).status == Decision.REJECTED,
    ),
    # --- clusters ---
    Access(
        "cluster membership request",
        "post",
        _company_url("cluster_membership_request"),
        only(302, "company_admin"),
        data=lambda w: {"cluster": w.other_cluster.pk, "message": "Please"},
        effect=lambda w: ClusterMembership.objects.filter(
            cluster=w.other_cluster, member=w.company
        ).exists(),
    ),
    Access(
        "cluster members page", "get", _cluster_url("cluster_members"), only(200, "cluster_manager")
    ),
    Access(
        "members page of a draft cluster",
        "get",
        _cluster_url("cluster_members"),
        hidden(200, "cluster_manager"),
        setup=_draft_cluster,
    ),
    Access(
        "import into a draft cluster",
        "get",
        _cluster_url("member_import"),
        hidden(200, "cluster_manager"),
        setup=_draft_cluster,
    ),
    Access(
        "export of a draft cluster",
        "get",
        _cluster_url("member_export"),
        hidden(200, "cluster_manager"),
        setup=_draft_cluster,
    ),
    Access(
        "membership decision page",
        "get",
        lambda w: reverse("organisations:cluster_membership_decide", args=[w.extra["cm"].pk]),
        only(200, "cluster_manager", refused=404),
        setup=_pending_cm,
    ),
    Access(
        "membership approve",
        "post",
        lambda w: reverse("organisations:cluster_membership_decide", args=[w.extra["cm"].pk]),
        only(302, "cluster_manager", refused=404),
        setup=_pending_cm,
        data=lambda w: {"decision": "approve"},
        effect=lambda w: _cm_status(w) == Decision.APPROVED,
    ),
    Access(
        "membership reject",
        "post",
        lambda w: reverse("organisations:cluster_membership_decide", args=[w.extra["cm"].pk]),
        only(302, "cluster_manager", refused=404),
        setup=_pending_cm,
        data=lambda w: {"decision": "reject"},
        effect=lambda w: _cm_status(w) == Decision.REJECTED,
    ),
    Access("import (form)", "get", _cluster_url("member_import"), only(200, "cluster_manager")),
    Access(
        "import upload",
        "post",
        _cluster_url("member_import"),
        only(302, "cluster_manager"),
        files=_csv,
    ),
    Access(
        "import preview (nothing uploaded yet)",
        "get",
        _cluster_url("member_import_preview"),
        only(302, "cluster_manager"),
    ),
    Access("export", "get", _cluster_url("member_export"), only(200, "cluster_manager")),
    # --- staff's approvals (issue 14, finding 1): staff only, a 404 for everyone else ---
    Access(
        "approval queue",
        "get",
        lambda w: reverse("organisations:approval_queue"),
        only(200, refused=404),
        setup=_awaiting,
    ),
    Access(
        "approval decision page",
        "get",
        lambda w: reverse("organisations:approval_decide", args=[w.extra["awaiting"].pk]),
        only(200, refused=404),
        setup=_awaiting,
    ),
    Access(
        "approve",
        "post",
        lambda w: reverse("organisations:approval_decide", args=[w.extra["awaiting"].pk]),
        only(302, refused=404),
        setup=_awaiting,
        data=lambda w: {"decision": "approve"},
        effect=lambda w: _approval(w) == Approval.APPROVED,
    ),
    Access(
        "reject",
        "post",
        lambda w: reverse("organisations:approval_decide", args=[w.extra["awaiting"].pk]),
        only(302, refused=404),
        setup=_awaiting,
        data=lambda w: {"decision": "reject", "reason": "Not a cluster organisation."},
        effect=lambda w: _approval(w) == Approval.REJECTED,
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES), ids=str)
def test_access(client, world, case, role):
    check_access(client, world, case, role)


def test_every_url_of_the_app_is_in_the_matrix():
    from organisations.urls import urlpatterns

    tested = {"organisation_detail", "organisation_list", "cpv_lookup", "nace_search"}
    tested |= {"cpv_suggest"}
    tested |= {"approval_queue", "approval_decide"}
    tested |= {
        "organisation_create",
        "organisation_edit",
        "organisation_history",
        "organisation_verify",
        "organisation_people",
        "invitation_create",
        "invitation_accept",
        "join_request_create",
        "join_request_decide",
        "cluster_membership_request",
        "cluster_members",
        "cluster_membership_decide",
        "member_import",
        "member_import_preview",
        "member_export",
    }
    # the matrix of tests/organisations/test_handover.py
    tested |= {
        "profile_claim",
        "member_invite",
        "held_invitation_decide",
        "membership_role",
        "membership_remove",
        "cluster_invite",
    }
    # the twins of tested views: the same view function with another scheme
    twins = {"nace_lookup", "cpv_search"}
    assert {p.name for p in urlpatterns} == tested | twins


def test_editing_another_organisations_slug_changes_nothing(client, world):
    """An editor of one company cannot edit another by putting its slug in the URL."""
    client.force_login(world.editor)
    before = world.other_company.capabilities
    response = client.post(
        reverse("organisations:organisation_edit", args=[world.other_company.slug]),
        profile_post(world.other_company),
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=world.other_company.pk).capabilities == before
    assert not ProfileChange.objects.filter(organisation=world.other_company).exists()


def test_manager_cannot_decide_another_clusters_request(client, world):
    cm = ClusterMembershipFactory(cluster=world.other_cluster, member=world.other_company)
    client.force_login(world.manager)
    url = reverse("organisations:cluster_membership_decide", args=[cm.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert ClusterMembership.objects.get(pk=cm.pk).status == Decision.PENDING


def test_manager_cannot_verify_or_edit_a_company_outside_the_cluster(client, world):
    client.force_login(world.manager)
    verify = reverse("organisations:organisation_verify", args=[world.other_company.slug])
    assert client.post(verify).status_code == 403
    edit = reverse("organisations:organisation_edit", args=[world.other_company.slug])
    assert client.post(edit, profile_post(world.other_company)).status_code == 403
    assert Organisation.objects.get(pk=world.other_company.pk).verified_at is None


def test_pending_cluster_member_is_not_curated_by_the_manager(client, world):
    """Only approved members: a pending request gives the manager no edit right."""
    pending = OrganisationFactory(slug="pending-co")
    ClusterMembershipFactory(cluster=world.cluster, member=pending)
    client.force_login(world.manager)
    edit = reverse("organisations:organisation_edit", args=[pending.slug])
    assert client.get(edit).status_code == 403


def test_join_request_of_another_organisation_cannot_be_decided(client, world):
    jr = JoinRequestFactory(organisation=world.other_company)
    client.force_login(world.editor)
    url = reverse("organisations:join_request_decide", args=[jr.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert JoinRequest.objects.get(pk=jr.pk).status == Decision.PENDING


def test_editor_role_cannot_manage_people(client, world):
    editor_only = UserFactory()
    MembershipFactory(user=editor_only, organisation=world.company, role=Membership.Role.EDITOR)
    client.force_login(editor_only)
    people = reverse("organisations:organisation_people", args=[world.company.slug])
    assert client.get(people).status_code == 403
    edit = reverse("organisations:organisation_edit", args=[world.company.slug])
    assert client.get(edit).status_code == 200


def test_a_draft_company_cannot_be_asked_to_join_by_outsiders(client, world):
    _draft(world)
    client.force_login(world.other_user)
    url = reverse("organisations:join_request_create", args=[world.company.slug])
    assert client.post(url, {"message": "hi"}).status_code == 404
    assert not JoinRequest.objects.filter(organisation=world.company).exists()


def test_invitation_mail_links_to_the_acceptance_page(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organisations:invitation_create", args=[world.company.slug]),
            {"email": "someone@example.org", "role": "editor"},
        )
    invitation = Invitation.objects.get(email="someone@example.org")
    assert mail.outbox[-1].to == ["someone@example.org"]
    assert f"/organisations/invitations/{invitation.token}/" in mail.outbox[-1].body
    assert "Acme Cryo ApS" in mail.outbox[-1].body


@pytest.mark.parametrize(
    "name",
    [
        "organisation_edit",
        "organisation_history",
        "organisation_verify",
        "organisation_people",
        "invitation_create",
        "cluster_members",
        "member_import",
        "member_export",
    ],
)
def test_a_draft_of_another_organisation_answers_as_a_missing_slug_does(client, world, name):
    """Issue 14, finding 11: the answer for a draft the user may not see is the answer for a
    slug that does not exist, so nobody learns which drafts exist."""
    _draft(world)
    _draft_cluster(world)
    client.force_login(world.other_user)
    slug = world.cluster.slug if name.startswith(("cluster", "member")) else world.company.slug
    missing = client.get(reverse(f"organisations:{name}", args=["no-such-slug"]))
    draft = client.get(reverse(f"organisations:{name}", args=[slug]))
    assert missing.status_code == draft.status_code == 404
