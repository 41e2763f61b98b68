"""Second factors in tests: a confirmed authenticator for a user, its current code, and a
session marked as having passed the second factor (what the verification page does)."""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="测试手机", confirmed=True)


def code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the phone shows now (or at `at`, seconds since the epoch)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet: codes cannot be reused, so a second sign-in
    within the same 30 seconds waits for the next step."""
    device.refresh_from_db()
    while int((time.time() - device.t0) // device.step) <= device.last_t:
        time.sleep(0.5)
    return code(device)


def verify_session(client, user) -> None:
    """Marks the client's session as verified by the user's authenticator."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
