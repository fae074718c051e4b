"""The L&D lead's home with a themed week under way passes axe-core on the narrowest phone
(320 px) without horizontal scrolling; its headings go h1 → h2 → h3 → h4 in order."""

import pytest
from django.urls import reverse

from ancrage.common.testing.browser import fr

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 740}


def test_the_under_way_block_fits_320_px_and_passes_axe(
    phone_page, axe_check, log_in, tenancy, qvt_week
):
    log_in(phone_page, tenancy.ld_lead.user)
    phone_page.set_viewport_size(NARROW)

    response = phone_page.goto(reverse("home"))

    assert response is not None
    assert response.status == 200
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    block = phone_page.get_by_role("region", name=fr("Under way"))
    assert block.get_by_role("heading", level=3, name=qvt_week.title).is_visible()
    levels = phone_page.evaluate(
        "[...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
        ".map(h => Number(h.tagName[1]))"
    )
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    axe_check(phone_page)
