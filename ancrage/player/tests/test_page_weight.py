"""Issue 5's byte budget, kept by a test (bytes, not time: deterministic): what the first card
of every card type needs to render — its HTML page, the CSS and the JS it links — fits in 14 KB
gzip, one TCP initial window. bench/player/page_weight.py prints the same figures."""

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from ancrage.player.bundle import Bundle
from ancrage.player.models import Enrolment
from ancrage.player.tests.conftest import CODE

FIRST_CARD_BUDGET = 14 * 1024
STATIC_LINK = re.compile(r'(?:href|src)="/static/([^"]+\.(?:css|js))"')


def _gzip(data: bytes, level: int) -> int:
    return len(gzip.compress(data, compresslevel=level))


def _static(name: str) -> bytes:
    found = finders.find(name)
    assert isinstance(found, str), name
    return Path(found).read_bytes()


def _imports(name: str, seen: set[str]) -> None:
    """A module script and the modules it imports statically (they load before it runs)."""
    if name in seen:
        return
    seen.add(name)
    folder = name.rsplit("/", 1)[0]
    source = _static(name).decode()
    for relative in re.findall(r'^import .*? from "\./([^"]+)";', source, re.M):
        _imports(f"{folder}/{relative}", seen)


@pytest.mark.django_db
def test_every_card_types_first_render_fits_in_14_kb_gzip(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, settings: Any
) -> None:
    first_of_type: dict[str, str] = {}
    for key in bundle.order:
        first_of_type.setdefault(bundle.cards[key].type, key)
    assert len(first_of_type) == 9  # every card type of the catalogue
    weights = {}
    for card_type, key in first_of_type.items():
        response = owner_client.get(f"/play/{CODE}/", {"card": key})
        assert response.status_code == 200
        page = response.content
        assets: set[str] = set()
        for name in STATIC_LINK.findall(page.decode()):
            if name.endswith(".js"):
                _imports(name, assets)
            else:
                assets.add(name)
        # HTML at level 6 (a proxy on the fly), static files at 9 (precompressed by WhiteNoise)
        weights[card_type] = _gzip(page, 6) + sum(_gzip(_static(a), 9) for a in assets)
        assert {"player/player.js", "player/adapter-web.js", "ancrage/css/app.css"} <= assets
    assert max(weights.values()) <= FIRST_CARD_BUDGET, weights
