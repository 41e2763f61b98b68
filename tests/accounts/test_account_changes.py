"""Permission and account changes in the admin are security events (issue 14 item 3)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from obligations.models import AuditEntry


def _form(user, **changes):
    data = {"username": user.username, "first_name": user.first_name, "last_name": "",
            "email": "", "is_active": "on", "date_joined_0": "2021-01-01",
            "date_joined_1": "00:00:00", "initial-date_joined_0": "2021-01-01",
            "initial-date_joined_1": "00:00:00", "groups": [], "user_permissions": []}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_making_a_user_an_administrator_writes_one_row_with_before_and_after(client, seeded):
    User = get_user_model()
    admin, official = User.objects.get(username="admin"), User.objects.get(
        username="longde_minzheng")
    group = Group.objects.create(name="督查组")
    client.force_login(admin)
    response = client.post(f"/admin/auth/user/{official.pk}/change/",
                           _form(official, is_staff="on", is_superuser="on",
                                 groups=[group.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.USER_CHANGE)
    assert entry.actor == admin and entry.subject == f"user:{official.pk}"
    assert entry.before["is_superuser"] is False and entry.after["is_superuser"] is True
    assert entry.after["groups"] == ["督查组"] and "is_staff" in entry.summary


def test_saving_a_user_unchanged_writes_no_row(client, seeded):
    User = get_user_model()
    official = User.objects.get(username="longde_minzheng")
    client.force_login(User.objects.get(username="admin"))
    response = client.post(f"/admin/auth/user/{official.pk}/change/", _form(official))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.USER_CHANGE).exists()
