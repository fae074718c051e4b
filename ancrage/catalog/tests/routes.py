"""Tenant-isolation matrix rows for catalog (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import CATALOGUE, PUBLISHER, Route

ROUTES = [
    Route("studio", scope=PUBLISHER),  # studio/ studio
    Route("studio_theme_new", scope=PUBLISHER),  # studio/themes/new/ theme_new
    Route("studio_path_new", scope=PUBLISHER),  # studio/paths/new/ path_new
    Route(
        "studio_new_draft", kwargs={"path_id": "uuid"}, scope=PUBLISHER
    ),  # studio/paths/<uuid:path_id>/new-draft/ new_draft
    Route("studio_media", scope=PUBLISHER),  # studio/media/ media_library
    Route(
        "studio_version", kwargs={"version_id": "uuid"}, scope=PUBLISHER
    ),  # studio/versions/<uuid:version_id>/ version_page
    Route(
        "studio_version_details", kwargs={"version_id": "uuid"}, scope=PUBLISHER
    ),  # studio/versions/<uuid:version_id>/details/ version_details
    Route(
        "studio_version_status", kwargs={"version_id": "uuid"}, scope=PUBLISHER
    ),  # studio/versions/<uuid:version_id>/status/ version_status
    Route(
        "studio_version_discard", kwargs={"version_id": "uuid"}, scope=PUBLISHER
    ),  # studio/versions/<uuid:version_id>/discard/ version_discard
    Route(
        "studio_version_diff", kwargs={"version_id": "uuid"}, scope=PUBLISHER
    ),  # studio/versions/<uuid:version_id>/diff/ version_diff
    Route(
        "studio_module_new", kwargs={"version_id": "uuid"}, scope=PUBLISHER
    ),  # studio/versions/<uuid:version_id>/modules/new/ module_new
    Route(
        "studio_key_behaviour_new", kwargs={"version_id": "uuid"}, scope=PUBLISHER
    ),  # studio/versions/<uuid:version_id>/key-behaviours/new/ key_behaviour_new
    Route(
        "studio_key_behaviour_edit", kwargs={"key_behaviour_id": "uuid"}, scope=PUBLISHER
    ),  # studio/key-behaviours/<uuid:key_behaviour_id>/ key_behaviour_edit
    Route(
        "studio_key_behaviour_delete", kwargs={"key_behaviour_id": "uuid"}, scope=PUBLISHER
    ),  # studio/key-behaviours/<uuid:key_behaviour_id>/delete/ key_behaviour_delete
    Route(
        "studio_module_edit", kwargs={"module_id": "uuid"}, scope=PUBLISHER
    ),  # studio/modules/<uuid:module_id>/ module_edit
    Route(
        "studio_module_move", kwargs={"module_id": "uuid"}, scope=PUBLISHER
    ),  # studio/modules/<uuid:module_id>/move/ module_move
    Route(
        "studio_module_delete", kwargs={"module_id": "uuid"}, scope=PUBLISHER
    ),  # studio/modules/<uuid:module_id>/delete/ module_delete
    Route(
        "studio_card_new", kwargs={"module_id": "uuid"}, scope=PUBLISHER
    ),  # studio/modules/<uuid:module_id>/cards/new/ card_new
    Route(
        "studio_card_edit", kwargs={"card_id": "uuid"}, scope=PUBLISHER
    ),  # studio/cards/<uuid:card_id>/ card_edit
    Route(
        "studio_card_move", kwargs={"card_id": "uuid"}, scope=PUBLISHER
    ),  # studio/cards/<uuid:card_id>/move/ card_move
    Route(
        "studio_card_delete", kwargs={"card_id": "uuid"}, scope=PUBLISHER
    ),  # studio/cards/<uuid:card_id>/delete/ card_delete
    Route(
        "studio_card_preview", kwargs={"card_id": "uuid"}, scope=PUBLISHER
    ),  # studio/cards/<uuid:card_id>/preview/ card_preview
    Route("catalogue"),  # catalogue/ catalogue
    Route(
        "catalogue_path", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # catalogue/paths/<str:code>/ path_page
    Route(
        "catalogue_path_memo_sheets", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # catalogue/paths/<str:code>/memo-sheets/ path_memo_sheets
    Route(
        "catalogue_memo_sheet", kwargs={"card_id": "memo_card"}, scope=CATALOGUE
    ),  # catalogue/memo-sheets/<uuid:card_id>/ memo_sheet
    Route(
        "catalogue_media", kwargs={"name": "foreign_media"}, scope=CATALOGUE
    ),  # catalogue/media/<str:name> media
]
