"""Error reports never show a password written inside a URL.

Django's error reports (the DEBUG page, mail to ADMINS, any reporter) hide settings and
`request.META` entries whose *names* look secret (KEY, SECRET, PASS, TOKEN…). Granian puts the
whole process environment into every request's META (ADR 0016), so `DATABASE_URL`,
`EMAIL_URL` or `REDIS_URL` would be shown with the password they carry. This filter also
hides any value that holds credentials in a URL (a user and a password before the host), whatever its
name (settings.DEFAULT_EXCEPTION_REPORTER_FILTER).
"""

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

URL_WITH_PASSWORD = re.compile(r"://[^/@\s]*:[^/@\s]*@")


class ReporterFilter(SafeExceptionReporterFilter):
    def cleanse_setting(self, key: Any, value: Any) -> Any:
        if isinstance(value, str) and URL_WITH_PASSWORD.search(value):
            return self.cleansed_substitute
        return super().cleanse_setting(key, value)
