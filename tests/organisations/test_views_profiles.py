"""organisations/views/profiles.py: the profile history on the shared list stack."""

import pytest
from django.urls import reverse

from bigscience_portal.core.lists import PortalListView
from organisations.views.profiles import OrganisationHistoryView
from tests.factories import ProfileChangeFactory

pytestmark = pytest.mark.django_db


def test_the_history_pages_through_changes_latest_first(client, world):
    assert issubclass(OrganisationHistoryView, PortalListView)
    for i in range(25):
        ProfileChangeFactory(
            organisation=world.company, changed_by=world.editor, changes={"city": [f"c{i}", "x"]}
        )
    client.force_login(world.editor)
    url = reverse("organisations:organisation_history", args=[world.company.slug])
    first = client.get(url)
    entries = first.context["changes"]
    assert len(entries) == 20
    assert entries[0].change.changes["city"][0] == "c24"  # the latest first
    page = first.content.decode()
    assert '<th scope="row">city</th>' in page and "Page 1 of 2" in page
    second = client.get(url, {"page": 2})
    assert [e.change.changes["city"][0] for e in second.context["changes"]] == [
        "c4",
        "c3",
        "c2",
        "c1",
        "c0",
    ]


def test_an_empty_history_says_so(client, world):
    client.force_login(world.editor)
    url = reverse("organisations:organisation_history", args=[world.company.slug])
    assert "No changes recorded yet." in client.get(url).content.decode()


# --- a failed save says what failed at the top (issue 18, finding 1) ---------------------------


def test_errors_of_a_reference_alone_are_summarised_at_the_top(client, world):
    from .helpers import profile_post

    client.force_login(world.editor)
    url = reverse("organisations:organisation_edit", args=[world.company.slug])
    data = profile_post(
        world.company,
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-client_name": "CERN",
            "references-0-year": "1900",
            "references-0-value_band": "A",
            "references-0-cpv_codes": "",
            "references-0-description": "Cryostat",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index("data-error-summary") :]
    summary = summary[: summary.index("</div>")]
    assert "Please correct the errors below." in summary
    assert 'href="#id_references-0-year"' in summary
    assert "Reference 1, Year" in summary
    assert "Enter a year between 1950 and this year." in summary
    assert summary.index("Please correct") < len(summary)
    assert page.index("data-error-summary") < page.index('id="references"')
