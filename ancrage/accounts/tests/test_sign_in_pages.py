"""Sign-in pages (django-allauth, in Ancrage's layout): code first, labelled, autocompleted,
errors tied to their field, and no way to a sign-up that does not exist."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse

from ancrage.tenancy.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str]] = {}
        self.ids: set[str] = set()
        self.labels_for: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "input" and "name" in values and values.get("type") != "hidden":
            self.inputs[values["name"]] = values
        if tag == "label" and "for" in values:
            self.labels_for.add(values["for"])


def _parse(response) -> _Inputs:
    parser = _Inputs()
    parser.feed(response.content.decode())
    return parser


def _request_code(client, email):
    return client.post(reverse("account_request_login_code"), {"email": email}, follow=True)


def test_login_page_offers_the_emailed_code_first_and_no_sign_up_link(client):
    body = client.get(reverse("account_login")).content.decode()

    assert body.index(reverse("account_request_login_code")) < body.index('type="password"')
    assert f'href="{reverse("account_signup")}' not in body
    assert 'class="site-header"' in body  # our layout, not allauth's bare page


def test_sign_in_fields_are_labelled_and_autocompleted(client):
    page = _parse(client.get(reverse("account_login")))

    assert page.inputs["login"]["autocomplete"] == "email"
    assert page.inputs["login"]["type"] == "email"
    assert page.inputs["password"]["autocomplete"] == "current-password"
    for name in ("login", "password", "remember"):
        assert page.inputs[name]["id"] in page.labels_for, name


def test_field_errors_are_announced_with_their_field(client):
    page = _parse(client.post(reverse("account_login"), {"login": "not an email", "password": ""}))

    for name in ("login", "password"):
        field = page.inputs[name]
        assert field["aria-invalid"] == "true"
        error_id = f"{field['id']}_error"
        assert error_id in field["aria-describedby"].split()
        assert error_id in page.ids


def test_code_field_is_a_one_time_code_tied_to_its_help_and_error(client):
    MembershipFactory(user=UserFactory(email="lea@example.org"))
    _request_code(client, "lea@example.org")

    page = _parse(client.get(reverse("account_confirm_login_code")))
    code = page.inputs["code"]
    assert code["autocomplete"] == "one-time-code"
    assert code["id"] in page.labels_for
    assert code["inputmode"] == "numeric"  # six digits: the phone shows a numeric keypad
    assert code["aria-describedby"].split() == [f"{code['id']}_helptext"]

    wrong = _parse(client.post(reverse("account_confirm_login_code"), {"code": "000000"}))
    code = wrong.inputs["code"]
    assert code["aria-invalid"] == "true"
    assert f"{code['id']}_error" in code["aria-describedby"].split()
    assert f"{code['id']}_error" in wrong.ids


def test_a_member_signs_in_with_the_code_from_the_email(client):
    MembershipFactory(user=UserFactory(email="lea@example.org"))

    response = _request_code(client, "lea@example.org")
    assert response.redirect_chain[-1][0] == reverse("account_confirm_login_code")
    assert "lea@example.org" in response.content.decode()
    code = re.search(r"^([0-9]{6})$", mail.outbox[-1].body, re.MULTILINE)
    assert code is not None
    response = client.post(reverse("account_confirm_login_code"), {"code": code.group(1)})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"].email == "lea@example.org"


def test_sign_up_address_explains_invitations_and_offers_no_form(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "<form" not in body.split('id="main"')[1].split("</main>")[0]
    assert "invitation" in body.lower()
    assert reverse("account_login") in body


@pytest.mark.parametrize(
    "url",
    [
        reverse("account_login"),
        reverse("account_request_login_code"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"}),
        reverse("account_reset_password_from_key_done"),
        reverse("account_signup"),
        reverse("account_inactive"),
    ],
)
def test_account_pages_render_in_the_ancrage_layout_in_french(client, url):
    response = client.get(url, follow=True)

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert 'class="site-header"' in body
    assert '<main id="main" tabindex="-1" class="narrow">' in body
    assert body.count("<h1") == 1
    assert f'href="{reverse("account_signup")}' not in body


def test_sign_out_asks_for_confirmation_in_the_ancrage_layout(client):
    client.force_login(UserFactory())

    body = client.get(reverse("account_logout")).content.decode()

    assert 'class="site-header"' in body
    assert f'action="{reverse("account_logout")}"' in body


def test_password_reset_link_lets_the_person_choose_a_new_password(client):
    UserFactory(email="lea@example.org")

    client.post(reverse("account_reset_password"), {"email": "lea@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    page = _parse(form_page)
    assert page.inputs["password1"]["autocomplete"] == "new-password"
    assert page.inputs["password2"]["autocomplete"] == "new-password"
    assert f"{page.inputs['password1']['id']}_helptext" in page.ids
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": "a new long passphrase", "password2": "a new long passphrase"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("account_reset_password_from_key_done")
    assert client.login(email="lea@example.org", password="a new long passphrase")
