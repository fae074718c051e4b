"""Background work of accounts: sending invitation emails (Django Tasks API)."""

from django.tasks import task

from ancrage.accounts.emails import deliver_invitation


@task()
def send_invitation_email(invitation_id: str, language: str) -> bool:
    """Email a new link for the invitation; idempotent: a closed invitation sends nothing."""
    return deliver_invitation(invitation_id=invitation_id, language=language)
