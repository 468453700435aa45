"""The portal in the user's language: the footer's switcher, remembered; pages, form errors,
mails (in the recipient's language, whoever triggers them) and reasons in it."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from people.models import PersonProfile
from tenders.services.questions import clarification_answer
from tests.factories import ClarificationFactory, UserFactory

pytestmark = pytest.mark.django_db

#: the clusters' members' languages besides English
LANGUAGES = ["da", "de", "es", "fi", "lt", "nb", "sv"]


def _in(language: str, msgid: str) -> str:
    with translation.override(language):
        text = gettext(msgid)
    assert text != msgid, f"{msgid!r} has no {language} translation"
    return text


def test_every_language_of_the_clusters_is_offered():
    assert [code for code, _name in settings.LANGUAGES] == ["en", *LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_switches_language_and_sees_the_home_page_and_a_form_error_in_it(
    client, language
):
    response = client.post(
        reverse("people:language_set"), {"language": language, "next": "/calls/"}
    )
    assert response.status_code == 302 and response["Location"] == "/calls/"
    # remembered for a year, not for the browser session
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == language and int(cookie["max-age"]) == 365 * 24 * 60 * 60

    home = client.get(reverse("core:home")).content.decode()
    assert f'<html lang="{language}">' in home
    assert _in(language, "Research infrastructures, industry and clusters, in one place.") in home
    assert f'<option value="{language}" lang="{language}" selected>' in home

    person = UserFactory()
    client.force_login(person)
    page = client.post(reverse("people:account_delete"), {"email": "someone@else.example"})
    assert _in(language, "This is not the address of your account.") in page.content.decode()


def test_the_url_means_the_same_page_in_every_language(client):
    """No language prefix: a link shared by a Danish user opens the same page in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    danish = client.get("/privacy/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/privacy/")
    assert danish.status_code == english.status_code == 200
    assert _in("da", "When you delete your account") in danish.content.decode()
    assert "When you delete your account" in english.content.decode()


def test_a_signed_in_choice_is_kept_in_the_profile_and_their_mails_follow_it(
    client, django_capture_on_commit_callbacks
):
    asker = UserFactory()
    client.force_login(asker)
    client.post(reverse("people:language_set"), {"language": "da", "next": "/"})
    assert PersonProfile.objects.get(user=asker).language == "da"

    # an officer answers in English; the asker's mail and notification are in Danish
    clarification = ClarificationFactory(asked_by=asker)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        clarification_answer(clarification=clarification, user=UserFactory(), answer="Yes.")
    [sent] = [m for m in mail.outbox if asker.email in m.to]
    title = clarification.call.title
    subject = _in("da", "Your question on “%(title)s” was answered") % {"title": title}
    assert subject in sent.subject
    assert _in(
        "da", "The question and the answer are public on the call's page (your name is not shown):"
    ) in (sent.body)
    assert _in("da", "This is also in your notifications on the portal") in sent.body
    assert asker.notifications.get().title == subject


def test_an_unknown_language_changes_nothing(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("people:language_set"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert not PersonProfile.objects.filter(user=person, language="xx").exists()


def test_a_signed_in_switch_needs_the_form_token(client):
    from django.test import Client

    person = UserFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(person)
    assert strict.post(reverse("people:language_set"), {"language": "da"}).status_code == 403
    assert not PersonProfile.objects.filter(user=person, language="da").exists()
    # a visitor's switch needs none: it changes their cookie only
    visitor = Client(enforce_csrf_checks=True)
    assert visitor.post(reverse("people:language_set"), {"language": "da"}).status_code == 302


def test_a_visitors_page_carries_no_form_token_and_sets_no_token_cookie(client):
    # the visitors' page cache serves one rendered page to everyone: no token of one visitor
    page = client.get(reverse("tenders:call_list"))
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert settings.CSRF_COOKIE_NAME not in page.cookies
    # a signed-in person's switcher carries theirs
    client.force_login(UserFactory())
    page = client.get(reverse("tenders:call_list")).content.decode()
    switcher = page[page.index('class="language-switcher') :]
    assert 'name="csrfmiddlewaretoken"' in switcher[: switcher.index("</form>")]


def test_the_switcher_is_on_every_page_with_a_label(client):
    page = client.get(reverse("core:home")).content.decode()
    assert '<label for="language-switcher"' in page
    for code in ["en", *LANGUAGES]:
        assert f'value="{code}"' in page


def test_a_new_browser_of_a_signed_in_person_gets_their_profile_language(client):
    person = UserFactory()
    PersonProfile.objects.create(user=person, language="sv")
    client.force_login(person)
    page = client.get(reverse("people:account")).content.decode()
    assert '<html lang="sv">' in page
    # the switcher's cookie decides once set
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert '<html lang="de">' in client.get(reverse("people:account")).content.decode()
