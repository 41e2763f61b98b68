"""The read replica (issue 17 item 4; config/replica.py), against a genuinely second database.

The "replica" alias of the test settings is its own PostgreSQL database on the embedded server
(never a TEST MIRROR): pytest-django creates and migrates it only when a collected test names it
in `django_db(databases=...)`, as these do. `replicate()` stands in for streaming replication: at
that instant the replica becomes a copy of the primary (CREATE DATABASE … TEMPLATE). After it,
the two are made to differ — a name changed only in the replica, a row written only to the
primary — so each page shows which database it read. The router is installed here only
(override_settings); the rest of the suite runs without it.
"""

from __future__ import annotations

import datetime
import runpy
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from config import replica
from monitoring.jobs import aggregate_progress, sweep_overdue
from obligations.models import (
    ApiClient,
    AuditEntry,
    Membership,
    Obligation,
    Region,
    Task,
    Unit,
)
from obligations.services import audit
from obligations.services.api_clients import create_api_client
from tests.monitoring.conftest import World

BASE_SETTINGS = Path(__file__).resolve().parent.parent / "config" / "settings" / "base.py"
TWO_DATABASES = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
REPLICA_NAME = "东县农业农村局（副本）"
PRIMARY_NAME = "东县农业农村局（主库新名）"
REPLICA_TITLE = "只在副本中的措施名称"


def replicate():
    """The replica catches up: it becomes a copy of the primary as it is now."""
    primary, copy = connections[DEFAULT_DB_ALIAS], connections[replica.REPLICA]
    quote = primary.ops.quote_name
    source, target = primary.settings_dict["NAME"], copy.settings_dict["NAME"]
    assert source != target  # two databases, not one under two names
    primary.close()  # CREATE DATABASE … TEMPLATE needs the source without sessions
    copy.close()
    with primary._nodb_cursor() as cursor:
        # Sessions other tests left open (the browser tests' live server thread, session-scoped,
        # keeps one) would block the copy: ended here; Django's health check reconnects them.
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname IN (%s, %s) AND pid <> pg_backend_pid()", [source, target])
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


class Place:
    """World (tests/monitoring/conftest.py), a county leader, a token for the county, the
    summaries built — then replicated, and the two databases made to differ."""

    def __init__(self):
        self.world = w = World()
        self.leader = get_user_model().objects.create_user("east_leader", password="x")
        Membership.objects.create(user=self.leader, role="leader", region=w.east)
        today = datetime.date.today()
        self.task = w.task(w.east_unit, today - datetime.timedelta(days=40), title="原措施名称")
        sweep_overdue(today=today)
        aggregate_progress(today=today)
        self.api_client, key = create_api_client(name="数据平台", region=w.east, can_write=True,
                                                 units=[w.east_unit], actor=None)
        self.api = APIClient()
        self.api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        replicate()
        # The replica's content differs from the primary's ...
        Unit.objects.using("replica").filter(pk=w.east_unit.pk).update(name=REPLICA_NAME)
        Obligation.objects.using("replica").filter(pk=self.task.obligation_id).update(
            title=REPLICA_TITLE)
        # ... and the primary has moved on since.
        Unit.objects.filter(pk=w.east_unit.pk).update(name=PRIMARY_NAME)


@pytest.fixture
def routed():
    """The router on (as DATABASE_REPLICA_URL would), torn down before the databases are
    flushed (pytest-django's fixture was set up first)."""
    with override_settings(DATABASE_ROUTERS=[replica.ROUTER]):
        yield


@pytest.fixture
def place(routed):
    return Place()


class Queries:
    """The SQL each database answered during the block."""

    def __enter__(self):
        self._contexts = {alias: CaptureQueriesContext(connections[alias])
                          for alias in (DEFAULT_DB_ALIAS, replica.REPLICA)}
        for context in self._contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self._contexts.values():
            context.__exit__(*exc)

    def on(self, alias) -> list[str]:
        return [q["sql"] for q in self._contexts[alias].captured_queries]


# Tables whose reads must be fresh: the only ones a replica-eligible request reads on the primary.
FRESH = ("auth_", "django_session", "otp_", "axes_", "accounts_", "django_content_type",
         "obligations_membership", "obligations_apiclient", "obligations_auditentry")


def _from_table(sql: str) -> str:
    return sql.split(" FROM ", 1)[1].split()[0].strip('"') if " FROM " in sql else ""


