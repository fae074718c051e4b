from django.urls import path

from ancrage.bridges import views

urlpatterns = [
    path("", views.programmes, name="bridges_programmes"),
    path("new/", views.programme_new, name="bridges_programme_new"),
    path("<uuid:programme_id>/edit/", views.programme_edit, name="bridges_programme_edit"),
    path("requests/", views.inbox, name="bridges_requests"),
    path(
        "requests/<uuid:request_id>/handled",
        views.request_handled,
        name="bridges_request_handled",
    ),
    path("for-me/", views.for_me, name="bridges_for_me"),
    path("<uuid:programme_id>/request/", views.request_place, name="bridges_request"),
    path("<uuid:programme_id>/register", views.register, name="bridges_register"),
]
