"""Reminder mail from the worker (issue 14 item 9), against a real SMTP server on loopback
(aiosmtpd) through Django's SMTP backend: a notification is marked emailed only once the
server accepted its message, and a failing server is retried, never silently dropped."""

import datetime
import logging
import socket

import pytest
from aiosmtpd.controller import Controller
from celery.signals import task_retry
from django.contrib.auth import get_user_model

from monitoring import tasks
from monitoring.jobs import sweep_overdue
from monitoring.models import JobRun
from obligations.models import Membership, Notification
from obligations.services.mail import DigestsNotSent
from tests.workers import celery_worker, worker_database_url

D = datetime.date


class Server:
    """An SMTP handler that fails the first `fail` messages (or those to `fail_for`), by
    answering 451 to DATA or by dropping the connection, and accepts the rest."""

    def __init__(self, *, fail=0, how="451", fail_for=None):
        self.fail, self.how, self.fail_for = fail, how, fail_for
        self.attempts = 0
        self.delivered = []  # (recipients, message text) the server accepted

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        refuse = (self.attempts <= self.fail if self.fail_for is None
                  else self.fail_for in envelope.rcpt_tos and self.fail > 0)
        if refuse:
            if self.fail_for is not None:
                self.fail -= 1
            if self.how == "close":
                session.transport.abort()  # gone mid-message, no reply at all
                return "421 4.3.2 closing"
            return "451 4.3.0 Try again later"
        self.delivered.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Starts Server(**kwargs) on a loopback port and points Django's SMTP backend at it."""
    controllers = []

    def start(**kwargs):
        handler = Server(**kwargs)
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port,
                                server_hostname="localhost")
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_TIMEOUT = False, "", 5
        handler.port = port
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def reminders(world):
    """Two overdue tasks of 东县, so its official (east@example.cn) has two reminders."""
    world.task(world.east_unit, D(2023, 6, 30), title="建立返贫监测台账")
    world.task(world.east_unit, D(2023, 6, 28), title="落实医保资助参保")
    sweep_overdue(today=D(2023, 7, 10))
    assert Notification.objects.filter(user=world.official, emailed_at__isnull=True).count() == 2
    return world


def unmarked() -> int:
    """Reminders and escalations of people with an address not yet marked emailed."""
    return (Notification.objects.filter(kind__in=["reminder", "escalation"],
                                        emailed_at__isnull=True)
            .exclude(user__email="").count())


@pytest.fixture
def retries():
    """The number of notifications still unmarked each time the task was retried."""
    seen = []

    def on_retry(**kwargs):
        seen.append(unmarked())

    task_retry.connect(on_retry, weak=False)
    yield seen
    task_retry.disconnect(on_retry)


def test_a_refused_digest_stays_unmarked_and_is_retried_until_accepted(reminders, smtp, retries,
                                                                       caplog):
    server = smtp(fail=1)
    with caplog.at_level(logging.WARNING):
        result = tasks.email_reminders.apply()
    assert result.state == "SUCCESS"
    assert retries == [2]  # after the refusal both reminders were still unmarked
    assert server.attempts == 2
    [(to, text)] = server.delivered  # exactly one message delivered
    assert to == ["east@example.cn"] and "建立返贫监测台账" in text
    assert unmarked() == 0
    assert list(JobRun.objects.filter(job="email_reminders").order_by("id")
                .values_list("status", flat=True)) == ["failed", "ok"]
    assert any(r.levelno == logging.WARNING and "拒收" in r.getMessage() for r in caplog.records)
    # Nothing is sent twice.
    assert tasks.email_reminders.apply().result["emails"] == 0
    assert len(server.delivered) == 1


@pytest.mark.parametrize("how", ["451", "close", "nobody listening"])
def test_a_server_that_always_fails_leaves_everything_unmarked_and_the_task_fails(
        reminders, smtp, retries, caplog, how):
    server = smtp(fail=10**6, how=how)
    if how == "nobody listening":
        from django.conf import settings

        settings.EMAIL_PORT = _free_port()
    with caplog.at_level(logging.WARNING):
        result = tasks.email_reminders.apply()
    assert result.state == "FAILURE" and isinstance(result.result, DigestsNotSent)
    attempts = 1 + tasks.email_reminders.max_retries
    assert retries == [2] * tasks.email_reminders.max_retries
    if how != "nobody listening":
        assert server.attempts == attempts
    assert server.delivered == [] and unmarked() == 2
    warnings = [r for r in caplog.records
                if r.levelno == logging.WARNING and r.name == "obligations.services.mail"]
    assert len(warnings) == attempts  # one per failed attempt, none silent
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "monitoring.tasks"]
    assert "仍未全部发出" in error.getMessage()
    assert JobRun.objects.filter(job="email_reminders", status="failed").count() == attempts


def test_one_refused_person_does_not_hold_back_or_resend_the_others(reminders, smtp):
    west = get_user_model().objects.create_user("west_official", email="west@example.cn")
    Membership.objects.create(user=west, unit=reminders.west_unit, role="official")
    reminders.task(reminders.west_unit, D(2023, 6, 30), title="西县的措施")
    sweep_overdue(today=D(2023, 7, 11))
    server = smtp(fail=1, fail_for="east@example.cn")
    result = tasks.email_reminders.apply()
    assert result.state == "SUCCESS"
    # 西县's digest went out on the first attempt and was not sent again on the retry.
    assert sorted(to for to, _text in server.delivered) == [["east@example.cn"],
                                                            ["west@example.cn"]]
    assert unmarked() == 0


def test_the_sweep_command_says_when_mail_was_not_sent(reminders, smtp):
    from django.core.management import CommandError, call_command

    smtp(fail=10**6)
    with pytest.raises(CommandError, match="未被邮件服务器接收"):
        call_command("sweep_overdue", "--date", "2023-07-10")
    assert unmarked() == 2


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_until_the_server_accepts(reminders, smtp):
    server = smtp(fail=1)
    with celery_worker(DATABASE_URL=worker_database_url(),
                       TEST_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                       EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(server.port),
                       EMAIL_RETRY_BACKOFF_SECONDS="1", EMAIL_MAX_RETRIES="3") as queue:
        result = tasks.email_reminders.apply_async(queue=queue)
        assert result.get(timeout=90)["emails"] == 1
    assert server.attempts == 2 and len(server.delivered) == 1
    assert unmarked() == 0
    assert list(JobRun.objects.filter(job="email_reminders").order_by("id")
                .values_list("status", flat=True)) == ["failed", "ok"]
