"""Deep linking (the LMS administrator picks paths in the LMS) and the NRPS roster read,
over real HTTP against lti1p3platform."""

import html
import re
from typing import Any

import pytest

from ancrage.exports.lti13.models import Context, Identity
from ancrage.exports.lti13.tests.conftest import Browser
from ancrage.exports.lti13.tests.platform_server import Platform
from ancrage.player.tests.conftest import CODE

pytestmark = pytest.mark.django_db(transaction=True)

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
TOKEN = re.compile(r'name="token" value="([^"]+)"')
JWT = re.compile(r'name="JWT" value="([^"]+)"')
RETURN = re.compile(r'<form method="post" action="([^"]+)"')


def test_an_instructor_picks_a_licensed_path_and_the_lms_receives_a_signed_link(
    platform: Platform, registration: Any, licence: Any, lms: Browser, live_server: Any
) -> None:
    platform.deep_linking = True
    platform.user["lis_roles"] = [INSTRUCTOR]
    picker = lms.launch(platform)
    assert picker.status_code == 200, picker.text[:400]
    assert f'value="{CODE}"' in picker.text
    token = TOKEN.search(picker.text)
    assert token is not None
    answer = lms.session.post(
        f"{live_server.url}/lti/deep-linking/pick/",
        data={"token": html.unescape(token.group(1)), "path": CODE},
        timeout=10,
    )
    assert answer.status_code == 200
    assert f"{platform.url}" in answer.headers["Content-Security-Policy"]  # form-action
    jwt, target = JWT.search(answer.text), RETURN.search(answer.text)
    assert jwt is not None
    assert target is not None
    returned = lms.session.post(
        html.unescape(target.group(1)), data={"JWT": html.unescape(jwt.group(1))}, timeout=10
    )
    assert returned.status_code == 200, returned.text
    [item] = platform.deep_link_items
    assert item["type"] == "ltiResourceLink"
    assert item["custom"] == {"path_code": CODE}
    assert item["url"] == f"{live_server.url}/lti/launch/"
    assert item["lineItem"]["scoreMaximum"] == 100

    # One answer per request.
    again = lms.session.post(
        f"{live_server.url}/lti/deep-linking/pick/",
        data={"token": html.unescape(token.group(1)), "path": CODE},
        timeout=10,
    )
    assert again.status_code == 403


def test_a_learner_cannot_add_paths_to_the_course(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    platform.deep_linking = True
    refused = lms.launch(platform)
    assert refused.status_code == 403
    assert "not_allowed_to_link" in refused.text


def test_the_ld_lead_reads_the_course_roster_and_links_a_suggested_person(
    platform: Platform, registration: Any, licence: Any, lms: Browser, tenancy: Any
) -> None:
    assert lms.launch(platform).status_code == 200
    platform.members = [
        {
            "user_id": "moodle-user-42",
            "name": "Inès Moreau",
            "email": "ines.moreau@verdane.example",
            "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            "status": "Active",
        },
        {
            "user_id": "moodle-user-77",
            "name": "Léa Owner",
            "email": "owner@alpha.test",
            "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
        },
    ]
    context = Context.objects.get(registration=registration)
    url = f"/lti/courses/{context.pk}/roster/"
    lead = tenancy.client_for(tenancy.ld_lead)
    page = lead.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Inès Moreau" in body
    assert f'value="{tenancy.owner.pk}"' in body  # suggested by email, not linked
    assert not Identity.objects.filter(sub="moodle-user-77").exists()
    linked = lead.post(url, {"sub": "moodle-user-77", "member": str(tenancy.owner.pk)})
    assert linked.status_code == 302
    assert Identity.objects.get(sub="moodle-user-77").membership == tenancy.owner

    assert tenancy.client_for(tenancy.other_ld_lead).get(url).status_code == 404
    assert tenancy.client_for(tenancy.owner).get(url).status_code == 403
    assert tenancy.client_for(tenancy.manager).get(url).status_code == 403
    foreign = lead.post(url, {"sub": "moodle-user-99", "member": str(tenancy.other.pk)})
    assert foreign.status_code == 404


def test_an_lms_that_does_not_answer_is_explained_on_the_roster_page(
    platform: Platform, registration: Any, licence: Any, lms: Browser, tenancy: Any
) -> None:
    assert lms.launch(platform).status_code == 200
    context = Context.objects.get(registration=registration)
    type(registration).objects.filter(pk=registration.pk).update(
        access_token_url="http://127.0.0.1:9/token"  # nothing listens on the discard port
    )
    page = tenancy.client_for(tenancy.ld_lead).get(
        f"/lti/courses/{context.pk}/roster/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert page.status_code == 502
    body = html.unescape(page.content.decode())
    assert "Le LMS n'a pas répondu" in body
    assert "127.0.0.1:9/token" in body  # the technical detail, for the LMS administrator
