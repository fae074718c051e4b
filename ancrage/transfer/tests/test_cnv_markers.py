"""The CNV warning-marker detector flags the words DOMAIN.md §4 lists, and nothing else."""

import pytest

from ancrage.transfer.markers import detect, detect_grid


@pytest.mark.parametrize(
    ("text", "component", "code"),
    [
        ("Il arrive toujours en retard.", "observation", "generalisation"),
        ("Tu ne m'écoutes JAMAIS.", "observation", "generalisation"),
        ("Tu es désorganisé.", "observation", "label"),
        ("Vous êtes de mauvaise foi.", "observation", "label"),
        ("C'est un collègue paresseux.", "observation", "judging_adjective"),
        ("Je me suis sentie ignorée.", "feeling", "pseudo_feeling"),
        ("Je me sens manipulé.", "feeling", "pseudo_feeling"),
        ("Je sens que tu m'en veux.", "feeling", "interpretation"),
        ("J'ai besoin que tu m'appelles.", "need", "need_names_person"),
        ("J'ai besoin qu'il se taise.", "need", "need_names_person"),
        ("Il faut que ça change.", "request", "demand"),
        ("Tu dois rendre le dossier.", "request", "demand"),
    ],
)
def test_detector_flags_each_marker_of_the_grid(text, component, code):
    markers = detect(text)
    assert (component, code) in {(m.component, m.code) for m in markers}


@pytest.mark.parametrize(
    "text",
    [
        "Mardi à 9 h 30, tu as pris la parole deux fois avant que Paul ait fini sa phrase.",
        "Je me suis sentie inquiète et frustrée.",
        "J'ai besoin de clarté et de respect.",
        "Serais-tu d'accord pour qu'on fasse le point jeudi à 14 h ?",
        "Un journaliste a tout vu.",  # "jamais" inside no other word; "tu es" not inside "vu"
    ],
)
def test_detector_leaves_clean_cnv_phrasing_alone(text):
    assert detect(text) == []


def test_detector_returns_the_learners_own_words():
    (marker,) = detect("Franchement, elle est TOUJOURS là-dessus.")
    assert marker.found == "TOUJOURS"


def test_grid_detection_looks_only_at_each_components_text():
    markers = detect_grid(
        {
            "observation": "Hier, tu as coupé Paul.",
            "feeling": "Je suis frustrée.",
            "need": "J'ai besoin que tu changes.",
            "request": "Il faut que tu changes.",
        }
    )
    assert [(m.component, m.code) for m in markers] == [
        ("need", "need_names_person"),
        ("request", "demand"),
    ]
