"""Every Adaptive Card Ancrage posts to Microsoft Teams, in one place (schema 1.5).

Each function is keyword-only, takes plain values (no model instances, so any app can call
it without notify depending on that app) and returns the card dict, ready for
`ancrage.notify.actions.post_teams_card`. Labels are translated in the card's language
(`lang`), not the request's: a channel post is read by a whole team.

Cards stay within what Teams renders from a Workflows webhook: TextBlock, FactSet,
ColumnSet, Container and Action.OpenUrl only; every `url` is absolute. CI renders each
template with the `adaptivecards` JavaScript renderer in Chromium and checks that its
validation reports nothing (`ancrage/microsoft365/tests/test_cards_render.py`).
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"

Card = dict[str, Any]


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _paragraphs(paragraphs: Iterable[str]) -> list[dict[str, Any]]:
    return [_text(p.strip()) for p in paragraphs if p and p.strip()]


def _facts(facts: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    kept = [{"title": title, "value": value} for title, value in facts if value]
    return [{"type": "FactSet", "facts": kept}] if kept else []


def _card(*, lang: str, body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> Card:
    card: Card = {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": VERSION,
        "lang": lang,
        "body": body,
    }
    if actions:
        card["actions"] = actions
    return card


def _open_url(title: str, url: str) -> list[dict[str, Any]]:
    return [{"type": "Action.OpenUrl", "title": title, "url": url}] if url else []


def campaign_launch_card(
    *,
    lang: str,
    title: str,
    stake: str = "",
    paragraphs: Sequence[str] = (),
    starts_on: str = "",
    ends_on: str = "",
    paths: Sequence[str] = (),
    action_title: str = "",
    action_url: str = "",
) -> Card:
    """A campaign message (launch, announcement, reminder…) posted to the team's channel.

    `starts_on` / `ends_on` are already formatted in `lang` ("lundi 15 mars").
    """
    with translation.override(lang):
        body = [_text(title, weight="Bolder", size="Large", style="heading")]
        if stake:
            body.append(_text(stake, isSubtle=True, spacing="None"))
        body += _paragraphs(paragraphs)
        body += _facts(
            [
                (gettext("From"), starts_on),
                (gettext("To"), ends_on),
                (gettext("Paths"), ", ".join(p for p in paths if p)),
            ]
        )
        return _card(
            lang=lang,
            body=body,
            actions=_open_url(action_title or gettext("Take part"), action_url),
        )


def event_kickoff_card(
    *,
    lang: str,
    title: str,
    theme: str,
    paragraphs: Sequence[str] = (),
    starts_at: str = "",
    location: str = "",
    ends_on: str = "",
    action_title: str = "",
    action_url: str = "",
) -> Card:
    """The kick-off of a themed week: theme, when and where the session is, how to join."""
    with translation.override(lang):
        body = [
            _text(theme.upper(), size="Small", weight="Bolder", color="Accent", spacing="None"),
            _text(title, weight="Bolder", size="Large", style="heading", spacing="Small"),
        ]
        body += _paragraphs(paragraphs)
        body += _facts(
            [
                (gettext("Kick-off session"), starts_at),
                (gettext("Where"), location),
                (gettext("Until"), ends_on),
            ]
        )
        return _card(
            lang=lang,
            body=body,
            actions=_open_url(action_title or gettext("Join the week"), action_url),
        )


def daily_card(
    *,
    lang: str,
    title: str,
    day_label: str = "",
    paragraphs: Sequence[str] = (),
    path_title: str = "",
    minutes: int | None = None,
    action_title: str = "",
    action_url: str = "",
) -> Card:
    """The card of the day of a themed week: one idea and the path to try today."""
    with translation.override(lang):
        body: list[dict[str, Any]] = []
        if day_label:
            body.append(_text(day_label, size="Small", isSubtle=True, spacing="None"))
        body.append(_text(title, weight="Bolder", size="Medium", style="heading"))
        body += _paragraphs(paragraphs)
        if path_title:
            detail = path_title
            if minutes:
                detail = gettext("%(path)s · %(minutes)d min") % {
                    "path": path_title,
                    "minutes": minutes,
                }
            body.append(
                {
                    "type": "Container",
                    "style": "emphasis",
                    "items": [
                        _text(gettext("Path of the day"), size="Small", isSubtle=True),
                        _text(detail, weight="Bolder", spacing="None"),
                    ],
                }
            )
        return _card(
            lang=lang,
            body=body,
            actions=_open_url(action_title or gettext("Start now"), action_url),
        )


def takeaway_card(
    *,
    lang: str,
    text: str,
    campaign_title: str = "",
    path_title: str = "",
    author_name: str = "",
    action_url: str = "",
) -> Card:
    """What a learner takes away, shared with the team; anonymous when `author_name` is ""."""
    with translation.override(lang):
        heading = (
            gettext("%(name)s shares a takeaway") % {"name": author_name}
            if author_name
            else gettext("A colleague shares a takeaway")
        )
        body = [
            _text(heading, weight="Bolder", size="Medium", style="heading"),
            {
                "type": "Container",
                "style": "emphasis",
                "items": [_text(f"« {text.strip()} »" if lang == "fr" else f"“{text.strip()}”")],
            },
        ]
        body += _facts([(gettext("Campaign"), campaign_title), (gettext("Path"), path_title)])
        return _card(
            lang=lang,
            body=body,
            actions=_open_url(gettext("Read the other takeaways"), action_url),
        )


def recognition_card(
    *,
    lang: str,
    recipient_name: str,
    giver_name: str,
    message: str,
    behaviour: str = "",
    action_url: str = "",
) -> Card:
    """A recognition: who thanks whom, for which behaviour, in their own words."""
    with translation.override(lang):
        body = [
            {
                "type": "ColumnSet",
                "columns": [
                    {
                        "type": "Column",
                        "width": "auto",
                        "verticalContentAlignment": "Center",
                        "items": [_text("★", size="ExtraLarge", color="Good")],
                    },
                    {
                        "type": "Column",
                        "width": "stretch",
                        "items": [
                            _text(
                                gettext("%(giver)s recognises %(recipient)s")
                                % {"giver": giver_name, "recipient": recipient_name},
                                weight="Bolder",
                                size="Medium",
                                style="heading",
                            ),
                            *(
                                [_text(behaviour, isSubtle=True, spacing="None")]
                                if behaviour
                                else []
                            ),
                        ],
                    },
                ],
            },
            _text(message.strip()),
        ]
        return _card(
            lang=lang,
            body=body,
            actions=_open_url(gettext("Say thank you too"), action_url),
        )


def samples() -> dict[str, Card]:
    """One card per template with realistic French content (the CI render test uses it)."""
    url = "https://ancrage.example/"
    return {
        "campaign_launch": campaign_launch_card(
            lang="fr",
            title="Feedback au quotidien : c'est parti",
            stake="Donner et recevoir du feedback utile dans chaque équipe",
            paragraphs=[
                "Bonjour à toutes et à tous,",
                "Trois parcours de 20 minutes vous attendent.",
            ],
            starts_on="lundi 15 mars",
            ends_on="vendredi 9 avril",
            paths=["Le feedback qui fait grandir", "Écoute active"],
            action_url=url + "campagnes/",
        ),
        "event_kickoff": event_kickoff_card(
            lang="fr",
            title="Semaine de la qualité de vie au travail",
            theme="Qualité de vie au travail",
            paragraphs=[
                "Lancement ce lundi : 30 minutes pour découvrir le programme de la semaine."
            ],
            starts_at="lundi 15 mars, 9 h 30",
            location="Salle Agora et Teams",
            ends_on="vendredi 19 mars",
            action_url=url + "evenements/",
        ),
        "daily_card": daily_card(
            lang="fr",
            title="Une pause qui recharge vraiment",
            day_label="Jour 2 sur 5",
            paragraphs=["Deux minutes loin de l'écran toutes les heures : essayez aujourd'hui."],
            path_title="Gérer son énergie",
            minutes=5,
            action_url=url + "parcours/",
        ),
        "takeaway": takeaway_card(
            lang="fr",
            text="Je reformule avant de répondre : les réunions sont plus courtes.",
            campaign_title="Feedback au quotidien",
            path_title="Écoute active",
            author_name="Camille",
            action_url=url + "partages/",
        ),
        "takeaway_anonymous": takeaway_card(
            lang="fr", text="Je bloque une heure sans réunion chaque jour.", action_url=url
        ),
        "recognition": recognition_card(
            lang="fr",
            recipient_name="Inès Martin",
            giver_name="Paul Leroy",
            message="Merci pour ton écoute pendant la rétrospective : chacun a pu parler.",
            behaviour="Écoute active",
            action_url=url + "reconnaissances/",
        ),
    }
