"""Licence control of packages that report to us: a signed, revocable token per package."""

import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from ancrage.exports.actions import ExportError, export_package, revoke_token
from ancrage.exports.models import PackageToken
from ancrage.exports.package.archive import read_archive
from ancrage.licensing.models import Licence, LicenceStatus
from ancrage.lrs.models import Statement

pytestmark = pytest.mark.usefixtures("licensed")


def _report(tenancy: Any, fmt: str = "scorm12") -> dict[str, str]:
    exported = export_package(
        by=None, organisation=tenancy.org_a, format=fmt, path_code="CNV", report_xapi=True
    )
    page = read_archive(exported.data)["u1.html"].decode()
    props = json.loads(re.search(r'type="application/json">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    report: dict[str, str] = props["host"]["report"]
    return report


def _path(url: str) -> str:
    return urlsplit(url).path


def test_reporting_is_off_by_default(tenancy: Any) -> None:
    exported = export_package(
        by=None, organisation=tenancy.org_a, format="scorm12", path_code="CNV"
    )
    assert '"report": null' in read_archive(exported.data)["u1.html"].decode()
    assert not PackageToken.objects.exists()


def test_a_licensed_package_may_play_and_report_statements(tenancy: Any) -> None:
    report = _report(tenancy)
    base = _path(report["url"])
    answer = Client().get(base + "licence")
    assert answer.json() == {"allowed": True, "reason": ""}
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert Client().options(base + "events").status_code == 204
    events = [
        {"id": "e1", "verb": "initialized", "at": "2026-11-26T08:00:00+00:00"},
        {"id": "e2", "verb": "answered", "card": "cnv-observer.3", "score": 1, "success": True},
    ]
    body = json.dumps({"learner": "lms-42", "events": events})
    response = Client().post(base + "events", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"recorded": 2}
    again = Client().post(base + "events", body, content_type="application/json")
    assert again.status_code == 200
    rows = list(Statement.objects.filter(organisation=tenancy.org_a))
    assert len(rows) == 2  # a retry records nothing new
    answered = next(r.payload for r in rows if r.verb_id.endswith("answered"))
    assert answered["actor"]["account"]["name"] == "lms-42"
    assert answered["result"] == {"score": {"scaled": 1.0}, "success": True}
    assert answered["object"]["id"].endswith("/path/CNV/card/cnv-observer.3")


def test_bad_events_are_refused_with_a_reason(tenancy: Any) -> None:
    base = _path(_report(tenancy)["url"])
    for body in (
        {"learner": "", "events": []},
        {"learner": "x", "events": [{"verb": "hacked"}]},
        [],
    ):
        response = Client().post(base + "events", json.dumps(body), content_type="application/json")
        assert response.status_code == 400
        assert response.json()["reason"]
    assert not Statement.objects.exists()


def test_a_revoked_token_or_an_ended_licence_shows_the_licence_message(tenancy: Any) -> None:
    base = _path(_report(tenancy)["url"])
    Licence.objects.filter(organisation=tenancy.org_a).update(status=LicenceStatus.SUSPENDED)
    assert Client().get(base + "licence").json() == {
        "allowed": False,
        "reason": "licence_suspended",
    }
    Licence.objects.filter(organisation=tenancy.org_a).update(status=LicenceStatus.ACTIVE)
    revoke_token(token=PackageToken.objects.get())
    assert Client().get(base + "licence").json()["reason"] == "token_revoked"
    body = json.dumps({"learner": "x", "events": [{"id": "1", "verb": "initialized"}]})
    assert Client().post(base + "events", body, content_type="application/json").status_code == 403
    assert not Statement.objects.exists()


def test_a_tampered_token_is_unknown(tenancy: Any) -> None:
    base = _path(_report(tenancy)["url"])
    tampered = base.replace("/r/", "/r/x")
    assert Client().get(tampered + "licence").json()["reason"] == "unknown_token"


def test_lti_links_do_not_carry_a_package_token(tenancy: Any) -> None:
    with pytest.raises(ExportError) as caught:
        export_package(
            by=None, organisation=tenancy.org_a, format="cc13", path_code="CNV", report_xapi=True
        )
    assert caught.value.field == "report_xapi"
