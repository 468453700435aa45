from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """The person's own account: name, job, languages, mail preferences, their data, deletion."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from bigscience_portal.core import mail, panels

        from . import preferences

        mail.mail_filters.append(preferences.wants_mail)
        mail.mail_languages.append(preferences.language_of)
        # links to the account, the data and the privacy page: no context needed
        panels.dashboard.register("people.account", "people/_dashboard.html", order=5)
