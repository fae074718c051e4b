"""Tenant-isolation matrix rows for engagement (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import Route
from ancrage.engagement.models import (
    Campaign,
    CampaignMessage,
    Recognition,
    RecognitionRule,
    SharedTakeaway,
)

ROUTES = [
    Route("engagement_campaigns"),  # engagement/campaigns/ campaigns
    Route("engagement_campaign_new"),  # engagement/campaigns/new/ campaign_new
    Route("engagement_events"),  # engagement/events/ events
    Route("engagement_event_new"),  # engagement/events/new/ event_new
    Route(
        "engagement_campaign", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/ campaign_detail
    Route(
        "engagement_campaign_edit", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/edit/ campaign_edit
    Route(
        "engagement_schedule", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/schedule campaign_schedule
    Route(
        "engagement_pause", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/pause campaign_pause
    Route(
        "engagement_cancel", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/cancel campaign_cancel
    Route(
        "engagement_message_new", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/messages/new/ message_new
    Route(
        "engagement_message_edit", kwargs={"campaign_id": Campaign, "message_id": CampaignMessage}
    ),  # engagement/<uuid:campaign_id>/messages/<uuid:message_id>/ message_edit
    Route(
        "engagement_message_delete", kwargs={"campaign_id": Campaign, "message_id": CampaignMessage}
    ),  # engagement/<uuid:campaign_id>/messages/<uuid:message_id>/delete message_delete
    Route(
        "engagement_message_preview",
        kwargs={"campaign_id": Campaign, "message_id": CampaignMessage},
    ),  # engagement/<uuid:campaign_id>/messages/<uuid:message_id>/preview/ message_preview
    Route(
        "engagement_message_preview_email",
        kwargs={"campaign_id": Campaign, "message_id": CampaignMessage},
    ),  # engagement/<uuid:campaign_id>/messages/<uuid:message_id>/preview/email message_preview_email
    Route(
        "engagement_report", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/report/ report
    Route(
        "engagement_report_refresh", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/report/refresh report_refresh
    Route(
        "engagement_report_pdf", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/report.pdf report_pdf
    Route(
        "engagement_poster_pdf", kwargs={"campaign_id": Campaign}
    ),  # engagement/<uuid:campaign_id>/poster.pdf poster_pdf
    Route(
        "engagement_join", kwargs={"campaign_id": Campaign}
    ),  # engagement/join/<uuid:campaign_id>/ join
    Route("engagement_sharing_feed"),  # engagement/sharing/ feed
    Route("engagement_share"),  # engagement/sharing/new/ share
    Route(
        "engagement_sharing_react", kwargs={"takeaway_id": SharedTakeaway}
    ),  # engagement/sharing/<uuid:takeaway_id>/react react
    Route(
        "engagement_sharing_feature", kwargs={"takeaway_id": SharedTakeaway}
    ),  # engagement/sharing/<uuid:takeaway_id>/feature feature
    Route(
        "engagement_sharing_delete", kwargs={"takeaway_id": SharedTakeaway}
    ),  # engagement/sharing/<uuid:takeaway_id>/delete delete
    Route("engagement_recognition_inbox"),  # engagement/recognition/ inbox
    Route("engagement_my_recognitions"),  # engagement/recognition/mine/ mine
    Route("engagement_recognition_nominate"),  # engagement/recognition/propose/ nominate
    Route("engagement_recognition_rules"),  # engagement/recognition/rules/ rules
    Route(
        "engagement_recognition_rule_edit", kwargs={"rule_id": RecognitionRule}
    ),  # engagement/recognition/rules/<uuid:rule_id>/ rule_edit
    Route(
        "engagement_recognition_decide", kwargs={"recognition_id": Recognition}
    ),  # engagement/recognition/<uuid:recognition_id>/decide decide
    Route(
        "engagement_recognition_teams", kwargs={"recognition_id": Recognition}
    ),  # engagement/recognition/<uuid:recognition_id>/teams post_to_teams
]
