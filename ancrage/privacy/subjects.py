"""Finding one person's rows: per declaration, and in the LRS by their agent identifiers."""

import hashlib
from typing import Any

from django.db import models
from django.db.models import Q

from ancrage.lrs.models import Document, Statement
from ancrage.lrs.shapes import agent_key
from ancrage.player.xapi import actor as player_actor
from ancrage.privacy.registry import Declaration
from ancrage.tenancy.models import Membership


def rows_about(declaration: Declaration, membership: Membership) -> "models.QuerySet[Any]":
    """The declared model's rows about `membership` (none when it has no subject lookup)."""
    manager = declaration.model_class._base_manager
    if declaration.subject is None:
        return manager.none()
    return manager.filter(**{declaration.subject: membership.pk})


def agent_keys(membership: Membership) -> list[str]:
    """Every LRS key that names the person: our player's account, their mailbox (and its hash)."""
    keys = [agent_key(player_actor(membership.pk))]
    email = membership.user.email
    if email and not email.endswith("@invalid"):
        mailbox = f"mailto:{email}"
        keys += [
            f"Agent|mbox|{mailbox}",
            f"Agent|sha1|{hashlib.sha1(mailbox.encode(), usedforsecurity=False).hexdigest()}",
        ]
    return [key for key in keys if key]


def statements_about(
    membership: Membership, keys: list[str] | None = None
) -> "models.QuerySet[Statement]":
    keys = keys if keys is not None else agent_keys(membership)
    related = Q()
    for key in keys:
        related |= Q(related_agents__has_element=key)
    return Statement.objects.filter(organisation_id=membership.organisation_id).filter(
        Q(actor_key__in=keys) | Q(object_agent_key__in=keys) | Q(ref_actor_key__in=keys) | related
    )


def documents_about(
    membership: Membership, keys: list[str] | None = None
) -> "models.QuerySet[Document]":
    keys = keys if keys is not None else agent_keys(membership)
    return Document.objects.filter(organisation_id=membership.organisation_id, agent_key__in=keys)
