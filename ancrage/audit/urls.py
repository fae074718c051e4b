from django.urls import path

from ancrage.audit import views

urlpatterns = [
    path("", views.log, name="audit_log"),
    path("export.csv", views.download, name="audit_download"),
    path("<int:entry_id>/", views.entry, name="audit_entry"),
]
