"""Matrix rows for routes that are not ours: django-allauth, Django's admin, i18n, media."""

from ancrage.common.tests.isolation.spec import PUBLIC, SELF, STAFF, Route

ROUTES = [
    # django-allauth: sign-in pages are public, account pages are the signed-in person's own.
    Route("account_login", scope=PUBLIC),
    Route("account_logout", scope=SELF),
    Route("account_inactive", scope=PUBLIC),
    Route("account_signup", scope=PUBLIC),
    Route("account_reauthenticate", scope=SELF),
    Route("account_email", scope=SELF),
    Route("account_email_verification_sent", scope=PUBLIC),
    Route("account_change_password", scope=SELF),
    Route("account_set_password", scope=SELF),
    Route("account_reset_password", scope=PUBLIC),
    Route("account_confirm_login_code", scope=PUBLIC),
    Route("account_confirm_email", kwargs={"key": "=zz-not-a-key"}, scope=PUBLIC),
    Route("account_reset_password_from_key_done", scope=PUBLIC),
    Route(
        "account_reset_password_from_key",
        kwargs={"uidb36": "=zz", "key": "=zz-not-a-key"},
        scope=PUBLIC,
    ),
    Route("account_reset_password_done", scope=PUBLIC),
    Route("account_request_login_code", scope=PUBLIC),
    Route("set_language", scope=PUBLIC, methods=("POST",)),
    Route(
        "<^media/(?P<path>.*)$>",
        kwargs={"path": "=zz-none.png"},
        scope=PUBLIC,
        note="only when DEBUG",
    ),
    # django-ninja's schema and docs pages (the operations are in ancrage/api/tests/routes.py).
    Route("api:openapi-json", scope=PUBLIC),
    Route("api:openapi-view", scope=PUBLIC),
    Route("api:api-root", scope=PUBLIC),
    # Django's admin: staff only (nobody in an organisation is staff).
    Route("admin:login", scope=PUBLIC),
    Route("admin:logout", scope=SELF),
    Route("admin:*", scope=STAFF),
]
