"""Tenant-isolation matrix rows for player (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import CATALOGUE, Route

ROUTES = [
    Route("player_resume"),  # play/ resume
    Route("player_sw"),  # play/sw.js service_worker
    Route("player_manifest"),  # play/manifest.webmanifest manifest
    Route("player", kwargs={"code": "path_code"}, scope=CATALOGUE),  # play/<str:code>/ player
    Route(
        "player_start", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # play/<str:code>/start start
    Route(
        "player_check", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # play/<str:code>/check check
    Route("player_end", kwargs={"code": "path_code"}, scope=CATALOGUE),  # play/<str:code>/end end
    Route(
        "player_survey", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # play/<str:code>/survey survey_page
    Route(
        "player_bundle", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # play/<str:code>/bundle.json bundle
    Route(
        "player_progress", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # play/<str:code>/progress progress
    Route(
        "player_events", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # play/<str:code>/events events
    Route(
        "player_answer", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # play/<str:code>/answer answer
    Route(
        "player_card", kwargs={"code": "path_code", "key": "=k1"}, scope=CATALOGUE
    ),  # play/<str:code>/cards/<str:key> card
    Route(
        "player_media", kwargs={"code": "path_code", "name": "=x.png"}, scope=CATALOGUE
    ),  # play/<str:code>/media/<str:name> media
]
