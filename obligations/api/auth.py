"""Token authentication for API clients, and per-token throttling."""

import datetime
import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from redis.exceptions import RedisError
from rest_framework import authentication, exceptions
from rest_framework.throttling import SimpleRateThrottle

from obligations.models import ApiClient

logger = logging.getLogger(__name__)


class ApiClientAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`; a revoked, expired or unknown key is refused (401). The
    time of last use is kept to the minute (one UPDATE a minute per token, not per request)."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确：应为“Token 令牌”。"))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。")) from exc
        client = (ApiClient.objects.select_related("user", "region")
                  .filter(key_hash=ApiClient.hash_key(key), revoked_at__isnull=True).first())
        if client is None or not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("令牌无效或已吊销。"))
        if client.expires_on < timezone.localdate():
            raise exceptions.AuthenticationFailed(
                _("令牌已于 %(day)s 过期，请联系管理员重新签发。") % {
                    "day": f"{client.expires_on.year}年{client.expires_on.month}月"
                           f"{client.expires_on.day}日"})
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > datetime.timedelta(minutes=1):
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return client.user, client

    def authenticate_header(self, request):
        return self.keyword


class ApiClientScheme(OpenApiAuthenticationExtension):
    target_class = "obligations.api.auth.ApiClientAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "接口令牌，格式：Token <令牌>。由管理员在后台“接口客户端”中创建和吊销。"}


class PerClientThrottle(SimpleRateThrottle):
    """Each token (or each logged-in user) has its own request budget. The budget lives in
    Redis; when Redis cannot be reached the request is let through and the failure logged
    (fail open): a throttle exists to protect the service, not to take it down with Redis."""

    scope = "api"

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("限流计数不可用（Redis：%s），本次请求不限流", error)
            return True

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiClient):
            ident = f"client-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
