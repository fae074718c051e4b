"""Rituals, streaks and recall are the learner's own: another organisation, their manager,
the L&D lead and the admin all get 404 on their rows, and no page shows them."""

from datetime import UTC, date, datetime, timedelta

import pytest

from ancrage.habits.actions import answer_recall, create_recall_items
from ancrage.habits.models import RecallItem, Ritual, RitualState
from ancrage.habits.tests.conftest import MODULE, make_ritual
from ancrage.transfer.models import JournalEntry

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def owned(tenancy, licensed, demo_path):
    ritual = make_ritual(tenancy.owner, now=datetime.now(UTC), cue="rituel-secret-de-léa")
    create_recall_items(learner=tenancy.owner, path=demo_path, module_slug=MODULE, completed_at=T0)
    item = RecallItem.objects.filter(learner=tenancy.owner).first()
    review = answer_recall(item=item, passed=True, now=T0 + timedelta(days=1))
    JournalEntry.objects.create(
        organisation=tenancy.org_a, author=tenancy.owner, occurred_on=date.today(), title="x"
    )
    return ritual, item, review


@pytest.mark.parametrize("who", ["other", "manager", "ld_lead", "admin", "teammate"])
def test_nobody_else_reaches_a_learner_ritual_recall_or_reviews(tenancy, owned, who):
    ritual, item, review = owned
    client = tenancy.client_for(getattr(tenancy, who))
    assert client.post(f"/habits/ritual/{ritual.pk}/stop").status_code == 404
    assert client.post(f"/habits/ritual/{ritual.pk}/snooze", {"until": "hour"}).status_code == 404
    assert client.post(f"/habits/recall/{item.pk}/answer", {"knew": "1"}).status_code == 404
    assert client.get(f"/habits/recall/review/{review.pk}/").status_code == 404
    assert Ritual.objects.get(pk=ritual.pk).state == RitualState.ACTIVE
    # Their own habits page shows their own (empty) habits, nothing of the learner's.
    page = client.get("/habits/").content.decode()
    assert "rituel-secret-de-léa" not in page


@pytest.mark.parametrize("who", ["manager", "ld_lead", "admin"])
def test_manager_and_ld_views_of_the_learner_show_no_streak_or_recall(tenancy, owned, who):
    client = tenancy.client_for(getattr(tenancy, who))
    person = client.get(f"/organisation/people/{tenancy.owner.pk}/")
    assert person.status_code == 200
    body = person.content.decode()
    assert "habits-card-title" not in body
    assert "rituel-secret-de-léa" not in body
    home = client.get("/").content.decode()
    assert "rituel-secret-de-léa" not in home


def test_the_learner_sees_their_own_streak_ritual_and_recall(tenancy, owned):
    page = tenancy.client_for(tenancy.owner).get("/habits/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "rituel-secret-de-léa" in body
    assert "streak-weeks" in body


def test_signed_out_visitors_are_sent_to_sign_in(client, tenancy, owned):
    assert client.get("/habits/").status_code == 302
    assert client.get("/habits/recall/").status_code == 302
