import pytest
from rest_framework.test import APIClient

from obligations.models import Region
from obligations.services.api_clients import create_api_client


@pytest.fixture
def token_for(seeded):
    """token_for("640423", can_write=False) → an APIClient authenticated by a fresh token."""

    def make(region_code, *, can_write=False):
        client, key = create_api_client(name=f"client-{region_code}-{can_write}",
                                        region=Region.objects.get(code=region_code),
                                        can_write=can_write, actor=None)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        api.api_client = client
        return api

    return make
