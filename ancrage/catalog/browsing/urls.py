"""The catalogue, under /catalogue/: browse, search, path pages, memo sheets and their media."""

from django.urls import path

from ancrage.catalog.browsing import views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("paths/<str:code>/", views.path_page, name="catalogue_path"),
    path(
        "paths/<str:code>/memo-sheets/", views.path_memo_sheets, name="catalogue_path_memo_sheets"
    ),
    path("memo-sheets/<uuid:card_id>/", views.memo_sheet, name="catalogue_memo_sheet"),
    path("media/<str:name>", views.media, name="catalogue_media"),
]
