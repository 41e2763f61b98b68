"""The funds pages' tabs: each tab only for those who may open it."""

from django import template

from funds.models import format_money
from funds.services.imports import importable_counties
from obligations.selectors import scope

register = template.Library()


@register.inclusion_tag("funds/_nav.html", takes_context=True)
def funds_nav(context, active=""):
    user = context["request"].user
    return {"active": active, "can_import": importable_counties(user).exists(),
            "can_see_dashboards": scope.can_see_dashboards(user)}


@register.filter
def yuan(value) -> str:
    """{{ amount|yuan }}: 1,234,567.89 (funds.models.format_money); empty stays empty."""
    if value is None or value == "":
        return "—"
    try:
        return format_money(value)
    except (ArithmeticError, TypeError, ValueError):
        return str(value)
