from django.urls import URLPattern, path

from ancrage.exports import views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="exports"),
    path("r/<str:token>/", views.report_base, name="exports_report_base"),
    path("r/<str:token>/licence", views.licence, name="exports_licence"),
    path("r/<str:token>/events", views.events, name="exports_events"),
]
