"""Dashboard and API reads from a read replica (issue 17 item 4), when ``DATABASE_REPLICA_URL``
is set (config/settings/base.py then adds the "replica" alias and installs ``ReplicaRouter``).

The rule, in one place:

* Only a *replica-eligible request* reads the replica: a GET or HEAD of a leadership dashboard
  (``monitoring:*``, the funds and households dashboards) or of the REST API (``api:*``, under
  /api/v1/). ``ReplicaReadsMiddleware`` marks it in a context variable once the URL is
  resolved; everything else (task pages, reports, reviews, imports, login, admin, every POST)
  reads the primary.
* Even there, what must be fresh is read from the primary: sessions, users, groups and
  permissions, memberships (the roles every scope starts from), second-factor devices, login
  lockouts (axes), password history, API tokens (and their ``last_used_at``), the audit log —
  and every read inside a ``transaction.atomic`` block on the primary. ``audit.record`` reads
  the chain's previous row inside its own atomic block under the chain lock, so a new row
  always chains onto the primary's newest, never a replica's stale one. Related objects are
  read from the database their object came from (a user's memberships from the primary).
* Writes always go to the primary; migrations run only there (the replica gets its schema by
  replication).

The lag story: a streaming replica is usually well under a second behind and may be a few
seconds behind under load. A dashboard or an API list that is a few seconds old is fine — the
summaries it shows are rebuilt by a job up to a minute after each change anyway
(SUMMARY_REBUILD_DELAY_SECONDS). The page a person has just written to is never a dashboard:
a report, a review, a task page, a household all read the primary, so nobody is shown the state
from before their own change. An API client that writes and then reads at once (POST a report,
GET the list) may not see its write for that lag; document uploads, which a client polls right
after the POST, read the primary.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
ROUTER = "config.replica.ReplicaRouter"

# Whether the request being served may read the replica (set by ReplicaReadsMiddleware).
replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)

# GET/HEAD of these URL namespaces and views read the replica.
REPLICA_NAMESPACES = frozenset({"monitoring", "api"})
REPLICA_VIEWS = frozenset({"funds:dashboard", "funds:dashboard_region",
                           "households:dashboard", "households:dashboard_region"})
# ... except these: an upload's status is polled right after the upload (a read of one's write).
PRIMARY_VIEWS = frozenset({"api:document-upload-list", "api:document-upload-detail"})

# Read from the primary whatever the request: who the person is and what they may do.
PRIMARY_APPS = frozenset({"sessions", "auth", "contenttypes", "admin", "axes", "django_otp",
                          "otp_totp", "otp_static", "accounts"})
PRIMARY_MODELS = frozenset({"obligations.membership", "obligations.apiclient",
                            "obligations.auditentry"})


def replica_eligible(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name in PRIMARY_VIEWS:
        return False
    return bool(REPLICA_NAMESPACES.intersection(match.namespaces[:1])
                or match.view_name in REPLICA_VIEWS)


def _primary_only(model) -> bool:
    # An automatic many-to-many table (ApiClient.units) goes where the model that owns it goes.
    opts = (model._meta.auto_created or model)._meta
    return opts.app_label in PRIMARY_APPS or opts.label_lower in PRIMARY_MODELS


class ReplicaRouter:
    """Reads of a replica-eligible request to the replica, all else to the primary."""

    def db_for_read(self, model, **hints):
        if (not replica_reads.get() or _primary_only(model)
                or connections[DEFAULT_DB_ALIAS].in_atomic_block):
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both sides

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Marks a replica-eligible request (after URL resolution, in ``process_view``) for the
    router. Removes itself at start-up when the router is not installed: without
    ``DATABASE_REPLICA_URL`` nothing runs per request."""

    def __init__(self, get_response):
        if ROUTER not in settings.DATABASE_ROUTERS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        token = replica_reads.set(False)
        try:
            return self.get_response(request)
        finally:
            replica_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if replica_eligible(request):
            replica_reads.set(True)
