"""Shared pytest fixtures. Domain fixtures (personas, seed data) are added by the apps' tests."""


# The seed register fixtures are shared by every test package.
from tests.obligations.conftest import parsed_seeds, seeded  # noqa: E402, F401
