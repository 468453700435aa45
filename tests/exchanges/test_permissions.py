"""Every exchanges page and action by role (``tests.roles``): anonymous, a user of another
organisation, the applicant, the manager of the applicant's cluster, the host cluster's manager,
the manager of a third cluster, staff; with the effect of every write. A cluster manager sees
the applications of their own members only, the host all of them; the agenda is for the host
and the accepted participants; what one may not see answers 404."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges import services
from exchanges.models import Application, Exchange, Partnership
from tests.roles import LOGIN, Access, check_access, expect, matrix, same_for

from .conftest import ExchangeFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "other_org",
    "applicant",
    "applicant_cluster_manager",
    "host_manager",
    "third_manager",
    "staff",
)
SIGNED_IN = ROLES[1:]


@pytest.fixture
def world(clusters, exchange):
    """The exchange (open to the guest cluster) with the guest company's pending application,
    and one of a third-cluster company (opened by the active partnership of host and third); a
    draft exchange; a proposed partnership of host to guest."""
    partnership = services.partnership_decide(
        partnership=services.partnership_propose(
            proposer=clusters.host,
            partner=clusters.third,
            user=clusters.host_manager,
            goals="Exchanges",
            starts_on=timezone.localdate(),
        ),
        user=clusters.third_manager,
        accept=True,
    )
    application = services.application_create(
        exchange=exchange,
        user=clusters.applicant,
        organisation=clusters.guest_company,
        motivation="We make neutron guides.",
    )
    third_application = services.application_create(
        exchange=exchange,
        user=clusters.third_applicant,
        organisation=clusters.third_company,
        motivation="We make vacuum chambers.",
    )
    draft = ExchangeFactory(
        host_cluster=clusters.host, status=Exchange.Status.DRAFT, title="Secret draft"
    )
    proposal = Partnership.objects.create(
        proposer=clusters.host,
        partner=clusters.guest,
        goals="Joint visits",
        starts_on=timezone.localdate(),
        proposed_by=clusters.host_manager,
    )
    users = {
        "anonymous": None,
        "other_org": clusters.other_org,
        "applicant": clusters.applicant,
        "applicant_cluster_manager": clusters.guest_manager,
        "host_manager": clusters.host_manager,
        "third_manager": clusters.third_manager,
        "staff": clusters.staff,
    }
    return SimpleNamespace(
        users=users,
        clusters=clusters,
        exchange=exchange,
        draft=draft,
        application=application,
        third_application=third_application,
        partnership=partnership,
        proposal=proposal,
    )


def _status(w, application="application"):
    return Application.objects.get(pk=getattr(w, application).pk).status


def _url(name, **kwargs):
    return lambda w: reverse(f"exchanges:{name}", kwargs={k: v(w) for k, v in kwargs.items()})


SLUG = {"slug": lambda w: w.exchange.slug}
DRAFT = {"slug": lambda w: w.draft.slug}
APP = {"pk": lambda w: w.application.pk}
HOST_ONLY = expect(
    anonymous=LOGIN,
    other_org=404,
    applicant=404,
    applicant_cluster_manager=404,
    host_manager=200,
    third_manager=404,
    staff=200,
)


#: the active partnership of host and third is public: everyone else may see, not end it
PARTIES = {
    **same_for(SIGNED_IN, 403),
    "anonymous": LOGIN,
}


def _partnership_status(w, name):
    return Partnership.objects.get(pk=getattr(w, name).pk).status


def _accept_applicant(w):
    services.application_decide(
        application=w.application, user=w.clusters.host_manager, accept=True
    )


CASES = [
    Access("list", "get", _url("exchange_list"), same_for(ROLES, 200)),
    Access("detail", "get", _url("exchange_detail", **SLUG), same_for(ROLES, 200)),
    Access(
        "draft detail",
        "get",
        _url("exchange_detail", **DRAFT),
        expect(
            anonymous=404,
            other_org=404,
            applicant=404,
            applicant_cluster_manager=404,
            host_manager=200,
            third_manager=404,
            staff=200,
        ),
    ),
    Access(
        "create form",
        "get",
        _url("exchange_create"),
        expect(
            anonymous=LOGIN,
            other_org=403,
            applicant=403,
            applicant_cluster_manager=200,
            host_manager=200,
            third_manager=200,
            staff=200,
        ),
    ),
    Access(
        "edit form",
        "get",
        _url("exchange_edit", **SLUG),
        {
            **HOST_ONLY,
            "other_org": 403,
            "applicant": 403,
            "applicant_cluster_manager": 403,
            "third_manager": 403,
        },
    ),
    Access(
        "edit",
        "post",
        _url("exchange_edit", **SLUG),
        {
            **HOST_ONLY,
            "host_manager": 302,
            "staff": 302,
            "other_org": 403,
            "applicant": 403,
            "applicant_cluster_manager": 403,
            "third_manager": 403,
        },
        data=lambda w: {
            "kind": "cluster_xchange",
            "title": "Renamed exchange",
            "host_cluster": w.clusters.host.pk,
            "status": "published",
            "theme": w.exchange.theme,
            "starts_on": w.exchange.starts_on.isoformat(),
            "ends_on": w.exchange.ends_on.isoformat(),
            "time_zone": "Europe/Stockholm",
            "places": 10,
            "eligible_clusters": [w.clusters.guest.pk],
        },
        effect=lambda w: Exchange.objects.get(pk=w.exchange.pk).title == "Renamed exchange",
    ),
    Access("agenda of the pending", "get", _url("agenda", **SLUG), HOST_ONLY),
    Access(
        "agenda once accepted",
        "get",
        _url("agenda", **SLUG),
        {**HOST_ONLY, "applicant": 200},
        setup=_accept_applicant,
    ),
    Access("draft agenda", "get", _url("agenda", **DRAFT), HOST_ONLY),
    Access(
        "add agenda item",
        "post",
        _url("agenda", **SLUG),
        {**HOST_ONLY, "host_manager": 302, "staff": 302},
        data=lambda w: {
            "title": "Welcome dinner",
            "starts_at": (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        },
        effect=lambda w: w.exchange.agenda.filter(title="Welcome dinner").exists(),
    ),
    Access(
        "apply form",
        "get",
        _url("apply", **SLUG),
        # the applicant has applied already: sent to their application
        expect(
            anonymous=LOGIN,
            other_org=403,
            applicant=302,
            applicant_cluster_manager=403,
            host_manager=403,
            third_manager=403,
            staff=403,
        ),
    ),
    Access(
        "applications of the exchange",
        "get",
        _url("application_list", **SLUG),
        {**HOST_ONLY, "applicant_cluster_manager": 200, "third_manager": 200},
    ),
    Access(
        "application",
        "get",
        _url("application_detail", **APP),
        {**HOST_ONLY, "applicant": 200, "applicant_cluster_manager": 200},
    ),
    Access(
        "third cluster's application",
        "get",
        _url("application_detail", pk=lambda w: w.third_application.pk),
        {**HOST_ONLY, "third_manager": 200},
    ),
    Access(
        "accept",
        "post",
        _url("application_accept", **APP),
        {
            **HOST_ONLY,
            "host_manager": 302,
            "staff": 302,
            "applicant": 403,
            "applicant_cluster_manager": 403,
        },
        effect=lambda w: _status(w) == Application.Status.ACCEPTED,
    ),
    Access(
        "decline: the confirmation",
        "get",
        _url("application_decline", **APP),
        {**HOST_ONLY, "applicant": 403, "applicant_cluster_manager": 403},
    ),
    Access(
        "decline",
        "post",
        _url("application_decline", **APP),
        {
            **HOST_ONLY,
            "host_manager": 302,
            "staff": 302,
            "applicant": 403,
            "applicant_cluster_manager": 403,
        },
        effect=lambda w: _status(w) == Application.Status.DECLINED,
    ),
    Access(
        "withdraw: the confirmation",
        "get",
        _url("application_withdraw", **APP),
        expect(
            anonymous=LOGIN,
            other_org=404,
            applicant=200,
            applicant_cluster_manager=403,
            host_manager=403,
            third_manager=404,
            staff=403,
        ),
    ),
    Access(
        "withdraw",
        "post",
        _url("application_withdraw", **APP),
        expect(
            anonymous=LOGIN,
            other_org=404,
            applicant=302,
            applicant_cluster_manager=403,
            host_manager=403,
            third_manager=404,
            staff=403,
        ),
        effect=lambda w: _status(w) == Application.Status.WITHDRAWN,
    ),
    Access(
        "cancel a place: the confirmation",
        "get",
        _url("application_cancel", **APP),
        {**HOST_ONLY, "applicant": 403, "applicant_cluster_manager": 403},
        setup=_accept_applicant,
    ),
    Access(
        "cancel a place",
        "post",
        _url("application_cancel", **APP),
        {
            **HOST_ONLY,
            "host_manager": 302,
            "staff": 302,
            "applicant": 403,
            "applicant_cluster_manager": 403,
        },
        setup=_accept_applicant,
        data=lambda w: {"reason": "The visit is for instrument makers only."},
        effect=lambda w: _status(w) == Application.Status.CANCELLED,
    ),
    Access(
        "my applications",
        "get",
        _url("my_applications"),
        {**same_for(SIGNED_IN, 200), "anonymous": LOGIN},
    ),
    Access("partnerships", "get", _url("partnership_list"), same_for(ROLES, 200)),
    Access(
        "proposed partnership",
        "get",
        _url("partnership_detail", pk=lambda w: w.proposal.pk),
        expect(
            anonymous=404,
            other_org=404,
            applicant=404,
            applicant_cluster_manager=200,
            host_manager=200,
            third_manager=404,
            staff=200,
        ),
    ),
    Access(
        "accept the partnership",
        "post",
        _url("partnership_detail", pk=lambda w: w.proposal.pk),
        expect(
            anonymous=404,
            other_org=404,
            applicant=404,
            applicant_cluster_manager=302,
            host_manager=403,
            third_manager=404,
            staff=302,
        ),
        data=lambda w: {"decision": "accept"},
        effect=lambda w: Partnership.objects.get(pk=w.proposal.pk).status == "active",
    ),
    Access(
        "end the partnership: the confirmation",
        "get",
        _url("partnership_end", pk=lambda w: w.partnership.pk),
        {**PARTIES, "host_manager": 200, "third_manager": 200, "staff": 200},
    ),
    Access(
        "end the partnership",
        "post",
        _url("partnership_end", pk=lambda w: w.partnership.pk),
        {**PARTIES, "host_manager": 302, "third_manager": 302, "staff": 302},
        data=lambda w: {"reason": "The project is over."},
        effect=lambda w: _partnership_status(w, "partnership") == Partnership.Status.ENDED,
    ),
    Access(
        "end a proposed partnership",
        "post",
        _url("partnership_end", pk=lambda w: w.proposal.pk),
        # who may see a proposal: its parties' managers and staff; nobody may end it
        expect(
            anonymous=LOGIN,
            other_org=404,
            applicant=404,
            applicant_cluster_manager=403,
            host_manager=403,
            third_manager=404,
            staff=403,
        ),
        effect=lambda w: _partnership_status(w, "proposal") == Partnership.Status.ENDED,
    ),
    Access(
        "propose a partnership",
        "get",
        _url("partnership_propose"),
        expect(
            anonymous=LOGIN,
            other_org=403,
            applicant=403,
            applicant_cluster_manager=200,
            host_manager=200,
            third_manager=200,
            staff=200,
        ),
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES))
def test_access(client, world, case, role):
    check_access(client, world, case, role)


def test_the_confirmations_change_nothing(client, world):
    client.force_login(world.clusters.host_manager)
    page = client.get(reverse("exchanges:application_decline", args=[world.application.pk]))
    assert "Decline this application?" in page.text
    client.force_login(world.clusters.applicant)
    page = client.get(reverse("exchanges:application_withdraw", args=[world.application.pk]))
    assert "Withdraw your application?" in page.text
    assert _status(world) == Application.Status.PENDING


def test_the_cancellation_and_the_end_ask_first_and_change_nothing(client, world):
    _accept_applicant(world)
    client.force_login(world.clusters.host_manager)
    page = client.get(reverse("exchanges:application_cancel", args=[world.application.pk]))
    name = world.clusters.applicant.get_full_name() or world.clusters.applicant.email
    assert f"Cancel the place of {name}?" in page.text
    assert '<label class="form-label" for="id_reason">Reason (optional)</label>' in page.text
    assert 'maxlength="1000"' in page.text
    page = client.get(reverse("exchanges:partnership_end", args=[world.partnership.pk]))
    assert "End the partnership of Host Cluster and Third Cluster?" in page.text
    assert _status(world) == Application.Status.ACCEPTED
    assert _partnership_status(world, "partnership") == Partnership.Status.ACTIVE


def test_a_cluster_manager_sees_the_applications_of_their_own_members_only(client, world):
    client.force_login(world.clusters.guest_manager)
    page = client.get(reverse("exchanges:application_list", args=[world.exchange.slug]))
    assert world.clusters.guest_company.name in page.text
    assert world.clusters.third_company.name not in page.text
    client.force_login(world.clusters.host_manager)
    page = client.get(reverse("exchanges:application_list", args=[world.exchange.slug]))
    assert world.clusters.guest_company.name in page.text
    assert world.clusters.third_company.name in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/exchanges/applications/99999999999999999999/",
        "/exchanges/applications/0/",
        "/exchanges/partnerships/-1/",
        "/exchanges/no-such-exchange/agenda/",
        "/exchanges/no-such-exchange/applications/?page=abc&per_page=-5&status=%00",
        "/exchanges/?kind=%27;drop&when=never&q=" + "x" * 300,
    ],
)
def test_hostile_input_is_never_a_500(client, world, path):
    client.force_login(world.clusters.host_manager)
    assert client.get(path).status_code in (200, 404)


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("who", "name", "data"),
    [
        ("applicant", "apply", {"organisation": HUGE, "motivation": "x"}),
        ("applicant", "apply", {"organisation": "-1", "motivation": "\x00"}),
        ("host_manager", "agenda", {"event": HUGE}),
        ("host_manager", "agenda", {"event": "abc", "starts_at": "yesterday", "title": "t"}),
        ("host_manager", "exchange_create", {"host_cluster": HUGE, "host_organisations": [HUGE]}),
        ("host_manager", "partnership_propose", {"proposer": HUGE, "partner": "0"}),
    ],
)
def test_hostile_form_input_is_a_form_error_never_a_500(client, world, who, name, data):
    """(The applicant's own application is withdrawn first, so that the form is shown.)"""
    services.application_withdraw(application=world.application, user=world.clusters.applicant)
    client.force_login(world.users[who])
    kwargs = {"slug": world.exchange.slug} if name in ("apply", "agenda") else {}
    response = client.post(reverse(f"exchanges:{name}", kwargs=kwargs), data)
    assert response.status_code == 200
    assert response.context["form"].errors
