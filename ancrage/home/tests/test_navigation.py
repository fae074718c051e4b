"""The main navigation shows each role its own few sections, and marks the current page."""

import re

import pytest
from django.urls import reverse

from ancrage.home.navigation import LINKS

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    match = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert match, "no main navigation on the page"
    return match.group(0)


def test_every_navigation_link_resolves() -> None:
    for link in LINKS:
        assert reverse(link.url_name)


def test_a_learner_sees_learning_links_and_no_management(tenancy) -> None:
    nav = _nav(tenancy.client_for(tenancy.owner).get(reverse("home")).content.decode())
    assert reverse("transfer_journal") in nav
    assert nav.count(f'href="{reverse("catalogue")}"') == 1  # one « Catalogue » entry
    assert reverse("licensing_catalogue") not in nav
    for hidden in ("engagement_campaigns", "invitations", "evaluation_index", "transfer_team"):
        assert reverse(hidden) not in nav


def test_a_manager_sees_their_team(tenancy) -> None:
    nav = _nav(tenancy.client_for(tenancy.manager).get(reverse("home")).content.decode())
    assert reverse("transfer_team") in nav
    assert reverse("engagement_campaigns") not in nav


def test_the_ld_lead_gets_grouped_menus_with_the_current_page_marked(tenancy) -> None:
    html = tenancy.client_for(tenancy.ld_lead).get(reverse("engagement_campaigns")).content
    nav = _nav(html.decode())
    assert nav.count("<details") >= 3
    assert re.search(
        rf'href="{re.escape(reverse("engagement_campaigns"))}" aria-current="page"', nav
    )
    assert '<summary class="current">' in nav
    assert reverse("invitations") in nav


def test_publisher_staff_see_the_studio_not_client_pages(client, django_user_model) -> None:
    editor = django_user_model.objects.create_user(
        email="editor@publisher.test", password="x", publisher_role="editor"
    )
    client.force_login(editor)
    nav = _nav(client.get(reverse("studio")).content.decode())
    assert reverse("studio") in nav
    assert reverse("transfer_journal") not in nav


def test_an_ld_lead_finds_ritual_settings_under_deploy_and_people_under_organisation(
    tenancy,
) -> None:  # type: ignore[no-untyped-def]
    html = tenancy.client_for(tenancy.ld_lead).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    nav = _nav(html.content.decode())
    deploy = re.search(r"<summary[^>]*>Deploy</summary>.*?</details>", nav, re.S)
    assert deploy
    assert reverse("habits_settings") in deploy.group(0)
    assert "<summary>Organisation</summary>" in nav  # not a « People » menu holding « People »
    assert "<summary>Administration</summary>" not in nav
