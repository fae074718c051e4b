"""Rate limits for sign-in and every public door, answered with 429 and Retry-After.

One table, `RULES`, keyed by URL name (or `namespace:*`), read by `RateLimitMiddleware`:

* a **requests** rule counts every matching request (e.g. asking for a sign-in code);
* a **failures** rule counts only the answers that mean "wrong secret" (a sign-in form shown
  again, a 401 from the LRS or the API, an unknown token) and, once over the limit, refuses
  every request from that client — right or wrong — until the window ends.

Counters are fixed windows in the `ratelimit` cache (Redis when REDIS_URL is set, so every
worker shares them), keyed by client address and, where the request names an account
(the e-mail typed in a form), by that too. A busy client costs no cache round trip per
request: each process re-reads a count at most every `FRESH_SECONDS`, adds requests in
batches (one by one near the limit) and failures at once (`Counter`). The LRS counts each
key's requests per minute with the same `Counter`. A refused request gets HTTP 429, a
`Retry-After` header in seconds and a sentence saying when to try again (HTML for pages,
JSON for the API and the LRS). django-allauth's own limits stay on as a second layer and
answer through `handler429` with the same page.

Why not django-axes for sign-in: axes needs its backend first in AUTHENTICATION_BACKENDS and a
request on every `authenticate()` call (SSO back-ends and test clients call it without
one), and it answers lockouts only for password sign-in; one table covers every door (ADR 0014).
"""

import hashlib
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

CACHE_ALIAS = "ratelimit"


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


@dataclass(frozen=True)
class Rule:
    """`limits` apply per client address; `per_account` also per (address-free) account key."""

    kind: Literal["requests", "failures"]
    limits: tuple[Limit, ...]
    methods: frozenset[str] = frozenset({"POST"})
    per_account: Limit | None = None
    account_field: str = ""  # POST field naming the account (an e-mail)
    failed: Callable[[HttpResponse], bool] = lambda response: response.status_code >= 400
    api: bool = False  # answer in JSON


def _form_shown_again(response: HttpResponse) -> bool:
    # allauth re-renders the form (200) on a wrong password or code; success redirects.
    return response.status_code == 200 or response.status_code >= 400


def _code_refused(response: HttpResponse) -> bool:
    # A wrong code shows the form again; the last allowed wrong code sends back to "ask for a code".
    if response.status_code == 302:
        return response.get("Location", "") == reverse("account_request_login_code")
    return _form_shown_again(response)


def _unauthorised(response: HttpResponse) -> bool:
    return response.status_code == 401


ANY = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

RULES: dict[str, Rule] = {
    # Password sign-in: 5 wrong passwords per account, 20 per address, per 15 minutes.
    "account_login": Rule(
        "failures",
        (Limit(20, 900),),
        per_account=Limit(5, 900),
        account_field="login",
        failed=_form_shown_again,
    ),
    # Sign-in by e-mailed code: asking for codes, then typing them.
    "account_request_login_code": Rule(
        "requests", (Limit(10, 600),), per_account=Limit(3, 600), account_field="email"
    ),
    "account_confirm_login_code": Rule("failures", (Limit(10, 600),), failed=_code_refused),
    "account_reset_password": Rule(
        "requests", (Limit(10, 600),), per_account=Limit(3, 600), account_field="email"
    ),
    "account_reset_password_from_key": Rule("failures", (Limit(10, 600),), methods=ANY),
    "account_reauthenticate": Rule("failures", (Limit(10, 600),), failed=_form_shown_again),
    "admin:login": Rule("failures", (Limit(10, 900),), failed=_form_shown_again),
    # Token links from e-mails: invitation, unsubscribe. Unknown tokens count as failures.
    "accept_invitation": Rule("failures", (Limit(20, 600),), methods=ANY),
    "notify_unsubscribe": Rule("failures", (Limit(20, 600),), methods=ANY),
    "habits_ritual_link": Rule("failures", (Limit(20, 600),), methods=ANY),
    "lti13_handover": Rule("failures", (Limit(20, 600),), methods=ANY),
    # Public doors of exported packages and LMS launches: refused tokens count.
    "exports_licence": Rule("requests", (Limit(120, 60),), methods=ANY, api=True),  # always 200
    "exports_events": Rule("failures", (Limit(30, 60),), methods=ANY, api=True),
    "lti13_login": Rule("failures", (Limit(30, 60),), methods=ANY),
    "lti13_launch": Rule("failures", (Limit(30, 60),), methods=ANY),
    # Machine doors: wrong LRS credentials or API keys.
    "lrs:*": Rule("failures", (Limit(30, 60),), methods=ANY, failed=_unauthorised, api=True),
    "api:*": Rule("failures", (Limit(30, 60),), methods=ANY, failed=_unauthorised, api=True),
}


