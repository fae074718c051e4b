"""A tiny LTI 1.3 platform on loopback HTTP, built with the PyPI package `lti1p3platform`.

It plays the LMS side of every round trip: OIDC login initiation (the preflight URL it
builds), the authentication endpoint that signs the id_token (resource link or deep
linking, with AGS and NRPS claims), its JWKS (with key rotation), the OAuth2 token endpoint
that verifies our client assertion against our JWKS over HTTP, the AGS scores endpoint, the
NRPS memberships endpoint and the deep-linking return URL (which verifies our signed
response). Tests change `claims` (extra or overriding claims), `signing` (which key signs)
and `expiration` to produce bad launches.
"""

import html
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from jwcrypto.jwk import JWK
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration as PlatformRegistration
from lti1p3platform.request import Request, TRequest

CLIENT_ID = "ancrage-tool"
DEPLOYMENT_ID = "verdane-moodle-1"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


@dataclass
class PlatformKey:
    kid: str
    private_pem: str
    public_jwk: dict[str, Any]

    @classmethod
    def generate(cls, kid: str) -> "PlatformKey":
        key = JWK.generate(kty="RSA", size=2048, kid=kid)
        public = json.loads(key.export_public())
        public.update({"alg": "RS256", "use": "sig"})
        return cls(kid, key.export_to_pem(private_key=True, password=None).decode(), public)


class _Registration(PlatformRegistration):
    """lti1p3platform's registration, signing with the platform's chosen key and kid."""

    def __init__(self, platform: "Platform") -> None:
        self.platform = platform

    def get_platform_private_key(self) -> str:
        return self.platform.signing.private_pem

    def get_platform_public_key(self) -> str:
        jwk = JWK(**self.platform.signing.public_jwk)
        return str(jwk.export_to_pem().decode())

    def get_kid(self) -> str:
        return self.platform.signing.kid


class _Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: Any) -> None:
        self.platform: Platform = kwargs["platform"]

    def get_registration_by_params(self, **kwargs: Any) -> PlatformRegistration:
        return self.platform.registration


class _Request(Request):
    def build_metadata(self, request: dict[str, Any]) -> TRequest:
        return request  # type: ignore[return-value]


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs.get("hint", "resource-1")

    def get_redirect(self, url: str) -> str:
        return url


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> str:
        return (
            '<!DOCTYPE html><html lang="en"><body>'
            f'<form method="POST" action="{html.escape(launch_data["launch_url"])}">'
            f'<input type="hidden" name="id_token" value="{html.escape(launch_data["id_token"])}">'
            f'<input type="hidden" name="state" value="{html.escape(launch_data["state"])}">'
            "</form><script>document.forms[0].submit();</script></body></html>"
        )


