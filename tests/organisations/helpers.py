"""What several organisations tests post: a profile form's data."""

from organisations.models import Organisation


def profile_post(org: Organisation, **overrides) -> dict:
    """The edit form of ``org`` as a browser posts it (no references), with ``overrides``."""
    data = {
        "kind": org.kind,
        "name": org.name,
        "acronym": org.acronym,
        "legal_name": "",
        "country": str(org.country),
        "city": org.city,
        "website": "",
        "email": "",
        "description": "",
        "size_class": org.size_class,
        "employees": "",
        "turnover_eur": "",
        "capabilities": "Changed capabilities: cryogenic transfer lines.",
        "cpv_codes": "42123000",
        "nace_codes": "",
        "status": org.status,
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


#: a cell that a spreadsheet would run as a command (OWASP CSV injection)
INJECTION = "=cmd|' /C calc'!A0"
