"""The Teams app package: valid against the bundled Teams schema (node, offline), https only,
host names in validDomains, icon sizes, stable app id per organisation, admin-only download,
and a SITE_URL that would break it refused with a clear message."""

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from ancrage.microsoft365.actions import ensure_microsoft365_settings
from ancrage.microsoft365.teams_app.checks import icon_problems, manifest_problems
from ancrage.microsoft365.teams_app.manifest import MANIFEST_VERSION, build_manifest
from ancrage.microsoft365.teams_app.package import PackageError, build_package

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
VALIDATOR = Path(__file__).parent / "js" / "validate_manifest.cjs"
SCHEMAS = ROOT / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"


@pytest.fixture(autouse=True)
def _https_site(settings):
    settings.SITE_URL = "https://ancrage.example"


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _validate_with_node(manifest: dict, tmp_path: Path) -> dict:
    node = shutil.which("node")
    assert node, "node is needed to validate the Teams manifest (Node.js 20+)"
    target = tmp_path / "manifest.json"
    target.write_text(json.dumps(manifest), encoding="utf-8")
    done = subprocess.run(  # noqa: S603 — our own script, fixed arguments
        [node, str(VALIDATOR), str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_manifest_uses_the_newest_schema_bundled_in_app_manifest():
    numbered = [p.name[1:] for p in SCHEMAS.iterdir() if p.name[1:2].isdigit()]
    newest = max(numbered, key=lambda v: tuple(int(x) for x in v.split(".")))
    assert MANIFEST_VERSION == newest


def test_the_generated_package_validates_against_the_teams_schema(tenancy, tmp_path):
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    files = _unzip(build_package(config))

    assert sorted(files) == ["color.png", "manifest.json", "outline.png"]
    manifest = json.loads(files["manifest.json"])
    result = _validate_with_node(manifest, tmp_path)
    assert result["schema"].endswith(f"v{MANIFEST_VERSION}/MicrosoftTeams.schema.json")
    assert result["failures"] == []
    assert manifest_problems(manifest) == []
    assert icon_problems(files["color.png"], files["outline.png"]) == []


def test_the_schema_validation_does_catch_a_broken_manifest(tenancy, tmp_path):
    manifest = build_manifest(ensure_microsoft365_settings(organisation=tenancy.org_a))
    manifest["staticTabs"][0]["scopes"] = ["everywhere"]
    del manifest["developer"]["privacyUrl"]

    failures = _validate_with_node(manifest, tmp_path)["failures"]

    assert any("privacyUrl" in failure for failure in failures)
    assert any("staticTabs/0/scopes" in failure for failure in failures)


def test_tabs_point_at_the_organisation_pages_over_https(tenancy):
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    manifest = build_manifest(config)

    assert manifest["id"] == str(config.teams_app_id)
    assert manifest["validDomains"] == ["ancrage.example"]
    [personal] = manifest["staticTabs"]
    assert personal["scopes"] == ["personal"]
    assert personal["contentUrl"] == (
        f"https://ancrage.example/microsoft365/tabs/{config.teams_app_id}/personal/"
    )
    [channel] = manifest["configurableTabs"]
    assert channel["scopes"] == ["team"]
    assert channel["configurationUrl"].endswith(f"/tabs/{config.teams_app_id}/configure/")


def test_the_app_id_is_stable_and_differs_between_organisations(tenancy):
    first = ensure_microsoft365_settings(organisation=tenancy.org_a).teams_app_id
    again = ensure_microsoft365_settings(organisation=tenancy.org_a).teams_app_id
    other = ensure_microsoft365_settings(organisation=tenancy.org_b).teams_app_id
    assert first == again != other


def test_our_checks_catch_what_the_schema_lets_through():
    manifest = {
        "developer": {"websiteUrl": "http://ancrage.example/"},
        "validDomains": ["https://ancrage.example", "ancrage.example/path", "ok.example"],
    }
    problems = manifest_problems(manifest)
    assert "developer.websiteUrl: http://ancrage.example/ is not https" in problems
    assert sum("validDomains" in p for p in problems) == 2


def test_icons_have_the_sizes_teams_requires_and_a_white_transparent_outline():
    wrong = io.BytesIO()
    Image.new("RGBA", (32, 32), (255, 0, 0, 255)).save(wrong, format="PNG")
    small = io.BytesIO()
    Image.new("RGB", (100, 100), "blue").save(small, format="PNG")

    problems = icon_problems(small.getvalue(), wrong.getvalue())

    assert "color.png is (100, 100), not 192×192" in problems
    assert "outline.png must have a transparent background" in problems
    assert "outline.png must be white on transparent" in problems


def test_an_http_site_url_is_refused_with_a_clear_message(tenancy, settings):
    settings.SITE_URL = "http://ancrage.example"
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    with pytest.raises(PackageError) as error:
        build_package(config)
    assert "SITE_URL" in error.value.problems[0]

    client = tenancy.client_for(tenancy.admin)
    page = client.get(reverse("microsoft365_settings"))
    assert "SITE_URL" in page.content.decode()
    assert reverse("microsoft365_package") not in page.content.decode()
    download = client.get(reverse("microsoft365_package"))
    assert download.status_code == 409
    assert "https://" in download.content.decode()


def test_the_org_admin_downloads_the_package(tenancy):
    response = tenancy.client_for(tenancy.admin).get(reverse("microsoft365_package"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="ancrage-teams-alpha-1.0.0.zip"' in response["Content-Disposition"]
    assert "manifest.json" in _unzip(response.content)


@pytest.mark.parametrize("who", ["owner", "manager", "ld_lead"])
def test_only_the_org_admin_gets_the_settings_and_the_package(tenancy, who):
    client = tenancy.client_for(getattr(tenancy, who))
    assert client.get(reverse("microsoft365_settings")).status_code == 403
    assert client.get(reverse("microsoft365_package")).status_code == 403


def test_each_admin_gets_their_own_organisations_package(tenancy):
    ours = ensure_microsoft365_settings(organisation=tenancy.org_a)
    tenancy.other_ld_lead.role = "org_admin"
    tenancy.other_ld_lead.save()
    response = tenancy.client_for(tenancy.other_ld_lead).get(reverse("microsoft365_package"))
    manifest = json.loads(_unzip(response.content)["manifest.json"])
    assert manifest["id"] != str(ours.teams_app_id)
    assert "Bêta SARL" in manifest["name"]["full"]
