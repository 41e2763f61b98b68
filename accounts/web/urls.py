from django.urls import path

from accounts.web import views

app_name = "accounts"

urlpatterns = [
    path("", views.security, name="security"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("mfa/", views.verify, name="mfa_verify"),
    path("mfa/setup/", views.setup, name="mfa_setup"),
    path("mfa/recovery/", views.recovery_codes, name="mfa_recovery"),
]
