"""Exported packages played in headless Chromium against scorm-again, the LMS-side SCORM API
from npm: the final CMI data and the commit payloads, for SCORM 1.2 and 2004."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from ancrage.catalog.models import Path
from ancrage.common.testing.browser import fr
from ancrage.exports.actions import export_package, revoke_token
from ancrage.exports.models import PackageToken
from ancrage.exports.tests.browser_lms import (
    SCORM12_SETUP,
    SCORM2004_SETUP,
    bundle_of,
    host_package,
    leave,
    open_lms,
    play,
)
from ancrage.exports.tests.conftest import StaticServer

pytestmark = pytest.mark.browser
MODULE = "reformuler-avant-de-repondre"
LICENCE_MESSAGE = (
    "This content is no longer available under your organisation's licence. "
    "Please contact your training team. Your learning platform keeps your progress."
)


@pytest.fixture
def lms_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(
                ("http://127.0.0.1", "http://localhost", "about:", "data:")
            )
            else route.abort()
        ),
    )
    yield page
    context.close()
    assert not errors, errors


@pytest.mark.usefixtures("licensed")
def test_scorm12_whole_path_played_in_scorm_again(
    tenancy: Any, static_server: StaticServer, lms_page: Page
) -> None:
    exported = export_package(
        by=None, organisation=tenancy.org_a, format="scorm12", path_code="ECOUTE-ACTIVE"
    )
    host_package(static_server, exported.data, SCORM12_SETUP % {"preload": ""})
    bundle = bundle_of(static_server)
    frame = open_lms(lms_page, static_server)
    play(frame, bundle)
    leave(lms_page)
    cmi = lms_page.evaluate("() => JSON.parse(JSON.stringify(window.API.cmi))")
    core = cmi["core"]
    assert core["lesson_status"] == "passed"
    assert core["score"]["raw"] == "100"
    assert core["lesson_location"] == bundle["cards"][-1]["key"]
    assert core["exit"] == ""
    assert core["session_time"].count(":") == 2
    suspend = cmi["suspend_data"]
    assert suspend.startswith("1|ffffff")
    assert len(suspend) < 4096
    answered = [c for c in bundle["cards"] if c["type"] in ("quiz", "scenario")]
    interactions = list(cmi["interactions"].values())
    assert len(interactions) == len(answered)
    assert {i["result"] for i in interactions} == {"correct"}
    assert interactions[0]["id"] == "card_" + answered[0]["key"].replace(".", "_")
    # Committed on every card and answer, each commit carrying the progress so far.
    commits = lms_page.evaluate("() => window.commits")
    assert len(commits) >= len(bundle["cards"]) + len(answered)
    assert commits[0]["core"]["lesson_status"] == "incomplete"
    assert commits[-1]["core"]["lesson_status"] == "passed"
    assert static_server.commits, "scorm-again posted nothing to lmsCommitUrl"
    assert any("passed" in str(body) for body in static_server.commits)


@pytest.mark.usefixtures("licensed")
def test_scorm2004_module_played_resumed_and_finished_in_scorm_again(
    tenancy: Any, static_server: StaticServer, lms_page: Page
) -> None:
    exported = export_package(
        by=None,
        organisation=tenancy.org_a,
        format="scorm2004",
        path_code="ECOUTE-ACTIVE",
        module_slug=MODULE,
    )
    host_package(static_server, exported.data, SCORM2004_SETUP % {"preload": ""})
    bundle = bundle_of(static_server)
    frame = open_lms(lms_page, static_server)
    play(frame, bundle, wrong_first=True)
    leave(lms_page)
    cmi = lms_page.evaluate("() => JSON.parse(JSON.stringify(window.API_1484_11.cmi))")
    assert cmi["completion_status"] == "completed"
    assert cmi["success_status"] == "passed"
    assert float(cmi["score"]["scaled"]) == 1.0
    assert float(cmi["progress_measure"]) == 1.0
    assert cmi["location"] == bundle["cards"][-1]["key"]
    assert cmi["exit"] == "normal"
    assert cmi["session_time"].startswith("PT")
    interactions = list(cmi["interactions"].values())
    results = [i["result"] for i in interactions]
    assert results.count("incorrect") == 1
    assert results[-1] == "correct"
    assert interactions[0]["id"].startswith("urn:ancrage:card:ECOUTE-ACTIVE:")
    commits = lms_page.evaluate("() => window.commits")
    assert commits[0]["completion_status"] == "incomplete"
    assert commits[-1]["success_status"] == "passed"
    assert static_server.commits


@pytest.mark.usefixtures("licensed")
def test_scorm2004_resumes_where_the_learner_left(
    tenancy: Any, static_server: StaticServer, lms_page: Page
) -> None:
    exported = export_package(
        by=None,
        organisation=tenancy.org_a,
        format="scorm2004",
        path_code="ECOUTE-ACTIVE",
        module_slug=MODULE,
    )
    preload = (
        f'window.API_1484_11.cmi.location = "{MODULE}.3";'
        'window.API_1484_11.cmi.suspend_data = "1|3";'
        'window.API_1484_11.cmi.completion_status = "incomplete";'
        'window.API_1484_11.cmi.entry = "resume";'
    )
    host_package(static_server, exported.data, SCORM2004_SETUP % {"preload": preload})
    frame = open_lms(lms_page, static_server)
    frame.locator(f'#player-card[data-key="{MODULE}.3"]').wait_for()
    assert lms_page.evaluate("() => window.API_1484_11.cmi.completion_status") == "incomplete"
    progress = float(lms_page.evaluate("() => window.API_1484_11.cmi.progress_measure"))
    assert progress == pytest.approx(3 / 5)  # cards 1 and 2 from suspend data, 3 on screen


@pytest.mark.usefixtures("licensed")
def test_revoked_licence_shows_the_polite_message_and_the_lms_session_still_works(
    tenancy: Any, static_server: StaticServer, lms_page: Page, live_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url  # the package calls home here (another origin: CORS)
    exported = export_package(
        by=None,
        organisation=tenancy.org_a,
        format="scorm12",
        path_code="ECOUTE-ACTIVE",
        module_slug=MODULE,
        report_xapi=True,
    )
    revoke_token(token=PackageToken.objects.get())
    host_package(static_server, exported.data, SCORM12_SETUP % {"preload": ""})
    frame = open_lms(lms_page, static_server)
    message = frame.locator("[data-host-message]")
    expect(message).to_be_visible()
    expect(message).to_contain_text(fr(LICENCE_MESSAGE)[:40])
    expect(frame.locator("#player-card")).to_be_hidden()
    assert lms_page.evaluate("() => window.API.isInitialized()")
    leave(lms_page)
    cmi = lms_page.evaluate("() => JSON.parse(JSON.stringify(window.API.cmi))")
    assert cmi["core"]["session_time"].count(":") == 2  # initialised, timed, finished


@pytest.mark.usefixtures("licensed")
@pytest.mark.parametrize(
    ("fmt", "setup"), [("scorm12", SCORM12_SETUP), ("scorm2004", SCORM2004_SETUP)]
)
def test_every_demo_path_plays_to_the_end_in_scorm_again(
    tenancy: Any, static_server: StaticServer, lms_page: Page, fmt: str, setup: str
) -> None:
    """Each path of the demo catalogue, exported and played card by card in the LMS runtime."""
    codes = sorted(Path.objects.values_list("code", flat=True))
    assert len(codes) == 8
    for code in codes:
        exported = export_package(by=None, organisation=tenancy.org_a, format=fmt, path_code=code)
        host_package(static_server, exported.data, setup % {"preload": ""})
        bundle = bundle_of(static_server)
        play(open_lms(lms_page, static_server), bundle)
        leave(lms_page)
        api = "API" if fmt == "scorm12" else "API_1484_11"
        cmi = lms_page.evaluate(f"() => JSON.parse(JSON.stringify(window.{api}.cmi))")
        if fmt == "scorm12":
            assert cmi["core"]["lesson_status"] in ("passed", "completed"), code
        else:
            assert cmi["completion_status"] == "completed", code
            assert cmi["success_status"] in ("passed", "unknown"), code
