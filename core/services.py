"""State changes of the core app: two-factor devices and backup codes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .authorship import ActingUser
from .twofactor import BACKUP_CODE_COUNT, HAS_DEVICE_SESSION_KEY

TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def totp_key_new() -> str:
    """A new TOTP secret (hex, as django-otp stores it); kept in the session until confirmed."""
    return random_hex(20)


def totp_code_matches(key: str, code: str) -> int | None:
    """The time step at which ``code`` is right for ``key`` (one step either side), else None."""
    code = code.replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(bytes.fromhex(key))
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


def two_factor_set_up(
    *, acting_user: ActingUser, key: str, code: str, request: HttpRequest
) -> list[str] | None:
    """Confirm a new authenticator app with its first code. Returns the new backup codes, or None.

    The session counts as verified from here on; any earlier devices of this user are replaced.
    """
    last_t = totp_code_matches(key, code)
    if last_t is None:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user).delete()
        device = TOTPDevice.objects.create(
            user=acting_user, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=last_t
        )
        codes = backup_codes_regenerate(acting_user=acting_user)
    otp_login(request, device)
    request.session[HAS_DEVICE_SESSION_KEY] = True
    return codes


def backup_codes_regenerate(*, acting_user: ActingUser) -> list[str]:
    """Replace the user's backup codes with new ones; each works once. Shown to the user once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=acting_user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_remove(*, acting_user: ActingUser, request: HttpRequest) -> None:
    """Remove the user's authenticator app and backup codes. Callers check it is not required."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user).delete()
        StaticDevice.objects.filter(user=acting_user).delete()
    request.session[HAS_DEVICE_SESSION_KEY] = False


def two_factor_verify(*, user: Any, code: str, request: HttpRequest) -> str:
    """Check a code from the app (6 digits) or a backup code; on success the session is verified.

    Returns "ok", "wrong", or "wait" when django-otp's throttle refused to check it (after a wrong
    code a device waits 1 s, then 2, 4, ...). Codes go only to the kind of device they can belong
    to, so a mistyped backup code does not slow down the app's codes.
    """
    code = code.replace(" ", "").replace("-", "").strip().lower()
    if not code:
        return "wrong"
    devices: list[Any]
    if code.isascii() and code.isdigit() and len(code) == 6:
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    throttled = False
    for device in devices:
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if not locked.verify_is_allowed()[0]:
                throttled = True
                continue
            if locked.verify_token(code):
                otp_login(request, locked)
                return "ok"
    return "wait" if throttled else "wrong"
