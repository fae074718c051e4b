"""`ancrage lti_rotate_keys`: a new signing key; the JWKS keeps the previous one."""

from typing import Any

from django.core.management.base import BaseCommand

from ancrage.exports.lti13.keys import rotate_keys


class Command(BaseCommand):
    help = "Rotate the LTI tool's signing key (the previous key stays published)."

    def handle(self, *args: Any, **options: Any) -> None:
        key = rotate_keys()
        self.stdout.write(f"New current LTI key: {key.kid}")
