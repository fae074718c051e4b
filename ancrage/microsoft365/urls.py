from django.urls import path

from ancrage.microsoft365 import views
from ancrage.microsoft365.embedding import views as embedding
from ancrage.microsoft365.teams_app import views as tabs

urlpatterns = [
    path("", views.settings_page, name="microsoft365_settings"),
    path("teams-app.zip", views.package, name="microsoft365_package"),
    path("about/", views.about, name="microsoft365_about"),
    path("tabs/<str:app_id>/personal/", tabs.personal_tab, name="microsoft365_personal_tab"),
    path("tabs/<str:app_id>/configure/", tabs.tab_configure, name="microsoft365_tab_configure"),
    path(
        "tabs/<str:app_id>/channel/<str:tab_id>/",
        tabs.channel_tab,
        name="microsoft365_channel_tab",
    ),
    path("embed/sign-in/", embedding.sign_in_popup, name="microsoft365_sign_in_popup"),
    path("embed/exchange/", embedding.exchange, name="microsoft365_exchange"),
]
