"""The xAPI resources under /xapi/ (no trailing slashes: the specification's paths)."""

from django.urls import URLPattern, path

from ancrage.lrs.views import documents, resources, statements

app_name = "lrs"

urlpatterns: list[URLPattern] = [
    path("statements", statements.statements, name="statements"),
    path("activities/state", documents.state, name="state"),
    path("activities/profile", documents.activity_profile, name="activity-profile"),
    path("agents/profile", documents.agent_profile, name="agent-profile"),
    path("activities", resources.activities, name="activities"),
    path("agents", resources.agents, name="agents"),
    path("about", resources.about, name="about"),
]
