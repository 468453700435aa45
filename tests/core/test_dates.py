"""``core.dates``: one format per language (``bigscience_portal/formats``), the zone with every
moment, the ``when``/``day``/``language_name`` filters and the zoned form fields."""

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from bigscience_portal.core import dates

UTC = dt.UTC
#: 16:00 UTC on a winter day: 17:00 in Brussels (CET), 18:00 in Helsinki (EET)
WINTER = dt.datetime(2030, 3, 15, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "15 March 2030, 17:00 CET"),
        ("da", "15. marts 2030 17:00 CET"),
        ("de", "15. März 2030 17:00 CET"),
        ("es", "15 de marzo de 2030 a las 17:00 CET"),
        ("fi", "15. maaliskuuta 2030 kello 17.00 CET"),
        ("lt", "2030 m. kovo 15 d., 17:00 CET"),
        ("nb", "15. mars 2030 17:00 CET"),
        ("sv", "15 mars 2030 17:00 CET"),
    ],
)
def test_a_moment_in_each_language_with_the_sites_zone(language, shown):
    with translation.override(language):
        assert dates.when(WINTER) == shown


def test_a_session_is_one_stretch_in_its_zone_and_names_the_end_day_only_when_it_differs():
    end = WINTER + dt.timedelta(hours=2, minutes=30)
    with translation.override("en"):
        assert dates.span(WINTER, end, "Europe/Helsinki") == "15 March 2030, 18:00 \u2013 20:30 EET"
        assert dates.span(WINTER, end + dt.timedelta(days=1)) == (
            "15 March 2030, 17:00 \u2013 16 March 2030, 19:30 CET"
        )
    with translation.override("de"):
        assert dates.span(WINTER, end) == "15. M\u00e4rz 2030 17:00 \u2013 19:30 CET"


def test_english_is_written_day_first_with_24_hour_time():
    with translation.override("en"):
        assert dates.day(WINTER) == "15 March 2030"
        assert dates.when(dt.datetime(2030, 7, 1, 13, 30, tzinfo=UTC)) == "1 July 2030, 15:30 CEST"


def test_a_moment_in_its_own_zone():
    with translation.override("en"):
        assert dates.when(WINTER, "Europe/Helsinki") == "15 March 2030, 18:00 EET"
        assert dates.when(WINTER, "America/Santiago") == "15 March 2030, 13:00 UTC\u221203"
        assert dates.when(WINTER, "Not/AZone") == "15 March 2030, 17:00 CET"  # the site's
        # a day is the day where it happens
        assert dates.day(dt.datetime(2030, 3, 15, 23, 30, tzinfo=UTC), "Asia/Tokyo") == (
            "16 March 2030"
        )
        assert dates.when(dt.date(2030, 3, 15)) == "15 March 2030"
        assert dates.when(None) == "" and dates.day(None) == ""


def test_the_filters():
    template = Template(
        "{% load portal_tags %}{{ at|when:zone }} | {{ at|when }} | {{ at|day }} | "
        "{{ 'de'|language_name }} | {{ 'xx'|language_name }}"
    )
    with translation.override("da"):
        shown = template.render(Context({"at": WINTER, "zone": "Europe/Vilnius"}))
        german = translation.gettext("German")  # as the portal's Danish catalogue names it
    assert german.lower() == "tysk"
    assert shown == (
        f"15. marts 2030 18:00 EET | 15. marts 2030 17:00 CET | 15. marts 2030 | {german} | xx"
    )


def test_time_zones_are_validated_and_offered_europe_first():
    dates.validate_time_zone("Europe/Copenhagen")
    with pytest.raises(ValidationError):
        dates.validate_time_zone("Europe/Atlantis")
    groups = dates.time_zone_choices()
    assert groups[0][1][0][0].startswith("Europe/")
    assert ("Europe/Vilnius", "Europe/Vilnius") in groups[0][1]


class _Form(dates.ZonedTimesMixin, forms.Form):
    zoned_fields = ("at",)
    zone_name = forms.CharField(required=False)
    at = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M"])

    def own_zone(self):
        return "Europe/Brussels"

    def entered_zone(self, cleaned):
        return cleaned.get("zone_name") or self.own_zone()


def test_a_zoned_form_reads_the_wall_clock_time_in_the_entered_zone():
    form = _Form({"zone_name": "Europe/Helsinki", "at": "2030-03-15T18:00"})
    assert form.is_valid()
    assert form.cleaned_data["at"] == WINTER
    form = _Form({"at": "2030-03-15T17:00"})
    assert form.is_valid() and form.cleaned_data["at"] == WINTER


def test_a_zoned_form_shows_the_stored_moment_in_its_zone():
    form = _Form(initial={"at": WINTER})
    form.setup_zoned_times(input_format="%Y-%m-%dT%H:%M")
    assert form.initial["at"] == "2030-03-15T17:00"
