from django.urls import path

from ancrage.habits import views

urlpatterns = [
    path("", views.home, name="habits_home"),
    path("ritual/", views.ritual_save, name="habits_ritual_save"),
    path("ritual/<uuid:ritual_id>/snooze", views.ritual_snooze, name="habits_ritual_snooze"),
    path("ritual/<uuid:ritual_id>/stop", views.ritual_stop, name="habits_ritual_stop"),
    path("r/<str:token>/", views.ritual_link, name="habits_ritual_link"),
    path("target/", views.target, name="habits_target"),
    path("settings/", views.organisation_settings, name="habits_settings"),
    path("recall/", views.recall, name="habits_recall"),
    path("recall/<uuid:item_id>/answer", views.recall_answer, name="habits_recall_answer"),
    path("recall/review/<uuid:review_id>/", views.recall_feedback, name="habits_recall_feedback"),
]
