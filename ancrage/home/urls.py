from django.urls import path

from ancrage.home import views

urlpatterns = [path("", views.home, name="home")]
