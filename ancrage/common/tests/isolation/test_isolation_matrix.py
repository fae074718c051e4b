"""The tenant-isolation matrix: every route × every principal, zero foreign access.

1. Every URL pattern and every API operation is declared in a route table (the failure
   names the file to add it to).
2. For every declared route, each principal of organisation A (anonymous, learner, manager,
   L&D lead, organisation admin, publisher author and editor, and a learner signed in by an
   LTI 1.3 launch) requests it with
   organisation B's ids (GET, and POST with an empty body): the answer is 401/403/404/405/410
   or the sign-in page, never a page or JSON showing B's data (B's names and MARKER texts
   are searched in every body). API operations are tried with A's API key, the LRS with
   A's LRS key. Pages without ids are checked for B's data and, where `roles` is declared,
   for who is let in.
3. Every HTML answer carries a strict CSP; framing is allowed only where a view says so
   (detected from the header), and then never to any origin (`*`).
"""

import base64
import json
import logging
import re
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from ancrage.api.actions import create_api_key
from ancrage.api.app import api
from ancrage.api.models import Scope
from ancrage.common.tests.isolation.collect import (
    Found,
    api_operations,
    declared,
    row_for,
    url_routes,
)
from ancrage.common.tests.isolation.spec import (
    AUTHOR,
    CATALOGUE,
    EDITOR,
    LEARNER,
    LRS,
    LTI_LAUNCH,
    PUBLIC,
    PUBLISHER,
    SELF,
    STAFF,
    ApiOperation,
    Route,
)
from ancrage.common.tests.isolation.world import World, make_world
from ancrage.lrs.actions import issue_credential

pytestmark = pytest.mark.django_db

DENIED = {401, 403, 404, 405, 410}
API_TABLE = "ancrage/api/tests/routes.py"
ADMIN_KWARGS = {"app_label": "tenancy", "content_type_id": "1", "url": "zz"}


def _table_hint(found: Found) -> str:
    return (
        f"  {found.key}  ({found.pattern}, view {found.view}, parameters {list(found.params)})"
        f"\n    → add Route({found.key!r}, kwargs={{…}}) to {found.table}"
    )


def test_every_route_is_in_the_matrix() -> None:
    table = declared()
    missing = [found for found in url_routes() if row_for(found, table) is None]
    assert not missing, (
        f"{len(missing)} route(s) are not in the tenant-isolation matrix. Declare each one in "
        "its app's route table (format in ancrage/common/tests/isolation/spec.py, "
        "docs/security.md):\n" + "\n".join(_table_hint(found) for found in missing)
    )


def test_every_api_operation_is_in_the_matrix() -> None:
    table = declared()
    missing = [op for op in api_operations(api.get_openapi_schema()) if op not in table.operations]
    assert not missing, (
        f"{len(missing)} API operation(s) are not in the tenant-isolation matrix: add "
        f"ApiOperation(METHOD, PATH, {{param: Model}}) to {API_TABLE}:\n"
        + "\n".join(f"  {method} {path}" for method, path in missing)
    )


def test_route_tables_name_only_existing_routes() -> None:
    existing = {found.key for found in url_routes()}
    namespaces = {key.rsplit(":", 1)[0] for key in existing if ":" in key}
    stale = [
        f"{name} (in {file})"
        for name, (row, file) in declared().routes.items()
        if name not in existing
        and "only when DEBUG" not in row.note
        and not (name.endswith(":*") and name[:-2] in namespaces)
    ]
    assert not stale, "Route tables name routes that no longer exist:\n" + "\n".join(stale)


