"""L&D leads assemble programmes from what the licence covers: ordered steps (paths or single
modules), a description and a strategic stake; nobody else, and no other organisation."""

import pytest
from django.urls import reverse

from ancrage.common.testing.browser import fr
from ancrage.licensing import actions
from ancrage.licensing.models import Programme, ProgrammeItem
from ancrage.licensing.tests.factories import make_path
from ancrage.player.actions import start_path
from ancrage.player.models import Enrolment

pytestmark = pytest.mark.django_db


def steps(programme):
    return list(
        ProgrammeItem.objects.filter(programme=programme)
        .order_by("order")
        .values_list("path__code", "module_slug")
    )


def test_ld_lead_creates_a_programme_and_adds_paths_and_a_module_in_order(
    tenancy, catalogue, licences
):
    client = tenancy.client_for(tenancy.ld_lead)
    response = client.post(
        reverse("licensing_programme_new"),
        {
            "title": "Onboarding managers 2027",
            "description": "Les bases du management bienveillant.",
            "strategic_stake": "Plan managers 2027",
        },
    )
    programme = Programme.objects.get()
    assert response["Location"] == reverse("licensing_programme", args=[programme.pk])
    assert programme.organisation == tenancy.org_a
    assert programme.created_by == tenancy.ld_lead

    add = reverse("licensing_programme_add", args=[programme.pk])
    client.post(add, {"kind": "path", "path": "ECOUTE-ACTIVE"})
    client.post(add, {"kind": "path", "path": "FEEDBACK"})
    client.post(add, {"kind": "module", "module": "CNV/premier-pas"})
    assert steps(programme) == [
        ("ECOUTE-ACTIVE", ""),
        ("FEEDBACK", ""),
        ("CNV", "premier-pas"),
    ]
    page = client.get(reverse("licensing_programme", args=[programme.pk])).content.decode()
    assert "Plan managers 2027" in page
    assert "Module premier-pas" in page


def test_steps_move_up_and_down_and_are_removed_with_plain_buttons(tenancy, catalogue, licences):
    programme = actions.create_programme(
        organisation=tenancy.org_a,
        by=tenancy.ld_lead,
        title="P",
        items=[
            actions.ItemSpec(catalogue.ecoute),
            actions.ItemSpec(catalogue.cnv),
            actions.ItemSpec(catalogue.feedback),
        ],
    )
    client = tenancy.client_for(tenancy.ld_lead)
    items = {i.path.code: i for i in ProgrammeItem.objects.filter(programme=programme)}

    def step_url(code):
        return reverse("licensing_programme_step", args=[programme.pk, items[code].pk])

    client.post(step_url("FEEDBACK"), {"action": "up"})
    assert [c for c, _ in steps(programme)] == ["ECOUTE-ACTIVE", "FEEDBACK", "CNV"]
    client.post(step_url("ECOUTE-ACTIVE"), {"action": "down"})
    assert [c for c, _ in steps(programme)] == ["FEEDBACK", "ECOUTE-ACTIVE", "CNV"]
    client.post(step_url("FEEDBACK"), {"action": "up"})  # already first: nothing moves
    assert [c for c, _ in steps(programme)] == ["FEEDBACK", "ECOUTE-ACTIVE", "CNV"]
    client.post(step_url("ECOUTE-ACTIVE"), {"action": "remove"})
    assert [c for c, _ in steps(programme)] == ["FEEDBACK", "CNV"]
    assert list(
        ProgrammeItem.objects.filter(programme=programme).values_list("order", flat=True)
    ) == [0, 1]


def test_programme_details_are_edited_and_a_duplicate_title_is_a_form_error(
    tenancy, catalogue, licences
):
    actions.create_programme(organisation=tenancy.org_a, by=None, title="Managers 2027")
    other = actions.create_programme(organisation=tenancy.org_a, by=None, title="Autre")
    client = tenancy.client_for(tenancy.ld_lead)
    response = client.post(
        reverse("licensing_programme", args=[other.pk]),
        {"title": "managers 2027", "description": "", "strategic_stake": ""},
    )
    assert response.status_code == 400
    assert response.context["details_form"].errors["title"] == [
        fr("A programme with this title already exists.")
    ]
    client.post(
        reverse("licensing_programme", args=[other.pk]),
        {"title": "Transition 2030", "description": "Pourquoi", "strategic_stake": "Plan climat"},
    )
    other.refresh_from_db()
    assert (other.title, other.strategic_stake) == ("Transition 2030", "Plan climat")


def test_the_same_title_may_exist_in_another_organisation(tenancy, catalogue, licences):
    actions.create_programme(organisation=tenancy.org_a, by=None, title="Managers 2027")
    actions.create_programme(organisation=tenancy.org_b, by=None, title="Managers 2027")
    assert Programme.objects.count() == 2


