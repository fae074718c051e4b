"""Writes of API keys: create (the full key is returned once, never stored) and revoke."""

from django.db import transaction
from django.utils import timezone

from ancrage.accounts.models import User
from ancrage.api.models import ApiKey, Scope, new_key
from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.tenancy.models import Organisation


class UnknownScope(ValueError):
    pass


@transaction.atomic
def create_api_key(
    *, organisation: Organisation, name: str, scopes: list[str], by: User | None = None
) -> tuple[ApiKey, str]:
    """A new key for the organisation; returns the row and the full key to show once."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise UnknownScope(
            f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(Scope.values)}."
        )
    if not scopes:
        raise UnknownScope(f"Give at least one scope. Known: {', '.join(Scope.values)}.")
    full, prefix, secret_hash = new_key()
    key = ApiKey.objects.create(
        organisation=organisation,
        name=name.strip() or "API",
        prefix=prefix,
        secret_hash=secret_hash,
        scopes=sorted(set(scopes)),
        created_by=by,
    )
    record(
        action=Action.API_KEY_CREATED,
        user_id=by.pk if by is not None else None,
        target=key,
        details={"prefix": prefix, "scopes": ",".join(key.scopes)[:120]},
    )
    return key, full


@transaction.atomic
def revoke_api_key(*, key: ApiKey, by: User | None = None) -> bool:
    """Revoke at once and for good, naming who did it. Idempotent: a key already revoked
    (by this call's caller or a concurrent one) is left alone and nothing is recorded.
    Returns whether it was revoked now; `key` is refreshed."""
    current = ApiKey.objects.select_for_update().get(pk=key.pk)
    revoked_now = current.revoked_at is None
    if revoked_now:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at", "updated_at"])
        record(
            action=Action.API_KEY_REVOKED,
            user_id=by.pk if by is not None else None,
            target=current,
            details={"prefix": current.prefix},
        )
    key.revoked_at = current.revoked_at
    key.updated_at = current.updated_at
    return revoked_now
