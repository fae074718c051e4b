"""Every model holding personal data is declared for export, erasure and retention."""

from django.apps import apps
from django.db import models

from ancrage.evaluation.privacy import MIN_GROUP as REPORT_MIN_GROUP
from ancrage.privacy.declarations import DECLARATIONS
from ancrage.privacy.registry import ERASURE_ORDER, Erase, undeclared
from ancrage.privacy.rules import MIN_GROUP


def test_every_model_with_a_person_field_is_declared() -> None:
    missing = undeclared(DECLARATIONS)
    assert missing == {}, (
        "Declare these models in ancrage/privacy/declarations.py "
        f"(export fields, erasure, retention): {missing}"
    )


def test_an_undeclared_model_with_a_user_field_is_caught() -> None:
    class Diary(models.Model):  # noqa: DJ008
        owner = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy_fake"

    class Contact(models.Model):  # noqa: DJ008
        work_email = models.EmailField()

        class Meta:
            app_label = "privacy_fake"

    class Page(models.Model):  # noqa: DJ008
        diary = models.ForeignKey("transfer.JournalEntry", on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy_fake"

    class Relay(models.Model):  # noqa: DJ008
        statements = models.JSONField()

        class Meta:
            app_label = "privacy_fake"

    class Login(models.Model):  # noqa: DJ008
        session_data = models.TextField()

        class Meta:
            app_label = "privacy_fake"

    class Colour(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "privacy_fake"

    try:
        found = undeclared(DECLARATIONS, candidates=[Diary, Contact, Page, Relay, Login, Colour])
    finally:
        apps.all_models.pop("privacy_fake", None)
        apps.clear_cache()
    assert found == {
        "privacy_fake.Diary": ["owner"],
        "privacy_fake.Contact": ["work_email"],
        "privacy_fake.Page": ["diary"],
        "privacy_fake.Relay": ["statements"],
        "privacy_fake.Login": ["session_data"],
    }


def test_declarations_name_real_models_and_fields() -> None:
    seen = set()
    for declaration in DECLARATIONS:
        assert declaration.model not in seen, f"{declaration.model} declared twice"
        seen.add(declaration.model)
        model = declaration.model_class
        qs = model._base_manager.all()
        if declaration.export:
            str(qs.values(*declaration.export).query)  # raises FieldError on a wrong field
        if declaration.subject:
            str(qs.filter(**{declaration.subject: "00000000-0000-0000-0000-000000000000"}).query)
        for name in declaration.clear:
            model._meta.get_field(name)
        if declaration.erase == Erase.ANONYMISE:
            assert declaration.clear, f"{declaration.model}: say which fields to empty"
        assert declaration.kind in ERASURE_ORDER


def test_privacy_page_threshold_is_the_reports_threshold() -> None:
    assert MIN_GROUP == REPORT_MIN_GROUP


def test_the_forwarding_outbox_and_sessions_are_declared() -> None:
    declared = {d.model: d for d in DECLARATIONS}
    assert declared["lrs.OutboxItem"].erase == Erase.PSEUDONYMISE
    assert declared["lrs.OutboxItem"].retention is not None
    assert declared["sessions.Session"].erase == Erase.DELETE
