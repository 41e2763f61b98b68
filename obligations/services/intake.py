"""Document intake (issue 13): upload → parse (a Celery task) → preview → publish.

Nothing reaches the register before `publish_upload`: the parse writes only the upload row
(its text, the parsed document as JSON, progress and errors). Publishing is one service
call: `save_parsed_document` writes the obligations, units, tasks and milestones and its
audit row ("document imported", with the publisher as actor) in the same transaction.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obligations.importers import DocumentError, ParsedDocument, parse_text
from obligations.importers.formats import read_document
from obligations.importers.responsibility import split_names
from obligations.models import DocumentUpload, Period, PolicyDocument, Region
from obligations.services import audit
from obligations.services.documents import save_parsed_document
from obligations.services.uploads import check_zip_upload, extension_of, stored_name


def max_document_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_MB", 20)) * 1024 * 1024


@transaction.atomic
def upload_document(*, upload_file, region: Region | None, actor) -> DocumentUpload:
    """Stores the file (nothing parsed yet); the caller queues `parse_upload` on commit.
    Refuses an empty or oversized file with a Chinese message, writing nothing."""
    name = (getattr(upload_file, "name", "") or "").rsplit("/", 1)[-1][:200]
    size = getattr(upload_file, "size", None) or 0
    if not name:
        raise ValidationError({"file": _("请选择要上传的文件。")})
    if size == 0:
        raise ValidationError({"file": _("“%(name)s”是空文件。") % {"name": name}})
    if size > max_document_bytes():
        raise ValidationError({"file": _("“%(name)s”超过 %(mb)s MB，请压缩或拆分后再上传。")
                                       % {"name": name, "mb": max_document_bytes() // 2**20}})
    digest = hashlib.sha256()
    for chunk in upload_file.chunks():
        digest.update(chunk)
    upload_file.seek(0)
    try:  # a .docx that is a zip bomb is refused before anything is stored
        check_zip_upload(upload_file.read(), name=name)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    finally:
        upload_file.seek(0)
    upload = DocumentUpload(file_name=name, size=size, sha256=digest.hexdigest(),
                            region=region, uploaded_by=actor)
    # A random name in storage; the original name is file_name, the download's file name.
    upload.file.save(stored_name(extension_of(name)), upload_file, save=False)
    upload.save()
    return upload


def _set(upload: DocumentUpload, **fields) -> None:
    DocumentUpload.objects.filter(pk=upload.pk).update(**fields)
    for key, value in fields.items():
        setattr(upload, key, value)


def parse_upload(*, upload_id: int) -> DocumentUpload:
    """Reads and parses the stored file; records the result or the reason it can't be read.
    Idempotent: a parsed, failed or published upload is left as it is."""
    upload = DocumentUpload.objects.get(pk=upload_id)
    if upload.status not in (DocumentUpload.Status.QUEUED, DocumentUpload.Status.PARSING):
        return upload
    _set(upload, status=DocumentUpload.Status.PARSING, progress=10)
    with upload.file.open("rb") as handle:
        data = handle.read()
    try:
        text = read_document(data, source_name=upload.file_name,
                             max_bytes=max_document_bytes())
        _set(upload, progress=50, text=text)
        parsed = parse_text(text, source_name=upload.file_name)
    except DocumentError as error:
        _set(upload, status=DocumentUpload.Status.FAILED, progress=100, error=str(error))
        return upload
    _set(upload, status=DocumentUpload.Status.PARSED, progress=100, parsed=parsed.to_dict(),
         error="")
    return upload


def fail_upload(*, upload_id: int, message: str) -> None:
    """The parse ran over its time limit (or died): the person sees why."""
    DocumentUpload.objects.filter(pk=upload_id).exclude(
        status=DocumentUpload.Status.PUBLISHED).update(
        status=DocumentUpload.Status.FAILED, progress=100, error=message)


def same_content_document(upload: DocumentUpload) -> PolicyDocument | None:
    """A document already in the register with this upload's text (same file uploaded twice,
    with or without a 文号)."""
    if not upload.text.strip():
        return None
    return PolicyDocument.objects.filter(source_text=upload.text).first()


@transaction.atomic
def publish_upload(*, upload: DocumentUpload, actor) -> PolicyDocument:
    """Writes the previewed document into the register (tasks and milestones included)."""
    locked = DocumentUpload.objects.select_for_update(of=("self",)).get(pk=upload.pk)
    if locked.status == DocumentUpload.Status.PUBLISHED:
        raise ValidationError(_("这份文件已经发布，未重复写入。"))
    if locked.status != DocumentUpload.Status.PARSED:
        raise ValidationError(_("文件尚未解析完成，不能发布。"))
    existing = same_content_document(locked)
    if existing is not None:
        raise ValidationError(_("内容相同的文件已在责任清单中：%(title)s，未重复写入。")
                              % {"title": existing.title})
    parsed = ParsedDocument.from_dict(locked.parsed)
    chosen = locked.parsed.get("period_id")
    document = save_parsed_document(parsed=parsed, source_text=locked.text,
                                    region=locked.region, actor=actor,
                                    period=Period.objects.filter(pk=chosen).first() if chosen else None)
    _set(locked, status=DocumentUpload.Status.PUBLISHED, document=document,
         published_at=timezone.now())
    return document


@transaction.atomic
def correct_measure(*, upload: DocumentUpload, index: int, code: str, lead_units: str,
                    supporting_units: str, deadline_text: str, actor) -> DocumentUpload:
    """A person's correction of one measure in the preview, before publishing: its number,
    lead and supporting units (as written, separated by 、), deadline. One audit row."""
    locked = DocumentUpload.objects.select_for_update(of=("self",)).get(pk=upload.pk)
    if locked.status != DocumentUpload.Status.PARSED:
        raise ValidationError(_("只有待发布的文件可以修改。"))
    nodes = locked.parsed.get("nodes", [])
    if not 0 <= index < len(nodes) or nodes[index].get("kind") != "measure":
        raise ValidationError(_("要修改的措施不存在。"))
    code = (code or "").strip()
    errors = {}
    if not code:
        errors["code"] = [_("请填写序号。")]
    elif any(i != index and n.get("code") == code for i, n in enumerate(nodes)):
        errors["code"] = [_("序号“%(code)s”已被另一项措施使用。") % {"code": code}]
    lead, support = split_names(lead_units or ""), split_names(supporting_units or "")
    if set(lead) & set(support):
        errors["supporting_units"] = [_("同一单位不能既牵头又配合：%(names)s") % {
            "names": "、".join(sorted(set(lead) & set(support)))}]
    if errors:
        raise ValidationError(errors)
    node = nodes[index]
    before = {"code": node["code"], "lead": _names(node, "lead"),
              "support": _names(node, "support"), "deadline_text": node.get("deadline_text", "")}
    kept = [u for u in node.get("units", []) if u.get("from_rule")]
    node["units"] = ([{"name": n, "role": "lead", "wording": "", "clause": None,
                       "from_rule": False} for n in lead]
                     + [{"name": n, "role": "support", "wording": "", "clause": None,
                         "from_rule": False} for n in support] + kept)
    node["code"], node["deadline_text"] = code, (deadline_text or "").strip()
    node["flags"] = [f for f in node.get("flags", []) if f.get("kind") != "no_lead_unit"]
    if not lead:
        node["flags"].append({"kind": "no_lead_unit", "message": "未明确责任单位"})
    after = {"code": code, "lead": lead, "support": support,
             "deadline_text": node["deadline_text"]}
    _set(locked, parsed=locked.parsed)
    audit.record(actor=actor, action=audit.Action.UPLOAD_CORRECT,
                 subject=audit.subject("document_upload", locked.pk),
                 summary=_("修改待发布文件“%(file)s”的措施 %(code)s") % {
                     "file": locked.file_name, "code": code},
                 before=before, after=after)
    return locked


def _names(node: dict, role: str) -> list[str]:
    return [u["name"] for u in node.get("units", []) if u["role"] == role and not u.get("from_rule")]


def _locked_measure(upload: DocumentUpload, index: int):
    locked = DocumentUpload.objects.select_for_update(of=("self",)).get(pk=upload.pk)
    if locked.status != DocumentUpload.Status.PARSED:
        raise ValidationError(_("只有待发布的文件可以修改。"))
    nodes = locked.parsed.get("nodes", [])
    if not 0 <= index < len(nodes) or nodes[index].get("kind") != "measure":
        raise ValidationError(_("要修改的措施不存在。"))
    return locked, nodes


def _first_sentence(text: str) -> str:
    for stop in "。；;":
        if stop in text:
            return text.split(stop, 1)[0][:200]
    return text[:200]


@transaction.atomic
def split_measure(*, upload: DocumentUpload, index: int, at: str, new_code: str,
                  actor) -> DocumentUpload:
    """Splits a measure the parser read as one into two, before publishing: the second begins
    at the words `at` (which must occur in the measure's text after its start) and gets the
    number `new_code`. Both keep the units, leaders and deadline as read (flagged for a
    person to check); one audit row."""
    locked, nodes = _locked_measure(upload, index)
    node = nodes[index]
    at, new_code = (at or "").strip(), (new_code or "").strip()
    whole = node.get("text") or node.get("title") or ""
    errors = {}
    position = whole.find(at) if at else -1
    if not at:
        errors["at"] = [_("请填写第二项开头的文字。")]
    elif position <= 0:
        errors["at"] = [_("措施原文中（开头之后）找不到“%(at)s”。") % {"at": at[:40]}]
    if not new_code:
        errors["new_code"] = [_("请填写拆出的措施的序号。")]
    elif any(n.get("code") == new_code for n in nodes):
        errors["new_code"] = [_("序号“%(code)s”已被另一项措施使用。") % {"code": new_code}]
    if errors:
        raise ValidationError(errors)
    first, second = whole[:position].rstrip(), whole[position:].strip()
    check = {"kind": "numbering", "message": "由拆分而来：请核对单位和时限"}
    new = {**json.loads(json.dumps(node)), "code": new_code, "number": "", "text": second,
           "title": _first_sentence(second)}
    new["flags"] = [*new.get("flags", []), check]
    if not node.get("text"):  # a one-line measure: its title was the whole of it
        node["title"] = first
    node["text"] = first if node.get("text") else ""
    node["flags"] = [*node.get("flags", []), check]
    nodes.insert(index + 1, new)
    _set(locked, parsed=locked.parsed)
    audit.record(actor=actor, action=audit.Action.UPLOAD_CORRECT,
                 subject=audit.subject("document_upload", locked.pk),
                 summary=_("拆分待发布文件“%(file)s”的措施 %(code)s，拆出 %(new)s") % {
                     "file": locked.file_name, "code": node["code"], "new": new_code},
                 before={"code": node["code"], "text": whole},
                 after={"codes": [node["code"], new_code], "texts": [first, second]})
    return locked


@transaction.atomic
def merge_with_next(*, upload: DocumentUpload, index: int, actor) -> DocumentUpload:
    """Merges a measure with the next one (the parser split what the document says once):
    texts joined, lead units of both (a unit leading in either leads), supporting units of
    both that do not lead, deadlines kept in order; the merged measure keeps the first
    number. One audit row."""
    locked, nodes = _locked_measure(upload, index)
    following = next((i for i in range(index + 1, len(nodes))
                      if nodes[i].get("kind") == "measure"), None)
    if following is None or nodes[following].get("parent_code") != nodes[index].get(
            "parent_code"):
        raise ValidationError(_("这是本部分的最后一项措施，没有可合并的下一项。"))
    first, second = nodes[index], nodes[following]
    lead = [*_unique([u["name"] for u in first["units"] + second["units"]
                      if u["role"] == "lead"])]
    units = [u for u in first["units"] + second["units"] if u["role"] == "lead"]
    units = [next(u for u in units if u["name"] == name) for name in lead]
    support_seen = set(lead)
    for unit in first["units"] + second["units"]:
        if unit["role"] != "lead" and unit["name"] not in support_seen:
            support_seen.add(unit["name"])
            units.append(unit)
    deadlines = _unique([d for d in (first.get("deadline_text"), second.get("deadline_text"))
                         if d])
    before = {"codes": [first["code"], second["code"]]}
    first["text"] = "".join(p for p in (first.get("text") or first.get("title", ""),
                                        second.get("text") or second.get("title", "")) if p)
    first["units"] = units
    first["deadline_text"] = "；".join(deadlines)
    for key in ("leaders", "persons", "clauses"):
        first[key] = [*first.get(key, []), *[x for x in second.get(key, [])
                                            if x not in first.get(key, [])]]
    first["flags"] = [f for f in first.get("flags", []) + second.get("flags", [])
                      if f.get("kind") != "no_lead_unit" or not lead]
    first["flags"] = [dict(t) for t in {json.dumps(f, sort_keys=True): f
                                        for f in first["flags"]}.values()]
    del nodes[following]
    _set(locked, parsed=locked.parsed)
    audit.record(actor=actor, action=audit.Action.UPLOAD_CORRECT,
                 subject=audit.subject("document_upload", locked.pk),
                 summary=_("合并待发布文件“%(file)s”的措施 %(a)s 和 %(b)s") % {
                     "file": locked.file_name, "a": before["codes"][0], "b": before["codes"][1]},
                 before=before, after={"code": first["code"], "lead": lead,
                                       "deadline_text": first["deadline_text"]})
    return locked


def _unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


@transaction.atomic
def set_upload_period(*, upload: DocumentUpload, period_id, actor) -> DocumentUpload:
    """The period a document to publish belongs to, when its date and wording were read wrong
    (a 2026 分工方案 dated in December 2025, say). One audit row."""
    locked = DocumentUpload.objects.select_for_update(of=("self",)).get(pk=upload.pk)
    if locked.status != DocumentUpload.Status.PARSED:
        raise ValidationError(_("只有待发布的文件可以修改。"))
    period = Period.objects.filter(pk=period_id).first() if str(period_id).isdigit() else None
    if period is None:
        raise ValidationError(_("请选择文件所属的时期。"))
    before = locked.parsed.get("period_id")
    locked.parsed = {**locked.parsed, "period_id": period.pk}
    locked.save(update_fields=["parsed"])
    audit.record(actor=actor, action=audit.Action.UPLOAD_CORRECT,
                 subject=audit.subject("document_upload", locked.pk),
                 summary=_("“%(title)s”所属时期改为%(period)s") % {
                     "title": locked.parsed.get("title", "")[:80], "period": str(period)},
                 before={"period_id": before}, after={"period_id": period.pk})
    return locked