class Matrix:
    def __init__(self, world: World) -> None:
        self.world = world
        self.violations: list[str] = []
        self.requests = 0
        self.cells: set[tuple[str, str]] = set()
        self.embeddable: set[str] = set()
        self.statuses: Counter[int] = Counter()

    def fail(self, route: str, who: str, method: str, url: str, why: str) -> None:
        self.violations.append(f"{route} [{who} {method} {url}]: {why}")

    def body(self, response: Any) -> str:
        if getattr(response, "streaming", False):
            return ""
        content = getattr(response, "content", b"")
        return content.decode("utf-8", "replace") if isinstance(content, bytes) else ""

    def leaks(self, text: str) -> list[str]:
        return [marker for marker in self.world.markers if marker and marker in text]

    def request(self, client: Client, method: str, url: str, **extra: Any) -> Any:
        self.requests += 1
        if method == "GET":
            return client.get(url, **extra)
        if method == "POST":
            return client.post(url, **extra)
        return client.generic(method, url, **extra)

    def headers(
        self, route: str, who: str, method: str, url: str, response: Any, frame_ok: bool = False
    ) -> None:
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        csp = response.get("Content-Security-Policy", "")
        if not csp:
            self.fail(route, who, method, url, "HTML answer without Content-Security-Policy")
            return
        directives = {
            part.strip().split(" ", 1)[0]: part.strip() for part in csp.split(";") if part.strip()
        }
        script = directives.get("script-src", directives.get("default-src", ""))
        if "'unsafe-inline'" in script or "'unsafe-eval'" in script or "*" in script.split():
            self.fail(route, who, method, url, f"CSP script-src is not strict: {script}")
        objects = directives.get("object-src", directives.get("default-src", ""))
        if objects.split()[1:] != ["'none'"]:
            self.fail(route, who, method, url, "CSP lacks object-src 'none'")
        frame = directives.get("frame-ancestors", "")
        if not frame:
            self.fail(route, who, method, url, "CSP lacks frame-ancestors")
        elif frame != "frame-ancestors 'none'":
            sources = frame.split()[1:]
            if any(s in {"*", "https:", "http:", "data:"} for s in sources) and not frame_ok:
                self.fail(route, who, method, url, f"framing allowed to anyone: {frame}")
            self.embeddable.add(route)
        elif response.get("X-Frame-Options", "").upper() not in {"DENY", "SAMEORIGIN"}:
            self.fail(route, who, method, url, "not framable by CSP but no X-Frame-Options")

    def check(
        self,
        route: Route,
        who: str,
        client: Client,
        method: str,
        url: str,
        *,
        foreign_ids: bool,
        allowed: bool | None,
        **extra: Any,
    ) -> None:
        self.cells.add((route.name, who))
        try:
            response = self.request(client, method, url, **extra)
        except Exception as exc:  # a server error is a failure of its own
            self.fail(route.name, who, method, url, f"server error {type(exc).__name__}: {exc}")
            return
        status = response.status_code
        self.statuses[status] += 1
        if status >= 500:
            self.fail(route.name, who, method, url, f"server error {status}")
            return
        self.headers(route.name, who, method, url, response, bool(route.frame_anywhere))
        if route.scope == PUBLISHER and who in {AUTHOR, EDITOR}:
            return  # the publisher's own pages: its staff see every client organisation
        text = self.body(response)
        leaked = self.leaks(text)
        if leaked:
            self.fail(
                route.name,
                who,
                method,
                url,
                f"{status} shows the other organisation's data {leaked}",
            )
        to_login = status == 302 and (
            "/accounts/login/" in response.get("Location", "")
            or "/admin/login/" in response.get("Location", "")
        )
        if (
            foreign_ids
            and status not in DENIED
            and not to_login
            and route.scope not in {PUBLIC, CATALOGUE}
        ):
            where = response.get("Location", "")
            self.fail(
                route.name,
                who,
                method,
                url,
                f"answers {status} {where} to another organisation's ids (expected 403/404)",
            )
        if allowed is False and status not in DENIED and not to_login:
            self.fail(
                route.name,
                who,
                method,
                url,
                f"answers {status} to a role not in {sorted(route.roles)}",
            )
        if allowed is True and method == "GET" and status >= 400:
            self.fail(
                route.name, who, method, url, f"answers {status} to a role in {sorted(route.roles)}"
            )


