"""Build small content packs on disk for tests: one valid pack, then break it on purpose."""

import struct
import zlib
from pathlib import Path

import yaml


def png_bytes(width: int = 1, height: int = 1, extra: int = 0) -> bytes:
    """A real PNG; `extra` pads it with a private chunk to reach a given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if extra:
        body += chunk(b"prIv", b"\x00" * extra)
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img">'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#123"/></linearGradient></defs>'
    b'<rect width="10" height="10" fill="url(#g)"/><use href="#g"/></svg>\n'
)
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour et bienvenue.\n"
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64

PACK_YAML = """\
publisher: Éditions Test
themes:
  - code: relations
    title: Relations et communication
    description: Écouter, dire, coopérer.
"""

PATH_YAML = """\
code: ECOUTE
language: fr
title: Écouter pour de vrai
theme: relations
level: decouverte
promise_minutes: 10
skills: [écoute active, reformulation]
summary: >
  Un parcours court pour écouter
  avant de répondre.
cover: media/cover.svg
cover_alt: Deux bulles de dialogue.
objectives:
  - Reformuler avant de répondre.
  - Poser une question ouverte.
key_behaviours:
  - code: reformule
    statement: Reformule avant de répondre.
    anchors:
      1: Coupe la parole.
      2: Laisse finir puis répond.
      3: Reformule parfois.
      4: Reformule souvent.
      5: Reformule et vérifie.
  - code: questionne
    statement: Pose une question ouverte.
    anchors:
      1: Aucune question.
      2: Questions fermées.
      3: Une question ouverte.
      4: Plusieurs questions ouvertes.
      5: Questions qui font émerger d'autres avis.
follow_up:
  title: Parcours socle « Communication »
  format: 3 demi-journées
  duration_hours: 10.5
modules:
  - 01-ecouter.yaml
  - 02-agir.yaml
"""

MODULE_1 = """\
title: Écouter vraiment
est_minutes: 5
cards:
  - type: text
    title: Pourquoi écouter ?
    body: |
      Écouter, c'est **comprendre** avant de répondre.

      - noter
      - reformuler
  - type: image
    src: media/schema.png
    alt: Schéma en trois colonnes.
    caption: Les trois gestes.
  - type: video
    src: media/intro.webm
    captions: media/intro.vtt
    transcript: |
      Narration : écouter, ce n'est pas attendre son tour.
  - type: quiz
    question: Quel geste montre que vous écoutez ?
    multiple: false
    choices:
      - text: Je prépare ma réponse.
        correct: false
        feedback: Non, vous n'écoutez plus.
      - text: Je reformule.
        correct: true
        feedback: Oui.
    explanation: La reformulation vérifie la compréhension.
  - type: scenario
    situation: |
      Thomas dit : « Le projet est mal parti. »
    question: Que répondez-vous ?
    choices:
      - text: « Qu'est-ce qui t'inquiète ? »
        score: 2
        consequence: Thomas explique.
      - text: « Mais non ! »
        score: 0
        consequence: Thomas se tait.
"""

MODULE_2 = """\
title: Passer à l'action
est_minutes: 5
cards:
  - type: memo_sheet
    title: Fiche mémo
    body: |
      1. Noter
      2. Reformuler
  - type: flashcard
    front: Les quatre temps de la CNV ?
    back: Observation, sentiment, besoin, demande.
  - type: reflection_prompt
    prompt: Quand avez-vous décroché pour la dernière fois ?
    hint: Notez-le sans vous juger.
  - type: action_plan_prompt
    key_behaviour: reformule
    prompt: Choisissez une réunion de la semaine prochaine.
    example: Mardi à 9 h 30, en réunion d'équipe, je reformule avant de répondre.
    est_seconds: 120
"""


def write_pack(root: Path, code: str = "ECOUTE") -> Path:
    """A complete valid pack with one path (2 modules, every card type, all media kinds)."""
    folder = root / "paths" / code
    (folder / "modules").mkdir(parents=True)
    (folder / "media").mkdir()
    (root / "pack.yaml").write_text(PACK_YAML, encoding="utf-8")
    (folder / "path.yaml").write_text(
        PATH_YAML.replace("code: ECOUTE", f"code: {code}"), encoding="utf-8"
    )
    (folder / "modules" / "01-ecouter.yaml").write_text(MODULE_1, encoding="utf-8")
    (folder / "modules" / "02-agir.yaml").write_text(MODULE_2, encoding="utf-8")
    (folder / "media" / "cover.svg").write_bytes(SVG)
    (folder / "media" / "schema.png").write_bytes(png_bytes(4, 3))
    (folder / "media" / "intro.webm").write_bytes(WEBM)
    (folder / "media" / "intro.vtt").write_bytes(VTT)
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there exactly once) by `new` in a pack file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} found {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def load(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
