"""The calls part of the user's area, computed by a tag so the core dashboard view stays generic."""

from __future__ import annotations

from django import template

from organisations import permissions as org_perms
from tenders import permissions, selectors

register = template.Library()


@register.simple_tag
def tenders_dashboard(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {}
    is_officer = org_perms.liaison_infrastructures(user).exists()
    is_company_member = permissions.interest_organisations(user).exists()
    return {
        "is_officer": is_officer,
        "waiting": list(selectors.officer_calls_waiting(user)[:20]) if is_officer else [],
        "is_company_member": is_company_member,
        "eois": list(selectors.user_eois(user)[:20]) if is_company_member else [],
        "searches": list(selectors.user_saved_searches(user)[:20]),
        "can_import_notices": permissions.can_import_notices(user),
    }
