from django.urls import include, path

from ancrage.accounts import views

urlpatterns = [
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/import/", views.import_csv, name="invitations_import"),
    path("invitations/<uuid:invitation_id>/resend/", views.resend, name="invitation_resend"),
    path("invitations/<uuid:invitation_id>/revoke/", views.revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.accept, name="accept_invitation"),
    path("sso/", include("ancrage.accounts.sso.urls")),
    # Shadows allauth's route of the same name and path (this file is included first): the
    # same page, with refused codes written to the audit log.
    path("login/code/confirm/", views.confirm_login_code, name="account_confirm_login_code"),
]
