"""How a user is named on a page: the name they go by, else their login."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def person(user) -> str:
    """A report's submitter or reviewer may be empty (an account since deleted, an import)."""
    if user is None:
        return _("（未记录）")
    return user.first_name or user.username
