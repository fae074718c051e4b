"""Validation of an LTI 1.3 launch (the id_token the platform POSTs to our launch URL).

`validate_launch` checks, in order, and refuses with the first failing reason:

* the form carries an id_token and a state, and the token is a JWT (`malformed_request`);
* the state names a login we started (`unknown_state`), not used before (`nonce_replayed`:
  each login — its state and its nonce — opens one launch only) and not expired
  (`login_expired`); when the browser kept our state cookie it must match
  (`state_mismatch`); the registration is active (`registration_inactive`);
* the issuer is the registration's (`wrong_issuer`);
* the signing key: the `kid` is looked up in the platform's JWKS as last fetched; an unknown
  kid triggers one refetch (the platform may have rotated), then `unknown_kid`;
* the RS256 signature (`bad_signature`), `exp` (`expired`) and `iat` (`issued_in_future`)
  with a small leeway, the audience contains our client id (`wrong_audience`), `azp` is our
  client id when present, and required with several audiences (`wrong_azp`);
* the nonce is the one of this login (`nonce_mismatch`);
* the deployment id is one the organisation registered (`unknown_deployment`);
* LTI version 1.3.0 (`wrong_version`), a message type we handle (`unsupported_message`)
  and a `sub` for resource launches (`missing_sub`).

The login is consumed before the signature is checked: a state is burnt by any attempt.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
from django.db import transaction
from django.utils import timezone
from jwt.algorithms import RSAAlgorithm

from ancrage.exports.lti13 import platform
from ancrage.exports.lti13.models import LoginAttempt, Registration, lti_settings

logger = logging.getLogger("ancrage.lti")

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_SERVICE = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


class LaunchRefused(Exception):
    """A launch we refuse: `reason` (a stable code, logged) and the registration if known.

    `claimed_issuer` is the issuer the request names when no registration was found (not
    verified): it only chooses which registered platforms may frame the refusal page.
    """

    def __init__(self, reason: str, detail: str = "", registration: Registration | None = None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.registration = registration
        self.claimed_issuer = ""


@dataclass(frozen=True)
class Launch:
    """A validated launch: the registration and the verified claims."""

    registration: Registration
    claims: dict[str, Any]

    def claim(self, name: str, default: Any = None) -> Any:
        return self.claims.get(CLAIM + name, default)

    @property
    def message_type(self) -> str:
        return str(self.claim("message_type", ""))

    @property
    def deployment_id(self) -> str:
        return str(self.claim("deployment_id", ""))

    @property
    def sub(self) -> str:
        return str(self.claims.get("sub", ""))

    @property
    def custom(self) -> dict[str, Any]:
        custom = self.claim("custom", {})
        return custom if isinstance(custom, dict) else {}

    @property
    def resource_link_id(self) -> str:
        link = self.claim("resource_link", {})
        return str(link.get("id", "")) if isinstance(link, dict) else ""

    @property
    def context(self) -> dict[str, Any]:
        context = self.claim("context", {})
        return context if isinstance(context, dict) else {}

    @property
    def roles(self) -> list[str]:
        roles = self.claim("roles", [])
        return [str(r) for r in roles] if isinstance(roles, list) else []

    @property
    def ags(self) -> dict[str, Any]:
        ags = self.claims.get(AGS_ENDPOINT, {})
        return ags if isinstance(ags, dict) else {}

    @property
    def nrps_url(self) -> str:
        nrps = self.claims.get(NRPS_SERVICE, {})
        return str(nrps.get("context_memberships_url", "")) if isinstance(nrps, dict) else ""

    @property
    def deep_linking(self) -> dict[str, Any]:
        settings = self.claims.get(DEEP_LINKING_SETTINGS, {})
        return settings if isinstance(settings, dict) else {}

    @property
    def document_target(self) -> str:
        presentation = self.claim("launch_presentation", {})
        if isinstance(presentation, dict):
            return str(presentation.get("document_target", ""))
        return ""


def refuse(reason: str, detail: str = "", registration: Registration | None = None) -> None:
    logger.warning(
        "LTI launch refused: %s (%s) registration=%s",
        reason,
        detail,
        registration.pk if registration else "-",
    )
    raise LaunchRefused(reason, detail, registration)


def _consume_login(state: str, cookie_state: str | None) -> LoginAttempt:
    now = timezone.now()
    with transaction.atomic():
        attempt = (
            LoginAttempt.objects.select_for_update()
            .select_related("registration")
            .filter(state=state)
            .first()
        )
        used_before = attempt is not None and attempt.used_at is not None
        if attempt is not None and not used_before:
            attempt.used_at = now
            attempt.save(update_fields=["used_at", "updated_at"])
    # Checked after the commit: a refused launch still burns its login.
    if attempt is None:
        refuse("unknown_state", "no login was started with this state")
    assert attempt is not None
    registration = attempt.registration
    if used_before:
        refuse("nonce_replayed", "this login was already used by a launch", registration)
    if attempt.expires_at <= now:
        refuse("login_expired", "the login started too long ago", registration)
    if cookie_state is not None and cookie_state != state:
        refuse("state_mismatch", "the state cookie names another login", registration)
    if not registration.is_active:
        refuse("registration_inactive", "the registration is switched off", registration)
    return attempt


def _platform_key(registration: Registration, kid: str) -> Any:
    def find(keyset: dict[str, Any]) -> dict[str, Any] | None:
        for key in keyset.get("keys", []):
            if isinstance(key, dict) and key.get("kid") == kid:
                return key
        return None

    jwk = find(registration.platform_jwks or {})
    if jwk is None:
        try:
            fetched = platform.fetch_jwks(registration.keyset_url)
        except platform.PlatformError as exc:
            refuse("jwks_unavailable", str(exc), registration)
            raise  # unreachable: refuse raises
        Registration.objects.filter(pk=registration.pk).update(
            platform_jwks=fetched, jwks_fetched_at=timezone.now()
        )
        registration.platform_jwks = fetched
        jwk = find(fetched)
    if jwk is None:
        refuse("unknown_kid", f"kid {kid!r} is not in the platform's JWKS", registration)
    try:
        return RSAAlgorithm.from_jwk(jwk)  # type: ignore[arg-type]
    except (jwt.InvalidKeyError, ValueError, KeyError) as exc:
        refuse("unknown_kid", f"kid {kid!r} is not a usable RSA key: {exc}", registration)
        raise


def _decode(token: str, registration: Registration, key: Any) -> dict[str, Any]:
    leeway = lti_settings()["leeway"]
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            audience=registration.client_id,
            issuer=registration.issuer,
            leeway=timedelta(seconds=leeway),
            options={"require": ["exp", "iat", "iss", "aud", "nonce"]},
        )
    except jwt.ExpiredSignatureError:
        refuse("expired", "the id_token has expired", registration)
        raise
    except jwt.InvalidAudienceError:
        refuse("wrong_audience", "our client id is not in aud", registration)
        raise
    except jwt.InvalidIssuerError:
        refuse("wrong_issuer", "iss is not the registration's issuer", registration)
        raise
    except (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError):
        refuse("issued_in_future", "iat is in the future", registration)
        raise
    except jwt.InvalidSignatureError:
        refuse("bad_signature", "the signature does not verify", registration)
        raise
    except jwt.MissingRequiredClaimError as exc:
        refuse("missing_claim", str(exc), registration)
        raise
    except jwt.PyJWTError as exc:
        refuse("malformed_request", str(exc), registration)
        raise
    return claims


def validate_launch(
    *, id_token: str, state: str, cookie_state: str | None = None
) -> tuple[Launch, LoginAttempt]:
    """The validated launch and the login it consumed, or `LaunchRefused` (logged)."""
    if not id_token or not state:
        refuse("malformed_request", "id_token and state are required")
    try:
        header = jwt.get_unverified_header(id_token)
        unverified = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        refuse("malformed_request", f"the id_token is not a JWT: {exc}")
        raise
    try:
        attempt = _consume_login(state, cookie_state)
    except LaunchRefused as refusal:
        refusal.claimed_issuer = str(unverified.get("iss") or "")
        raise
    registration = attempt.registration
    if unverified.get("iss") != registration.issuer:
        refuse("wrong_issuer", "iss is not the registration's issuer", registration)
    if header.get("alg") != "RS256":
        refuse("bad_signature", "only RS256 is accepted", registration)
    kid = str(header.get("kid", ""))
    if not kid:
        refuse("unknown_kid", "the id_token header has no kid", registration)
    claims = _decode(id_token, registration, _platform_key(registration, kid))
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    azp = claims.get("azp")
    if (azp is not None and azp != registration.client_id) or (len(audiences) > 1 and not azp):
        refuse("wrong_azp", "azp is not our client id", registration)
    if claims.get("nonce") != attempt.nonce:
        refuse("nonce_mismatch", "the nonce is not the one of this login", registration)
    launch = Launch(registration=registration, claims=claims)
    if not registration.allows_deployment(launch.deployment_id):
        refuse(
            "unknown_deployment",
            f"deployment {launch.deployment_id!r} is not registered",
            registration,
        )
    if launch.claim("version") != "1.3.0":
        refuse("wrong_version", "LTI version must be 1.3.0", registration)
    if launch.message_type not in (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST):
        refuse("unsupported_message", f"message type {launch.message_type!r}", registration)
    if not launch.sub:
        refuse("missing_sub", "anonymous launches are not supported", registration)
    return launch, attempt
