"""The audit trail cannot be rewritten (issue 14, 等保 8.1.4.3): the database refuses UPDATE and
DELETE, audited objects cannot be deleted from under their history, every row is chained with
HMAC-SM3 so `verify_audit` finds an edited or removed row, and the purge keeps 180 days."""

import datetime

import pgtrigger
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from obligations.models import AuditEntry, Membership, PolicyDocument, Task
from obligations.services import audit
from obligations.services.reporting import report_progress

Action = AuditEntry.Action
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IGNORE = "obligations.AuditEntry:audit_append_only"


@pytest.fixture
def people(seeded):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def reported(people):
    task = Task.objects.get(obligation__document__doc_number="隆党发〔2021〕2号",
                            obligation__code="二.(二)", unit__name="扶贫办")
    for n in range(3):
        task.refresh_from_db()
        report_progress(task=task, by=people["longde_fupin"], expected_version=task.version,
                        status="in_progress", percent=10 * (n + 1), narrative=f"第{n}次",
                        uploads=[SimpleUploadedFile(f"材料{n}.pdf", PDF)] if n == 0 else [])
    return task


def test_the_database_refuses_to_update_or_delete_audit_rows(reported):
    entry = AuditEntry.objects.filter(task=reported).first()
    for sql in ("UPDATE obligations_auditentry SET summary = 'x' WHERE id = %s",
                "DELETE FROM obligations_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="改写")
    entry.refresh_from_db()
    assert entry.summary != "改写"


def test_audited_objects_cannot_be_deleted_with_their_history(reported):
    with pytest.raises(ProtectedError):
        reported.delete()
    with pytest.raises(ProtectedError):
        reported.obligation.document.delete()
    assert AuditEntry.objects.filter(task=reported).count() == 3


def test_each_row_carries_time_actor_ip_action_object_and_result(reported):
    entry = AuditEntry.objects.filter(task=reported).latest("id")
    assert entry.actor.username == "longde_fupin" and entry.action == Action.REPORT
    assert entry.result == AuditEntry.Result.SUCCESS and entry.subject.startswith("report:")
    assert entry.at and len(entry.mac) == 64 and len(entry.prev_mac) == 64


def test_verify_audit_passes_on_an_untouched_chain(reported, capsys):
    call_command("verify_audit")
    assert "校验全部相符" in capsys.readouterr().out


def test_verify_audit_names_the_first_edited_row(reported):
    rows = list(AuditEntry.objects.order_by("id"))
    victim = rows[len(rows) // 2]
    with pgtrigger.ignore(IGNORE):  # what someone with database access could do
        AuditEntry.objects.filter(pk=victim.pk).update(summary="改过的摘要")
    with pytest.raises(CommandError, match=f"编号 {victim.pk}，.*本条记录被改动"):
        call_command("verify_audit")


def test_verify_audit_finds_a_removed_row(reported):
    rows = list(AuditEntry.objects.order_by("id"))
    gone, after = rows[-2], rows[-1]
    with pgtrigger.ignore(IGNORE):
        AuditEntry.objects.filter(pk=gone.pk).delete()
    with pytest.raises(CommandError, match=f"编号 {after.pk}，.*被删除或改动"):
        call_command("verify_audit")


def test_the_purge_keeps_the_retention_period_and_the_chain(reported, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    too_recent = timezone.localdate() - datetime.timedelta(days=100)
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("purge_audit", "--before", too_recent.isoformat())
    assert AuditEntry.objects.count() >= 3
    # Age the first two rows (the mac covers the time, so re-chain them as if written then).
    old = timezone.now() - datetime.timedelta(days=400)
    rows = list(AuditEntry.objects.order_by("id"))
    with pgtrigger.ignore(IGNORE):
        previous = ""
        for entry in rows:
            if entry.pk in (rows[0].pk, rows[1].pk):
                entry.at = old
            entry.prev_mac = previous
            entry.mac = audit.mac_of(entry)
            AuditEntry.objects.filter(pk=entry.pk).update(at=entry.at, prev_mac=entry.prev_mac,
                                                          mac=entry.mac)
            previous = entry.mac
    call_command("verify_audit")
    cutoff = timezone.localdate() - datetime.timedelta(days=300)
    call_command("purge_audit", "--before", cutoff.isoformat())
    assert not AuditEntry.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).exists()
    purge = AuditEntry.objects.get(action=Action.AUDIT_PURGE)
    assert purge.after["deleted"] == 2
    call_command("verify_audit")  # the chain still checks out from the first kept row
    # …but removing the oldest kept row without a purge does not.
    first = AuditEntry.objects.order_by("id").first()
    with pgtrigger.ignore(IGNORE):
        first.delete()
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_the_client_ip_comes_from_the_trusted_proxy_only(client, reported, people, settings):
    from obligations.models import Evidence

    item = Evidence.objects.get(original_name="材料0.pdf")
    client.force_login(people["longde_fupin"])
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    client.get(f"/evidence/{item.pk}/", REMOTE_ADDR="10.0.0.1",
               HTTP_X_FORWARDED_FOR="1.2.3.4, 172.16.5.9")
    client.get(f"/evidence/{item.pk}/", REMOTE_ADDR="192.168.9.9",
               HTTP_X_FORWARDED_FOR="1.2.3.4")
    downloads = AuditEntry.objects.filter(action=Action.EVIDENCE_DOWNLOAD).order_by("id")
    assert [e.ip for e in downloads] == ["172.16.5.9", "192.168.9.9"]
    assert all(e.actor == people["longde_fupin"] and e.summary == "材料0.pdf" for e in downloads)


def test_exports_write_one_row_each(client, reported, people):
    client.force_login(people["longde_leader"])
    before = AuditEntry.objects.filter(action=Action.EXPORT).count()
    client.get("/api/v1/responsibility-list/?format=csv")
    client.get("/api/v1/responsibility-list/?format=xlsx")
    client.get("/api/v1/responsibility-list/")  # reading JSON is not an export
    exports = AuditEntry.objects.filter(action=Action.EXPORT).order_by("id")[before:]
    assert [e.subject for e in exports] == ["responsibility_list:csv", "responsibility_list:xlsx"]


def test_membership_changes_in_the_admin_are_audited(client, people):
    client.force_login(people["admin"])
    membership = Membership.objects.get(user=people["longde_minzheng"])
    response = client.post(f"/admin/obligations/membership/{membership.pk}/delete/",
                           {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.MEMBERSHIP_CHANGE)
    assert entry.actor == people["admin"] and entry.subject == f"user:{people['longde_minzheng'].pk}"
    assert entry.before["role"] == "official"


def test_a_document_without_history_is_deleted_with_an_audit_row(client, people):
    document = PolicyDocument.objects.get(doc_number="抚委农领发〔2021〕3号")
    client.force_login(people["admin"])
    response = client.post(f"/admin/obligations/policydocument/{document.pk}/delete/",
                           {"post": "yes"})
    assert response.status_code == 302 and not PolicyDocument.objects.filter(pk=document.pk)
    entry = AuditEntry.objects.get(action=Action.DOCUMENT_DELETE)
    assert entry.before["doc_number"] == "抚委农领发〔2021〕3号"


def test_a_document_with_history_is_refused_in_the_admin(client, reported, people):
    document = reported.obligation.document
    client.force_login(people["admin"])
    page = client.post(f"/admin/obligations/policydocument/{document.pk}/delete/",
                       {"post": "yes"}).content.decode()
    assert PolicyDocument.objects.filter(pk=document.pk).exists()
    assert "操作记录" in page  # the admin names the protected history
    assert not AuditEntry.objects.filter(action=Action.DOCUMENT_DELETE).exists()
