import pytest
from rest_framework.test import APIClient

from obligations.models import Region, Unit
from obligations.services.api_clients import create_api_client


@pytest.fixture
def token_for(seeded):
    """token_for("640423", can_write=False) → an APIClient authenticated by a fresh token."""

    def make(region_code, *, can_write=False, units=None):
        """A writing token is given the units it reports for: by default every unit of the
        region itself (named one by one, as an administrator would)."""
        region = Region.objects.get(code=region_code)
        if can_write and units is None:
            units = Unit.objects.filter(region=region)
        client, key = create_api_client(name=f"client-{region_code}-{can_write}",
                                        region=region, can_write=can_write,
                                        units=units or [], actor=None)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        api.api_client = client
        return api

    return make
