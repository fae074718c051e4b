from django.urls import path

from ancrage.engagement import views

urlpatterns = [
    path("campaigns/", views.campaigns, name="engagement_campaigns"),
    path("campaigns/new/", views.campaign_new, name="engagement_campaign_new"),
    path("events/", views.events, name="engagement_events"),
    path("events/new/", views.event_new, name="engagement_event_new"),
    path("<uuid:campaign_id>/", views.campaign_detail, name="engagement_campaign"),
    path("<uuid:campaign_id>/edit/", views.campaign_edit, name="engagement_campaign_edit"),
    path("<uuid:campaign_id>/schedule", views.campaign_schedule, name="engagement_schedule"),
    path("<uuid:campaign_id>/pause", views.campaign_pause, name="engagement_pause"),
    path("<uuid:campaign_id>/cancel", views.campaign_cancel, name="engagement_cancel"),
    path("<uuid:campaign_id>/messages/new/", views.message_new, name="engagement_message_new"),
    path(
        "<uuid:campaign_id>/messages/<uuid:message_id>/",
        views.message_edit,
        name="engagement_message_edit",
    ),
    path(
        "<uuid:campaign_id>/messages/<uuid:message_id>/delete",
        views.message_delete,
        name="engagement_message_delete",
    ),
    path(
        "<uuid:campaign_id>/messages/<uuid:message_id>/preview/",
        views.message_preview,
        name="engagement_message_preview",
    ),
    path(
        "<uuid:campaign_id>/messages/<uuid:message_id>/preview/email",
        views.message_preview_email,
        name="engagement_message_preview_email",
    ),
    path("<uuid:campaign_id>/report/", views.report, name="engagement_report"),
    path(
        "<uuid:campaign_id>/report/refresh", views.report_refresh, name="engagement_report_refresh"
    ),
    path("<uuid:campaign_id>/report.pdf", views.report_pdf, name="engagement_report_pdf"),
    path("<uuid:campaign_id>/poster.pdf", views.poster_pdf, name="engagement_poster_pdf"),
    path("join/<uuid:campaign_id>/", views.join, name="engagement_join"),
]
