from django.urls import path

from ancrage.accounts import views

urlpatterns = [
    path("invitations/", views.invitations, name="invitations"),
]
