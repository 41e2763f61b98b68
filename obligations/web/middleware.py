"""Per-request context the services need but should not take as an argument."""

from __future__ import annotations

from django.conf import settings

from obligations.services import audit


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or — when the request came through one of the
    TRUSTED_PROXIES — the last X-Forwarded-For hop that is not itself a trusted proxy (the
    earlier hops are whatever the client claimed)."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.TRUSTED_PROXIES)
    if remote in trusted:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        for hop in reversed([h for h in hops if h]):
            if hop not in trusted:
                return hop
    return remote


class AuditContextMiddleware:
    """Makes the client address available to `audit.record` for the request's lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            audit.client_ip.reset(token)
