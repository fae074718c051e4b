"""CSV import: a good file invites everyone; any bad line imports nothing and is reported."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ancrage.accounts.actions import import_invitations_csv
from ancrage.accounts.csv_import import MAX_BYTES, MAX_ROWS
from ancrage.accounts.models import Invitation, User
from ancrage.accounts.tests.helpers import counts, link_path
from ancrage.tenancy.models import Membership, MembershipStatus, Role, Team
from ancrage.tenancy.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

HEADER = "email,name,team,manager email,role\n"


@pytest.fixture
def pme(tenancy) -> Team:
    return TeamFactory(organisation=tenancy.org_a, name="PME", parent=tenancy.team_a2)


def _import(tenancy, text: str | bytes, actor=None):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return import_invitations_csv(actor=actor or tenancy.ld_lead, data=data, language="en")


def _codes(report) -> list[tuple[int | None, str, str]]:
    return [(error.line, error.column, error.code) for error in report.errors]


def test_good_file_invites_new_people_updates_members_and_links_managers(
    tenancy, pme, smtp_server, django_capture_on_commit_callbacks, client
):
    text = HEADER + (
        "karim.new@alpha.test,Karim Nouveau,Ventes,,manager\n"
        "lea.new@alpha.test,Léa Nouvelle,Ventes › PME,karim.new@alpha.test,learner\n"
        "OWNER@alpha.test,Léa Owner-Martin,Ventes/PME,karim.new@alpha.test,collaborateur\n"
        "bob.new@alpha.test,Bob Neuf,,manager@alpha.test,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = _import(tenancy, text)

    assert report.ok, report.errors
    assert (report.invited, report.updated) == (3, 1)
    karim = Membership.objects.get(user__email="karim.new@alpha.test")
    lea = Membership.objects.get(user__email="lea.new@alpha.test")
    bob = Membership.objects.get(user__email="bob.new@alpha.test")
    owner = Membership.objects.select_related("user").get(pk=tenancy.owner.pk)
    assert (karim.role, karim.team, karim.manager, karim.status) == (
        Role.MANAGER,
        tenancy.team_a2,
        None,
        MembershipStatus.INVITED,
    )
    assert (lea.team, lea.manager, lea.role) == (pme, karim, Role.LEARNER)
    assert (bob.team, bob.manager, bob.role) == (None, tenancy.manager, Role.LEARNER)
    assert (owner.team, owner.manager, owner.status) == (pme, karim, MembershipStatus.ACTIVE)
    assert owner.user.name == "Léa Owner-Martin"
    assert not Invitation.objects.filter(membership=owner).exists()
    for email in ("karim.new@alpha.test", "lea.new@alpha.test", "bob.new@alpha.test"):
        assert client.get(link_path(smtp_server.wait_for(to=email))).status_code == 200
    assert smtp_server.messages_to("owner@alpha.test") == []


def test_excel_latin1_semicolon_export_with_french_headers_imports_accents_correctly(
    tenancy, pme, smtp_server, django_capture_on_commit_callbacks
):
    data = (
        "Courriel;Nom;Équipe;E-mail du manager;Rôle\r\n"
        "helene.cremieux@alpha.test;Hélène Crémieux;Ventes/PME;manager@alpha.test;Collaboratrice\r\n"
        "francois.leveque@alpha.test;François Lévêque;Service client;;Responsable formation\r\n"
        ";;;;\r\n"
    ).encode("cp1252")

    with django_capture_on_commit_callbacks(execute=True):
        report = _import(tenancy, data)

    assert report.ok, report.errors
    assert report.invited == 2
    helene = Membership.objects.select_related("user").get(user__email="helene.cremieux@alpha.test")
    francois = Membership.objects.select_related("user").get(
        user__email="francois.leveque@alpha.test"
    )
    assert helene.user.name == "Hélène Crémieux"
    assert (helene.team, helene.manager, helene.role) == (pme, tenancy.manager, Role.LEARNER)
    assert francois.user.name == "François Lévêque"
    assert francois.role == Role.LD_LEAD
    message = smtp_server.wait_for(to="helene.cremieux@alpha.test")
    assert "Hélène Crémieux" in smtp_server.text_body(message)


def test_utf8_with_bom_and_semicolons_imports(tenancy):
    data = "\ufeffe-mail;nom;équipe;email du manager;rôle\nzoe@alpha.test;Zoé;Ventes;;Manager\n"
    report = _import(tenancy, data.encode("utf-8"))
    assert report.ok, report.errors
    assert User.objects.get(email="zoe@alpha.test").name == "Zoé"


def test_columns_may_be_omitted_and_keep_existing_values(tenancy):
    report = _import(tenancy, "name,email\nTom T.,teammate@alpha.test\n")

    assert report.ok, report.errors
    assert report.updated == 1
    teammate = Membership.objects.get(pk=tenancy.teammate.pk)
    assert (teammate.team, teammate.manager, teammate.role) == (
        tenancy.team_a,
        tenancy.manager,
        Role.LEARNER,
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            "a@alpha.test,Ann,,ghost@alpha.test,learner\n",
            [(2, "manager email", "unknown_manager")],
            id="unknown manager",
        ),
        pytest.param(
            "other@beta.test,Ann,,,learner\n",
            [(2, "email", "other_organisation")],
            id="member of another organisation",
        ),
        pytest.param(
            "a@alpha.test,Ann,,,learner\nb@alpha.test,Bob,,,learner\nA@alpha.test,Ann again,,,learner\n",
            [(4, "email", "duplicate_email")],
            id="duplicate email",
        ),
        pytest.param(
            "a@alpha.test,Ann,,,chef\n",
            [(2, "role", "bad_role")],
            id="bad role",
        ),
        pytest.param(
            "a@alpha.test,Ann,Marketing,,learner\n",
            [(2, "team", "unknown_team")],
            id="unknown team",
        ),
        pytest.param(
            "not-an-email,Ann,,,learner\n",
            [(2, "email", "invalid_email")],
            id="invalid email",
        ),
        pytest.param(
            "a@alpha.test,Ann,,not an email,learner\n",
            [(2, "manager email", "invalid_email")],
            id="invalid manager email",
        ),
        pytest.param(
            ",Ann,,,learner\nb@alpha.test,,,,learner\n",
            [(2, "email", "missing_field"), (3, "name", "missing_field")],
            id="missing required fields",
        ),
        pytest.param(
            "a@alpha.test,Ann,,a@alpha.test,learner\n",
            [(2, "manager email", "own_manager")],
            id="own manager",
        ),
        pytest.param(
            "a@alpha.test,Ann,,,org_admin\n",
            [(2, "role", "admin_only")],
            id="L&D lead cannot grant admin",
        ),
        pytest.param(
            "ld@alpha.test,Sophie Lead,,,learner\n",
            [(2, "role", "own_role")],
            id="cannot change own role",
        ),
        pytest.param(
            "a@alpha.test,Ann,,,learner,surprise\n",
            [(2, "file", "extra_values")],
            id="more values than columns",
        ),
    ],
)
def test_bad_line_imports_nothing_and_is_reported(tenancy, rows, expected):
    before = counts()
    owner_before = Membership.objects.get(pk=tenancy.owner.pk)

    report = _import(tenancy, HEADER + "owner@alpha.test,Changed,,,manager\n" + rows)

    assert not report.ok
    shifted = [(line + 1 if line else line, column, code) for line, column, code in expected]
    assert _codes(report) == shifted
    assert all(error.message for error in report.errors)
    assert counts() == before
    owner = Membership.objects.select_related("user").get(pk=tenancy.owner.pk)
    assert (owner.role, owner.user.name) == (owner_before.role, "Léa Owner")


def test_every_bad_line_is_reported_at_once(tenancy):
    text = HEADER + (
        "a@alpha.test,Ann,Marketing,,learner\n"
        "b@alpha.test,Bob,,ghost@alpha.test,learner\n"
        "good@alpha.test,Good,,,learner\n"
        "c@alpha.test,Cat,,,wizard\n"
    )
    before = counts()

    report = _import(tenancy, text)

    assert [(e.line, e.code) for e in report.errors] == [
        (2, "unknown_team"),
        (3, "unknown_manager"),
        (5, "bad_role"),
    ]
    assert counts() == before


def test_ambiguous_team_name_asks_for_the_path(tenancy, pme):
    TeamFactory(organisation=tenancy.org_a, name="PME", parent=tenancy.team_a)
    report = _import(tenancy, HEADER + "a@alpha.test,Ann,pme,,learner\n")
    assert _codes(report) == [(2, "team", "ambiguous_team")]
    assert "Ventes › PME" in report.errors[0].message

    assert _import(tenancy, HEADER + "a@alpha.test,Ann,ventes > pme,,learner\n").ok


def test_team_of_another_organisation_is_unknown(tenancy):
    report = _import(tenancy, HEADER + "a@alpha.test,Ann,Guichet unique,,learner\n")
    assert _codes(report) == [(2, "team", "unknown_team")]


def test_manager_of_another_organisation_is_unknown(tenancy):
    report = _import(tenancy, HEADER + "a@alpha.test,Ann,,other@beta.test,learner\n")
    assert _codes(report) == [(2, "manager email", "unknown_manager")]


def test_undecodable_bytes_are_reported_on_their_line(tenancy):
    data = HEADER.encode() + b"a@alpha.test,Ann,,,learner\n" + b"b@alpha.test,B\x81b,,,learner\n"
    before = counts()

    report = _import(tenancy, data)

    assert _codes(report) == [(3, "file", "bad_encoding")]
    assert counts() == before


def test_file_mixing_utf8_and_latin1_is_refused_rather_than_garbled(tenancy):
    data = (
        HEADER.encode()
        + "a@alpha.test,Zoé,,,learner\n".encode()
        + b"b@alpha.test,Ren\xe9,,,learner\n"
    )
    report = _import(tenancy, data)
    assert _codes(report) == [(3, "file", "bad_encoding")]


def test_binary_file_is_refused(tenancy):
    report = _import(tenancy, "email,name\n".encode("utf-16"))
    assert _codes(report) == [(None, "file", "bad_encoding")]


def test_oversized_file_is_refused_before_reading(tenancy):
    line = "someone@alpha.test,Someone,,,learner\n"
    data = (HEADER + line * (MAX_BYTES // len(line) + 1)).encode()
    assert len(data) > MAX_BYTES

    report = _import(tenancy, data)

    assert _codes(report) == [(None, "file", "file_too_large")]


def test_too_many_rows_is_refused(tenancy):
    before = counts()
    rows = "".join(f"p{i}@alpha.test,P {i},,,learner\n" for i in range(MAX_ROWS + 1))

    report = _import(tenancy, HEADER + rows)

    assert _codes(report) == [(None, "file", "too_many_rows")]
    assert counts() == before


def test_missing_header_is_reported(tenancy):
    report = _import(tenancy, "a@alpha.test,Ann,,,learner\n")
    assert _codes(report) == [(1, "file", "missing_header")]


def test_header_without_a_required_column_or_with_an_unknown_one_is_reported(tenancy):
    report = _import(tenancy, "email,team,salary\na@alpha.test,Ventes,1\n")
    assert _codes(report) == [(1, "file", "unknown_column"), (1, "name", "missing_header")]


def test_empty_file_is_reported(tenancy):
    assert _codes(_import(tenancy, "")) == [(None, "file", "empty")]
    assert _codes(_import(tenancy, HEADER)) == [(None, "file", "empty")]


def test_upload_page_shows_the_per_line_report_with_400(tenancy):
    client = tenancy.client_for(tenancy.ld_lead)
    upload = io.BytesIO((HEADER + "a@alpha.test,Ann,,ghost@alpha.test,chef\n").encode())
    upload.name = "people.csv"
    before = counts()

    response = client.post(
        reverse("invitations_import"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "ghost@alpha.test" in body
    assert "Unknown role “chef”" in body
    assert "<td>2</td>" in body
    assert counts() == before


def test_upload_page_reports_success_counts(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    client = tenancy.client_for(tenancy.admin)
    upload = io.BytesIO(
        (HEADER + "a@alpha.test,Ann,,,learner\nowner@alpha.test,Léa Owner,,,learner\n").encode()
    )
    upload.name = "people.csv"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitations_import"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en", follow=True
        )

    assert response.status_code == 200
    assert "1 invited, 1 already a member (updated)" in response.content.decode()
    smtp_server.wait_for(to="a@alpha.test")


def test_cli_imports_a_good_file(
    tenancy, tmp_path, smtp_server, django_capture_on_commit_callbacks
):
    path = tmp_path / "people.csv"
    path.write_text(
        HEADER + "a@alpha.test,Ann,Ventes,manager@alpha.test,learner\n", encoding="utf-8"
    )
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "invite_csv",
            str(path),
            "--organisation",
            "alpha",
            "--by",
            "LD@alpha.test",
            "--language",
            "en",
            stdout=out,
        )

    assert "1 invited, 0 already members (updated)" in out.getvalue()
    smtp_server.wait_for(to="a@alpha.test")


def test_cli_exits_2_naming_file_line_and_field(tenancy, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        HEADER + "a@alpha.test,Ann,,ghost@alpha.test,learner\nb@alpha.test,Bob,,,chef\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    before = counts()

    with pytest.raises(SystemExit) as exited:
        call_command(
            "invite_csv",
            str(path),
            "--organisation",
            "alpha",
            "--by",
            "ld@alpha.test",
            "--language",
            "en",
            stderr=err,
        )

    assert exited.value.code == 2
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(f"{path}:2: manager email: ")
    assert lines[1].startswith(f"{path}:3: role: Unknown role")
    assert counts() == before


@pytest.mark.parametrize(
    ("organisation", "by"),
    [("alpha", "owner@alpha.test"), ("alpha", "ld@beta.test"), ("nowhere", "ld@alpha.test")],
)
def test_cli_refuses_people_who_cannot_invite(tenancy, tmp_path, organisation, by):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "a@alpha.test,Ann,,,learner\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        call_command(
            "invite_csv",
            str(path),
            "--organisation",
            organisation,
            "--by",
            by,
            stderr=io.StringIO(),
        )
    assert exited.value.code == 2
    assert not User.objects.filter(email="a@alpha.test").exists()


def test_cli_missing_file_exits_2(tenancy, tmp_path):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "invite_csv",
            str(tmp_path / "nope.csv"),
            "--organisation",
            "alpha",
            "--by",
            "ld@alpha.test",
            stderr=err,
        )
    assert exited.value.code == 2
    assert err.getvalue().startswith(f"{tmp_path / 'nope.csv'}: file: ")


def test_line_numbers_count_physical_lines_of_quoted_values(tenancy):
    text = HEADER + 'a@alpha.test,"Ann\non two lines",,,learner\nb@alpha.test,Bob,,,chef\n'
    report = _import(tenancy, text)
    assert _codes(report) == [(4, "role", "bad_role")]


@pytest.mark.parametrize(
    ("value", "role"),
    [
        ("ld_lead", Role.LD_LEAD),
        ("L&D lead", Role.LD_LEAD),
        ("Responsable Formation", Role.LD_LEAD),
        ("Administrateur", Role.ORG_ADMIN),
        ("org_admin", Role.ORG_ADMIN),
        ("COLLABORATEUR", Role.LEARNER),
        ("Manager", Role.MANAGER),
    ],
)
def test_roles_accept_codes_and_french_or_english_labels(tenancy, value, role):
    report = _import(tenancy, HEADER + f"a@alpha.test,Ann,,,{value}\n", actor=tenancy.admin)
    assert report.ok, report.errors
    assert Membership.objects.get(user__email="a@alpha.test").role == role
