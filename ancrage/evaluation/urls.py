from django.urls import path

from ancrage.evaluation import views

urlpatterns = [
    path("", views.index, name="evaluation_index"),
    path("refresh/", views.refresh, name="evaluation_refresh"),
    path("indicators/import/", views.import_indicators, name="evaluation_import"),
    path("surveys/<uuid:request_id>/", views.survey, name="evaluation_survey"),
    path("<str:kind>/<uuid:scope_id>/", views.report, name="evaluation_report"),
    path("<str:kind>/<uuid:scope_id>/export.<str:fmt>", views.report, name="evaluation_export"),
]
