"""The Teams app manifest of one organisation (schema 1.30, the newest bundled in
`@microsoft/app-manifest` 1.1.2).

One app per organisation: its id is the organisation's stable `teams_app_id`, its tabs
point at that organisation's pages:

- a personal tab (the learner's home, from which the player opens in the same frame);
- a configurable channel tab (a programme or a themed event for the team), which SharePoint
  can also show as a web part.

`validDomains` holds host names only, and every URL is https (`checks.manifest_problems`).
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from ancrage.microsoft365.models import Microsoft365Settings
from ancrage.microsoft365.teams_app.icons import ACCENT

MANIFEST_VERSION = "1.30"
SCHEMA_URL = (
    "https://developer.microsoft.com/json-schemas/teams/"
    f"v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
)


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def build_manifest(config: Microsoft365Settings) -> dict[str, Any]:
    base = site_url()
    app_id = str(config.teams_app_id)
    organisation = config.organisation.name
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": config.package_version,
        "id": app_id,
        "developer": {
            "name": "Ancrage",
            "websiteUrl": base + "/",
            "privacyUrl": base + reverse("microsoft365_about") + "#privacy",
            "termsOfUseUrl": base + reverse("microsoft365_about") + "#terms",
        },
        "name": {"short": "Ancrage", "full": f"Ancrage · {organisation}"[:100]},
        "description": {
            "short": "Parcours courts qui s'ancrent : apprendre en 5 minutes dans Teams."[:80],
            "full": (
                f"Ancrage pour {organisation} : vos parcours de 20 minutes en modules de 3 à "
                "7 minutes, votre plan d'action et les temps forts de votre équipe, dans Teams. "
                "Onglet personnel : mes parcours et le lecteur. Onglet d'équipe : un programme "
                "ou un événement thématique pour le canal."
            )[:4000],
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "staticTabs": [
            {
                "entityId": "ancrage-home",
                "name": "Mes parcours",
                "contentUrl": base + reverse("microsoft365_personal_tab", args=[app_id]),
                "websiteUrl": base + "/",
                "scopes": ["personal"],
            }
        ],
        "configurableTabs": [
            {
                "configurationUrl": base + reverse("microsoft365_tab_configure", args=[app_id]),
                "canUpdateConfiguration": True,
                "scopes": ["team"],
                "context": ["channelTab"],
                "supportedSharePointHosts": ["sharePointWebPart"],
            }
        ],
        "permissions": ["identity"],
        "validDomains": [urlsplit(base).hostname or ""],
    }
