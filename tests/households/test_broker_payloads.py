"""No personal data on the broker (issue 16): every households task, enqueued as the beat
enqueues it, on the real Redis broker; the messages waiting in the queue are read back and
scanned for an 18-digit 身份证号 and for the members' plaintext values."""

from __future__ import annotations

import base64
import json
import re
import uuid

import redis
from django.conf import settings

from config.celery import app
from households import crypto
from households.models import Member
from tests.households.conftest import id_number, make_household

ID18 = re.compile(rb"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")


def _readable(message: bytes) -> bytes:
    """A Redis message as a reader of the broker sees it: the envelope, its headers (argsrepr,
    kwargsrepr) and the base64 body decoded."""
    envelope = json.loads(message)
    body = envelope.get("body", "")
    if envelope.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body).decode("utf-8", "replace")
    return (message.decode() + json.dumps(envelope.get("headers", {}), ensure_ascii=False)
            + body).encode()


def test_households_tasks_carry_no_personal_data_on_the_broker(hh_world):
    number = id_number(91)
    make_household(hh_world.village, hh_world.users["longde_beiguan"], id_number=number)
    assert crypto.decrypt(Member.objects.get().id_number_cipher, "id_number") == number
    app.loader.import_default_modules()
    names = sorted(n for n in app.tasks if n.startswith("households."))
    assert names == ["households.remind_missed_rounds"]
    scheduled = {e["task"]: e for e in settings.CELERY_BEAT_SCHEDULE.values()}
    queue = f"test-payloads-{uuid.uuid4().hex[:8]}"  # no worker listens: the messages wait
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        for name in names:
            entry = scheduled[name]
            app.tasks[name].apply_async(args=entry.get("args", ()),
                                        kwargs=entry.get("kwargs", {}), queue=queue)
        waiting = [_readable(m) for m in client.lrange(queue, 0, -1)]
        assert len(waiting) == len(names)
        for message in waiting:
            assert not ID18.search(message) and number.encode() not in message
            assert "北关村".encode() not in message and "马建国".encode() not in message
        # the scan sees what a careless task would carry: a probe with the number as argument
        client.delete(queue)
        app.send_task(names[0], args=[number], queue=queue)
        (probe,) = client.lrange(queue, 0, -1)
        assert ID18.search(_readable(probe)) and number.encode() in _readable(probe)
    finally:
        client.delete(queue)
