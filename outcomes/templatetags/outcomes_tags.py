from django import template

from .. import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def value_of(context, step) -> bool:
    """Whether the user may see the step's value (``permissions.can_see_value``)."""
    request = context.get("request")
    return (
        request is not None
        and step.value_amount is not None
        and permissions.can_see_value(request.user, step)
    )
