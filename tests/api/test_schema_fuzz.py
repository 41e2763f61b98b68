"""Schemathesis against the live OpenAPI schema: every operation, a bounded number of generated
requests each, with a token that may read and write. No response may be a 5xx, and every
documented response must match its schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from config.wsgi import application
from obligations.models import Region
from obligations.services.api_clients import create_api_client


def _schema():
    """The schema the app serves at /api/schema/ (which answers only signed-in users and
    tokens, issue 14), generated in-process, calling the app over WSGI."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))
    loaded.app = application
    return loaded


schema = _schema()


@pytest.fixture
def keep_test_connection():
    """Called as a WSGI app, Django closes the database connection after each request; the
    test's transaction lives on that connection. Django's own test client does the same."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_headers(seeded, keep_test_connection):
    import datetime

    from django.db import connection

    from funds.demo import build_demo_funds

    build_demo_funds(today=datetime.date(2025, 10, 15))  # projects, assets, allocations to read
    with connection.cursor() as cursor:  # statistics for the rows just written (see `seeded`)
        cursor.execute("ANALYZE funds_project, funds_projectfunding, funds_spending, "
                       "funds_asset, funds_allocation, funds_performancetarget")
    county = Region.objects.get(code="640423")
    _client, key = create_api_client(name="fuzz", region=county, units=county.units.all(),
                                     can_write=True, actor=None)
    return {"Authorization": f"Token {key}"}


@schema.parametrize()
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_never_errors_and_matches_its_schema(case, token_headers):
    case.call_and_validate(headers=token_headers,
                           checks=[not_a_server_error, response_schema_conformance,
                                   content_type_conformance])
