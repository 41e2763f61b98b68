"""Session limits (等保 8.1.4.1 b): idle 30 minutes, 12 hours from sign-in however active,
and every session of a user ends when the password changes or the account is disabled."""

import datetime

from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts import session
from tests.accounts.conftest import PASSWORD, sign_in


def _signed_in_hours_ago(client, hours):
    stored = client.session
    stored[session.LOGIN_AT] = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    stored.save()


def test_the_idle_limit_is_thirty_minutes_counted_from_the_last_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client, people):
    sign_in(client, "longde_fupin")
    _signed_in_hours_ago(client, 11.9)
    assert client.get("/tasks/").status_code == 200
    _signed_in_hours_ago(client, 12.01)
    response = client.get("/tasks/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    # signed out for good, not only sent away once
    again = client.get("/tasks/")
    assert again.status_code == 302 and again["Location"].startswith("/login/?next=")
    assert "_auth_user_id" not in client.session
    assert client.get("/api/v1/tasks/").status_code in (401, 403)


def test_the_absolute_limit_is_a_setting(client, people, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 60 * 60
    sign_in(client, "longde_fupin")
    _signed_in_hours_ago(client, 1.01)
    assert client.get("/tasks/")["Location"] == "/login/"


def test_changing_the_password_ends_every_other_session_of_the_user(people):
    here, elsewhere = Client(), Client()
    sign_in(here, "longde_fupin")
    sign_in(elsewhere, "longde_fupin", ip="10.0.0.8")
    assert elsewhere.get("/tasks/").status_code == 200
    response = here.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": "Qiao-Lan-2030x",
        "new_password2": "Qiao-Lan-2030x"})
    assert response.status_code == 302
    assert here.get("/tasks/").status_code == 200
    assert elsewhere.get("/tasks/")["Location"].startswith("/login/")


def test_disabling_the_account_ends_its_sessions(client, people):
    sign_in(client, "longde_fupin")
    assert client.get("/tasks/").status_code == 200
    user = people["longde_fupin"]
    user.is_active = False
    user.save()
    assert client.get("/tasks/")["Location"].startswith("/login/")
    assert client.get("/api/v1/tasks/").status_code in (401, 403)
