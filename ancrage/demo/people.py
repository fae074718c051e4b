"""The demo's organisations and people (../shared/mission/DEMO.md): Verdane and Belle-Rive.

Deterministic: the same seed gives the same people, so screenshots and figures are stable.
Idempotent: running it again updates in place and never duplicates anyone.
"""

import random
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction

from ancrage.accounts.models import PublisherRole, User
from ancrage.tenancy.models import Membership, MembershipStatus, Organisation, Role, Team

DEMO_PASSWORD = "ancrage-demo"  # noqa: S105 — printed on purpose: demo data only

FIRST_NAMES = (
    "Julien Camille Thomas Chloé Nicolas Manon Antoine Inès Mathieu Sarah Pierre Emma Alexandre "
    "Louise Romain Clara Hugo Jade Maxime Zoé Lucas Lina Baptiste Anaïs Quentin Margaux Yanis "
    "Élodie Théo Pauline Mehdi Justine Florian Amandine Kevin Laura Samir Océane Vincent Aurélie"
).split()
LAST_NAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre "
    "Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Lambert "
    "Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guerin Muller Henry Roussel"
).split()

VERDANE_TEAMS: dict[str, list[str]] = {
    "Direction": [],
    "Ventes": ["Grands comptes", "PME"],
    "Service client": [],
    "Produit": ["Design", "Développement"],
    "RH": ["Paie", "Formation"],
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str
    organisation: str


@cache
def _demo_password_hash() -> str:
    """Hashed once per run: hashing is slow on purpose, and ~80 people share this password."""
    return make_password(DEMO_PASSWORD)


def _user(email: str, name: str, publisher_role: str = "") -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"name": name, "publisher_role": publisher_role}
    )
    if created or not user.has_usable_password():
        user.password = _demo_password_hash()
        user.save()
    return user


def _member(
    org: Organisation, user: User, role: str, team: Team | None, manager: Membership | None = None
) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user,
        defaults={
            "organisation": org,
            "role": role,
            "team": team,
            "manager": manager,
            "status": MembershipStatus.ACTIVE,
        },
    )
    return membership


def _teams(org: Organisation, tree: dict[str, list[str]]) -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for name, children in tree.items():
        parent, _ = Team.objects.get_or_create(organisation=org, parent=None, name=name)
        teams[name] = parent
        for child in children:
            teams[child], _ = Team.objects.get_or_create(
                organisation=org, parent=parent, name=child
            )
    return teams


@transaction.atomic
def load_people() -> list[DemoLogin]:
    """Create the publisher staff, Verdane and Belle-Rive; return one login per role."""
    _user("claire@editions-ancrage.fr", "Claire Vasseur", PublisherRole.EDITOR)
    _user("hugo@editions-ancrage.fr", "Hugo Lemaire", PublisherRole.AUTHOR)

    verdane, _ = Organisation.objects.get_or_create(slug="verdane", defaults={"name": "Verdane"})
    teams = _teams(verdane, VERDANE_TEAMS)
    nadia = _member(verdane, _user("nadia@verdane.fr", "Nadia Benali"), Role.ORG_ADMIN, teams["RH"])
    sophie = _member(
        verdane, _user("sophie@verdane.fr", "Sophie Marchand"), Role.LD_LEAD, teams["Formation"]
    )
    karim = _member(
        verdane, _user("karim@verdane.fr", "Karim Haddad"), Role.MANAGER, teams["Service client"]
    )
    _member(
        verdane,
        _user("lea@verdane.fr", "Léa Fontaine"),
        Role.LEARNER,
        teams["Service client"],
        karim,
    )
    sales_manager = _member(
        verdane, _user("isabelle@verdane.fr", "Isabelle Caron"), Role.MANAGER, teams["Ventes"]
    )
    _member(
        verdane,
        _user("marc@verdane.fr", "Marc Olivier"),
        Role.LEARNER,
        teams["Grands comptes"],
        sales_manager,
    )

    rng = random.Random(2027)  # noqa: S311 — deterministic demo data, not security
    generated_teams = [
        ("Service client", karim),
        ("Grands comptes", sales_manager),
        ("PME", sales_manager),
        ("Design", None),
        ("Développement", None),
        ("Paie", None),
        ("Direction", None),
    ]
    karim_reports = 1  # Léa
    for index in range(60):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        team_name, manager = generated_teams[index % len(generated_teams)]
        if team_name == "Service client":
            if karim_reports >= 8:
                team_name, manager = "Produit", None
            else:
                karim_reports += 1
        email = f"{first}.{last}.{index}@verdane.fr".lower()
        email = email.translate(str.maketrans("éèëêïîôöüûàç", "eeeeiioouuac"))
        _member(verdane, _user(email, f"{first} {last}"), Role.LEARNER, teams[team_name], manager)

    belle_rive, _ = Organisation.objects.get_or_create(
        slug="belle-rive", defaults={"name": "Collectivité de Belle-Rive"}
    )
    br_teams = _teams(belle_rive, {"Services techniques": [], "Action sociale": []})
    _member(
        belle_rive,
        _user("agnes@belle-rive.fr", "Agnès Morin"),
        Role.LD_LEAD,
        br_teams["Action sociale"],
    )
    br_manager = _member(
        belle_rive,
        _user("paul@belle-rive.fr", "Paul Girard"),
        Role.MANAGER,
        br_teams["Services techniques"],
    )
    for index in range(12):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}.{index}@belle-rive.fr".lower()
        email = email.translate(str.maketrans("éèëêïîôöüûàç", "eeeeiioouuac"))
        _member(
            belle_rive,
            _user(email, f"{first} {last}"),
            Role.LEARNER,
            br_teams["Services techniques"],
            br_manager,
        )

    del nadia, sophie
    return [
        DemoLogin(
            "Éditrice (publisher)",
            "Claire Vasseur",
            "claire@editions-ancrage.fr",
            "Éditions Ancrage",
        ),
        DemoLogin(
            "Auteur (publisher)", "Hugo Lemaire", "hugo@editions-ancrage.fr", "Éditions Ancrage"
        ),
        DemoLogin("Administratrice", "Nadia Benali", "nadia@verdane.fr", "Verdane"),
        DemoLogin("Responsable formation", "Sophie Marchand", "sophie@verdane.fr", "Verdane"),
        DemoLogin("Manager", "Karim Haddad", "karim@verdane.fr", "Verdane"),
        DemoLogin("Collaboratrice", "Léa Fontaine", "lea@verdane.fr", "Verdane"),
        DemoLogin("Collaborateur", "Marc Olivier", "marc@verdane.fr", "Verdane"),
        DemoLogin("Responsable formation", "Agnès Morin", "agnes@belle-rive.fr", "Belle-Rive"),
    ]
