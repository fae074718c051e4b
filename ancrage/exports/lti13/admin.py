from django.contrib import admin

from ancrage.exports.lti13.models import Identity, Registration, ScoreLink, ToolKey


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin[Registration]):
    list_display = ("name", "organisation", "issuer", "client_id", "is_active")
    list_filter = ("organisation", "is_active")
    readonly_fields = ("jwks_fetched_at",)


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin[ToolKey]):
    list_display = ("kid", "status", "created_at")
    readonly_fields = ("kid", "status", "public_jwk")
    exclude = ("private_pem",)


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin[Identity]):
    list_display = ("sub", "issuer", "membership", "last_launch_at")
    list_filter = ("organisation",)
    raw_id_fields = ("membership", "registration")


@admin.register(ScoreLink)
class ScoreLinkAdmin(admin.ModelAdmin[ScoreLink]):
    list_display = ("membership", "path", "published_at", "attempts", "last_error")
    list_filter = ("organisation",)
    raw_id_fields = ("membership", "identity", "registration", "path")
