"""API clients (接口客户端): creating and revoking tokens, each with its audit row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from obligations.models import (
    Region,
)
from obligations.services import audit


@transaction.atomic
def create_api_client(*, name: str, region: Region, can_write: bool, actor) -> tuple:
    """(client, key): the key is returned once and never stored in clear."""
    import secrets

    from django.contrib.auth import get_user_model

    from obligations.models import ApiClient, Membership

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写客户端名称。")})
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有同名的接口客户端。")})
    key = secrets.token_urlsafe(32)
    user = get_user_model().objects.create_user(username=f"api-{secrets.token_hex(6)}",
                                                first_name=name[:150])
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, unit=None, role=Membership.Role.LEADER, region=region)
    client = ApiClient.objects.create(name=name, user=user, region=region, can_write=can_write,
                                      key_prefix=key[:8], key_hash=ApiClient.hash_key(key))
    audit.record(
        actor=actor, action=audit.Action.API_CLIENT_CREATE,
        subject=audit.subject("api_client", client.pk),
        summary=_("创建接口客户端“%(name)s”（%(region)s%(write)s）") % {
            "name": name, "region": region.name, "write": _("，可提交报告") if can_write else ""},
        # never the key: only its prefix, as the admin list shows it
        after={"name": name, "region": region.code, "can_write": can_write,
               "key_prefix": client.key_prefix})
    return client, key


@transaction.atomic
def revoke_api_client(*, client, actor) -> bool:
    """Revokes the client's token and deactivates its service user. True when it was revoked
    now; False (and no audit row) when it already was."""
    from django.utils import timezone

    from obligations.models import ApiClient

    client = ApiClient.objects.select_for_update(of=("self",)).select_related("user").get(
        pk=client.pk)
    if client.revoked_at is not None:
        return False
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    audit.record(
        actor=actor, action=audit.Action.API_CLIENT_REVOKE,
        subject=audit.subject("api_client", client.pk),
        summary=_("吊销接口客户端“%(name)s”的令牌") % {"name": client.name},
        before={"revoked_at": None}, after={"revoked_at": client.revoked_at.isoformat()})
    return True

