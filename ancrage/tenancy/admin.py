from django.contrib import admin

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
