"""Writes: one function per state change, with keyword-only arguments, an `actor`, and
its audit row in the same transaction (obligations.services.audit). Views, the API, admin
actions, commands and Celery tasks call these; nothing else writes the register."""
