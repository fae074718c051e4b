"""Bench fixture: the demo catalogue, a licensed organisation, a learner enrolled on
ECOUTE-ACTIVE with a few cards seen, and a signed-in session. Prints JSON for the caller:
{"cookie": "<session id>", "code": "...", "card": "<card key>", "cards": {...}}.

Run with the environment of the server under test (DATABASE_URL, ANCRAGE_PROFILE…).
"""

import json
import os
import sys
import uuid
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from ancrage.accounts.models import User  # noqa: E402
from ancrage.catalog.models import Path  # noqa: E402
from ancrage.demo.catalogue import load_catalogue  # noqa: E402
from ancrage.licensing.actions import create_licence  # noqa: E402
from ancrage.licensing.models import Offer, OfferKind  # noqa: E402
from ancrage.player.actions import record_events, start_path  # noqa: E402
from ancrage.player.bundle import bundle_for  # noqa: E402
from ancrage.player.events import parse_events  # noqa: E402
from ancrage.player.models import EnrolmentOrigin  # noqa: E402
from ancrage.tenancy.models import Membership, Organisation, Role  # noqa: E402

CODE = "ECOUTE-ACTIVE"


def main() -> None:
    if not Path.objects.filter(code=CODE).exists():
        load_catalogue()
    path = Path.objects.get(code=CODE)
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-player", defaults={"name": "Bench player"}
    )
    offer, _ = Offer.objects.get_or_create(
        code="integrale", defaults={"name": "Intégrale", "kind": OfferKind.INTEGRALE}
    )
    if not organisation.licences.exists():
        today = timezone.localdate()
        create_licence(
            by=None,
            organisation=organisation,
            offer=offer,
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=365),
            seats=100,
            activate=True,
        )
    user, _ = User.objects.get_or_create(
        email="bench-learner@bench.test", defaults={"name": "Bench"}
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "role": Role.LEARNER}
    )
    enrolment = start_path(membership=membership, path=path, origin=EnrolmentOrigin.SELF)
    bundle = bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)
    now = timezone.now().isoformat()
    events = [
        {"id": str(uuid.uuid4()), "kind": "card_viewed", "card": key, "at": now}
        for key in bundle.order[:3]
    ]
    record_events(
        enrolment=enrolment, events=parse_events({"events": events}, bundle), bundle=bundle
    )
    engine = import_string(settings.SESSION_ENGINE + ".SessionStore")
    session = engine()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    first_of_type: dict[str, str] = {}
    for key in bundle.order:
        first_of_type.setdefault(bundle.cards[key].type, key)
    json.dump(
        {
            "cookie": session.session_key,
            "cookie_name": settings.SESSION_COOKIE_NAME,
            "code": CODE,
            "card": bundle.order[1],
            "cards": first_of_type,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
