"""Creating a path and editing a draft's details in the studio: same rules as packs, clear errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.catalog.models import MediaAsset, Path, PathVersion
from ancrage.catalog.tests.packs import SVG, png_bytes
from ancrage.catalog.tests.published import draft_path, theme
from ancrage.catalog.tests.studio import client_for, unlabelled_controls

pytestmark = pytest.mark.django_db


def test_an_author_creates_a_theme_then_a_path_as_an_empty_draft(author: User) -> None:
    client = client_for(author)
    response = client.post(reverse("studio_theme_new"), {"code": "relations", "title": "Relations"})
    assert response.status_code == 302
    page = client.get(reverse("studio_path_new"))
    assert unlabelled_controls(page.content.decode()) == []
    theme_id = page.context["form"].fields["theme"].queryset.get(code="relations").pk
    response = client.post(
        reverse("studio_path_new"),
        {
            "code": "ECOUTE-ACTIVE",
            "title": "Écouter vraiment",
            "theme": theme_id,
            "language": "fr",
            "publisher": "Éditions Ancrage",
        },
    )
    version = PathVersion.objects.get(path__code="ECOUTE-ACTIVE")
    assert response.status_code == 302
    assert response["Location"] == reverse("studio_version", args=[version.pk])
    assert (version.number, version.status, version.title) == (1, "draft", "Écouter vraiment")
    assert version.created_by == author


@pytest.mark.parametrize(
    ("code", "message"),
    [("ecoute", "capital letters"), ("TAKEN", "already exists"), ("A B", "capital letters")],
)
def test_a_bad_or_taken_code_is_a_form_error(author: User, code: str, message: str) -> None:
    draft_path("TAKEN", title="Déjà là")
    response = client_for(author).post(
        reverse("studio_path_new"),
        {
            "code": code,
            "title": "Nouveau",
            "theme": theme().pk,
            "language": "fr",
            "publisher": "Éd.",
        },
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["code"])
    assert Path.objects.count() == 1


def details(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Écouter vraiment",
        "summary": "Un parcours court.",
        "level": "decouverte",
        "promise_minutes": "20",
        "skills": "écoute active, reformulation",
        "objectives": "Reformuler avant de répondre.\n\nPoser une question ouverte.\n",
        "cover": "",
        "cover_alt": "",
        "follow_up_title": "Parcours socle « Communication »",
        "follow_up_format": "3 demi-journées",
        "follow_up_duration_hours": "10.5",
        "follow_up_url": "",
    }
    data.update(overrides)
    return data


def test_details_are_saved_through_the_spec(author: User) -> None:
    version = draft_path("ECOUTE", title="Brouillon")
    url = reverse("studio_version_details", args=[version.pk])
    client = client_for(author)
    assert unlabelled_controls(client.get(url).content.decode()) == []
    response = client.post(url, details())
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.title == "Écouter vraiment"
    assert version.skills == ["écoute active", "reformulation"]
    assert version.objectives == ["Reformuler avant de répondre.", "Poser une question ouverte."]
    assert version.follow_up == {
        "title": "Parcours socle « Communication »",
        "format": "3 demi-journées",
        "duration_hours": 10.5,
    }


def test_saving_a_title_does_not_require_the_objectives_yet(author: User) -> None:
    version = draft_path("ECOUTE", title="Brouillon")
    response = client_for(author).post(
        reverse("studio_version_details", args=[version.pk]),
        details(
            objectives="",
            follow_up_title="",
            follow_up_format="",
            follow_up_duration_hours="",
            summary="",
        ),
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.title == "Écouter vraiment"
    assert version.objectives == []


def test_one_objective_is_refused_next_to_the_field(author: User) -> None:
    version = draft_path("ECOUTE", title="Brouillon")
    response = client_for(author).post(
        reverse("studio_version_details", args=[version.pk]), details(objectives="Un seul.")
    )
    assert response.status_code == 400
    assert "at least 2" in " ".join(response.context["form"].errors["objectives"])
    version.refresh_from_db()
    assert version.title == "Brouillon"  # nothing half-saved


def test_a_cover_upload_is_checked_by_content_and_needs_its_text_alternative(author: User) -> None:
    version = draft_path("ECOUTE", title="Brouillon")
    url = reverse("studio_version_details", args=[version.pk])
    client = client_for(author)
    fake = SimpleUploadedFile("cover.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = client.post(url, {**details(), "cover_upload": fake})
    assert response.status_code == 400
    assert "not a supported media file" in " ".join(response.context["form"].errors["cover_upload"])
    assert MediaAsset.objects.count() == 0

    svg = SimpleUploadedFile("cover.svg", SVG, "image/svg+xml")
    response = client.post(url, {**details(), "cover_upload": svg})
    assert response.status_code == 400  # no text alternative
    assert "text alternative" in " ".join(response.context["form"].errors["cover_alt"])
    assert MediaAsset.objects.count() == 0  # the upload is rolled back with the details

    png = SimpleUploadedFile("cover.png", png_bytes(2, 2), "image/png")
    response = client.post(url, {**details(cover_alt="Deux bulles."), "cover_upload": png})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.cover is not None
    assert version.cover.original_name == "cover.png"
    assert version.cover_alt == "Deux bulles."


def test_an_oversized_cover_is_refused_with_the_limit(author: User) -> None:
    version = draft_path("ECOUTE", title="Brouillon")
    big = SimpleUploadedFile("big.png", png_bytes(1, 1, extra=2 * 1024 * 1024 + 10), "image/png")
    response = client_for(author).post(
        reverse("studio_version_details", args=[version.pk]),
        {**details(cover_alt="Une image."), "cover_upload": big},
    )
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["cover_upload"])
    assert "may be at most 2.0 MB" in errors
    assert MediaAsset.objects.count() == 0


def test_the_media_library_stores_good_files_and_refuses_fake_ones(author: User) -> None:
    client = client_for(author)
    url = reverse("studio_media")
    fake = SimpleUploadedFile("notes.vtt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "text/vtt")
    response = client.post(url, {"file": fake})
    assert response.status_code == 400
    assert "PNG data" in " ".join(response.context["form"].errors["file"])
    evil = SimpleUploadedFile(
        "evil.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        "image/svg+xml",
    )
    response = client.post(url, {"file": evil})
    assert response.status_code == 400
    assert "event handler" in " ".join(response.context["form"].errors["file"])
    assert MediaAsset.objects.count() == 0
    good = SimpleUploadedFile("schema.png", png_bytes(3, 3), "image/png")
    assert client.post(url, {"file": good}).status_code == 302
    assert MediaAsset.objects.get().original_name == "schema.png"
    assert "schema.png" in client.get(url).content.decode()


def test_a_theme_code_already_taken_is_refused_not_renamed(author: User) -> None:
    existing = theme("relations", "Relations et communication")
    response = client_for(author).post(
        reverse("studio_theme_new"), {"code": "relations", "title": "Autre chose"}
    )
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    existing.refresh_from_db()
    assert existing.title == "Relations et communication"
