"""The two organisations, the principals and one row per resource for the isolation matrix.

Organisation A holds the principals (learner, manager, L&D lead, organisation admin) and
publisher staff (author, editor) stand beside it. Organisation B ("the other organisation")
holds one row of every resource named in a route table; its texts carry `MARKER`, and every
page the matrix fetches must answer 403/404 for B's ids and never show B's data.

Resources: a model class is built generically (`autofixture.Builder`) unless `CUSTOM`
has a builder for it; string keys (`"path_code"`…) are listed in `RESOURCES`.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.test import Client
from django.urls import reverse

from ancrage.accounts.models import PublisherRole, User
from ancrage.catalog.models import Card, CardType, Path
from ancrage.catalog.tests.published import licence, published_path
from ancrage.common.tests.isolation.autofixture import MARKER, Builder
from ancrage.exports.lti13.actions import issue_handover
from ancrage.tenancy.models import Membership, Organisation, Team
from ancrage.tenancy.tests.factories import UserFactory

from .spec import AUTHOR, EDITOR, LD_LEAD, LEARNER, LTI_LAUNCH, MANAGER, ORG_ADMIN


@dataclass
class World:
    tenancy: Any
    author: User
    editor: User
    builder: Builder
    built: dict[Any, str] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)

    @property
    def org_b(self) -> Organisation:
        org: Organisation = self.tenancy.org_b
        return org

    def principals(self) -> dict[str, Client]:
        t = self.tenancy
        clients = {"anonymous": Client()}
        for name, member in (
            (LEARNER, t.owner),
            (MANAGER, t.manager),
            (LD_LEAD, t.ld_lead),
            (ORG_ADMIN, t.admin),
        ):
            clients[name] = t.client_for(member)
        for name, user in ((AUTHOR, self.author), (EDITOR, self.editor)):
            client = Client()
            client.force_login(user)
            clients[name] = client
        clients[LTI_LAUNCH] = self._lti_learner()
        return clients

    def _lti_learner(self) -> Client:
        """A learner provisioned by an LMS launch, signed in through the LTI handover door."""
        learner = Membership.objects.create(
            organisation=self.tenancy.org_a,
            user=UserFactory(email=f"lti-{uuid.uuid4().hex[:8]}@lms.test"),
            role="learner",
            team=self.tenancy.team_a,
        )
        token = issue_handover(membership=learner, next_url=reverse("home"))
        client = Client()
        response = client.get(reverse("lti13_handover", args=[token]))
        assert response.status_code == 302, "the LTI handover did not sign the learner in"
        return client

    def value(self, resource: Any) -> str:
        """The URL value of one row of `resource` in organisation B (built once)."""
        if isinstance(resource, str) and resource.startswith("="):
            return resource[1:]
        if resource not in self.built:
            if isinstance(resource, str):
                self.built[resource] = RESOURCES[resource](self)
            else:
                builder = CUSTOM.get(resource)
                row = builder(self) if builder else self.builder.row(resource, self.org_b)
                self.built[resource] = str(row.pk)
        return self.built[resource]


def make_world(tenancy: Any) -> World:
    author = UserFactory(
        email="author@editions.test", name="Hugo Auteur", publisher_role=PublisherRole.AUTHOR
    )
    editor = UserFactory(
        email="editor@editions.test", name="Claire Editrice", publisher_role=PublisherRole.EDITOR
    )
    builder = Builder({tenancy.org_b.pk: tenancy.other}, {tenancy.org_b.pk: tenancy.team_b})
    world = World(tenancy, author, editor, builder)
    world.markers = [
        MARKER,
        tenancy.org_b.name,
        tenancy.other.user.name,
        tenancy.other.user.email,
        tenancy.other_ld_lead.user.name,
        tenancy.team_b.name,
    ]
    return world


def _foreign_path(world: World) -> Path:
    """A published path licensed to organisation B only (its code is B's, not A's)."""
    key = "_foreign_path"
    if key not in world.built:
        version = published_path("ZZFOREIGN", title="Parcours sous licence de B seulement")
        licence(world.org_b, paths=[version.path])
        world.built[key] = str(version.path.pk)
    return Path.objects.get(pk=world.built[key])


def _memo_card(world: World) -> str:
    path = _foreign_path(world)
    card = (
        Card.objects.filter(module__version__path=path, type=CardType.MEMO_SHEET).first()
        or Card.objects.filter(module__version__path=path).first()
    )
    assert card is not None
    return str(card.pk)


def _foreign_media(world: World) -> str:
    """The cover of a path licensed to organisation B only, as `<sha256>.<extension>`."""
    from ancrage.catalog.actions import store_media
    from ancrage.catalog.tests.packs import png_bytes

    asset = store_media(data=png_bytes(7, 7), filename="b-cover.png", by=world.author)
    version = published_path("ZZBCOVER", title="Parcours illustré de B", cover=asset.sha256)
    licence(world.org_b, paths=[version.path])
    return f"{asset.sha256}.{asset.extension}"


def _row(model: type[models.Model], **overrides: Any) -> Callable[[World], models.Model]:
    def build(world: World) -> models.Model:
        values = {
            key: (value(world) if callable(value) else value) for key, value in overrides.items()
        }
        return world.builder.row(model, world.org_b, **values)

    return build


def _other(world: World) -> Membership:
    member: Membership = world.tenancy.other
    return member


def _key_behaviour(world: World) -> str:
    from ancrage.catalog.models import KeyBehaviour

    behaviour = KeyBehaviour.objects.filter(version__path=_foreign_path(world)).first()
    assert behaviour is not None
    return str(behaviour.pk)


RESOURCES: dict[str, Callable[[World], str]] = {
    "foreign_key_behaviour": _key_behaviour,
    "path_code": lambda world: _foreign_path(world).code,
    "memo_card": _memo_card,
    "foreign_media": _foreign_media,
    "uuid": lambda world: str(uuid.uuid4()),
}


def _custom() -> dict[Any, Callable[[World], models.Model]]:
    from ancrage.engagement.models import RecognitionRule
    from ancrage.licensing.models import Assignment

    return {
        RecognitionRule: _row(RecognitionRule, min_paths=1),
        Membership: _other,
        Team: lambda world: world.tenancy.team_b,
        Organisation: lambda world: world.org_b,
        Assignment: _row(
            Assignment, path=_foreign_path, programme=None, team=None, membership=_other
        ),
    }


CUSTOM = _custom()
