"""The demo's LTI 1.3 connection: Verdane's Moodle registered as a platform, one course seen
in launches, and a few learners already known to Moodle (matched by Moodle's `sub`).

Idempotent: re-running updates the same rows. The Moodle addresses are examples (nothing
listens there); the tool endpoints printed are this site's, to paste into a real LMS.
"""

from django.db import transaction

from ancrage.exports.lti13 import keys
from ancrage.exports.lti13.actions import save_registration
from ancrage.exports.lti13.models import Context, Identity
from ancrage.exports.lti13.queries import tool_endpoints
from ancrage.tenancy.models import Membership, Organisation, Role

MOODLE = "https://moodle.verdane.fr"


@transaction.atomic
def load_lti() -> list[str]:
    verdane = Organisation.objects.get(slug="verdane")
    keys.current_key()
    registration = save_registration(
        organisation=verdane,
        registration=verdane.lti_registrations.filter(issuer=MOODLE).first(),
        name="Moodle Verdane",
        issuer=MOODLE,
        client_id="kR7vQ2mXz9Ln4Tb",
        deployment_ids=["1", "3"],
        auth_login_url=f"{MOODLE}/mod/lti/auth.php",
        keyset_url=f"{MOODLE}/mod/lti/certs.php",
        access_token_url=f"{MOODLE}/mod/lti/token.php",
    )
    Context.objects.update_or_create(
        registration=registration,
        context_id="42",
        defaults={
            "organisation": verdane,
            "title": "Management d'équipe — promotion 2027",
            "memberships_url": f"{MOODLE}/mod/lti/services.php/CourseSection/42/bindings/3/memberships",
        },
    )
    learners = list(
        Membership.objects.filter(organisation=verdane, role=Role.LEARNER)
        .select_related("user")
        .order_by("user__email")[:6]
    )
    for number, membership in enumerate(learners, start=101):
        Identity.objects.update_or_create(
            issuer=MOODLE,
            sub=str(number),
            defaults={
                "organisation": verdane,
                "registration": registration,
                "membership": membership,
                "name": membership.user.name,
                "email": membership.user.email,
            },
        )
    endpoints = tool_endpoints()
    return [
        f"Moodle de Verdane enregistré ({len(learners)} apprenants reconnus par Moodle)",
        f"à saisir dans Moodle — connexion : {endpoints.login}",
        f"lancement : {endpoints.launch}  liens profonds : {endpoints.deep_linking}",
        f"clés publiques (JWKS) : {endpoints.jwks}",
    ]
