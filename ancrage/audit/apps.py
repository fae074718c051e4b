from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ancrage.audit"
    label = "audit"

    def ready(self) -> None:
        # Sign-ins are reported by Django's auth signals (allauth logs in through them): the
        # framework's hook, not domain flow, so listening here is the one way to see them.
        from ancrage.audit import signals  # noqa: F401, PLC0415