def test_a_path_outside_the_licence_cannot_be_added(tenancy, catalogue, licences):
    programme = actions.create_programme(organisation=tenancy.org_b, by=None, title="P")
    with pytest.raises(actions.Invalid) as error:
        actions.add_programme_item(programme=programme, spec=actions.ItemSpec(catalogue.feedback))
    assert error.value.code == "not_licensed"
    client = tenancy.client_for(tenancy.other_ld_lead)
    response = client.post(
        reverse("licensing_programme_add", args=[programme.pk]),
        {"kind": "path", "path": "FEEDBACK"},
    )
    assert response.status_code == 400  # not even a choice of the form
    assert not ProgrammeItem.objects.exists()


def test_unknown_module_and_duplicate_steps_are_refused(tenancy, catalogue, licences):
    programme = actions.create_programme(organisation=tenancy.org_a, by=None, title="P")
    with pytest.raises(actions.Invalid) as unknown:
        actions.add_programme_item(
            programme=programme, spec=actions.ItemSpec(catalogue.cnv, "nope")
        )
    assert unknown.value.code == "unknown_module"
    actions.add_programme_item(programme=programme, spec=actions.ItemSpec(catalogue.cnv))
    with pytest.raises(actions.Invalid) as twice:
        actions.add_programme_item(programme=programme, spec=actions.ItemSpec(catalogue.cnv))
    assert twice.value.code == "duplicate"


def test_a_draft_only_path_is_not_offered_even_on_the_integrale(tenancy, catalogue, licences):
    draft = make_path("BROUILLON", published=False)
    programme = actions.create_programme(organisation=tenancy.org_a, by=None, title="P")
    with pytest.raises(actions.Invalid):
        actions.add_programme_item(programme=programme, spec=actions.ItemSpec(draft))


def test_only_ld_leads_and_admins_reach_programme_pages(tenancy, catalogue, licences):
    programme = actions.create_programme(organisation=tenancy.org_a, by=None, title="P")
    for member in (tenancy.owner, tenancy.manager):
        client = tenancy.client_for(member)
        assert client.get(reverse("licensing_programmes")).status_code == 403
        assert client.get(reverse("licensing_programme", args=[programme.pk])).status_code == 403
    assert (
        tenancy.client_for(tenancy.admin)
        .get(reverse("licensing_programme", args=[programme.pk]))
        .status_code
        == 200
    )


def test_another_organisations_programme_is_404_everywhere(tenancy, catalogue, licences):
    programme = actions.create_programme(
        organisation=tenancy.org_a, by=None, title="P", items=[actions.ItemSpec(catalogue.cnv)]
    )
    item = ProgrammeItem.objects.get(programme=programme)
    client = tenancy.client_for(tenancy.other_ld_lead)
    urls_get = [reverse("licensing_programme", args=[programme.pk])]
    urls_post = [
        (reverse("licensing_programme", args=[programme.pk]), {"title": "Volé"}),
        (reverse("licensing_programme_add", args=[programme.pk]), {"path": "CNV"}),
        (reverse("licensing_programme_step", args=[programme.pk, item.pk]), {"action": "remove"}),
        (
            reverse("licensing_programme_assign", args=[programme.pk]),
            {"team": str(tenancy.team_b.pk)},
        ),
        (reverse("licensing_programme_delete", args=[programme.pk]), {}),
    ]
    for url in urls_get:
        assert client.get(url).status_code == 404, url
    for url, data in urls_post:
        assert client.post(url, data).status_code == 404, url
    assert list(Programme.objects.values_list("title", flat=True)) == ["P"]
    assert ProgrammeItem.objects.filter(programme=programme).count() == 1


def test_programmes_list_shows_only_own_organisation(tenancy, catalogue, licences):
    actions.create_programme(organisation=tenancy.org_a, by=None, title="Programme Alpha")
    actions.create_programme(organisation=tenancy.org_b, by=None, title="Programme Bêta")
    body = tenancy.client_for(tenancy.other_ld_lead).get(reverse("licensing_programmes"))
    assert "Programme Bêta" in body.content.decode()
    assert "Programme Alpha" not in body.content.decode()


def test_deleting_a_programme_removes_its_assignments_but_keeps_enrolments(
    tenancy, catalogue, licences
):
    programme = actions.create_programme(
        organisation=tenancy.org_a, by=None, title="P", items=[actions.ItemSpec(catalogue.cnv)]
    )
    actions.assign(organisation=tenancy.org_a, by=None, programme=programme, team=tenancy.team_a)
    start_path(membership=tenancy.owner, path=catalogue.cnv, origin="assignment")
    tenancy.client_for(tenancy.ld_lead).post(
        reverse("licensing_programme_delete", args=[programme.pk])
    )
    assert not Programme.objects.exists()
    assert Enrolment.objects.filter(membership=tenancy.owner).exists()
