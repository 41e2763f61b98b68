"""The demo households: every case state, generated people only, and — the issue's test — a
pg_dump of the database and the application's log output carry no plaintext 身份证号."""

from __future__ import annotations

import datetime
import logging
import re
import subprocess

import pytest
from django.db import connection

from households import crypto, idcard
from households.demo import build_demo_households
from households.models import Case, Member
from obligations.services.seed import create_demo_accounts, load_catalog

ID18 = re.compile(rb"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")
TODAY = datetime.date(2025, 10, 15)


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    """Committed (transactional_db), so that pg_dump, another connection, sees the rows."""
    load_catalog()
    create_demo_accounts()
    return build_demo_households(today=TODAY)


def test_every_state_and_a_second_run_writes_nothing(demo):
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert demo["members"] == Member.objects.count() > 50
    assert build_demo_households(today=TODAY) is None
    from households.rounds import rounds_for

    found = rounds_for(None, TODAY)
    assert any(r.missed for r in found) and any(not r.missed for r in found)


def _pg_dump() -> bytes:
    """The whole database as plain SQL, with the system's own pg_dump (services.backup)."""
    from obligations.services.backup import _conn_args, _env, pg_tool

    db = connection.settings_dict
    return subprocess.run([pg_tool("pg_dump"), "--format=plain", "--no-owner", *_conn_args(db)],
                          env=_env(db), capture_output=True, check=True).stdout


def _could_be_id(text: str) -> bool:
    try:
        idcard.parse(text)
    except ValueError:
        return False
    return True


def test_no_plaintext_id_number_in_a_dump_or_the_logs(demo, caplog, client):
    from django.contrib.auth import get_user_model

    numbers = [crypto.decrypt(c, "id_number")
               for c in Member.objects.values_list("id_number_cipher", flat=True)]
    assert len(numbers) == demo["members"]
    with caplog.at_level(logging.DEBUG):
        client.force_login(get_user_model().objects.get(username="longde_nongban"))
        household = Member.objects.filter(household__region__code="640423100201").first().household
        client.get("/households/")
        client.get(f"/households/{household.pk}/")
        client.post(f"/households/{household.pk}/reveal/", {
            "member": household.members.first().pk, "field": "id_number", "reason": "核对身份"})
    logged = "\n".join(r.getMessage() for r in caplog.records).encode()
    dump = _pg_dump()
    assert b"households_member" in dump  # the table is in the dump…
    for number in numbers:
        assert number.encode() not in dump and number.encode() not in logged
    # …and nothing in it that could be an ID number: 18 digits with a valid birth date and
    # check digit (random hex of hashes and keys holds 18-digit runs now and then, which are
    # not personal data; a real number always passes idcard.parse).
    assert [m.group() for m in ID18.finditer(dump) if _could_be_id(m.group().decode())] == []
