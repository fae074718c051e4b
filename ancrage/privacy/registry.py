"""What the GDPR declarations say, and how we find models that must have one.

A `Declaration` says, for one model holding personal data: which data kind it belongs to,
which person a row is about (`subject`, an ORM lookup ending at a Membership; None when
people only appear as its authors), which fields a data download includes, how an erasure
treats it, and how long it is kept. `ancrage.privacy.declarations.DECLARATIONS` lists them all.

`models_needing_declaration()` is what the registry test compares against: every model with
a link to a User or Membership, an e-mail field or a field naming an actor/recipient, a JSON
or text field of statement copies or session data (`statements`, `session_data`), and every
model with a non-null foreign key to a model declared as being about a person (progress rows
of an enrolment, check-ins of a plan). A new model of that shape without a declaration fails
the test.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Erase(StrEnum):
    DELETE = "delete"  # rows about the person are deleted
    ANONYMISE = "anonymise"  # rows kept for aggregates; `clear` fields emptied
    PSEUDONYMISE = "pseudonymise"  # a handler replaces the person by a stable random account
    KEEP = "keep"  # rows kept: nothing personal left once the account is anonymised


class Kind(StrEnum):
    PROFILE = "profile"
    INVITATIONS = "invitations"
    JOURNAL = "journal"
    PLANS = "plans"
    OBSERVATIONS = "observations"
    CONVERSATIONS = "conversations"
    SURVEYS = "surveys"
    PROGRESS = "progress"
    STATEMENTS = "statements"
    MESSAGES = "messages"
    SEATS = "seats"
    COMMUNITY = "community"
    AUTHORED = "authored"
    SECURITY = "security"


KIND_LABELS: dict[Kind, Promise] = {
    Kind.PROFILE: _("Account and membership"),
    Kind.INVITATIONS: _("Invitations"),
    Kind.JOURNAL: _("Private journal and self-assessments"),
    Kind.PLANS: _("Action plans and check-ins"),
    Kind.OBSERVATIONS: _("Manager observations"),
    Kind.CONVERSATIONS: _("Manager conversations"),
    Kind.SURVEYS: _("Survey answers"),
    Kind.PROGRESS: _("Progress in paths"),
    Kind.STATEMENTS: _("Learning records (xAPI statements)"),
    Kind.MESSAGES: _("Messages sent to you"),
    Kind.SEATS: _("Licence seats and assignments"),
    Kind.COMMUNITY: _("Shared takeaways and recognitions"),
    Kind.AUTHORED: _("Content and settings you created"),
    Kind.SECURITY: _("Security records"),
}

# Erasure runs the kinds in this order; the account itself goes last, so a run interrupted
# half-way can be resumed by the same admin on the same person.
ERASURE_ORDER: tuple[Kind, ...] = (
    Kind.JOURNAL,
    Kind.PLANS,
    Kind.OBSERVATIONS,
    Kind.CONVERSATIONS,
    Kind.SURVEYS,
    Kind.COMMUNITY,
    Kind.PROGRESS,
    Kind.STATEMENTS,
    Kind.MESSAGES,
    Kind.SEATS,
    Kind.AUTHORED,
    Kind.SECURITY,
    Kind.INVITATIONS,
    Kind.PROFILE,
)


@dataclass(frozen=True)
class Declaration:
    model: str
    kind: Kind
    subject: str | None
    export: tuple[str, ...]
    erase: Erase
    clear: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    retention: timedelta | None = None
    retention_field: str = "created_at"
    retention_when: Q | None = None
    retention_erase: Erase = Erase.DELETE
    purged_by: str = ""  # another periodic job applies the retention (the model refuses deletes)
    note: str = ""

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


PERSONAL_FIELD_NAME = re.compile(r"(^|_)(email|mbox|actor|recipient|agent)(_|$)")
# Text or JSON holding whole records that name people: copies of xAPI statements, sessions.
PERSONAL_BODY_NAME = re.compile(r"(^|_)(statements|session_data)$")
NOT_PERSONAL_SUFFIXES = ("_count", "_at", "_on")


def _person_models() -> tuple[type[models.Model], ...]:
    return (apps.get_model(settings.AUTH_USER_MODEL), apps.get_model("tenancy", "Membership"))


def direct_personal_fields(model: type[models.Model]) -> list[str]:
    """Fields that by themselves name a person: links to User/Membership, e-mails, actors."""
    people = _person_models()
    found = []
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations
        related = getattr(field, "related_model", None)
        if field.is_relation and related in people:
            found.append(field.name)
        elif isinstance(field, models.JSONField | models.TextField) and PERSONAL_BODY_NAME.search(
            field.name
        ):
            found.append(field.name)
        elif isinstance(field, models.EmailField) or (
            PERSONAL_FIELD_NAME.search(field.name)
            and not field.name.endswith(NOT_PERSONAL_SUFFIXES)
        ):
            found.append(field.name)
    return found


def models_needing_declaration(
    declarations: Iterable[Declaration], candidates: Iterable[type[models.Model]] | None = None
) -> dict[str, list[str]]:
    """{model label: reasons} for every model that must be declared."""
    about_a_person = {d.model.lower() for d in declarations if d.subject is not None}
    needing: dict[str, list[str]] = {}
    for model in apps.get_models() if candidates is None else candidates:
        reasons = direct_personal_fields(model)
        for field in model._meta.concrete_fields:
            related = field.related_model if field.is_relation else None
            if (
                related is not None
                and not field.null
                and related._meta.label_lower in about_a_person
                and field.name not in reasons
            ):
                reasons.append(field.name)
        if reasons or model in _person_models():
            needing[model._meta.label] = reasons
    return needing


def undeclared(
    declarations: Iterable[Declaration], candidates: Iterable[type[models.Model]] | None = None
) -> dict[str, list[str]]:
    declarations = list(declarations)
    declared = {d.model.lower() for d in declarations}
    return {
        label: reasons
        for label, reasons in models_needing_declaration(declarations, candidates).items()
        if label.lower() not in declared
    }