def _url(found: Found, route: Route, world: World) -> str | None:
    kwargs: dict[str, str] = {}
    for param in found.params:
        if param in route.kwargs:
            kwargs[param] = world.value(route.kwargs[param])
        elif route.scope == STAFF:
            kwargs[param] = ADMIN_KWARGS.get(param, world.value(type(world.org_b)))
        else:
            raise AssertionError(f"{route.name}: no resource for the URL parameter {param!r}")
    if found.key.startswith("<") or ":<" in found.key:
        path = found.pattern.lstrip("^").rstrip("$")
        for param, value in kwargs.items():
            path = re.sub(r"\(\?P<" + param + r">[^)]*\)", value, path)
            path = path.replace(f"<{param}>", value)
        return "/" + path.replace("\\", "")
    try:
        return reverse(found.key, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _has_foreign_ids(route: Route) -> bool:
    return any(not (isinstance(v, str) and v.startswith("=")) for v in route.kwargs.values())


def test_no_principal_reaches_another_organisations_data(tenancy, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"  # the catalogue media the world stores
    world = make_world(tenancy)
    table = declared()
    routes = url_routes()
    # Build every resource of organisation B first, so list pages have something to leak.
    for found in routes:
        row = row_for(found, table)
        if row is None:
            continue  # reported by test_every_route_is_in_the_matrix
        for resource in row.kwargs.values():
            world.value(resource)
    matrix = Matrix(world)
    principals = world.principals()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    with translation.override("fr"):
        for found in routes:
            route = row_for(found, table)
            if route is None or route.scope == LRS:
                continue
            url = _url(found, route, world)
            if url is None:
                matrix.fail(found.key, "-", "-", found.pattern, "cannot build the URL")
                continue
            foreign = _has_foreign_ids(route)
            methods = route.methods or (("GET", "POST") if foreign else ("GET",))
            for who, client in principals.items():
                allowed: bool | None = None
                if route.scope == PUBLISHER:
                    allowed = who in {AUTHOR, EDITOR} or None
                    allowed = None if allowed else False if who != "anonymous" else None
                elif route.scope == STAFF:
                    allowed = False
                elif route.roles and not foreign and route.scope not in {PUBLIC, SELF}:
                    allowed = (LEARNER if who == LTI_LAUNCH else who) in route.roles
                for method in methods:
                    if allowed is True and method == "POST":
                        continue  # never post an empty form as an allowed role
                    matrix.check(
                        route, who, client, method, url, foreign_ids=foreign, allowed=allowed
                    )
        _check_api(matrix, world, table.operations)
        _check_lrs(
            matrix, world, [f for f in routes if (row_for(f, table) or Route("")).scope == LRS]
        )
    print(
        f"\nIsolation matrix: {len(routes)} routes + {len(table.operations)} API operations; "
        f"{len(matrix.cells)} (route, principal) cells; {matrix.requests} requests; "
        f"statuses {dict(sorted(matrix.statuses.items()))}; "
        f"embeddable (frame-ancestors set by the view): {sorted(matrix.embeddable) or 'none'}"
    )
    assert not matrix.violations, f"{len(matrix.violations)} isolation violation(s):\n" + "\n".join(
        matrix.violations
    )


def _check_api(
    matrix: Matrix, world: World, operations: dict[tuple[str, str], tuple[ApiOperation, str]]
) -> None:
    _row, key = create_api_key(
        organisation=world.tenancy.org_a, name="matrix", scopes=list(Scope.values)
    )
    client = Client(headers={"Authorization": f"Bearer {key}"})
    for (method, path), (op, _file) in sorted(operations.items()):
        url = path
        for param, resource in op.params.items():
            url = url.replace("{" + param + "}", world.value(resource))
        route = Route(f"api {method} {path}")
        foreign = bool(op.params)
        for who, c in (("api key A", client), ("no key", Client())):
            body = (
                {"content_type": "application/json", "data": "{}"}
                if method in {"POST", "PATCH"}
                else {}
            )
            matrix.check(route, who, c, method, url, foreign_ids=foreign, allowed=None, **body)


def _check_lrs(matrix: Matrix, world: World, routes: list[Found]) -> None:
    def credential(org: Any) -> dict[str, str]:
        issued = issue_credential(organisation=org, label="matrix", scopes=["all"])
        token = base64.b64encode(f"{issued.credential.key}:{issued.secret}".encode()).decode()
        return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "2.0.0"}

    mine, theirs = credential(world.tenancy.org_a), credential(world.org_b)
    activity = "https://ancrage.test/zzforeign"
    agent = json.dumps({"mbox": "mailto:zzforeignzz@beta.test"})
    statement = {
        "actor": {"mbox": "mailto:zzforeignzz@beta.test", "name": "ZZFOREIGNZZ"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": activity, "definition": {"name": {"fr": "ZZFOREIGNZZ"}}},
    }
    b = Client()
    assert (
        b.post(
            "/xapi/statements",
            json.dumps(statement),
            content_type="application/json",
            headers=theirs,
        ).status_code
        == 200
    )
    doc = {"activityId": activity, "agent": agent, "stateId": "zz", "profileId": "zz"}
    for path in ("activities/state", "activities/profile"):
        b.put(
            f"/xapi/{path}?" + "&".join(f"{k}={v}" for k, v in doc.items()),
            '{"x": "ZZFOREIGNZZ"}',
            content_type="application/json",
            headers=theirs,
        )
    b.put(
        f"/xapi/agents/profile?agent={agent}&profileId=zz",
        '{"x": "ZZFOREIGNZZ"}',
        content_type="application/json",
        headers=theirs,
    )
    queries = {
        "lrs:statements": "",
        "lrs:state": f"?activityId={activity}&agent={agent}&stateId=zz",
        "lrs:activity-profile": f"?activityId={activity}&profileId=zz",
        "lrs:agent-profile": f"?agent={agent}&profileId=zz",
        "lrs:activities": f"?activityId={activity}",
        "lrs:agents": f"?agent={agent}",
        "lrs:about": "",
    }
    a = Client()
    for found in routes:
        url = reverse(found.key) + queries.get(found.key, "")
        route = Route(found.key)
        matrix.check(
            route, "LRS key A", a, "GET", url, foreign_ids=False, allowed=None, headers=mine
        )
