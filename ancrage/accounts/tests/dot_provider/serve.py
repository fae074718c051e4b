"""Run the provider: migrate its own SQLite file, register our client, serve on 127.0.0.1.

Prints one JSON line (port, issuer, client id and secret) once it listens; then serves until
killed. Run with DJANGO_SETTINGS_MODULE=ancrage.accounts.tests.dot_provider.settings.
"""

import json
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def main() -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    redirect_uri = sys.argv[1]
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(
        "camille", email="camille@alpha.test", first_name="Camille Roux"
    )
    secret = "dot-client-secret-0123456789"  # noqa: S105  # pragma: allowlist secret
    application = get_application_model().objects.create(
        name="Ancrage",
        user=user,
        client_id="ancrage-dot-client",
        client_secret=secret,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=redirect_uri,
        algorithm="RS256",
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    port = server.server_address[1]
    print(
        json.dumps(
            {
                "port": port,
                "issuer": f"http://127.0.0.1:{port}/o",
                "client_id": application.client_id,
                "client_secret": secret,
                "subject": str(user.pk),
            }
        ),
        flush=True,
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
