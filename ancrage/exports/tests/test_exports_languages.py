"""/exports/ lists paths and modules in the UI's language first; the English path of the
demo catalogue comes after, in groups named with its language, and can still be exported."""

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ancrage.catalog.models import Language

pytestmark = pytest.mark.usefixtures("licensed")

ENGLISH_TITLE = "20 minutes to build your emotional intelligence"


def test_english_paths_and_modules_are_grouped_apart_in_a_french_ui(tenancy: Any) -> None:
    client = tenancy.client_for(tenancy.ld_lead)
    page = client.get("/exports/")
    assert page.status_code == 200
    groups = [
        (str(label), options) for label, options in page.context["form"].fields["target"].choices
    ]
    with translation.override("fr"):
        paths, modules, english = (
            str(w) for w in (gettext("Paths"), gettext("Modules"), Language.EN.label)
        )
    labels = [label for label, _options in groups]
    assert labels[:2] == [paths, modules]
    assert labels[-2:] == [f"{paths} — {english}", f"{modules} — {english}"]
    french_paths = dict(groups[0][1])
    assert "path:ECOUTE-ACTIVE" in french_paths
    assert "path:ACTIVE-LISTENING" not in french_paths
    assert ENGLISH_TITLE not in " ".join(str(label) for _value, label in groups[1][1])
    assert dict(groups[-2][1]) == {"path:ACTIVE-LISTENING": ENGLISH_TITLE}
    assert all(value.startswith("module:ACTIVE-LISTENING:") for value, _l in groups[-1][1])
    response = client.post("/exports/", {"format": "scorm12", "target": "path:ACTIVE-LISTENING"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
