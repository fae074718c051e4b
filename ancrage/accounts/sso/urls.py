from django.urls import path

from ancrage.accounts.sso import views

urlpatterns = [
    path("", views.start, name="sso_start"),
    path("settings/", views.settings_page, name="sso_settings"),
    path("settings/link/", views.link_account, name="sso_link_account"),
    path("<slug:slug>/login/", views.sso_login, name="sso_login"),
    path("<slug:slug>/oidc/callback/", views.oidc_callback, name="sso_oidc_callback"),
    path("<slug:slug>/saml/acs/", views.saml_acs, name="sso_saml_acs"),
    path("<slug:slug>/saml/metadata/", views.saml_metadata, name="sso_saml_metadata"),
]