def rule_for(request: HttpRequest) -> tuple[str, Rule] | None:
    match = request.resolver_match
    if match is None:
        return None
    name = match.view_name
    rule = RULES.get(name)
    if rule is None and match.namespace:
        name = f"{match.namespace}:*"
        rule = RULES.get(name)
    if rule is None or request.method not in rule.methods:
        return None
    return name, rule


def client_address(request: HttpRequest) -> str:
    """The client's address; behind N trusted proxies, the N-th address from the right."""
    hops: int = getattr(settings, "RATELIMIT_TRUSTED_PROXIES", 0)
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return str(forwarded[-hops])
    return str(request.META.get("REMOTE_ADDR", "unknown"))


@dataclass
class _Seen:
    """What this process knows of one counter's window: the shared count when last read or
    added to, when that was, and the requests it counted but has not added yet."""

    start: int
    count: int
    read_at: float
    unsent: int = 0


# Per process: a busy client (an LRS sending statements) must not cost a cache round trip per
# request. A count is re-read at most every FRESH_SECONDS, and requests are added in batches;
# a failure is always added at once, and a lock is known at once by the process that saw it.
FRESH_SECONDS = 1.0
_SEEN: dict[str, _Seen] = {}
_SEEN_MAX = 50_000
_LOCK = threading.Lock()


def forget_counts() -> None:
    """Drop this process's knowledge of every counter (tests: another worker's view)."""
    with _LOCK:
        _SEEN.clear()


