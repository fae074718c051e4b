"""The demo's privacy story: Verdane's audit log over the last two weeks, and Léa's completed
download of all her data (« Mes données »).

Deterministic and idempotent: the audit entries are written once (they are append-only and
tagged `demo`), and Léa's download is made only if she has none yet.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from ancrage.audit.models import Action, AuditEntry
from ancrage.privacy.actions import record_data_download
from ancrage.privacy.export import build_archive
from ancrage.privacy.models import DataDownload
from ancrage.tenancy.models import Membership, Organisation

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148 Safari/604.1"
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/131.0"

# (days ago, hour, who, action, target, ip, user agent, details)
_STORY: list[tuple[int, int, str, str, str, str, str, dict[str, object]]] = [
    (13, 8, "nadia", Action.SIGN_IN, "", "203.0.113.20", DESKTOP, {"method": "account_login"}),
    (
        13,
        8,
        "nadia",
        Action.ROLE_CHANGED,
        "karim",
        "203.0.113.20",
        DESKTOP,
        {"from": "learner", "to": "manager"},
    ),
    (
        12,
        9,
        "nadia",
        Action.API_KEY_CREATED,
        "",
        "203.0.113.20",
        DESKTOP,
        {"prefix": "sirh", "scopes": "assignments:write,enrolments:read"},
    ),
    (10, 7, "marc", Action.SIGN_IN_FAILED, "", "198.51.100.7", PHONE, {"known_account": True}),
    (10, 7, "marc", Action.SIGN_IN, "", "198.51.100.7", PHONE, {"method": "account_login"}),
    (9, 9, "sophie", Action.SIGN_IN, "", "203.0.113.31", DESKTOP, {"method": "account_login"}),
    (
        9,
        9,
        "sophie",
        Action.EXPORT,
        "",
        "203.0.113.31",
        DESKTOP,
        {"format": "scorm2004", "path": "ECOUTE-ACTIVE"},
    ),
    (
        8,
        10,
        "sophie",
        Action.LEARNER_VIEWED,
        "marc",
        "203.0.113.31",
        DESKTOP,
        {"page": "person", "role": "ld_lead"},
    ),
    (7, 12, "lea", Action.SIGN_IN, "", "198.51.100.23", PHONE, {"method": "account_login"}),
    (
        7,
        12,
        "lea",
        Action.ACCESS_DENIED,
        "",
        "198.51.100.23",
        PHONE,
        {"status": 403, "method": "GET", "view": "audit_log", "path": "/organisation/audit/"},
    ),
    (6, 14, "karim", Action.SIGN_IN, "", "203.0.113.44", PHONE, {"method": "account_login"}),
    (
        6,
        14,
        "karim",
        Action.LEARNER_VIEWED,
        "lea",
        "203.0.113.44",
        PHONE,
        {"page": "transfer_report", "role": "manager"},
    ),
    (
        3,
        16,
        "karim",
        Action.LEARNER_VIEWED,
        "lea",
        "203.0.113.44",
        PHONE,
        {"page": "transfer_report", "role": "manager"},
    ),
    (
        2,
        11,
        "karim",
        Action.ACCESS_DENIED,
        "",
        "203.0.113.44",
        PHONE,
        {"status": 404, "method": "GET", "view": "transfer_report", "path": "/transfer/team/…/"},
    ),
    (1, 9, "nadia", Action.LRS_KEY_CREATED, "", "203.0.113.20", DESKTOP, {"key": "lms-verdane"}),
]
_PEOPLE = {
    "nadia": "nadia@verdane.fr",
    "sophie": "sophie@verdane.fr",
    "karim": "karim@verdane.fr",
    "lea": "lea@verdane.fr",
    "marc": "marc@verdane.fr",
}


def _at(now: datetime, days: int, hour: int) -> datetime:
    day = timezone.localtime(now).date() - timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 12, tzinfo=timezone.get_current_timezone())


def load_privacy() -> list[str]:
    verdane = Organisation.objects.filter(slug="verdane").first()
    if verdane is None:
        return ["Verdane absente : rien à faire"]
    members = {
        key: Membership.objects.filter(organisation=verdane, user__email=email).first()
        for key, email in _PEOPLE.items()
    }
    lines = []
    demo_entries = AuditEntry.objects.filter(organisation_id=verdane.pk, details__demo=True)
    if not demo_entries.exists():
        now = timezone.now()
        created = 0
        for days, hour, who, action, target, ip, agent, details in _STORY:
            actor = members.get(who)
            if actor is None:
                continue
            target_member = members.get(target) if target else None
            failed = action == Action.SIGN_IN_FAILED
            AuditEntry.objects.create(
                at=_at(now, days, hour),
                organisation_id=verdane.pk,
                actor_membership_id=None if failed else actor.pk,
                actor_user_id=None if failed else actor.user_id,
                action=action,
                target_type="tenancy.membership"
                if target_member
                else ("accounts.user" if failed else ""),
                target_id=str(
                    target_member.pk if target_member else (actor.user_id if failed else "")
                ),
                ip=ip,
                user_agent=agent,
                details={**details, "demo": True},
            )
            created += 1
        lines.append(f"{created} entrées dans le journal d'audit de Verdane")
    else:
        lines.append(f"journal d'audit de Verdane : {demo_entries.count()} entrées de démo")
    lea = members.get("lea")
    if lea is not None:
        if not DataDownload.objects.filter(membership=lea).exists():
            archive = build_archive(lea)
            record_data_download(membership=lea, size=len(archive.content), sha256=archive.sha256)
        download = DataDownload.objects.filter(membership=lea).first()
        size = download.size if download else 0
        lines.append(f"Léa a téléchargé ses données (« Mes données », {size // 1024} Kio)")
    return lines
