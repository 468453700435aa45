"""``manage.py load_demo``: demo data only where the settings are for development."""

import pytest
from django.core.management import CommandError, call_command


def test_demo_data_is_refused_on_production_like_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="Refusing to load demo data"):
        call_command("load_demo")
