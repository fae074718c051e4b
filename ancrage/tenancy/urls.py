from django.urls import path

from ancrage.tenancy import views

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<uuid:membership_id>/", views.person, name="person"),
    path("teams/", views.teams, name="teams"),
    path("teams/<uuid:team_id>/", views.team, name="team"),
]
