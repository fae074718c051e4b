from django.urls import path

from ancrage.engagement import views
from ancrage.engagement.recognition import views as recognition
from ancrage.engagement.sharing import views as sharing

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
    # Knowledge sharing
    path("sharing/", sharing.feed, name="engagement_sharing_feed"),
    path("sharing/new/", sharing.share, name="engagement_share"),
    path("sharing/<uuid:takeaway_id>/react", sharing.react, name="engagement_sharing_react"),
    path("sharing/<uuid:takeaway_id>/feature", sharing.feature, name="engagement_sharing_feature"),
    path("sharing/<uuid:takeaway_id>/delete", sharing.delete, name="engagement_sharing_delete"),
    # Recognition
    path("recognition/", recognition.inbox, name="engagement_recognition_inbox"),
    path("recognition/mine/", recognition.mine, name="engagement_my_recognitions"),
    path("recognition/propose/", recognition.nominate, name="engagement_recognition_nominate"),
    path("recognition/rules/", recognition.rules, name="engagement_recognition_rules"),
    path(
        "recognition/rules/<uuid:rule_id>/",
        recognition.rule_edit,
        name="engagement_recognition_rule_edit",
    ),
    path(
        "recognition/<uuid:recognition_id>/decide",
        recognition.decide,
        name="engagement_recognition_decide",
    ),
    path(
        "recognition/<uuid:recognition_id>/teams",
        recognition.post_to_teams,
        name="engagement_recognition_teams",
    ),
]
