from django.urls import path

from ancrage.licensing import publisher_views, views

urlpatterns = [
    path("catalogue/", views.catalogue, name="licensing_catalogue"),
    path("paths/<str:code>/", views.path_detail, name="licensing_path"),
    path("paths/<str:code>/start", views.start, name="licensing_start"),
    path("settings/self-enrolment", views.self_enrolment, name="licensing_self_enrolment"),
    path("licences/<uuid:licence_id>/seats/", views.seats, name="licensing_seats"),
    path("seats/<uuid:seat_id>/release", views.seat_release, name="licensing_seat_release"),
    path("seat-requests/", views.seat_requests, name="licensing_seat_requests"),
    path(
        "seat-requests/<uuid:request_id>/handled",
        views.seat_request_handled,
        name="licensing_seat_request_handled",
    ),
    path("programmes/", views.programmes, name="licensing_programmes"),
    path("programmes/new/", views.programme_new, name="licensing_programme_new"),
    path("programmes/<uuid:programme_id>/", views.programme, name="licensing_programme"),
    path(
        "programmes/<uuid:programme_id>/steps/add",
        views.programme_add,
        name="licensing_programme_add",
    ),
    path(
        "programmes/<uuid:programme_id>/steps/<uuid:item_id>",
        views.programme_step,
        name="licensing_programme_step",
    ),
    path(
        "programmes/<uuid:programme_id>/assign",
        views.programme_assign,
        name="licensing_programme_assign",
    ),
    path(
        "programmes/<uuid:programme_id>/delete",
        views.programme_delete,
        name="licensing_programme_delete",
    ),
    path("assignments/", views.assignments, name="licensing_assignments"),
    path(
        "assignments/<uuid:assignment_id>/remove",
        views.assignment_remove,
        name="licensing_assignment_remove",
    ),
    path("publisher/licences/", publisher_views.licences, name="licensing_licences"),
    path("publisher/licences/new/", publisher_views.licence_new, name="licensing_licence_new"),
    path(
        "publisher/licences/<uuid:licence_id>/",
        publisher_views.licence_detail,
        name="licensing_licence",
    ),
    path(
        "publisher/licences/<uuid:licence_id>/<slug:action>",
        publisher_views.licence_action,
        name="licensing_licence_action",
    ),
]