@TWO_DATABASES
def test_a_dashboard_reads_the_replica(place):
    client = Client()
    client.force_login(place.leader)
    with Queries() as queries:
        response = client.get(f"/dashboard/unit/{place.world.east_unit.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert REPLICA_NAME in page and PRIMARY_NAME not in page
    assert queries.on("replica")
    # on the primary: only who the leader is and what they may see
    primary_reads = [sql for sql in queries.on("default") if sql.startswith("SELECT")]
    assert primary_reads and all(_from_table(sql).startswith(FRESH) for sql in primary_reads), \
        primary_reads
    # Raw SQL on a dashboard goes where the ORM's reads go (monitoring.dashboards.by_document).
    with Queries() as queries:
        assert client.get("/dashboard/documents/").status_code == 200
    assert any(sql.lstrip().startswith("WITH scoped") for sql in queries.on("replica"))


@TWO_DATABASES
def test_a_role_revoked_a_moment_ago_is_refused_though_the_replica_still_has_it(place):
    client = Client()
    client.force_login(place.leader)
    Membership.objects.filter(user=place.leader).delete()
    assert Membership.objects.using("replica").filter(user=place.leader).exists()
    response = client.get("/dashboard/")
    assert response.status_code == 403


@TWO_DATABASES
def test_an_api_read_with_a_token_reads_the_replica(place):
    with Queries() as queries:
        response = place.api.get("/api/v1/units/")
    assert response.status_code == 200
    assert [u["name"] for u in response.json()["results"]] == [REPLICA_NAME]
    assert queries.on("replica")
    # the token is looked up, and its last use written, on the primary
    assert ApiClient.objects.get(pk=place.api_client.pk).last_used_at is not None
    assert ApiClient.objects.using("replica").get(pk=place.api_client.pk).last_used_at is None


@TWO_DATABASES
def test_the_audit_row_of_an_api_read_chains_onto_the_primary(place):
    # The primary's chain moves on after the replica's copy: a row the replica does not have.
    audit.record(actor=None, action=audit.Action.EXPORT, subject="test:after-replication")
    newest_on_primary = AuditEntry.objects.order_by("-id").first()
    with Queries() as queries:
        response = place.api.get("/api/v1/responsibility-list/", {"format": "csv"})
    assert response.status_code == 200
    assert REPLICA_TITLE in response.content.decode()  # the list came from the replica ...
    assert queries.on("replica")
    export = AuditEntry.objects.get(subject="responsibility_list:csv")  # ... its row to the primary
    assert export.prev_mac == newest_on_primary.mac
    assert not AuditEntry.objects.using("replica").filter(subject="responsibility_list:csv")
    checked, broken, why = audit.verify()
    assert broken is None, why
    assert checked == AuditEntry.objects.count()


@TWO_DATABASES
def test_writes_and_the_pages_people_work_on_read_the_primary(place):
    w = place.world
    # A task created a moment ago: on the primary, not yet on the replica.
    fresh = w.task(w.east_unit, datetime.date.today() + datetime.timedelta(days=30),
                   title="刚建的任务")
    assert not Task.objects.using("replica").filter(pk=fresh.pk).exists()
    with Queries() as queries:
        login = Client().post("/login/", {"username": "east_official", "password": "pw"})
        report = place.api.post("/api/v1/reports/", {
            "task": fresh.pk, "expected_version": fresh.version, "status": "in_progress",
            "percent": 30, "narrative": "接口填报"}, format="json")
        official = Client()
        official.force_login(w.official)
        task_page = official.get(f"/tasks/{place.task.pk}/")
        administrator = Client()
        administrator.force_login(get_user_model().objects.create_superuser("boss", password="x"))
        uploads = administrator.get("/api/v1/document-uploads/")
    assert login.status_code == 200  # a refused password, read and counted on the primary
    assert report.status_code == 201, report.content  # the new task was found: the primary
    assert fresh.reports.count() == 1
    assert task_page.status_code == 200 and "原措施名称" in task_page.content.decode()
    assert uploads.status_code == 200  # polled right after an upload: not from the replica
    assert queries.on("replica") == []


@TWO_DATABASES
def test_reads_in_a_transaction_and_of_fresh_tables_stay_on_the_primary(routed):
    router = replica.ReplicaRouter()
    token = replica.replica_reads.set(True)
    try:
        assert router.db_for_read(Region) == "replica"
        for model in (get_user_model(), Membership, ApiClient, AuditEntry,
                      ApiClient.units.through):
            assert router.db_for_read(model) == "default", model
        with transaction.atomic():
            assert router.db_for_read(Region) == "default"
        region = Region(code="1", name="x")
        region._state.db = "default"
        assert router.db_for_read(Unit, instance=region) == "default"
    finally:
        replica.replica_reads.reset(token)
    assert router.db_for_read(Region) == "default"  # outside a dashboard or API GET
    assert router.db_for_write(Region) == "default"
    assert router.allow_migrate("default", "obligations")
    assert not router.allow_migrate("replica", "obligations")


@TWO_DATABASES
def test_without_the_router_a_dashboard_reads_the_primary(place):
    client = Client()
    client.force_login(place.leader)
    with override_settings(DATABASE_ROUTERS=[]), Queries() as queries:
        response = client.get(f"/dashboard/unit/{place.world.east_unit.pk}/")
    assert PRIMARY_NAME in response.content.decode()
    assert queries.on("replica") == []


@pytest.mark.parametrize("url", ["", "postgres://reader:secret@replica.example:5432/transition"])
def test_the_settings_add_the_replica_only_with_its_variable(monkeypatch, url):
    monkeypatch.setenv("DATABASE_REPLICA_URL", url)
    monkeypatch.setenv("CONN_MAX_AGE", "30")
    settings = runpy.run_path(str(BASE_SETTINGS))
    if not url:
        assert list(settings["DATABASES"]) == ["default"]
        assert "DATABASE_ROUTERS" not in settings
        with override_settings(DATABASE_ROUTERS=[]), pytest.raises(MiddlewareNotUsed):
            replica.ReplicaReadsMiddleware(lambda request: None)
        return
    default, copy = settings["DATABASES"]["default"], settings["DATABASES"]["replica"]
    assert (copy["HOST"], copy["NAME"], copy["USER"]) == ("replica.example", "transition", "reader")
    for key in ("ENGINE", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "ATOMIC_REQUESTS"):
        assert copy[key] == default[key], key
    assert copy["CONN_MAX_AGE"] == 30 and copy["CONN_HEALTH_CHECKS"]
    assert settings["DATABASE_ROUTERS"] == [replica.ROUTER]
    assert "config.replica.ReplicaReadsMiddleware" in settings["MIDDLEWARE"]
