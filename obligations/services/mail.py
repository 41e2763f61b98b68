"""Reminders and escalations by email: one digest per person, after each sweep.

The sweep writes inbox entries in SQL (obligations.lights); this sends those not yet emailed to
people who have an address, through Django's mail settings (the Celery task
monitoring.tasks.email_reminders in production, with retries).

A notification is marked emailed only after the SMTP server accepted the message carrying it:
each person's digest is one step — lock that person's pending notifications, send, mark them,
commit — so a server that refuses a message, or goes away in the middle of a run, leaves exactly
the digests it did not accept unmarked for the retry or the next run. (A message the server
accepted whose mark then fails to commit is sent again: at least once, never silently lost.)
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils.translation import gettext as _

from obligations.models import Notification

logger = logging.getLogger(__name__)

DIGEST_KINDS = [Notification.Kind.REMINDER, Notification.Kind.ESCALATION]

# The server answered this one message with an error (4xx/5xx to MAIL, RCPT or DATA) and is
# still talking: the next person's digest is tried. Any other OSError (refused, reset, timed
# out, disconnected) means the server is gone: the remaining digests wait for the retry.
MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                   smtplib.SMTPDataError)


class DigestsNotSent(Exception):
    """Some digests were not accepted by the SMTP server; their notifications stay unmarked.
    `counts` is the run's emails / notifications / not_sent."""

    def __init__(self, counts: dict):
        super().__init__(counts)
        self.counts = counts

    def __str__(self):
        return _("%(n)s 封提醒邮件未被邮件服务器接收，相应通知未标记为已发送，将重试。") % {
            "n": self.counts.get("not_sent", 0)}


def _pending(now: datetime.datetime):
    return (Notification.objects
            .filter(kind__in=DIGEST_KINDS, emailed_at__isnull=True,
                    created_at__gte=now - datetime.timedelta(days=settings.REMINDER_EMAIL_DAYS))
            .exclude(user__email=""))


def email_reminders(*, now: datetime.datetime) -> dict:
    """Sends each person's digest and marks its notifications, person by person. Raises
    DigestsNotSent (after sending all it could) when the server did not accept some."""
    people = list(_pending(now).order_by("user_id").values_list("user_id", flat=True).distinct())
    counts = {"emails": 0, "notifications": 0, "not_sent": 0}
    if not people:
        return counts
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except OSError as exc:
        logger.warning("提醒邮件：无法连接邮件服务器（%s），%s 封均未发送", exc, len(people))
        raise DigestsNotSent({**counts, "not_sent": len(people)}) from exc
    try:
        for done, user_id in enumerate(people):
            try:
                marked = _send_and_mark(user_id, connection=connection, now=now)
            except MESSAGE_REFUSED as exc:
                counts["not_sent"] += 1
                logger.warning("提醒邮件：邮件服务器拒收用户 %s 的汇总邮件（%s），下次重试", user_id, exc)
                continue
            except OSError as exc:
                left = len(people) - done
                counts["not_sent"] += left
                logger.warning("提醒邮件：与邮件服务器的连接中断（%s），其余 %s 封未发送，下次重试",
                               exc, left)
                break
            if marked:
                counts["emails"] += 1
                counts["notifications"] += marked
    finally:
        try:
            connection.close()
        except OSError:  # the server already went away
            pass
    if counts["not_sent"]:
        raise DigestsNotSent(counts)
    return counts


def _send_and_mark(user_id: int, *, connection, now: datetime.datetime) -> int:
    """One person's digest: sent, then its notifications marked, in one transaction (the rows
    locked meanwhile). Nothing is marked when the server does not accept it."""
    with transaction.atomic():
        rows = list(_pending(now).filter(user_id=user_id).select_for_update(of=("self",))
                    .order_by("kind", "id")
                    .values_list("id", "user__email", "user__first_name", "kind", "title", "body",
                                 "link"))
        if not rows:  # another run sent them meanwhile
            return 0
        if connection.send_messages([_digest(rows[0][1], rows)]) != 1:
            raise smtplib.SMTPRecipientsRefused({rows[0][1]: (550, b"not sent")})
        Notification.objects.filter(pk__in=[r[0] for r in rows]).update(emailed_at=now)
        return len(rows)


def _digest(address: str, rows: list) -> EmailMessage:
    name = rows[0][2]
    escalations = sum(1 for r in rows if r[3] == Notification.Kind.ESCALATION)
    subject = _("政策责任落实督办系统：%(n)s 条到期提醒和逾期督办") % {"n": len(rows)}
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