@dataclass
class Platform:
    """The LMS. `url` once started; `tool_url` is our live server."""

    tool_url: str
    url: str = ""
    keys: list[PlatformKey] = field(default_factory=list)
    signing: PlatformKey = field(init=False)
    claims: dict[str, Any] = field(default_factory=dict)
    custom: dict[str, Any] = field(default_factory=lambda: {"path_code": "ECOUTE-ACTIVE"})
    user: dict[str, Any] = field(
        default_factory=lambda: {
            "user_id": "moodle-user-42",
            "lis_roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            "full_name": "Inès Moreau",
            "email_address": "ines.moreau@verdane.example",
        }
    )
    deep_linking: bool = False
    expiration: int = 300
    scores: list[dict[str, Any]] = field(default_factory=list)
    score_tokens: list[str] = field(default_factory=list)
    deep_link_items: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    jwks_hits: int = 0
    published: list[str] = field(default_factory=list)  # kids in the JWKS

    def __post_init__(self) -> None:
        first = PlatformKey.generate("platform-key-1")
        self.keys = [first]
        self.signing = first
        self.published = [first.kid]
        self.registration = _Registration(self)
        self.conf = _Conf(platform=self)

    # -- configuration ---------------------------------------------------------------------

    def configure(self) -> None:
        reg = self.registration
        reg.set_iss(self.url)
        reg.set_client_id(CLIENT_ID)
        reg.set_deployment_id(DEPLOYMENT_ID)
        reg.set_oidc_login_url(f"{self.tool_url}/lti/login/")
        reg.set_launch_url(f"{self.tool_url}/lti/launch/")
        reg.set_deeplink_launch_url(f"{self.tool_url}/lti/deep-linking/")
        reg.set_tool_key_set_url(f"{self.tool_url}/lti/jwks/")

    def rotate(self, kid: str, *, publish: bool = True) -> PlatformKey:
        key = PlatformKey.generate(kid)
        self.keys.append(key)
        self.signing = key
        if publish:
            self.published.append(kid)
        return key

    @property
    def lineitem_url(self) -> str:
        return f"{self.url}/courses/7/lineitems/1/lineitem"

    # -- the LMS side of a launch ---------------------------------------------------------

    def preflight_url(self) -> str:
        """Where the LMS sends the browser first: our login initiation URL."""
        login = _Login(_Request({"get_data": {}, "form_data": {}}), self.conf)
        login.set_lti_message_hint(hint="resource-1")
        if self.deep_linking:
            login.set_deeplinking_launch_url()
        return str(login.initiate_login(self.user["user_id"]))

    def _launch(self, query: dict[str, str]) -> str:
        request = _Request({"get_data": query, "form_data": {}, "method": "GET"})
        launch = _Launch(request, self.conf)
        launch.set_user_data(**self.user)
        launch.set_launch_context_claim(
            "course-7",
            ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            "Management d'équipe — promo 2027",
            "MGT-2027",
        )
        launch.set_launch_presentation_claim(document_target="iframe")
        launch.set_id_token_expiration(self.expiration)
        if self.deep_linking:
            launch.set_dl(
                f"{self.url}/deep_link_return", title="Ancrage", accept_types={"ltiResourceLink"}
            )
        else:
            launch.set_resource_link_claim("resource-1", title="Écoute active")
            launch.set_custom_parameters_claim(self.custom)
            launch.set_ags(
                lineitems_url=f"{self.url}/courses/7/lineitems",
                lineitem_url=self.lineitem_url,
            )
        launch.set_nrps(f"{self.url}/courses/7/memberships")
        launch.set_extra_claims(self.claims)
        return str(launch.lti_launch())

    # -- services --------------------------------------------------------------------------

    def _bearer(self, environ: dict[str, Any], scope: str) -> bool:
        header = environ.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            return False
        try:
            return bool(self.conf.validate_token(header[7:], allowed_scopes=[scope]))
        except Exception:  # noqa: BLE001 - any bad token is a 401 here
            return False

    def app(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterator[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""

        def reply(status: str, payload: Any, kind: str = "application/json") -> Iterator[bytes]:
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            start(status, [("Content-Type", kind), ("Content-Length", str(len(data)))])
            return iter([data])

        if path == "/jwks":
            self.jwks_hits += 1
            keys = [k.public_jwk for k in self.keys if k.kid in self.published]
            return reply("200 OK", {"keys": keys})
        if path == "/course":  # the LMS course page framing the activity
            page = (
                '<!DOCTYPE html><html lang="fr"><head><title>Cours</title></head><body>'
                f'<iframe src="{html.escape(self.preflight_url())}" title="Ancrage" '
                'width="800" height="600"></iframe></body></html>'
            )
            return reply("200 OK", page.encode(), "text/html; charset=utf-8")
        if path == "/auth":
            return reply("200 OK", self._launch(query).encode(), "text/html; charset=utf-8")
        if path == "/token" and method == "POST":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            try:
                self.conf.get_registration()
                token = self.conf.get_access_token(form)
            except Exception as exc:  # noqa: BLE001 - the tool sees a 400 with the reason
                return reply("400 Bad Request", {"error": "invalid_client", "detail": str(exc)})
            return reply("200 OK", token)
        if path == "/courses/7/lineitems/1/lineitem/scores" and method == "POST":
            if not self._bearer(environ, SCORE_SCOPE):
                return reply("401 Unauthorized", {"error": "bad token"})
            self.scores.append(json.loads(body))
            return reply("200 OK", {})
        if path == "/courses/7/memberships":
            if not self._bearer(environ, NRPS_SCOPE):
                return reply("401 Unauthorized", {"error": "bad token"})
            return reply(
                "200 OK",
                {
                    "id": f"{self.url}/courses/7/memberships",
                    "context": {"id": "course-7"},
                    "members": self.members,
                },
            )
        if path == "/deep_link_return" and method == "POST":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            try:
                self.deep_link_items = self.conf.validate_deeplinking_resp(form)
            except Exception as exc:  # noqa: BLE001
                return reply("400 Bad Request", {"error": str(exc)})
            return reply("200 OK", b"<p>Done</p>", "text/html")
        return reply("404 Not Found", {"error": path})


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def start_platform(tool_url: str) -> tuple[Platform, Callable[[], None]]:
    platform = Platform(tool_url=tool_url)
    server = make_server(
        "127.0.0.1", 0, platform.app, server_class=_ThreadingServer, handler_class=_Quiet
    )
    platform.url = f"http://127.0.0.1:{server.server_port}"
    platform.conf._jwt = {}
    platform.auth_url = f"{platform.url}/auth"  # type: ignore[attr-defined]
    platform.configure()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return platform, stop
