"""Shared pytest fixtures. Domain fixtures (personas, seed data) are added by the apps' tests."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

# The seed register fixtures are shared by every test package.
from tests.obligations.conftest import parsed_seeds, seeded  # noqa: E402, F401

_force_login = Client.force_login


@pytest.fixture(autouse=True)
def force_login_is_a_complete_sign_in(monkeypatch):
    """`client.force_login(user)` stands for a complete sign-in: the password and, where the
    user's role requires one (accounts.selectors.mfa_required), the second factor, as if the
    user had entered a code from their authenticator. tests/accounts sign in through the real
    steps, and pass `otp=False` for a session that passed the password only."""
    from accounts.selectors import mfa_required
    from tests.accounts.helpers import verify_session

    def force_login(self, user, backend=None, *, otp=True):
        _force_login(self, user, backend)
        if otp and mfa_required(get_user_model().objects.get(pk=user.pk)):
            verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
