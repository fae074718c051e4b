from django.urls import path

from ancrage.privacy import views

urlpatterns = [
    path("", views.overview, name="privacy"),
    path("my-data/", views.my_data, name="privacy_my_data"),
    path("my-data/download/", views.download, name="privacy_download"),
    path("erasures/", views.erasures, name="privacy_erasures"),
    path("erasures/people/<uuid:membership_id>/", views.erase, name="privacy_erase"),
    path("erasures/<uuid:erasure_id>/", views.erasure, name="privacy_erasure"),
]
