"""LTI fixtures: our live server, the loopback platform (lti1p3platform) registered for
organisation A, the demo path ECOUTE-ACTIVE licensed to A, and a browser (requests)."""

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from ancrage.catalog.models import Path as CatalogPath
from ancrage.catalog.packs.importer import import_pack
from ancrage.exports.lti13.actions import save_registration
from ancrage.exports.lti13.models import Registration
from ancrage.exports.lti13.tests.platform_server import DEPLOYMENT_ID, Platform, start_platform
from ancrage.licensing.models import Licence
from ancrage.player.tests.conftest import CODE, copy_demo_path, license_organisation

FORM_FIELD = re.compile(r'name="(id_token|state)" value="([^"]*)"')
FORM_ACTION = re.compile(r'<form method="POST" action="([^"]*)"')


@pytest.fixture
def platform(live_server: Any, settings: Any) -> Iterator[Platform]:
    settings.SITE_URL = live_server.url
    settings.RATELIMIT_ENABLED = False
    settings.LTI_ALLOW_LOOPBACK_HTTP = True
    lms, stop = start_platform(live_server.url)
    yield lms
    stop()


@pytest.fixture
def licensed_path(tenancy: Any, tmp_path: Path, settings: Any) -> CatalogPath:
    settings.MEDIA_ROOT = tmp_path / "media"
    import_pack(copy_demo_path(tmp_path / "pack"), publish=True)
    return CatalogPath.objects.get(code=CODE)


@pytest.fixture
def licence(tenancy: Any, licensed_path: CatalogPath) -> Licence:
    return license_organisation(tenancy.org_a)


@pytest.fixture
def registration(tenancy: Any, platform: Platform) -> Registration:
    return save_registration(
        organisation=tenancy.org_a,
        name="Moodle",
        issuer=platform.url,
        client_id="ancrage-tool",
        deployment_ids=[DEPLOYMENT_ID],
        auth_login_url=f"{platform.url}/auth",
        keyset_url=f"{platform.url}/jwks",
        access_token_url=f"{platform.url}/token",
    )


@dataclass
class LaunchForm:
    action: str
    id_token: str
    state: str

    def data(self) -> dict[str, str]:
        return {"id_token": self.id_token, "state": self.state}


class Browser:
    """A learner's browser: follows the LMS → tool → LMS → tool dance over real HTTP."""

    def __init__(self) -> None:
        self.session = requests.Session()

    def login_and_authenticate(self, platform: Platform) -> LaunchForm:
        """Open the LMS activity up to the auto-submitted form (not submitted yet)."""
        started = self.session.get(platform.preflight_url(), allow_redirects=False, timeout=10)
        assert started.status_code == 302, started.text
        auth = self.session.get(started.headers["Location"], timeout=10)
        assert auth.status_code == 200, auth.text
        fields = {name: html.unescape(value) for name, value in FORM_FIELD.findall(auth.text)}
        action = FORM_ACTION.search(auth.text)
        assert action is not None
        return LaunchForm(html.unescape(action.group(1)), fields["id_token"], fields["state"])

    def submit(self, form: LaunchForm, **override: str) -> requests.Response:
        return self.session.post(form.action, data={**form.data(), **override}, timeout=10)

    def launch(self, platform: Platform) -> requests.Response:
        return self.submit(self.login_and_authenticate(platform))


@pytest.fixture
def lms() -> Browser:
    return Browser()
