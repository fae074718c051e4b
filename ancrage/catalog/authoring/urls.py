"""The studio, under /studio/: publisher staff write and publish the catalogue."""

from django.urls import path

from ancrage.catalog.authoring import content_views, views

urlpatterns = [
    path("", views.studio, name="studio"),
    path("themes/new/", views.theme_new, name="studio_theme_new"),
    path("paths/new/", views.path_new, name="studio_path_new"),
    path("paths/<uuid:path_id>/new-draft/", views.new_draft, name="studio_new_draft"),
    path("media/", views.media_library, name="studio_media"),
    path("versions/<uuid:version_id>/", views.version_page, name="studio_version"),
    path(
        "versions/<uuid:version_id>/details/", views.version_details, name="studio_version_details"
    ),
    path("versions/<uuid:version_id>/status/", views.version_status, name="studio_version_status"),
    path(
        "versions/<uuid:version_id>/discard/", views.version_discard, name="studio_version_discard"
    ),
    path("versions/<uuid:version_id>/diff/", views.version_diff, name="studio_version_diff"),
    path(
        "versions/<uuid:version_id>/modules/new/",
        content_views.module_new,
        name="studio_module_new",
    ),
    path(
        "versions/<uuid:version_id>/key-behaviours/new/",
        content_views.key_behaviour_new,
        name="studio_key_behaviour_new",
    ),
    path(
        "key-behaviours/<uuid:key_behaviour_id>/",
        content_views.key_behaviour_edit,
        name="studio_key_behaviour_edit",
    ),
    path(
        "key-behaviours/<uuid:key_behaviour_id>/delete/",
        content_views.key_behaviour_delete,
        name="studio_key_behaviour_delete",
    ),
    path("modules/<uuid:module_id>/", content_views.module_edit, name="studio_module_edit"),
    path("modules/<uuid:module_id>/move/", content_views.module_move, name="studio_module_move"),
    path(
        "modules/<uuid:module_id>/delete/", content_views.module_delete, name="studio_module_delete"
    ),
    path("modules/<uuid:module_id>/cards/new/", content_views.card_new, name="studio_card_new"),
    path("cards/<uuid:card_id>/", content_views.card_edit, name="studio_card_edit"),
    path("cards/<uuid:card_id>/move/", content_views.card_move, name="studio_card_move"),
    path("cards/<uuid:card_id>/delete/", content_views.card_delete, name="studio_card_delete"),
    path("cards/<uuid:card_id>/preview/", content_views.card_preview, name="studio_card_preview"),
]
