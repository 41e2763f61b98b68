"""API clients (接口客户端): creating and revoking tokens, each with its audit row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from obligations.models import (
    Region,
)
from obligations.services import audit


def api_client_errors(*, name: str, region: Region | None, can_write: bool, units,
                      expires_on) -> dict[str, list[str]]:
    """What is wrong with a client as described (field → messages); empty when it may be made.
    The admin's form shows these beside the fields; create_api_client refuses with them."""
    from django.utils import timezone

    from obligations.models import ApiClient

    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("请填写客户端名称。")]
    elif ApiClient.objects.filter(name=name).exists():
        errors["name"] = [_("已有同名的接口客户端。")]
    if region is None:
        errors["region"] = [_("请选择数据范围。")]
    if can_write and not units:
        errors["units"] = [_("可提交报告的令牌须列出可填报的单位。")]
    elif not can_write and units:
        errors["units"] = [_("只读令牌不需要填报单位；要填报请勾选“可提交进展报告”。")]
    elif region is not None:
        outside = [u.name for u in units if not u.region.path.startswith(region.path)]
        if outside:
            errors["units"] = [_("这些单位不在令牌的数据范围（%(region)s）内：%(names)s") % {
                "region": region.name, "names": "、".join(outside)}]
    if expires_on is not None and expires_on <= timezone.localdate():
        errors["expires_on"] = [_("有效期须晚于今天。")]
    return errors


@transaction.atomic
def create_api_client(*, name: str, region: Region, can_write: bool, actor, units=(),
                      expires_on=None) -> tuple:
    """(client, key): the key is returned once and never stored in clear. A token that may
    write names the units it reports for (never a whole region), all within its region; every
    token has an expiry date (default API_TOKEN_DAYS from today)."""
    import secrets

    from django.contrib.auth import get_user_model

    from obligations.models import ApiClient, Membership
    from obligations.models.api import default_expiry

    name = (name or "").strip()
    units = list(units or [])
    expires_on = expires_on or default_expiry()
    errors = api_client_errors(name=name, region=region, can_write=can_write, units=units,
                               expires_on=expires_on)
    if errors:
        raise ValidationError(errors)
    key = secrets.token_urlsafe(32)
    user = get_user_model().objects.create_user(username=f"api-{secrets.token_hex(6)}",
                                                first_name=name[:150])
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, unit=None, role=Membership.Role.LEADER, region=region)
    client = ApiClient.objects.create(name=name, user=user, region=region, can_write=can_write,
                                      key_prefix=key[:8], key_hash=ApiClient.hash_key(key),
                                      expires_on=expires_on)
    client.units.set(units)
    audit.record(
        actor=actor, action=audit.Action.API_CLIENT_CREATE,
        subject=audit.subject("api_client", client.pk),
        summary=_("创建接口客户端“%(name)s”（%(region)s%(write)s）") % {
            "name": name, "region": region.name, "write": _("，可提交报告") if can_write else ""},
        # never the key: only its prefix, as the admin list shows it
        after={"name": name, "region": region.code, "can_write": can_write,
               "units": sorted(u.pk for u in units), "expires_on": expires_on.isoformat(),
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

