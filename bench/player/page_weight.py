"""Page weight of the player, per card type: gzip bytes of what a card page needs.

    .venv/bin/python bench/player/page_weight.py

Budgets (issue 5): what the first card needs to render — the HTML (the card is rendered on
the server), the CSS and the JS — fits in 14 KB gzip (one TCP initial window); a whole card
page stays under 50 KB gzip, media excluded. Measured on a throwaway SQLite database with the
demo path ECOUTE-ACTIVE (every card type), with the production profile's settings for
templates; HTML compressed at level 6 (what a proxy does on the fly), static files at level 9
(WhiteNoise precompresses them).
"""

import gzip
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(tempfile.mkdtemp(prefix="ancrage-weight-"))
os.environ.update(
    {
        "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
        "ANCRAGE_VAR_DIR": str(WORK),
        "MEDIA_ROOT": str(WORK / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
)
sys.path.insert(0, str(ROOT))
subprocess.run(
    [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], check=True
)
import json  # noqa: E402

setup = subprocess.run(
    [sys.executable, str(Path(__file__).with_name("setup_learner.py"))],
    check=True,
    capture_output=True,
    text=True,
)
learner = json.loads(setup.stdout.strip().splitlines()[-1])

import django  # noqa: E402

django.setup()
from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402

from ancrage.accounts.models import User  # noqa: E402

STATIC_CSS = ["ancrage/css/app.css", "player/player.css"]
STATIC_JS = ["player/player.js", "player/adapter-web.js", "player/adapters.js"]
EXTRA = ["ancrage/icon.svg"]


def gz(data: bytes, level: int) -> int:
    return len(gzip.compress(data, compresslevel=level))


def static_size(names: list[str]) -> int:
    return sum(gz(Path(finders.find(name)).read_bytes(), 9) for name in names)  # type: ignore[arg-type]


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email="bench-learner@bench.test"))
    code = learner["code"]
    css, js, extra = static_size(STATIC_CSS), static_size(STATIC_JS), static_size(EXTRA)
    manifest = gz(client.get("/play/manifest.webmanifest").content, 6)
    bundle = gz(client.get(f"/play/{code}/bundle.json").content, 6)
    print(f"CSS {css} B, JS {js} B (gzip, level 9); manifest {manifest} B; icon {extra} B")
    print(f"{'card type':20}{'HTML':>8}{'first card':>12}{'whole page':>12}{'card JSON':>11}")
    worst_first = worst_page = 0
    for card_type, key in sorted(learner["cards"].items()):
        html = client.get(f"/play/{code}/", {"card": key})
        assert html.status_code == 200, (card_type, html.status_code)
        card_json = client.get(f"/play/{code}/cards/{key}")
        html_gz = gz(html.content, 6)
        first = html_gz + css + js
        page = first + manifest + extra
        worst_first, worst_page = max(worst_first, first), max(worst_page, page)
        print(f"{card_type:20}{html_gz:>8}{first:>12}{page:>12}{gz(card_json.content, 6):>11}")
    print(f"bundle.json (whole path, prefetched after the first card for offline): {bundle} B")
    print(
        f"first card ≤ 14 KB: worst {worst_first / 1024:.1f} KB — "
        f"{'OK' if worst_first <= 14 * 1024 else 'OVER BUDGET'}"
    )
    print(
        f"card page < 50 KB: worst {worst_page / 1024:.1f} KB — "
        f"{'OK' if worst_page < 50 * 1024 else 'OVER BUDGET'}"
    )


if __name__ == "__main__":
    main()
