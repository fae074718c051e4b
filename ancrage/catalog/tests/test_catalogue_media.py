"""Catalogue media (covers, card images) are served by the catalogue to whoever may see the path
that uses them, in development and in production alike — never from a public /media/ folder."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.catalog.actions import store_media
from ancrage.catalog.models import MediaAsset
from ancrage.catalog.tests.packs import png_bytes
from ancrage.catalog.tests.published import licence, published_path
from ancrage.catalog.tests.studio import client_for
from conftest import Tenancy

pytestmark = pytest.mark.django_db


def stored(author: User, width: int) -> MediaAsset:
    return store_media(data=png_bytes(width, 1), filename=f"image-{width}.png", by=author)


def name_of(asset: MediaAsset) -> str:
    return f"{asset.sha256}.{asset.extension}"


@pytest.fixture
def assets(tenancy: Tenancy, author: User) -> dict[str, MediaAsset]:
    """A's licensed path has a cover and an image card; B's path has its own cover; one file
    is only in the studio's library."""
    cover, image, foreign, unused = (stored(author, width) for width in (2, 3, 4, 5))
    ours = published_path("OURS", title="Le nôtre", cover=cover.sha256, image=image.sha256)
    theirs = published_path("THEIRS", title="Le leur", cover=foreign.sha256)
    licence(tenancy.org_a, paths=[ours.path])
    licence(tenancy.org_b, paths=[theirs.path])
    return {"cover": cover, "image": image, "foreign": foreign, "unused": unused}


def get(client: Client, asset: MediaAsset) -> int:
    response = client.get(asset.get_absolute_url())
    return int(response.status_code)


def test_a_member_gets_the_cover_and_card_images_of_the_paths_their_licence_covers(
    tenancy: Tenancy, assets: dict[str, MediaAsset]
) -> None:
    client = client_for(tenancy.owner.user)
    response = client.get(assets["cover"].get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == png_bytes(2, 1)  # type: ignore[attr-defined]
    assert get(client, assets["image"]) == 200


def test_media_of_another_organisations_path_or_only_in_the_studio_is_404(
    tenancy: Tenancy, assets: dict[str, MediaAsset]
) -> None:
    client = client_for(tenancy.owner.user)
    assert get(client, assets["foreign"]) == 404
    assert get(client, assets["unused"]) == 404
    # B's member sees their own cover and not A's.
    theirs = client_for(tenancy.other.user)
    assert get(theirs, assets["foreign"]) == 200
    assert get(theirs, assets["cover"]) == 404


def test_a_wrong_extension_or_unknown_file_is_404_and_strangers_sign_in(
    tenancy: Tenancy, assets: dict[str, MediaAsset]
) -> None:
    client = client_for(tenancy.owner.user)
    sha = assets["cover"].sha256
    assert client.get(reverse("catalogue_media", args=[f"{sha}.svg"])).status_code == 404
    assert client.get(reverse("catalogue_media", args=["0" * 64 + ".png"])).status_code == 404
    anonymous = Client().get(assets["cover"].get_absolute_url())
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]


def test_publisher_staff_see_every_stored_file_and_pages_link_to_the_catalogue_route(
    tenancy: Tenancy, assets: dict[str, MediaAsset], author: User
) -> None:
    staff = client_for(author)
    assert get(staff, assets["unused"]) == 200
    page = client_for(tenancy.owner.user).get(reverse("catalogue_path", args=["OURS"]))
    html = page.content.decode()
    assert f'src="{reverse("catalogue_media", args=[name_of(assets["cover"])])}"' in html
    assert "/media/catalog/" not in html


def test_a_suspended_or_missing_licence_closes_the_media_too(
    tenancy: Tenancy, assets: dict[str, MediaAsset]
) -> None:
    outsider = User.objects.create_user(email="nobody@nowhere.test", password="x")
    client = client_for(outsider)
    assert get(client, assets["cover"]) in {403, 404}
