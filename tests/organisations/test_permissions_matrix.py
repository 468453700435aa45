"""Every organisation view x (anonymous, user of another organisation, the right role, staff).

Each case names the URL, the request, the status each actor gets and, for writes, the effect
that must happen for allowed actors and must NOT happen for the others (no IDOR by editing an
id or slug in the URL).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations.models import (
    ClusterMembership,
    Decision,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    ProfileChange,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def profile_post(org: Organisation, **overrides) -> dict:
    data = {
        "kind": org.kind,
        "name": org.name,
        "acronym": org.acronym,
        "legal_name": "",
        "country": str(org.country),
        "city": org.city,
        "website": "",
        "email": "",
        "description": "",
        "size_class": org.size_class,
        "employees": "",
        "turnover_eur": "",
        "capabilities": "Changed capabilities: cryogenic transfer lines.",
        "cpv_codes": "42123000",
        "nace_codes": "",
        "status": org.status,
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@dataclass
class Case:
    method: str
    url: Callable
    right: str  # world attribute of the user with the right role
    expect: dict  # actor -> status
    data: Callable | None = None
    effect: Callable | None = None  # world -> bool: did the write happen?
    other: str = "other_user"
    setup: Callable | None = None  # world -> dict of extra objects
    files: Callable | None = None
    extra: dict = field(default_factory=dict)


def _pending_cm(w):
    return {
        "cm": ClusterMembership.objects.create(
            cluster=w.cluster, member=w.other_company, status=Decision.PENDING
        )
    }


def _join_request(w):
    return {"jr": JoinRequest.objects.create(user=UserFactory(), organisation=w.company)}


def _draft(w):
    w.company.status = Organisation.Status.DRAFT
    w.company.save()
    return {}


def _csv():
    return SimpleUploadedFile(
        "members.csv",
        b"name,country,website,email,cpv_codes,capabilities\nNew Co,DK,newco.example,a@newco.example,42123000,Cryostats\n",
        content_type="text/csv",
    )


OK_ANON_302 = {"anonymous": 302, "other": 403, "right": 200, "staff": 200}
POST_OK = {"anonymous": 302, "other": 403, "right": 302, "staff": 302}

CASES = {
    "list": Case(
        "get",
        lambda w, x: reverse("organisations:organisation_list"),
        "editor",
        {"anonymous": 200, "other": 200, "right": 200, "staff": 200},
    ),
    "detail": Case(
        "get",
        lambda w, x: w.company.get_absolute_url(),
        "editor",
        {"anonymous": 200, "other": 200, "right": 200, "staff": 200},
    ),
    "detail of a draft": Case(
        "get",
        lambda w, x: w.company.get_absolute_url(),
        "editor",
        {"anonymous": 404, "other": 404, "right": 200, "staff": 200},
        setup=_draft,
    ),
    "create (form)": Case(
        "get",
        lambda w, x: reverse("organisations:organisation_create"),
        "editor",
        {"anonymous": 302, "other": 200, "right": 200, "staff": 200},
    ),
    "create": Case(
        "post",
        lambda w, x: reverse("organisations:organisation_create"),
        "editor",
        {"anonymous": 302, "other": 302, "right": 302, "staff": 302},
        data=lambda w, x: profile_post(w.company, name="Brand New ApS"),
        effect=lambda w, x: Organisation.objects.filter(name="Brand New ApS").exists(),
        extra={"anonymous_effect": False, "other_effect": True},
    ),
    "edit (form)": Case(
        "get",
        lambda w, x: reverse("organisations:organisation_edit", args=[w.company.slug]),
        "editor",
        OK_ANON_302,
    ),
    "edit": Case(
        "post",
        lambda w, x: reverse("organisations:organisation_edit", args=[w.company.slug]),
        "editor",
        POST_OK,
        data=lambda w, x: profile_post(w.company),
        effect=lambda w, x: (
            "Changed capabilities" in Organisation.objects.get(pk=w.company.pk).capabilities
        ),
    ),
    "edit by the member's cluster manager": Case(
        "post",
        lambda w, x: reverse("organisations:organisation_edit", args=[w.company.slug]),
        "manager",
        POST_OK,
        other="other_manager",
        data=lambda w, x: profile_post(w.company),
        effect=lambda w, x: (
            "Changed capabilities" in Organisation.objects.get(pk=w.company.pk).capabilities
        ),
    ),
    "history": Case(
        "get",
        lambda w, x: reverse("organisations:organisation_history", args=[w.company.slug]),
        "editor",
        OK_ANON_302,
    ),
    "verify (confirmation)": Case(
        "get",
        lambda w, x: reverse("organisations:organisation_verify", args=[w.company.slug]),
        "manager",
        OK_ANON_302,
        other="other_manager",
    ),
    "verify": Case(
        "post",
        lambda w, x: reverse("organisations:organisation_verify", args=[w.company.slug]),
        "manager",
        POST_OK,
        other="other_manager",
        effect=lambda w, x: Organisation.objects.get(pk=w.company.pk).verified_at is not None,
    ),
    "people": Case(
        "get",
        lambda w, x: reverse("organisations:organisation_people", args=[w.company.slug]),
        "editor",
        OK_ANON_302,
    ),
    "invite": Case(
        "post",
        lambda w, x: reverse("organisations:invitation_create", args=[w.company.slug]),
        "editor",
        POST_OK,
        data=lambda w, x: {"email": "new.person@example.org", "role": "editor"},
        effect=lambda w, x: Invitation.objects.filter(
            organisation=w.company, email="new.person@example.org"
        ).exists(),
    ),
    "join request approve": Case(
        "post",
        lambda w, x: reverse("organisations:join_request_decide", args=[x["jr"].pk]),
        "editor",
        POST_OK,
        setup=_join_request,
        data=lambda w, x: {"decision": "approve"},
        effect=lambda w, x: Membership.objects.filter(
            user=x["jr"].user, organisation=w.company
        ).exists(),
    ),
    "join request reject": Case(
        "post",
        lambda w, x: reverse("organisations:join_request_decide", args=[x["jr"].pk]),
        "editor",
        POST_OK,
        setup=_join_request,
        data=lambda w, x: {"decision": "reject"},
        effect=lambda w, x: JoinRequest.objects.get(pk=x["jr"].pk).status == Decision.REJECTED,
    ),
    "cluster membership request": Case(
        "post",
        lambda w, x: reverse("organisations:cluster_membership_request", args=[w.company.slug]),
        "editor",
        POST_OK,
        data=lambda w, x: {"cluster": w.other_cluster.pk, "message": "Please"},
        effect=lambda w, x: ClusterMembership.objects.filter(
            cluster=w.other_cluster, member=w.company
        ).exists(),
    ),
    "cluster members page": Case(
        "get",
        lambda w, x: reverse("organisations:cluster_members", args=[w.cluster.slug]),
        "manager",
        OK_ANON_302,
        other="other_manager",
    ),
    "membership decision page": Case(
        "get",
        lambda w, x: reverse("organisations:cluster_membership_decide", args=[x["cm"].pk]),
        "manager",
        OK_ANON_302,
        other="other_manager",
        setup=_pending_cm,
    ),
    "membership approve": Case(
        "post",
        lambda w, x: reverse("organisations:cluster_membership_decide", args=[x["cm"].pk]),
        "manager",
        POST_OK,
        other="other_manager",
        setup=_pending_cm,
        data=lambda w, x: {"decision": "approve"},
        effect=lambda w, x: (
            ClusterMembership.objects.get(pk=x["cm"].pk).status == Decision.APPROVED
        ),
    ),
    "membership reject": Case(
        "post",
        lambda w, x: reverse("organisations:cluster_membership_decide", args=[x["cm"].pk]),
        "manager",
        POST_OK,
        other="other_manager",
        setup=_pending_cm,
        data=lambda w, x: {"decision": "reject"},
        effect=lambda w, x: (
            ClusterMembership.objects.get(pk=x["cm"].pk).status == Decision.REJECTED
        ),
    ),
    "import (form)": Case(
        "get",
        lambda w, x: reverse("organisations:member_import", args=[w.cluster.slug]),
        "manager",
        OK_ANON_302,
        other="other_manager",
    ),
    "import upload": Case(
        "post",
        lambda w, x: reverse("organisations:member_import", args=[w.cluster.slug]),
        "manager",
        POST_OK,
        other="other_manager",
        files=lambda: {"file": _csv()},
    ),
    "export": Case(
        "get",
        lambda w, x: reverse("organisations:member_export", args=[w.cluster.slug]),
        "manager",
        OK_ANON_302,
        other="other_manager",
    ),
}

ACTORS = ["anonymous", "other", "right", "staff"]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", list(CASES))
def test_view_permission_matrix(client, world, name, actor):
    case = CASES[name]
    extra = case.setup(world) if case.setup else {}
    user = {
        "anonymous": None,
        "other": getattr(world, case.other),
        "right": getattr(world, case.right),
        "staff": world.staff,
    }[actor]
    if user is not None:
        client.force_login(user)
    url = case.url(world, extra)
    if case.method == "get":
        response = client.get(url)
    else:
        data = case.data(world, extra) if case.data else {}
        if case.files:
            data.update(case.files())
        response = client.post(url, data)
    expected = case.expect[actor]
    assert response.status_code == expected, (name, actor, response.status_code)
    if actor == "anonymous" and expected == 302:
        assert response["Location"].startswith(LOGIN)
    if case.effect is not None:
        should_happen = case.extra.get(f"{actor}_effect", actor in ("right", "staff"))
        assert case.effect(world, extra) is should_happen, (name, actor)


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
    cm = ClusterMembership.objects.create(cluster=world.other_cluster, member=world.other_company)
    client.force_login(world.manager)
    url = reverse("organisations:cluster_membership_decide", args=[cm.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
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
    ClusterMembership.objects.create(cluster=world.cluster, member=pending)
    client.force_login(world.manager)
    edit = reverse("organisations:organisation_edit", args=[pending.slug])
    assert client.get(edit).status_code == 403


def test_join_request_of_another_organisation_cannot_be_decided(client, world):
    jr = JoinRequest.objects.create(user=UserFactory(), organisation=world.other_company)
    client.force_login(world.editor)
    url = reverse("organisations:join_request_decide", args=[jr.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    assert JoinRequest.objects.get(pk=jr.pk).status == Decision.PENDING


def test_editor_role_cannot_manage_people(client, world):
    editor_only = UserFactory()
    Membership.objects.create(
        user=editor_only, organisation=world.company, role=Membership.Role.EDITOR
    )
    client.force_login(editor_only)
    people = reverse("organisations:organisation_people", args=[world.company.slug])
    assert client.get(people).status_code == 403
    edit = reverse("organisations:organisation_edit", args=[world.company.slug])
    assert client.get(edit).status_code == 200


def test_invitation_mail_links_to_the_acceptance_page(client, world):
    client.force_login(world.editor)
    client.post(
        reverse("organisations:invitation_create", args=[world.company.slug]),
        {"email": "someone@example.org", "role": "editor"},
    )
    invitation = Invitation.objects.get(email="someone@example.org")
    assert mail.outbox[-1].to == ["someone@example.org"]
    assert f"/organisations/invitations/{invitation.token}/" in mail.outbox[-1].body
    assert "Acme Cryo ApS" in mail.outbox[-1].body
