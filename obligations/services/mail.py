"""Reminders and escalations by email: one digest per person, after each sweep.

The sweep writes inbox entries in SQL (obligations.lights); this sends those not yet
emailed to people who have an address, through Django's mail settings, and marks them
sent in one UPDATE. A failed send marks nothing, so the next run sends them again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from obligations.models import Notification

DIGEST_KINDS = [Notification.Kind.REMINDER, Notification.Kind.ESCALATION]


def email_reminders(*, now: datetime.datetime) -> dict:
    pending = (Notification.objects
               .filter(kind__in=DIGEST_KINDS, emailed_at__isnull=True,
                       created_at__gte=now - datetime.timedelta(days=settings.REMINDER_EMAIL_DAYS))
               .exclude(user__email="")
               .order_by("user_id", "kind", "id")
               .values_list("id", "user__email", "user__first_name", "kind", "title", "body", "link"))
    by_person: dict[str, list] = defaultdict(list)
    ids = []
    for row in pending.iterator(chunk_size=2000):
        ids.append(row[0])
        by_person[row[1]].append(row)
    messages = [_digest(address, rows) for address, rows in by_person.items()]
    sent = get_connection().send_messages(messages) if messages else 0
    Notification.objects.filter(pk__in=ids).update(emailed_at=now)
    return {"emails": sent or 0, "notifications": len(ids)}


def _digest(address: str, rows: list) -> EmailMessage:
    name = rows[0][2]
    escalations = sum(1 for r in rows if r[3] == Notification.Kind.ESCALATION)
    subject = _("过渡期责任落实系统：%(n)s 条到期提醒和逾期督办") % {"n": len(rows)}
    lines = [_("%(name)s，您好：") % {"name": name or address}, ""]
    if escalations:
        lines += [_("其中 %(n)s 条是逾期督办，请尽快处理。") % {"n": escalations}, ""]
    for _id, _email, _name, _kind, title, body, link in rows:
        lines.append(f"· {title}")
        if body:
            lines.append(f"  {body}")
        if link:
            lines.append(f"  {settings.SITE_URL}{link}")
    lines += ["", _("请登录系统填报进展；本邮件由系统自动发送，请勿回复。")]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [address])
