"""The declarative format of the tenant-isolation matrix (see docs/security.md).

Each app lists its routes in `ancrage/<app>/tests/routes.py` as `ROUTES: list[Route]`:

    Route("transfer_plan", kwargs={"plan_id": ActionPlan}, roles=LEARNERS)
    Route("transfer_plan_action", kwargs={"plan_id": ActionPlan, "verb": "=done"},
          methods=POST)
    Route("notify_unsubscribe", kwargs={"token": "=bad-token"}, scope=PUBLIC)

* `name`: the URL name (`namespace:name` for namespaced routes; `namespace:*` covers all).
* `kwargs`: for each URL parameter, a model (a row of it is built in the *other* organisation
  and its pk passed), a resource key from `world.RESOURCES` (`"path_code"`…), or a literal
  prefixed with `=`.
* `scope`: TENANT (default: another organisation's ids → 403/404, lists never show its
  data), PUBLISHER (studio: organisation members are refused), STAFF (Django admin: refused to
  everyone but staff), PUBLIC (no sign-in; tokens are checked, foreign data never shown),
  SELF (the signed-in person's own page: never shows another organisation's data),
  LRS (xAPI: organisation A's LRS key never reads organisation B's statements or documents),
  CATALOGUE (the publisher's catalogue, shared by every client: a path licensed to B only is
  refused or offered as a seat request to A, and no page shows B's data).
* `frame_anywhere`: the reason a view lets any site frame it (CSP `frame-ancestors *`);
  without it such a view fails the matrix.
* `methods`: what the matrix sends (POST with an empty body). Default: GET and POST when the
  route takes another organisation's ids, GET otherwise.
* `roles`: who may use it in their own organisation (checked on pages without ids:
  others get 403/404 or the sign-in page).
"""

from dataclasses import dataclass, field
from typing import Any

TENANT = "tenant"
PUBLISHER = "publisher"
STAFF = "staff"
PUBLIC = "public"
SELF = "self"
LRS = "lrs"
CATALOGUE = "catalogue"

GET = ("GET",)
POST = ("POST",)
GET_POST = ("GET", "POST")

LEARNER = "learner"
MANAGER = "manager"
LD_LEAD = "ld_lead"
ORG_ADMIN = "org_admin"
AUTHOR = "author"
EDITOR = "editor"
# A learner of organisation A who arrived from an LMS: signed in by the LTI 1.3 handover.
LTI_LAUNCH = "lti_launch"

EVERYONE = frozenset({LEARNER, MANAGER, LD_LEAD, ORG_ADMIN})
LEARNERS = EVERYONE
MANAGERS = frozenset({MANAGER, LD_LEAD, ORG_ADMIN})
LD = frozenset({LD_LEAD, ORG_ADMIN})
ADMINS = frozenset({ORG_ADMIN})
PUBLISHER_STAFF = frozenset({AUTHOR, EDITOR})
EDITORS = frozenset({EDITOR})


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    scope: str = TENANT
    methods: tuple[str, ...] | None = None  # default: GET and POST with ids, GET without
    roles: frozenset[str] = frozenset()
    note: str = ""
    frame_anywhere: str = ""


@dataclass(frozen=True)
class ApiOperation:
    """One django-ninja operation, `METHOD /api/path`, with its path parameters' resources."""

    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    note: str = ""
