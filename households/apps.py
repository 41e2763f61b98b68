from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    """防止返贫动态监测和帮扶 (issue 16): households at risk, their members (personal data
    encrypted at rest, masked everywhere), the procedure from 线索 to 已消除风险, and 一户一策."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "households"
    verbose_name = _("防止返贫动态监测")