@dataclass(frozen=True)
class Counter:
    key: str
    limit: Limit

    def _window(self, now: float) -> tuple[str, int, int]:
        start = int(now // self.limit.seconds) * self.limit.seconds
        return f"rl:{self.key}:{self.limit.seconds}:{start}", start, start + self.limit.seconds

    def _seen(self, key: str, start: int) -> _Seen:
        seen = _SEEN.get(key)
        if seen is None or seen.start != start:
            if len(_SEEN) >= _SEEN_MAX:
                _SEEN.clear()
            seen = _SEEN[key] = _Seen(start, 0, -FRESH_SECONDS)
        return seen

    def _add(self, key: str, amount: int) -> int:
        cache = caches[CACHE_ALIAS]
        try:
            return int(cache.incr(key, amount))
        except ValueError:  # the window's first request (or it expired meanwhile)
            if cache.add(key, amount, timeout=self.limit.seconds + 1):
                return amount
            return int(cache.incr(key, amount))

    def current(self, now: float) -> tuple[int, int]:
        """The window's count, read from the cache at most every FRESH_SECONDS (a count at
        the limit stays there until the window ends: counts only grow)."""
        key, start, ends = self._window(now)
        with _LOCK:
            seen = self._seen(key, start)
            if seen.count >= self.limit.count or now - seen.read_at < FRESH_SECONDS:
                return seen.count + seen.unsent, ends
        count = int(caches[CACHE_ALIAS].get(key, 0))
        with _LOCK:
            seen = self._seen(key, start)
            seen.count, seen.read_at = count, now
            return seen.count + seen.unsent, ends

    def hit(self, now: float) -> tuple[int, int]:
        """Count one failure: added to the shared count at once."""
        key, start, ends = self._window(now)
        count = self._add(key, 1)
        with _LOCK:
            seen = self._seen(key, start)
            seen.count, seen.read_at = count, now
            return seen.count + seen.unsent, ends

    def add_request(self, now: float) -> tuple[int, int]:
        """Count one request. Requests are added to the shared count in batches (a 200th of
        the limit, at most 20, at least every FRESH_SECONDS) and one by one once the count
        is within two batches of the limit, so every process refuses at the limit of what it
        knows; other processes' unsent requests (under a batch each) may pass over it.
        Returns the count this process knows, its unsent requests included."""
        key, start, ends = self._window(now)
        batch = max(1, min(self.limit.count // 200, 20))
        with _LOCK:
            seen = self._seen(key, start)
            seen.unsent += 1
            known = seen.count + seen.unsent
            if (
                seen.unsent < batch
                and known < self.limit.count - 2 * batch
                and now - seen.read_at < FRESH_SECONDS
            ):
                return known, ends
            amount, seen.unsent = seen.unsent, 0
        count = self._add(key, amount)
        with _LOCK:
            seen = self._seen(key, start)
            seen.count, seen.read_at = count, now
            return seen.count + seen.unsent, ends


def _counters(name: str, rule: Rule, request: HttpRequest) -> list[Counter]:
    address = client_address(request)
    counters = [Counter(f"{name}:ip:{address}:{i}", limit) for i, limit in enumerate(rule.limits)]
    if rule.per_account and rule.account_field:
        account = str(request.POST.get(rule.account_field, "")).strip().casefold()
        if account:
            # Hashed: whatever was typed becomes a short, cache-safe key (and is never stored).
            digest = hashlib.sha256(account.encode("utf-8")).hexdigest()[:32]
            counters.append(Counter(f"{name}:account:{digest}", rule.per_account))
    return counters


def too_many_requests(request: HttpRequest, retry_after: int, *, api: bool = False) -> HttpResponse:
    """HTTP 429 with Retry-After and a sentence saying when to try again."""
    retry_after = max(1, retry_after)
    minutes = math.ceil(retry_after / 60)
    message = (
        ngettext(
            "Too many attempts. Please wait %(count)d second and try again.",
            "Too many attempts. Please wait %(count)d seconds and try again.",
            retry_after,
        )
        % {"count": retry_after}
        if retry_after < 120
        else ngettext(
            "Too many attempts. Please wait %(count)d minute and try again.",
            "Too many attempts. Please wait %(count)d minutes and try again.",
            minutes,
        )
        % {"count": minutes}
    )
    if api:
        response = HttpResponse(
            json.dumps({"detail": message, "retry_after": retry_after}),
            content_type="application/json",
            status=429,
        )
    else:
        response = HttpResponse(
            render_to_string("429.html", {"message": message}, request=request), status=429
        )
    response["Retry-After"] = str(retry_after)
    return response


def allauth_429(request: HttpRequest) -> HttpResponse:
    """`handler429` for django-allauth's own limits (per minute): the same page, with a header."""
    return too_many_requests(request, 60)


class RateLimitMiddleware:
    """Apply `RULES` (see the module docstring); place it after LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pending: tuple[Rule, list[Counter], float] | None = getattr(
            request, "_ratelimit_pending", None
        )
        if pending is not None:
            rule, counters, now = pending
            if rule.failed(response):
                for counter in counters:
                    counter.hit(now)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if not getattr(settings, "RATELIMIT_ENABLED", True):
            return None
        found = rule_for(request)
        if found is None:
            return None
        name, rule = found
        now = time.time()
        counters = _counters(name, rule, request)
        for counter in counters:
            count, ends = (
                counter.add_request(now) if rule.kind == "requests" else counter.current(now)
            )
            over = (
                count > counter.limit.count
                if rule.kind == "requests"
                else (count >= counter.limit.count)
            )
            if over:
                return too_many_requests(request, math.ceil(ends - now), api=rule.api)
        if rule.kind == "failures":
            request._ratelimit_pending = (rule, counters, now)  # type: ignore[attr-defined]
        return None
