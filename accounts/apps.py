from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("账号与登录")

    def ready(self):
        from accounts import receivers  # noqa: F401  (login, failure and lockout events)
