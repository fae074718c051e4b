"""A cmi5 AU exported by us, launched by a small test-only LMS, reporting to our own LRS
acting as the LMS's LRS: launch parameters → fetch → auth token → LMS.LaunchData →
initialized, completed, passed, terminated with the registration, the session id and the
context template (cmi5 spec sections 8–10)."""

import base64
import json
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from ancrage.exports.actions import export_package
from ancrage.exports.cmi5.manifest import NS
from ancrage.exports.package.archive import extract_archive, read_archive
from ancrage.exports.tests import lms_urls
from ancrage.exports.tests.browser_lms import play
from ancrage.lrs.actions import issue_credential
from ancrage.lrs.models import Scope, Statement

MODULE = "reformuler-avant-de-repondre"
SESSION_EXT = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY_EXT = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"


def _put_state(url: str, pair: str, params: dict[str, str], document: dict[str, Any]) -> None:
    request = urllib.request.Request(  # noqa: S310 — loopback live server
        f"{url}/xapi/activities/state?{urlencode(params)}",
        data=json.dumps(document).encode(),
        method="PUT",
        headers={
            "Authorization": "Basic " + base64.b64encode(pair.encode()).decode(),
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 204


@pytest.mark.usefixtures("licensed")
def test_cmi5_au_launch_fetch_launchdata_and_statements_in_our_lrs(
    tenancy: Any,
    desktop_page: Page,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    axe_check: Any,
) -> None:
    exported = export_package(
        by=None,
        organisation=tenancy.org_a,
        format="cmi5",
        path_code="ECOUTE-ACTIVE",
        module_slug=MODULE,
    )
    root = tmp_path / "package"
    root.mkdir()
    extract_archive(exported.data, root)
    lms_urls.PACKAGE_ROOT[:] = [root]
    settings.ROOT_URLCONF = "ancrage.exports.tests.lms_urls"  # after building (player URLs)
    # The LMS reads the course structure: the AU's id, URL, moveOn and mastery score.
    from lxml import etree  # noqa: PLC0415

    structure = etree.fromstring(read_archive(exported.data)["cmi5.xml"])
    au = structure.find(f"{{{NS}}}au")
    assert au is not None
    activity_id = au.get("id")
    assert au.get("moveOn") == "CompletedAndPassed"
    assert au.get("masteryScore") == "0.8"
    # The LMS's own LRS credential, a registration, a session and the LaunchData document.
    issued = issue_credential(organisation=tenancy.org_a, label="LMS", scopes=[Scope.ALL])
    pair = f"{issued.credential.key}:{issued.secret}"
    lms_urls.TOKENS["k1"] = pair
    registration, session = str(uuid.uuid4()), str(uuid.uuid4())
    actor = {
        "objectType": "Agent",
        "account": {"homePage": "https://lms.example", "name": "lea-42"},
    }
    course = structure.find(f"{{{NS}}}course").get("id")
    _put_state(
        live_server.url,
        pair,
        {
            "stateId": "LMS.LaunchData",
            "activityId": activity_id,
            "agent": json.dumps(actor),
            "registration": registration,
        },
        {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"id": course}]},
                "extensions": {SESSION_EXT: session},
            },
            "launchMode": "Normal",
            "launchMethod": "AnyWindow",
            "moveOn": "CompletedAndPassed",
            "masteryScore": 0.8,
        },
    )
    query = urlencode(
        {
            "endpoint": f"{live_server.url}/xapi/",
            "fetch": f"{live_server.url}/test-lms/fetch/k1",
            "actor": json.dumps(actor),
            "registration": registration,
            "activityId": activity_id,
        }
    )
    desktop_page.goto(f"/test-lms/package/{au.findtext(f'{{{NS}}}url')}?{query}")
    bundle = json.loads((root / "content" / "u1.json").read_text())
    desktop_page.locator("#player-card[data-key]").wait_for()
    axe_check(desktop_page)  # the package's own page, as the LMS shows it
    play(desktop_page, bundle)
    deadline = time.monotonic() + 10
    verbs: list[str] = []
    while time.monotonic() < deadline:
        rows = list(Statement.objects.filter(organisation=tenancy.org_a).order_by("stored", "seq"))
        verbs = [row.verb_id.rsplit("/", 1)[1] for row in rows]
        if "terminated" in verbs:
            break
        time.sleep(0.2)
    assert verbs == ["initialized", "completed", "passed", "terminated"], verbs
    for row in rows:
        statement = row.payload
        context = statement["context"]
        assert statement["actor"]["account"] == actor["account"]
        assert statement["object"]["id"] == activity_id
        assert context["registration"] == registration
        assert context["extensions"][SESSION_EXT] == session
        assert {"id": course} in context["contextActivities"]["grouping"]
        categories = [c["id"] for c in context["contextActivities"]["category"]]
        assert CMI5 in categories
        verb = statement["verb"]["id"].rsplit("/", 1)[1]
        assert (MOVEON in categories) == (verb in ("completed", "passed"))
    passed = rows[2].payload
    assert passed["result"]["success"] is True
    assert passed["result"]["score"]["scaled"] == 1
    assert passed["context"]["extensions"][MASTERY_EXT] == 0.8
    assert rows[1].payload["result"]["completion"] is True
    assert rows[3].payload["result"]["duration"].startswith("PT")
    # The token was fetched once; a second fetch is refused as the spec says.
    assert "k1" not in lms_urls.TOKENS
    expect(desktop_page.locator("[data-sync]")).not_to_be_empty()
