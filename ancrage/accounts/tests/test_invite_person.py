"""Inviting one person from the invitations page sends a working link through real SMTP."""

import pytest
from django.urls import reverse

from ancrage.accounts.actions import InvitationRefused, invite_person
from ancrage.accounts.models import Invitation, User, hash_invitation_token
from ancrage.accounts.tests.helpers import counts, link_path
from ancrage.tenancy.models import Membership, MembershipStatus, Role

pytestmark = pytest.mark.django_db


def _invite(client, **fields):
    data = {"email": "", "name": "", "team": "", "manager": "", "role": Role.LEARNER}
    data.update(fields)
    return client.post(reverse("invitations"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_ld_lead_invites_a_person_who_receives_a_working_link(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    client = tenancy.client_for(tenancy.ld_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(
            client,
            email="Nina.Neuve@Alpha.test",
            name="Nina Neuve",
            team=str(tenancy.team_a.pk),
            manager=str(tenancy.manager.pk),
            role=Role.LEARNER,
        )

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nina.neuve@alpha.test")
    assert membership.organisation == tenancy.org_a
    assert membership.status == MembershipStatus.INVITED
    assert membership.team == tenancy.team_a
    assert membership.manager == tenancy.manager
    assert not membership.user.has_usable_password()
    invitation = Invitation.objects.get(membership=membership)
    assert invitation.invited_by == tenancy.ld_lead.user
    assert invitation.sent_at is not None

    message = smtp_server.wait_for(to="nina.neuve@alpha.test")
    assert "Alpha SA" in message["Subject"]
    assert message["Reply-To"] == "ld@alpha.test"
    assert "Alpha SA" in smtp_server.html_body(message)
    path = link_path(message)
    assert path in smtp_server.html_body(message)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == hash_invitation_token(token)
    assert token not in invitation.token_hash

    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Alpha SA" in page.content.decode()
    assert "Nina Neuve" in page.content.decode()


def test_email_is_in_the_inviters_language(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    client = tenancy.client_for(tenancy.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("invitations"),
            {"email": "fr@alpha.test", "name": "Franck", "role": Role.LEARNER},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        client.post(
            reverse("invitations"),
            {"email": "en@alpha.test", "name": "Emma", "role": Role.LEARNER},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    french = smtp_server.wait_for(to="fr@alpha.test")
    english = smtp_server.wait_for(to="en@alpha.test")
    assert 'lang="fr"' in smtp_server.html_body(french)
    assert 'lang="en"' in smtp_server.html_body(english)
    assert "invites you to join" in english["Subject"]


def test_inviting_an_invited_person_again_sends_a_new_link_without_duplicating(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    client = tenancy.client_for(tenancy.ld_lead)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, email="twice@alpha.test", name="Twice")
    first = link_path(smtp_server.wait_for(to="twice@alpha.test"))
    before = counts()
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, email="twice@alpha.test", name="Twice Again")

    assert response.status_code == 302
    assert counts() == before
    second = link_path(smtp_server.wait_for(to="twice@alpha.test"))
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert User.objects.get(email="twice@alpha.test").name == "Twice Again"


def test_member_of_another_organisation_cannot_be_invited_and_it_is_not_named(tenancy):
    client = tenancy.client_for(tenancy.ld_lead)
    before = counts()

    response = _invite(client, email="other@beta.test", name="Otto")

    assert response.status_code == 400
    body = response.content.decode()
    assert "outside your organisation" in body
    assert "Bêta" not in body
    assert counts() == before
    assert Membership.objects.get(pk=tenancy.other.pk).organisation == tenancy.org_b


def test_active_member_is_not_invited_again(tenancy):
    response = _invite(
        tenancy.client_for(tenancy.ld_lead), email="owner@alpha.test", name="Léa Owner"
    )

    assert response.status_code == 400
    assert "already an active member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_an_organisation_admin_grants_the_admin_role(tenancy):
    with pytest.raises(InvitationRefused) as refused:
        invite_person(
            actor=tenancy.ld_lead,
            email="boss@alpha.test",
            name="Boss",
            team=None,
            manager=None,
            role=Role.ORG_ADMIN,
        )
    assert refused.value.code == "admin_only"
    form = tenancy.client_for(tenancy.ld_lead).get(reverse("invitations")).content.decode()
    assert 'value="org_admin"' not in form

    invitation = invite_person(
        actor=tenancy.admin,
        email="boss@alpha.test",
        name="Boss",
        team=None,
        manager=None,
        role=Role.ORG_ADMIN,
    )
    assert invitation.membership.role == Role.ORG_ADMIN


def test_team_and_manager_of_another_organisation_are_refused(tenancy):
    client = tenancy.client_for(tenancy.ld_lead)
    before = counts()

    response = _invite(
        client,
        email="x@alpha.test",
        name="X",
        team=str(tenancy.team_b.pk),
        manager=str(tenancy.other_ld_lead.pk),
    )

    assert response.status_code == 400
    assert counts() == before
    with pytest.raises(InvitationRefused):
        invite_person(
            actor=tenancy.ld_lead,
            email="x@alpha.test",
            name="X",
            team=None,
            manager=tenancy.other_ld_lead,
            role=Role.LEARNER,
        )


def test_form_errors_are_linked_to_their_fields(tenancy):
    response = _invite(tenancy.client_for(tenancy.ld_lead), email="not-an-email", name="")

    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-describedby="id_email_error' in body
    assert 'id="id_email_error"' in body
    assert 'aria-invalid="true"' in body


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_learners_and_managers_get_403_on_invitations(tenancy, who):
    client = tenancy.client_for(getattr(tenancy, who))
    assert client.get(reverse("invitations")).status_code == 403
    assert _invite(client, email="x@alpha.test", name="X").status_code == 403
    assert client.post(reverse("invitations_import")).status_code == 403
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("invitations"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
