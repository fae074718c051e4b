"""An erasure also reaches the copies queued for the organisation's own LRS, and signs the
person out everywhere; both stay rerunnable. Their retention periods apply too."""

import json
import uuid
from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.lrs.models import OutboxItem
from ancrage.player import xapi
from ancrage.privacy.actions import erase_person, purge_expired
from ancrage.privacy.models import Erasure

pytestmark = pytest.mark.django_db


def _statement(actor: dict[str, Any], response: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": xapi.verb("answered"),
        "object": {"objectType": "Activity", "id": "https://ancrage.test/paths/ECOUTE"},
    }
    if response:
        body["result"] = {"response": response}
    return body


def _outbox(tenancy: Any, *, sent: bool) -> OutboxItem:
    owner, teammate = tenancy.owner, tenancy.teammate
    mailbox = {"objectType": "Agent", "name": "Léa Owner", "mbox": "mailto:owner@alpha.test"}
    return OutboxItem.objects.create(
        organisation=tenancy.org_a,
        statements=[
            _statement(xapi.actor(owner.pk)),
            _statement(mailbox, response="Léa Owner a répondu"),
            # Someone else's statement in the same batch is left as it is, name included.
            _statement(xapi.actor(teammate.pk), response="Tom cite Léa Owner"),
        ],
        sent_at=timezone.now() if sent else None,
    )


def test_queued_and_sent_copies_are_pseudonymised_and_a_rerun_changes_nothing(tenancy) -> None:  # type: ignore[no-untyped-def]
    pending, sent = _outbox(tenancy, sent=False), _outbox(tenancy, sent=True)

    first = erase_person(actor=tenancy.admin, person=tenancy.owner)

    pseudonym = f"anonyme-{Erasure.objects.get(membership=tenancy.owner).pseudonym}"
    for item in (pending, sent):
        item.refresh_from_db()
        mine, by_mail, theirs = item.statements
        assert mine["actor"]["account"]["name"] == pseudonym
        assert by_mail["actor"]["account"]["name"] == pseudonym
        assert "owner@alpha.test" not in json.dumps(item.statements)
        assert "Léa Owner" not in json.dumps([mine, by_mail], ensure_ascii=False)
        assert str(tenancy.owner.pk) not in json.dumps([mine, by_mail])
        assert theirs["actor"]["account"]["name"] == str(tenancy.teammate.pk)
        assert theirs["result"]["response"] == "Tom cite Léa Owner"
    assert first.changed["statements"] >= 2
    before = {i.pk: i.statements for i in OutboxItem.objects.all()}

    again = erase_person(actor=tenancy.admin, person=tenancy.owner)

    assert again.total == 0
    assert {i.pk: i.statements for i in OutboxItem.objects.all()} == before


def _session_keys(user_id: Any) -> set[str]:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return {
        s.session_key
        for s in Session.objects.all()
        if str(store().decode(s.session_data).get("_auth_user_id")) == str(user_id)
    }


@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"],
)
def test_the_erased_person_is_signed_out_everywhere(tenancy, settings, engine) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_ENGINE = engine
    phone, laptop = tenancy.client_for(tenancy.owner), tenancy.client_for(tenancy.owner)
    teammate = tenancy.client_for(tenancy.teammate)
    owner_keys = _session_keys(tenancy.owner.user_id)
    assert len(owner_keys) == 2

    result = erase_person(actor=tenancy.admin, person=tenancy.owner)

    assert result.changed["profile"] >= 2
    assert _session_keys(tenancy.owner.user_id) == set()
    store = import_module(engine).SessionStore
    for key in owner_keys:
        assert not store(session_key=key).exists(key)  # neither in the cache nor the database
    for client in (phone, laptop):
        assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    assert teammate.get(reverse("home")).wsgi_request.user == tenancy.teammate.user
    assert erase_person(actor=tenancy.admin, person=tenancy.owner).total == 0


def test_sent_copies_and_expired_sessions_are_purged(tenancy) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=8), tick=False):
        old_sent = _outbox(tenancy, sent=True)
        old_pending = _outbox(tenancy, sent=False)
    recent_sent = _outbox(tenancy, sent=True)
    Client().get(reverse("account_login"))  # no session stored for an anonymous visit
    tenancy.client_for(tenancy.owner)
    tenancy.client_for(tenancy.teammate)
    expired = Session.objects.order_by("session_key").first()
    assert expired is not None
    Session.objects.filter(pk=expired.pk).update(expire_date=now - timedelta(days=2))

    done = purge_expired(now=now)

    assert done["lrs.OutboxItem"] == 1
    assert set(OutboxItem.objects.values_list("pk", flat=True)) == {old_pending.pk, recent_sent.pk}
    assert old_sent.pk not in OutboxItem.objects.values_list("pk", flat=True)
    assert done["sessions.Session"] == 1
    assert Session.objects.count() == 1
