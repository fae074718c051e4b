"""Privacy of recognition and sharing: another organisation gets 404 on every new URL, a
learner gets 403 on the L&D and manager pages, and no page ranks people by volume."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from ancrage.engagement.models import Recognition, RecognitionRule, SharedTakeaway
from ancrage.engagement.tests.community import shared
from ancrage.tenancy.models import Role
from ancrage.tenancy.tests.factories import MembershipFactory, UserFactory

PARIS = ZoneInfo("Europe/Paris")


def _rows(tenancy):
    takeaway = shared(tenancy.owner, "Je reformule.", datetime(2027, 3, 16, 10, tzinfo=PARIS))
    rule = RecognitionRule.objects.create(
        organisation=tenancy.org_a, name="Apprenant·e proactif·ve", min_paths=3
    )
    recognition = Recognition.objects.create(
        organisation=tenancy.org_a,
        learner=tenancy.owner,
        rule=rule,
        period_key="2027-Q1",
        period_label="T1 2027",
        title=rule.name,
        reason="3 parcours.",
        status="validated",
    )
    return takeaway, rule, recognition


def test_another_organisation_gets_404_on_every_new_url(tenancy):
    takeaway, rule, recognition = _rows(tenancy)
    for member in (tenancy.other_ld_lead, tenancy.other):
        client = tenancy.client_for(member)
        posts = [
            (reverse("engagement_sharing_react", args=[takeaway.pk]), {"kind": "useful"}),
            (reverse("engagement_sharing_delete", args=[takeaway.pk]), {}),
            (reverse("engagement_recognition_teams", args=[recognition.pk]), {}),
            (reverse("engagement_share"), {"plan": "00000000-0000-0000-0000-000000000000"}),
        ]
        if member.role == Role.LD_LEAD:
            posts += [
                (reverse("engagement_sharing_feature", args=[takeaway.pk]), {}),
                (
                    reverse("engagement_recognition_decide", args=[recognition.pk]),
                    {"decision": "decline"},
                ),
            ]
            url = reverse("engagement_recognition_rule_edit", args=[rule.pk])
            assert client.get(url).status_code == 404, url
        for url, data in posts:
            assert client.post(url, data).status_code == 404, url
        for url in (
            reverse("engagement_sharing_feed"),
            reverse("engagement_my_recognitions"),
            reverse("home"),
        ):
            page = client.get(url).content.decode()
            assert "Je reformule." not in page, url
            assert "Apprenant·e proactif·ve" not in page, url
    takeaway.refresh_from_db()
    recognition.refresh_from_db()
    assert not takeaway.is_featured
    assert recognition.status == "validated"
    assert SharedTakeaway.objects.count() == 1


def test_learners_cannot_reach_the_l_and_d_and_manager_pages(tenancy):
    _takeaway, rule, recognition = _rows(tenancy)
    owner = tenancy.client_for(tenancy.owner)
    for url in (
        reverse("engagement_recognition_inbox"),
        reverse("engagement_recognition_nominate"),
        reverse("engagement_recognition_rules"),
        reverse("engagement_recognition_rule_edit", args=[rule.pk]),
    ):
        assert owner.get(url).status_code == 403, url
    manager = tenancy.client_for(tenancy.manager)
    assert manager.get(reverse("engagement_recognition_rules")).status_code == 403
    decide = reverse("engagement_recognition_decide", args=[recognition.pk])
    assert owner.post(decide, {"decision": "decline"}).status_code == 403


def test_no_page_lists_people_ordered_by_how_much_they_did(tenancy):
    """Three colleagues with 5, 3 and 1 takeaways, the busiest sharing first: every page
    still lists takeaways newest first, and never shows a count per person."""
    names = {"Ada Alpha": 5, "Bob Bravo": 3, "Cyd Charlie": 1}
    people = {}
    for name in names:
        user = UserFactory(email=f"{name.split()[0].lower()}@alpha.test", name=name)
        people[name] = MembershipFactory(
            organisation=tenancy.org_a, user=user, team=tenancy.team_a, role=Role.LEARNER
        )
    day = 1
    for name, count in names.items():
        for index in range(count):
            shared(
                people[name],
                f"Enseignement {index} de {name}",
                datetime(2027, 2, day, 10, tzinfo=PARIS),
            )
            day += 1
    pages = [
        (tenancy.ld_lead, reverse("engagement_sharing_feed")),
        (tenancy.ld_lead, reverse("engagement_recognition_inbox")),
        (tenancy.ld_lead, reverse("bridges_programmes")),
        (tenancy.ld_lead, reverse("home")),
        (tenancy.manager, reverse("engagement_sharing_feed")),
        (tenancy.manager, reverse("engagement_recognition_inbox")),
        (tenancy.manager, reverse("home")),
        (tenancy.owner, reverse("engagement_sharing_feed")),
        (tenancy.owner, reverse("home")),
    ]
    for member, url in pages:
        page = tenancy.client_for(member).get(url).content.decode()
        firsts = [page.find(name.split()[0]) for name in names]
        if all(position >= 0 for position in firsts):
            # Newest first: Cyd (shared last) before Ada (the busiest, shared first).
            assert firsts[2] < firsts[0], url
        for name, count in names.items():
            first = name.split()[0]
            tally = rf"{first}[^<]{{0,40}}\b{count}\s*(takeaway|path|enseignement|parcours|partage|point)"
            assert not re.search(tally, page, re.IGNORECASE), (url, name)
