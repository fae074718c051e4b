"""Each role's pages (home, people, teams, a person, a team) pass axe-core on a phone and
fit its width; the navigation offers only what the role may open."""

import pytest
from django.urls import reverse

from ancrage.common.testing.browser import fr

pytestmark = pytest.mark.browser


def _pages(tenancy, role):
    own = [reverse("home"), reverse("person", args=[getattr(tenancy, role).pk])]
    if role == "owner":
        return own
    return [
        *own,
        reverse("people"),
        reverse("teams"),
        reverse("team", args=[tenancy.team_a.pk]),
        reverse("person", args=[tenancy.teammate.pk]),
    ]


@pytest.mark.parametrize("role", ["owner", "manager", "ld_lead"])
def test_role_pages_pass_axe_at_phone_width(phone_page, axe_check, log_in, tenancy, role):
    log_in(phone_page, getattr(tenancy, role).user)

    for url in _pages(tenancy, role):
        response = phone_page.goto(url)
        assert response is not None
        assert response.status == 200, url
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, url
        axe_check(phone_page)


def test_learner_navigation_offers_no_people_or_teams(phone_page, log_in, tenancy):
    log_in(phone_page, tenancy.owner.user)

    phone_page.goto(reverse("home"))

    navigation = phone_page.get_by_role("navigation", name=fr("Main"))
    assert navigation.get_by_role("link", name=fr("Home")).is_visible()
    assert navigation.get_by_role("link", name=fr("People")).count() == 0
    assert navigation.get_by_role("link", name=fr("Teams")).count() == 0
