from django.urls import path

from ancrage.exports.lti13 import views

urlpatterns = [
    path("jwks/", views.jwks, name="lti13_jwks"),
    path("login/", views.login_initiation, name="lti13_login"),
    path("launch/", views.launch, name="lti13_launch"),
    path("deep-linking/", views.launch, name="lti13_deep_linking"),
    path("deep-linking/pick/", views.deep_link_pick, name="lti13_deep_link_pick"),
    path("session/", views.session_check, name="lti13_session_check"),
    path("continue/<str:token>/", views.handover, name="lti13_handover"),
    path("registrations/", views.registrations, name="lti13_registrations"),
    path("registrations/new/", views.registration_form, name="lti13_registration_new"),
    path(
        "registrations/<str:registration_id>/",
        views.registration_form,
        name="lti13_registration_edit",
    ),
    path("courses/<str:context_id>/roster/", views.roster, name="lti13_roster"),
]
