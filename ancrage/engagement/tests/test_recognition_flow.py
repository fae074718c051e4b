"""Proposing, validating and sharing a recognition: who may do what, and what the learner
sees (home, « my recognitions », an email, a Teams card only with their consent)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ancrage.engagement.models import Recognition, RecognitionRule, RecognitionStatus
from ancrage.engagement.recognition import actions
from ancrage.notify.actions import add_teams_channel
from ancrage.notify.models import Channel, OutboundMessage


@pytest.fixture
def rule(tenancy):
    return RecognitionRule.objects.create(
        organisation=tenancy.org_a, name="Apprenant·e proactif·ve", min_paths=3, min_takeaways=2
    )


def _automatic(tenancy, rule, learner) -> Recognition:
    return Recognition.objects.create(
        organisation=tenancy.org_a,
        learner=learner,
        rule=rule,
        period_key="2027-Q1",
        period_label="1er trimestre 2027",
        title=rule.name,
        reason="3 parcours terminés · 2 enseignements partagés — trimestre 1 de 2027.",
    )


def test_a_manager_proposes_a_report_and_the_l_and_d_lead_validates(
    tenancy, django_capture_on_commit_callbacks
):
    manager = tenancy.client_for(tenancy.manager)
    response = manager.post(
        reverse("engagement_recognition_nominate"),
        {
            "learner": str(tenancy.owner.pk),
            "title": "Esprit d’entraide",
            "reason": "A animé le tour de table silencieux de la réunion du 12 mars.",
        },
    )
    assert response.status_code == 302
    recognition = Recognition.objects.get()
    assert (recognition.proposed_by, recognition.status) == (tenancy.manager, "proposed")

    # Four eyes: the manager cannot validate their own nomination; the L&D lead can.
    decide = reverse("engagement_recognition_decide", args=[recognition.pk])
    assert manager.post(decide, {"decision": "validate"}).status_code == 403
    ld = tenancy.client_for(tenancy.ld_lead)
    assert "Esprit d’entraide" in ld.get(reverse("engagement_recognition_inbox")).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        assert ld.post(decide, {"decision": "validate"}).status_code == 302
    recognition.refresh_from_db()
    assert (recognition.status, recognition.decided_by) == ("validated", tenancy.ld_lead)
    email = OutboundMessage.objects.get(idempotency_key=f"recognition:{recognition.pk}:validated")
    assert email.recipient == tenancy.owner.user.email
    # Decided once.
    assert ld.post(decide, {"decision": "decline"}).status_code == 302
    recognition.refresh_from_db()
    assert recognition.status == "validated"

    owner = tenancy.client_for(tenancy.owner)
    assert "Esprit d’entraide" in owner.get(reverse("home")).content.decode()
    assert "Esprit d’entraide" in owner.get(reverse("engagement_my_recognitions")).content.decode()
    # Colleagues do not see it on their own pages.
    teammate = tenancy.client_for(tenancy.teammate)
    assert "Esprit d’entraide" not in teammate.get(reverse("home")).content.decode()


def test_a_manager_validates_automatic_proposals_for_their_own_reports_only(tenancy, rule):
    mine = _automatic(tenancy, rule, tenancy.owner)
    not_mine = _automatic(tenancy, rule, tenancy.outsider)
    manager = tenancy.client_for(tenancy.manager)
    page = manager.get(reverse("engagement_recognition_inbox")).content.decode()
    assert "Léa Owner" in page
    assert "Olga Outsider" not in page
    assert (
        manager.post(
            reverse("engagement_recognition_decide", args=[not_mine.pk]), {"decision": "validate"}
        ).status_code
        == 404
    )
    assert (
        manager.post(
            reverse("engagement_recognition_decide", args=[mine.pk]), {"decision": "decline"}
        ).status_code
        == 302
    )
    mine.refresh_from_db()
    not_mine.refresh_from_db()
    assert (mine.status, not_mine.status) == (RecognitionStatus.DECLINED, "proposed")
    assert not OutboundMessage.objects.exists()  # declining tells nobody


def test_a_manager_cannot_propose_someone_who_does_not_report_to_them(tenancy):
    manager = tenancy.client_for(tenancy.manager)
    response = manager.post(
        reverse("engagement_recognition_nominate"),
        {"learner": str(tenancy.outsider.pk), "title": "Bravo", "reason": "Pour l'aide."},
    )
    assert response.status_code == 400
    with pytest.raises(PermissionDenied):
        actions.nominate(by=tenancy.manager, learner=tenancy.outsider, title="Bravo", reason="x")
    assert not Recognition.objects.exists()


def test_a_learner_cannot_validate_or_propose(tenancy, rule):
    recognition = _automatic(tenancy, rule, tenancy.owner)
    owner = tenancy.client_for(tenancy.owner)
    decide = reverse("engagement_recognition_decide", args=[recognition.pk])
    assert owner.post(decide, {"decision": "validate"}).status_code == 403
    assert owner.get(reverse("engagement_recognition_inbox")).status_code == 403
    assert owner.get(reverse("engagement_recognition_nominate")).status_code == 403
    assert owner.get(reverse("engagement_recognition_rules")).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.decide_recognition(recognition=recognition, by=tenancy.owner, validate=True)
    recognition.refresh_from_db()
    assert recognition.status == "proposed"
    # A proposal is not shown to the learner before it is validated.
    assert rule.name not in owner.get(reverse("engagement_my_recognitions")).content.decode()


def test_the_l_and_d_lead_defines_a_rule_and_bad_input_is_refused(tenancy):
    ld = tenancy.client_for(tenancy.ld_lead)
    url = reverse("engagement_recognition_rules")
    empty = ld.post(url, {"name": "Rien", "period": "quarter", "min_paths": 0})
    assert empty.status_code == 400
    assert "Exigez au moins un critère" in empty.content.decode()
    ok = ld.post(
        url,
        {
            "name": "Champion·ne de l'événement",
            "period": "event",
            "min_paths": 1,
            "min_takeaways": 0,
            "min_action_plans": 1,
            "active": "on",
        },
    )
    assert ok.status_code == 302
    rule = RecognitionRule.objects.get()
    assert (rule.period, rule.min_paths, rule.min_action_plans) == ("event", 1, 1)
    again = ld.post(url, {"name": rule.name, "period": "quarter", "min_paths": 2})
    assert again.status_code == 400
    assert "porte déjà ce nom" in again.content.decode()


def test_a_recognition_goes_to_the_team_channel_only_when_the_learner_asks(
    tenancy, rule, webhook_receiver
):
    add_teams_channel(
        organisation=tenancy.org_a,
        name="Service client",
        webhook_url=webhook_receiver.url(),
        team=tenancy.team_a,
    )
    recognition = _automatic(tenancy, rule, tenancy.owner)
    actions.decide_recognition(recognition=recognition, by=tenancy.ld_lead, validate=True)
    assert not OutboundMessage.objects.filter(channel=Channel.TEAMS).exists()

    url = reverse("engagement_recognition_teams", args=[recognition.pk])
    assert tenancy.client_for(tenancy.teammate).post(url).status_code == 404
    assert tenancy.client_for(tenancy.manager).post(url).status_code == 403  # not theirs to share
    assert not OutboundMessage.objects.filter(channel=Channel.TEAMS).exists()
    owner = tenancy.client_for(tenancy.owner)
    assert owner.post(url).status_code == 302
    assert owner.post(url).status_code == 302  # twice: one card
    card = OutboundMessage.objects.get(channel=Channel.TEAMS)
    assert card.idempotency_key == f"recognition:{recognition.pk}:teams"
    assert "Léa Owner" in str(card.payload)
    recognition.refresh_from_db()
    assert recognition.posted_to_teams_at is not None
