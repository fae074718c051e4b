from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ancrage.audit.actions import MembershipSnapshot, record_membership_changes
from ancrage.tenancy.models import Membership, Organisation, Team


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}  # noqa: RUF012


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "organisation", "parent")
    list_filter = ("organisation",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "organisation", "role", "status", "team", "manager")
    list_filter = ("organisation", "role", "status")
    raw_id_fields = ("user", "team", "manager")

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        # Role, team and manager changes made here reach the organisation's audit log too.
        stored = Membership.objects.filter(pk=obj.pk).first() if change else None
        before = MembershipSnapshot.of(stored) if stored is not None else None
        super().save_model(request, obj, form, change)
        record_membership_changes(
            actor=None, membership=obj, before=before, user_id=request.user.pk
        )
