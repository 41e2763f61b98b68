"""Shared pytest fixtures. Domain fixtures (personas, seed data) are added by the apps' tests."""
