"""Accounts tests: the catalog (regions, units) and the demo accounts, without the documents."""

import pytest
from django.contrib.auth import get_user_model

from obligations.services.seed import create_demo_accounts, load_catalog

PASSWORD = "Qiao-Lan-2021"  # passes every rule (12+, three classes, not a place, not common)


@pytest.fixture
def people(db):
    load_catalog()
    create_demo_accounts()
    users = {u.username: u for u in get_user_model().objects.all()}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    return users


def sign_in(client, username, password=PASSWORD, ip="10.0.0.7"):
    """The password step through the login page, as a person does it."""
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
