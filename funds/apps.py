from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """Transition funds (衔接资金): allocations, the project library, spending, assets and
    the documents' funds rules (issue 15)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "funds"
    verbose_name = _("衔接资金")
