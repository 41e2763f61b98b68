from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Overdue flags, progress aggregation, annual assessment, dashboards; households later."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = _("监测与考核")

    def ready(self):
        from monitoring.tasks import on_register_changed
        from obligations.services.changes import register_changed

        register_changed.connect(on_register_changed, dispatch_uid="monitoring.freshness")
