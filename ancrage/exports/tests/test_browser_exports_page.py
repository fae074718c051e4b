"""The exports page in Chromium: axe-core clean, usable at 320 px, downloads a package."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from ancrage.common.testing.browser import fr
from ancrage.exports.models import Export


@pytest.mark.usefixtures("licensed")
def test_exports_page_is_accessible_narrow_and_downloads(
    tenancy: Any, desktop_page: Page, log_in: Callable[[Page, Any], None], axe_check: Any
) -> None:
    log_in(desktop_page, tenancy.ld_lead.user)
    desktop_page.set_viewport_size({"width": 320, "height": 800})
    desktop_page.goto("/exports/", wait_until="domcontentloaded")
    axe_check(desktop_page)
    assert desktop_page.evaluate("document.documentElement.scrollWidth") <= 320
    desktop_page.get_by_label(fr("Format")).select_option("scorm2004")
    desktop_page.get_by_label(fr("What to export")).select_option("path:CNV")
    with desktop_page.expect_download() as download:
        desktop_page.get_by_role("button", name=fr("Download the package")).click()
    assert download.value.suggested_filename == "alpha-scorm2004-cnv.zip"
    assert Export.objects.get().format == "scorm2004"
    desktop_page.goto("/exports/", wait_until="domcontentloaded")
    axe_check(desktop_page)
