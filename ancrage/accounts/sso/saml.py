"""SAML 2.0 Web SSO (SP-initiated, HTTP-Redirect out, HTTP-POST back) with python3-saml.

Guarantees, in python3-saml's strict mode plus our own checks:
- the assertion must be signed by the configured IdP certificate (unsigned, tampered or
  signed by another key: refused; deprecated SHA-1 algorithms refused);
- issuer, audience (our entity id), destination and recipient (our ACS URL) are checked,
  and NotBefore/NotOnOrAfter with python3-saml's clock drift (300 s);
- the response must answer the request this browser started (InResponseTo), so unsolicited
  (IdP-initiated) responses are refused;
- each response id and assertion id is accepted once (SsoUsedMessageId): a replay is refused.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from lxml import etree
from onelogin.saml2.auth import OneLogin_Saml2_Auth  # type: ignore[import-untyped]
from onelogin.saml2.constants import OneLogin_Saml2_Constants  # type: ignore[import-untyped]
from onelogin.saml2.errors import OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError  # type: ignore[import-untyped]
from onelogin.saml2.settings import OneLogin_Saml2_Settings  # type: ignore[import-untyped]

from ancrage.accounts.sso.identity import SsoClaims, SsoRefused
from ancrage.accounts.sso.models import SsoConnection

EMAIL_ATTRIBUTES = (
    "email",
    "mail",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "urn:oid:0.9.2342.19200300.100.1.3",
)
NAME_ATTRIBUTES = (
    "displayName",
    "name",
    "http://schemas.microsoft.com/identity/claims/displayname",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
    "urn:oid:2.16.840.1.113730.3.1.241",
)


@dataclass(frozen=True)
class Accepted:
    claims: SsoClaims
    message_ids: tuple[str, ...]
    not_on_or_after: int | None
    in_response_to: str


def sp_entity_id(connection: SsoConnection) -> str:
    return settings.SITE_URL + reverse("sso_saml_metadata", args=[connection.organisation.slug])


def acs_url(connection: SsoConnection) -> str:
    return settings.SITE_URL + reverse("sso_saml_acs", args=[connection.organisation.slug])


def _settings(connection: SsoConnection) -> dict[str, Any]:
    return {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": sp_entity_id(connection),
            "assertionConsumerService": {
                "url": acs_url(connection),
                "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST,
            },
            "NameIDFormat": OneLogin_Saml2_Constants.NAMEID_PERSISTENT,
            "x509cert": "",
            "privateKey": "",
        },
        "idp": {
            "entityId": connection.saml_idp_entity_id,
            "singleSignOnService": {
                "url": connection.saml_idp_sso_url,
                "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
            },
            "x509cert": connection.saml_idp_certificate,
        },
        "security": {
            "authnRequestsSigned": False,
            "wantAssertionsSigned": True,
            "wantMessagesSigned": False,
            "wantNameId": True,
            "wantAttributeStatement": False,
            "requestedAuthnContext": False,
            "rejectDeprecatedAlgorithm": True,
            "signatureAlgorithm": OneLogin_Saml2_Constants.RSA_SHA256,
            "digestAlgorithm": OneLogin_Saml2_Constants.SHA256,
        },
    }


def _request_data(request: HttpRequest) -> dict[str, Any]:
    """python3-saml's view of the request, anchored on SITE_URL (behind proxies too)."""
    site = urlsplit(settings.SITE_URL)
    https = site.scheme == "https"
    return {
        "https": "on" if https else "off",
        "http_host": site.netloc,
        "script_name": request.path,
        "get_data": request.GET.copy(),
        "post_data": request.POST.copy(),
    }


def metadata_xml(connection: SsoConnection) -> str:
    saml_settings = OneLogin_Saml2_Settings(_settings(connection), sp_validation_only=True)
    metadata: str | bytes = saml_settings.get_sp_metadata()
    return metadata.decode("utf-8") if isinstance(metadata, bytes) else metadata


def begin(connection: SsoConnection, request: HttpRequest) -> tuple[str, str]:
    """The IdP URL carrying our AuthnRequest, and that request's id (kept in the session)."""
    try:
        auth = OneLogin_Saml2_Auth(_request_data(request), old_settings=_settings(connection))
        url: str = auth.login()
    except OneLogin_Saml2_Error as exc:
        raise SsoRefused("saml_settings_invalid", str(exc)) from exc
    return url, str(auth.get_last_request_id())


def _first(attributes: dict[str, list[str]], names: tuple[str, ...]) -> str:
    for name in names:
        values = attributes.get(name)
        if values:
            return str(values[0])
    return ""


def complete(connection: SsoConnection, request: HttpRequest, *, request_id: str) -> Accepted:
    """Validate the posted SAMLResponse; the caller checks the one-time ids."""
    if "SAMLResponse" not in request.POST:
        raise SsoRefused("saml_no_response")
    try:
        auth = OneLogin_Saml2_Auth(_request_data(request), old_settings=_settings(connection))
        auth.process_response(request_id=request_id or None)
    except (
        OneLogin_Saml2_Error,
        OneLogin_Saml2_ValidationError,
        ValueError,
        etree.LxmlError,  # base64 that decodes to something not XML
    ) as exc:
        raise SsoRefused("saml_invalid", str(exc)) from exc
    if auth.get_errors() or not auth.is_authenticated():
        raise SsoRefused("saml_invalid", str(auth.get_last_error_reason()))
    in_response_to = auth.get_last_response_in_response_to()
    subject = auth.get_nameid()
    if not subject:
        raise SsoRefused("saml_no_nameid")
    attributes: dict[str, list[str]] = auth.get_attributes()
    email = _first(attributes, EMAIL_ATTRIBUTES)
    if not email and auth.get_nameid_format() == OneLogin_Saml2_Constants.NAMEID_EMAIL_ADDRESS:
        email = subject
    team = _first(attributes, (connection.team_claim,)) if connection.team_claim else ""
    ids = tuple(
        value for value in (auth.get_last_message_id(), auth.get_last_assertion_id()) if value
    )
    accepted = Accepted(
        claims=SsoClaims(
            issuer=connection.saml_idp_entity_id,
            subject=str(subject),
            email=email.strip().lower(),
            name=_first(attributes, NAME_ATTRIBUTES)[:150],
            team=team,
        ),
        message_ids=ids,
        not_on_or_after=auth.get_last_assertion_not_on_or_after(),
        # Compared by the caller after the replay check, so a replay is reported as such.
        in_response_to=str(in_response_to or ""),
    )
    return accepted
