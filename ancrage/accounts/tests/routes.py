"""Tenant-isolation matrix rows for accounts (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.accounts.models import Invitation
from ancrage.common.tests.isolation.spec import Route

ROUTES = [
    Route("invitations"),  # accounts/invitations/ invitations
    Route("invitations_import"),  # accounts/invitations/import/ import_csv
    Route(
        "invitation_resend", kwargs={"invitation_id": Invitation}
    ),  # accounts/invitations/<uuid:invitation_id>/resend/ resend
    Route(
        "invitation_revoke", kwargs={"invitation_id": Invitation}
    ),  # accounts/invitations/<uuid:invitation_id>/revoke/ revoke
    Route(
        "accept_invitation", kwargs={"token": "=zz-not-a-token"}
    ),  # accounts/invitation/<str:token>/ accept
    Route("sso_start"),  # accounts/sso/ start
    Route("sso_settings"),  # accounts/sso/settings/ settings_page
    Route("sso_link_account"),  # accounts/sso/settings/link/ link_account
    Route("sso_login", kwargs={"slug": "=beta"}),  # accounts/sso/<slug:slug>/login/ sso_login
    Route(
        "sso_oidc_callback", kwargs={"slug": "=beta"}
    ),  # accounts/sso/<slug:slug>/oidc/callback/ oidc_callback
    Route("sso_saml_acs", kwargs={"slug": "=beta"}),  # accounts/sso/<slug:slug>/saml/acs/ saml_acs
    Route(
        "sso_saml_metadata", kwargs={"slug": "=beta"}
    ),  # accounts/sso/<slug:slug>/saml/metadata/ saml_metadata
]
