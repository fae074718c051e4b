"""Test-only LMS pages for browser tests: scorm-again (npm, from node_modules) as the LMS-side
SCORM API, the exported package in an iframe, and a helper that plays a unit like a learner."""

import json
import shutil
from typing import Any

from playwright.sync_api import FrameLocator, Page, expect

from ancrage.exports.package.archive import extract_archive
from ancrage.exports.tests.conftest import SCORM_AGAIN, StaticServer

LMS_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>LMS de test</title>
<script src="scorm-again.js"></script>
<script>
  window.commits = [];
  window.finished = false;
  const settings = {lmsCommitUrl: "/commit", autocommit: false, logLevel: 5};
  %(setup)s
</script></head>
<body><main><h1>LMS de test</h1>
<iframe id="sco" src="package/%(launch)s" title="Contenu" style="width:100%%;height:1200px;border:0"></iframe>
</main></body></html>
"""
SCORM12_SETUP = """
  window.API = new Scorm12API(settings);
  window.API.cmi.core.student_id = "lms-learner-42";
  window.API.cmi.core.student_name = "Fontaine, Léa";
  %(preload)s
  window.API.on("LMSCommit", () => window.commits.push(JSON.parse(JSON.stringify(window.API.cmi))));
  window.API.on("LMSFinish", () => { window.finished = true; });
"""
SCORM2004_SETUP = """
  window.API_1484_11 = new Scorm2004API(settings);
  window.API_1484_11.cmi.learner_id = "lms-learner-42";
  window.API_1484_11.cmi.learner_name = "Fontaine, Léa";
  %(preload)s
  window.API_1484_11.on("Commit", () => window.commits.push(JSON.parse(JSON.stringify(window.API_1484_11.cmi))));
  window.API_1484_11.on("Terminate", () => { window.finished = true; });
"""


def host_package(server: StaticServer, data: bytes, setup: str, launch: str = "u1.html") -> None:
    """Unzip the package (zip-slip safe) under the server root, next to scorm-again."""
    package = server.root / "package"
    if package.exists():
        shutil.rmtree(package)
    package.mkdir()
    extract_archive(data, package)
    shutil.copy(SCORM_AGAIN, server.root / "scorm-again.js")
    (server.root / "lms.html").write_text(
        LMS_PAGE % {"setup": setup, "launch": launch}, encoding="utf-8"
    )


def bundle_of(server: StaticServer, unit: str = "u1") -> dict[str, Any]:
    return dict(json.loads((server.root / "package" / "content" / f"{unit}.json").read_text()))


def play(frame: FrameLocator | Page, bundle: dict[str, Any], *, wrong_first: bool = False) -> None:
    """Go through every card: answer quizzes right (after one wrong try with `wrong_first`),
    pick the best scenario choice, write in text prompts, then press Finish."""
    cards = bundle["cards"]
    for number, card in enumerate(cards):
        article = frame.locator(f'#player-card[data-key="{card["key"]}"]')
        expect(article).to_be_visible()
        if card["type"] == "quiz":
            right = card["answers"]["correct"]
            if wrong_first:
                wrong = next(i for i in range(len(card["choices"])) if i not in right)
                article.locator(f'input[value="{wrong}"]').check()
                article.locator("button[type=submit]").click()
                expect(article.locator(".verdict")).to_be_visible()
                if card.get("multiple"):
                    article.locator(f'input[value="{wrong}"]').uncheck()
            for index in right:
                article.locator(f'input[value="{index}"]').check()
            article.locator("button[type=submit]").click()
            expect(article.locator(".verdict.ok")).to_be_visible()
        elif card["type"] == "scenario":
            scores = card["answers"]["scores"]
            article.locator(f'input[value="{scores.index(max(scores))}"]').check()
            article.locator("button[type=submit]").click()
            expect(article.locator(".verdict.ok")).to_be_visible()
        elif card["interaction"] == "text":
            article.locator("textarea").fill("Je reformule avant de répondre, dès demain.")
            article.locator("button[type=submit]").click()
            expect(article.locator(".verdict.ok")).to_be_visible()
        nav = frame.locator('[data-nav="end"]' if number == len(cards) - 1 else '[data-nav="next"]')
        nav.click()
    expect(frame.locator("[data-sync]")).not_to_be_empty()


def leave(page: Page) -> None:
    """Navigate the iframe away: the package gets pagehide and terminates its session."""
    page.evaluate("() => { document.getElementById('sco').src = 'about:blank'; }")
    page.wait_for_function("() => window.finished === true")


def open_lms(page: Page, server: StaticServer) -> FrameLocator:
    page.goto(f"{server.url}/lms.html")
    return page.frame_locator("#sco")
