"""The catalogues: every marked string of the interface is translated in every language of the
portal, and the compiled catalogues Django reads are those of the .po files in the repository.

``scripts/messages.sh`` (``make messages``) runs on a copy of the tree, as a developer would
after changing a text; it must find no string without a translation and none fuzzy (a changed
English text whose translation was not reviewed)."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
#: what the copy needs: the code and templates makemessages reads, the catalogues, the script
COPIED = ["bigscience_portal", "templates", "locale", "scripts", "manage.py", *settings.PORTAL_APPS]
STATISTICS = re.compile(
    r"(?P<translated>\d+) translated messages?"
    r"(?:, (?P<fuzzy>\d+) fuzzy translations?)?"
    r"(?:, (?P<untranslated>\d+) untranslated messages?)?"
)


def _statistics(po: Path) -> dict[str, int]:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = STATISTICS.search(result.stderr)
    assert found, result.stderr
    return {key: int(value or 0) for key, value in found.groupdict().items()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """A copy of the tree after ``scripts/messages.sh``."""
    copy = tmp_path_factory.mktemp("tree")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run([str(copy / "scripts" / "messages.sh")], cwd=copy, check=True)
    return copy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_after_makemessages(regenerated, language):
    counts = _statistics(regenerated / "locale" / language / "LC_MESSAGES" / "django.po")
    assert counts["translated"] > 2000
    assert counts["untranslated"] == 0, f"{language}: {counts}"
    assert counts["fuzzy"] == 0, f"{language}: {counts}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_repository_holds_the_catalogues_makemessages_writes(regenerated, language):
    """The .po and the compiled .mo in the repository are up to date with the code's strings."""
    path = Path("locale") / language / "LC_MESSAGES"
    assert _messages(ROOT / path / "django.mo") == _messages(regenerated / path / "django.mo")


def _messages(mo: Path) -> dict:
    """A compiled catalogue's messages; not its header, whose creation date is the run's."""
    with mo.open("rb") as catalogue:
        messages = dict(gettext.GNUTranslations(catalogue)._catalog)
    messages.pop("", None)
    return messages
