"""Creating and revoking API tokens (the tokens page and the admin both call these)."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.authorship import ActingUser, author

from .models import DISPLAY_LENGTH, KEY_PREFIX, ApiToken, hash_key

MAX_ACTIVE_TOKENS = 20


def api_token_create(*, acting_user: ActingUser, name: str) -> tuple[ApiToken, str]:
    """Make a token for the acting user; answers the token and its key, which is never stored.

    The caller shows the key once: afterwards only its first characters are known.
    """
    name = name.strip()
    user = author(acting_user)
    if user is None:
        raise PermissionDenied
    with transaction.atomic():
        if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                _("You have %(count)d active tokens. Revoke one you no longer use before creating another.")
                % {"count": MAX_ACTIVE_TOKENS}
            )
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken(user=user, name=name, prefix=key[:DISPLAY_LENGTH], key_hash=hash_key(key))
        token.full_clean()
        token.save()
    return token, key


def api_token_revoke(*, acting_user: ActingUser, token: ApiToken) -> ApiToken:
    """Revoke one of the acting user's own tokens; revoking twice keeps the first date."""
    user = author(acting_user)
    if user is None or token.user_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
