"""django-oauth-toolkit's own views, a validator adding email/name, and the IdP's sign-in.

`/login/` stands for the person typing their password at their identity provider: it signs in
the provider's one user and goes on to `next` (the authorisation endpoint).
"""

from typing import Any

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):  # type: ignore[misc]
    oidc_claim_scope = None  # every claim below goes into the id_token

    def get_additional_claims(self, request: Any) -> dict[str, str]:
        return {"email": request.user.email, "name": request.user.first_name}


def sign_in(request: HttpRequest) -> HttpResponse:
    user = get_user_model().objects.get(username="camille")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(request.GET.get("next", "/"))


urlpatterns = [
    path("login/", sign_in),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
