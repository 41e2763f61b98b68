"""The nightly sweep: lights from dates, reminders once, escalation, catch-up, the job lock."""

import datetime
import threading

import psycopg2
from django.db import connection

from monitoring.jobs import _lock_key, sweep_overdue
from obligations.models import Milestone, Notification, Reminder

D = datetime.date


def lights(task):
    task.refresh_from_db()
    milestone = task.milestones.get()
    return milestone.light, task.light


def test_each_light_transition(world):
    task = world.task(world.east_unit, D(2024, 6, 30))
    sweep_overdue(today=D(2024, 6, 1))
    assert lights(task) == ("green", "green")
    sweep_overdue(today=D(2024, 6, 23))  # within 7 days
    assert lights(task) == ("yellow", "yellow")
    sweep_overdue(today=D(2024, 6, 30))  # due today: still yellow
    assert lights(task) == ("yellow", "yellow")
    sweep_overdue(today=D(2024, 7, 1))
    assert lights(task) == ("red", "red")
    assert task.milestones.get().red_since == D(2024, 7, 1)
    task.milestones.update(status=Milestone.Status.REPORTED)  # waiting for review
    sweep_overdue(today=D(2024, 7, 2))
    assert lights(task) == ("green", "green")
    task.milestones.update(status=Milestone.Status.CLOSED)
    sweep_overdue(today=D(2024, 7, 3))
    assert lights(task) == ("done", "done")


def test_task_takes_its_worst_open_milestone_and_done_status_wins(world):
    task = world.task(world.east_unit, D(2024, 3, 31), D(2024, 6, 30))
    sweep_overdue(today=D(2024, 6, 25))
    task.refresh_from_db()
    assert task.light == "red"
    task.status = "done"
    task.save()
    sweep_overdue(today=D(2024, 6, 26))
    task.refresh_from_db()
    assert task.light == "done"


def test_reminders_are_never_duplicated(world):
    task = world.task(world.east_unit, D(2024, 6, 30))
    sweep_overdue(today=D(2024, 6, 25))
    sweep_overdue(today=D(2024, 6, 25))
    sweep_overdue(today=D(2024, 6, 26))
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["yellow"]
    notes = Notification.objects.filter(user=world.official)
    assert notes.count() == 1 and notes.get().title.startswith("任务即将到期")
    assert notes.get().link == f"/tasks/{task.pk}/"
    sweep_overdue(today=D(2024, 7, 1))
    sweep_overdue(today=D(2024, 7, 2))
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == ["red", "yellow"]
    assert Notification.objects.filter(user=world.official).count() == 2


def test_escalation_after_seven_red_days_goes_to_the_regions_supervisors(world):
    world.task(world.east_unit, D(2024, 6, 30))
    sweep_overdue(today=D(2024, 7, 7))  # red since 7-01: six days
    assert not Notification.objects.filter(kind="escalation").exists()
    sweep_overdue(today=D(2024, 7, 8))
    escalations = Notification.objects.filter(kind="escalation")
    assert [n.user for n in escalations] == [world.supervisor]
    assert "东县农业农村局" in escalations.get().title
    sweep_overdue(today=D(2024, 7, 9))
    assert Notification.objects.filter(kind="escalation").count() == 1


def test_a_missed_week_is_caught_up_from_dates(world):
    task = world.task(world.east_unit, D(2024, 6, 30))
    sweep_overdue(today=D(2024, 6, 1))
    # Broker down for weeks: the next run still sees the red days that passed.
    sweep_overdue(today=D(2024, 7, 20))
    assert lights(task) == ("red", "red")
    assert Notification.objects.filter(kind="escalation", user=world.supervisor).count() == 1


def test_run_record_counts_changes(world):
    world.task(world.east_unit, D(2024, 6, 30))
    run = sweep_overdue(today=D(2024, 7, 1))
    assert run.status == "ok" and run.counts["milestones_changed"] == 1
    again = sweep_overdue(today=D(2024, 7, 1))
    assert again.counts["milestones_changed"] == 0 and again.counts["reminders"] == 0


def test_a_second_copy_running_at_the_same_time_is_skipped(world):
    world.task(world.east_unit, D(2024, 6, 30))
    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_key("sweep_overdue")])
        result = {}

        def second_copy():  # another worker: its own thread, its own database connection
            try:
                result["run"] = sweep_overdue(today=D(2024, 7, 1))
            finally:
                connection.close()

        thread = threading.Thread(target=second_copy)
        thread.start()
        thread.join()
    finally:
        other.close()
    assert result["run"].status == "skipped"


def test_reminders_are_emailed_once_as_one_digest_per_person(world, mailoutbox, settings):
    from django.utils import timezone

    from monitoring.jobs import email_reminders

    settings.SITE_URL = "http://duban.example.cn"
    world.task(world.east_unit, D(2023, 6, 30), title="建立返贫监测台账")
    world.task(world.east_unit, D(2023, 6, 28), title="落实医保资助参保")
    world.task(world.west_unit, D(2023, 6, 30))  # 西县 has no official with an address
    sweep_overdue(today=D(2023, 7, 10))
    run = email_reminders()
    assert run.counts == {"emails": 1, "notifications": 2, "not_sent": 0}
    [mail] = mailoutbox
    assert mail.to == ["east@example.cn"]
    assert mail.subject == "政策责任落实督办系统：2 条到期提醒和逾期督办"
    assert "任务已逾期：建立返贫监测台账" in mail.body and "落实医保资助参保" in mail.body
    assert "http://duban.example.cn/tasks/" in mail.body
    # Nothing is sent twice, and reminders from long ago are not sent to a new address.
    assert email_reminders().counts == {"emails": 0, "notifications": 0, "not_sent": 0}
    Notification.objects.filter(user=world.official).update(
        emailed_at=None, created_at=timezone.now() - datetime.timedelta(days=30))
    assert email_reminders().counts == {"emails": 0, "notifications": 0, "not_sent": 0}
    assert len(mailoutbox) == 1
