"""Attach the signed-in user's membership (or None) to every request as request.membership."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ancrage.tenancy.queries import membership_for_user


class MembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = membership_for_user(request.user)  # type: ignore[attr-defined]
        return self.get_response(request)
