"""The portal's own date and time formats (``FORMAT_MODULE_PATH``), where a language's Django
formats are not how the portal writes it. Django's formats serve every language of
``LANGUAGES`` (da, de, es, fi, lt, nb, sv as they are) and every name a module here leaves out.

English: the portal's readers are in Europe, so day before month and 24-hour time
("15 March 2026, 17:00"), not Django's American "March 15, 2026, 5 p.m.".

Templates and code show dates through ``bigscience_portal.core.dates`` (``|when``, ``|day``).
"""
