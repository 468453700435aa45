"""What a person says about themselves beyond the account itself (name and e-mail live on the
user model): their job, the languages they work in, and which mails they want."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: languages a person may say they work in: the EU's 24 official ones and a few of the portal's
#: other member states' (codes as ISO 639-1)
LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
    ("it", _("Italian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
    ("no", _("Norwegian")),
    ("ru", _("Russian")),
]

#: the kinds of notification a person may mute by mail, by the app that sends them (the first
#: part of a mail's occasion key, ``"tenders.question_answered:..."``)
TOPICS = [
    ("organisations", _("Organisations: invitations, join requests, cluster memberships")),
    ("tenders", _("Calls: questions and answers, amendments")),
    ("matchmaking", _("Matchmaking: forwarded calls, invitations to express interest, alerts")),
    ("events", _("Events: registrations, meeting requests, reminders")),
    ("outcomes", _("Outcomes")),
    ("conversations", _("Messages from other organisations")),
]


#: the occasion key of the daily digest mails (``people.digest:<day>``)
DIGEST_KEY = "people.digest"


class PersonProfile(models.Model):
    """One person's own settings: job title, languages, and how the portal may mail them.

    Every notification is always written to the notification centre; these settings decide only
    whether it is also mailed (``mail_mode`` and ``muted_topics``, honoured by ``mail_queue``
    through :func:`people.preferences.wants_mail`).
    """

    class MailMode(models.TextChoices):
        EACH = "each", _("An e-mail for each notification")
        DAILY = "daily", _("One e-mail a day with the day's notifications")
        NONE = "none", _("No e-mail: notifications in the portal only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_profile"
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    #: the portal's language for them (pages after they sign in, their e-mails): the switcher's
    #: last choice while signed in; "" = the site's default
    language = models.CharField(
        _("portal language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    mail_mode = models.CharField(
        _("e-mails"), max_length=10, choices=MailMode.choices, default=MailMode.EACH
    )
    muted_topics = models.JSONField(
        _("no e-mail about"), default=list, blank=True, help_text=_("keys of TOPICS")
    )
    #: in daily mode: the notifications up to this moment were in a digest (or came before the
    #: person chose daily mail, when each had its own mail)
    digest_until = models.DateTimeField(_("digest sent up to"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person's profile")
        verbose_name_plural = _("people's profiles")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.job_title}"

    def wants_mail(self, key: str) -> bool:
        """Whether the mail of occasion ``key`` is sent (its notification is written anyway):
        in daily mode only the digest is mailed, which gathers the others."""
        if self.mail_mode == self.MailMode.NONE:
            return False
        if key.startswith(DIGEST_KEY):
            return self.mail_mode == self.MailMode.DAILY
        if self.mail_mode == self.MailMode.DAILY:
            return False
        return not self.muted(key)

    def muted(self, key: str) -> bool:
        """Whether the topic of occasion ``key`` is one the person wants no mail about."""
        return key.split(".", 1)[0] in set(self.muted_topics or [])
