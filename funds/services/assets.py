"""The asset ledger (资产台账, 001 第三章第六节; 004 二(一)4): assets a project built are
registered at 资产移交, their income recorded by use, and disposed of only with an approval.
Non-household assets belong to the village collective by default ("XX村集体经济组织").
Each change is one transaction with one audit row (FUNDS_CHANGE); refusals raise
ValidationError with a Chinese message and write nothing."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funds import selectors
from funds.models import Asset, AssetIncome, Project
from funds.services.projects import parse_amount
from obligations.models import Region
from obligations.services import audit

REGISTRABLE = {Project.Status.HANDED_OVER, Project.Status.EVALUATED}
ASSET_FIELDS = ("name", "kind", "value", "owner", "operator", "caretaker", "caretaker_person",
                "caretaking_mode", "performance_target", "exit_terms")


def default_owner(region: Region) -> str:
    """The village collective of the asset's place: 北关村 → 北关村集体经济组织."""
    return f"{region.name}集体经济组织" if region.level == Region.Level.VILLAGE else ""


def _next_code(project: Project) -> str:
    n = Asset.objects.filter(code__startswith=f"{project.code}-ZC").count() + 1
    while Asset.objects.filter(code=f"{project.code}-ZC{n:02d}").exists():
        n += 1
    return f"{project.code}-ZC{n:02d}"


def register(*, project: Project, actor, data: dict) -> Asset:
    """An asset of the project, at 资产移交: kind, value, owner (the village collective unless
    a household asset or given), operator, caretaker …"""
    data = {field: data[field] for field in ASSET_FIELDS if field in data}
    if not (data.get("name") or "").strip():
        raise ValidationError(_("请填写资产名称。"))
    if data.get("kind") not in Asset.Kind.values:
        raise ValidationError(_("请选择资产类别。"))
    data["value"] = parse_amount(data.get("value"), _("资产价值"))
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("region").get(pk=project.pk)
        if not selectors.can_manage_assets(actor, project.region):
            raise ValidationError(_("只有县级审核人可以登记资产。"), code="forbidden")
        if project.status not in REGISTRABLE:
            raise ValidationError(_("项目资产移交后才能登记资产（当前为“%(status)s”）。")
                                  % {"status": project.get_status_display()})
        if not (data.get("owner") or "").strip() and data["kind"] != Asset.Kind.HOUSEHOLD:
            data["owner"] = default_owner(project.region)
            if not data["owner"]:
                raise ValidationError(_("项目不在村级，请填写资产所有权人。"))
        asset = Asset.objects.create(project=project, region=project.region,
                                     code=_next_code(project), **data)
        audit.record(actor=actor, action=audit.Action.FUNDS_CHANGE,
                     subject=audit.subject("asset", asset.pk),
                     summary=_("登记资产 %(code)s %(name)s（%(kind)s，%(value)s 元）") % {
                         "code": asset.code, "name": asset.name,
                         "kind": asset.get_kind_display(), "value": asset.value},
                     after={"project": project.pk, "kind": asset.kind,
                            "value": str(asset.value), "owner": asset.owner})
    return asset


def record_income(*, asset: Asset, actor, year: int, use: str, amount) -> AssetIncome:
    if use not in AssetIncome.Use.values:
        raise ValidationError(_("请选择收益用途。"))
    amount = parse_amount(amount, _("收益金额"))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError(_("请填写有效的年度。"))
    with transaction.atomic():
        asset = Asset.objects.select_for_update().select_related("region").get(pk=asset.pk)
        if not selectors.can_record_income(actor, asset.region):
            raise ValidationError(_("您无权填报该资产的收益。"), code="forbidden")
        if asset.status == Asset.Status.DISPOSED:
            raise ValidationError(_("资产已处置，不能再填报收益。"))
        income = AssetIncome.objects.create(asset=asset, year=year, use=use, amount=amount)
        audit.record(actor=actor, action=audit.Action.FUNDS_CHANGE,
                     subject=audit.subject("asset", asset.pk),
                     summary=_("资产 %(code)s %(year)s年收益 %(amount)s 元用于%(use)s") % {
                         "code": asset.code, "year": year, "amount": amount,
                         "use": income.get_use_display()},
                     after={"year": year, "use": use, "amount": str(amount)})
    return income


def dispose(*, asset: Asset, actor, approval: str, on: datetime.date | None = None) -> Asset:
    """处置: only with the approval record (文件名称或文号); refused without."""
    approval = (approval or "").strip()
    if not approval:
        raise ValidationError(_("处置资产须填写审批文件（名称或文号），未经审批不得处置。"))
    with transaction.atomic():
        asset = Asset.objects.select_for_update().select_related("region").get(pk=asset.pk)
        if not selectors.can_manage_assets(actor, asset.region):
            raise ValidationError(_("只有县级审核人可以处置资产。"), code="forbidden")
        if asset.status == Asset.Status.DISPOSED:
            raise ValidationError(_("资产已处置。"))
        before = {"status": asset.status}
        asset.status = Asset.Status.DISPOSED
        asset.disposal_approval = approval[:200]
        asset.disposed_on = on or timezone.localdate()
        asset.save(update_fields=["status", "disposal_approval", "disposed_on"])
        audit.record(actor=actor, action=audit.Action.FUNDS_CHANGE,
                     subject=audit.subject("asset", asset.pk),
                     summary=_("处置资产 %(code)s，审批文件：%(approval)s") % {
                         "code": asset.code, "approval": asset.disposal_approval},
                     before=before, after={"status": asset.status,
                                           "approval": asset.disposal_approval,
                                           "disposed_on": asset.disposed_on.isoformat()})
    return asset
