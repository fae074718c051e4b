"""What an identity provider told us about a person, and the one way a sign-in is refused."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SsoClaims:
    """A verified sign-in: the provider vouched for (issuer, subject); the rest is profile."""

    issuer: str
    subject: str
    email: str
    name: str
    team: str = ""


class SsoRefused(Exception):
    """A sign-in refused: `reason` and `detail` are logged; `message`, if any, is shown."""

    def __init__(self, reason: str, detail: str = "", *, message: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.message = message
