from django.urls import path

from ancrage.player import views

urlpatterns = [
    path("", views.resume, name="player_resume"),
    path("sw.js", views.service_worker, name="player_sw"),
    path("manifest.webmanifest", views.manifest, name="player_manifest"),
    path("<str:code>/", views.player, name="player"),
    path("<str:code>/start", views.start, name="player_start"),
    path("<str:code>/check", views.check, name="player_check"),
    path("<str:code>/end", views.end, name="player_end"),
    path("<str:code>/survey", views.survey_page, name="player_survey"),
    path("<str:code>/bundle.json", views.bundle, name="player_bundle"),
    path("<str:code>/progress", views.progress, name="player_progress"),
    path("<str:code>/events", views.events, name="player_events"),
    path("<str:code>/answer", views.answer, name="player_answer"),
    path("<str:code>/cards/<str:key>", views.card, name="player_card"),
    path("<str:code>/media/<str:name>", views.media, name="player_media"),
]
