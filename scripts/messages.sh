#!/usr/bin/env bash
# The interface's catalogues: extract every marked string of the apps and templates into
# locale/<lang>/LC_MESSAGES/django.po (new ones untranslated, changed ones fuzzy, translations
# kept), then compile the .mo files Django reads. `make messages`; the test
# tests/core/test_translations.py runs it on a copy of the tree and finds nothing to translate.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-bigscience_portal.settings.test}
languages=$("$PY" -c 'import django; django.setup(); from django.conf import settings; print(" ".join("-l " + c for c, _ in settings.LANGUAGES if c != settings.LANGUAGE_CODE))')
# shellcheck disable=SC2086
"$PY" manage.py makemessages $languages --extension html,txt,py --add-location file \
  --no-obsolete --ignore '.venv/*' --ignore 'static/*' --ignore 'staticfiles/*' \
  --ignore 'tests/*' --ignore 'bench/*' --ignore 'media/*' --ignore 'node_modules/*' >/dev/null
"$PY" manage.py compilemessages --ignore '.venv/*' >/dev/null
